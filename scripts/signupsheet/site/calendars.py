"""iCalendar files: one per event, and one for subscribing to every upcoming and recent session.

Built with the icalendar library. A session's UID stays the same across rebuilds (event id and
session id, `calendar_uid`) and is the one the mailed invitations carry, so calendar apps update an
entry instead of adding it twice. The meeting link is never in a calendar: it is sent by e-mail to
the people on the sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar

from signupsheet.core.model import Event, Session, calendar_uid, last_revision
from signupsheet.site.links import session_label
from signupsheet.site.pages import MODES, event_page_path
from signupsheet.site.urls import PublishedSite

PRODID = "-//signupsheet//event calendar//EN"


def event_page_url(event: Event, site: PublishedSite) -> str:
    return site.page(event_page_path(event.id))


def _description(event: Event, page: str) -> str:
    parts = []
    if event.summary:
        parts.append(" ".join(event.summary.split()))
    parts.append(f"Event page and sign-up sheet: {page}")
    parts.append(
        "The meeting link is sent by e-mail to everyone who registered, shortly before the start."
    )
    return "\n\n".join(parts)


def _location(event: Event) -> str | None:
    if event.location is None:
        return None
    parts = [MODES[event.location.mode]]
    parts += [
        value
        for value in (event.location.platform, event.location.venue, event.location.address)
        if value
    ]
    return ", ".join(parts)


def revised(event: Event) -> datetime:
    """The event's DTSTAMP: when its information was last revised (RFC 5545 §3.8.7.2).

    The newest time its file records (`created`, a sign-up, a `link_sent` mark), so two builds
    of the same files give the same calendar, unlike the build time, which told clients every
    event changed on every build. A file without any such time falls back to its first session's
    start: also fixed by the data; clients only compare DTSTAMPs, they do not show them."""
    return last_revision(event) or event.start


def session_vevent(event: Event, session: Session, site: PublishedSite) -> icalendar.Event:
    page = event_page_url(event, site)
    vevent = icalendar.Event()
    vevent.add("uid", calendar_uid(event.id, session.id))
    vevent.add("dtstamp", revised(event))
    vevent.add("dtstart", session.start)
    vevent.add("dtend", session.end)
    label = session_label(event, session)
    # In the title too: not every client shows STATUS:CANCELLED.
    vevent.add("summary", f"Cancelled: {label}" if session.cancelled else label)
    vevent.add("description", _description(event, page))
    vevent.add("url", page)
    location = _location(event)
    if location:
        vevent.add("location", location)
    if event.created is not None:
        vevent.add("created", event.created)
    if event.tags:
        vevent.add("categories", event.tags)
    vevent.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    return vevent


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def event_calendar(event: Event, site: PublishedSite) -> bytes:
    """`events/<id>.ics`: one VEVENT per session."""
    calendar = _calendar(event.title)
    for session in event.sessions:
        calendar.add_component(session_vevent(event, session, site))
    ical: bytes = calendar.to_ical()
    return ical


def _utc_timezone() -> icalendar.Timezone:
    """A VTIMEZONE for UTC; nothing refers to it (times are written with Z)."""
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone = icalendar.Timezone()
    zone.add("tzid", "UTC")
    zone.add_component(standard)
    return zone


def site_calendar(
    events: Iterable[Event],
    site: PublishedSite,
    now: datetime,
    name: str,
    recent: timedelta = timedelta(days=90),
) -> bytes:
    """`calendar.ics`: every session that has not ended, or ended within `recent`."""
    calendar = _calendar(name)
    since = now - recent
    for event in events:
        for session in event.sessions:
            if session.end >= since:
                calendar.add_component(session_vevent(event, session, site))
    if not calendar.subcomponents:
        # RFC 5545 §3.6: a VCALENDAR holds at least one component, and some clients refuse a
        # subscription without one. A UTC VTIMEZONE shows nothing in any calendar.
        calendar.add_component(_utc_timezone())
    ical: bytes = calendar.to_ical()
    return ical
