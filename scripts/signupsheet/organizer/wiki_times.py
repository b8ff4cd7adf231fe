"""Dates, times of day, time zones and signature timestamps as wiki pages write them.

Pure parsing: nothing here decides what a page meant, or reports; `wiki_sessions` does that.
"""

# Wiki pages use typographic dashes and minus signs: matching them is the point.
# ruff: noqa: RUF001, RUF003
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Abbreviations that name one offset only; anything else is reported rather than guessed.
ZONE_ABBREVIATIONS = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "cet": 60,
    "cest": 120,
    "mez": 60,
    "mesz": 120,
    "wet": 0,
    "west": 60,
    "eet": 120,
    "eest": 180,
    "pst": -480,
    "pdt": -420,
    "mst": -420,
    "mdt": -360,
    "edt": -240,
    "est": -300,
    "cdt": -300,
}

_OFFSET = r"(?:UTC|GMT)\s*(?P<sign>[+\-−–])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
ZONE = r"(?:UTC|GMT)(?:\s*[+\-−–]\s*\d{1,2}(?::?\d{2})?)?|(?-i:[A-Z]{2,4}T|CET|MEZ|MESZ)"

# A wiki signature's timestamp: 13:45, 16 November 2022 (UTC), or the US form.
SIGNATURE_TIME = re.compile(
    r"(?<![\d:])(?P<hour>\d{1,2}):(?P<minute>\d{2}),?\s+"
    r"(?:(?P<day>\d{1,2})\s+" + _MONTH + r"|" + _MONTH.replace("month", "month2") + r"\s+"
    r"(?P<day2>\d{1,2}),?)\s+(?P<year>\d{4})"
    r"(?:\s*\((?P<zone>[^()]{1,20})\))?",
    re.IGNORECASE,
)

_ORDINAL = r"(?:st|nd|rd|th)?"
# A session's date: Wednesday, 23 November 2022 / 14th February / November 23, 2022 /
# 2022-11-23. The year may be missing: the page or its signatures then tell it.
SESSION_DATE = re.compile(
    r"(?<![\d:])(?:(?P<day>\d{1,2})"
    + _ORDINAL
    + r"(?P<dot>\.)?\s+"
    + _MONTH
    + r"(?:,?\s+(?P<year>\d{4}))?"
    r"|"
    + _MONTH.replace("month", "month2")
    + r"\s+(?P<day2>\d{1,2})"
    + _ORDINAL
    + r"(?![\d:.])(?:,?\s+(?P<year2>\d{4}))?"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))(?![\d])",
    re.IGNORECASE,
)
# 14:00, 14.00, 14h30, 15hs, 2 pm.
_CLOCK = (
    r"(?P<{h}>\d{{1,2}})(?:(?:[:.]|h)(?P<{m}>\d{{2}}))?(?:\s?(?:hs|hrs|h)\b)?"
    r"\s*(?P<{p}>[ap]\.?m\.?)?"
)
SESSION_TIME = re.compile(
    r"(?<![\d:.])"
    + _CLOCK.format(h="h1", m="m1", p="p1")
    + r"(?:\s*(?:–|—|-|to|until)\s*"
    + _CLOCK.format(h="h2", m="m2", p="p2")
    + r")?"
    + r"(?![\d])(?:\s*\(?\s*(?P<zone>"
    + ZONE
    + r")\b\)?)?",
    re.IGNORECASE,
)
_WEEKDAY_BEFORE = re.compile(
    r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
    r"\.?,?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "half an": 0.5}
DURATION = re.compile(
    r"(?<![\w.,])(?P<amount>\d{1,3}(?:[.,]\d{1,2})?|an?|one|two|three|four|half an)"
    r"[\s-]*(?P<unit>hours?|hrs?|minutes?|mins?)\b",
    re.IGNORECASE,
)
# A length is the session's only when the sentence says so ("lasts 90 minutes", "(2 hours)",
# "a two-hour training"), not "we send the link 1 hour before".
_DURATION_BEFORE = re.compile(
    r"(?:\blasts?|\blasting|\bduration|\blength|\btakes?|\bfor|\bof|\bis|\()\W{0,3}$",
    re.IGNORECASE,
)
_DURATION_AFTER = re.compile(
    r"^\W{0,3}(?:\)|long\b|sessions?\b|trainings?\b|meetings?\b|calls?\b|workshops?\b"
    r"|each\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DayOnPage:
    """A date as written: the year may be missing, the weekday may be given to check it."""

    day: int
    month: int
    year: int | None
    weekday: int | None  # 0 = Monday
    text: str

    def on(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def zone_offset(text: str | None) -> tuple[timedelta | None, str | None]:
    """The offset a zone label stands for, or None and a reason when it is not understood."""
    if text is None:
        return None, "no time zone"
    label = text.strip()
    match = re.fullmatch(_OFFSET, label, re.IGNORECASE)
    if match:
        hours = int(match.group("oh"))
        minutes = int(match.group("om") or 0)
        if hours > 14 or minutes >= 60:
            return None, f"{label!r} is not a real offset"
        delta = timedelta(hours=hours, minutes=minutes)
        return (-delta if match.group("sign") != "+" else delta), None
    known = ZONE_ABBREVIATIONS.get(label.lower())
    if known is None:
        return None, f"the time zone {label!r} is not one offset"
    return timedelta(minutes=known), None


def _month(match: re.Match[str]) -> int:
    name = (match.group("month") or match.group("month2")).lower()
    return MONTHS[name]


def signature_time(
    match: re.Match[str], default_zone: tzinfo
) -> tuple[datetime | None, str | None, bool]:
    """The moment of a signature timestamp; a problem; whether the zone was assumed."""
    day = int(match.group("day") or match.group("day2"))
    try:
        local = datetime(
            int(match.group("year")),
            _month(match),
            day,
            int(match.group("hour")),
            int(match.group("minute")),
        )
    except ValueError:
        return None, f"{match.group(0).strip()!r} is not a real date and time", False
    zone = match.group("zone")
    if zone is None:
        return local.replace(tzinfo=default_zone).astimezone(UTC), None, True
    offset, problem = zone_offset(zone)
    if offset is None:
        return None, problem, False
    return local.replace(tzinfo=timezone(offset)).astimezone(UTC), None, False


def session_dates(text: str) -> list[tuple[re.Match[str], DayOnPage]]:
    """The dates written in a line, with the weekday written before each, if any."""
    found: list[tuple[re.Match[str], DayOnPage]] = []
    for match in SESSION_DATE.finditer(text):
        if match.group("iy"):
            day = DayOnPage(
                int(match.group("id")),
                int(match.group("im")),
                int(match.group("iy")),
                None,
                match.group(0),
            )
        else:
            year = match.group("year") or match.group("year2")
            month_word = match.group("month") or match.group("month2")
            # Without a year, "may" or "march" in lower case is a verb, and "1. May" a list
            # number; a date then needs the capital and no dot.
            if year is None and (not month_word[0].isupper() or match.group("dot")):
                continue
            weekday = _WEEKDAY_BEFORE.search(text, 0, match.start())
            day = DayOnPage(
                int(match.group("day") or match.group("day2")),
                _month(match),
                int(year) if year else None,
                _weekday(weekday.group("weekday")) if weekday else None,
                match.group(0).strip(),
            )
        found.append((match, day))
    return found


def _weekday(word: str) -> int:
    prefix = word.lower()[:3]
    return next(index for index, name in enumerate(WEEKDAYS) if name.startswith(prefix))


def clock(hour: str, minute: str | None, half: str | None) -> time | None:
    value = int(hour)
    if half:
        if not 1 <= value <= 12:
            return None
        value = value % 12 + (12 if half.lower().startswith("p") else 0)
    if value > 23 or int(minute or 0) > 59:
        return None
    return time(value, int(minute or 0))


def clock_span(match: re.Match[str]) -> tuple[time, time | None] | None:
    """The start and end (if written) of a time match, or None when one is no time of day."""
    p1, p2 = match.group("p1"), match.group("p2")
    if p1 is None and p2 is not None:
        # "2–3 pm": the start shares the end's half of the day unless that puts it after.
        p1 = p2
        if int(match.group("h1")) % 12 > int(match.group("h2")) % 12:
            p1 = "am" if p2.lower().startswith("p") else "pm"
    begin = clock(match.group("h1"), match.group("m1"), p1)
    finish = clock(match.group("h2"), match.group("m2"), p2) if match.group("h2") else None
    if begin is None or (match.group("h2") and finish is None):
        return None
    return begin, finish


def is_session_time(match: re.Match[str]) -> bool:
    """Whether a number is clearly a time of day: a bare "15" is not, "15 UTC" or "15:00" is."""
    return bool(match.group("h2") or match.group("zone") or match.group("m1") or match.group("p1"))


def duration_in(text: str) -> tuple[timedelta, str] | None:
    """The length of a session as a line states it, and the words that state it."""
    for match in DURATION.finditer(text):
        if not (
            _DURATION_BEFORE.search(text, 0, match.start())
            or _DURATION_AFTER.match(text[match.end() :])
        ):
            continue
        amount_text = match.group("amount").lower()
        amount = _WORD_NUMBERS.get(amount_text)
        value = float(amount_text.replace(",", ".")) if amount is None else float(amount)
        minutes = value * (60 if match.group("unit").lower().startswith("h") else 1)
        if 15 <= minutes <= 12 * 60:
            return timedelta(minutes=round(minutes)), match.group(0)
    return None
