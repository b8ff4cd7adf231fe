"""`signupsheet purge`: remove the personal parts of past events' sign-up sheets."""

from __future__ import annotations

import argparse
from datetime import timedelta

from signupsheet.commands.options import add_now, now_from
from signupsheet.core.errors import Problem, ProblemsError
from signupsheet.core.project import Project

NAME = "purge"
HELP = "remove notes, affiliations and private entries' data from past events' sheets"
DESCRIPTION = (
    "For every event whose last session ended more than --older-than ago (default 90d), remove "
    "the personal parts of its sign-up sheets: notes, affiliations, logins and link delivery "
    "times of public entries, and everything but the status of private entries, which become "
    "anonymous 'Participant N' entries so counts stay. With --names, every entry becomes "
    "anonymous. Files are edited in place, comments kept. Git history still holds the old "
    "versions: see docs/personal-data.md."
)


def _age(text: str) -> timedelta:
    from signupsheet.organizer.purge import parse_age

    try:
        return parse_age(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--older-than",
        type=_age,
        default=timedelta(days=90),
        metavar="AGE",
        help="purge events that ended longer ago than this, e.g. 90d, 12w, 48h (default: 90d)",
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    parser.add_argument(
        "--names", action="store_true", help="also replace public display names by anonymous ones"
    )
    add_now(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.delivery.notices_told import forget_event
    from signupsheet.eventfiles.atomic_write import atomic_write
    from signupsheet.eventfiles.catalog import check_text, load_catalog
    from signupsheet.organizer.purge import is_due, purge_event, render_purged

    now = now_from(args)
    catalog = load_catalog(project)
    problems: list[Problem] = list(catalog.problems)
    changed = 0
    for event in catalog.events:
        if not is_due(event, now, args.older_than):
            continue
        purged, report = purge_event(event, names=args.names)
        path = project.event_path(event.id)
        shown = project.display(path)
        if not report.changed:
            continue
        if args.dry_run:
            # The counts come from the model; editing the file (the slow part) is left out.
            changed += 1
            print(f"{shown}: would purge: {report.describe()}")
            continue
        text = render_purged(path.read_text(encoding="utf-8"), purged)
        checked = check_text(text.encode("utf-8"), path, project)
        if checked.problems:
            problems.extend(checked.problems)
            continue
        changed += 1
        atomic_write(path, text)
        # The notices name the issues the purged entries came from.
        forget_event(project, event.id)
        print(f"{shown}: purged: {report.describe()}")
    if changed and not args.dry_run:
        print(
            "Earlier versions stay in the Git history and on GitHub; "
            "see docs/personal-data.md to remove them too."
        )
    elif not changed:
        print("nothing to purge")
    if problems:
        raise ProblemsError(problems)
    return 0
