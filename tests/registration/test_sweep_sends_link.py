"""A registration that lands inside its session's link window gets the meeting link at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formbodies import register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from smtp_server import Recorder, smtp_server
from sweepkit import EVENT_ID, created, make_remote, remote_file, run_sweep

# The session starts at 14:00 UTC; the link goes out from 13:00 (the default lead of 60 min).
IN_WINDOW = "2026-12-03T13:30:00Z"
LINK = "https://meet.example.net/room-7f3a9c"  # a test value: not a real meeting


def test_late_registrant_gets_the_link_from_the_sweep(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    double.add_issue(
        1,
        "LateComer",
        register_body(EVENT_ID, name="Late Comer"),
        ["registration"],
        created=created(1),
    )
    recorder = Recorder()
    with smtp_server(recorder) as port:
        monkeypatch.setenv("SIGNUPSHEET_MEETING_LINKS", json.dumps({EVENT_ID: LINK}))
        monkeypatch.setenv(
            "SIGNUPSHEET_CONTACTS", json.dumps({"latecomer": "late@people.example.net"})
        )
        monkeypatch.setenv("SIGNUPSHEET_SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("SIGNUPSHEET_MAIL_FROM", "events@example.net")
        output = tmp_path / "github-output"
        result = run_sweep(double, work, "--now", IN_WINDOW, output=output)
    assert result.returncode == 0, result.stderr
    assert output.read_text() == "changed=true\n"
    (received,) = recorder.to("late@people.example.net")
    body = received.message.get_body(("plain",))
    assert body is not None and LINK in body.get_content()
    text = remote_file(remote)
    assert "login: LateComer" in text and "link_sent: 2026-12-03T13:30:00Z" in text
    # The link is in the mail only: not in the repository's history, the comment or the output.
    history = git(remote, "log", "-p", "--format=%B", "main")
    assert LINK not in history and LINK not in result.stdout + result.stderr
    assert all(LINK not in comment["body"] for comment in double.comments_on(1))


def test_no_links_configured_leaves_delivery_to_the_schedule(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    double.add_issue(1, "early", register_body(EVENT_ID), ["registration"], created=created(1))
    monkeypatch.delenv("SIGNUPSHEET_MEETING_LINKS", raising=False)
    result = run_sweep(double, work, "--now", IN_WINDOW)
    assert result.returncode == 0, result.stderr
    text = remote_file(remote)
    assert "login: early" in text and "link_sent" not in text
