"""`signupsheet pull-request`: check a pull request on GitHub, then merge, re-apply or answer it."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from signupsheet.commands.options import add_github_options, payload_number
from signupsheet.commands.sweep import send_links_at_once
from signupsheet.core.errors import UserError
from signupsheet.core.project import Project
from signupsheet.github.issue_tracker import DEFAULT_BOT
from signupsheet.registration.applying import ban_check
from signupsheet.registration.git_sync import git_push_auth

NAME = "pull-request"
HELP = "check a pull request that edits a sign-up sheet and merge or answer it (run by CI)"
DESCRIPTION = (
    "Fetch the pull request's head into this clone of the base branch, check it as data (see "
    "check-pr; nothing of it is checked out or run), and on accept write the author's entry "
    "to main: as a merge of the checked head SHA when it merges cleanly, otherwise re-applied "
    "in a commit that names the author, and the pull request closed. Refused and review "
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
    add_github_options(parser, default_bot=DEFAULT_BOT)


def pull_request_number(path: Path | None) -> int | None:
    """The pull request's number in a webhook payload, read as data."""
    return payload_number(path, "pull_request")


def _output(name: str, value: str) -> None:
    # Lets the workflow deploy the site only when main changed.
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")


def run(args: argparse.Namespace, project: Project) -> int:
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise UserError("GITHUB_TOKEN is not set; the bot needs a token with contents: write")
    if not args.repo or "/" not in args.repo:
        raise UserError("give the repository with --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
    number = args.number if args.number is not None else pull_request_number(args.event_path)
    if number is None:
        raise UserError("no pull request: give --number N or a pull_request event payload")
    # Imported here: PyGithub is only needed by the commands that talk to GitHub.
    from signupsheet.github.issue_tracker import connect
    from signupsheet.github.pull_requests import GitHubPullRequests
    from signupsheet.registration.pulls.pull_handler import PullRequestBot

    git_push_auth(token, args.server_url)
    repo = connect(
        token, args.repo, api_url=args.api_url, backoff=args.backoff, polite=not args.no_throttle
    )
    fixed: datetime | None = args.now
    bot = PullRequestBot(
        project=project,
        tracker=GitHubPullRequests(repo, args.bot_login),
        clock=(lambda: fixed) if fixed is not None else (lambda: datetime.now(UTC)),
        repo_url=f"{args.server_url.rstrip('/')}/{args.repo}",
        banned=ban_check(project),
        remote=args.remote,
        branch=args.branch,
    )
    handled = bot.handle(number)
    print(f"#{number}: {handled}")
    pushed = handled in ("merged", "re-applied")
    # A sign-up that lands inside its session's link window gets the link now, not at the next
    # scheduled delivery (everyone due is served; the delivery sends each link once).
    if pushed:
        send_links_at_once(project, None, args.remote, args.branch, fixed)
    _output("pushed", "true" if pushed else "false")
    return 0
