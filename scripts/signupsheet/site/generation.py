"""Every file the site generates from the events, as paths and contents, with no MkDocs involved.

The MkDocs plugin only hands these to MkDocs as virtual files; tests and benchmarks call the same
functions directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from signupsheet.core.errors import Problem
from signupsheet.core.model import Event
from signupsheet.core.project import Project
from signupsheet.core.schema_values import SLUG_PATTERN, inner
from signupsheet.eventfiles.catalog import load_catalog
from signupsheet.site.calendars import event_calendar, site_calendar
from signupsheet.site.feeds import atom_feed, events_json
from signupsheet.site.pages import (
    PageSource,
    SiteContext,
    event_calendar_path,
    event_page,
    event_page_path,
    home_section,
    md_text,
    past_page,
    series_section,
)
from signupsheet.site.urls import PublishedSite

ASSET_DIR = "assets/signupsheet"
# Files of the package's assets folder and where they go in the site.
ASSETS = {
    "localtime.js": f"{ASSET_DIR}/localtime.js",
    "accessibility.js": f"{ASSET_DIR}/accessibility.js",
    "signupsheet.css": f"{ASSET_DIR}/signupsheet.css",
    # Sealing an address on the event page: our script, and libsodium.js (vendored, with its
    # licence), which it loads only on a page that has the form.
    "seal.js": f"{ASSET_DIR}/seal.js",
    "libsodium.js": f"{ASSET_DIR}/libsodium.js",
    "libsodium-wrappers.js": f"{ASSET_DIR}/libsodium-wrappers.js",
    "libsodium-LICENSE.txt": f"{ASSET_DIR}/libsodium-LICENSE.txt",
}
SCRIPTS = (ASSETS["localtime.js"], ASSETS["accessibility.js"], ASSETS["seal.js"])
STYLESHEET = ASSETS["signupsheet.css"]

_SERIES_PAGE = re.compile(rf"^series/(?P<id>{inner(SLUG_PATTERN)})\.md$")


# The defaults of the plugin's options `feed_entries` and `calendar_recent_days` (site/config.py).
FEED_ENTRIES = 50
CALENDAR_RECENT_DAYS = 90


@dataclass(frozen=True)
class SiteOptions:
    site_url: str
    site_name: str
    feed_entries: int = FEED_ENTRIES
    calendar_recent: timedelta = timedelta(days=CALENDAR_RECENT_DAYS)


def asset(name: str) -> bytes:
    return resources.files("signupsheet.site").joinpath("assets", name).read_bytes()


SiteFile = str | bytes | PageSource


def page_files(
    events: Sequence[Event], ctx: SiteContext, made: Mapping[str, PageSource] | None = None
) -> dict[str, SiteFile]:
    """Site path → content of every generated page (`PageSource`s) and asset.

    `made`: event pages already made elsewhere (by another process), by path.
    """
    made = made or {}
    files: dict[str, SiteFile] = {}
    for event in events:
        path = event_page_path(event.id)
        files[path] = made.get(path) or event_page(event, ctx)
    files["past.md"] = past_page(events, ctx)
    for name, target in ASSETS.items():
        files[target] = asset(name)
    return files


@dataclass
class SitePart:
    """What one process made of some of the event files: their events, problems and pages."""

    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, PageSource] = field(default_factory=dict)  # event page path -> page
    # Event id -> the data the event was made of, for another process (`keep_data`).
    data: dict[str, Any] = field(default_factory=dict)


def site_part(
    project: Project, paths: Sequence[Path], ctx: SiteContext, keep_data: bool = False
) -> SitePart:
    """Load the event files at `paths` and make their event pages."""
    catalog = load_catalog(project, paths, keep_data=keep_data)
    pages = {event_page_path(event.id): event_page(event, ctx) for event in catalog.events}
    return SitePart(catalog.events, catalog.problems, pages, catalog.data)


DATA_FILES = ["calendar.ics", "feed.xml", "events.json"]


def data_paths(events: Sequence[Event]) -> list[str]:
    """The site paths `data_files` makes, known without making them."""
    return [event_calendar_path(event.id) for event in events] + DATA_FILES


def data_files(
    events: Sequence[Event], ctx: SiteContext, options: SiteOptions
) -> dict[str, str | bytes]:
    """Site path → content of the calendars, the feed and events.json."""
    site = PublishedSite(options.site_url, ctx.directory_urls)
    files: dict[str, str | bytes] = {
        event_calendar_path(event.id): event_calendar(event, site) for event in events
    }
    files["calendar.ics"] = site_calendar(
        events, site, ctx.now, options.site_name, options.calendar_recent
    )
    files["feed.xml"] = atom_feed(events, site, options.site_name, ctx.now, options.feed_entries)
    files["events.json"] = events_json(events, site, ctx.now)
    return files


def generated_files(
    events: Sequence[Event], ctx: SiteContext, options: SiteOptions
) -> dict[str, SiteFile]:
    """Site path → content for every event page, calendar, feed and asset."""
    return {**page_files(events, ctx), **data_files(events, ctx, options)}


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


def series_of_page(src_uri: str) -> str | None:
    match = _SERIES_PAGE.match(src_uri)
    return None if match is None else match["id"]


def list_section(
    src_uri: str, events: Sequence[Event], ctx: SiteContext, series_ids: Sequence[str]
) -> PageSource | None:
    """What goes under the hand-written home and series pages; None for other pages."""
    if src_uri == "index.md":
        return home_section(events, series_ids, ctx)
    if (series_id := series_of_page(src_uri)) is not None:
        return series_section(series_id, events, ctx)
    return None


def with_section(markdown: str, section: PageSource) -> PageSource:
    """A hand-written page with its generated section under it."""
    return PageSource(markdown.rstrip() + "\n\n" + section.markdown, section.indexed, section.late)


def augment_page(
    src_uri: str,
    markdown: str,
    events: Sequence[Event],
    ctx: SiteContext,
    series_ids: Sequence[str],
) -> PageSource | None:
    """The hand-written home and series pages with their generated lists; None for other pages."""
    section = list_section(src_uri, events, ctx, series_ids)
    return None if section is None else with_section(markdown, section)
