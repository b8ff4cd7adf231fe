"""A new event from what an organizer knows: title, sessions in their own time zone, capacity.

Times are typed in the organizer's zone (e.g. Europe/Vienna) and stored in UTC; a time that does
not exist or happens twice on that day (clocks changing) is refused rather than shifted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from signupsheet.core.model import (
    Contact,
    Event,
    EventType,
    Location,
    Session,
    format_timestamp,
)
from signupsheet.core.time_text import span_text
from signupsheet.eventfiles.event_writer import event_id_for, render_event, session_ids
from signupsheet.eventfiles.schema import PathTuple

_LOCAL = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2})[T ]+(?P<time>\d{1,2}:\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<offset>Z|[+-]\d{2}:\d{2})?\s*$"
)
_CLOCK_ONLY = re.compile(r"^\s*(?P<time>\d{1,2}:\d{2})\s*$")


@dataclass
class NewEvent:
    """What `signupsheet new` asks for. `spans` are (start, end) in UTC."""

    title: str
    spans: list[tuple[datetime, datetime]]
    zone: tzinfo = UTC
    event_id: str | None = None
    series: str | None = None
    type: EventType | None = None
    capacity: int | None = None
    platform: str | None = None
    policy: str | None = None
    languages: list[str] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)  # GitHub logins
    contact: Contact | None = None
    # When the file is written: the feed dates the event by it (`created`).
    created: datetime | None = None

    @property
    def id(self) -> str:
        return self.event_id or event_id_for(min(start for start, _ in self.spans), self.title)


def local_moment(text: str, zone: tzinfo, *, day: date | None = None) -> datetime:
    """`2026-12-03 15:00` in `zone` (or with its own offset) as UTC; `15:00` alone on `day`.

    Raises ValueError with a message a person can act on.
    """
    match = _LOCAL.match(text)
    if match is None and day is not None:
        clock = _CLOCK_ONLY.match(text)
        if clock is not None:
            return local_moment(f"{day.isoformat()} {clock.group('time')}", zone)
    if match is None:
        raise ValueError(
            f"{text!r} is not a date and time; write it like 2026-12-03 15:00"
            + (" (or just 16:30 for the end)" if day is not None else "")
        )
    try:
        naive = datetime.fromisoformat(
            f"{match.group('date')}T{int(match.group('time').split(':')[0]):02d}:"
            f"{match.group('time').split(':')[1]}:{match.group('second') or '00'}"
        )
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date and time ({error})") from None
    if match.group("offset"):
        offset = match.group("offset").replace("Z", "+00:00")
        return datetime.fromisoformat(naive.isoformat() + offset).astimezone(UTC)
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    if early.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{text} does not exist in {zone} (the clocks go forward); pick another")
    if early.utcoffset() != late.utcoffset():
        raise ValueError(
            f"{text} happens twice in {zone} (the clocks go back); write the offset, e.g. "
            f"{naive:%Y-%m-%d %H:%M}{_offset_text(early)} or {_offset_text(late)}"
        )
    return early.astimezone(UTC)


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def session_span(start: str, end: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """A session typed as START END in `zone`; END may be a time on the start's day."""
    begin = local_moment(start, zone)
    written = _LOCAL.match(start)
    if written is not None and written.group("offset"):
        # An end written as a bare time shares the offset the start was written with.
        zone = datetime.fromisoformat("2000-01-01T00:00:00" + written.group("offset")).tzinfo or UTC
    local_day = begin.astimezone(zone).date()
    finish = local_moment(end, zone, day=local_day)
    if _CLOCK_ONLY.match(end) and finish <= begin:
        # 22:00 to 01:00: the end is on the next day.
        finish = local_moment(end, zone, day=local_day + timedelta(days=1))
    if finish <= begin:
        raise ValueError(f"the session ends ({end}) before it starts ({start})")
    if finish - begin > timedelta(days=14):
        raise ValueError(f"the session from {start} to {end} lasts over two weeks; check the dates")
    return begin, finish


def build_event(spec: NewEvent) -> Event:
    spans = sorted(spec.spans)
    ids = session_ids([start for start, _ in spans])
    return Event(
        id=spec.id,
        title=spec.title,
        series=spec.series,
        type=spec.type,
        languages=list(spec.languages),
        location=Location(mode="online", platform=spec.platform) if spec.platform else None,
        policy=spec.policy,
        organizers=list(spec.organizers),
        contact=spec.contact,
        created=None
        if spec.created is None
        else spec.created.astimezone(UTC).replace(microsecond=0),
        sessions=[
            Session(id=session_id, start=start, end=end, capacity=spec.capacity)
            for session_id, (start, end) in zip(ids, spans, strict=True)
        ],
    )


def render_new(spec: NewEvent) -> str:
    """The text of the new event file, with comments that say what to fill in next."""
    event = build_event(spec)
    comments: dict[PathTuple, Sequence[str]] = {
        ("title",): ["", "Shown on the event page, in lists and in calendars."],
        ("sessions",): [
            "",
            "Times are stored in UTC (Z). Each session has its own sign-up sheet; people",
            "register through the site, which adds their entry to `registrations`.",
        ],
    }
    for index, session in enumerate(event.sessions):
        # The session as the organizer typed it, in their zone.
        lines = [span_text(session.start, session.end, spec.zone)]
        if session.capacity is None:
            lines.append("No capacity: add `capacity: N` to limit the seats.")
        comments[("sessions", index)] = lines
    header = [
        "A new event. Still to add, as needed (see schema/event.schema.json):",
        "  summary:      one or two sentences for lists, feeds and calendars",
        "  description:  the full text, in Markdown",
        "  speakers:     - name: ..., affiliation: ...",
        "  organizers:   GitHub logins: shown on the page, may edit entries for others",
        "  contact:      link: where people ask the organizers (https://... or a docs/ page)",
        "  recording:    not-recorded, recorded or talks-only",
        "  registration: opens, closes, waitlist, link_lead_minutes",
        "Never put the meeting's join link or an e-mail address here: the link is sent",
        "privately from the SIGNUPSHEET_MEETING_LINKS secret.",
    ]
    return render_event(event, header=header, comments=comments)


def describe_spans(spans: Sequence[tuple[datetime, datetime]]) -> str:
    return ", ".join(f"{format_timestamp(a)} to {format_timestamp(b)}" for a, b in spans)
