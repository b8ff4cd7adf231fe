"""Writing sign-up sheets back into an event file without disturbing the rest of it.

The rules work on the model; this module makes the file's `registrations` lists match the model
with ruamel.yaml, so comments, key order and layout elsewhere survive. Entries are matched by login
(case-insensitively) or, for login-less entries, by display name; existing entries are updated in
place, removed ones deleted and new ones appended. Files are replaced atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from signupsheet.core.model import Event, Registration, registration_to_data
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.eventfiles.round_trip import round_trip_yaml


def _identity(entry: Any) -> tuple[str, str]:
    login = entry.get("login")
    if login:
        return ("login", str(login).casefold())
    return ("name", str(entry.get("name", "")).casefold())


def _model_identity(entry: Registration) -> tuple[str, str]:
    if entry.login:
        return ("login", entry.login.casefold())
    return ("name", entry.name.casefold())


def _update(node: CommentedMap, wanted: dict[str, Any]) -> None:
    for key in [key for key in node if key not in wanted]:
        del node[key]
    for key, value in wanted.items():
        if node.get(key) != value:
            node[key] = value


def _last_key(node: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key printed last inside `node`: ruamel.yaml keeps the comment lines that
    follow a node (often the heading of the next session) on that key."""
    last: tuple[CommentedMap, Any] | None = None
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        if isinstance(node, CommentedMap):
            key = list(node)[-1]
            last = (node, key)
            node = node[key]
        else:
            node = node[-1]
            if not isinstance(node, CommentedMap):
                return None  # a list of scalars: its comments are not moved
    return last


def _take_following(node: Any) -> str:
    """Detach the comment lines after `node` (not the end-of-line comment of its last line)."""
    last = _last_key(node)
    if last is None:
        return ""
    mapping, key = last
    item = mapping.ca.items.get(key)
    token = None if item is None or len(item) < 3 else item[2]
    if token is None or "\n" not in token.value:
        return ""
    value: str = token.value
    own, _, following = value.partition("\n")
    token.value = own + "\n"
    return following


def _give_following(node: Any, following: str) -> None:
    """Put comment lines taken by `_take_following` back after `node`'s new last line."""
    last = _last_key(node)
    if not following or last is None:
        return
    mapping, key = last
    item = mapping.ca.items.setdefault(key, [None, None, None, None])
    if item[2] is None:
        item[2] = CommentToken("\n" + following, CommentMark(0), None)
    else:
        item[2].value = item[2].value.rstrip("\n") + "\n" + following


def _sync_sheet(session_node: CommentedMap, entries: list[Registration]) -> None:
    wanted = {_model_identity(entry): registration_to_data(entry) for entry in entries}
    sheet = session_node.get("registrations")
    if not entries and not isinstance(sheet, CommentedSeq):
        return  # nobody signed this session and its file says nothing: leave it so
    # Comments after the session describe what follows (the next session): they stay below
    # whatever this edit appends.
    following = _take_following(session_node)
    if not isinstance(sheet, CommentedSeq):
        sheet = CommentedSeq()
        session_node["registrations"] = sheet
    if entries:
        sheet.fa.set_block_style()  # `registrations: []` becomes a list people can extend
    for index in reversed(range(len(sheet))):
        if _identity(sheet[index]) not in wanted:
            del sheet[index]
    present = {_identity(node): node for node in sheet}
    for key, data in wanted.items():
        if key in present:
            _update(present[key], data)
        else:
            node = CommentedMap()
            _update(node, data)
            sheet.append(node)
    order = list(wanted)
    if [_identity(node) for node in sheet] != order:
        # The model reordered the sheet (rare): follow it, comments of moved items may shift.
        by_key = {_identity(node): node for node in sheet}
        sheet[:] = [by_key[key] for key in order]
    _give_following(session_node, following)


def render_sheets(text: str, event: Event) -> str:
    """The file's text with every session's sign-up sheet made to match `event`."""
    yaml = round_trip_yaml()
    document = yaml.load(text)
    sessions = {node.get("id"): node for node in document["sessions"]}
    for session in event.sessions:
        node = sessions.get(session.id)
        if node is None:
            raise KeyError(f"session {session.id!r} is not in the file")
        _sync_sheet(node, session.registrations)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def write_sheets(path: Path, event: Event) -> None:
    """Make the sign-up sheets in `path` match `event`, atomically."""
    text = path.read_text(encoding="utf-8")
    atomic_write(path, render_sheets(text, event))
