"""The one way the product makes a PyGithub client: retries, back-off and polite pauses."""

from __future__ import annotations

from types import TracebackType
from typing import Any

# Re-exported: commands name the type without importing PyGithub themselves.
from github.Repository import Repository as Repository
from urllib3.connectionpool import ConnectionPool
from urllib3.response import HTTPResponse
from urllib3.util.retry import Retry

from github import Auth, Github, GithubRetry, RateLimitExceededExceedsMaxWait

# The longest a request waits for a rate limit before giving up; a run that would wait longer
# stops and leaves the rest to the next run (a primary limit resets only on the hour).
MAX_RATE_LIMIT_WAIT = 60.0


class BoundedRetry(GithubRetry):
    """`GithubRetry` that never waits longer than `max_rate_limit_wait` for a rate limit.

    `GithubRetry` caps the wait for a rate-limit reset, but urllib3 sleeps for any `Retry-After`;
    a long one raises here instead, like a far reset does there.
    """

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: HTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        if response is not None and response.status in (403, 429):
            wait = self.get_retry_after(response)
            limit = self.max_rate_limit_wait
            if wait is not None and limit is not None and wait > limit:
                headers: dict[str, Any] = dict(response.headers)
                raise RateLimitExceededExceedsMaxWait(
                    response.status,
                    {"message": f"rate limited: retry after {wait:.0f} s"},
                    headers,
                    wait=wait,
                )
        return super().increment(method, url, response, error, _pool, _stacktrace)


def client(
    token: str,
    *,
    api_url: str = "https://api.github.com",
    retries: int = 8,
    backoff: float = 1.0,
    polite: bool = True,
) -> Github:
    """A client that retries transient failures.

    Requests that fail with a 5xx or a rate-limit 403 are retried by PyGithub's `GithubRetry`
    (urllib3), which waits for `Retry-After` or the rate-limit reset and otherwise backs off
    exponentially; a rate limit that would make it wait more than `MAX_RATE_LIMIT_WAIT` raises
    at once (`RateLimitExceededExceedsMaxWait`), so a run stops instead of sleeping for up to an
    hour. `polite` keeps PyGithub's pauses between requests and writes, which GitHub asks for
    to avoid secondary rate limits; tests against a local double switch them off. Listings ask
    for 100 items a page, GitHub's most, to spend fewer requests.
    """
    retry = BoundedRetry(
        total=retries,
        backoff_factor=backoff,
        backoff_max=120,
        secondary_rate_wait=MAX_RATE_LIMIT_WAIT,
        max_rate_limit_wait=MAX_RATE_LIMIT_WAIT,
        # Every call we make is safe to repeat (a duplicate comment is removed by `reply`).
        allowed_methods={"GET", "POST", "PATCH", "PUT", "DELETE"},
        # When retries run out, answer with the last response, so PyGithub raises its error.
        raise_on_status=False,
    )
    return Github(
        auth=Auth.Token(token),
        base_url=api_url.rstrip("/"),
        retry=retry,
        lazy=True,
        timeout=30,
        per_page=100,
        seconds_between_requests=0.25 if polite else 0.0,
        seconds_between_writes=1.0 if polite else 0.0,
    )


def connect(
    token: str,
    repository: str,
    *,
    api_url: str = "https://api.github.com",
    backoff: float = 1.0,
    polite: bool = True,
) -> Repository:
    """The repository, through a `client`."""
    return client(token, api_url=api_url, backoff=backoff, polite=polite).get_repo(repository)
