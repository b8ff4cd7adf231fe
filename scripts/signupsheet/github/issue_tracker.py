"""The GitHub edge of the sweep: PyGithub behind the small `Tracker` interface.

Thin on purpose: no decisions here. The client (`client.connect`) retries transient failures;
what still fails stops the run, and the next run retries. Only comments written by the bot
account and carrying the marker count as our reply, so nobody can make the bot edit a comment
of theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal, ParamSpec, TypeVar

from github.Issue import Issue
from github.IssueComment import IssueComment
from github.Repository import Repository

from github import GithubException
from signupsheet.registration.issues.issue_replies import REPLY_MARKER
from signupsheet.registration.issues.sweep import (
    Reply,
    TrackedIssue,
    TrackerUnavailable,
)

P = ParamSpec("P")
R = TypeVar("R")


def _transient(call: Callable[P, R]) -> Callable[P, R]:
    """After PyGithub's own retries, a 5xx or rate limit means: stop this run, the next retries."""

    @functools.wraps(call)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return call(*args, **kwargs)
        except GithubException as error:
            if error.status >= 500 or error.status in (403, 429):
                raise TrackerUnavailable(
                    f"GitHub answered {error.status}; try again later"
                ) from error
            raise

    return wrapper


def _tracked(issue: Issue) -> TrackedIssue:
    created = issue.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return TrackedIssue(
        number=issue.number,
        author=issue.user.login,
        created=created,
        body=issue.body,
        labels=tuple(label.name for label in issue.labels),
        open=issue.state == "open",
        author_id=issue.user.id,
    )


# The login GitHub gives the workflow token's comments.
DEFAULT_BOT = "github-actions[bot]"


class GitHubTracker:
    def __init__(self, repo: Repository, bot_login: str = DEFAULT_BOT) -> None:
        self.repo = repo
        self.bot_login = bot_login.casefold()
        self._issues: dict[int, Issue] = {}

    def _issue(self, number: int) -> Issue:
        if number not in self._issues:
            self._issues[number] = self.repo.get_issue(number)
        return self._issues[number]

    @_transient
    def list_requests(
        self, labels: Sequence[str], *, state: Literal["open", "closed"], since: datetime | None
    ) -> list[TrackedIssue]:
        found: dict[int, TrackedIssue] = {}
        for label in labels:
            # One label per query: GitHub ANDs the labels of a query.
            if since is None:
                listing = self.repo.get_issues(state=state, labels=[label], direction="asc")
            else:
                listing = self.repo.get_issues(
                    state=state, labels=[label], direction="asc", since=since
                )
            for issue in listing:
                if issue.pull_request is not None:
                    continue
                self._issues[issue.number] = issue
                found[issue.number] = _tracked(issue)
        return [found[number] for number in sorted(found)]

    @_transient
    def get(self, number: int) -> TrackedIssue | None:
        try:
            issue = self.repo.get_issue(number)
            tracked = _tracked(issue)
        except GithubException as error:
            if error.status in (404, 410):
                return None
            raise
        if issue.pull_request is not None:
            return None
        self._issues[number] = issue
        return tracked

    def _ours(self, number: int) -> list[IssueComment]:
        return sorted(
            (
                comment
                for comment in self._issue(number).get_comments()
                if comment.user.login.casefold() == self.bot_login
                and REPLY_MARKER in (comment.body or "")
            ),
            key=lambda comment: comment.id,
        )

    @_transient
    def find_reply(self, number: int) -> Reply | None:
        ours = self._ours(number)
        return Reply(ours[0].id, ours[0].body) if ours else None

    @_transient
    def reply(self, number: int, text: str) -> None:
        ours = self._ours(number)
        if not ours:
            self._issue(number).create_comment(text)
            # Two runs may have answered at once: the oldest comment stays, the others go.
            ours = self._ours(number)
        elif ours[0].body != text:
            ours[0].edit(text)
        for extra in ours[1:]:
            try:
                extra.delete()
            except GithubException as error:
                if error.status != 404:
                    raise

    @_transient
    def finish(self, number: int, labels: Sequence[str], *, close: bool, completed: bool) -> None:
        issue = self._issue(number)
        if sorted(label.name for label in issue.labels) != sorted(labels):
            issue.set_labels(*labels)
        if close and issue.state != "closed":
            issue.edit(state="closed", state_reason="completed" if completed else "not_planned")
