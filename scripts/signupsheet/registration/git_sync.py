"""Committing a change to the shared repository when others push at the same time.

Every sign-up edits the same list, so a push is often rejected because the branch moved. The
change is therefore given as a function that is applied again on the freshly fetched branch, not
as a diff: the rules decide anew on the newest sign-up sheet (capacity, duplicates).
"""

from __future__ import annotations

import base64
import os
import random
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from signupsheet.core.errors import UserError

T = TypeVar("T")

BOT_NAME = "signupsheet[bot]"
# GitHub's no-reply address for the Actions bot: not a person's address.
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
# Every commit the product makes names the bot, whatever the machine's git identity is: a
# GitHub-hosted runner has none. The environment outranks any configuration, so a developer's
# own settings (their address) cannot leak into the history either.
IDENTITY = {
    "GIT_AUTHOR_NAME": BOT_NAME,
    "GIT_AUTHOR_EMAIL": BOT_EMAIL,
    "GIT_COMMITTER_NAME": BOT_NAME,
    "GIT_COMMITTER_EMAIL": BOT_EMAIL,
}


class GitError(UserError):
    """A git command failed in a way retrying does not fix."""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **IDENTITY},
    )
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {result.stderr.strip()}")
    return result


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def commit_paths(
    repo: Path,
    paths: Sequence[Path],
    message: str,
) -> str | None:
    """Commit exactly `paths` on the checked-out branch; None when they did not change.

    Plumbing instead of `git commit`: the porcelain refreshes the whole index (an lstat per file),
    which makes one sign-up cost more the more events a site has. Adding only the given paths
    and writing the tree from the index keeps the cost independent of the repository's size.
    """
    git(repo, "add", "--", *(str(path) for path in paths))
    tree = git(repo, "write-tree").stdout.strip()
    parent = head(repo)
    if tree == git(repo, "rev-parse", f"{parent}^{{tree}}").stdout.strip():
        return None
    # One parent, always: nothing the product commits brings another history into the branch
    # (a pull request's commits never become reachable from main).
    commit = git(repo, "commit-tree", tree, "-p", parent, "-m", message).stdout.strip()
    # Moves the branch HEAD points at, only if nobody else moved it meanwhile.
    git(repo, "update-ref", "HEAD", commit, parent)
    return commit


def commit_and_push(
    repo: Path,
    change: Callable[[], tuple[T, Sequence[Path]]],
    message: str,
    *,
    remote: str = "origin",
    branch: str = "main",
    attempts: int = 8,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[float, float], float] = random.uniform,
) -> tuple[T, str | None]:
    """Fetch, apply `change`, commit what it touched, push; on a rejected push, start over.

    `change` returns its result and the paths it wrote (empty: nothing to commit). It must be
    idempotent: it runs again on the new branch head after every rejected push.
    """
    for attempt in range(1, attempts + 1):
        git(repo, "fetch", "--quiet", remote, branch)
        git(repo, "checkout", "--quiet", "-B", branch, f"{remote}/{branch}")
        git(repo, "reset", "--quiet", "--hard", f"{remote}/{branch}")
        value, paths = change()
        if not paths:
            return value, None
        if commit_paths(repo, paths, message) is None:
            return value, None
        pushed = git(repo, "push", "--porcelain", remote, f"HEAD:{branch}", check=False)
        if pushed.returncode == 0:
            if any(line.startswith("=\t") for line in pushed.stdout.splitlines()):
                # The branch already had this very commit: a concurrent run made the same
                # change in the same second (commits are deterministic), so it is not ours.
                return value, None
            return value, head(repo)
        if attempt < attempts:
            # Another pusher won the race: back off with jitter so pushers spread out.
            sleep(jitter(0.05, 0.2 * 2 ** min(attempt, 5)))
    raise GitError(
        f"could not push to {remote}/{branch} after {attempts} attempts; "
        "the branch kept moving — the next run retries"
    )


def git_push_auth(token: str, server_url: str) -> str | None:
    """Let git push over HTTPS with the token, through the environment of git's subprocesses:
    it is never written to .git/config, put on a command line, or printed. Returns the header
    value (to be masked in a workflow log), or None when the server is not HTTPS."""
    if not token or not server_url.startswith("https://"):
        return None
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    count = int(os.environ.get("GIT_CONFIG_COUNT", "0") or "0")
    os.environ[f"GIT_CONFIG_KEY_{count}"] = f"http.{server_url.rstrip('/')}/.extraheader"
    os.environ[f"GIT_CONFIG_VALUE_{count}"] = f"AUTHORIZATION: basic {basic}"
    os.environ["GIT_CONFIG_COUNT"] = str(count + 1)
    return basic
