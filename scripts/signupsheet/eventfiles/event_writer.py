"""Writing a whole event file from the model.

Used when an event file is created (an organizer's form, `new`, `import-wiki`); edits of existing
files go through `sheet_editing`, which keeps their comments. `render_event` writes the data in
the style people write by hand, with comments attached to data paths, so they land right above
the value they explain. The file reads back through the same loader as every other file
(`catalog.check_text`) to the same event: tests/eventfiles/test_roundtrip.py checks that on any
event the model can hold.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from signupsheet.core.model import Event, event_to_data
from signupsheet.core.schema_values import MAX_SLUG
from signupsheet.eventfiles.round_trip import round_trip_yaml
from signupsheet.eventfiles.schema import PathTuple

SCHEMA_LINE = "yaml-language-server: $schema=../schema/event.schema.json"

# Long Markdown reads better as a block: one paragraph per line, blank lines between.
_BLOCK_KEYS = frozenset({"description", "summary"})


def slugify(text: str, limit: int = MAX_SLUG) -> str:
    """Lower-case letters, digits and dashes: "Let's Connect!" -> "lets-connect"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['\u2019`]", "", ascii_text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug.strip("-")


def event_id_for(start: datetime, title: str) -> str:
    prefix = start.astimezone(UTC).date().isoformat()
    slug = slugify(title, MAX_SLUG - len(prefix) - 1)
    return f"{prefix}-{slug}" if slug else prefix


def session_ids(starts: Sequence[datetime]) -> list[str]:
    """Ids for sessions: main when there is one, else the date (and the time when a day has two)."""
    if len(starts) == 1:
        return ["main"]
    days = [start.astimezone(UTC).date() for start in starts]
    return [
        day.isoformat() if days.count(day) == 1 else f"{day.isoformat()}-{start:%H%M}"
        for day, start in zip(days, starts, strict=True)
    ]


def _commented(value: Any) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            if key in _BLOCK_KEYS and isinstance(item, str) and _block_safe(item):
                # Exactly the text: the block's chomping indicator keeps its final line breaks.
                node[key] = LiteralScalarString(item)
            else:
                node[key] = _commented(item)
        return node
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(_commented(item) for item in value)
        return seq
    if isinstance(value, str) and _YAML_1_1_BREAK.search(value):
        # ruamel.yaml writes these raw in plain and single-quoted text; only double quotes
        # escape them (\N, \L, \P).
        return DoubleQuotedScalarString(value)
    if isinstance(value, str) and _other_in_yaml_1_1(value):
        return SingleQuotedScalarString(value)
    return value


# Line breaks to a YAML 1.1 reader such as libyaml (our loader), though not to YAML 1.2.
_YAML_1_1_BREAK = re.compile(r"[\x85\u2028\u2029]")
# What a literal block cannot hold as it is: characters YAML must escape, and those breaks.
_NOT_IN_BLOCK = re.compile(
    r"[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


def _block_safe(text: str) -> bool:
    """Whether a literal block keeps the text exactly: no tabs or trailing spaces to lose, and
    nothing that needs an escape."""
    return (
        (len(text) > 80 or "\n" in text)
        and not _NOT_IN_BLOCK.search(text)
        and not any(line != line.rstrip() or "\t" in line for line in text.split("\n"))
    )


_YAML_1_1 = yaml.resolver.Resolver()
_KEPT_AS_TEXT = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"})


def _other_in_yaml_1_1(text: str) -> bool:
    """Whether a YAML 1.1 reader would take the text, written plain, for something else (no,
    on, 12:30); ruamel.yaml quotes what YAML 1.2 would. Timestamps stay plain: our loader keeps
    them as text, and hand-written files write them so."""
    tag = _YAML_1_1.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag not in _KEPT_AS_TEXT


def _indent_of(path: PathTuple) -> int:
    """The column of the key or item at `path`: each level of nesting indents by two in the
    block style sheet_editing writes (keys of a nested mapping, the dash of an item, its keys)."""
    return 2 * (len(path) - 1)


def _node_at(document: Any, path: PathTuple) -> Any:
    node = document
    for step in path:
        node = node[step]
    return node


def render_event(
    event: Event,
    *,
    header: Sequence[str] = (),
    comments: Mapping[PathTuple, Sequence[str]] | None = None,
) -> str:
    """The text of a complete event file: schema line, `header` comment lines, then the data.

    `comments` maps a data path (e.g. ("sessions", 0, "registrations", 3)) to comment lines
    written just above that key or item.
    """
    document = _commented(event_to_data(event))
    for path, lines in (comments or {}).items():
        if not path:
            continue
        parent = _node_at(document, path[:-1])
        parent.yaml_set_comment_before_after_key(
            path[-1], before="\n".join(lines), indent=_indent_of(path)
        )
    start = [SCHEMA_LINE]
    if header:
        start += ["", *header]
    document.yaml_set_start_comment("\n".join(start) + "\n")
    out = io.StringIO()
    round_trip_yaml().dump(document, out)
    return out.getvalue()
