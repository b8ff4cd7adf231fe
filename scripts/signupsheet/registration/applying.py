"""Applying a sign-up or a cancellation to an event file: load one event, decide, write.

Shared by `signupsheet register`/`cancel`, the issue sweep and the pull request bot, so all take
the same path. Only the event concerned is read, so a site with thousands of events answers as
fast as one with one. The new file is checked before it replaces the old: a bug can never leave
a broken sheet behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.core.rules import Actor, BanCheck, Decision, Outcome, Request, decide
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.eventfiles.catalog import check_text, load_event
from signupsheet.eventfiles.semantic_checks import EVENT_ID
from signupsheet.eventfiles.sheet_editing import render_sheets
from signupsheet.registration import banlist


@dataclass
class Applied:
    outcome: Outcome
    event: Event | None = None
    written: list[Path] = field(default_factory=list)


def confirmed_by(applied: Applied) -> list[tuple[Session, Registration]]:
    """The entries a decision confirmed: the person, registered with a seat, and anyone moved up
    into a freed seat (whom the meeting link is owed from now on)."""
    outcome, event = applied.outcome, applied.event
    session = event.session(outcome.session) if event and outcome.session else None
    if session is None:
        return []
    logins = list(outcome.promoted)
    if outcome.outcome == "registered" and outcome.status == "confirmed":
        logins.insert(0, outcome.user)
    found = [session.find(login) for login in logins]
    return [(session, entry) for entry in found if entry is not None and entry.confirmed]


def known_event(project: Project, event_id: str) -> bool:
    """Whether `event_id` names an event file; ids from forms are untrusted, so check the shape
    before it becomes a path."""
    return bool(EVENT_ID.match(event_id)) and project.event_path(event_id).is_file()


def ban_check(project: Project, environ: Mapping[str, str] | None = None) -> BanCheck:
    """Whether a login is banned, from banlist.txt and its key in `environ` (SIGNUPSHEET_BAN_KEY).

    Raises BanListError when the list bans somebody and the key is missing or wrong: a run that
    cannot read the list stops rather than letting banned people in.
    """
    path = project.banlist_path
    key = banlist.key_from(environ or {})
    return banlist.load(path, project.display(path)).checker(key)


def _ban_check_when_asked(project: Project) -> BanCheck:
    # Read when the rules ask (a sign-up), not for a cancellation, which never consults it.
    return lambda login: ban_check(project)(login)


def _unknown(event_id: str, session: str | None, user: str) -> Applied:
    return Applied(
        Outcome(
            "refused",
            event_id,
            session,
            user,
            f"There is no event {event_id!r}; use the id shown on the event's page.",
        )
    )


def _write(project: Project, decision: Decision) -> Applied:
    applied = Applied(decision.outcome, decision.event)
    if not decision.outcome.changed:
        return applied
    path = project.event_path(decision.event.id)
    text = path.read_text(encoding="utf-8")
    new = render_sheets(text, decision.event)
    check = check_text(new.encode("utf-8"), path, project)
    if check.problems:
        # The rules only produce valid sheets; reaching this is a bug, and the file stays as it was.
        raise RuntimeError(
            "refusing to write an invalid sheet:\n" + "\n".join(map(str, check.problems))
        )
    atomic_write(path, new)
    applied.written.append(path)
    return applied


def apply_request(
    project: Project,
    event_id: str,
    request: Request,
    *,
    actor: Actor,
    now: datetime,
    banned: BanCheck | None = None,
) -> Applied:
    """Decide on a sign-up or a cancellation (which promotes from the waiting list) and write
    the file when the sheet changes. `banned` defaults to the project's ban list."""
    if not known_event(project, event_id):
        return _unknown(event_id, request.session, request.user)
    event = load_event(project, event_id)
    decision = decide(
        event, request, actor=actor, now=now, banned=banned or _ban_check_when_asked(project)
    )
    return _write(project, decision)
