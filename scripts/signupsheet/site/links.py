"""Addresses the site links to: GitHub issue forms, file editing, and a time-zone converter.

The issue-form links are the contract with `.github/ISSUE_TEMPLATE/register.yml` and `cancel.yml`:
both forms have the input fields `event` and `session` (GitHub can prefill inputs, not dropdowns),
and `register_url`/`cancel_url` are the only places that build links to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, Session

REGISTER_TEMPLATE = "register.yml"
CANCEL_TEMPLATE = "cancel.yml"
# Field ids of the issue forms; the forms must use exactly these.
EVENT_FIELD = "event"
SESSION_FIELD = "session"

_GITHUB_REPO = re.compile(
    r"^https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
    r"(?P<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class Repository:
    """The GitHub repository that holds the site's event files."""

    owner: str
    name: str
    branch: str = "main"

    @classmethod
    def from_url(cls, url: str, branch: str = "main") -> Repository:
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

    def issue_form_url(self, template: str, title: str, fields: dict[str, str]) -> str:
        query = urlencode({"template": template, "title": title, **fields}, quote_via=quote)
        return f"{self.url}/issues/new?{query}"

    def register_url(self, event: Event, session: Session) -> str:
        """The prefilled registration issue form for one session."""
        return self.issue_form_url(
            REGISTER_TEMPLATE,
            f"Register: {session_label(event, session)}",
            {EVENT_FIELD: event.id, SESSION_FIELD: session.id},
        )

    def cancel_url(self, event: Event, session: Session) -> str:
        """The prefilled cancellation issue form for one session."""
        return self.issue_form_url(
            CANCEL_TEMPLATE,
            f"Cancel: {session_label(event, session)}",
            {EVENT_FIELD: event.id, SESSION_FIELD: session.id},
        )

    def edit_url(self, path: str) -> str:
        """GitHub's editor for a file; people without write access get a fork and a pull request."""
        return f"{self.url}/edit/{quote(self.branch)}/{quote(path)}"


def session_label(event: Event, session: Session) -> str:
    """A session's name in titles: the event title, plus the session when there are several."""
    if len(event.sessions) == 1:
        return event.title
    detail = session.title or session.start.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
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
