"""`signupsheet register`: put a person on a session's sign-up sheet (or its waiting list)."""

from __future__ import annotations

import argparse
import os

from signupsheet.commands.options import add_now, now_from
from signupsheet.commands.signup_options import add_json, add_target, line, report
from signupsheet.core.project import Project
from signupsheet.core.rules import Actor, SignupRequest
from signupsheet.core.schema_values import MAX_LINE, MAX_NOTE

NAME = "register"
HELP = "register a person for a session, or update their entry"
DESCRIPTION = (
    "Register LOGIN for a session of EVENT with the same rules as the registration form: the "
    "registration window, the capacity and waiting list, the ban list, one entry per login "
    "(registering again updates the entry). Edits events/EVENT.yaml in place, keeping comments. "
    "The person is taken to have agreed to the event's policy. Exit 1 when refused."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target(parser)
    parser.add_argument("--name", type=line(MAX_LINE), help="display name (default: the login)")
    parser.add_argument("--affiliation", type=line(MAX_LINE), help="organisation, e.g. WMDE")
    parser.add_argument("--note", type=line(MAX_NOTE), help="a short public note")
    parser.add_argument(
        "--private", action="store_true", help="count the person but do not show their entry"
    )
    parser.add_argument(
        "--contact",
        metavar="SEALED",
        help="a sealed e-mail address for the meeting link (from seal-contact or the event page); "
        "opened with SIGNUPSHEET_CONTACT_KEY when set",
    )
    add_now(parser)
    add_json(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    import sys

    from signupsheet.github.actions import print_masks
    from signupsheet.registration.applying import apply_request, ban_check
    from signupsheet.registration.contact_check import (
        check_contact,
        contact_key,
        mask_opened_addresses,
    )

    now = now_from(args)
    mask_opened_addresses(lambda address: print_masks(os.environ, [address]))
    if args.contact is not None:
        checked = check_contact(args.contact, login=args.user, event=args.event, key=contact_key())
        if checked.verdict == "refused":
            print(f"refused: {checked.reason}", file=sys.stderr)
            return 1
        if checked.verdict == "unread":
            print(
                "the sealed e-mail is kept unread: SIGNUPSHEET_CONTACT_KEY is not set",
                file=sys.stderr,
            )
    request = SignupRequest(
        user=args.user,
        session=args.session,
        name=args.name,
        affiliation=args.affiliation,
        note=args.note,
        visibility="private" if args.private else "public",
        agreed=True,
        source="organizer",
        contact=args.contact,
    )
    # Whoever runs this command can push to the repository: a maintainer.
    applied = apply_request(
        project,
        args.event,
        request,
        actor=Actor("maintainer", maintainer=True),
        now=now,
        banned=ban_check(project, os.environ),
    )
    return report(applied.outcome, args.json)
