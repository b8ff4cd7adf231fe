"""Registration rules over the event model: pure functions of an event and a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from signupsheet.model import Event, Session, format_timestamp

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
