"""Registration rules over the event model: pure functions of an event and a clock."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from signupsheet.core.model import (
    Event,
    Registration,
    Session,
    Status,
    Visibility,
    format_timestamp,
    private_entry,
    same_login,
)
from signupsheet.core.schema_values import LOGIN_PATTERN

State = Literal["not-open", "open", "full", "closed", "cancelled"]


@dataclass(frozen=True)
class SessionState:
    """Where registration for one session stands at one moment."""

    state: State
    opens: datetime | None
    closes: datetime
    confirmed: int
    waitlisted: int
    capacity: int | None
    waitlist: bool
    over: bool

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def accepting(self) -> bool:
        """Whether a sign-up now is taken (confirmed or onto the waiting list)."""
        return self.state == "open" or (self.state == "full" and self.waitlist)

    @property
    def ahead(self) -> bool:
        """Whether registration is not over: open, full, or not open yet (neither closed nor
        cancelled), so a sign-up or a cancellation may still come."""
        return self.state in ("not-open", "open", "full")

    def describe(self) -> str:
        match self.state:
            case "cancelled":
                return "cancelled"
            case "not-open":
                assert self.opens is not None
                return f"registration opens {format_timestamp(self.opens)}"
            case "open" if self.capacity is None:
                return "open"
            case "open":
                return f"open ({self.seats_left} of {self.capacity} seats left)"
            case "full":
                return "full, waiting list open" if self.waitlist else "full"
            case _:
                return "over" if self.over else "closed"


def session_state(event: Event, session: Session, now: datetime) -> SessionState:
    settings = event.registration
    closes = settings.closes or session.start
    confirmed = len(session.confirmed)
    state: State
    if session.cancelled:
        state = "cancelled"
    elif now >= closes or now >= session.end:
        state = "closed"
    elif settings.opens is not None and now < settings.opens:
        state = "not-open"
    elif session.capacity is not None and confirmed >= session.capacity:
        state = "full"
    else:
        state = "open"
    return SessionState(
        state=state,
        opens=settings.opens,
        closes=closes,
        confirmed=confirmed,
        waitlisted=len(session.waitlisted),
        capacity=session.capacity,
        waitlist=settings.waitlist and session.capacity is not None,
        over=now >= session.end,
    )


def open_for_registration(event: Event, now: datetime) -> bool:
    """Whether registration for some session of the event is not over (see `SessionState.ahead`):
    the events the issue forms list."""
    return any(session_state(event, session, now).ahead for session in event.sessions)


def takes_pull_requests(event: Event) -> bool:
    """Whether people may sign up, change or cancel their entry by a pull request that edits it
    (`registration: pull_requests`, default true); the issue forms work either way."""
    return event.registration.pull_requests


# --- Registering, cancelling and the waiting list -------------------------------------------

OutcomeKind = Literal["registered", "waitlisted", "updated", "cancelled", "unchanged", "refused"]

# Used for every refusal whose reason is not for the public: a ban must look like any other case
# the organizers handle personally.
NOT_POSSIBLE = "Registration is not possible. Please contact the organizers."
# What a sheet can hold as a login: app accounts (`name[bot]`) cannot be on it.
_LOGIN = re.compile(LOGIN_PATTERN)
NO_SHEET_LOGIN = (
    "This account's login cannot be put on a sign-up sheet (app and bot accounts cannot "
    "register). Please register with a personal account."
)


@dataclass(frozen=True)
class Actor:
    """Who asks: a GitHub login, and whether they maintain the whole site."""

    login: str
    maintainer: bool = False

    def may_act_for(self, event: Event, user: str) -> bool:
        return same_login(self.login, user) or self.maintainer or event.is_organizer(self.login)


@dataclass(frozen=True)
class SignupRequest:
    """A person's sign-up (or change of it) for one session of one event."""

    user: str
    session: str | None = None
    name: str | None = None
    affiliation: str | None = None
    note: str | None = None
    visibility: Visibility = "public"
    agreed: bool = True
    source: str | None = None
    # When the person asked (the creation time); defaults to the decision's clock.
    at: datetime | None = None
    # A sealed e-mail address, already checked by the caller (it needs the secret key, which the
    # rules never see). None keeps the one the entry has: leaving the field empty is no removal.
    contact: str | None = None
    # The numeric id of `user`'s GitHub account, when the caller knows it (the issue's or pull
    # request's author asking for themself): the entry is bound to it.
    user_id: int | None = None


@dataclass(frozen=True)
class CancelRequest:
    """A person's cancellation of their entry on one session (None: the one they are on)."""

    user: str
    session: str | None = None
    user_id: int | None = None  # as in SignupRequest


# What a person can ask of the rules.
Request = SignupRequest | CancelRequest


@dataclass(frozen=True)
class Outcome:
    """What a decision did, in the shape `--json` prints (plus the person's resulting status)."""

    outcome: OutcomeKind
    event: str
    session: str | None
    user: str
    reason: str
    promoted: tuple[str, ...] = ()
    status: Status | None = None

    @property
    def changed(self) -> bool:
        return self.outcome in ("registered", "waitlisted", "updated", "cancelled")

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"

    def to_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "event": self.event,
            "session": self.session,
            "user": self.user,
            "reason": self.reason,
            "promoted": list(self.promoted),
        }


@dataclass(frozen=True)
class Decision:
    """An outcome and the event as it is after the decision (the input is never modified)."""

    outcome: Outcome
    event: Event


BanCheck = Callable[[str], bool]


def _never_banned(login: str) -> bool:
    return False


def _with_session(event: Event, session: Session) -> Event:
    sessions = [session if item.id == session.id else item for item in event.sessions]
    return replace(event, sessions=sessions)


def _copy_session(session: Session) -> Session:
    return replace(session, registrations=[replace(entry) for entry in session.registrations])


def _pick_session(event: Event, wanted: str | None) -> Session | str:
    """The session asked for, or the reason why there is none to pick."""
    ids = ", ".join(session.id for session in event.sessions)
    if wanted is None or not wanted.strip():
        if len(event.sessions) == 1:
            return event.sessions[0]
        return f"This event has several sessions: name one of {ids}."
    session = event.session(wanted.strip())
    if session is None:
        return f"This event has no session {wanted.strip()!r}; its sessions are {ids}."
    return session


# A login on the sheet whose entry another account (with another id) holds: a renamed owner's
# old login, taken since by someone new, who must not control that entry.
NOT_YOUR_ENTRY = (
    "The entry under this login belongs to another GitHub account (a login can change hands "
    "after a rename). Please ask an organizer if this is your entry."
)


def _label(entry: Registration) -> str:
    return entry.login or entry.name


def _refuse(event: Event, session: str | None, user: str, reason: str) -> Decision:
    return Decision(Outcome("refused", event.id, session, user, reason), event)


def register(
    event: Event,
    request: SignupRequest,
    *,
    actor: Actor,
    now: datetime,
    banned: BanCheck = _never_banned,
) -> Decision:
    """Register `request.user`, put them on the waiting list, update their entry, or refuse."""
    user = request.user
    if not actor.may_act_for(event, user):
        return _refuse(
            event,
            request.session,
            user,
            f"{actor.login} may not register {user}: only the person themself, an organizer "
            "of the event or a maintainer can.",
        )
    if not _LOGIN.match(user):
        return _refuse(event, request.session, user, NO_SHEET_LOGIN)
    if banned(user):
        return _refuse(event, request.session, user, NOT_POSSIBLE)
    picked = _pick_session(event, request.session)
    if isinstance(picked, str):
        return _refuse(event, request.session, user, picked)
    session_id = picked.id
    if picked.cancelled:
        return _refuse(event, session_id, user, "This session has been cancelled.")
    if not request.agreed:
        return _refuse(
            event,
            session_id,
            user,
            "Please agree to the event's policy (tick the box) to register.",
        )
    if now >= picked.end:
        return _refuse(event, session_id, user, "This session is over.")
    session = _copy_session(picked)
    existing = session.find(user, request.user_id)
    if existing is None and session.login_held_by_other(user, request.user_id):
        return _refuse(event, session_id, user, NOT_YOUR_ENTRY)
    if existing is not None:
        if existing.source in ("import", "organizer") and not (
            actor.maintainer or event.is_organizer(actor.login)
        ):
            # Organizers keep such entries by hand; a form must not overwrite them.
            return _refuse(event, session_id, user, NOT_POSSIBLE)
        wanted = private_entry(
            replace(
                existing,
                name=request.name or existing.name,
                affiliation=request.affiliation,
                note=request.note,
                visibility=request.visibility,
                contact=request.contact or existing.contact,
                # A renamed owner's entry follows the account to its new login, and an entry
                # from before ids were kept is bound now.
                login=user if request.user_id is not None else existing.login,
                user_id=request.user_id or existing.user_id,
            )
        )
        if wanted == existing:
            return Decision(
                Outcome(
                    "unchanged",
                    event.id,
                    session_id,
                    user,
                    _already(existing),
                    status=existing.status,
                ),
                event,
            )
        session.registrations[session.registrations.index(existing)] = wanted
        return Decision(
            Outcome(
                "updated",
                event.id,
                session_id,
                user,
                "Your entry was updated. " + _already(wanted),
                status=wanted.status,
            ),
            _with_session(event, session),
        )
    # The window is judged at the moment the person asked, which may be before the sweep ran.
    asked = min(request.at or now, now)
    state = session_state(event, picked, asked)
    if state.state == "not-open":
        assert state.opens is not None
        return _refuse(
            event,
            session_id,
            user,
            f"Registration opens {format_timestamp(state.opens)}; please register again then.",
        )
    if state.state == "closed":
        return _refuse(
            event,
            session_id,
            user,
            f"Registration closed {format_timestamp(state.closes)}.",
        )
    status: Status
    if state.state == "open":
        status = "confirmed"
    elif state.waitlist:
        status = "waitlisted"
    else:
        return _refuse(event, session_id, user, "This session is full and has no waiting list.")
    entry = private_entry(
        Registration(
            name=request.name or user,
            login=user,
            affiliation=request.affiliation,
            registered=asked,
            note=request.note,
            visibility=request.visibility,
            source=request.source,
            status=status,
            contact=request.contact,
            user_id=request.user_id,
        )
    )
    session.registrations.append(entry)
    if status == "confirmed":
        return Decision(
            Outcome("registered", event.id, session_id, user, "You are registered.", status=status),
            _with_session(event, session),
        )
    return Decision(
        Outcome(
            "waitlisted",
            event.id,
            session_id,
            user,
            "The session is full: you are on the waiting list and move up when a seat frees up.",
            status=status,
        ),
        _with_session(event, session),
    )


def _already(entry: Registration) -> str:
    if entry.status == "waitlisted":
        return "You are on the waiting list."
    return "You are registered."


def cancel(
    event: Event,
    user: str,
    *,
    actor: Actor,
    now: datetime,
    session_id: str | None = None,
    banned: BanCheck = _never_banned,
    user_id: int | None = None,
) -> Decision:
    """Take `user` off a session's sheet and promote from the waiting list into freed seats
    (never a banned person: they keep their place on the list, and the seat goes on)."""
    if not actor.may_act_for(event, user):
        return _refuse(
            event,
            session_id,
            user,
            f"{actor.login} may not cancel for {user}: only the person themself, an organizer "
            "of the event or a maintainer can.",
        )
    if session_id is None or not session_id.strip():
        mine = [session for session in event.sessions if session.find(user, user_id) is not None]
        if len(mine) > 1:
            ids = ", ".join(session.id for session in mine)
            return _refuse(
                event, None, user, f"You are registered for several sessions: name one of {ids}."
            )
        picked: Session | str = mine[0] if mine else _pick_session(event, None)
    else:
        picked = _pick_session(event, session_id)
    if isinstance(picked, str):
        if session_id is None or not session_id.strip():
            # Several sessions, none of them with this person: nothing to cancel.
            return Decision(
                Outcome("unchanged", event.id, None, user, "You are not on the sign-up sheet."),
                event,
            )
        return _refuse(event, session_id, user, picked)
    existing = picked.find(user, user_id)
    if existing is None and picked.login_held_by_other(user, user_id):
        return _refuse(event, picked.id, user, NOT_YOUR_ENTRY)
    if existing is None:
        return Decision(
            Outcome("unchanged", event.id, picked.id, user, "You are not on the sign-up sheet."),
            event,
        )
    if now >= picked.end:
        return _refuse(event, picked.id, user, "This session is over; the sheet is kept as is.")
    session = _copy_session(picked)
    # The one entry found (by id when known), not every entry that bears the login.
    own = session.find(user, user_id)
    session.registrations = [entry for entry in session.registrations if entry is not own]
    promoted = _fill_seats(session, now, banned)
    return Decision(
        Outcome(
            "cancelled",
            event.id,
            session.id,
            user,
            "Your registration is cancelled.",
            promoted=tuple(_label(entry) for entry in promoted),
        ),
        _with_session(event, session),
    )


def decide(
    event: Event,
    request: Request,
    *,
    actor: Actor,
    now: datetime,
    banned: BanCheck = _never_banned,
) -> Decision:
    """Register or cancel, as the request asks; every way in (issue, pull request, command)
    decides through here."""
    if isinstance(request, CancelRequest):
        return cancel(
            event,
            request.user,
            actor=actor,
            now=now,
            session_id=request.session,
            banned=banned,
            user_id=request.user_id,
        )
    return register(event, request, actor=actor, now=now, banned=banned)


def _fill_seats(
    session: Session, now: datetime, banned: BanCheck = _never_banned
) -> list[Registration]:
    """Confirm waitlisted entries, in sign-up order, while seats are free and it is not too late;
    banned people are passed over."""
    if session.capacity is None or session.cancelled or now >= session.start:
        return []
    free = session.capacity - len(session.confirmed)
    promoted: list[Registration] = []
    for index, entry in enumerate(session.registrations):
        if free <= 0:
            break
        if entry.status == "waitlisted" and not (entry.login and banned(entry.login)):
            session.registrations[index] = replace(entry, status="confirmed", promoted=now)
            promoted.append(session.registrations[index])
            free -= 1
    return promoted
