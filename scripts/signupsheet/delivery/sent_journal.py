"""A local note of links already sent, kept until they are recorded in the event files.

Rewriting an event file after every message is slow for large sheets, and committing after every
message slower still. So each accepted message is appended to this journal at once (one line, one
`write` on a file opened for appending: it survives the process being killed the moment after),
and the run records `link_sent` in the event files once at the end. The next run starts by
replaying whatever an interrupted run left here. The journal holds event ids, session ids and
logins — no address, no link — and lives in `.signupsheet/`, which git ignores.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from signupsheet.core.links_due import EntryKey
from signupsheet.core.model import format_timestamp, parse_timestamp
from signupsheet.eventfiles.atomic_write import atomic_write

JOURNAL = Path(".signupsheet") / "sent.jsonl"


def _journal_line(key: EntryKey, when: datetime) -> str:
    return json.dumps(
        {
            "event": key.event,
            "session": key.session,
            "login": key.login,
            "sent": format_timestamp(when),
        },
        ensure_ascii=False,
    )


class SentJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._descriptor: int | None = None

    @classmethod
    def in_project(cls, root: Path) -> SentJournal:
        return cls(root / JOURNAL)

    def read(self) -> dict[EntryKey, datetime]:
        """What earlier, unfinished runs sent; a line torn by a kill mid-write is skipped."""
        marks: dict[EntryKey, datetime] = {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return marks
        for line in text.splitlines():
            try:
                item = json.loads(line)
                key = EntryKey(str(item["event"]), str(item["session"]), str(item["login"]))
                when = parse_timestamp(str(item["sent"]))
            except (ValueError, KeyError, TypeError):
                continue
            marks.setdefault(key, when)
        return marks

    def record(self, key: EntryKey, when: datetime) -> None:
        if self._descriptor is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        line = _journal_line(key, when)
        os.write(self._descriptor, (line + "\n").encode("utf-8"))

    def close(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def replace(self, remaining: dict[EntryKey, datetime]) -> None:
        """Keep only `remaining`: call once the other marks are safely in the event files."""
        self.close()
        if not remaining:
            self.path.unlink(missing_ok=True)
            return
        lines = [_journal_line(key, when) for key, when in sorted(remaining.items())]
        atomic_write(self.path, "\n".join(lines) + "\n")
