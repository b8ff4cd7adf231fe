"""The one way the product makes a PyGithub client: retries, back-off and polite pauses."""

from __future__ import annotations

from github.Repository import Repository

from github import Auth, Github, GithubRetry


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
    exponentially. `polite` keeps PyGithub's pauses between requests and writes, which GitHub
    asks for to avoid secondary rate limits; tests against a local double switch them off.
    """
    retry = GithubRetry(
        total=retries,
        backoff_factor=backoff,
        backoff_max=120,
        secondary_rate_wait=60,
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
