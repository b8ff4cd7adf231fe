"""A throw-away signupsheet site for the link delivery tests, and a way to run the command on it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import yaml

from signupsheet.core.model import Event, Session
from signupsheet.delivery.link_mail import PREVIEW_SENDER, MailSettings, build_message
from sitekit import make_site

EVENT = "2030-05-01-community-call"
START = "2030-05-01T14:00:00Z"
END = "2030-05-01T15:30:00Z"
# Inside the link window (60 minutes before the start) and outside it.
IN_WINDOW = "2030-05-01T13:20:00Z"
BEFORE_WINDOW = "2030-05-01T12:59:00Z"
REGISTERED = "2030-04-20T10:00:00Z"


def entry(login: str | None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if login is not None:
        data["login"] = login
    data["name"] = fields.pop("name", f"{login or 'Someone'} Example")
    data["registered"] = fields.pop("registered", REGISTERED)
    data.update(fields)
    return data


def event_text(
    entries: Sequence[dict[str, Any]],
    *,
    capacity: int | None = None,
    cancelled: bool = False,
    lead: int | None = None,
    sessions: Sequence[dict[str, Any]] | None = None,
) -> str:
    session: dict[str, Any] = {"id": "main", "start": START, "end": END}
    if capacity is not None:
        session["capacity"] = capacity
    if cancelled:
        session["cancelled"] = True
    if entries:
        session["registrations"] = list(entries)
    data: dict[str, Any] = {
        "title": "Community call",
        "summary": "Our monthly call.",
        "organizers": ["Orga-Person"],
        "location": {"mode": "online", "platform": "Zoom"},
        "policy": "policies/safe-space.md",
    }
    if lead is not None:
        data["registration"] = {"link_lead_minutes": lead}
    data["sessions"] = [session, *(sessions or [])]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096)
    return (
        "# yaml-language-server: $schema=../schema/event.schema.json\n"
        "# The sign-up sheet of the community call; comments like this one must survive.\n"
        f"{body}"
    )


@dataclass
class LinkSite:
    root: Path
    link: str = field(
        default_factory=lambda: (
            f"https://example.zoom.us/j/{secrets.randbelow(10**11):011d}?pwd={secrets.token_urlsafe(16)}"
        )
    )
    outputs: list[str] = field(default_factory=list)

    @property
    def event_path(self) -> Path:
        return self.root / "events" / f"{EVENT}.yaml"

    def write_event(self, entries: Sequence[dict[str, Any]], **options: Any) -> None:
        self.event_path.write_text(event_text(entries, **options), encoding="utf-8")

    def registrations(self, session: int = 0) -> list[dict[str, Any]]:
        data = yaml.load(self.event_path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        found: list[dict[str, Any]] = data["sessions"][session].get("registrations", [])
        return found

    def link_sent(self) -> dict[str, str | None]:
        return {
            str(item.get("login") or item["name"]): item.get("link_sent")
            for item in self.registrations()
        }

    def run(
        self, env: Mapping[str, str], *args: str, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "signupsheet", "--root", str(self.root), "send-links", *args],
            env=dict(env),
            cwd=cwd or self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.outputs += [result.stdout, result.stderr]
        return result


def make_link_site(folder: Path) -> LinkSite:
    """A site in `folder`/site, so that the job summary can be written beside it; with the
    repository's .gitignore, which keeps the outbox and the delivery journal out of commits."""
    return LinkSite(make_site(folder / "site", gitignore=True))


def base_env(**values: str) -> dict[str, str]:
    """The environment of a run: nothing inherited that could change the outcome."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SIGNUPSHEET_", "GITHUB_", "RUNNER_"))
    }
    env.update(values)
    return env


def scan(link_site: LinkSite, needles: Sequence[str], *, skip: Sequence[Path] = ()) -> list[str]:
    """Every place outside the delivered messages where one of `needles` occurs.

    Looks at every file under the site folder (git's object store is read through git, as text
    of every commit, message and diff), and at every output the runs printed.
    """
    found: list[str] = []
    texts: list[tuple[str, bytes]] = []
    for path in sorted(link_site.root.rglob("*")):
        if not path.is_file() or any(path.is_relative_to(folder) for folder in skip):
            continue
        if ".git" in path.relative_to(link_site.root).parts and "objects" in path.parts:
            continue  # compressed; read through git below
        texts.append((str(path.relative_to(link_site.root)), path.read_bytes()))
    if (link_site.root / ".git").exists():
        log = subprocess.run(
            ["git", "-C", str(link_site.root), "log", "--all", "-p", "--format=%H%n%an%n%B"],
            capture_output=True,
            check=True,
        )
        texts.append(("git log --all -p", log.stdout))
    texts += [(f"output {index}", text.encode()) for index, text in enumerate(link_site.outputs)]
    for name, data in texts:
        for needle in needles:
            if needle.encode() in data:
                found.append(f"{name}: {needle[:12]}…")
    return found


def mail_text(
    event: Event, session: Session, now: datetime, repository_url: str
) -> tuple[str, str]:
    """The subject and plain body of the link mail to the session's first registrant."""
    built = build_message(
        event,
        session,
        session.registrations[0],
        link="https://meet.example/room",
        recipient="ann@example.org",
        settings=MailSettings(sender=PREVIEW_SENDER, repository_url=repository_url),
        now=now,
    )
    message = message_from_bytes(built.as_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return str(message["Subject"]), body.get_content()
