"""`signupsheet import-wiki`: turn a wiki event page into an event file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from signupsheet.commands.options import add_now, now_from, zone
from signupsheet.core.errors import ProblemsError, UserError
from signupsheet.core.project import Project
from signupsheet.organizer.wiki_notes import Kind

NAME = "import-wiki"
HELP = "turn a wiki event page (wikitext or copied text) into an event file"
DESCRIPTION = (
    "Read a wiki event page - its wikitext, or the text copied from the rendered page - and "
    "write events/<id>.yaml with the title, description, speakers, sessions and every sign-up "
    "list. Each line that is left out, each assumption made and each value guessed (a year, an "
    "end time or a time zone the page does not write, taken from the rest of the page) is "
    "reported on stderr with its line number. The id is the first session's date and the title "
    "(override with --id); an existing file is never replaced unless --force is given."
)

LABELS: dict[Kind, str] = {"skipped": "left out", "assumed": "note", "guessed": "guessed"}

# A wiki page is a few hundred kilobytes at most; anything larger is not one.
MAX_PAGE_BYTES = 2_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("page", metavar="FILE", help="the page's text, or - to read stdin")
    parser.add_argument("--id", dest="event_id", help="the event id (default: DATE-title-slug)")
    parser.add_argument("--title", help="the event title (default: the page's title)")
    parser.add_argument("--series", help="id of the series the event belongs to")
    parser.add_argument("--policy", help="the policy page under docs/, e.g. policies/safe-space.md")
    parser.add_argument(
        "--tz",
        type=zone,
        default=None,
        metavar="ZONE",
        help="time zone of times written without one, e.g. Europe/Vienna (default: the zone the "
        "page names elsewhere, else UTC as wiki signatures are; each reported as a guess)",
    )
    parser.add_argument(
        "--stdout", action="store_true", help="print the event file instead of writing it"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing event file")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="write nothing when any line of the page was left out or any value guessed",
    )
    add_now(parser)


def _read(page: str) -> tuple[str, str]:
    if page == "-":
        raw = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
        shown = "<stdin>"
    else:
        path = Path(page)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_PAGE_BYTES + 1)
        except OSError as error:
            raise UserError(f"{page}: cannot read the page: {error.strerror}") from None
        shown = page
    if len(raw) > MAX_PAGE_BYTES:
        raise UserError(f"{shown}: larger than {MAX_PAGE_BYTES:,} bytes; that is not a wiki page")
    try:
        return raw.decode("utf-8-sig"), shown
    except UnicodeDecodeError:
        raise UserError(f"{shown}: not UTF-8 text; save the page as UTF-8") from None


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.atomic_write import atomic_write
    from signupsheet.eventfiles.catalog import check_text
    from signupsheet.eventfiles.event_writer import render_event
    from signupsheet.eventfiles.semantic_checks import EVENT_ID
    from signupsheet.organizer.wiki_import import announced, read_page

    if args.event_id is not None and not EVENT_ID.match(args.event_id):
        raise UserError(
            f"--id {args.event_id!r} is not a valid event id: use lower-case letters, digits "
            "and dashes, e.g. 2022-11-23-vsn-training"
        )
    text, shown = _read(args.page)
    result = read_page(text, title=args.title, event_id=args.event_id, default_zone=args.tz)
    for note in result.notes:
        where = f"{shown}:{note.line}" if note.line else shown
        print(f"{where}: {LABELS[note.kind]}: {note.message}", file=sys.stderr)
    event = result.event
    if event is None:
        raise UserError(f"{shown}: nothing imported; see the lines above")
    if args.strict and (result.skipped or result.guessed):
        refused = [f"{len(result.skipped)} line(s) left out"] if result.skipped else []
        if result.guessed:
            refused.append(f"{len(result.guessed)} value(s) guessed")
        raise UserError(
            f"{shown}: {' and '.join(refused)} and --strict given; nothing written. Write what "
            "is missing on the page (see the lines above), give --tz for times without a zone, "
            "or drop --strict"
        )
    event.series = args.series
    event.policy = args.policy
    event.created = announced(event, now_from(args))
    header = [
        f"Imported from a wiki page ({'wikitext' if result.wikitext else 'copied text'}).",
        "Check the description, add organizers and registration settings as needed.",
    ]
    content = render_event(event, header=header, comments=result.comments)
    path = project.event_path(event.id)
    checked = check_text(content.encode("utf-8"), path, project)
    if checked.problems:
        raise ProblemsError(checked.problems)
    count = sum(len(session.registrations) for session in event.sessions)
    summary = (
        f"{count} sign-up{'s' if count != 1 else ''} in {len(event.sessions)} "
        f"session{'s' if len(event.sessions) != 1 else ''}; "
        f"{len(result.skipped)} line{'s' if len(result.skipped) != 1 else ''} left out"
    )
    if result.guessed:
        summary += f", {len(result.guessed)} value{'s' if len(result.guessed) != 1 else ''} guessed"
    if args.stdout:
        sys.stdout.write(content)
        print(summary, file=sys.stderr)
        return 0
    if path.exists() and not args.force:
        raise UserError(
            f"{project.display(path)} exists already; choose another --id, or --force to replace it"
        )
    project.events_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(path, content)
    print(f"wrote {project.display(path)}: {summary}")
    return 0
