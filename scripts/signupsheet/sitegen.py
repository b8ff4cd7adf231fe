"""Every file the site generates from the events, as paths and contents, with no MkDocs involved.

The MkDocs plugin only hands these to MkDocs as virtual files; tests and benchmarks call the same
functions directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

from signupsheet.calendars import event_calendar, site_calendar
from signupsheet.feeds import atom_feed, events_json
from signupsheet.model import Event
from signupsheet.pages import (
    PageSource,
    SiteContext,
    event_page,
    home_section,
    md_text,
    past_page,
    series_section,
)

ASSET_DIR = "assets/signupsheet"
# Files of the package's assets folder and where they go in the site.
ASSETS = {
    "localtime.js": f"{ASSET_DIR}/localtime.js",
    "accessibility.js": f"{ASSET_DIR}/accessibility.js",
    "signupsheet.css": f"{ASSET_DIR}/signupsheet.css",
}
SCRIPTS = (ASSETS["localtime.js"], ASSETS["accessibility.js"])
STYLESHEET = ASSETS["signupsheet.css"]

_EVENT_PAGE = re.compile(r"^events/(?P<id>[a-z0-9][a-z0-9-]{0,79})\.md$")
_SERIES_PAGE = re.compile(r"^series/(?P<id>[a-z0-9][a-z0-9-]{0,79})\.md$")


@dataclass(frozen=True)
class SiteOptions:
    site_url: str
    site_name: str
    feed_entries: int = 50
    calendar_recent: timedelta = timedelta(days=90)


def asset(name: str) -> bytes:
    return resources.files("signupsheet").joinpath("assets", name).read_bytes()


SiteFile = str | bytes | PageSource


def page_files(
    events: Sequence[Event], ctx: SiteContext, inline_sheets: bool = True
) -> dict[str, SiteFile]:
    """Site path → content of every generated page (`PageSource`s) and asset.

    With `inline_sheets=False` the event pages hold placeholders for `fill_sheets`.
    """
    files: dict[str, SiteFile] = {
        f"events/{event.id}.md": event_page(event, ctx, inline_sheets) for event in events
    }
    files["past.md"] = past_page(events, ctx)
    for name, target in ASSETS.items():
        files[target] = asset(name)
    return files


DATA_FILES = ["calendar.ics", "feed.xml", "events.json"]


def data_paths(events: Sequence[Event]) -> list[str]:
    """The site paths `data_files` makes, known without making them."""
    return [f"events/{event.id}.ics" for event in events] + DATA_FILES


def data_files(
    events: Sequence[Event], ctx: SiteContext, options: SiteOptions
) -> dict[str, str | bytes]:
    """Site path → content of the calendars, the feed and events.json."""
    files: dict[str, str | bytes] = {
        f"events/{event.id}.ics": event_calendar(event, options.site_url, ctx.now)
        for event in events
    }
    files["calendar.ics"] = site_calendar(
        events, options.site_url, ctx.now, options.site_name, options.calendar_recent
    )
    files["feed.xml"] = atom_feed(
        events, options.site_url, options.site_name, ctx.now, options.feed_entries
    )
    files["events.json"] = events_json(events, options.site_url, ctx.now)
    return files


def generated_files(
    events: Sequence[Event], ctx: SiteContext, options: SiteOptions, inline_sheets: bool = True
) -> dict[str, SiteFile]:
    """Site path → content for every event page, calendar, feed and asset."""
    return {**page_files(events, ctx, inline_sheets), **data_files(events, ctx, options)}


def inlined(files: dict[str, SiteFile]) -> dict[str, str | bytes]:
    """The files with each page's HTML blocks written into its Markdown: for any engine."""
    return {
        path: content.inline() if isinstance(content, PageSource) else content
        for path, content in files.items()
    }


def default_home(site_name: str) -> str:
    """The home page's text when docs/ has no index.md of its own."""
    return (
        f"# {md_text(site_name)}\n\n"
        "Online events with an open sign-up sheet: pick a session, read about it, and put your "
        "name on the list. The meeting link comes by e-mail shortly before the start.\n"
    )


def event_of_page(src_uri: str) -> str | None:
    """The event id of a generated event page's path."""
    match = _EVENT_PAGE.match(src_uri)
    return None if match is None else match["id"]


def series_of_page(src_uri: str) -> str | None:
    match = _SERIES_PAGE.match(src_uri)
    return None if match is None else match["id"]


def augment_page(
    src_uri: str,
    markdown: str,
    events: Sequence[Event],
    ctx: SiteContext,
    series_ids: Sequence[str],
) -> PageSource | None:
    """The hand-written home and series pages with their generated lists; None for other pages."""
    if src_uri == "index.md":
        section = home_section(events, series_ids, ctx)
    elif (series_id := series_of_page(src_uri)) is not None:
        section = series_section(series_id, events, ctx)
    else:
        return None
    section.markdown = markdown.rstrip() + "\n\n" + section.markdown
    return section
