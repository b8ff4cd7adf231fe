"""Writing a whole event file from the model, in the style people write by hand.

Used when an event file is created (an organizer's form, an import); edits of existing files go
through `eventedit`, which keeps their comments. The text written here reads back through the
same loader as every other file (`catalog.check_text`) to the same event.
"""

from __future__ import annotations

from typing import Any

import yaml

from signupsheet.model import Event, event_to_data
from signupsheet.yamlsafe import resolve_plain

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
