"""Committing a change to the shared repository when others push at the same time.

Every sign-up edits the same list, so a push is often rejected because the branch moved. The
change is therefore given as a function that is applied again on the freshly fetched branch, not
as a diff: the rules decide anew on the newest sign-up sheet (capacity, duplicates).
"""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from signupsheet.errors import UserError

T = TypeVar("T")

BOT_NAME = "signupsheet[bot]"
# GitHub's no-reply address for the Actions bot: not a person's address.
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


class GitError(UserError):
    """A git command failed in a way retrying does not fix."""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {result.stderr.strip()}")
    return result


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def commit_and_push(
    repo: Path,
    change: Callable[[], tuple[T, Sequence[Path]]],
    message: str,
    *,
    remote: str = "origin",
    branch: str = "main",
    attempts: int = 8,
    co_author: str | None = None,
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
        git(repo, "add", "--", *(str(path) for path in paths))
        if not git(repo, "diff", "--cached", "--quiet", check=False).returncode:
            return value, None
        body = message if co_author is None else f"{message}\n\nCo-authored-by: {co_author}"
        git(
            repo,
            "-c",
            f"user.name={BOT_NAME}",
            "-c",
            f"user.email={BOT_EMAIL}",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            body,
        )
        pushed = git(repo, "push", "--quiet", remote, f"HEAD:{branch}", check=False)
        if pushed.returncode == 0:
            return value, head(repo)
        if attempt < attempts:
            # Another pusher won the race: back off with jitter so pushers spread out.
            sleep(jitter(0.05, 0.2 * 2 ** min(attempt, 5)))
    raise GitError(
        f"could not push to {remote}/{branch} after {attempts} attempts; "
        "the branch kept moving — the next run retries"
    )
