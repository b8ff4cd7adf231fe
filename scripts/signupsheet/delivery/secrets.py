"""The two secrets of the link delivery, read from text the organizers keep outside the repository.

`SIGNUPSHEET_MEETING_LINKS` maps an event id, or `EVENT_ID/SESSION_ID`, to the join link;
`SIGNUPSHEET_CONTACTS` maps a GitHub login to an e-mail address for people who wrote to the
organizers. Both are YAML (so JSON works too), parsed with the same guarded loader as event files.

No message here ever repeats a key or a value: organizers swap them by mistake (an address or a
link where a key belongs), and GitHub masks whole secret lines only, not the parts of one, in
logs that are public for public repositories. Messages name the secret and the line; and
`mask_candidates` gives every key and value to mask before the text is read at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address

import yaml

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
# Shorter pieces are never an address (a@b.cc) or a link (https://…); masking them would blank
# every occurrence of a short word or login in the log.
MIN_MASK = 4
# A key and its value: the first colon that YAML reads as a separator (followed by a space or
# the end of the line), so that `https://…` in key position stays whole.
_KEY_VALUE = re.compile(r"^(.*?):(?:\s+(.*))?$")


@dataclass(frozen=True)
class MeetingLinks:
    """Join links by event, or by event and session; the session's own link wins."""

    links: dict[str, str] = field(default_factory=dict)
    # The line of each key in the secret, to point at a key without repeating it.
    lines: dict[str, int] = field(default_factory=dict, compare=False)

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

    def unknown_key_lines(self, events: Iterable[Event]) -> list[int]:
        """The lines of `unknown_keys`, which is what a log may show of them."""
        return sorted(self.lines.get(key, 0) for key in self.unknown_keys(events))


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


def _scalars(text: str) -> list[str] | None:
    """Every scalar of `text` as YAML (or JSON) reads it, quoted or not, keys included; None when
    it does not parse. Nodes are walked once each, so aliases cannot make it explode."""
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    found: list[str] = []
    seen: set[int] = set()
    stack: list[yaml.Node] = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            found.append(str(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]
    return found


def _unquoted(text: str) -> str:
    return text.strip().strip("'\"").strip()


def mask_candidates(text: str | None) -> list[str]:
    """Every key and value `text` may hold, to hide from the workflow log before it is read.

    Taken from the raw lines (whole, without a list dash, and split at the first `: `) and from
    the scalars YAML reads, so that a value in the wrong place, a quoted one or a JSON one is
    masked as well; when the text is no YAML at all, also every word of it. Whatever the text
    turns out to be, none of it can appear in a later line of the log.
    """
    if not text:
        return []
    scalars = _scalars(text)
    found: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        found.append(line)
        if line.startswith("- "):
            line = line[2:].strip()
            found.append(line)
        split = _KEY_VALUE.match(line)
        if split is not None:
            found += [_unquoted(part) for part in split.groups("")]
        if scalars is None:
            found += [_unquoted(word).strip(":") for word in re.split(r"[\s{}\[\],]+", line)]
    found += [value.strip() for value in scalars or ()]
    return [value for value in dict.fromkeys(found) if len(value) >= MIN_MASK]


# What a parse problem may say about a secret: its own messages can quote the text.
_PARSE_PROBLEM = (
    "cannot be read as `key: value` here (the text is not shown: it may be secret); check the "
    "quotes, colons and indentation on this line"
)
_TWICE = "a key on this line is listed twice; keep one entry"


def _mapping(text: str | None, variable: str) -> tuple[str, dict[str, object], list[Problem]]:
    if text is None or not text.strip():
        return "", {}, []
    parsed = untrusted_yaml.parse(text.encode("utf-8", errors="replace"), variable)
    problems = [
        Problem(
            variable,
            problem.line,
            problem.column,
            _TWICE if problem.message.startswith("duplicate key") else _PARSE_PROBLEM,
        )
        for problem in parsed.problems
        if isinstance(parsed.data, dict)
        or not problem.message.startswith(("expected a mapping", "empty file"))
    ]
    if isinstance(parsed.data, dict):
        return parsed.text, parsed.data, problems
    if not problems:
        problems.append(
            Problem(variable, 1, 1, "expected a mapping of keys to values, one `key: value` a line")
        )
    return parsed.text, {}, problems


def _line(where: untrusted_yaml.Locator, key: str) -> int:
    line, _ = where.locate((key,), key=True)
    return line


def _at(where: untrusted_yaml.Locator, variable: str, key: str, message: str) -> Problem:
    line, column = where.locate((key,), key=True)
    return Problem(variable, line, column, message)


def parse_meeting_links(text: str | None, variable: str = LINKS_VARIABLE) -> MeetingLinks:
    """Read the links secret; raises ProblemsError listing every bad line (never a key or value)."""
    source, data, problems = _mapping(text, variable)
    where = untrusted_yaml.Locator(source)
    links: dict[str, str] = {}
    for key, value in data.items():
        if not _LINK_KEY.match(key):
            problems.append(
                _at(
                    where,
                    variable,
                    key,
                    "the key on this line is not an event id or EVENT_ID/SESSION_ID; write it "
                    "like 2026-12-03-meetup or 2026-12-03-meetup/main, then a colon and the link",
                )
            )
        elif not isinstance(value, str) or len(value) > MAX_URL or not _URL.match(value.strip()):
            problems.append(
                _at(
                    where,
                    variable,
                    key,
                    "the value on this line is not an https:// link on one line; "
                    "put the meeting's join link there",
                )
            )
        else:
            links[key] = value.strip()
    if problems:
        raise ProblemsError(problems)
    return MeetingLinks(links, {key: _line(where, key) for key in links})


def parse_contacts(text: str | None, variable: str = CONTACTS_VARIABLE) -> Contacts:
    """Read the contacts secret; raises ProblemsError listing every bad line (never a key or
    value: a login next to an address would tell whose address it is)."""
    source, data, problems = _mapping(text, variable)
    where = untrusted_yaml.Locator(source)
    addresses: dict[str, str] = {}
    first: dict[str, str] = {}
    for key, value in data.items():
        if not _LOGIN.match(key):
            problems.append(
                _at(
                    where,
                    variable,
                    key,
                    "the key on this line is not a GitHub login; write `login: address`",
                )
            )
            continue
        folded = key.casefold()
        if folded in first:
            problems.append(
                _at(
                    where,
                    variable,
                    key,
                    f"this login is listed twice (also on line {_line(where, first[folded])}; "
                    "logins ignore case); keep one entry",
                )
            )
            continue
        first[folded] = key
        if not isinstance(value, str) or not valid_address(value.strip()):
            problems.append(
                _at(
                    where,
                    variable,
                    key,
                    "the value on this line is not one e-mail address like name@example.org",
                )
            )
            continue
        addresses[folded] = value.strip()
    if problems:
        raise ProblemsError(problems)
    return Contacts(addresses)
