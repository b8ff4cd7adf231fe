"""`signupsheet cancel`: take a person off a session's sheet and promote from the waiting list."""

from __future__ import annotations

import argparse
import os

from signupsheet.commands.options import add_now, now_from
from signupsheet.commands.signup_options import add_json, add_target, report
from signupsheet.core.project import Project
from signupsheet.core.rules import Actor

NAME = "cancel"
HELP = "cancel a person's registration, promoting the first waitlisted person"
DESCRIPTION = (
    "Remove LOGIN from the sign-up sheet of a session of EVENT (the session may be left out "
    "when the person is on one sheet only). Freed seats go to the waiting list in sign-up order. "
    "Edits events/EVENT.yaml in place, keeping comments. Exit 1 when refused."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target(parser)
    add_now(parser)
    add_json(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.registration.applying import apply_cancel, ban_check

    applied = apply_cancel(
        project,
        args.event,
        args.user,
        actor=Actor("maintainer", maintainer=True),
        now=now_from(args),
        session_id=args.session,
        banned=ban_check(project, os.environ),
    )
    return report(applied.outcome, args.json)
