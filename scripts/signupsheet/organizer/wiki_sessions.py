"""The sessions a wiki page announces, each with its UTC start and end.

Pages write them in several ways: one line naming one date and time, one line naming several
dates ("Wednesday 14th February 15hs UTC and Tuesday 27th February 17 UTC"), a heading per date
above its list, or a programme: a date alone on its line, then agenda items with their times.

What a line leaves out is taken from the rest of the page, never silently: a missing year from
another date on the page or from the signatures, a missing end from a stated length or from the
other sessions, a missing zone from the zone the page names elsewhere. Each such guess is a
"guessed" note on the line, which `--strict` refuses.
"""

# Wiki pages use typographic dashes: matching them is the point.
# ruff: noqa: RUF001, RUF002, RUF003
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from signupsheet.core.time_text import DAYS, date_text
from signupsheet.organizer.wiki_notes import ImportNote, Notes
from signupsheet.organizer.wiki_text import USER_MARK, Line
from signupsheet.organizer.wiki_times import (
    SESSION_TIME,
    SIGNATURE_TIME,
    WEEKDAYS,
    ZONE,
    DayOnPage,
    clock_span,
    duration_in,
    is_session_time,
    session_dates,
    signature_time,
    zone_offset,
)

DEFAULT_LENGTH = timedelta(hours=1)

Announced = Literal["new", "again", "widened"]

_DATE_LABEL = re.compile(r"^\W*(?:dates?|when|time|datum|termin)\b\s*:?", re.IGNORECASE)
_ZONE_STATEMENT = re.compile(
    r"\b(?:(?:all\s+)?times?\s+(?:are\s+)?(?:given\s+)?in|time\s*zone\s*:?)\s*\(?(?P<zone>"
    + ZONE
    + r")\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d:.,])(?P<year>20\d{2})(?![\d:])")
# What may stand between one time and the same time in another zone.
_BESIDE = re.compile(r"\s*[/|(,;]?\s*(?:or\s+)?")
_WEEKDAY_WORD = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?", re.IGNORECASE)


@dataclass(eq=False)  # one session, however many lines name it: compared by identity
class SessionDraft:
    start: datetime
    end: datetime
    title: str | None
    line: int
    # What was guessed for it, by topic ("year", "zone", "end"): a later line that states it
    # takes the guess back.
    guesses: dict[str, ImportNote] = field(default_factory=dict)


@dataclass
class _Time:
    """A time written on a line: its span in UTC and what it left out."""

    start: datetime
    end: datetime
    guesses: dict[str, ImportNote]


@dataclass
class Clues:
    """What the whole page says that one session line may leave out."""

    first_signature: tuple[datetime, int] | None = None
    dated: list[tuple[int, int]] = field(default_factory=list)  # (year, line) of full dates
    years: list[tuple[int, int]] = field(default_factory=list)  # (year, line) anywhere
    zone: tuple[str, int] | None = None
    length: tuple[timedelta, str, int] | None = None  # a stated length: value, words, line
    lengths: list[tuple[timedelta, int]] = field(default_factory=list)  # sessions' own lengths


def gather_clues(lines: list[Line]) -> Clues:
    clues = Clues()
    zones: Counter[str] = Counter()
    zone_lines: dict[str, int] = {}
    for line in lines:
        text = line.text.replace(USER_MARK, "")
        stamps = list(SIGNATURE_TIME.finditer(text))
        for stamp in stamps:
            moment, _, _ = signature_time(stamp, UTC)
            first = clues.first_signature
            if moment is not None and (first is None or moment < first[0]):
                clues.first_signature = (moment, line.number)
        if stamps:
            continue  # a signature's date and zone say when someone signed, not the session
        statement = _ZONE_STATEMENT.search(text)
        if statement and clues.zone is None:
            clues.zone = (statement.group("zone"), line.number)
        clues.years += [(int(m.group("year")), line.number) for m in _YEAR.finditer(text)]
        dates = session_dates(text)
        clues.dated += [(day.year, line.number) for _, day in dates if day.year is not None]
        for match in SESSION_TIME.finditer(text):
            if not is_session_time(match):
                continue
            if match.group("zone"):
                label = _zone_label(match.group("zone"))
                zones[label] += 1
                zone_lines.setdefault(label, line.number)
            span = clock_span(match)
            if dates and span is not None and span[1] is not None:
                minutes = (_minutes(span[1]) - _minutes(span[0])) % (24 * 60)
                clues.lengths.append((timedelta(minutes=minutes), line.number))
        if clues.length is None and (length := duration_in(text)):
            clues.length = (length[0], length[1], line.number)
    if clues.zone is None and zones:
        # The zone most times are written in; UTC first among equals, as the wiki's own.
        label = max(zones, key=lambda z: (zones[z], z == "UTC"))
        clues.zone = (label, zone_lines[label])
    return clues


def _zone_label(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


class SessionFinder:
    """Reads the lines of a page in order and keeps the sessions they announce."""

    def __init__(
        self, lines: list[Line], notes: Notes, default_zone: tzinfo, zone_given: bool
    ) -> None:
        self.lines = lines
        self.notes = notes
        self.default_zone = default_zone
        self.zone_given = zone_given
        self.clues = gather_clues(lines)
        self.drafts: list[SessionDraft] = []
        self._by_start: dict[datetime, SessionDraft] = {}
        # A programme: the day a date alone on its line opened, and that day's session.
        self._day: tuple[date, int, str | None, ImportNote | None] | None = None
        self._day_session: SessionDraft | None = None
        self._previous: dict[int, Line] = {}
        last: Line | None = None
        for line in lines:
            if last is not None:
                self._previous[line.number] = last
            if line.text:
                last = line

    def end_programme(self) -> None:
        """A sign-up list or a new section ends the agenda of the day above it."""
        self._day = None
        self._day_session = None

    def read(self, line: Line) -> list[tuple[SessionDraft, Announced]]:
        """The sessions a line announces, each with whether it is new, named again, or widened
        by an agenda item."""
        text = line.text.replace(USER_MARK, "")
        dates = session_dates(text)
        if not dates:
            if line.heading or line.titled:
                self.end_programme()
            return self._agenda_item(line, text)
        announced: list[tuple[SessionDraft, Announced]] = []
        timed = False
        for index, (match, day_on_page) in enumerate(dates):
            stop = dates[index + 1][0].start() if index + 1 < len(dates) else len(text)
            times = [
                m for m in SESSION_TIME.finditer(text, match.end(), stop) if is_session_time(m)
            ]
            if not times:
                continue
            timed = True
            resolved = self._resolvedate_text(day_on_page, line.number)
            if resolved is None:
                continue
            found = self._time_on(resolved[0], times, line.number)
            if found is None:
                continue
            if resolved[1] is not None:
                found.guesses["year"] = resolved[1]
            label = _session_label(text[: match.start()]) if index == 0 else None
            if label is None and index == 0:
                label = self._section_title(line)
            announced.append(self._keep(found, label, line.number))
        if not timed:
            self._opendate_text(line, text, dates)
        else:
            self.end_programme()
        return announced

    # A programme ----------------------------------------------------------------------------

    def _opendate_text(
        self, line: Line, text: str, dates: list[tuple[re.Match[str], DayOnPage]]
    ) -> None:
        """A date alone on its line ("Day 1 – Saturday, 9 November 2024") opens an agenda."""
        self.end_programme()
        if len(dates) != 1 or SIGNATURE_TIME.search(text):
            return
        match, day_on_page = dates[0]
        rest = _WEEKDAY_WORD.sub("", text[: match.start()] + text[match.end() :]).strip()
        if not (line.heading or line.titled or _DATE_LABEL.match(text)) and (
            len(rest.split()) > 4 or rest.endswith(".")
        ):
            return  # a sentence with a date in it, not the heading of a day
        resolved = self._resolvedate_text(day_on_page, line.number)
        if resolved is not None:
            label = _session_label(text[: match.start()]) or self._section_title(line)
            self._day = (resolved[0], line.number, label, resolved[1])

    def _agenda_item(self, line: Line, text: str) -> list[tuple[SessionDraft, Announced]]:
        if self._day is None:
            return []
        times = [
            m
            for m in SESSION_TIME.finditer(text)
            if is_session_time(m) and (m.group("h2") or m.group("zone"))
        ]
        if not times:
            return []
        day, date_line, label, year_guess = self._day
        found = self._time_on(day, times, line.number)
        if found is None:
            return []
        if year_guess is not None:
            found.guesses["year"] = year_guess
        session = self._day_session
        if session is None:
            self._day_session = session = SessionDraft(
                found.start, found.end, label, date_line, found.guesses
            )
            self._by_start.setdefault(found.start, session)
            self.drafts.append(session)
            return [(session, "new")]
        # Each agenda item widens the day's session to cover it.
        session.start = min(session.start, found.start)
        if found.end > session.end:
            session.end = found.end
            session.guesses.pop("end", None)
            if "end" in found.guesses:
                session.guesses["end"] = found.guesses["end"]
        for topic, note in found.guesses.items():
            if topic != "end":
                session.guesses.setdefault(topic, note)
        return [(session, "widened")]

    # One session ----------------------------------------------------------------------------

    def _keep(self, found: _Time, label: str | None, number: int) -> tuple[SessionDraft, Announced]:
        existing = self._by_start.get(found.start)
        if existing is None:
            draft = SessionDraft(found.start, found.end, label, number, found.guesses)
            self._by_start[found.start] = draft
            self.drafts.append(draft)
            return draft, "new"
        if existing.title is None:
            existing.title = label  # a summary line came first, the session's own later
        # A later line that states what an earlier one left out takes the guess back.
        for topic in list(existing.guesses):
            if topic not in found.guesses:
                del existing.guesses[topic]
                if topic == "end":
                    existing.end = found.end
        return existing, "again"

    def _section_title(self, line: Line) -> str | None:
        """The heading right above a session line, e.g. "First meeting" above "Date: …"."""
        above = self._previous.get(line.number)
        if above is None or not (above.heading or above.titled) or session_dates(above.text):
            return None
        return above.text.replace(USER_MARK, "").strip() or None

    def _resolvedate_text(
        self, written: DayOnPage, number: int
    ) -> tuple[date, ImportNote | None] | None:
        """The date a line means, and the note saying how its year was guessed, if it was."""
        guess: ImportNote | None = None
        if written.year is not None:
            day = written.on(written.year)
            if day is None:
                self.notes.add(
                    number, f"{written.text!r} is not a real date; no session made from it"
                )
                return None
        else:
            found = self._year_for(written, number)
            if found is None:
                return None
            day, guess = found
        if written.weekday is not None and day.weekday() != written.weekday:
            self.notes.add(
                number,
                f"the page says {WEEKDAYS[written.weekday].title()}, but "
                f"{date_text(day)} is a {DAYS[day.weekday()]}; the date is kept, check it",
                "guessed" if guess else "assumed",
            )
        return day, guess

    def _year_for(self, written: DayOnPage, number: int) -> tuple[date, ImportNote] | None:
        """The year of a date written without one, from the rest of the page."""
        clues = self.clues
        shown = f"no year in {written.text!r}"
        if clues.dated:
            year, line = min(clues.dated, key=lambda found: abs(found[1] - number))
            source = f"the date on line {line}"
            candidates = [year]
        elif clues.first_signature is not None:
            signed, line = clues.first_signature
            source = f"the signatures (the first, on line {line}, is of {date_text(signed)})"
            # Sign-ups come before the event: the first such date from a month before the
            # first signature; the weekday, when written, chooses between two years.
            candidates = [
                year
                for year in (signed.year, signed.year + 1)
                if (day := written.on(year)) is not None
                and day >= signed.date() - timedelta(days=31)
            ]
        elif clues.years:
            year, line = clues.years[0]
            source = f"line {line}"
            candidates = [year]
        else:
            self.notes.add(
                number,
                f"{shown}, and the page has no other date, signature or year to take it "
                "from; no session made. Write the year beside the date",
            )
            return None
        matching = [
            year
            for year in candidates
            if (day := written.on(year)) is not None
            and (written.weekday is None or day.weekday() == written.weekday)
        ]
        chosen = matching or candidates
        day = written.on(chosen[0]) if chosen else None
        if day is None:
            self.notes.add(number, f"{shown} and no year makes it a real date; no session made")
            return None
        note = ImportNote(number, f"{shown}; {day.year} taken from {source}", "guessed")
        return day, note

    def _time_on(self, day: date, times: list[re.Match[str]], number: int) -> _Time | None:
        """The span of the first time written for a day; a second one right beside it (the
        same time in another zone, "12.00–14.00 UTC / 13.00–15.00 CET") must agree."""
        guesses: dict[str, ImportNote] = {}
        first = self._span(day, times[0], number, guesses)
        if first is None:
            return None
        start, end, zone_text = first
        if len(times) > 1 and times[0].group("zone") and times[1].group("zone"):
            gap = times[0].string[times[0].end() : times[1].start()]
            other = self._span(day, times[1], number, {}) if _BESIDE.fullmatch(gap) else None
            if other is not None:
                if _zone_label(other[2]) in ("UTC", "GMT"):
                    # The UTC reading is the one to keep; the first is checked against it.
                    (start, end, zone_text), other = other, (start, end, zone_text)
                if other[0] != start or (end and other[1] and other[1] != end):
                    guesses["zones"] = ImportNote(
                        number,
                        f"the times in {zone_text} and {other[2]} on this line are not the "
                        f"same moment; the {zone_text} one is kept",
                        "guessed",
                    )
                end = end or other[1]
        if end is None:
            end, guesses["end"] = self._end_for(day, start, number)
        return _Time(start, end, guesses)

    def _span(
        self, day: date, match: re.Match[str], number: int, guesses: dict[str, ImportNote]
    ) -> tuple[datetime, datetime | None, str] | None:
        span = clock_span(match)
        if span is None:
            self.notes.add(
                number, f"{match.group(0).strip()!r} is not a time of day; no session made"
            )
            return None
        zone_text = (match.group("zone") or "").strip()
        offset, problem = zone_offset(match.group("zone"))
        zone: tzinfo
        if offset is None:
            zone, guesses["zone"] = self._zone_for(day, problem or "no time zone", number)
            zone_text = str(zone)
        else:
            zone = timezone(offset)
        start = datetime.combine(day, span[0], zone).astimezone(UTC)
        if span[1] is None:
            return start, None, zone_text
        end = datetime.combine(day, span[1], zone).astimezone(UTC)
        if end <= start:
            end += timedelta(days=1)  # e.g. 23:00–01:00
        return start, end, zone_text

    def _zone_for(self, day: date, problem: str, number: int) -> tuple[tzinfo, ImportNote]:
        problem = f"{problem} for the session on {date_text(day)}"
        said = self.clues.zone
        if not self.zone_given and said is not None:
            offset, _ = zone_offset(said[0])
            if offset is not None:
                return timezone(offset), ImportNote(
                    number,
                    f"{problem}; {said[0]} taken from line {said[1]}",
                    "guessed",
                )
        message = f"{problem}; times taken as {self.default_zone}"
        # The organizer's --tz is their word, not a guess.
        return self.default_zone, ImportNote(
            number, message, "assumed" if self.zone_given else "guessed"
        )

    def _end_for(self, day: date, start: datetime, number: int) -> tuple[datetime, ImportNote]:
        clues = self.clues
        prefix = f"no end time for the session on {date_text(day)}"
        if clues.length is not None:
            length, words, line = clues.length
            message = f"{prefix}; it lasts {words!r}, as line {line} says"
        elif clues.lengths and len({length for length, _ in clues.lengths}) == 1:
            length, line = clues.lengths[0]
            hours, minutes = divmod(int(length.total_seconds()) // 60, 60)
            message = f"{prefix}; it lasts {hours}:{minutes:02d} like the session on line {line}"
        else:
            length = DEFAULT_LENGTH
            message = f"{prefix}; it is set to one hour"
        return start + length, ImportNote(number, message, "guessed")


def _session_label(text: str) -> str | None:
    label = _DATE_LABEL.sub("", text)
    label = _WEEKDAY_WORD.sub("", label)
    label = re.sub(r"\b(?:on|the)\s*$", "", label.strip(), flags=re.IGNORECASE)
    label = label.strip(" ,:;–—-()")
    return label or None
