"""What an import reports: each line left out, read with an assumption, or completed by a guess."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# skipped: the line (or part of it) is not in the event. assumed: read as the organizer said
# (--tz) or as wiki pages always mean it. guessed: the page does not say it (a year, an end
# time, a time zone); the importer took it from elsewhere on the page, and --strict refuses it.
Kind = Literal["skipped", "assumed", "guessed"]


@dataclass(frozen=True, order=True)
class ImportNote:
    """One line of the page that was left out or read with an assumption, and why."""

    line: int
    message: str
    kind: Kind = "skipped"

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "page"
        return f"{where}: {self.message}"


@dataclass
class Notes:
    """The notes of one import, in the order they were made."""

    items: list[ImportNote] = field(default_factory=list)

    def add(self, line: int, message: str, kind: Kind = "skipped") -> None:
        self.items.append(ImportNote(line, message, kind))

    def extend(self, notes: list[ImportNote]) -> None:
        self.items.extend(notes)
