"""Writing a whole new event file: the schema line, the data, and comments for the reader.

Commands that create events (`new`, `import-wiki`) build the model, then hand it here; quoting is
left to ruamel.yaml so any display name or title comes out as valid YAML, and comments are attached
to data paths so they land right above the value they explain.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from signupsheet.eventedit import _yaml
from signupsheet.model import Event, event_to_data
from signupsheet.schema import PathTuple

MAX_ID = 80

SCHEMA_LINE = "yaml-language-server: $schema=../schema/event.schema.json"

# Long Markdown reads better as a block: one paragraph per line, blank lines between.
_BLOCK_KEYS = frozenset({"description", "summary"})


def slugify(text: str, limit: int = MAX_ID) -> str:
    """Lower-case letters, digits and dashes: "Let's Connect!" -> "lets-connect"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['\u2019`]", "", ascii_text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug.strip("-")


def event_id_for(start: datetime, title: str) -> str:
    prefix = start.astimezone(UTC).date().isoformat()
    slug = slugify(title, MAX_ID - len(prefix) - 1)
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
    block style eventedit writes (keys of a nested mapping, the dash of an item, its keys)."""
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
    _yaml().dump(document, out)
    return out.getvalue()
