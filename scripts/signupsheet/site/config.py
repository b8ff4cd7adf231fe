"""The plugin's options in mkdocs.yml, checked by MkDocs' own config class.

Beside the plugin as in mkdocs-material's plugins (`material/plugins/blog/config.py`). The plugin
gets them from MkDocs; `signupsheet render`, which runs no MkDocs build, checks the same options
with the same class, so both agree on names, types, defaults and error messages. Importing this
module imports MkDocs: the command imports it only when it renders.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mkdocs.config import base
from mkdocs.config import config_options as c

from signupsheet.core.model import parse_timestamp
from signupsheet.site.generation import CALENDAR_RECENT_DAYS, FEED_ENTRIES, SiteOptions
from signupsheet.site.links import DEFAULT_BRANCH


class Timestamp(base.BaseConfigOption[datetime]):
    """A moment written like the event files' times, in quotes: "2022-11-20T12:00:00Z"."""

    def run_validation(self, value: object, /) -> datetime:
        if not isinstance(value, str):
            # YAML reads an unquoted timestamp as a date without saying which zone it meant.
            raise base.ValidationError(
                f'{value!r} is not a quoted date and time; write it like "2022-11-23T14:00:00Z"'
            )
        try:
            return parse_timestamp(value)
        except ValueError as error:
            raise base.ValidationError(str(error)) from None


class SignupsheetConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off to build only the hand-written pages."""

    root = c.Optional(c.Type(str))
    """Folder with events/ and schema/, relative to mkdocs.yml (default: mkdocs.yml's folder)."""

    branch = c.Type(str, default=DEFAULT_BRANCH)
    """Branch that holds the event files; the pull-request links edit the files on it."""

    now = c.Optional(Timestamp())
    """Build as if it were this moment (e.g. "2022-11-20T12:00:00Z"); default: the real time.

    Registration states and the upcoming/past split depend on it."""

    calendar_recent_days = c.Type(int, default=CALENDAR_RECENT_DAYS)
    """calendar.ics keeps sessions that ended at most this many days ago."""

    feed_entries = c.Type(int, default=FEED_ENTRIES)
    """How many of the newest events feed.xml lists."""

    background_from = c.Type(int, default=300)
    """From this many events on, a second process loads about half of the event files and makes
    their pages, then the calendars and feeds while MkDocs renders the pages (only on machines
    with more than one CPU); 0: never."""

    def site_options(self, site_url: str, site_name: str) -> SiteOptions:
        """What the calendars and feeds need: these options and the site's address and name."""
        return SiteOptions(
            site_url=site_url,
            site_name=site_name,
            feed_entries=self.feed_entries,
            calendar_recent=timedelta(days=self.calendar_recent_days),
        )
