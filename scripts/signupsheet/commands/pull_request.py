"""`signupsheet pull-request`: check a pull request on GitHub, then apply it on main or answer."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from signupsheet.commands.options import add_github_options, clock_from, connect_repository
from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.github.actions import payload_number, print_masks, workflow, write_outputs

NAME = "pull-request"
HELP = "check a pull request that edits a sign-up sheet and apply or answer it (run by CI)"
DESCRIPTION = (
    "Fetch the pull request's head into this clone of the base branch, check it as data (see "
    "check-pr; nothing of it is checked out or run), and on accept write the author's entry "
    "to main in a commit of the bot's own that names the author and the pull request, then close "
    "the pull request (its commits are never merged). Refused and review "
    "pull requests get one comment, edited on re-runs. Needs GITHUB_TOKEN; the number comes from "
    "--number or the webhook payload ($GITHUB_EVENT_PATH). Exit 0 when handled."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get
    parser.add_argument("--number", type=int, default=None, help="the pull request's number")
    parser.add_argument(
        "--event-path",
        type=Path,
        default=env("GITHUB_EVENT_PATH"),
        help="webhook payload naming the pull request (default: $GITHUB_EVENT_PATH)",
    )
    add_github_options(parser)


def pull_request_number(path: Path | None) -> int | None:
    """The pull request's number in a webhook payload, read as data."""
    return payload_number(path, "pull_request")


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.core.links_due import EntryKey, JustConfirmed
    from signupsheet.delivery.confirmed import encode
    from signupsheet.github.pull_requests import GitHubPullRequests
    from signupsheet.registration.applying import ban_check
    from signupsheet.registration.contact_check import (
        KEY_VARIABLE,
        contact_key,
        mask_opened_addresses,
    )
    from signupsheet.registration.pulls.pull_handler import PullRequestBot

    environ = os.environ
    # Hidden from the log, and checked once here: the bot opens seals with it.
    print_masks(environ, [environ.get(KEY_VARIABLE, "").strip()])
    contact_key(environ)
    mask_opened_addresses(lambda address: print_masks(environ, [address]))
    github = workflow(environ, args.repo, args.api_url, args.server_url, "contents: write")
    number = args.number if args.number is not None else pull_request_number(args.event_path)
    if number is None:
        raise UserError("no pull request: give --number N or a pull_request event payload")
    repo = connect_repository(github, args)
    clock = clock_from(args)
    confirmed = JustConfirmed(clock)
    # Entries the change gave a sealed address (checked by the bot before it wrote them): the
    # deliver job, which holds the mail settings, sends their confirmation mail.
    to_confirm: list[EntryKey] = []

    def on_confirmed(event: Event, session: Session, entry: Registration) -> None:
        confirmed(event, session, entry)
        if entry.contact is not None and entry.login is not None:
            to_confirm.append(EntryKey.of(event, session, entry.login))

    bot = PullRequestBot(
        project=project,
        tracker=GitHubPullRequests(repo, args.bot_login),
        clock=clock,
        repo_url=github.repo_url,
        banned=ban_check(project, environ),
        remote=args.remote,
        branch=args.branch,
        on_confirmed=on_confirmed,
    )
    try:
        handled = bot.handle(number)
    finally:
        # Written whatever happens once something was pushed: the site is rebuilt, and the job
        # that holds the mail secrets sends the link to the entry just confirmed (no one else).
        write_outputs(
            environ, pushed=bool(bot.pushed), confirmed=encode([*confirmed.keys, *to_confirm])
        )
    print(f"#{number}: {handled}")
    return 0
