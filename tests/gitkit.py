"""git for the tests and benchmarks: one way to run it, one identity, and the few set-ups they
share (a repository with everything committed, a bare remote, a clone).

Tests run with no global or system git configuration (see conftest), as on a GitHub-hosted
runner, so nothing would name the author of a commit: every git run here names the tester.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

NAME = "tester"
EMAIL = "tester@example.invalid"
# As options rather than environment variables: they reach only the git run here, never a git
# the product starts (which names its bot), and a shell line in a hook can repeat them.
IDENTITY = ("-c", f"user.name={NAME}", "-c", f"user.email={EMAIL}")


def git(cwd: Path, *args: str) -> str:
    """`git ARGS` in `cwd` as the tester; what it printed, unchanged. Fails when git fails."""
    result = subprocess.run(
        ["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} in {cwd} failed: {result.stderr}")
    return result.stdout


def rev_parse(cwd: Path, rev: str = "HEAD") -> str:
    """The SHA `rev` names, without the line break."""
    return git(cwd, "rev-parse", rev).strip()


def init_repo(root: Path, message: str = "A site") -> str:
    """Make `root` a repository with everything in it committed on main; the commit's SHA."""
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", message)
    return rev_parse(root)


def bare_remote(repo: Path, remote: Path) -> Path:
    """A bare copy of `repo` at `remote`, standing in for the repository on GitHub."""
    git(remote.parent, "clone", "--quiet", "--bare", str(repo), str(remote))
    return remote


def clone(remote: Path, where: Path) -> Path:
    git(where.parent, "clone", "--quiet", str(remote), str(where))
    return where
