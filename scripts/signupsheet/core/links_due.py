"""Which registrants are owed the meeting link now: a pure function of the events and a clock.

A session is due from its lead time before the start (`registration.link_lead_minutes`) until it
ends. Inside that window every confirmed registrant whose link was not sent yet is due, so people
who register late, or are promoted from the waiting list late, get the link at the next run.
Waitlisted registrants and cancelled sessions get nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from signupsheet.core.model import Event, Registration, Session

# The workflow runs every 10 minutes: refusals that last 30 minutes are about three attempts.
DEFAULT_REPORT_AFTER_MINUTES = 30
# With --push, link_sent is committed and pushed after this many messages, and at the end.
DEFAULT_CHECKPOINT = 100


@dataclass(frozen=True, order=True)
class EntryKey:
    """One registrant of one session, as the link delivery remembers them (no address, ever)."""

    event: str
    session: str
    login: str  # case-folded: GitHub logins are case-insensitive

    @classmethod
    def of(cls, event: Event, session: Session, login: str) -> EntryKey:
        return cls(event.id, session.id, login.casefold())

    @property
    def where(self) -> str:
        return f"{self.event}/{self.session}"


@dataclass
class JustConfirmed:
    """Collects the entries a registration run confirms inside their link window: the run's
    delivery job owes them the link now; the scheduled delivery serves everyone else."""

    clock: Callable[[], datetime]
    keys: list[EntryKey] = field(default_factory=list)

    def __call__(self, event: Event, session: Session, entry: Registration) -> None:
        if entry.login and session_due(event, session, self.clock()):
            self.keys.append(EntryKey.of(event, session, entry.login))


@dataclass(frozen=True)
class Due:
    """A confirmed registrant in a due session whose link is not marked as sent."""

    event: Event
    session: Session
    registration: Registration
    position: int  # 1-based place on the sheet, to point at entries that have no login
    since: datetime  # when this person became due: window start, or their late sign-up

    @property
    def key(self) -> EntryKey | None:
        login = self.registration.login
        return None if login is None else EntryKey.of(self.event, self.session, login)

    @property
    def where(self) -> str:
        return f"{self.event.id}/{self.session.id}"


def window(event: Event, session: Session) -> tuple[datetime, datetime]:
    """From the link lead time before the start until the end of the session."""
    return session.start - event.registration.link_lead, session.end


def session_due(event: Event, session: Session, now: datetime) -> bool:
    if session.cancelled:
        return False
    opens, closes = window(event, session)
    return opens <= now < closes


def due_registrations(events: Iterable[Event], now: datetime) -> list[Due]:
    """Everyone owed the link at `now`, in event order and sign-up order."""
    found: list[Due] = []
    for event in events:
        for session in event.sessions:
            if not session_due(event, session, now):
                continue
            opens, _ = window(event, session)
            for position, entry in enumerate(session.registrations, start=1):
                if not entry.confirmed or entry.link_sent is not None:
                    continue
                since = opens
                if entry.registered is not None and entry.registered > opens:
                    since = entry.registered
                found.append(Due(event, session, entry, position, since))
    return found


def apply_marks(event: Event, marks: dict[EntryKey, datetime]) -> int:
    """Set `link_sent` on this event's registrations that `marks` names; returns how many changed.

    Entries that were cancelled in the meantime are simply not found; entries already marked keep
    their first time.
    """
    changed = 0
    for session in event.sessions:
        for entry in session.registrations:
            if entry.login is None or entry.link_sent is not None:
                continue
            when = marks.get(EntryKey.of(event, session, entry.login))
            if when is not None:
                entry.link_sent = when
                changed += 1
    return changed
