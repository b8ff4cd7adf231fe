"""The list of open events inside the registration and cancellation forms, generated from events/.

Someone who opens a form on GitHub instead of from the site needs the ids to fill it in. The
list lives in the form's first markdown element, after a marker comment; only that value is
replaced (with ruamel.yaml), so the rest of the template, comments included, stays as written.
It shows what changes only when events change (ids, titles, session times), never seat counts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ruamel.yaml.scalarstring import LiteralScalarString

from signupsheet.core.inert_markdown import inert_markdown
from signupsheet.core.model import Event
from signupsheet.core.project import Project
from signupsheet.core.rules import open_for_registration
from signupsheet.core.time_text import time_text
from signupsheet.eventfiles.round_trip import round_trip_yaml
from signupsheet.site.pages import event_page_path
from signupsheet.site.urls import PublishedSite, published_site

OPEN_EVENTS_MARKER = "<!-- signupsheet:open-events -->"
FORM_FILES = ("register.yml", "cancel.yml")


def open_events(events: Sequence[Event], now: datetime) -> list[Event]:
    """Events with a session that still takes sign-ups now or will later."""
    return [event for event in events if open_for_registration(event, now)]


def render_list(events: Sequence[Event], site: PublishedSite | None) -> str:
    if not events:
        return f"{OPEN_EVENTS_MARKER}\nNo event is open for registration at the moment.\n"
    lines = [
        OPEN_EVENTS_MARKER,
        "Events open for registration — copy the id into the Event field "
        "(and the session id when there are several):",
        "",
        "| Event | Id | Sessions (UTC) |",
        "| --- | --- | --- |",
    ]
    for event in events:
        title = inert_markdown(event.title)
        shown = title if site is None else f"[{title}]({site.page(event_page_path(event.id))})"
        sessions = "<br>".join(
            f"`{session.id}` {time_text(session.start, 'date')}"
            for session in event.sessions
            if not session.cancelled
        )
        lines.append(f"| {shown} | `{event.id}` | {sessions} |")
    return "\n".join(lines) + "\n"


def update_form(text: str, listing: str) -> str:
    """The template's text with the open-events element set to `listing`."""
    yaml = round_trip_yaml()
    document = yaml.load(text)
    for item in document.get("body", []):
        value = item.get("attributes", {}).get("value") if item.get("type") == "markdown" else None
        if isinstance(value, str) and OPEN_EVENTS_MARKER in value:
            if str(value) == listing:
                return text
            item["attributes"]["value"] = LiteralScalarString(listing)
            out = io.StringIO()
            yaml.dump(document, out)
            return out.getvalue()
    raise ValueError(f"the form has no markdown element containing {OPEN_EVENTS_MARKER}")


def stale_forms(project: Project, events: Sequence[Event], now: datetime) -> dict[Path, str]:
    """Each form whose list of open events is out of date, with the text it should have."""
    listing = render_list(open_events(events, now), published_site(project.root))
    stale = {}
    for name in FORM_FILES:
        path = project.forms_dir / name
        text = path.read_text(encoding="utf-8")
        new = update_form(text, listing)
        if new != text:
            stale[path] = new
    return stale
