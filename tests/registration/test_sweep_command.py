from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from githubdouble import PAYLOADS, GitHubDouble
from signupsheet.github.actions import payload_item
from signupsheet.github.client import connect
from signupsheet.github.issue_tracker import GitHubTracker
from signupsheet.main import main
from signupsheet.registration.git_sync import git_push_auth


def test_the_triggering_issue_is_read_from_the_payload_without_a_request(
    tmp_path: Path, double: GitHubDouble
) -> None:
    """What the command hands the sweep: the payload's `issue` as data, kept as listed."""
    tracker = GitHubTracker(connect("t", double.repo, api_url=double.base_url, polite=False))
    edited = PAYLOADS / "issues.edited.payload.json"
    data = json.loads(edited.read_text())["issue"]
    issue = tracker.from_payload(payload_item(edited, "issue"))
    assert issue is not None
    assert (issue.number, issue.author, issue.body) == (
        data["number"],
        data["user"]["login"],
        data["body"],
    )
    assert issue.author_id == data["user"]["id"]
    assert issue.labels == tuple(label["name"] for label in data["labels"])
    assert double.requests == []
    # No issue in it (a schedule or a manual run), or not the shape GitHub sends: none.
    dispatch = PAYLOADS / "workflow_dispatch.payload.json"
    assert tracker.from_payload(payload_item(dispatch, "issue")) is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert tracker.from_payload(payload_item(broken, "issue")) is None
    weird = tmp_path / "weird.json"
    weird.write_text(json.dumps({"issue": {"number": "1; rm -rf /"}}))
    assert tracker.from_payload(payload_item(weird, "issue")) is None
    shapeless = tmp_path / "shapeless.json"
    shapeless.write_text(json.dumps({"issue": {"number": 7, "user": "someone"}}))
    assert tracker.from_payload(payload_item(shapeless, "issue")) is None
    assert tracker.from_payload(payload_item(None, "issue")) is None
    assert double.requests == []


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
