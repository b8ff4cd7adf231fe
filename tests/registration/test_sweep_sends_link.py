"""A registration that lands inside its session's link window gets the meeting link at once: the
sweep names the entry in its output, and the delivery job, which holds the mail secrets, sends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from formbodies import register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from link_site import base_env
from smtp_server import Recorder, smtp_server
from sweepkit import EVENT_ID, created, make_remote, remote_file, run_sweep

# The session starts at 14:00 UTC; the link goes out from 13:00 (the default lead of 60 min).
IN_WINDOW = "2026-12-03T13:30:00Z"
LINK = "https://meet.example.net/room-7f3a9c"  # a test value: not a real meeting


def test_late_registrant_gets_the_link_from_the_delivery_job_after_the_sweep(
    tmp_path: Path, double: GitHubDouble
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
    output = tmp_path / "github-output"
    result = run_sweep(double, work, "--now", IN_WINDOW, output=output)
    assert result.returncode == 0, result.stderr
    written = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert written["changed"] == "true"
    assert json.loads(written["confirmed"]) == [[EVENT_ID, "main", "latecomer"]]

    recorder = Recorder()
    deliver = clone(remote, tmp_path / "deliver")  # the delivery job's fresh checkout of main
    with smtp_server(recorder) as port:
        env = base_env(
            SIGNUPSHEET_MEETING_LINKS=json.dumps({EVENT_ID: LINK}),
            SIGNUPSHEET_CONTACTS=json.dumps({"latecomer": "late@people.example.net"}),
            SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SIGNUPSHEET_MAIL_FROM="events@example.net",
            SIGNUPSHEET_CONFIRMED=written["confirmed"],
        )
        command = [sys.executable, "-m", "signupsheet", "--root", str(deliver), "send-links"]
        sent = subprocess.run(
            [*command, "--push", "--only-confirmed", "--now", IN_WINDOW],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    assert sent.returncode == 0, sent.stdout + sent.stderr
    (received,) = recorder.to("late@people.example.net")
    body = received.message.get_body(("plain",))
    assert body is not None and LINK in body.get_content()
    text = remote_file(remote)
    assert "login: LateComer" in text and "link_sent: 2026-12-03T13:30:00Z" in text
    # The link is in the mail only: not in the repository's history, the comment or the output.
    history = git(remote, "log", "-p", "--format=%B", "main")
    assert LINK not in history and LINK not in result.stdout + result.stderr + sent.stdout
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
