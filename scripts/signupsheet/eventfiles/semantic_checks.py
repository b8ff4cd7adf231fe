"""Semantic rules: what the schema cannot say about an event file."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify

from signupsheet.core import description
from signupsheet.core.model import Event, Registration
from signupsheet.core.plain_text import hidden_characters
from signupsheet.core.project import Project
from signupsheet.core.schema_values import SLUG_PATTERN
from signupsheet.eventfiles.schema import PathTuple

# Event ids (file names) and session ids.
EVENT_ID = re.compile(SLUG_PATTERN)

# Anything that looks like an address, anywhere in the file, comments included. The lookbehind
# lets a match start only where a run of address characters starts, which keeps the scan linear
# on hostile input (a megabyte of letters without an @).
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# Hosts of the common meeting platforms' join links (subdomains included, e.g. us02web.zoom.us).
MEETING_HOSTS = (
    "zoom.us",
    "zoom.com",
    "zoomgov.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "meet.jit.si",
    "8x8.vc",
    "webex.com",
    "whereby.com",
    "gotomeeting.com",
    "gotomeet.me",
    "meet.goto.com",
    "chime.aws",
    "bluejeans.com",
    "join.skype.com",
    "bigbluebutton.org",
)
# A join link: a meeting host, not part of a longer name, followed by a non-empty path.
MEETING_LINK = re.compile(
    r"(?i)(?<![a-z0-9-])(" + "|".join(re.escape(host) for host in MEETING_HOSTS) + r")/[^\s'\"<>]+"
)
# Self-hosted Jitsi servers are commonly named for it: jitsi.example.org/Room, meet.jitsi.org/Room.
# The host is read as one whole run (it may not follow a host character, and `++` gives nothing
# back), and its labels are looked at in Python: matching `jitsi(\.label)+/` from each "jitsi"
# costs the square of a line such as "jitsi.jitsi.jitsi…", which any file can contain.
_HOST_AND_PATH = re.compile(r"(?i)(?<![a-z0-9.-])([a-z0-9.-]++)/[^\s'\"<>]")


def _jitsi_links(text: str) -> list[int]:
    """Offsets of `jitsi.<domain>/<path>` links: a host label "jitsi" followed by more labels."""
    found = []
    for match in _HOST_AND_PATH.finditer(text):
        labels = match.group(1).lower().split(".")
        offset = match.start(1)
        for index, label in enumerate(labels[:-1]):
            if label == "jitsi" and all(labels[index + 1 :]):
                found.append(offset)
                break
            offset += len(label) + 1
    return found


_URL_START = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*://)?[a-z0-9.-]*\Z")

RuleProblem = tuple[PathTuple, str]
Report = Callable[[PathTuple, str], None]

_EMAIL_MESSAGE = (
    "an e-mail address does not belong in a public event file; organizers "
    "keep addresses in the SIGNUPSHEET_CONTACTS secret"
)


def secret_leaks(text: str) -> list[tuple[int, str]]:
    """Offsets of e-mail addresses and meeting links, with a message that does not repeat them."""
    found: list[tuple[int, str]] = []
    if "@" in text:
        found += [(match.start(), _EMAIL_MESSAGE) for match in EMAIL.finditer(text)]
    lowered = text.lower()
    links = []
    if any(host in lowered for host in MEETING_HOSTS):
        links += [(match.start(), match.group(1).lower()) for match in MEETING_LINK.finditer(text)]
    if "jitsi" in lowered:
        links += [(offset, "a Jitsi server") for offset in _jitsi_links(text)]
    for offset, host in links:
        # Point at the start of the address (scheme and subdomains), not at the host.
        before = text[max(0, offset - 200) : offset]
        start = offset - len(_URL_START.search(before)[0])  # type: ignore[index]
        found.append(
            (
                start,
                f"a meeting join link ({host}) does not belong in a public event file; "
                "put it in the SIGNUPSHEET_MEETING_LINKS secret",
            )
        )
    return sorted(found)


def value_leaks(data: Any, text: str = "") -> list[RuleProblem]:
    """Secrets inside parsed values: YAML escapes ("\\x40") can hide them from the text scan.

    Leaks that appear literally in `text` are left out: the text scan reports those already.
    """
    problems: list[RuleProblem] = []
    stack: list[tuple[PathTuple, Any]] = [((), data)]

    def scan(where: PathTuple, value: str) -> None:
        for offset, message in secret_leaks(value):
            token = value[offset:].split(maxsplit=1)[0]
            if token not in text:
                problems.append((where, message))

    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            scan(where, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                scan(where, key)
                stack.append(((*where, key), item))
        elif isinstance(value, list):
            stack.extend(((*where, index), item) for index, item in enumerate(value))
    return problems


# Files the site makes besides the event pages and calendars (site/generation.py).
GENERATED_FILES = frozenset({"past.md", "calendar.ics", "feed.xml", "events.json"})
_EVENT_FILE = re.compile(r"events/([^/]+)\.(?:md|ics)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
# The headings the site adds under the hand-written home and series pages (site/pages.py).
_SECTION_ANCHORS = frozenset({"upcoming-sessions", "more", "series", "past-events"})


@cache
def _anchors(path: Path) -> tuple[frozenset[str], str]:
    """The ids the headings of a hand-written page get (the toc extension's slugs, or an
    attribute list's `{#id}`), and the page's text for ids written in HTML."""
    text = path.read_text(encoding="utf-8", errors="replace")
    ids = set()
    for match in _MARKDOWN_HEADING.finditer(text):
        heading = match.group(1)
        explicit = _HEADING_ID.search(heading)
        ids.add(explicit.group(1) if explicit else slugify(heading, "-"))
    return frozenset(ids), text


def description_link_problems(event: Event, project: Project) -> list[tuple[str, str]]:
    """Relative links of the description that lead nowhere, as (the link as written, message).

    A link is read as MkDocs reads one on the event's page, `events/<id>.md`: `../registering.md`
    is docs/registering.md, `other-event.md` another event's page. A fragment must name a heading
    of a hand-written page (or an id written in it).
    """
    if not event.description or not description.might_link_locally(event.description):
        return []
    page = f"events/{event.id}.md"
    problems = []
    fix = (
        "link to a page in docs/ relative to this event's page (e.g. ../registering.md), "
        "or give a full https:// address"
    )
    for link in dict.fromkeys(description.links(description.render(event.description))):
        local = description.local_link(page, link)
        if local is None:
            continue
        target = local.target
        if local.outside:
            problems.append((link, f"the link {link!r} in the description leaves the site; {fix}"))
            continue
        generated = target in GENERATED_FILES
        if (found := _EVENT_FILE.fullmatch(target)) is not None:
            generated = project.event_path(found.group(1)).is_file()
        written = project.docs_dir / target
        if not generated and not written.is_file():
            problems.append(
                (
                    link,
                    f"the link {link!r} in the description points to docs/{target}, which does "
                    f"not exist; {fix}",
                )
            )
        elif local.fragment and not generated and target.endswith(".md"):
            ids, text = _anchors(written)
            extra = _SECTION_ANCHORS if target == "index.md" or target.startswith("series/") else ()
            fragment = local.fragment
            if fragment not in ids and fragment not in extra and fragment not in text:
                problems.append(
                    (
                        link,
                        f"the link {link!r} in the description names '#{fragment}', which is "
                        f"no heading of docs/{target}; link to one of its headings or drop "
                        "the '#' part",
                    )
                )
    return problems


def event_problems(event: Event, docs_dir: Path) -> list[RuleProblem]:
    """Every semantic problem of one event, with the data path of the node to blame."""
    problems: list[RuleProblem] = []

    def report(where: PathTuple, message: str) -> None:
        problems.append((where, message))

    if not EVENT_ID.match(event.id):
        report(
            (),
            f"the file name {event.id!r} is not a valid event id: rename the file using "
            "lower-case letters, digits and dashes, e.g. 2022-11-23-vsn-training.yaml",
        )
    if event.series is not None and not (docs_dir / "series" / f"{event.series}.md").is_file():
        report(
            ("series",),
            f"series {event.series!r} has no page: create "
            f"docs/series/{event.series}.md or fix the id",
        )
    if event.policy is not None and not (docs_dir / event.policy).is_file():
        report(("policy",), f"policy page docs/{event.policy} does not exist")
    contact = event.contact
    if contact is not None and contact.on_site and not (docs_dir / contact.link).is_file():
        report(
            ("contact", "link"),
            f"contact page docs/{contact.link} does not exist; write it or give an https:// "
            "address",
        )
    if event.location is not None:
        mode = event.location.mode
        article = "an" if mode == "online" else "a"
        if mode in ("online", "hybrid") and not event.location.platform:
            report(("location",), f"{article} {mode} event needs 'platform' (e.g. Zoom)")
        if mode in ("in-person", "hybrid") and not event.location.venue:
            report(("location",), f"{article} {mode} event needs 'venue' (the place's name)")
    organizers: dict[str, int] = {}
    for index, login in enumerate(event.organizers):
        if login.casefold() in organizers:
            report(
                ("organizers", index),
                f"organizer {login!r} is listed twice (logins ignore case); keep one",
            )
        organizers.setdefault(login.casefold(), index)
    settings = event.registration
    if settings.opens and settings.closes and settings.closes <= settings.opens:
        report(
            ("registration", "closes"),
            "registration closes before it opens; make 'closes' later than 'opens'",
        )
    seen_ids: dict[str, int] = {}
    for index, session in enumerate(event.sessions):
        here: PathTuple = ("sessions", index)
        if session.id in seen_ids:
            report(
                (*here, "id"),
                f"session id {session.id!r} is used twice (first in session "
                f"{seen_ids[session.id] + 1}); give each session its own id",
            )
        seen_ids.setdefault(session.id, index)
        if session.end <= session.start:
            report((*here, "end"), "the session ends before it starts; end must be after start")
        _check_sheet(session.registrations, session.capacity, session.end, here, report)
    return problems


def _check_sheet(
    entries: list[Registration],
    capacity: int | None,
    session_end: datetime,
    here: PathTuple,
    report: Report,
) -> None:
    logins: dict[str, int] = {}
    names: dict[str, int] = {}
    confirmed = 0
    for index, entry in enumerate(entries):
        at: PathTuple = (*here, "registrations", index)
        for key in ("name", "affiliation", "note"):
            # The rule the issue form applies by removing them (core/plain_text.py): entries
            # from a pull request reach terminals and pages as well.
            hidden = hidden_characters(getattr(entry, key) or "")
            if hidden:
                report(
                    (*at, key),
                    f"contains invisible control or format characters ({', '.join(hidden[:5])}); "
                    "remove them",
                )
        if entry.login is not None:
            key = entry.login.casefold()
            if key in logins:
                report(
                    (*at, "login"),
                    f"{entry.login!r} is registered twice for this session "
                    f"(first as entry {logins[key] + 1}); keep one entry",
                )
            logins.setdefault(key, index)
        else:
            key = entry.name.casefold()
            if key in names:
                report(
                    (*at, "name"),
                    f"{entry.name!r} is on this sheet twice without a login "
                    f"(first as entry {names[key] + 1}); keep one entry",
                )
            names.setdefault(key, index)
        if entry.status == "waitlisted" and capacity is None:
            report(
                (*at, "status"),
                "waitlisted, but the session has no capacity; set a capacity or confirm the entry",
            )
        if entry.status == "confirmed":
            confirmed += 1
            if capacity is not None and confirmed == capacity + 1:
                report(
                    at,
                    f"more confirmed entries than the capacity of {capacity}; "
                    "raise the capacity or waitlist the later entries",
                )
        imported = entry.source in ("import", "organizer", "purged")
        if entry.registered is None and not imported:
            report(
                at,
                "'registered' is missing; only entries with source import, organizer or "
                "purged may leave the time out",
            )
        if (
            entry.registered is not None
            and entry.source != "import"
            and entry.registered > session_end
        ):
            report(
                (*at, "registered"),
                "registered after the session ended; only imported "
                "entries (source: import) may record a sign-up after the event",
            )
