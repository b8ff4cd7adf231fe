"""The GitHub edge of the sweep: PyGithub behind the small `Tracker` interface.

Thin on purpose: no decisions here. The client (`client.connect`) retries transient failures;
what still fails stops the run, and the next run retries. Only comments written by the bot
account and carrying the marker count as our reply, so nobody can make the bot edit a comment
of theirs.

Requests are counted (see registration/issues/sweep.py): one listing of 100 issues a page, the
issues kept as listed (or as the webhook payload gave them) so that labels and state are known
without fetching, labels and closing in one PATCH, and comments listed once per issue at most.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, ParamSpec, TypeVar

from github.Issue import Issue, IssueSearchResult
from github.IssueComment import IssueComment
from github.PaginatedList import PaginatedList
from github.Repository import Repository

from github import GithubException
from signupsheet.registration.issues.issue_replies import REPLY_MARKER
from signupsheet.registration.issues.sweep import (
    RateLimited,
    Reply,
    TrackedIssue,
    TrackerUnavailable,
)

# The workflow whose scheduled runs are the sweep's safety net.
WORKFLOW = "registration.yml"

P = ParamSpec("P")
R = TypeVar("R")


def _transient(call: Callable[P, R]) -> Callable[P, R]:
    """After PyGithub's own retries, a 5xx or rate limit means: stop this run, the next retries."""

    @functools.wraps(call)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return call(*args, **kwargs)
        except GithubException as error:
            limited = rate_limit_message(error)
            if limited is not None:
                raise RateLimited(limited) from error
            if error.status >= 500 or error.status in (403, 429):
                raise TrackerUnavailable(
                    f"GitHub answered {error.status}; try again later"
                ) from error
            raise

    return wrapper


def rate_limit_message(error: GithubException) -> str | None:
    """What to say when `error` is GitHub's primary or secondary rate limit, else None."""
    headers = {key.casefold(): str(value) for key, value in (error.headers or {}).items()}
    if error.status not in (403, 429):
        return None
    if headers.get("x-ratelimit-remaining") == "0":
        reset = headers.get("x-ratelimit-reset", "")
        when = ""
        if reset.isdigit():
            moment = datetime.fromtimestamp(int(reset), UTC)
            when = f" until {moment:%H:%M} UTC"
        limit = headers.get("x-ratelimit-limit", "?")
        return (
            f"GitHub's rate limit of {limit} requests an hour is used up{when}; "
            "stopping, the next run carries on"
        )
    if "retry-after" in headers or error.status == 429:
        wait = headers.get("retry-after", "?")
        return (
            f"GitHub's secondary rate limit is reached (retry after {wait} s); "
            "stopping, the next run carries on"
        )
    return None


def _is_pull_request(issue: Issue) -> bool:
    """Whether a listed issue is a pull request, without fetching it again.

    GitHub marks pull requests with a `pull_request` key and leaves it out for issues; PyGithub
    completes a listed object (one GET) when an attribute it did not carry is read, so the key
    is looked up in the data as listed."""
    return issue._rawData.get("pull_request") is not None


def _utc(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


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
        comments=issue.comments,
        updated=_utc(issue.updated_at),
        closed=_utc(issue.closed_at),
    )


def _full_name(repo: Repository) -> str:
    """OWNER/NAME, from the address the repository was made with: a lazy repository (see
    `client.connect`) would be fetched to read its `full_name`."""
    return repo.url.rsplit("/repos/", 1)[-1]


# The login GitHub gives the workflow token's comments.
DEFAULT_BOT = "github-actions[bot]"


class GitHubTracker:
    def __init__(self, repo: Repository, bot_login: str = DEFAULT_BOT) -> None:
        self.repo = repo
        self.bot_login = bot_login.casefold()
        self._issues: dict[int, Issue] = {}
        # The bot's comments on an issue, once listed: one run at a time writes them.
        self._replies: dict[int, list[IssueComment]] = {}
        self._writes = 0

    @property
    def writes(self) -> int:
        """The content-creating requests (POST, PATCH, DELETE) made so far."""
        return self._writes

    def from_payload(self, data: Any) -> TrackedIssue | None:
        """The `issue` of a webhook payload, kept like a listed one: no request."""
        if not isinstance(data, dict) or not isinstance(data.get("number"), int):
            return None
        if data.get("pull_request") is not None:
            return None
        try:
            issue = Issue(self.repo.requester, {}, data, completed=True)
            tracked = _tracked(issue)
        except (AttributeError, KeyError, TypeError, ValueError):
            return None  # not the shape GitHub sends: the listing finds the issue anyway
        self._issues[issue.number] = issue
        return tracked

    def _issue(self, number: int) -> Issue:
        if number not in self._issues:
            self._issues[number] = self.repo.get_issue(number)
        return self._issues[number]

    @_transient
    def list_requests(
        self, labels: Sequence[str], *, state: Literal["open", "closed"], since: datetime | None
    ) -> list[TrackedIssue]:
        found: dict[int, TrackedIssue] = {}
        # One listing, the labels filtered here: GitHub ANDs the labels of a query, and one
        # query per label would list again what carries both.
        if since is None:
            listing = self.repo.get_issues(state=state, direction="asc")
        else:
            listing = self.repo.get_issues(state=state, direction="asc", since=since)
        wanted = set(labels)
        for issue in listing:
            if _is_pull_request(issue):
                continue
            if not wanted.intersection(label.name for label in issue.labels):
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
        self._replies.pop(number, None)
        return tracked

    def _ours(self, number: int) -> list[IssueComment]:
        self._replies[number] = sorted(
            (
                comment
                for comment in self._issue(number).get_comments()
                if comment.user.login.casefold() == self.bot_login
                and REPLY_MARKER in (comment.body or "")
            ),
            key=lambda comment: comment.id,
        )
        return self._replies[number]

    @_transient
    def find_reply(self, number: int) -> Reply | None:
        # Listed once per issue: one sweep at a time writes the bot's comments, and `get`
        # (a fresh look at the issue) forgets them.
        ours = self._replies[number] if number in self._replies else self._ours(number)
        return Reply(ours[0].id, ours[0].body) if ours else None

    @_transient
    def reply(self, number: int, text: str, *, first: bool = False) -> None:
        if first and number not in self._replies:
            self._writes += 1
            self._replies[number] = [self._issue(number).create_comment(text)]
            return
        ours = self._replies[number] if number in self._replies else self._ours(number)
        if not ours:
            self._writes += 1
            self._issue(number).create_comment(text)
            # Two runs may have answered at once: the oldest comment stays, the others go.
            ours = self._ours(number)
        elif ours[0].body != text:
            self._writes += 1
            ours[0].edit(text)
        for extra in ours[1:]:
            self._writes += 1
            try:
                extra.delete()
            except GithubException as error:
                if error.status != 404:
                    raise

    @_transient
    def finish(self, number: int, labels: Sequence[str], *, close: bool, completed: bool) -> None:
        issue = self._issue(number)
        change: dict[str, Any] = {}
        if sorted(label.name for label in issue.labels) != sorted(labels):
            change["labels"] = list(labels)
        if close and issue.state != "closed":
            change["state"] = "closed"
            change["state_reason"] = "completed" if completed else "not_planned"
        if change:
            # Labels and state in one request.
            self._writes += 1
            issue.edit(**change)

    @_transient
    def answered_since(self, labels: Sequence[str], since: datetime) -> int:
        """One search request; GitHub's search has its own rate limit (30 a minute), apart from
        the 1,000 REST requests an hour. A comma between labels means either of them. Closed
        issues updated since: answered then, or answered again (an edit, a promotion), which a
        count of closings alone would miss."""
        moment = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        query = (
            f"repo:{_full_name(self.repo)} is:issue is:closed updated:>={moment} "
            f"label:{','.join(labels)}"
        )
        found = PaginatedList(
            IssueSearchResult, self.repo.requester, "/search/issues", {"q": query, "per_page": 1}
        )
        return found.totalCount

    @_transient
    def last_safety_net(self) -> datetime | None:
        runs = self.repo.get_workflow(WORKFLOW).get_runs(event="schedule", status="success")
        for run in runs:  # newest first: the first page only
            return _utc(run.run_started_at or run.created_at)
        return None
