"""`signupsheet sweep`: answer every open registration and cancellation issue on GitHub."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from signupsheet.commands.options import add_github_options, payload_number
from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.github.issue_tracker import DEFAULT_BOT
from signupsheet.registration.git_sync import git_push_auth
from signupsheet.registration.issues.sweep import Sweeper

NAME = "sweep"
HELP = "handle every open registration and cancellation issue (run by the workflow)"
DESCRIPTION = (
    "For each open issue labelled registration or cancellation (and each closed one edited "
    "after its answer): read the form, decide with the registration rules, edit the event file, "
    "commit and push (re-deciding when main moved), answer in one comment edited in place, "
    "label and close. Safe to run again at any time. Needs GITHUB_TOKEN; the repository, API "
    "address and triggering event come from the GITHUB_* variables of a workflow run. The "
    "folder given by --root must be a clone whose remote is the repository."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get
    parser.add_argument(
        "--event-path",
        type=Path,
        default=env("GITHUB_EVENT_PATH"),
        help="webhook payload of the triggering event; its issue is handled even when closed",
    )
    add_github_options(parser, default_bot=DEFAULT_BOT)


def triggered_issue(path: Path | None) -> int | None:
    """The issue number in a webhook payload, read as data (never interpolated into a shell)."""
    return payload_number(path, "issue")


def run(args: argparse.Namespace, project: Project) -> int:
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise UserError("GITHUB_TOKEN is not set; the sweep needs a token with issues: write")
    if not args.repo or "/" not in args.repo:
        raise UserError("give the repository with --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
    # Imported here: PyGithub is only needed by this command, and others start faster without it.
    from signupsheet.github.issue_tracker import GitHubTracker, connect

    git_push_auth(token, args.server_url)
    repo = connect(
        token, args.repo, api_url=args.api_url, backoff=args.backoff, polite=not args.no_throttle
    )
    fixed: datetime | None = args.now
    confirmed: list[tuple[str, str, str]] = []

    def on_confirmed(event: Event, session: Session, entry: Registration) -> None:
        if entry.login:
            confirmed.append((event.id, session.id, entry.login.casefold()))

    sweeper = Sweeper(
        project=project,
        tracker=GitHubTracker(repo, args.bot_login),
        clock=(lambda: fixed) if fixed is not None else (lambda: datetime.now(UTC)),
        repo_url=f"{args.server_url.rstrip('/')}/{args.repo}",
        remote=args.remote,
        branch=args.branch,
        on_confirmed=on_confirmed,
    )
    report = sweeper.run(triggered_issue(args.event_path))
    delivered = send_links_at_once(project, confirmed, args.remote, args.branch, fixed)
    for number, outcome in report.handled:
        print(f"#{number}: {outcome}")
    for number, _ in report.failed:
        what = f"#{number}" if number else "the run"
        print(f"{what}: not finished, the next run retries")
    write_output(os.environ.get("GITHUB_OUTPUT"), changed=bool(report.pushed) or delivered)
    return 1 if report.failed else 0


def write_output(path: str | None, *, changed: bool) -> None:
    """Tell later jobs of the workflow whether the sheets changed (the site then rebuilds)."""
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(f"changed={'true' if changed else 'false'}\n")


def send_links_at_once(
    project: Project,
    confirmed: list[tuple[str, str, str]] | None,
    remote: str,
    branch: str,
    now: datetime | None,
) -> bool:
    """Mail the link now to people confirmed inside their session's link window.

    `confirmed` names (event, session, case-folded login) of the entries just confirmed; None
    means everyone due. Runs only when the workflow gives the meeting links; otherwise the
    scheduled send-links run delivers them. Returns whether link_sent marks were pushed.
    """
    if confirmed == [] or not os.environ.get("SIGNUPSHEET_MEETING_LINKS"):
        return False
    from signupsheet.core.links_due import EntryKey
    from signupsheet.delivery.sending import PushTarget, send_due_links

    report = send_due_links(
        project,
        now=now or datetime.now(UTC),
        push=PushTarget(remote=remote, branch=branch),
        only=None
        if confirmed is None
        else [EntryKey(event_id, session_id, login) for event_id, session_id, login in confirmed],
    )
    return report.commit is not None
