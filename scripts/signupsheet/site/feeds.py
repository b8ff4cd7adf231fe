"""Machine-readable views of the events: an Atom feed (feedgen) and `events.json`.

Neither contains anything a registrant kept private: private entries are only counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from feedgen.feed import FeedGenerator

from signupsheet.core.model import Event, format_timestamp, last_revision
from signupsheet.core.rules import session_state
from signupsheet.core.time_text import span_text
from signupsheet.site.calendars import event_page_url
from signupsheet.site.pages import event_calendar_path
from signupsheet.site.urls import PublishedSite

JSON_VERSION = 1


def added(event: Event) -> datetime | None:
    """When an event was published on the site, as far as its file tells.

    `created` when written (`new` and `import-wiki` write it); else the newest time the file
    records (a registration, a `link_sent` mark): the event was on the site by then. Never the
    first session's start, which dated future events as if announced in the future. Git's first
    commit of the file is not used: it costs a history walk per build, and the shallow checkouts
    CI builds from do not have it. None when the file holds no such time.
    """
    return event.created if event.created is not None else last_revision(event)


def feed_link(href: str, site_name: str) -> str:
    """The `<link>` that lets browsers and feed readers find `feed.xml` (at `href`) from a page."""
    return (
        f'<link rel="alternate" type="application/atom+xml" title="{escape(site_name, quote=True)}"'
        f' href="{escape(href, quote=True)}">'
    )


def atom_feed(
    events: Sequence[Event], site: PublishedSite, site_name: str, now: datetime, limit: int = 50
) -> bytes:
    """`feed.xml`: the newest `limit` events by date added.

    An event whose file holds no time at all is left out: Atom requires every entry to have
    `updated`, and any date we made up (its start, the build time) would misplace it."""
    base = site.url.rstrip("/")
    dated = [(when, event) for event in events if (when := added(event)) is not None]
    newest = sorted(dated, key=lambda pair: (pair[0], pair[1].id), reverse=True)[:limit]
    feed = FeedGenerator()
    feed.id(f"{base}/")
    feed.title(site_name)
    feed.subtitle(f"New events on {site_name}")
    feed.author({"name": site_name})
    feed.link(href=f"{base}/", rel="alternate")
    feed.link(href=f"{base}/feed.xml", rel="self")
    feed.updated(max((when for when, _ in newest), default=now))
    # feedgen prepends by default; append keeps the newest first in the file.
    for when, event in newest:
        entry = feed.add_entry(order="append")
        url = event_page_url(event, site)
        entry.id(url)
        entry.title(event.title)
        entry.link(href=url, rel="alternate")
        if event.created is not None:
            # `published` only when the file says it; a registration time is a later bound.
            entry.published(event.created)
        entry.updated(when)
        sessions = ", ".join(
            span_text(session.start, session.end) + (" (cancelled)" if session.cancelled else "")
            for session in event.sessions
        )
        summary = " ".join((event.summary or "").split())
        entry.summary(f"{summary} When: {sessions}.".strip())
    result: bytes = feed.atom_str(pretty=True)
    return result


def events_data(events: Sequence[Event], site: PublishedSite, now: datetime) -> dict[str, Any]:
    """The content of `events.json`: events, sessions, counts, state and the public entries."""
    items = []
    for event in events:
        sessions = []
        for session in event.sessions:
            state = session_state(event, session, now)
            sessions.append(
                {
                    "id": session.id,
                    "title": session.title,
                    "start": format_timestamp(session.start),
                    "end": format_timestamp(session.end),
                    "capacity": session.capacity,
                    "cancelled": session.cancelled,
                    "state": state.state,
                    "status": state.describe(),
                    "seats_left": state.seats_left,
                    "confirmed": state.confirmed,
                    "waitlisted": state.waitlisted,
                    "private": sum(1 for entry in session.registrations if not entry.public),
                    "public_entries": [
                        {
                            "name": entry.name,
                            "affiliation": entry.affiliation,
                            "registered": None
                            if entry.registered is None
                            else format_timestamp(entry.registered),
                            "note": entry.note,
                            "status": entry.status,
                        }
                        for entry in session.registrations
                        if entry.public
                    ],
                }
            )
        items.append(
            {
                "id": event.id,
                "title": event.title,
                "summary": event.summary,
                "url": event_page_url(event, site),
                "ics": site.page(event_calendar_path(event.id)),
                "series": event.series,
                "type": event.type,
                "tags": event.tags,
                "languages": event.languages,
                "created": None if event.created is None else format_timestamp(event.created),
                "sessions": sessions,
            }
        )
    # Whole seconds like every other time in the file (schema/events.schema.json).
    generated = format_timestamp(now.replace(microsecond=0))
    return {"version": JSON_VERSION, "generated": generated, "events": items}


def events_json(events: Sequence[Event], site: PublishedSite, now: datetime) -> str:
    return json.dumps(events_data(events, site, now), ensure_ascii=False) + "\n"
