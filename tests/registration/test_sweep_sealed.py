"""Sealed contacts through the issue sweep: checked with the key, stored sealed, confirmed by mail
once per address per day, and used by send-links; the address never shows anywhere public."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from formbodies import register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from signupsheet.core.sealed_contact import new_key_pair, seal
from smtp_server import Recorder, smtp_server
from sweepkit import EVENT_ID, NOW, created, make_remote, remote_file, run_sweep

ADDRESS = "sealed.person@mail.example.net"
IN_WINDOW = "2026-12-03T13:30:00Z"
LINK = "https://meet.example.net/room-sealed-42"  # a test value: not a real meeting


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNUPSHEET_MAIL_FROM", "events@example.net")
    monkeypatch.delenv("SIGNUPSHEET_CONTACTS", raising=False)
    monkeypatch.delenv("SIGNUPSHEET_MEETING_LINKS", raising=False)


def _public_places(remote: Path, double: GitHubDouble, *outputs: str) -> str:
    history = git(remote, "log", "-p", "--all", "--format=%B", "main")
    comments = "\n".join(
        comment["body"] for number in (1, 2, 3) for comment in double.comments_on(number)
    )
    return "\n".join([history, comments, *outputs])


def _sealed_issue(double: GitHubDouble, number: int, login: str, public: str) -> str:
    sealed = seal(public, ADDRESS, login=login, event=EVENT_ID)
    body = register_body(EVENT_ID, contact=sealed)
    double.add_issue(number, login, body, ["registration"], created=created(number))
    return sealed


def test_sealed_address_is_checked_stored_confirmed_and_used(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch, mail_env: None
) -> None:
    keys = new_key_pair()
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    mine = _sealed_issue(double, 2, "Sealer", keys.public)
    # Someone copies that seal into their own registration: refused, their issue stays open.
    double.add_issue(
        1, "copycat", register_body(EVENT_ID, contact=mine), ["registration"], created=created(1)
    )
    # A third party's address given twice the same day gets one confirmation only.
    _sealed_issue(double, 3, "second", keys.public)
    recorder = Recorder()
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", keys.private)
    with smtp_server(recorder) as port:
        monkeypatch.setenv("SIGNUPSHEET_SMTP_URL", f"smtp://127.0.0.1:{port}")
        result = run_sweep(double, work)
        assert result.returncode == 0, result.stderr
        (copycat,) = double.bot_comments(1)
        assert "another GitHub account" in copycat and "needs-changes" in double.label_names(1)
        (reply,) = double.bot_comments(2)
        assert "confirmation mail was sent" in reply
        (third,) = double.bot_comments(3)
        assert "confirmation mail was sent" not in third and "stored" in third
        (confirmation,) = recorder.to(ADDRESS)
        body = confirmation.message.get_body(("plain",))
        assert body is not None and "Monthly meetup" in body.get_content()
        assert LINK not in str(confirmation.message)
        text = remote_file(remote)
        assert f"contact: {mine}" in text and "login: copycat" not in text
        # send-links: no SIGNUPSHEET_CONTACTS, no profile e-mail; the sealed address is used.
        env = {**os.environ, "SIGNUPSHEET_MEETING_LINKS": json.dumps({EVENT_ID: LINK})}
        git(work, "pull", "--quiet", "origin", "main")
        sent = subprocess.run(
            [
                sys.executable,
                "-m",
                "signupsheet",
                "--root",
                str(work),
                "send-links",
                "--now",
                IN_WINDOW,
                "--json",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert sent.returncode == 0, sent.stderr
    links = [item for item in recorder.to(ADDRESS) if LINK in str(item.message)]
    assert len(links) == 2  # Sealer and second both sealed this address
    outcomes = json.loads(sent.stdout)
    assert "sealed" in json.dumps(outcomes)
    public = _public_places(remote, double, result.stdout, result.stderr, sent.stdout, sent.stderr)
    assert ADDRESS not in public and ADDRESS.split("@")[0] not in public
    assert keys.private not in public


def test_without_the_key_a_seal_is_kept_with_a_notice(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch, mail_env: None
) -> None:
    keys = new_key_pair()
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    mine = _sealed_issue(double, 1, "Sealer", keys.public)
    monkeypatch.delenv("SIGNUPSHEET_CONTACT_KEY", raising=False)
    result = run_sweep(double, work, "--now", NOW)
    assert result.returncode == 0, result.stderr
    (reply,) = double.bot_comments(1)
    assert "cannot be read yet" in reply
    assert f"contact: {mine}" in remote_file(remote)


def _masked_first(output: str) -> None:
    """The output's lines, checked: the address shows only in its mask command, and that comes
    before every other line."""
    lines = output.splitlines()
    mask = f"::add-mask::{ADDRESS}"
    assert mask in lines, output
    assert all(line.startswith("::add-mask::") for line in lines[: lines.index(mask)])
    rest = [line for line in lines if line != mask]
    assert not any(ADDRESS in line or ADDRESS.split("@")[0] in line for line in rest)


def test_every_command_that_opens_a_seal_masks_the_address_in_the_workflow_log(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch, mail_env: None
) -> None:
    keys = new_key_pair()
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    _sealed_issue(double, 2, "Sealer", keys.public)
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", keys.private)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    recorder = Recorder()
    with smtp_server(recorder) as port:
        monkeypatch.setenv("SIGNUPSHEET_SMTP_URL", f"smtp://127.0.0.1:{port}")
        result = run_sweep(double, work)
        assert result.returncode == 0, result.stderr
        env = {**os.environ, "SIGNUPSHEET_MEETING_LINKS": json.dumps({EVENT_ID: LINK})}
        git(work, "pull", "--quiet", "origin", "main")
        sent = subprocess.run(
            [
                sys.executable,
                "-m",
                "signupsheet",
                "--root",
                str(work),
                "send-links",
                "--now",
                IN_WINDOW,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert sent.returncode == 0, sent.stderr
    assert len(recorder.to(ADDRESS)) == 2  # the confirmation, then the link: the seal was opened
    for output in (result.stdout, sent.stdout):
        _masked_first(output)
    for output in (result.stderr, sent.stderr):
        assert ADDRESS not in output


def test_told_unreachable_the_person_adds_a_seal_by_editing_the_issue_and_gets_the_link(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch, mail_env: None
) -> None:
    keys = new_key_pair()
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    double.add_issue(2, "Sealer", register_body(EVENT_ID), ["registration"], created=created(2))
    double.emails["sealer"] = None  # no public address on the profile
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", keys.private)
    env = {
        **os.environ,
        "SIGNUPSHEET_MEETING_LINKS": json.dumps({EVENT_ID: LINK}),
        "GITHUB_TOKEN": "test-token-not-secret",
        "GITHUB_REPOSITORY": double.repo,
        "GITHUB_API_URL": double.base_url,
    }
    send = [sys.executable, "-m", "signupsheet", "--root", str(work), "send-links", "--now"]
    recorder = Recorder()
    with smtp_server(recorder) as port:
        env["SIGNUPSHEET_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        assert run_sweep(double, work).returncode == 0
        assert double.issues[2]["state"] == "closed"
        git(work, "pull", "--quiet", "origin", "main")
        told = subprocess.run(
            [*send, IN_WINDOW], capture_output=True, text=True, env=env, check=False
        )
        assert told.returncode == 0 and "unreachable" in told.stdout, told.stderr
        notice = double.comments_on(2)[-1]["body"]
        # How to add a sealed address to the registration they already have.
        assert "link-unreachable" in notice and "sealed" in notice
        assert "edit this issue" in notice and "Sealed e-mail for the meeting link" in notice
        assert "signupsheet seal-contact" in notice and "next run picks it up" in notice
        assert recorder.messages == []

        # They do so: the sealed text goes into the form's contact field of the closed issue.
        sealed = seal(keys.public, ADDRESS, login="Sealer", event=EVENT_ID)
        double.edit_body(2, register_body(EVENT_ID, contact=sealed), created(40))
        # The run reads the issue from the event GitHub sends: its edited body.
        edited = double.event_payload("issues.edited.payload.json", 2, tmp_path / "edited.json")
        assert run_sweep(double, work, "--event-path", str(edited)).returncode == 0
        assert f"contact: {sealed}" in remote_file(remote)
        git(work, "pull", "--quiet", "origin", "main")
        sent = subprocess.run(
            [*send, "2026-12-03T13:40:00Z"], capture_output=True, text=True, env=env, check=False
        )
        assert sent.returncode == 0, sent.stderr
    links = [item for item in recorder.to(ADDRESS) if LINK in str(item.message)]
    assert len(links) == 1
    public = _public_places(remote, double, told.stdout, told.stderr, sent.stdout, sent.stderr)
    assert ADDRESS not in public


def test_in_the_workflow_the_deliver_job_sends_the_confirmation_once_and_no_link_early(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch, mail_env: None
) -> None:
    keys = new_key_pair()
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    _sealed_issue(double, 2, "Sealer", keys.public)
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", keys.private)
    monkeypatch.delenv("SIGNUPSHEET_SMTP_URL", raising=False)
    # The sweep job: no mail settings at all.
    monkeypatch.delenv("SIGNUPSHEET_MAIL_FROM", raising=False)
    output = tmp_path / "sweep-output"
    result = run_sweep(double, work, output=output)
    assert result.returncode == 0, result.stderr
    (reply,) = double.bot_comments(2)
    assert "confirmation mail follows" in reply and "was sent" not in reply
    assert ADDRESS not in reply
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["confirmed"]  # not in the link window, yet there is something to confirm
    # The deliver job: a fresh checkout of main, the mail settings, the sweep's output.
    deliver = clone(remote, tmp_path / "deliver")
    recorder = Recorder()
    with smtp_server(recorder) as port:
        env = {
            **os.environ,
            "SIGNUPSHEET_MAIL_FROM": "events@example.net",
            "SIGNUPSHEET_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "SIGNUPSHEET_MEETING_LINKS": json.dumps({EVENT_ID: LINK}),
            "SIGNUPSHEET_CONFIRMED": outputs["confirmed"],
        }
        command = [sys.executable, "-m", "signupsheet", "--root", str(deliver), "send-links"]
        runs = [
            subprocess.run(
                [*command, "--push", "--only-confirmed", "--now", NOW],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            for _ in range(2)  # a second run, as after a re-run of the job: nothing more
        ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    (confirmation,) = recorder.to(ADDRESS)
    assert confirmation.message["Subject"] == "Registered: Monthly meetup"
    assert LINK not in str(confirmation.message)
    assert "sent 1 confirmation mail" in runs[0].stdout
    # The daily limit was recorded on main, as a keyed hash.
    assert ADDRESS not in git(remote, "show", "main:contact-confirmations.txt")
    public = _public_places(
        remote, double, result.stdout, result.stderr, *(r.stdout + r.stderr for r in runs)
    )
    assert ADDRESS not in public
