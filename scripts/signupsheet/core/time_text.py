"""Times as people read them, in English, the same on every machine.

Every page, bot reply, link mail, form list, feed entry and issue title that shows a session's
time formats it here. The names of days and months come from the tables below: strftime's `%a`,
`%A`, `%b` and `%B` follow the locale of the machine that runs the code, so a build or a bot run
on a German machine would write "Donnerstag" into an English page. Stored times (event files,
JSON, the command's lists) are RFC 3339 from `format_timestamp` instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Literal

# The site's script reads the same three names from `<time data-ss>` and formats the reader's
# local time to match.
TimeStyle = Literal["full", "date", "end"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_text(day: date) -> str:
    """`3 December 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _day(moment: datetime) -> str:
    return f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def time_text(moment: datetime, style: TimeStyle = "full", zone: tzinfo = UTC) -> str:
    """`Thursday, 3 December 2026, 14:00 UTC` (full), `3 Dec 2026, 14:00 UTC` (date) or
    `14:00 UTC` (end: the end of a span whose start names the day).

    `zone` is for organizers who typed the times in their own zone; everything published is UTC.
    """
    local = moment.astimezone(zone)
    clock = f"{_clock(local)} {zone}"
    if style == "end":
        return clock
    if style == "date":
        return f"{local.day} {MONTHS[local.month - 1][:3]} {local.year}, {clock}"
    return f"{_day(local)}, {clock}"


def span_text(start: datetime, end: datetime, zone: tzinfo = UTC) -> str:
    """`Thursday, 3 December 2026, 14:00 to 15:30 UTC`; an end on another day names its day."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    if first.date() == last.date():
        return f"{_day(first)}, {_clock(first)} to {time_text(last, 'end', zone)}"
    return f"{time_text(first, 'full', zone)} to {time_text(last, 'full', zone)}"
