"""Hypothesis strategies for events that the schema and every rule accept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from signupsheet.core.model import (
    Event,
    Location,
    Registration,
    RegistrationSettings,
    Session,
    Speaker,
)
from signupsheet.eventfiles.semantic_checks import secret_leaks

# Surrogates are left out: YAML cannot carry them at all.
_CHARS = st.characters(blacklist_categories=("Cs",))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(text: str) -> bool:
    # A control character is written as an escape such as \0 or \x01; next to an "@" that
    # reads like an address in the file, and the validator rightly refuses it.
    return not secret_leaks(text) and not secret_leaks(_CONTROL.sub("a0", text))


_ONE_LINE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r")
# Characters that mean something in YAML, so that they come up often.
_YAML_LINE = st.sampled_from(" :#-'\"[]{}&*!|>%@`?,\t")
_YAML = st.one_of(_YAML_LINE, st.just("\n"))


def text(*, min_size: int = 0, max_size: int = 60, lines: bool = False) -> st.SearchStrategy[str]:
    alphabet = st.one_of(_CHARS, _YAML) if lines else st.one_of(_ONE_LINE, _YAML_LINE)
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(_clean)


def line(max_size: int = 60) -> st.SearchStrategy[str]:
    # The schema's one-line pattern forbids \n and \r; YAML 1.1 breaks (U+0085, U+2028/9) too
    # count as line ends for some readers, so they are checked as well.
    return text(min_size=1, max_size=max_size)


# What a registrant may write (name, affiliation, note): no control or format characters,
# the rule of core/plain_text.py, but the YAML-meaningful ones often.
_REGISTRANT = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc", "Cf")), st.sampled_from(" :#-'\"[]{}&*!|>%@`?,")
)


def registrant_text(*, min_size: int = 0, max_size: int = 60) -> st.SearchStrategy[str]:
    return st.text(_REGISTRANT, min_size=min_size, max_size=max_size).filter(_clean)


SLUG = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
LOGIN = st.from_regex(r"[A-Za-z0-9]{1,10}(-[A-Za-z0-9]{1,10}){0,2}", fullmatch=True)
LANGUAGE = st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}", fullmatch=True)
URL = st.from_regex(r"https://[a-z0-9.]{1,20}/[A-Za-z0-9_/%?=-]{0,20}", fullmatch=True).filter(
    _clean
)
MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.just(UTC)
)
SOURCES = st.one_of(
    st.none(),
    st.sampled_from(["organizer", "import"]),
    st.integers(1, 9_999_999_999).map(lambda n: f"issue:{n}"),
    st.integers(1, 9_999_999_999).map(lambda n: f"pr:{n}"),
)


@st.composite
def registrations(draw: st.DrawFn, end: datetime, capacity: int | None) -> list[Registration]:
    entries: list[Registration] = []
    logins: set[str] = set()
    names: set[str] = set()
    confirmed = 0
    for _ in range(draw(st.integers(0, 5))):
        login = draw(st.none() | LOGIN)
        name = draw(registrant_text(min_size=1))
        key = (login or name).casefold()
        if key in (logins if login else names):
            continue
        (logins if login else names).add(key)
        source = draw(SOURCES)
        may_omit = source in ("import", "organizer")
        registered = draw(MOMENTS)
        if source != "import" and registered > end:
            registered = end
        if may_omit and draw(st.booleans()):
            registered = None
        waitlisted = capacity is not None and (confirmed >= capacity or draw(st.booleans()))
        confirmed += 0 if waitlisted else 1
        entries.append(
            Registration(
                name=name,
                login=login,
                affiliation=draw(st.none() | registrant_text(min_size=1)),
                registered=registered,
                note=draw(st.none() | registrant_text(max_size=80)),
                visibility=draw(st.sampled_from(["public", "private"])),
                source=source,
                status="waitlisted" if waitlisted else "confirmed",
                link_sent=draw(st.none() | MOMENTS),
                promoted=None if waitlisted else draw(st.none() | MOMENTS),
            )
        )
    return entries


@st.composite
def sessions(draw: st.DrawFn) -> list[Session]:
    found = []
    ids = draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))
    for session_id in ids:
        start = draw(MOMENTS)
        length = draw(
            st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3))
        )
        end = start + length
        capacity = draw(st.none() | st.integers(1, 100_000))
        found.append(
            Session(
                id=session_id,
                title=draw(st.none() | line()),
                start=start,
                end=end,
                capacity=capacity,
                cancelled=draw(st.booleans()),
                registrations=draw(registrations(end, capacity)),
            )
        )
    return found


@st.composite
def locations(draw: st.DrawFn) -> Location | None:
    mode = draw(st.sampled_from(["online", "in-person", "hybrid", None]))
    if mode is None:
        return None
    return Location(
        mode=mode,
        platform=draw(line()) if mode != "in-person" else draw(st.none() | line()),
        venue=draw(line()) if mode != "online" else draw(st.none() | line()),
        address=draw(st.none() | line()),
        chat=draw(st.none() | URL),
    )


@st.composite
def settings(draw: st.DrawFn) -> RegistrationSettings:
    opens = draw(st.none() | MOMENTS)
    closes = draw(st.none() | MOMENTS)
    if opens is not None and closes is not None and closes <= opens:
        opens, closes = (closes, opens) if closes < opens else (opens, None)
    return RegistrationSettings(
        opens=opens,
        closes=closes,
        waitlist=draw(st.booleans()),
        link_lead_minutes=draw(st.integers(0, 10_080)),
        pull_requests=draw(st.booleans()),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    organizers = draw(st.lists(LOGIN, max_size=3, unique_by=str.casefold))
    return Event(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True)),
        title=draw(line(200)),
        summary=draw(st.none() | text(max_size=200, lines=True)),
        description=draw(st.none() | text(max_size=400, lines=True)),
        series=draw(st.sampled_from([None, "volunteer-supporters-network-2022"])),
        type=draw(st.sampled_from([None, "meeting", "training", "workshop", "other"])),
        tags=draw(st.lists(SLUG, max_size=4, unique=True)),
        languages=draw(st.lists(LANGUAGE, max_size=3, unique=True)),
        created=draw(st.none() | MOMENTS),
        speakers=[
            Speaker(name, affiliation, link)
            for name, affiliation, link in draw(
                st.lists(st.tuples(line(), st.none() | line(), st.none() | URL), max_size=3)
            )
        ],
        organizers=organizers,
        location=draw(locations()),
        recording=draw(st.sampled_from([None, "not-recorded", "recorded", "talks-only"])),
        policy=draw(st.sampled_from([None, "policies/safe-space.md"])),
        registration=draw(settings()),
        sessions=draw(sessions()),
    )
