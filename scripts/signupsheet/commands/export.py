"""`signupsheet export`: the participant list of an event for its organizers, as CSV."""

from __future__ import annotations

import argparse
import sys

from signupsheet.core.errors import UserError
from signupsheet.core.project import Project

NAME = "export"
HELP = "print an event's participant list as CSV (private entries included)"
DESCRIPTION = (
    "Print the sign-up sheets of an event (or of one --session) as CSV on stdout: one row per "
    "entry in sign-up order, with status, name, login, affiliation, visibility, time and note. "
    "Private entries are included, so the output is for organizers only: nothing is written to "
    "the repository. Cells a spreadsheet would run as a formula start with an apostrophe."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", metavar="EVENT", help="the event id (its file name in events/)")
    parser.add_argument("--session", metavar="SID", help="only this session (default: all)")
    parser.add_argument(
        "--csv", action="store_true", help="CSV output (the default and, for now, only format)"
    )


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.catalog import load_event
    from signupsheet.organizer.participant_list import participant_rows, write_csv

    event = load_event(project, args.event)
    sessions = event.sessions
    if args.session is not None:
        session = event.session(args.session)
        if session is None:
            known = ", ".join(s.id for s in event.sessions)
            raise UserError(
                f"event {event.id!r} has no session {args.session!r}; its sessions: {known}"
            )
        sessions = [session]
    write_csv(participant_rows(event, sessions), sys.stdout)
    return 0
