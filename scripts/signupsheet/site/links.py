"""Addresses the site links to: GitHub issue forms, file editing, and a time-zone converter.

The issue-form links are the contract with `.github/ISSUE_TEMPLATE/register.yml` and `cancel.yml`:
both forms have the input fields `event` and `session` (GitHub can prefill inputs, not dropdowns),
and `register_form_url`/`cancel_form_url` are the only places that build links to them: the site's
buttons, the bot's replies and the link mails all call them. This module imports no MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, Session
from signupsheet.core.time_text import time_text

REGISTER_TEMPLATE = "register.yml"
CANCEL_TEMPLATE = "cancel.yml"
# Field ids of the issue forms; the forms must use exactly these.
EVENT_FIELD = "event"
SESSION_FIELD = "session"
# The default of the plugin's option `branch` (site/config.py).
DEFAULT_BRANCH = "main"
# GitHub refuses a longer issue title ("maximum is 256 characters").
ISSUE_TITLE_LIMIT = 256

_GITHUB_REPO = re.compile(
    r"^https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
    r"(?P<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class Repository:
    """The GitHub repository that holds the site's event files."""

    owner: str
    name: str
    branch: str = DEFAULT_BRANCH

    @classmethod
    def from_url(cls, url: str, branch: str = DEFAULT_BRANCH) -> Repository:
        """Parse `https://github.com/OWNER/REPO`; raises UserError for anything else."""
        match = _GITHUB_REPO.match(url.strip())
        if match is None:
            raise UserError(
                f"repo_url {url!r} is not a GitHub repository address; "
                "write it like https://github.com/OWNER/REPO"
            )
        return cls(match["owner"], match["name"], branch)

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def register_url(self, event: Event, session: Session) -> str:
        return register_form_url(self.url, event, session)

    def cancel_url(self, event: Event, session: Session) -> str:
        return cancel_form_url(self.url, event, session)

    def edit_url(self, path: str) -> str:
        """GitHub's editor for a file; people without write access get a fork and a pull request."""
        return f"{self.url}/edit/{quote(self.branch)}/{quote(path)}"


def _issue_form_url(
    repository_url: str, template: str, title: str, event: Event, session: Session
) -> str:
    fields = {
        "template": template,
        "title": title[:ISSUE_TITLE_LIMIT],
        EVENT_FIELD: event.id,
        SESSION_FIELD: session.id,
    }
    return f"{repository_url.rstrip('/')}/issues/new?{urlencode(fields, quote_via=quote)}"


def register_form_url(repository_url: str, event: Event, session: Session) -> str:
    """The registration issue form for one session, prefilled; `repository_url` is the
    repository's web address (github.com or a GitHub Enterprise server)."""
    title = f"Register: {session_label(event, session)}"
    return _issue_form_url(repository_url, REGISTER_TEMPLATE, title, event, session)


def cancel_form_url(repository_url: str, event: Event, session: Session) -> str:
    """The cancellation issue form for one session, prefilled."""
    title = f"Cancel: {session_label(event, session)}"
    return _issue_form_url(repository_url, CANCEL_TEMPLATE, title, event, session)


def session_label(event: Event, session: Session) -> str:
    """A session's name in titles: the event title, plus the session when there are several."""
    if len(event.sessions) == 1:
        return event.title
    detail = session.title or time_text(session.start, "date")
    return f"{event.title} ({detail})"


def converter_url(moment: datetime, title: str, minutes: int | None = None) -> str:
    """timeanddate.com's page showing one instant in many time zones (1440 is its id for UTC)."""
    moment = moment.astimezone(UTC)
    params = {"msg": title, "iso": moment.strftime("%Y%m%dT%H%M"), "p1": "1440"}
    if minutes:
        hours, rest = divmod(minutes, 60)
        if hours:
            params["ah"] = str(hours)
        if rest:
            params["am"] = str(rest)
    return "https://www.timeanddate.com/worldclock/fixedtime.html?" + urlencode(
        params, quote_via=quote
    )
