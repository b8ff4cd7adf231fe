"""The GitHub double, extended with the pull request endpoints the pull request bot calls.

Pull requests are built from the real `pull_request.opened` payload (number, author, head SHA,
body and state changed) and also exist as issues, as on GitHub, so their comments go through the
issue comment endpoints. Like GitHub, a pull request counts as merged as soon as its head commit
is reachable from the base branch of the repository's git remote (a bare repository here).

Endpoints (under /repos/OWNER/NAME): GET pulls/N, PATCH pulls/N (state).
"""

from __future__ import annotations

import copy
import re
import subprocess
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from githubdouble import GitHubDouble, payload


class PullRequestDouble(GitHubDouble):
    def __init__(self, git_dir: Path, repo: str = "octo-org/events-site") -> None:
        super().__init__(repo)
        self.git_dir = git_dir
        self.pulls: dict[int, dict[str, Any]] = {}
        self._pull_template = payload("pull_request.opened.payload.json")["pull_request"]
        # A push that lands while the bot works: the head moves after this many GETs.
        self.moves: dict[int, tuple[int, str]] = {}

    def add_pull(
        self,
        number: int,
        author: str,
        head_sha: str,
        body: str | None,
        *,
        association: str = "CONTRIBUTOR",
        base: str = "main",
    ) -> dict[str, Any]:
        created = datetime.now(UTC)
        with self.lock:
            issue = self.add_issue(number, author, body, [], created=created, title="Sign me up")
            issue["pull_request"] = {
                "url": self._api(f"/pulls/{number}"),
                "html_url": f"https://github.com/{self.repo}/pull/{number}",
            }
            pull = copy.deepcopy(self._pull_template)
            pull.update(
                url=self._api(f"/pulls/{number}"),
                html_url=f"https://github.com/{self.repo}/pull/{number}",
                issue_url=self._api(f"/issues/{number}"),
                comments_url=self._api(f"/issues/{number}/comments"),
                id=20_000 + number,
                number=number,
                title="Sign me up",
                user=self._user(author),
                body=body,
                state="open",
                merged=False,
                merged_at=None,
                author_association=association,
            )
            pull["head"] = dict(pull["head"], sha=head_sha, ref=f"signup-{number}")
            pull["head"]["user"] = self._user(author)
            pull["base"] = dict(pull["base"], ref=base)
            self.pulls[number] = pull
            return pull

    def set_head(self, number: int, sha: str) -> None:
        with self.lock:
            self.pulls[number]["head"]["sha"] = sha

    def move_head_after(self, number: int, reads: int, sha: str) -> None:
        with self.lock:
            self.moves[number] = (reads, sha)

    def _reachable(self, sha: str, branch: str) -> bool:
        return (
            subprocess.run(
                ["git", "-C", str(self.git_dir), "merge-base", "--is-ancestor", sha, branch],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    def _refresh(self, pull: dict[str, Any]) -> None:
        if pull["state"] == "open" and self._reachable(pull["head"]["sha"], pull["base"]["ref"]):
            pull.update(state="closed", merged=True, merged_at=self._now(), closed_at=self._now())
            self.issues[pull["number"]]["state"] = "closed"

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        data: Any,
        handler: BaseHTTPRequestHandler,
    ) -> tuple[int, dict[str, str], Any]:
        match = re.fullmatch(rf"/repos/{re.escape(self.repo)}/pulls/(\d+)", path)
        if match is None or handler.headers.get("Authorization") is None:
            return super()._dispatch(method, path, query, data, handler)
        with self.lock:
            pull = self.pulls.get(int(match.group(1)))
            if pull is None:
                return 404, {}, {"message": "Not Found"}
            self._refresh(pull)
            if method == "GET":
                answer = copy.deepcopy(pull)
                if pull["number"] in self.moves:
                    reads, sha = self.moves[pull["number"]]
                    if reads <= 1:
                        del self.moves[pull["number"]]
                        pull["head"]["sha"] = sha
                    else:
                        self.moves[pull["number"]] = (reads - 1, sha)
                return 200, {}, answer
            if method == "PATCH":
                if data.get("state") in ("open", "closed") and not pull["merged"]:
                    pull["state"] = data["state"]
                    self.issues[pull["number"]]["state"] = data["state"]
                    pull["closed_at"] = self._now() if data["state"] == "closed" else None
                return 200, {}, copy.deepcopy(pull)
        return 404, {}, {"message": "Not Found"}
