"""`signupsheet send-links`: e-mail the meeting link to everyone due, once, and record it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from signupsheet.commands.options import add_now, now_from
from signupsheet.core.errors import UserError
from signupsheet.core.links_due import DEFAULT_CHECKPOINT, DEFAULT_REPORT_AFTER_MINUTES
from signupsheet.core.project import Project
from signupsheet.github.actions import append_summary, print_masks, write_outputs

if TYPE_CHECKING:
    from signupsheet.delivery.sending import DeliveryOutcome, DeliveryReport, DeliveryStatus

# The delivery (icalendar, smtplib, PyGithub) is imported when this command runs, so that the
# other commands start fast.
NAME = "send-links"
HELP = "e-mail the meeting link to the registrants of sessions that start soon"
DESCRIPTION = (
    "Send the meeting link to every confirmed registrant of a session that is due (from the "
    "event's link lead time before the start until the end) and has not got it yet, then record "
    "link_sent in the event file. Links come from SIGNUPSHEET_MEETING_LINKS, addresses from "
    "SIGNUPSHEET_CONTACTS or the public e-mail of the GitHub profile; mail goes to "
    "SIGNUPSHEET_SMTP_URL, or to the Maildir outbox/ when that is unset. Exit 1 when the mail "
    "server is unavailable, a link is missing, or a recipient is refused repeatedly."
)

_LABELS: dict[DeliveryStatus, str] = {
    "sent": "sent",
    "would-send": "would send",
    "unreachable": "unreachable",
    "refused": "refused",
    "no-link": "no link",
    "deferred": "deferred",
    "not-sent": "not sent",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_now(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show who would get which session's link (hidden), send and record nothing",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument(
        "--push",
        action="store_true",
        help="commit link_sent and push it (retrying when the branch moved); for the workflow",
    )
    parser.add_argument(
        "--only-confirmed",
        action="store_true",
        help="serve only the entries named in $SIGNUPSHEET_CONFIRMED (the registration job's "
        "output: a JSON list of [event id, session id, login]), and send the confirmation mail "
        "to the sealed addresses they hold (once per address per day); for the workflows",
    )
    parser.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    parser.add_argument(
        "--branch", default=None, help="branch to push to (default: the current branch)"
    )
    parser.add_argument(
        "--checkpoint",
        type=int,
        default=DEFAULT_CHECKPOINT,
        metavar="N",
        help="with --push, claim (commit and push link_sent for) at most N people at a time "
        "before mailing them (default: %(default)s; 0: everyone due at once)",
    )
    parser.add_argument(
        "--report-after",
        type=int,
        default=DEFAULT_REPORT_AFTER_MINUTES,
        metavar="MINUTES",
        help="report a refused recipient as failing once they have been due this long "
        "(default: %(default)s, about three scheduled runs)",
    )


def _current_branch(root: Path) -> str:
    from signupsheet.registration import git_sync

    branch = git_sync.git(root, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    if branch == "HEAD":
        raise UserError("--push needs a branch: check one out or give --branch")
    return branch


def _outcome_line(outcome: DeliveryOutcome, dry_run: bool) -> str:
    label = _LABELS[outcome.status]
    text = f"{label:<12} {outcome.who:<24} {outcome.where}"
    if outcome.status in ("sent", "would-send"):
        source = "contacts" if outcome.source == "contacts" else "GitHub profile"
        link = " <link hidden>" if dry_run else ""
        return f"{text}{link} (address from {source})"
    if outcome.reason:
        text += f": {outcome.reason}"
    if outcome.repeated:
        text += " [failing repeatedly]"
    if outcome.notified:
        text += " [told on their issue]"
    return text


def _totals(report: DeliveryReport) -> str:
    parts = [
        f"{len(report.with_status(status))} {_LABELS[status]}"
        for status in _LABELS
        if report.with_status(status)
    ]
    text = ", ".join(parts) if parts else "nobody due"
    return f"{text} ({report.transport})"


def summary_markdown(report: DeliveryReport) -> str:
    """The job summary for organizers: counts, and people by login only."""
    lines = ["## Meeting links", "", f"{_totals(report)} at {report.now:%Y-%m-%d %H:%M} UTC.", ""]
    unreachable = report.with_status("unreachable")
    if unreachable:
        lines += [
            "### Unreachable",
            "",
            "No address in SIGNUPSHEET_CONTACTS and no public e-mail on the GitHub profile. "
            "Add them to the contacts secret when they write to you.",
            "",
        ]
        lines += [f"- `{outcome.who}` ({outcome.where})" for outcome in unreachable]
        lines.append("")
    if report.notices_waiting:
        lines += [
            f"{report.notices_waiting} not told on their issue yet: a run posts a limited "
            "number of notices, the rest follow in the next runs.",
            "",
        ]
    refused = report.with_status("refused")
    if refused:
        lines += ["### Refused by the mail server", ""]
        for outcome in refused:
            minutes = (
                int((report.now - outcome.since).total_seconds() // 60) if outcome.since else 0
            )
            flag = " — **failing repeatedly**" if outcome.repeated else ""
            lines.append(
                f"- `{outcome.who}` ({outcome.where}): reply code {outcome.code}, "
                f"due for {minutes} min{flag}"
            )
        lines.append("")
    sections: tuple[tuple[str, DeliveryStatus], ...] = (
        ("Missing links", "no-link"),
        ("Deferred", "deferred"),
    )
    for title, status in sections:
        items = report.with_status(status)
        if items:
            lines += [f"### {title}", ""]
            lines += [f"- `{outcome.who}` ({outcome.where}): {outcome.reason}" for outcome in items]
            lines.append("")
    if report.down:
        lines += ["### Mail server unavailable", "", report.down, ""]
    if report.push_error:
        lines += ["### Not recorded", "", report.push_error, ""]
    return "\n".join(lines)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.delivery.confirmation import confirm_sealed
    from signupsheet.delivery.confirmed import CONFIRMED_VARIABLE, decode
    from signupsheet.delivery.sending import PushTarget, configure, send_due_links
    from signupsheet.registration import git_sync
    from signupsheet.registration.contact_check import mask_opened_addresses
    from signupsheet.site.urls import published_site

    environ = os.environ
    mask_opened_addresses(lambda address: print_masks(environ, [address]))
    only = None
    if args.only_confirmed:
        only = decode(environ.get(CONFIRMED_VARIABLE, ""))
        if not only:
            print("nobody confirmed by the registration run: nothing to send")
            write_outputs(environ, changed=False)
            return 0
    push = None
    if args.push and not args.dry_run:
        push = PushTarget(remote=args.remote, branch=args.branch or _current_branch(project.root))
        header = git_sync.git_push_auth(
            environ.get("GITHUB_TOKEN", "").strip(), environ.get("GITHUB_SERVER_URL", "").strip()
        )
        print_masks(environ, [header] if header else [])
    if only and not args.dry_run:
        # The registration job stored these sealed addresses without mail settings: their
        # confirmation goes out here, before any link, once per address per day.
        config = configure(environ, published_site(project.root))
        confirmations = confirm_sealed(
            project,
            only,
            contact_key=config.contact_key,
            environ=environ,
            now=now_from(args),
            push=None if push is None else (push.remote, push.branch),
        )
        if confirmations:
            print(f"sent {confirmations} confirmation mail(s) for newly sealed addresses")
    report: DeliveryReport | None = None
    try:
        report = send_due_links(
            project,
            now=now_from(args),
            environ=environ,
            push=push,
            only=only,
            dry_run=args.dry_run,
            report_after=timedelta(minutes=args.report_after),
            checkpoint=args.checkpoint,
        )
    finally:
        # A run that stops part-way may already have pushed link_sent: rebuild the site then
        # too (a rebuild of an unchanged site is harmless).
        pushed = report.commit is not None if report is not None else push is not None
        write_outputs(environ, changed=pushed)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for outcome in report.outcomes:
            print(_outcome_line(outcome, args.dry_run))
        print(_totals(report))
        if report.replayed:
            print(f"{report.replayed} sent by an interrupted run, recorded now")
        if report.recorded:
            where = f" in commit {report.commit[:12]}" if report.commit else ""
            print(f"recorded link_sent for {report.recorded} registrations{where}")
    for line in report.unknown_link_lines:
        # By line: a key is not shown, in case it is a value written in the wrong place.
        print(
            f"warning: SIGNUPSHEET_MEETING_LINKS:{line}: the key on this line names no event "
            "or session",
            file=sys.stderr,
        )
    for item in report.problems:
        print(item, file=sys.stderr)
    if report.down:
        print(f"error: {report.down}", file=sys.stderr)
    if report.push_error:
        print(f"error: {report.push_error}", file=sys.stderr)
    append_summary(environ, summary_markdown(report))
    return report.exit_code
