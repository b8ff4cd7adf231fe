"""What a sweep costs in GitHub API requests, counted against the double through the real
`signupsheet sweep` with a real git remote (issue 18: a workflow token may make 1,000 requests an
hour, of which about 500 may create content)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from formbodies import register_body
from githubdouble import BOT, GitHubDouble, _stamp
from gitkit import clone, git
from signupsheet.core.model import parse_timestamp
from signupsheet.main import main
from signupsheet.registration.issues.issue_replies import REPLY_MARKER, body_digest
from sweepkit import EVENT_ID, NOW, created, make_remote, remote_file, run_sweep

WRITES = ("POST", "PATCH", "PUT", "DELETE")


def add_registrations(double: GitHubDouble, count: int, start: int = 1) -> None:
    for number in range(start, start + count):
        double.add_issue(
            number,
            f"person-{number:04d}",
            register_body(EVENT_ID, name=f"Person {number}"),
            ["registration"],
            created=created(number),
        )


def add_answered(double: GitHubDouble, count: int, *, before: datetime, start: int = 5000) -> None:
    """`count` registration issues answered, labelled and closed by earlier runs, spread over
    the six days before `before`."""
    for index in range(count):
        number = start + index
        moment = before - timedelta(days=6) * (index + 1) / (count + 1)
        body = register_body(EVENT_ID, name=f"Earlier {index}")
        label = "waitlisted" if index % 3 == 0 else "registered"
        double.add_issue(
            number,
            f"earlier-{index:04d}",
            body,
            ["registration", label],
            created=moment,
            state="closed",
        )
        double.add_comment(
            number, BOT, f"{REPLY_MARKER} digest={body_digest(body)} -->\nYou are registered."
        )
        # As GitHub stamps it: the answer, then the closing, at the same second.
        double.issues[number]["updated_at"] = double.issues[number]["closed_at"]


def counted(double: GitHubDouble) -> tuple[int, int]:
    requests = [(method, path) for method, path, _ in double.requests]
    return len(requests), sum(method in WRITES for method, _ in requests)


def test_a_burst_costs_at_most_3_requests_and_2_writes_per_registration(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, capacity=15)
    work = clone(remote, tmp_path / "work")
    add_registrations(double, 20)
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    total, writes = counted(double)
    assert total <= 3 * 20 and writes <= 2 * 20, "\n".join(map(str, double.requests[:12]))
    # No issue is fetched again and no comment list is read for an issue nobody commented on.
    paths = [path for method, path, _ in double.requests if method == "GET"]
    assert not [path for path in paths if "/issues/" in path], paths
    text = remote_file(remote)
    for number in range(1, 21):
        (answer,) = double.bot_comments(number)
        assert double.issues[number]["state"] == "closed"
        expected = "registered" if number <= 15 else "waitlisted"
        assert double.label_names(number) == sorted(["registration", expected])
        assert ("waiting list" in answer) == (expected == "waitlisted")
        assert f"login: person-{number:04d}" in text


@pytest.mark.parametrize("history", [10, 100, 1000])
def test_a_run_costs_the_same_whatever_the_history(
    tmp_path: Path, double: GitHubDouble, history: int
) -> None:
    remote = make_remote(tmp_path, capacity=5000)
    work = clone(remote, tmp_path / "work")
    # GitHub's clock is the sweep's (the tests' fixed NOW): the history ends an hour ago, so
    # the count of issues closed in the last hour finds none of it.
    now = parse_timestamp(NOW)
    double.clock = lambda: now
    add_answered(double, history, before=now - timedelta(hours=1))
    double.add_run(now - timedelta(minutes=70), conclusion="success")
    double.add_run(now - timedelta(minutes=10), conclusion="failure")

    # An idle scheduled run: nothing new, nothing edited.
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    total, writes = counted(double)
    assert total <= 5 and writes == 0, double.requests

    # A run started by one new issue, from its webhook payload.
    double.requests.clear()
    add_registrations(double, 1, start=history + 9000)
    number = history + 9000
    event_path = double.event_payload(
        "issues.opened.payload.json", number, tmp_path / "opened.json"
    )
    result = run_sweep(double, work, "--event-path", str(event_path))
    assert result.returncode == 0, result.stderr
    total, writes = counted(double)
    assert total <= 5 and writes <= 2, double.requests
    (answer,) = double.bot_comments(number)
    assert "**You are registered**" in answer
    assert double.issues[number]["state"] == "closed"


def test_an_edit_whose_run_was_dropped_is_found_by_the_schedule_and_nothing_else_is_read(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, capacity=10)
    work = clone(remote, tmp_path / "work")
    add_registrations(double, 3)
    assert run_sweep(double, work).returncode == 0
    double.add_run(datetime.now(UTC) - timedelta(minutes=1), conclusion="success")
    time.sleep(1.1)  # GitHub's times are to the second
    # Issue 2 is edited after its answer; the run of the `edited` event never happened.
    later = datetime.now(UTC) + timedelta(seconds=30)
    double.edit_body(2, register_body(EVENT_ID, name="Person 2", note="now with a note"), later)
    double.requests.clear()
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    assert "note: now with a note" in remote_file(remote)
    (answer,) = double.bot_comments(2)
    assert "Your entry was updated" in answer
    # Only the edited issue's comments were read.
    read = [path for method, path, _ in double.requests if method == "GET" and "/comments" in path]
    assert read == [f"/repos/{double.repo}/issues/2/comments"]


def test_promotions_cost_requests_only_for_the_promoted(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, capacity=2)
    work = clone(remote, tmp_path / "work")
    organizer = clone(remote, tmp_path / "organizer")
    add_registrations(double, 4)  # two seats, two on the waiting list
    assert run_sweep(double, work).returncode == 0
    assert double.label_names(3) == ["registration", "waitlisted"]
    # Many people who waited for earlier events, answered long ago. (The organizer's clock
    # below is the tests' fixed NOW.)
    now = parse_timestamp(NOW)
    add_answered(double, 60, before=now - timedelta(hours=2))
    double.add_run(now - timedelta(minutes=30), conclusion="success")
    # An organizer frees a seat by hand: person 3 moves up, and nobody tells them yet.
    git(organizer, "pull", "-q", "--ff-only")
    cancel = ["--root", str(organizer), "cancel", EVENT_ID, "--user", "person-0001"]
    assert main([*cancel, "--now", NOW]) == 0
    git(organizer, "commit", "-qam", "Cancel a registration by hand")
    git(organizer, "push", "-q", "origin", "HEAD:main")

    double.requests.clear()
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    (answer,) = double.bot_comments(3)
    assert "moved up from the waiting list" in answer
    assert double.label_names(3) == ["registered", "registration"]
    touched = {path for _, path, _ in double.requests if "/issues/" in path}
    assert touched <= {
        f"/repos/{double.repo}/issues/3",
        f"/repos/{double.repo}/issues/3/comments",
        *(f"/repos/{double.repo}/issues/comments/{c}" for c in double.comments),
    }, touched
    total, _ = counted(double)
    assert total <= 3 + 4, double.requests  # the run's listings + look, read, answer, label
    assert "promoted: " in remote_file(remote)  # when person 3 moved up

    # The next scheduled run looks once at the promoted issue and leaves it: told already.
    double.requests.clear()
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    assert len(double.bot_comments(3)) == 1
    total, writes = counted(double)
    assert total <= 5 and writes == 0, double.requests


def test_a_rate_limited_run_stops_at_once_and_the_next_run_continues(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, capacity=10)
    work = clone(remote, tmp_path / "work")
    add_registrations(double, 5)
    # The listings (open issues, the last scheduled run, closed issues since), the count of
    # issues closed in the last hour, then two issues answered (comment; labels and closing):
    # the third issue's sign-up is pushed, and its answer meets the limit.
    double.reset_rate_limit(3 + 1 + 2 * 2)
    started = time.monotonic()
    result = run_sweep(double, work)
    assert time.monotonic() - started < 30  # no wait for the reset an hour away
    assert result.returncode == 1
    assert "GitHub's rate limit of 8 requests an hour is used up until" in result.stdout
    assert "stopping, the next run carries on" in result.stdout
    assert "Traceback" not in result.stderr
    assert [double.issues[n]["state"] for n in range(1, 6)] == ["closed"] * 2 + ["open"] * 3
    assert "login: person-0003" in remote_file(remote)  # pushed, not answered: still open
    assert double.bot_comments(3) == []

    # A secondary limit asking for a long pause stops the run as well.
    double.reset_rate_limit(None)
    double.fail(
        "GET",
        r"/issues$",
        403,
        headers={"Retry-After": "3600"},
        message="You have exceeded a secondary rate limit. Please wait a few minutes.",
    )
    started = time.monotonic()
    result = run_sweep(double, work)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "secondary rate limit is reached (retry after 3600 s)" in result.stdout

    # The next hour: the next run answers everyone left, once.
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    text = remote_file(remote)
    for number in range(1, 6):
        (answer,) = double.bot_comments(number)
        assert "**You are registered**" in answer
        assert double.issues[number]["state"] == "closed"
        assert text.count(f"login: person-{number:04d}") == 1


def test_a_run_answers_what_fits_in_the_hour_and_the_next_run_the_rest(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, capacity=50)
    work = clone(remote, tmp_path / "work")
    now = parse_timestamp(NOW)
    double.clock = lambda: now
    # 195 issues answered and closed 40 minutes ago: about 390 content-creating requests of
    # the sweep's 400 an hour are spent. Then 8 new sign-ups: 5 fit, 3 wait.
    for index in range(195):
        body = register_body(EVENT_ID, name=f"Earlier {index}")
        labels = ["registration", "registered"]
        moment = now - timedelta(minutes=40)
        double.add_issue(5000 + index, f"earlier-{index:04d}", body, labels, created=moment)
        double.issues[5000 + index].update(
            state="closed", closed_at=_stamp(moment), updated_at=_stamp(moment)
        )
    # Answered (closed, last updated) more than an hour ago: not counted.
    long_ago = now - timedelta(minutes=61)
    double.add_issue(
        4000,
        "long-ago",
        register_body(EVENT_ID),
        ["registration"],
        created=long_ago,
        state="closed",
    )
    double.issues[4000].update(closed_at=_stamp(long_ago), updated_at=_stamp(long_ago))
    add_registrations(double, 8)
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 issue(s) wait for a later run" in result.stdout
    assert "#6: waiting\n#7: waiting\n#8: waiting\n" in result.stdout
    searches = [path for _, path, _ in double.requests if path == "/search/issues"]
    assert len(searches) == 1, double.requests
    text = remote_file(remote)
    for number in range(1, 9):
        answered = number <= 5  # first come, first served
        assert (double.issues[number]["state"] == "closed") == answered
        assert len(double.bot_comments(number)) == int(answered)
        assert (f"login: person-{number:04d}" in text) == answered
    _, writes = counted(double)
    assert writes == 2 * 5

    # Twenty minutes later the earlier answers are more than an hour old: the rest fit.
    later = now + timedelta(minutes=21)
    double.clock = lambda: later
    double.requests.clear()
    result = run_sweep(double, work, "--now", _stamp(later))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wait" not in result.stdout
    text = remote_file(remote)
    for number in range(1, 9):
        (answer,) = double.bot_comments(number)
        assert "**You are registered**" in answer
        assert double.issues[number]["state"] == "closed"
        assert text.count(f"login: person-{number:04d}") == 1
    _, writes = counted(double)
    assert writes == 2 * 3


def test_the_double_refuses_searches_the_sweep_does_not_make(double: GitHubDouble) -> None:
    def search(q: str) -> int:
        url = f"{double.base_url}/search/issues?{urlencode({'q': q})}"
        request = Request(url, headers={"Authorization": "token t"})
        try:
            with urlopen(request) as answer:
                return int(json.load(answer)["total_count"])
        except HTTPError as error:
            return error.code

    repo = f"repo:{double.repo} is:issue is:closed"
    assert search(f"{repo} updated:>=2026-12-01T09:00:00Z label:registration,cancellation") == 0
    assert search(f"{repo} updated:>2026-12-01T09:00:00Z label:registration") == 422
    assert search(f"{repo} updated:>=2026-12-01 label:registration") == 422
    assert search(f"{repo} updated:>=2026-12-01T09:00:00Z") == 422
    assert search(f"{repo} updated:>=2026-12-01T09:00:00Z label:x author:me") == 422
    other = "repo:someone/else is:issue is:closed updated:>=2026-12-01T09:00:00Z label:x"
    assert search(other) == 422


def test_an_edit_of_a_closed_issue_is_answered_even_when_the_hour_is_used_up(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, capacity=50)
    work = clone(remote, tmp_path / "work")
    now = parse_timestamp(NOW)
    double.clock = lambda: now - timedelta(hours=2)
    add_registrations(double, 1)
    assert run_sweep(double, work, "--now", _stamp(now - timedelta(hours=2))).returncode == 0
    double.clock = lambda: now
    # The sweep's 400 of the last hour are spent.
    for index in range(200):
        moment = now - timedelta(minutes=10)
        body = register_body(EVENT_ID, name=f"Earlier {index}")
        double.add_issue(
            5000 + index, f"earlier-{index:04d}", body, ["cancellation"], created=moment
        )
        double.issues[5000 + index].update(
            state="closed", closed_at=_stamp(moment), updated_at=_stamp(moment)
        )
    # Issue 1 is edited after its answer, and its run was dropped; issue 2 is new.
    double.edit_body(1, register_body(EVENT_ID, name="Person 1", note="a note"), now)
    add_registrations(double, 1, start=2)
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stdout + result.stderr
    # The schedule is the only one to find the edit (the next one looks only after this run),
    # so it is answered; the new issue waits, open, for a later run.
    assert "note: a note" in remote_file(remote)
    (answer,) = double.bot_comments(1)
    assert "Your entry was updated" in answer
    assert "#2: waiting" in result.stdout
    assert double.issues[2]["state"] == "open" and double.bot_comments(2) == []
    assert "person-0002" not in remote_file(remote)
