"""The participant list of an event, for organizers: every entry, private ones included.

The list leaves the repository only through the organizer's terminal; nothing is written to the
site. Cells are neutralised against spreadsheet formulas, since display names come from strangers.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from signupsheet.core.model import Event, Session, format_timestamp

COLUMNS = (
    "event",
    "session",
    "session_start",
    "position",
    "status",
    "name",
    "login",
    "affiliation",
    "visibility",
    "registered",
    "source",
    "note",
    "link_sent",
)

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def participant_rows(event: Event, sessions: Sequence[Session]) -> list[dict[str, str]]:
    """One row per entry, in sign-up order; `position` counts from 1 within each session."""
    rows: list[dict[str, str]] = []
    for session in sessions:
        for position, entry in enumerate(session.registrations, start=1):
            rows.append(
                {
                    "event": event.id,
                    "session": session.id,
                    "session_start": format_timestamp(session.start),
                    "position": str(position),
                    "status": entry.status,
                    "name": entry.name,
                    "login": entry.login or "",
                    "affiliation": entry.affiliation or "",
                    "visibility": entry.visibility,
                    "registered": format_timestamp(entry.registered) if entry.registered else "",
                    "source": entry.source or "",
                    "note": entry.note or "",
                    "link_sent": format_timestamp(entry.link_sent) if entry.link_sent else "",
                }
            )
    return rows


def spreadsheet_safe(value: str) -> str:
    """The value, with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_csv(rows: Sequence[dict[str, str]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
