"""`signupsheet new`: scaffold an event file from flags, or by asking in a terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from signupsheet.commands.options import add_now, now_from, zone
from signupsheet.core.errors import ProblemsError, UserError
from signupsheet.core.model import EVENT_TYPES, Contact, EventType
from signupsheet.core.project import Project
from signupsheet.core.schema_values import MAX_CAPACITY

NAME = "new"
HELP = "create a new event file from flags, or by answering questions in a terminal"
DESCRIPTION = (
    "Write events/<id>.yaml for a new event: the title, one --session START END per date (in "
    "the --tz time zone, stored in UTC), the capacity, the platform, and who to ask: the "
    "organizers' GitHub logins or a contact page (at least one). Run in a terminal without "
    "--title, --session or anyone to ask, it asks for what is missing. An existing file is "
    "never replaced."
)

Ask = Callable[[str], str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--title", help="the event's title")
    parser.add_argument(
        "--session",
        nargs=2,
        action="append",
        metavar=("START", "END"),
        default=None,
        help="a session, e.g. --session '2026-12-03 15:00' 16:30 (repeat for several dates)",
    )
    parser.add_argument(
        "--tz",
        type=zone,
        default=None,
        metavar="ZONE",
        help="the time zone the session times are in, e.g. Europe/Vienna (default: UTC)",
    )
    parser.add_argument("--capacity", type=_capacity, help="seats per session (default: no limit)")
    parser.add_argument("--platform", help="video platform, e.g. Zoom or Jitsi (an online event)")
    parser.add_argument("--series", help="id of the series, with a page docs/series/<id>.md")
    parser.add_argument("--type", choices=EVENT_TYPES, help="what kind of event this is")
    parser.add_argument("--language", action="append", default=None, help="e.g. en (repeatable)")
    parser.add_argument("--policy", help="policy page under docs/, e.g. policies/safe-space.md")
    parser.add_argument(
        "--organizer",
        action="append",
        default=None,
        metavar="LOGIN",
        help="an organizer's GitHub login, shown on the page (repeatable); give this or --contact",
    )
    parser.add_argument(
        "--contact",
        metavar="LINK",
        help="where people reach the organizers: an https:// page or a page under docs/ "
        "(e.g. contact.md); never an e-mail address",
    )
    parser.add_argument("--contact-name", metavar="NAME", help="who answers at --contact")
    parser.add_argument("--id", dest="event_id", help="the event id (default: DATE-title-slug)")
    parser.add_argument("--stdout", action="store_true", help="print the file instead")
    add_now(parser)


def _capacity(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_CAPACITY:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seats from 1 to {MAX_CAPACITY}"
        )
    return value


def ask_missing(args: argparse.Namespace, ask: Ask, tell: Callable[[str], None]) -> None:
    """Fill what the flags left out by asking; each answer is checked before the next question."""
    from signupsheet.organizer.new_event import session_span

    while not args.title:
        args.title = ask("Title: ").strip()
    if args.tz is None:
        while True:
            answer = ask("Time zone of the times you type [UTC]: ").strip() or "UTC"
            try:
                args.tz = ZoneInfo(answer)
                break
            except (ZoneInfoNotFoundError, ValueError):
                tell(f"{answer!r} is not a time zone name; e.g. Europe/Vienna")
    if not args.session:
        args.session = []
        while True:
            first = not args.session
            start = ask(
                "Session start (e.g. 2026-12-03 15:00)" + (": " if first else ", empty when done: ")
            ).strip()
            if not start:
                if first:
                    continue
                break
            end = ask("  ends (e.g. 16:30): ").strip()
            try:
                session_span(start, end, args.tz)
            except ValueError as error:
                tell(str(error))
                continue
            args.session.append([start, end])
    if args.capacity is None:
        while True:
            answer = ask("Seats per session [no limit]: ").strip()
            if not answer:
                break
            try:
                args.capacity = _capacity(answer)
                break
            except argparse.ArgumentTypeError as error:
                tell(str(error))
    if args.platform is None:
        args.platform = ask("Video platform [Zoom]: ").strip() or "Zoom"
    while not args.organizer and not args.contact:
        tell("Registrants need someone to ask: name an organizer, a contact page, or both.")
        logins = ask("Organizers' GitHub logins, separated by commas [none]: ")
        args.organizer = [login.strip() for login in logins.split(",") if login.strip()]
        args.contact = (
            ask("Contact page (https://... or a page under docs/) [none]: ").strip() or None
        )
    if args.contact and args.contact_name is None:
        args.contact_name = ask("Who answers there, as shown on the page [nobody named]: ").strip()


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.atomic_write import atomic_write
    from signupsheet.eventfiles.catalog import check_text
    from signupsheet.eventfiles.semantic_checks import EVENT_ID
    from signupsheet.organizer.new_event import (
        NewEvent,
        describe_spans,
        render_new,
        session_span,
    )

    someone = args.organizer or args.contact
    if sys.stdin.isatty() and (not args.title or not args.session or not someone):
        ask_missing(args, input, lambda text: print(text, file=sys.stderr))
    given = (
        ("--title", args.title),
        ("--session", args.session),
        ("--organizer (or --contact)", args.organizer or args.contact),
    )
    missing = [flag for flag, value in given if not value]
    if missing:
        raise UserError(
            f"{' and '.join(missing)} missing; e.g. signupsheet new --title 'Monthly meetup' "
            "--session '2026-12-03 15:00' 16:30 --tz Europe/Vienna --organizer YOUR-LOGIN "
            "(registrants need someone to ask)"
        )
    if args.event_id is not None and not EVENT_ID.match(args.event_id):
        raise UserError(
            f"--id {args.event_id!r} is not a valid event id: use lower-case letters, digits "
            "and dashes, e.g. 2026-12-03-monthly-meetup"
        )
    zone_info: tzinfo = args.tz if args.tz is not None else UTC
    spans: list[tuple[datetime, datetime]] = []
    errors: list[str] = []
    for start, end in args.session:
        try:
            spans.append(session_span(start, end, zone_info))
        except ValueError as error:
            errors.append(f"--session {start} {end}: {error}")
    if errors:
        raise UserError("\n".join(errors))
    spec = NewEvent(
        title=args.title.strip(),
        spans=spans,
        zone=zone_info,
        event_id=args.event_id,
        series=args.series,
        type=cast("EventType | None", args.type),
        capacity=args.capacity,
        platform=args.platform or None,
        policy=args.policy,
        languages=args.language or [],
        organizers=args.organizer or [],
        contact=None
        if not args.contact
        else Contact(link=args.contact.strip(), name=(args.contact_name or "").strip() or None),
        created=now_from(args),
    )
    text = render_new(spec)
    path = project.event_path(spec.id)
    checked = check_text(text.encode("utf-8"), path, project)
    if checked.problems:
        raise ProblemsError(checked.problems)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if path.exists():
        raise UserError(
            f"{project.display(path)} exists already; choose another --id or edit that file"
        )
    project.events_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    print(f"wrote {project.display(path)}: {describe_spans(spans)}")
    return 0
