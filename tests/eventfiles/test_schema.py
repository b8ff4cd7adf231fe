from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from paths import REPO
from signupsheet.eventfiles.schema import EventSchema, ecma_pattern

SCHEMA_PATH = REPO / "schema" / "event.schema.json"


def load() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def properties(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property and definition of the schema, wherever it is nested."""
    if isinstance(node, dict):
        for group in ("properties", "$defs"):
            for name, child in node.get(group, {}).items():
                yield f"{where}/{group}/{name}", child
        for key, child in node.items():
            yield from properties(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from properties(child, f"{where}/{index}")


def test_schema_is_valid_against_its_metaschema() -> None:
    schema = load()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_property_and_definition_has_a_description() -> None:
    found = list(properties(load()))
    assert len(found) > 40  # the walk really reaches nested properties
    missing = [where for where, child in found if not child.get("description")]
    assert missing == []


def test_every_object_is_strict() -> None:
    def objects(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for child in node.values():
                yield from objects(child)
        elif isinstance(node, list):
            for child in node:
                yield from objects(child)

    found = list(objects(load()))
    assert len(found) >= 5
    assert all(node.get("additionalProperties") is False for node in found)


@pytest.mark.parametrize("path", sorted((REPO / "events").glob("*.yaml")), ids=lambda p: p.name)
def test_event_files_start_with_the_schema_comment(path: Any) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/event.schema.json"


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for child in node.values():
            yield from patterns(child)
    elif isinstance(node, list):
        for child in node:
            yield from patterns(child)


PATTERNS = sorted(set(patterns(load())))
# Characters on which regular expression dialects disagree, mixed with ordinary ones.
TRICKY = st.sampled_from(
    list("\n\r\t\v\f \x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000\ufeff\u180e")
    + list("aZ09-_:/.@")
)
# Surrogates are left out: no YAML file can hold them.
NEAR_MISSES = st.lists(
    st.one_of(TRICKY, st.characters(blacklist_categories=("Cs",))), max_size=12
).map("".join)


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from(["", "https://a", "2022-11-23T14:00:00Z", "main", "issue:1", "Ab-1"]),
    tail=NEAR_MISSES,
)
def test_both_validators_read_every_pattern_alike(pattern: str, prefix: str, tail: str) -> None:
    fast = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    value = prefix + tail
    assert fast.is_valid(value) == bool(ecma_pattern(pattern).search(value))
    full = EventSchema({"type": "string", "pattern": pattern})
    assert fast.is_valid(value) == (full.problems(value) == [])
