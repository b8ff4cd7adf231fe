"""A site in a bare git remote, clones of it, and sweeps run against the GitHub double."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from githubdouble import GitHubDouble
from gitkit import bare_remote, git, init_repo
from signupsheet.main import main
from sitekit import make_site

NOW = "2026-12-01T10:00:00Z"
T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
EVENT_ID = "2026-12-03-meetup"

EVENT = """\
# yaml-language-server: $schema=../schema/event.schema.json
# Comments survive the bot's edits.
title: Monthly meetup
policy: policies/safe-space.md
sessions:
  - id: main
    start: 2026-12-03T14:00:00Z
    end: 2026-12-03T15:00:00Z
    capacity: {capacity}
"""


def make_remote(tmp: Path, capacity: int = 60, *, forms_current: bool = True) -> Path:
    seed = make_site(tmp / "seed", {EVENT_ID: EVENT.format(capacity=capacity)}, forms=True)
    if forms_current:
        assert main(["--root", str(seed), "forms", "--now", NOW]) == 0
    init_repo(seed, "site")
    return bare_remote(seed, tmp / "remote.git")


def remote_file(remote: Path, path: str = f"events/{EVENT_ID}.yaml") -> str:
    return git(remote, "show", f"main:{path}")


def created(index: int) -> datetime:
    return T0 + timedelta(seconds=index)


def sweep_command(double: GitHubDouble, root: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "signupsheet",
        "--root",
        str(root),
        "sweep",
        "--repo",
        double.repo,
        "--api-url",
        double.base_url,
        "--server-url",
        "https://github.com",
        "--no-throttle",
        "--backoff",
        "0.05",
        "--now",
        NOW,
        *extra,
    ]


def sweep_env() -> dict[str, str]:
    env = dict(os.environ)
    env["GITHUB_TOKEN"] = "test-token-not-secret"
    env.pop("GITHUB_EVENT_PATH", None)
    env.pop("GITHUB_OUTPUT", None)
    return env


def run_sweep(
    double: GitHubDouble, root: Path, *extra: str, output: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = sweep_env()
    if output is not None:
        env["GITHUB_OUTPUT"] = str(output)
    return subprocess.run(
        sweep_command(double, root, *extra),
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def start_sweep(double: GitHubDouble, root: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        sweep_command(double, root, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=sweep_env(),
    )
