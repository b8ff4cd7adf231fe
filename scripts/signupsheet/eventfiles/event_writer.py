"""Writing a whole event file from the model.

Used when an event file is created (an organizer's form, `new`, `import-wiki`); edits of existing
files go through `sheet_editing`, which keeps their comments. `dump_event` writes the plain data in
the style people write by hand; `render_event` adds comments attached to data paths, so they land
right above the value they explain. Both read back through the same loader as every other file
(`catalog.check_text`) to the same event.
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
from ruamel.yaml.scalarstring import LiteralScalarString

from signupsheet.core.model import Event, event_to_data
from signupsheet.core.schema_values import MAX_SLUG
from signupsheet.eventfiles.round_trip import round_trip_yaml
from signupsheet.eventfiles.schema import PathTuple
from signupsheet.eventfiles.untrusted_yaml import resolve_plain

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/event.schema.json"

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Dumper(yaml.SafeDumper):
    """Quotes every text that a YAML 1.1 or a YAML 1.2 reader would take for something else.

    Timestamps are the exception: our loader keeps them as text, so they are written unquoted,
    like `start: 2022-11-23T14:00:00Z` in hand-written files.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if kind is yaml.ScalarNode and implicit[0]:
            if tag == _TIMESTAMP:
                return _STR
            if tag == _STR:
                return resolve_plain(value)
        return tag

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists under a key are indented, as in the hand-written files.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (descriptions) as a literal block; the emitter falls back to quotes
    # when a block cannot hold the text exactly.
    style = "|" if "\n" in value else None
    if "\x85" in value:
        # PyYAML writes NEL raw in plain, quoted and block text, where readers fold it as a
        # line break; only double quotes escape it (\N).
        style = '"'
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_event(event: Event) -> str:
    """The event as the text of `events/<id>.yaml`, starting with the schema comment."""
    body = yaml.dump(
        event_to_data(event),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return f"{SCHEMA_COMMENT}\n\n{body}"


# -- with comments, for new and imported events ----------------------------------------------

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
                node[key] = LiteralScalarString(item.rstrip("\n") + "\n")
            else:
                node[key] = _commented(item)
        return node
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(_commented(item) for item in value)
        return seq
    return value


def _block_safe(text: str) -> bool:
    """Whether a literal block keeps the text exactly: no tabs or trailing spaces to lose."""
    return (len(text) > 80 or "\n" in text) and not any(
        line != line.rstrip() or "\t" in line for line in text.split("\n")
    )


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
