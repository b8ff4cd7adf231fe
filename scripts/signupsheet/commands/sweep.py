"""`signupsheet sweep`: answer every open registration and cancellation issue on GitHub."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from signupsheet.commands.options import add_github_options, clock_from, connect_repository
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.github.actions import payload_item, workflow, write_outputs

NAME = "sweep"
HELP = "handle every open registration and cancellation issue (run by the workflow)"
DESCRIPTION = (
    "For each open issue labelled registration or cancellation (and each closed one edited "
    "after its answer): read the form, decide with the registration rules, edit the event file, "
    "commit and push (re-deciding when main moved), answer in one comment edited in place, "
    "label and close. Paced: open issues whose answers would pass the sweep's share of "
    "GitHub's content-creating requests in the last hour (400 of about 500) stay open for a "
    "later run, oldest answered first; that is not a failure. Safe to run again at any time. "
    "Needs GITHUB_TOKEN; the repository, API "
    "address and triggering event come from the GITHUB_* variables of a workflow run. The "
    "folder given by --root must be a clone whose remote is the repository."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get
    parser.add_argument(
        "--event-path",
        type=Path,
        default=env("GITHUB_EVENT_PATH"),
        help=(
            "webhook payload of the triggering event; its issue is handled even when closed. "
            "Without an issue in it (schedule, manual run) the run is the safety net: it also "
            "looks at what changed since the last successful scheduled run"
        ),
    )
    add_github_options(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.core.links_due import EntryKey, JustConfirmed
    from signupsheet.core.sealed_contact import Opened
    from signupsheet.delivery.confirmation import send_confirmation
    from signupsheet.delivery.confirmed import encode
    from signupsheet.github.actions import print_masks
    from signupsheet.github.issue_tracker import GitHubTracker
    from signupsheet.registration.applying import ban_check
    from signupsheet.registration.contact_check import (
        KEY_VARIABLE,
        Confirmation,
        contact_key,
        mask_opened_addresses,
    )
    from signupsheet.registration.issues.sweep import Sweeper

    environ = os.environ
    # Hidden from the log before anything else is printed, and before it is checked.
    print_masks(environ, [environ.get(KEY_VARIABLE, "").strip()])
    key = contact_key(environ)
    mask_opened_addresses(lambda address: print_masks(environ, [address]))
    github = workflow(environ, args.repo, args.api_url, args.server_url, "issues: write")
    repo = connect_repository(github, args)
    clock = clock_from(args)
    confirmed = JustConfirmed(clock)
    # Entries whose sealed address awaits its confirmation mail from the job that holds the mail
    # settings: the workflow's deliver job (send-links --only-confirmed) gets them with the rest.
    to_confirm: list[EntryKey] = []
    mail = bool(environ.get("SIGNUPSHEET_SMTP_URL"))

    def on_sealed(
        event: Event, session: Session, entry: Registration, opened: Opened
    ) -> Confirmation:
        assert key is not None  # only a key opens a seal
        if not mail:
            if entry.login is None:
                return "stored"
            to_confirm.append(EntryKey.of(event, session, entry.login))
            return "follows"
        sent = send_confirmation(
            project,
            event,
            session,
            entry,
            opened,
            contact_key=key,
            environ=environ,
            now=clock(),
            push=(args.remote, args.branch),
        )
        return "sent" if sent else "stored"

    tracker = GitHubTracker(repo, args.bot_login)
    sweeper = Sweeper(
        project=project,
        tracker=tracker,
        clock=clock,
        repo_url=github.repo_url,
        remote=args.remote,
        branch=args.branch,
        on_confirmed=confirmed,
        banned=ban_check(project, environ),
        contact_key=key,
        on_sealed=on_sealed,
    )
    try:
        # The triggering issue as the payload gives it: no request to fetch it again.
        report = sweeper.run(tracker.from_payload(payload_item(args.event_path, "issue")))
    finally:
        # Written whatever happens once something was pushed: the site is rebuilt, and the job
        # that holds the mail secrets sends the link to the entries confirmed inside the window.
        write_outputs(
            environ,
            changed=bool(sweeper.pushed),
            confirmed=encode([*confirmed.keys, *to_confirm]),
        )
    for number, outcome in report.handled:
        print(f"#{number}: {outcome}")
    for number in report.waiting:
        print(f"#{number}: waiting")
    if report.waiting:
        # Not a failure: the sweep keeps to its share of GitHub's content-creating limit.
        print(
            f"{len(report.waiting)} issue(s) wait for a later run (the next issue or the hourly "
            f"run): this hour's share of GitHub's content-creating requests "
            f"({sweeper.write_budget} of about 500) is used up"
        )
    for number, _ in report.failed:
        what = f"#{number}" if number else "the run"
        print(f"{what}: not finished, the next run retries")
    if report.rate_limited is not None:
        print(f"stopped: {report.rate_limited}")
    return 1 if report.failed else 0
