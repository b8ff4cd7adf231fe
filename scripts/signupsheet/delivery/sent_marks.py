"""Recording `link_sent` in an event file: a quick, checked insertion, or the general editor.

A delivery run marks hundreds of entries at once, and the round-trip editor (`sheet_editing`) takes
seconds on a sheet of a thousand. Adding `link_sent: <time>` as the last line of each marked entry
touches nothing else, so it is done on the text, at positions found with the C YAML composer. The
result is then read back and compared with the model; whenever the file's layout is unusual
(flow mappings, block scalars, CRLF line ends) or the comparison fails, `sheet_editing.write_sheets`
does the job instead.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from signupsheet.core.links_due import EntryKey, apply_marks
from signupsheet.core.model import Event, format_timestamp, registration_to_data
from signupsheet.core.project import Project
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.eventfiles.catalog import check_text
from signupsheet.eventfiles.sheet_editing import write_sheets


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found: yaml.Node = value_node
            return found
    return None


def insert_marks(text: str, event_id: str, marks: dict[EntryKey, datetime]) -> str | None:
    """`text` with a `link_sent` line added to each entry `marks` names that has none yet.

    None when the layout is one this quick path does not handle.
    """
    if "\r" in text:
        return None
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    sessions = _child(root, "sessions")
    if not isinstance(sessions, yaml.SequenceNode):
        return None
    inserts: list[tuple[int, str]] = []
    for session in sessions.value:
        if not isinstance(session, yaml.MappingNode):
            return None
        session_id = _child(session, "id")
        sheet = _child(session, "registrations")
        if sheet is None:
            continue
        if not isinstance(session_id, yaml.ScalarNode) or not isinstance(sheet, yaml.SequenceNode):
            return None
        for item in sheet.value:
            if not isinstance(item, yaml.MappingNode) or item.flow_style or not item.value:
                return None
            login = _child(item, "login")
            if not isinstance(login, yaml.ScalarNode) or _child(item, "link_sent") is not None:
                continue
            when = marks.get(EntryKey(event_id, str(session_id.value), login.value.casefold()))
            if when is None:
                continue
            last = item.value[-1][1]
            if not isinstance(last, yaml.ScalarNode) or last.style in ("|", ">"):
                return None
            end = text.find("\n", last.end_mark.index)
            offset = len(text) if end < 0 else end
            indent = " " * item.value[0][0].start_mark.column
            inserts.append((offset, f"\n{indent}link_sent: {format_timestamp(when)}"))
    new = text
    for offset, line in sorted(inserts, reverse=True):
        new = new[:offset] + line + new[offset:]
    return new


def _sheets(event: Event) -> list[list[dict[str, object]]]:
    return [
        [registration_to_data(entry) for entry in session.registrations]
        for session in event.sessions
    ]


def record_in_file(
    path: Path, project: Project, event: Event, marks: dict[EntryKey, datetime]
) -> int:
    """Mark `event` (freshly loaded from `path`) and write the file; returns how many changed."""
    text = path.read_text(encoding="utf-8")
    changed = apply_marks(event, marks)
    if not changed:
        return 0
    new = insert_marks(text, event.id, marks)
    if new is not None:
        check = check_text(new.encode("utf-8"), path, project)
        if check.event is not None and _sheets(check.event) == _sheets(event):
            atomic_write(path, new)
            return changed
    write_sheets(path, event)
    return changed
