"""`signupsheet list`: the events with their sessions, counts and registration state."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from signupsheet.commands.options import add_now, now_from
from signupsheet.core.errors import format_problems
from signupsheet.core.model import format_timestamp
from signupsheet.core.project import Project
from signupsheet.core.rules import session_state

NAME = "list"
HELP = "list the events with their sessions, counts and registration state"
DESCRIPTION = (
    "List every valid event, soonest first, with each session's time (UTC), the confirmed and "
    "waitlisted counts, the capacity and the registration state. Invalid files are reported on "
    "stderr and make the exit code 1."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    add_now(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.catalog import load_catalog

    now = now_from(args)
    catalog = load_catalog(project)
    rows: list[dict[str, Any]] = []
    for event in catalog.events:
        sessions = []
        for session in event.sessions:
            state = session_state(event, session, now)
            sessions.append(
                {
                    "id": session.id,
                    "start": format_timestamp(session.start),
                    "end": format_timestamp(session.end),
                    "confirmed": state.confirmed,
                    "waitlisted": state.waitlisted,
                    "capacity": state.capacity,
                    "state": state.state,
                    "status": state.describe(),
                }
            )
        rows.append({"id": event.id, "title": event.title, "sessions": sessions})
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['id']}  {row['title']}")
            for session in row["sessions"]:
                capacity = "∞" if session["capacity"] is None else session["capacity"]
                print(
                    f"  {session['id']}  {session['start']} to {session['end']}  "
                    f"{session['confirmed']} confirmed, {session['waitlisted']} waitlisted, "
                    f"capacity {capacity}  [{session['status']}]"
                )
        if not rows:
            print("no events")
    if catalog.problems:
        print(format_problems(catalog.problems), file=sys.stderr)
        return 1
    return 0
