"""The event model: what an event file says, as typed values.

`event_from_data` expects data that passed the schema; `event_to_data` gives back the mapping that
is written to a file, leaving out every value that equals its default so files stay short.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from signupsheet.core.schema_values import TIMESTAMP_PATTERN

Mode = Literal["online", "in-person", "hybrid"]
Recording = Literal["not-recorded", "recorded", "talks-only"]
EventType = Literal["meeting", "training", "workshop", "talk", "conference", "social", "other"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
Visibility = Literal["public", "private"]
Status = Literal["confirmed", "waitlisted"]

DEFAULT_LINK_LEAD_MINUTES = 60

_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 timestamp with seconds and offset, as an aware datetime in UTC.

    Raises ValueError with a message a person can act on.
    """
    if not _TIMESTAMP.match(text):
        raise ValueError(
            f"{text!r} is not a date and time with offset; write it like 2022-11-23T14:00:00Z"
        )
    try:
        moment = datetime.fromisoformat(text)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"{text!r} is not a real date and time ({error})") from None


def format_timestamp(moment: datetime) -> str:
    """UTC, seconds precision unless there is a fraction, with Z: 2022-11-23T14:00:00Z."""
    moment = moment.astimezone(UTC)
    text = moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def calendar_uid(event_id: str, session_id: str) -> str:
    """The UID of a session in every calendar: the site's `.ics` files and the invitations mailed
    with the confirmation and the meeting link. One UID, so a calendar holding both shows one entry
    (the mail updates the subscribed one). It names no host: the invitation is made without the
    site's address, and a site that moves to another domain keeps its entries."""
    return f"{event_id}.{session_id}@signupsheet"


def same_login(a: str | None, b: str | None) -> bool:
    """GitHub logins are case-insensitive."""
    return a is not None and b is not None and a.casefold() == b.casefold()


@dataclass(slots=True)
class Speaker:
    name: str
    affiliation: str | None = None
    link: str | None = None


@dataclass(slots=True)
class Contact:
    """How to reach the organizers: a public page (https) or a page of the site under docs/."""

    link: str
    name: str | None = None

    @property
    def on_site(self) -> bool:
        return not self.link.startswith("https://")


@dataclass(slots=True)
class Location:
    mode: Mode = "online"
    platform: str | None = None
    venue: str | None = None
    address: str | None = None
    chat: str | None = None


@dataclass(slots=True)
class RegistrationSettings:
    opens: datetime | None = None
    closes: datetime | None = None
    waitlist: bool = True
    link_lead_minutes: int = DEFAULT_LINK_LEAD_MINUTES
    pull_requests: bool = True

    @property
    def link_lead(self) -> timedelta:
        return timedelta(minutes=self.link_lead_minutes)


@dataclass(slots=True)
class Registration:
    name: str
    login: str | None = None
    affiliation: str | None = None
    registered: datetime | None = None
    note: str | None = None
    visibility: Visibility = "public"
    source: str | None = None
    status: Status = "confirmed"
    link_sent: datetime | None = None
    # When the entry moved up from the waiting list (set by the rules).
    promoted: datetime | None = None
    # The e-mail address sealed to the site's key (core/sealed_contact.py); never in clear.
    contact: str | None = None
    # The GitHub account's numeric id, which a rename keeps and a new holder of the old login
    # does not have: when known, it (not the login) decides whose entry this is.
    user_id: int | None = None

    @property
    def public(self) -> bool:
        return self.visibility == "public"

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


@dataclass(slots=True)
class Session:
    id: str
    start: datetime
    end: datetime
    title: str | None = None
    capacity: int | None = None
    cancelled: bool = False
    registrations: list[Registration] = field(default_factory=list)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def confirmed(self) -> list[Registration]:
        return [entry for entry in self.registrations if entry.status == "confirmed"]

    @property
    def waitlisted(self) -> list[Registration]:
        return [entry for entry in self.registrations if entry.status == "waitlisted"]

    def find(self, login: str, user_id: int | None = None) -> Registration | None:
        """The entry of the account `login` (with the numeric `user_id`, when known).

        An entry that holds an id belongs to that account whatever its login is now; one
        without an id (written by hand, or before ids were kept) goes by the login.
        """
        for entry in self.registrations:
            if user_id is not None and entry.user_id == user_id:
                return entry
        for entry in self.registrations:
            if same_login(entry.login, login) and (
                user_id is None or entry.user_id is None or entry.user_id == user_id
            ):
                return entry
        return None

    def login_held_by_other(self, login: str, user_id: int | None) -> bool:
        """Whether an entry bears `login` but belongs to another account (a renamed owner's old
        login, now someone else's)."""
        return user_id is not None and any(
            same_login(entry.login, login) and entry.user_id not in (None, user_id)
            for entry in self.registrations
        )


@dataclass(slots=True)
class Event:
    id: str
    title: str
    sessions: list[Session]
    summary: str | None = None
    description: str | None = None
    series: str | None = None
    type: EventType | None = None
    tags: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    created: datetime | None = None
    speakers: list[Speaker] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)
    contact: Contact | None = None
    location: Location | None = None
    recording: Recording | None = None
    policy: str | None = None
    registration: RegistrationSettings = field(default_factory=RegistrationSettings)

    @property
    def start(self) -> datetime:
        return min(session.start for session in self.sessions)

    @property
    def end(self) -> datetime:
        return max(session.end for session in self.sessions)

    def session(self, session_id: str) -> Session | None:
        for session in self.sessions:
            if session.id == session_id:
                return session
        return None

    def is_organizer(self, login: str) -> bool:
        return any(same_login(login, organizer) for organizer in self.organizers)


def last_revision(event: Event) -> datetime | None:
    """The newest time written in the file: `created`, a registration, a promotion or a
    `link_sent` mark.

    Files carry no edit time of their own; this is the latest change the data itself records,
    so calendars and feeds built twice from the same files say the same thing (unlike the build
    time). None when the file holds no time besides its sessions."""
    times = [event.created] if event.created is not None else []
    for session in event.sessions:
        for entry in session.registrations:
            times += [
                t for t in (entry.registered, entry.promoted, entry.link_sent) if t is not None
            ]
    return max(times, default=None)


def _time(value: Any) -> datetime | None:
    return None if value is None else parse_timestamp(value)


def _whole(value: Any) -> int | None:
    # JSON Schema counts 5.0 as an integer; the model keeps whole numbers as int.
    return None if value is None else int(value)


# What a private entry without a name (and without a login, which cannot happen from the rules)
# is called in the model; never written to a file.
PRIVATE_NAME = "private participant"


def _entry_name(entry: dict[str, Any]) -> str:
    # A private entry keeps only its login in the file: the model names it by the login, which
    # the sheet never shows and the meeting-link mail greets.
    name = entry.get("name") or entry.get("login") or PRIVATE_NAME
    return str(name)


def private_entry(entry: Registration) -> Registration:
    """What a private entry keeps: the login (duplicates, cancelling), the sealed contact (the
    link's address, readable only with the site's key) and what the rules set; the name,
    affiliation and note a person wrote are dropped, so the public file holds none."""
    if entry.public or entry.login is None:
        return entry
    return Registration(
        name=entry.login,
        login=entry.login,
        registered=entry.registered,
        visibility="private",
        source=entry.source,
        status=entry.status,
        link_sent=entry.link_sent,
        promoted=entry.promoted,
        contact=entry.contact,
        user_id=entry.user_id,
    )


def event_from_data(event_id: str, data: dict[str, Any]) -> Event:
    """Build the model from schema-valid data. Raises ValueError on an impossible timestamp."""
    settings = data.get("registration", {})
    location = data.get("location")
    return Event(
        id=event_id,
        title=data["title"],
        summary=data.get("summary"),
        description=data.get("description"),
        series=data.get("series"),
        type=data.get("type"),
        tags=list(data.get("tags", [])),
        languages=list(data.get("languages", [])),
        created=_time(data.get("created")),
        speakers=[Speaker(**speaker) for speaker in data.get("speakers", [])],
        organizers=list(data.get("organizers", [])),
        contact=None if (contact := data.get("contact")) is None else Contact(**contact),
        location=None if location is None else Location(**location),
        recording=data.get("recording"),
        policy=data.get("policy"),
        registration=RegistrationSettings(
            opens=_time(settings.get("opens")),
            closes=_time(settings.get("closes")),
            waitlist=settings.get("waitlist", True),
            link_lead_minutes=int(settings.get("link_lead_minutes", DEFAULT_LINK_LEAD_MINUTES)),
            pull_requests=settings.get("pull_requests", True),
        ),
        sessions=[
            Session(
                id=session["id"],
                title=session.get("title"),
                start=parse_timestamp(session["start"]),
                end=parse_timestamp(session["end"]),
                capacity=_whole(session.get("capacity")),
                cancelled=session.get("cancelled", False),
                registrations=[
                    Registration(
                        name=_entry_name(entry),
                        login=entry.get("login"),
                        affiliation=entry.get("affiliation"),
                        registered=_time(entry.get("registered")),
                        note=entry.get("note"),
                        visibility=entry.get("visibility", "public"),
                        source=entry.get("source"),
                        status=entry.get("status", "confirmed"),
                        link_sent=_time(entry.get("link_sent")),
                        promoted=_time(entry.get("promoted")),
                        contact=entry.get("contact"),
                        user_id=entry.get("user_id"),
                    )
                    for entry in session.get("registrations", [])
                ],
            )
            for session in data["sessions"]
        ],
    )


def _compact(pairs: dict[str, Any], defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    defaults = defaults or {}
    out: dict[str, Any] = {}
    for key, value in pairs.items():
        if value is None or (key in defaults and value == defaults[key]):
            continue
        if isinstance(value, datetime):
            value = format_timestamp(value)
        out[key] = value
    return out


def registration_to_data(entry: Registration) -> dict[str, Any]:
    # A private entry's name is its login (see `private_entry`): not written twice.
    unnamed = not entry.public and entry.login is not None and entry.name == entry.login
    return _compact(
        {
            "login": entry.login,
            "name": None if unnamed else entry.name,
            "affiliation": entry.affiliation,
            "registered": entry.registered,
            "note": entry.note,
            "visibility": entry.visibility,
            "source": entry.source,
            "status": entry.status,
            "link_sent": entry.link_sent,
            "promoted": entry.promoted,
            "contact": entry.contact,
            "user_id": entry.user_id,
        },
        {"visibility": "public", "status": "confirmed"},
    )


def session_to_data(session: Session) -> dict[str, Any]:
    data = _compact(
        {
            "id": session.id,
            "title": session.title,
            "start": session.start,
            "end": session.end,
            "capacity": session.capacity,
            "cancelled": session.cancelled,
        },
        {"cancelled": False},
    )
    if session.registrations:
        data["registrations"] = [registration_to_data(entry) for entry in session.registrations]
    return data


def event_to_data(event: Event) -> dict[str, Any]:
    """The file's mapping, in the order people read it; the inverse of `event_from_data`."""
    settings = _compact(
        {
            "opens": event.registration.opens,
            "closes": event.registration.closes,
            "waitlist": event.registration.waitlist,
            "link_lead_minutes": event.registration.link_lead_minutes,
            "pull_requests": event.registration.pull_requests,
        },
        {"waitlist": True, "link_lead_minutes": DEFAULT_LINK_LEAD_MINUTES, "pull_requests": True},
    )
    data = _compact(
        {
            "title": event.title,
            "summary": event.summary,
            "description": event.description,
            "series": event.series,
            "type": event.type,
            "tags": event.tags,
            "languages": event.languages,
            "created": event.created,
            "speakers": [_compact(asdict(speaker)) for speaker in event.speakers],
            "organizers": event.organizers,
            "contact": None
            if event.contact is None
            else _compact({"name": event.contact.name, "link": event.contact.link}),
            "location": None if event.location is None else _compact(asdict(event.location)),
            "recording": event.recording,
            "policy": event.policy,
            "registration": settings,
        },
        {"tags": [], "languages": [], "speakers": [], "organizers": [], "registration": {}},
    )
    data["sessions"] = [session_to_data(session) for session in event.sessions]
    return data
