"""`signupsheet check-pr`: may the bot merge a pull request that edits a sign-up sheet?"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from signupsheet.commands.options import add_now, now_from
from signupsheet.core.errors import UserError
from signupsheet.core.project import Project

if TYPE_CHECKING:
    from signupsheet.registration.pulls.pull_check import CheckResult

NAME = "check-pr"
HELP = "check a pull request's change to a sign-up sheet: accept, review or refuse"
DESCRIPTION = (
    "Compare the files HEAD changed since it forked from BASE, read from git objects (nothing is "
    "checked out), and say whether the change is the author's own registration that the bot "
    "may merge (accept, exit 0), a change for a maintainer to review (review, exit 3), or not "
    "acceptable (refuse, exit 1), with every reason. Exit 2 is a usage error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, metavar="REV", help="the branch merged into")
    parser.add_argument("--head", required=True, metavar="REV", help="the pull request's commit")
    parser.add_argument(
        "--author", required=True, metavar="LOGIN", help="GitHub login of the pull request's author"
    )
    agreement = parser.add_mutually_exclusive_group()
    agreement.add_argument(
        "--body-file",
        type=Path,
        metavar="PATH",
        help="the pull request's description; the policy box in it must be ticked ('-': stdin)",
    )
    agreement.add_argument(
        "--agree-policy",
        action="store_true",
        help="the author agreed to the event's policy (instead of --body-file)",
    )
    parser.add_argument(
        "--maintainer",
        action="store_true",
        help="the author maintains the site: edits of others' entries go to review, not refuse",
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as one JSON object")
    add_now(parser)


def _body(path: Path | None) -> str | None:
    from signupsheet.registration.issues.issue_form import MAX_BODY

    if path is None:
        return None
    try:
        if str(path) == "-":
            return sys.stdin.read(MAX_BODY)
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(MAX_BODY)
    except OSError as error:
        raise UserError(f"{path}: cannot read the description: {error.strerror}") from None


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.github.actions import print_masks
    from signupsheet.registration.applying import ban_check
    from signupsheet.registration.contact_check import (
        KEY_VARIABLE,
        contact_key,
        mask_opened_addresses,
    )
    from signupsheet.registration.pulls.pull_check import (
        Context,
        check_revisions,
        policy_agreed,
    )

    print_masks(os.environ, [os.environ.get(KEY_VARIABLE, "").strip()])
    key = contact_key()  # a malformed key stops here, before any verdict
    mask_opened_addresses(lambda address: print_masks(os.environ, [address]))
    agreed = bool(args.agree_policy) or policy_agreed(_body(args.body_file))
    context = Context(
        author=args.author,
        now=now_from(args),
        agreed=agreed,
        banned=ban_check(project, os.environ),
        maintainer=args.maintainer,
        contact_key=key,
    )
    _, result = check_revisions(project.root, args.base, args.head, context, project)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(describe(result))
    return result.exit_code


def describe(result: CheckResult) -> str:
    """The verdict as lines for a terminal."""
    title: str = result.verdict
    if result.event:
        title += f": {result.event}"
    if result.change is not None:
        change = result.change
        title += f" ({change.kind} {change.login}, session {change.session})"
    lines = [title]
    lines += [f"  - {reason}" for reason in result.reasons]
    lines += [f"  {problem}" for problem in result.problems]
    return "\n".join(lines)
