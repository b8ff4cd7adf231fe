from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from githubdouble import PAYLOADS
from signupsheet.commands.sweep import triggered_issue
from signupsheet.main import main
from signupsheet.registration.git_sync import git_push_auth


def test_triggered_issue_is_read_from_the_payload(tmp_path: Path) -> None:
    assert (
        triggered_issue(PAYLOADS / "issues.edited.payload.json")
        == json.loads((PAYLOADS / "issues.edited.payload.json").read_text())["issue"]["number"]
    )
    assert triggered_issue(PAYLOADS / "workflow_dispatch.payload.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert triggered_issue(broken) is None
    weird = tmp_path / "weird.json"
    weird.write_text(json.dumps({"issue": {"number": "1; rm -rf /"}}))
    assert triggered_issue(weird) is None
    assert triggered_issue(None) is None


def test_push_token_goes_to_git_through_the_environment_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in [key for key in os.environ if key.startswith("GIT_CONFIG_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    git_push_auth("s3cr3t-token", "https://github.com")
    assert os.environ["GIT_CONFIG_COUNT"] == "2"
    assert os.environ["GIT_CONFIG_KEY_1"] == "http.https://github.com/.extraheader"
    value = os.environ["GIT_CONFIG_VALUE_1"]
    assert "s3cr3t-token" not in value
    encoded = value.removeprefix("AUTHORIZATION: basic ")
    assert base64.b64decode(encoded).decode() == "x-access-token:s3cr3t-token"
    out = capsys.readouterr()
    assert "s3cr3t" not in out.out + out.err
    monkeypatch.setenv("GIT_CONFIG_COUNT", "0")
    git_push_auth("token", "http://insecure.example")
    assert os.environ["GIT_CONFIG_COUNT"] == "0"


def test_sweep_needs_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert main(["sweep", "--repo", "a/b"]) == 1
    assert "GITHUB_TOKEN is not set" in capsys.readouterr().err
