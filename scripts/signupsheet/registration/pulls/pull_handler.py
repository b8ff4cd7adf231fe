"""Handling one pull request that edits a sign-up sheet: check, then re-apply, or answer.

The pull request's commits are fetched into a clone of the base branch and read as data
(`pull_check`); nothing of them is checked out or run. On `accept` the bot writes the entry itself,
the same way a registration issue is handled: the rules decide again on the newest sheet, the
entry gets the server's time, `source: pr:N` and its status, and the file is rendered with
comments intact. The commit is pushed with `git_sync.commit_and_push` (re-decided when main moved).

The pull request is never merged. The check looks at its net change only, so a merge (even one
that keeps main's tree) would make every commit of its branch reachable from main: a file added
and removed again, or the contributor's own commit address, would stay in main's history forever,
out of reach of `purge`. So the change is re-applied on main as an ordinary commit of the bot
whose only parent is main, and whose message names the author's login and the pull request (no
`Co-authored-by:` trailer: that would put an e-mail address in the history); then the pull
request is closed with a comment linking the commit. A push after the check is not part of it:
the pull request stays open and the check runs again for the new commits.

Refused or review pull requests get one comment (edited in place on re-runs) and stay open. The
tracker is passed in (PyGithub in production).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.core.rules import Actor, BanCheck, Outcome, takes_pull_requests
from signupsheet.eventfiles.catalog import load_event
from signupsheet.registration import git_sync
from signupsheet.registration.applying import Applied, apply_request, confirmed_by, known_event
from signupsheet.registration.contact_check import contact_key
from signupsheet.registration.pulls.pull_check import (
    CheckResult,
    Context,
    RegistrationChange,
    check_revisions,
    policy_agreed,
)
from signupsheet.registration.pulls.pull_replies import accepted_reply, check_reply, moved_reply

MAINTAINER_ASSOCIATIONS = ("OWNER", "MEMBER", "COLLABORATOR")
Handled = Literal["re-applied", "refused", "review", "accept-refused", "moved", "skipped"]


@dataclass(frozen=True)
class PullRequestInfo:
    """What the bot needs to know about a pull request, as the API says it."""

    number: int
    author: str
    head_sha: str
    base_ref: str
    body: str | None
    author_association: str
    open: bool
    merged: bool
    author_id: int | None = None  # the account id, which a rename keeps

    @property
    def maintainer(self) -> bool:
        return self.author_association in MAINTAINER_ASSOCIATIONS


class PullRequests(Protocol):
    def pull(self, number: int) -> PullRequestInfo: ...

    def reply(self, number: int, text: str) -> None:
        """Create the bot's one comment on the pull request, or edit it in place."""

    def close(self, number: int) -> None: ...


_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass
class PullRequestBot:
    project: Project
    tracker: PullRequests
    clock: Callable[[], datetime]
    repo_url: str
    banned: BanCheck
    remote: str = "origin"
    branch: str = "main"
    push_attempts: int = 30
    fetch_waits: tuple[float, ...] = (1.0, 2.0)
    sleep: Callable[[float], None] = time.sleep
    # Called after the push for each entry it confirmed (the author, or people moved up), e.g.
    # to name them to the job that mails the link.
    on_confirmed: Callable[[Event, Session, Registration], None] | None = None
    # Commits this bot pushed (the site needs a rebuild when there are any).
    pushed: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return self.project.root

    def fetch(self, pull: PullRequestInfo) -> bool:
        """Fetch main and the pull request's head; whether the head is the SHA the API gave."""
        ref = f"refs/remotes/{self.remote}/pull/{pull.number}"
        git_sync.git(
            self.root,
            "fetch",
            "--quiet",
            "--no-tags",
            self.remote,
            f"+refs/heads/{self.branch}:refs/remotes/{self.remote}/{self.branch}",
            f"+refs/pull/{pull.number}/head:{ref}",
        )
        fetched = git_sync.git(self.root, "rev-parse", "--verify", ref).stdout.strip()
        return fetched == pull.head_sha

    def check(self, pull: PullRequestInfo) -> CheckResult:
        context = Context(
            author=pull.author,
            now=self.clock(),
            agreed=policy_agreed(pull.body),
            banned=self.banned,
            maintainer=pull.maintainer,
            number=pull.number,
            contact_key=contact_key(),
            author_id=pull.author_id,
        )
        _, result = check_revisions(
            self.root, f"{self.remote}/{self.branch}", pull.head_sha, context, self.project
        )
        return result

    def handle(self, number: int) -> Handled:
        pull = self.tracker.pull(number)
        if not pull.open or pull.merged or pull.base_ref != self.branch:
            return "skipped"
        for wait in (*self.fetch_waits, None):
            if not _SHA.match(pull.head_sha):
                return "skipped"
            if self.fetch(pull):
                break
            if wait is None:
                # Pushed to while we looked: the run for the new commits checks them.
                self.tracker.reply(number, moved_reply())
                return "moved"
            # GitHub may not have updated refs/pull/N/head yet, or the API its head: ask again.
            self.sleep(wait)
            pull = self.tracker.pull(number)
            if not pull.open or pull.merged:
                return "skipped"
        result = self.check(pull)
        if result.verdict != "accept" or result.change is None:
            self.tracker.reply(number, check_reply(result))
            return "refused" if result.verdict == "refuse" else "review"
        applied, commit = self.apply(pull, result.change)
        if commit is None:
            # The rules, asked again on the newest sheet, said no (or nothing changed).
            self.tracker.reply(number, accepted_reply(applied, None, repo_url=""))
            if not applied.outcome.refused:
                self.tracker.close(number)
            return "accept-refused"
        # Commits pushed since the check are not part of the change: the pull request stays open
        # for the run that checks them (relative to what is on main now).
        self.pushed.append(commit)
        if self.on_confirmed is not None and applied.event is not None:
            for session, entry in confirmed_by(applied):
                self.on_confirmed(applied.event, session, entry)
        moved = self.tracker.pull(number).head_sha != pull.head_sha
        text = accepted_reply(applied, commit, repo_url=self.repo_url, moved=moved)
        self.tracker.reply(number, text)
        if not moved:
            self.tracker.close(number)
        return "re-applied"

    def apply(
        self, pull: PullRequestInfo, change: RegistrationChange
    ) -> tuple[Applied, str | None]:
        """Write the change on the newest main and push it as the bot's own commit."""

        def edit() -> tuple[Applied, Sequence[Path]]:
            applied = self._write(pull, change)
            return applied, applied.written

        verb = "Cancellation" if change.kind == "cancel" else "Sign-up"
        return git_sync.commit_and_push(
            self.root,
            edit,
            f"{verb} of {pull.author} for {change.event} (pull request #{pull.number})",
            remote=self.remote,
            branch=self.branch,
            attempts=self.push_attempts,
        )

    def _write(self, pull: PullRequestInfo, change: RegistrationChange) -> Applied:
        now = self.clock()
        actor = Actor(pull.author)
        if known_event(self.project, change.event):
            event = load_event(self.project, change.event)
            if not takes_pull_requests(event):
                # Switched off on main after the pull request was opened.
                reason = "This event takes no registrations by pull request any more."
                outcome = Outcome("refused", change.event, change.session, pull.author, reason)
                return Applied(outcome, event)
        request = change.request(
            agreed=policy_agreed(pull.body), source=f"pr:{pull.number}", user_id=pull.author_id
        )
        return apply_request(
            self.project, change.event, request, actor=actor, now=now, banned=self.banned
        )
