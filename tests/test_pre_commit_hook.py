"""The pre-commit hook: a valid manifest, and a real `pre-commit try-repo` run on a site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from gitkit import init_repo
from paths import REPO
from sitekit import make_site

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_and_runs_validate_on_event_files() -> None:
    [hook] = load_manifest(str(MANIFEST))
    assert hook["id"] == "signupsheet-validate"
    assert hook["language"] == "python"
    assert hook["entry"] == "signupsheet validate"
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert hook["entry"].split()[0] in scripts
    files = re.compile(hook["files"])
    assert files.search("events/2022-11-23-vsn-training-lets-connect.yaml")
    assert not files.search("docs/series/x.yaml")
    assert not files.search("events/notes.md")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_try_repo_passes_then_fails_on_a_broken_event(tmp_path: Path) -> None:
    site_root = make_site(tmp_path / "site", docs=True, seed=True)
    init_repo(site_root, "site")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    command = [
        sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "signupsheet-validate",
        "--all-files",
    ]  # fmt: skip
    passed = subprocess.run(command, cwd=site_root, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"signupsheet validate\.+Passed", passed.stdout)
    broken = site_root / "events" / "2022-11-23-vsn-training-lets-connect.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("end: 2022-11-23T15:00:00Z", "end: soon"),
        encoding="utf-8",
    )
    failed = subprocess.run(command, cwd=site_root, env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert re.search(r"signupsheet validate\.+Failed", failed.stdout)
    assert "events/2022-11-23-vsn-training-lets-connect.yaml:" in failed.stdout
