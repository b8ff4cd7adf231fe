"""The GitHub edge of the link delivery: public profile addresses, notices on registration issues.

Thin adapters over PyGithub behind the two small interfaces the delivery uses, so the delivery can
be run with fakes, or against a local double of the REST API in tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from github import Github

# PyGithub is imported only where it is used: every `signupsheet` command loads this module, and
# start-up time matters for the commands the workflows run.


class LookupUnavailable(Exception):
    """GitHub did not answer usefully (rate limit, outage): try this person again next run."""


class ProfileLookup(Protocol):
    def public_email(self, login: str) -> str | None:
        """The address the person made public on their profile, None when there is none."""
        ...


class IssueNotices(Protocol):
    def notify_once(self, number: int, marker: str, body: str) -> bool:
        """Comment `body` on issue or pull request `number` unless a comment with `marker` is
        there already; True when a comment was posted now."""
        ...


class NoProfiles:
    """Used when no GitHub token is available: only the contacts secret resolves addresses."""

    def public_email(self, login: str) -> str | None:
        return None


class GitHubProfiles:
    def __init__(self, github: Github) -> None:
        self._github = github

    def public_email(self, login: str) -> str | None:
        from github import GithubException, UnknownObjectException

        try:
            user = self._github.get_user(login)
        except UnknownObjectException:
            return None
        except GithubException as error:
            raise LookupUnavailable(f"GitHub answered {error.status}") from None
        except OSError as error:
            raise LookupUnavailable(type(error).__name__) from None
        email = user.email
        return email.strip() if isinstance(email, str) and email.strip() else None


class GitHubIssueNotices:
    def __init__(
        self, github: Github, repository: str, bot_login: str = "github-actions[bot]"
    ) -> None:
        self._github = github
        self._repository = repository
        self._bot = bot_login.casefold()

    def notify_once(self, number: int, marker: str, body: str) -> bool:
        # The client is lazy (client.client): this makes no request.
        repo = self._github.get_repo(self._repository)
        issue = repo.get_issue(number)
        for comment in issue.get_comments():
            # Only the bot's own comments count: anyone can post the marker first to keep
            # someone else from being told.
            if comment.user.login.casefold() == self._bot and marker in (comment.body or ""):
                return False
        issue.create_comment(body)
        return True


def github_from_env(environ: Mapping[str, str]) -> Github | None:
    """A client with the workflow's token, or None when there is no token (local runs)."""
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        return None
    from signupsheet.github.client import client

    # No retries and no pauses: a profile that cannot be read now is deferred to the next
    # scheduled run, ten minutes later, while waiting here would hold every other mail back.
    return client(
        token,
        api_url=environ.get("GITHUB_API_URL", "https://api.github.com"),
        retries=0,
        polite=False,
    )
