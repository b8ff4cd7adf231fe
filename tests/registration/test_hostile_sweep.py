"""Hostile and unlucky inputs through the real sweep against the GitHub double (issue 16).

Every input here once ended a whole run with a traceback, leaving registration by form down for
everyone; now each one is answered on its own issue and the other issues still get their turn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formbodies import register_body
from githubdouble import GitHubDouble
from gitkit import clone
from signupsheet.core.model import parse_timestamp
from signupsheet.core.project import Project
from signupsheet.github.client import connect
from signupsheet.github.issue_tracker import GitHubTracker
from signupsheet.registration.issues.sweep import Sweeper, SweepReport
from sweepkit import EVENT_ID, NOW, created, make_remote, remote_file


def sweep(double: GitHubDouble, work: Path) -> SweepReport:
    repo = connect("token", double.repo, api_url=double.base_url, backoff=0.01, polite=False)
    sweeper = Sweeper(
        project=Project(work),
        tracker=GitHubTracker(repo),
        clock=lambda: parse_timestamp(NOW),
        repo_url="https://github.com/octo-org/events-site",
        answer_grace=(0.0, 0.0),
        sleep=lambda _: None,
    )
    return sweeper.run()


def one_bad_then_a_good(double: GitHubDouble, author: str, body: str) -> None:
    double.add_issue(1, author, body, ["registration"], created=created(1))
    good = register_body(EVENT_ID, name="Good Person")
    double.add_issue(2, "good-person", good, ["registration"], created=created(2))


def bad_first(tmp_path: Path, double: GitHubDouble, author: str, body: str) -> tuple[Path, str]:
    """Sweep issue 1 (bad) and issue 2 (good): the remote and the outcome of issue 1."""
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    one_bad_then_a_good(double, author, body)
    report = sweep(double, work)
    outcomes = dict(report.handled)
    assert outcomes[2] == "registered"
    assert "login: good-person" in remote_file(remote)
    return remote, outcomes.get(1, str(report.failed))


@pytest.mark.parametrize(
    "author",
    ["some-app[bot]", "old-account-", "double--hyphen", "-leading"],
)
def test_a_login_the_schema_refuses_does_not_stop_the_run(
    tmp_path: Path, double: GitHubDouble, author: str
) -> None:
    _, outcome = bad_first(tmp_path, double, author, register_body(EVENT_ID, name="Somebody"))
    assert outcome == ("refused" if author.endswith("[bot]") or author[0] == "-" else "registered")
    assert len(double.bot_comments(1)) == 1
    assert double.issues[1]["state"] == "closed"


@pytest.mark.parametrize(
    "name",
    ["Mallory\ufeff@example.com", "Mallory\x9b@example.com", "Mallory \ud800 Lone", "a\u202eb"],
)
def test_invisible_characters_in_a_name_do_not_stop_the_run(
    tmp_path: Path, double: GitHubDouble, name: str
) -> None:
    remote, outcome = bad_first(tmp_path, double, "mallory", register_body(EVENT_ID, name=name))
    assert outcome == ("needs-changes" if "@" in name else "registered")
    text = remote_file(remote)
    assert "@example.com" not in text
    assert "\ufeff" not in text and "\\ufeff" not in text.casefold()
    assert "\\x9b" not in text.casefold() and "\u202e" not in text


def test_an_unknown_event_reply_fits_in_a_github_comment(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    events = work / "events"
    template = (events / f"{EVENT_ID}.yaml").read_text(encoding="utf-8")
    for index in range(500):
        title = "A rather long title for an event " + "x" * 100
        text = template.replace("Monthly meetup", f"{title} {index}")
        (events / f"2026-12-{index:04d}-many.yaml").write_text(text, encoding="utf-8")
    one_bad_then_a_good(double, "lost", register_body("no-such-event"))
    report = sweep(double, work)
    assert dict(report.handled) == {1: "needs-changes", 2: "registered"}
    (reply,) = double.bot_comments(1)
    assert len(reply) <= 65_536


def test_a_5xx_while_listing_stops_the_run_cleanly(tmp_path: Path, double: GitHubDouble) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    one_bad_then_a_good(double, "someone", register_body(EVENT_ID))
    double.fail("GET", r"/issues$", 502, times=1000, message="Bad Gateway")
    report = sweep(double, work)
    assert report.failed and not report.handled
    double.faults.clear()
    report = sweep(double, work)
    assert dict(report.handled) == {1: "registered", 2: "registered"}


def test_a_malformed_ban_list_is_reported_and_the_run_goes_on(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    (work / "banlist.txt").write_text("salt: nothex\n", encoding="utf-8")
    one_bad_then_a_good(double, "someone", register_body(EVENT_ID))
    report = sweep(double, work)
    assert not report.handled
    assert [number for number, _ in report.failed] == [1, 2]
    assert all("banlist.txt:1:1" in reason for _, reason in report.failed)
    assert double.issues[1]["state"] == "open"


def test_an_unexpected_error_on_one_issue_leaves_the_others_handled(
    tmp_path: Path, double: GitHubDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    from signupsheet.registration.issues import sweep as sweep_module

    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    one_bad_then_a_good(double, "unlucky", register_body(EVENT_ID))
    real = sweep_module.apply_request

    def boom(project: Project, event_id: str, request: object, **kw: object) -> object:
        if getattr(request, "user", "") == "unlucky":
            raise RuntimeError("a bug")
        return real(project, event_id, request, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep_module, "apply_request", boom)
    report = sweep(double, work)
    assert dict(report.handled) == {2: "registered"}
    assert [number for number, _ in report.failed] == [1]
    assert double.issues[1]["state"] == "open"


def test_a_body_longer_than_github_allows_is_refused_at_once(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    huge = register_body(EVENT_ID) + "\n" + "y" * 70_000
    one_bad_then_a_good(double, "huge", huge)
    report = sweep(double, work)
    assert dict(report.handled) == {1: "refused", 2: "registered"}
    assert double.issues[1]["state"] == "closed"
    assert "refused" in double.label_names(1)
    assert "login: huge" not in remote_file(remote)


TWO_SESSIONS = """\
# yaml-language-server: $schema=../schema/event.schema.json
title: Two sessions
policy: policies/safe-space.md
registration:
  closes: {closes}
sessions:
  - id: morning
    start: 2026-12-03T09:00:00Z
    end: 2026-12-03T10:00:00Z
    capacity: 10
  - id: evening
    start: 2026-12-03T18:00:00Z
    end: 2026-12-03T19:00:00Z
    capacity: 10
"""
TWO = "2026-12-03-two"


def two_event_remote(tmp_path: Path, closes: str = "2026-12-03T08:00:00Z") -> Path:
    from gitkit import bare_remote, init_repo
    from signupsheet.main import main
    from sitekit import make_site
    from sweepkit import EVENT

    files = {EVENT_ID: EVENT.format(capacity=10), TWO: TWO_SESSIONS.format(closes=closes)}
    seed = make_site(tmp_path / "seed", files, forms=True)
    assert main(["--root", str(seed), "forms", "--now", NOW]) == 0
    init_repo(seed, "site")
    return bare_remote(seed, tmp_path / "remote.git")


def sources(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if "source:" in line]


@pytest.mark.parametrize(
    ("first", "second"),
    [((EVENT_ID, None), (TWO, "evening")), ((TWO, "morning"), (TWO, "evening"))],
    ids=["other-event", "other-session"],
)
def test_an_edit_to_another_event_or_session_moves_the_one_entry(
    tmp_path: Path,
    double: GitHubDouble,
    first: tuple[str, str | None],
    second: tuple[str, str | None],
) -> None:
    remote = two_event_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    double.add_issue(1, "mover", register_body(*first), ["registration"], created=created(1))
    assert dict(sweep(double, work).handled) == {1: "registered"}
    double.edit_body(1, register_body(*second), parse_timestamp(NOW))
    assert dict(sweep(double, work).handled) == {1: "registered"}
    everywhere = remote_file(remote) + remote_file(remote, f"events/{TWO}.yaml")
    assert sources(everywhere) == ["issue:1"]
    moved_to = remote_file(remote, f"events/{TWO}.yaml").split("id: evening", 1)[1]
    assert "login: mover" in moved_to
    assert len(double.bot_comments(1)) == 1


def test_an_edit_after_registration_closed_does_not_register(
    tmp_path: Path, double: GitHubDouble
) -> None:
    # Asked before the deadline without ticking the box; fixed after it.
    remote = two_event_remote(tmp_path, closes="2026-12-01T00:00:00Z")
    work = clone(remote, tmp_path / "work")
    unticked = register_body(TWO, "morning", policy=False)
    double.add_issue(1, "late", unticked, ["registration"], created=created(1))
    assert dict(sweep(double, work).handled) == {1: "needs-changes"}
    double.edit_body(1, register_body(TWO, "morning"), parse_timestamp(NOW))
    assert dict(sweep(double, work).handled) == {1: "refused"}
    assert "login: late" not in remote_file(remote, f"events/{TWO}.yaml")


def test_a_first_submission_keeps_its_place_in_the_queue(
    tmp_path: Path, double: GitHubDouble
) -> None:
    # Created before the deadline, first swept after it: still registered, at creation time.
    remote = two_event_remote(tmp_path, closes="2026-12-01T00:00:00Z")
    work = clone(remote, tmp_path / "work")
    double.add_issue(
        1, "early", register_body(TWO, "morning"), ["registration"], created=created(1)
    )
    assert dict(sweep(double, work).handled) == {1: "registered"}
    assert "registered: 2026-11-30T08:00:01Z" in remote_file(remote, f"events/{TWO}.yaml")
