"""The schema is the one source of the values code checks by itself: patterns, limits, enums.

`signupsheet.core.schema_values` holds copies of the schema's `$defs` (the installed package
cannot read the site's schema/), and the model's `Literal` types repeat the schema's enums for
the type checker. These tests fail when a copy and the schema part ways, and when a module writes
a schema pattern again instead of importing it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest

from paths import REPO
from signupsheet.core import model, schema_values

SCHEMA: dict[str, Any] = json.loads(
    (REPO / "schema" / "event.schema.json").read_text(encoding="utf-8")
)
DEFS: dict[str, Any] = SCHEMA["$defs"]
PACKAGE = REPO / "scripts" / "signupsheet"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (schema_values.SLUG_PATTERN, DEFS["slug"]["pattern"]),
        (schema_values.LOGIN_PATTERN, DEFS["login"]["pattern"]),
        (schema_values.TIMESTAMP_PATTERN, DEFS["timestamp"]["pattern"]),
        (schema_values.ONE_LINE_PATTERN, DEFS["line"]["pattern"]),
        (schema_values.ONE_LINE_PATTERN, DEFS["note"]["pattern"]),
        (schema_values.MAX_LINE, DEFS["line"]["maxLength"]),
        (schema_values.MAX_NOTE, DEFS["note"]["maxLength"]),
        (schema_values.MAX_CAPACITY, DEFS["session"]["properties"]["capacity"]["maximum"]),
        (schema_values.SEALED_PATTERN, DEFS["sealed_contact"]["pattern"]),
        (schema_values.MAX_SEALED, DEFS["sealed_contact"]["maxLength"]),
    ],
    ids=[
        "slug",
        "login",
        "timestamp",
        "line",
        "note-line",
        "max-line",
        "max-note",
        "capacity",
        "sealed",
        "max-sealed",
    ],
)
def test_each_value_is_the_schemas(value: object, expected: object) -> None:
    assert value == expected


def test_max_slug_is_the_longest_slug_the_schema_allows() -> None:
    slug = re.compile(DEFS["slug"]["pattern"])
    assert slug.match("a" * schema_values.MAX_SLUG)
    assert not slug.match("a" * (schema_values.MAX_SLUG + 1))


def test_the_fields_checked_with_these_values_use_the_definitions() -> None:
    """A form's name is checked against MAX_LINE, an event id against SLUG_PATTERN, ...: true
    only while the schema's fields refer to those definitions."""
    entry = DEFS["registration"]["properties"]
    assert DEFS["event_id"]["$ref"] == "#/$defs/slug"
    assert DEFS["session"]["properties"]["id"]["$ref"] == "#/$defs/slug"
    assert SCHEMA["properties"]["title"]["$ref"] == "#/$defs/line"
    assert entry["name"]["$ref"] == entry["affiliation"]["$ref"] == "#/$defs/line"
    assert entry["note"]["$ref"] == "#/$defs/note"
    assert entry["login"]["$ref"] == SCHEMA["properties"]["organizers"]["items"]["$ref"]
    assert entry["login"]["$ref"] == "#/$defs/login"
    assert entry["registered"]["$ref"] == "#/$defs/timestamp"
    assert entry["contact"]["$ref"] == "#/$defs/sealed_contact"


def test_inner_drops_only_the_anchors() -> None:
    assert schema_values.inner("^a$") == "a"
    assert schema_values.inner("a$b") == "a$b"
    key = re.compile(rf"^{schema_values.inner(schema_values.SLUG_PATTERN)}/x$")
    assert key.match("2026-12-03-meetup/x")
    assert not key.match("Meetup/x")


@pytest.mark.parametrize(
    ("literal", "where"),
    [
        (model.Mode, ("properties", "location", "properties", "mode")),
        (model.Recording, ("properties", "recording")),
        (model.EventType, ("properties", "type")),
        (model.Visibility, ("$defs", "registration", "properties", "visibility")),
        (model.Status, ("$defs", "registration", "properties", "status")),
    ],
    ids=lambda item: item[-1] if isinstance(item, tuple) else "",
)
def test_the_models_literals_are_the_schemas_enums(literal: object, where: tuple[str, ...]) -> None:
    node: Any = SCHEMA
    for key in where:
        node = node[key]
    assert list(get_args(literal)) == node["enum"]


# The distinctive part of each schema pattern: a module that contains one wrote it again.
_PATTERN_BODIES = {
    "slug": "[a-z0-9][a-z0-9-]{0,",
    "login": "(?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))",
    "timestamp": "[0-9]{2}:[0-9]{2}:[0-9]{2}",
    "one line": "[^\\n\\r]*",
}


def _retyped(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for name, body in _PATTERN_BODIES.items():
        # As written in a raw string and in a plain one (backslashes doubled).
        if body in text or body.replace("\\", "\\\\") in text:
            found.append(f"{path.relative_to(REPO)}: the {name} pattern")
    return found


def test_no_module_writes_a_schema_pattern_again() -> None:
    assert _retyped(PACKAGE / "core" / "schema_values.py") != []  # the check sees them
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50
    found = [
        place for path in modules if path.name != "schema_values.py" for place in _retyped(path)
    ]
    assert found == []
