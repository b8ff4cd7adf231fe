"""The GitHub edge of the link delivery: public profile addresses, notices on registration issues.

Thin adapters over PyGithub behind the two small interfaces the delivery uses, so the delivery can
be run with fakes, or against a local double of GitHub's API in tests. Profiles are read through
the GraphQL API, 100 a query; notices go through the REST API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from github import Github

# PyGithub is imported only where it is used: every `signupsheet` command loads this module, and
# start-up time matters for the commands the workflows run.


class LookupUnavailable(Exception):
    """GitHub did not answer usefully (rate limit, outage): try this person again next run."""


# What a lookup found for one person: the public address, None when the profile shows none (or
# the account no longer exists), or why GitHub could not tell this time.
ProfileAnswer = str | None | LookupUnavailable

# GitHub's GraphQL API takes up to 100 `user` fields in a query; such a query costs one point of
# the 1,000 an hour a workflow's token has per repository, where REST would take 100 requests.
BATCH = 100


class ProfileLookup(Protocol):
    def public_emails(self, logins: Sequence[str]) -> Mapping[str, ProfileAnswer]:
        """The address each person made public on their profile, by casefolded login (logins
        are case-insensitive): every login asked for has an answer."""
        ...


class NoticeImpossible(Exception):
    """The issue or pull request cannot take the notice, now or later (deleted, locked)."""


class NoticesLimited(Exception):
    """GitHub limits the rate: no more notices this run."""


class IssueNotices(Protocol):
    def notify_once(self, number: int, marker: str, body: str) -> bool:
        """Comment `body` on issue or pull request `number` unless a comment with `marker` is
        there already; True when a comment was posted now. NoticeImpossible when it never can
        be, NoticesLimited when GitHub limits the rate; any other exception may pass with time."""
        ...


class NoProfiles:
    """Used when no GitHub token is available: only the contacts secret resolves addresses."""

    def public_emails(self, logins: Sequence[str]) -> dict[str, ProfileAnswer]:
        return {login.casefold(): None for login in logins}


def profiles_query(count: int) -> str:
    """The query for `count` profiles: field `uN` reads the user whose login is variable `lN`.
    Logins only ever travel as variables, never as text of the query."""
    if not 0 < count <= BATCH:
        raise ValueError(f"a query reads 1 to {BATCH} profiles, not {count}")
    variables = ", ".join(f"$l{index}: String!" for index in range(count))
    fields = " ".join(
        f"u{index}: user(login: $l{index}) {{ login email }}" for index in range(count)
    )
    return f"query({variables}) {{ {fields} }}"


class GitHubProfiles:
    """Public profile addresses through GitHub's GraphQL API, `BATCH` people a query."""

    def __init__(self, github: Github) -> None:
        self._github = github

    def public_emails(self, logins: Sequence[str]) -> dict[str, ProfileAnswer]:
        unique: dict[str, str] = {}
        for login in logins:
            unique.setdefault(login.casefold(), login)
        wanted = list(unique.values())
        answers: dict[str, ProfileAnswer] = {}
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            try:
                found, refused = self._query(batch)
            except LookupUnavailable as error:
                # Only this query's people wait for the next run; the other queries still go.
                answers.update({login.casefold(): error for login in batch})
                continue
            answers.update(found)
            # GitHub may refuse the `email` field to an installation token such as the
            # workflow's ("Resource not accessible by integration"): those people are read
            # through the REST API, one request each, as before batching.
            answers.update({login.casefold(): self._profile(login) for login in refused})
        return answers

    def _profile(self, login: str) -> ProfileAnswer:
        """One public profile through the REST API."""
        from github import GithubException, UnknownObjectException

        try:
            email = self._github.get_user(login).email
        except UnknownObjectException:
            return None
        except GithubException as error:
            return LookupUnavailable(f"GitHub answered {error.status}")
        except OSError as error:
            return LookupUnavailable(type(error).__name__)
        return email.strip() if isinstance(email, str) and email.strip() else None

    def _query(self, batch: Sequence[str]) -> tuple[dict[str, ProfileAnswer], list[str]]:
        from github import GithubException

        variables = {f"l{index}": login for index, login in enumerate(batch)}
        question = {"query": profiles_query(len(batch)), "variables": variables}
        requester = self._github.requester
        try:
            # What `Requester.graphql_query` sends, without its reading of the answer: it turns
            # any entry in `errors` into an exception, also the NOT_FOUND beside everyone else's
            # answer when one account no longer exists, and fails on an empty answer.
            _, answer = requester.requestJsonAndCheck("POST", requester.graphql_url, input=question)
        except GithubException as error:
            raise LookupUnavailable(f"GitHub answered {error.status}") from None
        except OSError as error:
            raise LookupUnavailable(type(error).__name__) from None
        except ValueError:
            raise LookupUnavailable("GitHub's answer was not JSON") from None
        return _read(answer, batch)


def _read(answer: Any, batch: Sequence[str]) -> tuple[dict[str, ProfileAnswer], list[str]]:
    """The answer to a query for `batch`, checked; and who to read otherwise, because GitHub
    refused their `email` field.

    An error about one person (its `path` starts with their alias) concerns that person only:
    NOT_FOUND means the account does not exist (any more), an error on their `email` sends them
    to the REST API, anything else defers them. Any other error, or an answer that is not
    complete, defers the whole batch (LookupUnavailable).
    """
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        raise LookupUnavailable(f"GitHub answered without data{_kinds(answer)}")
    aliases = {f"u{index}": login for index, login in enumerate(batch)}
    per_person: dict[str, str] = {}
    refused: list[str] = []
    for error in answer.get("errors") or []:
        path = error.get("path") if isinstance(error, dict) else None
        if not (isinstance(path, list) and path and path[0] in aliases):
            raise LookupUnavailable(f"GitHub answered with an error{_kinds(answer)}")
        if path[1:] == ["email"]:
            refused.append(aliases[path[0]])
        elif len(path) == 1:
            per_person[path[0]] = _kind(error)
        else:
            raise LookupUnavailable(f"GitHub answered with an error{_kinds(answer)}")
    answers: dict[str, ProfileAnswer] = {}
    for alias, login in aliases.items():
        if alias not in data:
            raise LookupUnavailable("GitHub's answer was incomplete")
        user, kind = data[alias], per_person.get(alias)
        if login in refused:
            continue
        if user is None and kind == "NOT_FOUND":
            answers[login.casefold()] = None
        elif user is None and kind is not None:
            answers[login.casefold()] = LookupUnavailable(f"GitHub answered {kind}")
        elif (
            isinstance(user, dict)
            and isinstance(user.get("login"), str)
            and user["login"].casefold() == login.casefold()
        ):
            email = user.get("email")
            answers[login.casefold()] = (
                email.strip() if isinstance(email, str) and email.strip() else None
            )
        else:
            raise LookupUnavailable("GitHub's answer did not match the question")
    return answers, refused


def _kind(error: Any) -> str:
    """The `type` of a GraphQL error when it is a plain name (it may be shown in the run's log)."""
    kind = error.get("type") if isinstance(error, dict) else None
    return kind if isinstance(kind, str) and re.fullmatch(r"[A-Z_]{1,40}", kind) else "an error"


def _kinds(answer: Any) -> str:
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if not isinstance(errors, list) or not errors:
        return ""
    return " (" + ", ".join(sorted({_kind(error) for error in errors})) + ")"


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
        from github import GithubException, RateLimitExceededException

        try:
            for comment in issue.get_comments():
                # Only the bot's own comments count: anyone can post the marker first to keep
                # someone else from being told.
                if comment.user.login.casefold() == self._bot and marker in (comment.body or ""):
                    return False
            issue.create_comment(body)
        except RateLimitExceededException:
            # Asking on while limited can get the token blocked for longer.
            raise NoticesLimited("GitHub limits the rate") from None
        except GithubException as error:
            # Gone (404, 410), locked or closed to comments (403), refused as it is (422):
            # asking again would only cost requests.
            if error.status in (403, 404, 410, 422):
                raise NoticeImpossible(f"GitHub answered {error.status}") from None
            raise
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
