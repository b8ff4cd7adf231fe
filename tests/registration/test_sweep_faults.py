from __future__ import annotations

import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from formbodies import register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from signupsheet.core.model import parse_timestamp
from signupsheet.core.project import Project
from signupsheet.github.client import connect
from signupsheet.github.issue_tracker import GitHubTracker
from signupsheet.main import main
from signupsheet.registration import git_sync
from signupsheet.registration.issues import sweep as sweep_module
from signupsheet.registration.issues.sweep import Sweeper
from sweepkit import (
    EVENT_ID,
    NOW,
    created,
    make_remote,
    remote_file,
    run_sweep,
    start_sweep,
)


def add_registrations(double: GitHubDouble, count: int, start: int = 1) -> None:
    for number in range(start, start + count):
        double.add_issue(
            number,
            f"person-{number:03d}",
            register_body(EVENT_ID, name=f"Person {number}"),
            ["registration"],
            created=created(number),
        )


def test_5xx_and_rate_limits_are_retried_honouring_retry_after(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    add_registrations(double, 2)
    double.rate_limit("GET", r"/issues$")
    double.fail("POST", r"/issues/1/comments$", 502, times=2, message="Bad Gateway")
    double.rate_limit("PATCH", r"/issues/2$")
    double.fail("PATCH", r"/issues/2$", 503, times=1)
    started = time.monotonic()
    result = run_sweep(double, work)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed >= 2.0  # two answers said Retry-After: 1
    statuses = [status for _, _, status in double.requests]
    assert statuses.count(403) == 2 and statuses.count(502) == 2 and statuses.count(503) == 1
    for number in (1, 2):
        assert len(double.bot_comments(number)) == 1
        assert double.issues[number]["state"] == "closed"
    assert remote_file(remote).count("login: person-") == 2


def test_api_down_stops_the_run_and_the_next_run_finishes(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    add_registrations(double, 2)
    double.fail("PATCH", r"/issues/1$", 502, times=1000)
    result = run_sweep(double, work)
    assert result.returncode == 1
    assert "#1: not finished, the next run retries" in result.stdout
    assert double.issues[1]["state"] == "open"
    assert len(double.bot_comments(1)) == 1
    double.faults.clear()
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    for number in (1, 2):
        assert len(double.bot_comments(number)) == 1
        assert double.issues[number]["state"] == "closed"
    assert remote_file(remote).count("login: person-001") == 1


def test_push_rejected_mid_run_is_reapplied_on_the_new_main(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = make_remote(tmp_path, capacity=2)
    work = clone(remote, tmp_path / "work")
    other = clone(remote, tmp_path / "other")
    add_registrations(double, 3)
    pushes: list[int] = []
    real_git = git_sync.git

    def recording_git(repo: Path, *args: str, **kwargs: Any) -> Any:
        result = real_git(repo, *args, **kwargs)
        if args[0] == "push":
            pushes.append(result.returncode)
        return result

    monkeypatch.setattr(git_sync, "git", recording_git)
    repo = connect("token", double.repo, api_url=double.base_url, backoff=0.05, polite=False)
    tracker = GitHubTracker(repo)
    real_apply = sweep_module.apply_request
    raced: list[str] = []

    def someone_pushes_meanwhile(project: Project, event_id: str, request: Any, **kw: Any) -> Any:
        if request.user == "person-002" and not raced:
            # Between this sweep's fetch and its push, an organizer pushes a walk-in.
            raced.append(request.user)
            git(other, "pull", "-q", "--ff-only")
            register = ["--root", str(other), "register", EVENT_ID, "--user", "walk-in"]
            assert main([*register, "--now", NOW]) == 0
            git(other, "commit", "-qam", "Add a walk-in")
            git(other, "push", "-q", "origin", "HEAD:main")
        return real_apply(project, event_id, request, **kw)

    monkeypatch.setattr(sweep_module, "apply_request", someone_pushes_meanwhile)
    sweeper = Sweeper(
        project=Project(work),
        tracker=tracker,
        clock=lambda: parse_timestamp(NOW),
        repo_url="https://github.com/octo-org/events-site",
    )
    report = sweeper.run()
    assert [outcome for _, outcome in report.handled] == ["registered", "waitlisted", "waitlisted"]
    assert 1 in pushes[1:]  # a push was rejected ...
    text = remote_file(remote)  # ... and the sign-up was decided again on the new sheet
    assert text.count("login: walk-in") == 1
    assert text.count("status: waitlisted") == 2
    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects[:4] == [
        f"Sign-up of person-003 for {EVENT_ID}",
        f"Sign-up of person-002 for {EVENT_ID}",
        "Add a walk-in",
        f"Sign-up of person-001 for {EVENT_ID}",
    ]


def test_killed_between_commit_and_comment(tmp_path: Path, double: GitHubDouble) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    add_registrations(double, 2)
    double.hold_pattern = ("POST", __import__("re").compile(r"/issues/1/comments$"))
    process = start_sweep(double, work)
    try:
        assert double.held.wait(120), "the sweep never tried to answer"
        assert "login: person-001" in remote_file(remote)  # committed and pushed
        process.send_signal(signal.SIGKILL)
    finally:
        double.hold_pattern = None
        double.release.set()
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert double.comments_on(1) == []
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    text = remote_file(remote)
    assert text.count("login: person-001") == 1 and text.count("login: person-002") == 1
    for number in (1, 2):
        (comment,) = double.bot_comments(number)
        assert "**You are registered**" in comment
        assert double.issues[number]["state"] == "closed"


def test_burst_of_100_with_4_concurrent_sweepers_then_5_cancellations(
    tmp_path: Path, double: GitHubDouble
) -> None:
    from formbodies import cancel_body
    from signupsheet.eventfiles.catalog import check_text

    remote = make_remote(tmp_path, capacity=60)
    add_registrations(double, 100)
    clones = [clone(remote, tmp_path / f"sweeper-{index}") for index in range(4)]

    def sweep_concurrently() -> None:
        processes = [start_sweep(double, root) for root in clones]
        for process in processes:
            _, err = process.communicate(timeout=900)
            assert process.returncode == 0, err

    def sheet() -> list[Any]:
        path = tmp_path / "sheet" / "events" / f"{EVENT_ID}.yaml"
        project = Project(clones[0])
        result = check_text(remote_file(remote).encode(), project.event_path(EVENT_ID), project)
        assert result.event is not None, result.problems
        del path
        return result.event.sessions[0].registrations

    sweep_concurrently()
    entries = sheet()
    logins = [entry.login for entry in entries]
    assert len(logins) == 100 and len(set(logins)) == 100
    assert sum(entry.status == "confirmed" for entry in entries) == 60
    assert sum(entry.status == "waitlisted" for entry in entries) == 40
    status = {entry.login: entry.status for entry in entries}
    for number in range(1, 101):
        comments = double.bot_comments(number)
        assert len(comments) == 1, f"issue {number}: {len(comments)} answers"
        issue = double.issues[number]
        assert issue["state"] == "closed"
        login = issue["user"]["login"]
        expected = "registered" if status[login] == "confirmed" else "waitlisted"
        assert double.label_names(number) == sorted(["registration", expected])
        assert ("waiting list" in comments[0]) == (expected == "waitlisted")
    duplicates = len(double.created_comments) - 100
    assert duplicates == len(double.deleted_comments)

    confirmed = [entry.login for entry in entries if entry.status == "confirmed"]
    first_waiting = [entry.login for entry in entries if entry.status == "waitlisted"][:5]
    leaving = confirmed[10:15]
    moment = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    for offset, login in enumerate(leaving):
        assert login is not None
        double.add_issue(
            201 + offset, login, cancel_body(EVENT_ID), ["cancellation"], created=moment
        )
    sweep_concurrently()
    after = sheet()
    status = {entry.login: entry.status for entry in after}
    assert len(after) == 95
    assert all(login not in status for login in leaving)
    assert all(status[login] == "confirmed" for login in first_waiting)
    assert sum(s == "confirmed" for s in status.values()) == 60
    assert sum(s == "waitlisted" for s in status.values()) == 35
    by_login = {issue["user"]["login"]: n for n, issue in double.issues.items() if n <= 100}
    for login in first_waiting:
        (comment,) = double.bot_comments(by_login[login])
        assert "moved up from the waiting list" in comment
        assert double.label_names(by_login[login]) == ["registered", "registration"]
    for number in range(201, 206):
        assert len(double.bot_comments(number)) == 1
        assert double.issues[number]["state"] == "closed"
