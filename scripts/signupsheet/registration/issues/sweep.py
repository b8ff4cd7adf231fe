"""Handling every open registration and cancellation issue, idempotently.

A workflow run may be cancelled, killed or skipped by GitHub's concurrency groups, so each run
catches up on every open issue rather than the one that triggered it, and each step can be
repeated without effect: the rules decide again on the freshly fetched sheet (a second
registration is `unchanged`), the bot's one comment per issue is found by its marker and edited
in place, labels are set (not added), and closing a closed issue changes nothing. Closed issues
edited after their answer (the body digest in the comment differs) are evaluated again.

What a run costs in API requests does not grow with the history of the repository (a workflow
token may make 1,000 REST requests an hour):

- Open issues are listed once (100 a page); the listing carries body, labels, author and the
  comment count, so no issue is fetched again. The workflow's concurrency group runs one sweep
  at a time, so nothing is looked up twice.
- An issue without comments is answered by creating the comment (nothing to look for); only an
  issue with comments has them listed once, to find the bot's answer and edit it in place.
  Labels and closing are one request.
- A run started by an issue event handles the issue of its webhook payload (`triggered`), read
  from the payload rather than fetched: an edited or reopened closed issue is decided again there.
- A run without a triggering issue (the hourly schedule, or started by hand) is the safety net
  for events whose run GitHub dropped (a newer pending run replaces an older one). It looks only
  at what changed since its anchor: the start of the last successful scheduled run (from the
  Actions API, less a margin for clocks), or `EDIT_WINDOW` ago when there is none. It lists the
  closed registration and cancellation issues updated since then and reads the comments only of
  those updated after they were closed; and it tells the people moved up from the waiting list
  since then (their entry's `promoted` time, read from the files) whose issue still says
  "waiting list", one request each to look.
- A run paces itself to stay under GitHub's limit of about 500 content-creating requests an
  hour (comments, label changes, closing), shared by everything using the token: the sweep
  allows itself `WRITE_BUDGET` of them in any rolling hour. Before answering its first open
  issue, a run asks GitHub (one search request) how many closed registration and cancellation
  issues were updated in the last hour (answered, or answered again after an edit or a
  promotion); each cost about `WRITES_PER_ANSWER`. It counts its own writes
  exactly, and answers open issues, oldest first, while the next answer fits. The rest stay
  open and wait for a later run (the next issue event or the hourly schedule), which the report
  says; that is not a failure. Closed issues edited after their answer and people moved up from
  the waiting list are never left waiting: the next safety net looks only at what changed after
  this one, so they would be lost; they are few, and the budget keeps a margin for them.
- When GitHub's rate limit is reached, the tracker raises `TrackerUnavailable`: the run stops
  at once, reports, and the next run carries on. Every step is safe to repeat, and an issue
  whose sign-up was pushed but not answered is still open, so the next run answers it.

The issue tracker is passed in (PyGithub in production, see github/issue_tracker.py), so this module
does no network I/O itself; git runs through git_sync.
"""

from __future__ import annotations

import random
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol, TextIO

from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.core.rules import Actor, BanCheck, CancelRequest, Outcome, Request
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.eventfiles.catalog import load_catalog, load_event
from signupsheet.registration import git_sync
from signupsheet.registration.applying import Applied, apply_request, known_event
from signupsheet.registration.contact_check import SealedHook, reply_note, request_contact_check
from signupsheet.registration.issues.form_events import open_events, stale_forms
from signupsheet.registration.issues.issue_form import MAX_BODY, Form, load_form
from signupsheet.registration.issues.issue_replies import (
    answered_digest,
    answered_entry,
    body_digest,
    cancellation_reply,
    problems_reply,
    registration_reply,
    too_long_reply,
)
from signupsheet.registration.issues.issue_request import IssueRequest, RequestKind, read_issue
from signupsheet.site.urls import published_site

LABELS: dict[RequestKind, str] = {"register": "registration", "cancel": "cancellation"}
StateLabel = Literal["registered", "waitlisted", "cancelled", "refused", "needs-changes"]

# How far back the safety net looks when no scheduled run has succeeded before.
EDIT_WINDOW = timedelta(days=7)
# Taken off the anchor, for the clocks of GitHub's servers and of the runner.
ANCHOR_MARGIN = timedelta(minutes=5)
# An issue updated later than it was closed was touched after its answer (the answer comes
# before the closing, and labels and closing are one request).
SETTLED = timedelta(0)
# Content-creating requests (POST, PATCH, PUT, DELETE) the sweep allows itself in any rolling
# hour, of the about 500 GitHub allows a token. The rest is kept for the other writers that share
# the workflow token: send-links' notices to unreachable people (`NOTICE_CAP` a run, 90 an
# hour), the pull request bot (a few a pull request), and the sweep's own writes the search does
# not count (answers asking for changes, which keep the issue open; people moved up from the
# waiting list; answers to edits of issues already closed).
WRITE_BUDGET = 400
# What answering one issue costs: the comment, then the labels and the closing in one request.
WRITES_PER_ANSWER = 2
PACING_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class TrackedIssue:
    number: int
    author: str
    created: datetime
    body: str | None
    labels: tuple[str, ...]
    open: bool
    # The author's numeric account id (the payload's `user.id`): what binds the entry, since a
    # login can pass to someone else after a rename.
    author_id: int | None = None
    # How many comments the issue has (None: unknown); 0 means nobody answered yet.
    comments: int | None = None
    updated: datetime | None = None
    closed: datetime | None = None


@dataclass(frozen=True)
class Reply:
    id: int
    body: str


class TrackerUnavailable(Exception):
    """The issue tracker kept failing (5xx, rate limit) after its retries: stop, retry later."""


class RateLimited(TrackerUnavailable):
    """GitHub's rate limit is reached: every further request would fail too."""


class Tracker(Protocol):
    """The issue operations a sweep needs; every one of them must be safe to repeat."""

    def list_requests(
        self, labels: Sequence[str], *, state: Literal["open", "closed"], since: datetime | None
    ) -> list[TrackedIssue]: ...

    def get(self, number: int) -> TrackedIssue | None: ...

    def find_reply(self, number: int) -> Reply | None: ...

    def reply(self, number: int, text: str, *, first: bool = False) -> None:
        """Create the bot's comment, or edit it in place; never leave two.

        `first`: the issue has no comment at all (its listing said so), so the comment is
        created without looking for one."""

    def finish(self, number: int, labels: Sequence[str], *, close: bool, completed: bool) -> None:
        """Set exactly these labels; close the issue when asked."""

    def last_safety_net(self) -> datetime | None:
        """When the last successful scheduled run started, or None."""

    def answered_since(self, labels: Sequence[str], since: datetime) -> int:
        """How many closed issues with one of these labels were updated at or after `since`:
        each is an answer written in that time (a closing, an edited answer, a promotion)."""

    @property
    def writes(self) -> int:
        """The content-creating requests this tracker made so far."""


# Called after the push for every entry that became confirmed (a new registration or a
# promotion from the waiting list), e.g. to send the meeting link at once when the sign-up
# lands inside the link window. It must be idempotent: a later sweep may call it again.
ConfirmedHook = Callable[[Event, Session, Registration], None]


@dataclass
class SweepReport:
    handled: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)
    # Set when GitHub's rate limit stopped the run.
    rate_limited: str | None = None
    # Open issues left for a later run: answering them would pass `WRITE_BUDGET`.
    waiting: list[int] = field(default_factory=list)


@dataclass
class Sweeper:
    project: Project
    tracker: Tracker
    clock: Callable[[], datetime]
    repo_url: str
    remote: str = "origin"
    branch: str = "main"
    push_attempts: int = 30
    on_confirmed: ConfirmedHook | None = None
    # Read once by the command (the list needs its key); None: banlist.txt without a key.
    banned: BanCheck | None = None
    log: TextIO = sys.stderr
    forms: dict[RequestKind, Form] = field(default_factory=dict)
    # How long a run that changed nothing waits for a concurrent run's answer (seconds).
    answer_grace: tuple[float, float] = (1.0, 3.0)
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[float, float], float] = random.uniform
    # Commits this sweeper pushed (the site needs a rebuild when there are any).
    pushed: list[str] = field(default_factory=list)
    # The private key for sealed contacts (None: kept unread), and the confirmation mail.
    contact_key: str | None = None
    on_sealed: SealedHook | None = None
    # Content-creating requests allowed in a rolling hour (see `WRITE_BUDGET`).
    write_budget: int = WRITE_BUDGET
    _anchor: datetime | None = field(default=None, init=False, repr=False)
    # The tracker's write count when the ledger was read, and the writes it found then.
    _ledger: tuple[int, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.forms:
            self.forms = {
                "register": load_form(self.project.forms_dir / "register.yml"),
                "cancel": load_form(self.project.forms_dir / "cancel.yml"),
            }

    # --- which issues ------------------------------------------------------------------------

    def pending(self, triggered: TrackedIssue | None = None) -> list[TrackedIssue]:
        labels = list(LABELS.values())
        found = {
            issue.number: issue
            for issue in self.tracker.list_requests(labels, state="open", since=None)
        }
        if triggered is not None:
            # The issue of the webhook payload: an edited or reopened answer is decided again.
            wanted = _kind(triggered) is not None and triggered.number not in found
            if wanted and (triggered.open or self._edited_since_answer(triggered)):
                found[triggered.number] = triggered
        else:
            since = self.anchor()
            for issue in self.tracker.list_requests(labels, state="closed", since=since):
                if (
                    issue.number not in found
                    and _touched_after_closing(issue)
                    and self._edited_since_answer(issue)
                ):
                    found[issue.number] = issue
        # First come, first served: older issues are decided first.
        return [found[number] for number in sorted(found)]

    def anchor(self) -> datetime:
        """Since when the safety net looks: see the module's docstring. Asked once a sweeper."""
        if self._anchor is None:
            window = self.clock() - EDIT_WINDOW
            last = self.tracker.last_safety_net()
            self._anchor = window if last is None else max(window, last - ANCHOR_MARGIN)
        return self._anchor

    def fits(self, writes: int = WRITES_PER_ANSWER) -> bool:
        """Whether `writes` more content-creating requests keep the last hour within the budget.

        The first call asks GitHub how many closed issues were answered in the last hour (one
        request); the writes made after it are counted as they happen."""
        if self._ledger is None:
            since = self.clock() - PACING_WINDOW
            answered = self.tracker.answered_since(list(LABELS.values()), since)
            self._ledger = (self.tracker.writes, answered * WRITES_PER_ANSWER)
        mark, before = self._ledger
        spent = before + self.tracker.writes - mark
        return spent + writes <= self.write_budget

    def _find_reply(self, issue: TrackedIssue) -> Reply | None:
        if issue.comments == 0:
            return None  # nobody commented, the bot included
        return self.tracker.find_reply(issue.number)

    def _edited_since_answer(self, issue: TrackedIssue) -> bool:
        # A closed issue we never answered was closed by a person (spam, duplicate): leave it.
        reply = self._find_reply(issue)
        return reply is not None and answered_digest(reply.body) != body_digest(issue.body)

    # --- one issue ---------------------------------------------------------------------------

    def run(self, triggered: TrackedIssue | None = None) -> SweepReport:
        report = SweepReport()
        try:
            pending = self.pending(triggered)
        except TrackerUnavailable as error:
            print(f"listing issues: {error}; stopping this run", file=self.log)
            report.failed.append((0, str(error)))
            if isinstance(error, RateLimited):
                report.rate_limited = str(error)
            return report
        for issue in pending:
            try:
                if issue.open and (report.waiting or not self.fits()):
                    # First come, first served: every later open issue waits as well.
                    report.waiting.append(issue.number)
                    continue
                report.handled.append((issue.number, self.handle(issue)))
            except TrackerUnavailable as error:
                print(f"issue #{issue.number}: {error}; stopping this run", file=self.log)
                report.failed.append((issue.number, str(error)))
                if isinstance(error, RateLimited):
                    report.rate_limited = str(error)
                break
            except (git_sync.GitError, UserError) as error:
                # Left open: the next run tries again. Other issues still get their turn.
                print(f"issue #{issue.number}: {error}", file=self.log)
                report.failed.append((issue.number, str(error)))
            except Exception as error:
                # A bug met on one issue's input: keep its traceback for the maintainers and
                # go on, or the issue would stop every run (it is handled first each time).
                print(f"issue #{issue.number}: unexpected error, left open:", file=self.log)
                traceback.print_exception(error, file=self.log)
                report.failed.append((issue.number, f"unexpected error: {error!r}"))
        if report.waiting:
            print(
                f"{len(report.waiting)} open issue(s) wait for a later run: answering them now "
                f"would pass {self.write_budget} content-creating requests in an hour",
                file=self.log,
            )
        self._refresh_forms(report)
        if triggered is None and report.rate_limited is None:
            try:
                self._reconcile_waitlist()
            except TrackerUnavailable as error:
                print(f"waiting list answers: {error}; the next run retries", file=self.log)
                report.failed.append((0, str(error)))
                if isinstance(error, RateLimited):
                    report.rate_limited = str(error)
        report.pushed = list(self.pushed)
        return report

    def _reconcile_waitlist(self) -> None:
        """Tell people moved up from the waiting list since the anchor who were not told yet.

        The run that pushes a cancellation tells the promoted people at once; this catches the
        rest: a run stopped before it could, seats freed by organizers. Entries record when they
        moved up (`promoted`), so only the issues of those promoted since the anchor are looked
        at.
        """
        since = self.anchor()
        for event, session, entry in promoted_since(self.project, since):
            if self._tell_promoted(event, session, entry) and self.on_confirmed is not None:
                self.on_confirmed(event, session, entry)

    def _refresh_forms(self, report: SweepReport) -> None:
        """Keep the forms' list of open events current: events open, start and pass with time."""

        def change() -> tuple[None, Sequence[Path]]:
            catalog = load_catalog(self.project)
            if catalog.problems:
                return None, []
            stale = stale_forms(self.project, catalog.events, self.clock())
            for path, text in stale.items():
                atomic_write(path, text)
            return None, list(stale)

        try:
            _, commit = git_sync.commit_and_push(
                self.project.root,
                change,
                "Update the list of open events in the issue forms",
                remote=self.remote,
                branch=self.branch,
                attempts=self.push_attempts,
            )
        except git_sync.GitError as error:
            print(f"forms: {error}", file=self.log)
            report.failed.append((0, str(error)))
            return
        if commit is not None:
            self.pushed.append(commit)

    def handle(self, issue: TrackedIssue) -> str:
        kind = _kind(issue)
        if kind is None:
            return "skipped"
        digest = body_digest(issue.body)
        if issue.body is not None and len(issue.body) > MAX_BODY:
            # Not made with the form (GitHub refuses such bodies): refused, not parsed.
            text = too_long_reply(digest, MAX_BODY)
            self.tracker.reply(issue.number, text, first=issue.comments == 0)
            self.tracker.finish(
                issue.number, [LABELS[kind], "refused"], close=True, completed=False
            )
            return "refused"
        parsed = read_issue(
            self.forms[kind],
            kind,
            issue.body,
            author=issue.author,
            created=issue.created,
            number=issue.number,
        )
        if parsed.ok and parsed.event is not None and not known_event(self.project, parsed.event):
            parsed.problems.append(
                f"There is no event {parsed.event!r}. Copy the id from the event's page or from "
                "the list below."
            )
            return self._needs_changes(issue, kind, parsed, digest, unknown=True)
        if not parsed.ok or parsed.event is None:
            return self._needs_changes(issue, kind, parsed, digest, unknown=False)
        checked = None
        if kind == "register" and parsed.request is not None:
            checked = request_contact_check(parsed.request, parsed.event, self.contact_key)
        if checked is not None and checked.verdict == "refused":
            # Kept open like any other problem: editing the issue fixes it.
            parsed.problems.append(checked.reason)
            return self._needs_changes(issue, kind, parsed, digest, unknown=False)
        earlier = self._find_reply(issue) if kind == "register" else None
        moved, applied, commit = self._decide_and_push(issue, kind, parsed, parsed.event, earlier)
        if commit is not None:
            self.pushed.append(commit)
        elif self._answered_meanwhile(issue, digest):
            return "answered by another run"
        if moved is not None and moved.event is not None:
            self._after(moved.event, moved.outcome)
        outcome = applied.outcome
        if kind == "register":
            text = registration_reply(outcome, applied.event, digest, self.repo_url)
            text += reply_note(checked, applied.event, outcome, self.on_sealed)
        else:
            text = cancellation_reply(outcome, applied.event, digest)
        # This run pushed the decision, so no other run answers it: with no comment on the
        # issue, the answer is created without looking.
        self.tracker.reply(issue.number, text, first=commit is not None and issue.comments == 0)
        self.tracker.finish(
            issue.number,
            [LABELS[kind], _state_label(outcome)],
            close=True,
            completed=not outcome.refused,
        )
        if applied.event is not None:
            self._after(applied.event, outcome)
        return outcome.outcome

    def _answered_meanwhile(self, issue: TrackedIssue, digest: str) -> bool:
        """When this run changed nothing, a concurrent run may have made the change and be about
        to answer: give it a moment (with jitter, so two waiting runs don't wake together)."""
        reply = self.tracker.find_reply(issue.number)
        if reply is not None and answered_digest(reply.body) == digest:
            return False  # our own earlier answer: refresh it as usual
        self.sleep(self.jitter(*self.answer_grace))
        fresh = self.tracker.get(issue.number)
        if fresh is None or fresh.open:
            return False
        reply = self.tracker.find_reply(issue.number)
        return reply is not None and answered_digest(reply.body) == digest

    def _needs_changes(
        self,
        issue: TrackedIssue,
        kind: RequestKind,
        parsed: IssueRequest,
        digest: str,
        *,
        unknown: bool,
    ) -> str:
        events: list[Event] = []
        if unknown:
            events = open_events(load_catalog(self.project).events, self.clock())
        text = problems_reply(
            parsed.problems,
            digest,
            open_events=events,
            site=published_site(self.project.root),
            unknown_event=unknown,
        )
        self.tracker.reply(issue.number, text, first=issue.comments == 0)
        # Kept open: saving an edit triggers a new evaluation.
        self.tracker.finish(
            issue.number, [LABELS[kind], "needs-changes"], close=False, completed=False
        )
        return "needs-changes"

    def _decide_and_push(
        self,
        issue: TrackedIssue,
        kind: RequestKind,
        parsed: IssueRequest,
        event_id: str,
        earlier: Reply | None = None,
    ) -> tuple[Applied | None, Applied, str | None]:
        """Decide and push; for an edited registration issue, also the cancellation of the
        entry it held before when the edit names another event or session (None otherwise)."""
        actor = Actor(issue.author)
        request: Request
        if kind == "register":
            assert parsed.request is not None
            request = replace(parsed.request, user_id=issue.author_id)
            if earlier is not None:
                # Answered before: an edit or a re-opening is judged when it is decided. Only
                # a first submission keeps its place in the queue (the issue's creation time).
                request = replace(request, at=None)
        else:
            # A cancellation form asks for nothing but the event and the session.
            request = CancelRequest(issue.author, parsed.session, user_id=issue.author_id)
        held = answered_entry(earlier.body) if earlier is not None else None

        def change() -> tuple[tuple[Applied | None, Applied], Sequence[Path]]:
            now = self.clock()
            applied = apply_request(
                self.project, event_id, request, actor=actor, now=now, banned=self.banned
            )
            moved = None
            target = (event_id, applied.outcome.session)
            if held is not None and held != target and not applied.outcome.refused:
                moved = self._release(issue, held, actor, now)
            written = [*applied.written, *(moved.written if moved else [])]
            return (moved, applied), written

        # The message names the event and the login, nothing the person wrote.
        verb = "Sign-up" if kind == "register" else "Cancellation"
        (moved, applied), commit = git_sync.commit_and_push(
            self.project.root,
            change,
            f"{verb} of {issue.author} for {event_id}",
            remote=self.remote,
            branch=self.branch,
            attempts=self.push_attempts,
        )
        return moved, applied, commit

    def _release(
        self, issue: TrackedIssue, held: tuple[str, str], actor: Actor, now: datetime
    ) -> Applied | None:
        """Cancel the entry this issue made before, when it is still this issue's."""
        event_id, session_id = held
        if not known_event(self.project, event_id):
            return None
        session = load_event(self.project, event_id).session(session_id)
        entry = session.find(issue.author, issue.author_id) if session is not None else None
        if entry is None or entry.source != f"issue:{issue.number}":
            return None  # gone already, or made another way (a pull request): not ours to move
        cancel = CancelRequest(issue.author, session_id, user_id=issue.author_id)
        return apply_request(
            self.project, event_id, cancel, actor=actor, now=now, banned=self.banned
        )

    def _after(self, event: Event, outcome: Outcome) -> None:
        session = event.session(outcome.session) if outcome.session else None
        if session is None:
            return
        confirmed: list[Registration] = []
        if outcome.outcome == "registered":
            entry = session.find(outcome.user)
            if entry is not None:
                confirmed.append(entry)
        for login in outcome.promoted:
            entry = session.find(login)
            if entry is None:
                continue
            confirmed.append(entry)
            self._tell_promoted(event, session, entry)
        if self.on_confirmed is not None:
            for entry in confirmed:
                self.on_confirmed(event, session, entry)

    def _tell_promoted(self, event: Event, session: Session, entry: Registration) -> bool:
        """Answer the issue of an entry moved up from the waiting list; False when there was
        nothing to tell (made another way, or its answer says so already)."""
        if not entry.source or not entry.source.startswith("issue:") or entry.login is None:
            return False
        number = int(entry.source.removeprefix("issue:"))
        issue = self.tracker.get(number)
        if issue is None or "waitlisted" not in issue.labels:
            return False
        outcome = Outcome(
            "registered",
            event.id,
            session.id,
            entry.login,
            "You are registered.",
            status="confirmed",
        )
        text = registration_reply(
            outcome, event, body_digest(issue.body), self.repo_url, promoted=True
        )
        self.tracker.reply(number, text)
        self.tracker.finish(number, [LABELS["register"], "registered"], close=True, completed=True)
        return True


def promoted_since(project: Project, since: datetime) -> list[tuple[Event, Session, Registration]]:
    """Entries made by an issue that moved up from the waiting list at or after `since` (their
    `promoted` time, set by the rules) and hold their seat now. Read from the files: no request."""
    catalog = load_catalog(project)
    found: list[tuple[Event, Session, Registration]] = []
    for event in catalog.events:
        for session in event.sessions:
            for entry in session.registrations:
                promoted = entry.promoted
                if (
                    promoted is not None
                    and promoted >= since
                    and entry.status == "confirmed"
                    and (entry.source or "").startswith("issue:")
                ):
                    found.append((event, session, entry))
    return found


def _touched_after_closing(issue: TrackedIssue) -> bool:
    if issue.updated is None or issue.closed is None:
        return True  # unknown: look
    return issue.updated > issue.closed + SETTLED


def _kind(issue: TrackedIssue) -> RequestKind | None:
    for kind, label in LABELS.items():
        if label in issue.labels:
            return kind
    return None


def _state_label(outcome: Outcome) -> StateLabel:
    if outcome.refused:
        return "refused"
    if outcome.outcome == "cancelled" or outcome.status is None:
        return "cancelled"
    return "waitlisted" if outcome.status == "waitlisted" else "registered"
