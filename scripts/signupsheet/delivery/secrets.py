"""The two secrets of the link delivery, read from text the organizers keep outside the repository.

`SIGNUPSHEET_MEETING_LINKS` maps an event id, or `EVENT_ID/SESSION_ID`, to the join link;
`SIGNUPSHEET_CONTACTS` maps a GitHub login to an e-mail address for people who wrote to the
organizers. Both are YAML (so JSON works too), parsed with the same guarded loader as event files.
No message here ever repeats a value: values are secret, keys are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address

from signupsheet.core.errors import Problem, ProblemsError
from signupsheet.core.model import Event
from signupsheet.core.schema_values import LOGIN_PATTERN, SLUG_PATTERN, inner
from signupsheet.eventfiles import untrusted_yaml

LINKS_VARIABLE = "SIGNUPSHEET_MEETING_LINKS"
CONTACTS_VARIABLE = "SIGNUPSHEET_CONTACTS"

_SLUG = inner(SLUG_PATTERN)
_LINK_KEY = re.compile(rf"^{_SLUG}(?:/{_SLUG})?$")
_LOGIN = re.compile(LOGIN_PATTERN)
_URL = re.compile(r"^https://[^\s<>\"']+$")
MAX_URL = 2000


@dataclass(frozen=True)
class MeetingLinks:
    """Join links by event, or by event and session; the session's own link wins."""

    links: dict[str, str] = field(default_factory=dict)

    def for_session(self, event_id: str, session_id: str) -> str | None:
        return self.links.get(f"{event_id}/{session_id}") or self.links.get(event_id)

    def secrets(self) -> list[str]:
        return sorted(set(self.links.values()))

    def unknown_keys(self, events: Iterable[Event]) -> list[str]:
        """Keys that name no event or session: most likely a typo the organizers want to know of."""
        known: set[str] = set()
        for event in events:
            known.add(event.id)
            known.update(f"{event.id}/{session.id}" for session in event.sessions)
        return sorted(key for key in self.links if key not in known)


@dataclass(frozen=True)
class Contacts:
    """E-mail addresses by GitHub login, compared case-insensitively."""

    addresses: dict[str, str] = field(default_factory=dict)  # case-folded login → address

    def address(self, login: str) -> str | None:
        return self.addresses.get(login.casefold())

    def secrets(self) -> list[str]:
        return sorted(set(self.addresses.values()))


def valid_address(text: str) -> bool:
    """One plain address (local@domain), nothing that could smuggle a header or a second one."""
    # ASCII only: the SMTP client speaks no SMTPUTF8 (internationalized domains in punycode work).
    if not text or len(text) > 254 or not text.isascii() or any(char.isspace() for char in text):
        return False
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return False
    return bool(address.username) and "." in address.domain and address.addr_spec == text


def _mapping(text: str | None, variable: str) -> tuple[str, dict[str, object], list[Problem]]:
    if text is None or not text.strip():
        return "", {}, []
    parsed = untrusted_yaml.parse(text.encode("utf-8", errors="replace"), variable)
    if isinstance(parsed.data, dict):
        return parsed.text, parsed.data, parsed.problems
    problems = [
        problem
        for problem in parsed.problems
        if not problem.message.startswith(("expected a mapping", "empty file"))
    ]
    if not problems:
        problems.append(
            Problem(variable, 1, 1, "expected a mapping of keys to values, one `key: value` a line")
        )
    return parsed.text, {}, problems


def _at(text: str, variable: str, key: str, message: str) -> Problem:
    line, column = untrusted_yaml.locate(text, (key,), key=True)
    return Problem(variable, line, column, message)


def parse_meeting_links(text: str | None, variable: str = LINKS_VARIABLE) -> MeetingLinks:
    """Read the links secret; raises ProblemsError listing every bad entry (by key, never value)."""
    source, data, problems = _mapping(text, variable)
    links: dict[str, str] = {}
    for key, value in data.items():
        if not _LINK_KEY.match(key):
            problems.append(
                _at(
                    source,
                    variable,
                    key,
                    f"key {key!r} is not an event id or EVENT_ID/SESSION_ID; "
                    "write it like 2026-12-03-meetup or 2026-12-03-meetup/main",
                )
            )
        elif not isinstance(value, str) or len(value) > MAX_URL or not _URL.match(value.strip()):
            problems.append(
                _at(
                    source,
                    variable,
                    key,
                    f"the value for {key!r} is not an https:// link on one line; "
                    "put the meeting's join link there",
                )
            )
        else:
            links[key] = value.strip()
    if problems:
        raise ProblemsError(problems)
    return MeetingLinks(links)


def parse_contacts(text: str | None, variable: str = CONTACTS_VARIABLE) -> Contacts:
    """Read the contacts secret; raises ProblemsError listing every bad entry (by login only)."""
    source, data, problems = _mapping(text, variable)
    addresses: dict[str, str] = {}
    first: dict[str, str] = {}
    for key, value in data.items():
        if not _LOGIN.match(key):
            problems.append(_at(source, variable, key, f"key {key!r} is not a GitHub login"))
            continue
        folded = key.casefold()
        if folded in first:
            problems.append(
                _at(
                    source,
                    variable,
                    key,
                    f"{key!r} is listed twice (also as {first[folded]!r}; logins ignore "
                    "case); keep one entry",
                )
            )
            continue
        first[folded] = key
        if not isinstance(value, str) or not valid_address(value.strip()):
            problems.append(
                _at(
                    source,
                    variable,
                    key,
                    f"the value for {key!r} is not one e-mail address like name@example.org",
                )
            )
            continue
        addresses[folded] = value.strip()
    if problems:
        raise ProblemsError(problems)
    return Contacts(addresses)
