"""Removing personal data from the sign-up sheets of past events, keeping the counts.

After an event, the sheet has done its job. What stays:
- public entries keep their display name (published by choice), status, time and source;
  their note, affiliation, GitHub login, sealed e-mail and link-delivery time go;
- private entries become anonymous: `name: Participant N` (N is the place on the sheet),
  `visibility: private`, their status, and `source: purged` — nothing else;
- with names purged too, every entry becomes anonymous that way.
Entries are never removed, so confirmed and waitlisted counts, and the sign-up order, stay.

The file is edited in place with ruamel.yaml, entry by entry at the same position, so comments
and layout survive.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from signupsheet.core.model import Event, Registration, registration_to_data
from signupsheet.eventfiles.round_trip import round_trip_yaml

PURGED_SOURCE = "purged"

_AGE = re.compile(r"^\s*(?P<count>\d{1,5})\s*(?P<unit>[dwh]?)\s*$")
_UNITS = {"d": "days", "": "days", "w": "weeks", "h": "hours"}


def parse_age(text: str) -> timedelta:
    """`90d`, `12w`, `48h` or a number of days. Raises ValueError with an example."""
    match = _AGE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an age; write it like 90d, 12w or 48h")
    return timedelta(**{_UNITS[match.group("unit")]: int(match.group("count"))})


def anonymous_name(position: int) -> str:
    return f"Participant {position}"


@dataclass
class PurgeReport:
    """What purging one event removed, entry field by entry field."""

    event_id: str
    notes: int = 0
    affiliations: int = 0
    logins: int = 0
    link_times: int = 0
    anonymised: int = 0
    entries: int = 0
    changed_entries: list[tuple[int, int]] = field(default_factory=list)  # (session, entry)

    @property
    def changed(self) -> bool:
        return bool(self.changed_entries)

    def describe(self) -> str:
        if not self.changed:
            return "nothing personal left"
        parts = [
            f"{count} {label if count == 1 else plural}"
            for count, label, plural in (
                (self.anonymised, "entry made anonymous", "entries made anonymous"),
                (self.notes, "note", "notes"),
                (self.affiliations, "affiliation", "affiliations"),
                (self.logins, "login", "logins"),
                (self.link_times, "link delivery time", "link delivery times"),
            )
            if count
        ]
        return f"{', '.join(parts)} ({len(self.changed_entries)} of {self.entries} entries changed)"


def is_due(event: Event, now: datetime, older_than: timedelta) -> bool:
    """Whether every session of the event ended more than `older_than` before `now`."""
    return event.end <= now - older_than


def purge_entry(entry: Registration, position: int, *, names: bool) -> Registration:
    if names or not entry.public:
        return Registration(
            name=anonymous_name(position),
            visibility="private",
            status=entry.status,
            source=PURGED_SOURCE,
        )
    return replace(entry, note=None, affiliation=None, login=None, link_sent=None, contact=None)


def purge_event(event: Event, *, names: bool) -> tuple[Event, PurgeReport]:
    """The event with its sheets purged, and what was removed. `event` is left unchanged."""
    report = PurgeReport(event.id)
    sessions = []
    for session_index, session in enumerate(event.sessions):
        entries = []
        for position, entry in enumerate(session.registrations, start=1):
            report.entries += 1
            purged = purge_entry(entry, position, names=names)
            if purged != entry:
                report.changed_entries.append((session_index, position - 1))
                report.notes += entry.note is not None and purged.note is None
                report.affiliations += entry.affiliation is not None and purged.affiliation is None
                report.logins += entry.login is not None and purged.login is None
                report.link_times += entry.link_sent is not None and purged.link_sent is None
                report.anonymised += purged.source == PURGED_SOURCE and entry.name != purged.name
            entries.append(purged)
        sessions.append(replace(session, registrations=entries))
    return replace(event, sessions=sessions), report


def _match_node(node: Any, wanted: dict[str, Any]) -> None:
    # ruamel keeps the comment lines that follow an entry (often the next entry's comment) on the
    # entry's last key; when that key goes, the comment must move to the new last key.
    last = next(reversed(node), None)
    trailing = node.ca.items.pop(last, None) if last is not None else None
    for key in [key for key in node if key not in wanted]:
        del node[key]
    for index, (key, value) in enumerate(wanted.items()):
        if key not in node:
            node.insert(index, key, value)  # where the model's order puts it
        elif node[key] != value:
            node[key] = value
    if trailing is not None and len(node):
        node.ca.items[next(reversed(node))] = trailing


def render_purged(text: str, event: Event) -> str:
    """The file's text with each entry replaced, at its own position, by the purged entry.

    Matching by position (not by login or name, as registration edits do) is what lets an entry
    lose its login and name and still keep its place and the comments around it.
    """
    yaml = round_trip_yaml()
    document = yaml.load(text)
    nodes = document["sessions"]
    if len(nodes) != len(event.sessions):
        raise ValueError("the file's sessions do not match the event")
    for node, session in zip(nodes, event.sessions, strict=True):
        sheet = node.get("registrations") or []
        if len(sheet) != len(session.registrations):
            raise ValueError(f"the sheet of session {session.id!r} does not match the event")
        for entry_node, entry in zip(sheet, session.registrations, strict=True):
            _match_node(entry_node, registration_to_data(entry))
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()
