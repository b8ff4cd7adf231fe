"""The GitHub edge of pull request handling: PyGithub behind the small `PullRequests` interface.

Thin on purpose: no decisions here. The bot's one comment is written by the issue tracker's
`reply` (a pull request is an issue to GitHub's comment API), so both bots find and edit their
comment the same way, and retries on 5xx and rate limits are the same client's.
"""

from __future__ import annotations

from github.PullRequest import PullRequest
from github.Repository import Repository

from signupsheet.github.issue_tracker import DEFAULT_BOT, GitHubTracker
from signupsheet.registration.pulls.pull_handler import PullRequestInfo


def _info(pull: PullRequest) -> PullRequestInfo:
    return PullRequestInfo(
        number=pull.number,
        author=pull.user.login,
        head_sha=pull.head.sha,
        base_ref=pull.base.ref,
        body=pull.body,
        author_association=str(pull.raw_data.get("author_association", "NONE")),
        open=pull.state == "open",
        merged=bool(pull.merged),
        author_id=pull.user.id,
    )


class GitHubPullRequests:
    def __init__(self, repo: Repository, bot_login: str = DEFAULT_BOT) -> None:
        self.repo = repo
        self.comments = GitHubTracker(repo, bot_login)

    def pull(self, number: int) -> PullRequestInfo:
        return _info(self.repo.get_pull(number))

    def reply(self, number: int, text: str) -> None:
        self.comments.reply(number, text)

    def close(self, number: int) -> None:
        pull = self.repo.get_pull(number)
        if pull.state != "closed":
            pull.edit(state="closed")
