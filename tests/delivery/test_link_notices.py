"""The notice on the registration issue of someone the link cannot reach: posted once per
session (recorded in `link-notices.txt` on the branch), never more than `NOTICE_CAP` a run, and
costing no request at all once recorded. Real `send-links` runs, real git, real SMTP, PyGithub
against the local GitHub double."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from test_overlapping_runs import barrier_hook, seeded_remote

from githubdouble import REPOSITORY, GitHubDouble
from gitkit import git
from link_site import EVENT, IN_WINDOW, REGISTERED, LinkSite, base_env, entry, make_link_site
from signupsheet.core.model import parse_timestamp
from signupsheet.delivery.notices_told import NOTICE_CAP
from smtp_server import Recorder, smtp_server

NEXT_RUN = "2030-05-01T13:30:00Z"
THIRD_RUN = "2030-05-01T13:40:00Z"
MARKER = f"signupsheet:link-unreachable {EVENT}/main"


def address(login: str) -> str:
    return f"{login}@people.example.net"


def env_for(link_site: Path, port: int, double: GitHubDouble, link: str) -> dict[str, str]:
    return base_env(
        SIGNUPSHEET_MEETING_LINKS=f"{EVENT}: {link}\n",
        SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
        SIGNUPSHEET_MAIL_FROM="events@example.org",
        GITHUB_TOKEN="test-token",
        GITHUB_API_URL=double.base_url,
        GITHUB_REPOSITORY=REPOSITORY,
        GITHUB_STEP_SUMMARY=str(link_site.parent / "summary.md"),
    )


def registered_on_issues(double: GitHubDouble, logins: list[str]) -> list[dict[str, str]]:
    """Entries of `logins`, each registered with issue number (index + 1), none reachable."""
    for number, login in enumerate(logins, start=1):
        double.add_issue(
            number, login, "Sign me up", ["registration"], created=parse_timestamp(REGISTERED)
        )
        double.emails[login] = None
    return [entry(login, source=f"issue:{n}") for n, login in enumerate(logins, start=1)]


def issue_requests(double: GitHubDouble, since: int) -> list[tuple[str, str, int]]:
    """The REST requests about issues and their comments made after the first `since`."""
    return [item for item in double.requests[since:] if item[1].startswith("/repos/")]


def notice_lines(root: Path) -> list[str]:
    path = root / "link-notices.txt"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_told_once_then_later_runs_ask_github_nothing_and_an_address_still_gets_the_link(
    tmp_path: Path, double: GitHubDouble
) -> None:
    site = make_link_site(tmp_path)
    site.write_event(registered_on_issues(double, ["nomail", "shy", "other"]))
    recorder = Recorder()
    with smtp_server(recorder) as port:
        env = env_for(site.root, port, double, site.link)
        first = site.run(env, "--now", IN_WINDOW, "--json")
        assert first.returncode == 0, first.stderr
        assert [len(double.bot_comments(n)) for n in (1, 2, 3)] == [1, 1, 1]
        assert MARKER in double.bot_comments(1)[0]

        seen = len(double.requests)
        second = site.run(env, "--now", NEXT_RUN, "--json")
        assert second.returncode == 0, second.stderr
        assert [item["status"] for item in json.loads(second.stdout)["outcomes"]] == [
            "unreachable"
        ] * 3
        # Recorded: no listing of comments, no comment, not even a look at the issue.
        assert issue_requests(double, seen) == []
        assert [len(double.bot_comments(n)) for n in (1, 2, 3)] == [1, 1, 1]
        assert notice_lines(site.root) == [f"{EVENT} main {n}" for n in (1, 2, 3)]

        # Told, then they publish an address: the link goes out all the same.
        double.emails["shy"] = address("shy")
        third = site.run(env, "--now", THIRD_RUN, "--json")
        assert third.returncode == 0, third.stderr
        assert [item.recipients for item in recorder.messages] == [[address("shy")]]
        assert site.link_sent()["shy"] == THIRD_RUN
    assert site.link not in (site.root / "link-notices.txt").read_text(encoding="utf-8")


def test_a_thousand_unreachable_are_told_at_most_the_cap_a_run_and_never_twice(
    tmp_path: Path, double: GitHubDouble
) -> None:
    people = [f"person-{index:04d}" for index in range(1000)]
    site = make_link_site(tmp_path)
    site.write_event(registered_on_issues(double, people))
    with smtp_server(Recorder()) as port:
        env = env_for(site.root, port, double, site.link)
        runs = []
        for now in (IN_WINDOW, NEXT_RUN, THIRD_RUN):
            seen, comments = len(double.requests), len(double.created_comments)
            result = site.run(env, "--now", now, "--json")
            assert result.returncode == 0, result.stderr
            report = json.loads(result.stdout)
            runs.append(
                (
                    len(double.created_comments) - comments,
                    len(issue_requests(double, seen)),
                    len(double.requests) - seen,
                    report.get("notices_waiting"),
                )
            )
    posted = [run[0] for run in runs]
    assert posted == [NOTICE_CAP] * 3
    # Each notice costs one listing of the issue's comments and one comment, once; the rest of
    # a run is the profile lookup (GraphQL, 100 people a query).
    assert [run[1] for run in runs] == [2 * NOTICE_CAP] * 3
    assert [run[2] for run in runs] == [2 * NOTICE_CAP + 10] * 3
    assert [run[3] for run in runs] == [1000 - NOTICE_CAP * n for n in (1, 2, 3)]
    told = [n for n in range(1, 1001) if double.bot_comments(n)]
    assert told == list(range(1, 3 * NOTICE_CAP + 1))  # in the order of the sheet
    assert all(len(double.bot_comments(n)) == 1 for n in told)
    assert len(notice_lines(site.root)) == 3 * NOTICE_CAP
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert f"{1000 - 3 * NOTICE_CAP} not told on their issue yet" in summary


def test_a_notice_that_cannot_be_posted_is_taken_back_and_posted_next_run(
    tmp_path: Path, double: GitHubDouble
) -> None:
    seed, remote = seeded_remote(tmp_path, registered_on_issues(double, ["nomail", "other"]))
    double.fail("POST", r"/issues/2/comments$", 502)
    clone = tmp_path / "run"
    git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    site = LinkSite(clone, link=seed.link)
    with smtp_server(Recorder()) as port:
        env = env_for(clone, port, double, seed.link)
        first = site.run(env, "--push", "--now", IN_WINDOW, "--json")
        assert first.returncode == 0, first.stderr
        check = tmp_path / "check"
        git(tmp_path, "clone", "--quiet", str(remote), str(check))
        assert notice_lines(check) == [f"{EVENT} main 1"]
        assert git(check, "log", "--format=%s").splitlines()[:2] == [
            f"Meeting-link notices not posted for {EVENT}: retried next run",
            f"Record meeting-link notices for {EVENT}",
        ]
        assert json.loads(first.stdout)["notices_waiting"] == 1
        assert [len(double.bot_comments(n)) for n in (1, 2)] == [1, 0]

        second = site.run(env, "--push", "--now", NEXT_RUN, "--json")
        assert second.returncode == 0, second.stderr
    assert [len(double.bot_comments(n)) for n in (1, 2)] == [1, 1]
    git(check, "pull", "--quiet")
    assert notice_lines(check) == [f"{EVENT} main 1", f"{EVENT} main 2"]


@pytest.mark.parametrize("answer", ["locked", "deleted", "rate-limited"])
def test_an_issue_that_can_never_take_the_notice_is_not_asked_again_each_run(
    tmp_path: Path, double: GitHubDouble, answer: str
) -> None:
    """A locked or deleted issue stays recorded (asking each run would cost requests for
    nothing) and the others are told; a rate limit stops the run's notices (asking on while
    limited can get the token blocked), and they are taken back and posted by a later run."""
    site = make_link_site(tmp_path)
    site.write_event(registered_on_issues(double, ["nomail", "other", "third"]))
    if answer == "locked":
        double.fail("POST", r"/issues/2/comments$", 403, message="Issue is locked")
    elif answer == "deleted":
        double.fail("GET", r"/issues/2/comments$", 410, message="This issue was deleted")
    else:
        double.rate_limit("POST", r"/issues/2/comments$")
    with smtp_server(Recorder()) as port:
        env = env_for(site.root, port, double, site.link)
        first = site.run(env, "--now", IN_WINDOW, "--json")
        assert first.returncode == 0, first.stderr
        after_first = [len(double.bot_comments(n)) for n in (1, 2, 3)]
        asked_third = any("/issues/3/" in path for _, path, _ in double.requests)
        seen = len(double.requests)
        second = site.run(env, "--now", NEXT_RUN, "--json")
        assert second.returncode == 0, second.stderr
    if answer == "rate-limited":
        assert after_first == [1, 0, 0]
        assert not asked_third
        assert json.loads(first.stdout)["notices_waiting"] == 2
        assert [len(double.bot_comments(n)) for n in (1, 2, 3)] == [1, 1, 1]
    else:
        assert after_first == [1, 0, 1]
        assert json.loads(first.stdout)["notices_waiting"] == 0
        assert issue_requests(double, seen) == []
        assert double.bot_comments(2) == []
    assert notice_lines(site.root) == [f"{EVENT} main {n}" for n in (1, 2, 3)]


class ListingRendezvous(GitHubDouble):
    """Holds the first listing of an issue's comments until a second one arrives (at most a few
    seconds): two runs that both mean to post then both find no notice there yet."""

    def __init__(self) -> None:
        super().__init__()
        self.rendezvous = threading.Barrier(2, timeout=4)

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        data: Any,
        handler: BaseHTTPRequestHandler,
    ) -> tuple[int, dict[str, str], Any]:
        if method == "GET" and path.endswith("/comments") and not self.rendezvous.broken:
            # When only one run looks, the wait ends broken and later listings are not held.
            with contextlib.suppress(threading.BrokenBarrierError):
                self.rendezvous.wait()
        return super()._dispatch(method, path, query, data, handler)


def test_two_overlapping_runs_tell_each_person_once_and_record_it_on_main(
    tmp_path: Path,
) -> None:
    """Both runs read the branch before either pushes its claim (a pre-push hook holds each
    until the other has reached its own), and both would find the issue without a notice: only
    the run whose commit recorded a notice posts it."""
    double = ListingRendezvous()
    double.start()
    try:
        overlapping_runs(tmp_path, double)
    finally:
        double.stop()


def overlapping_runs(tmp_path: Path, double: GitHubDouble) -> None:
    seed, remote = seeded_remote(tmp_path, registered_on_issues(double, ["nomail", "other"]))
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    clones = {}
    for name in ("first", "second"):
        clone = tmp_path / name
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
        barrier_hook(clone, name, barrier)
        clones[name] = clone
    with smtp_server(Recorder()) as port:
        runs = {
            name: subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "signupsheet",
                    "--root",
                    str(clone),
                    "send-links",
                    "--push",
                    "--now",
                    IN_WINDOW,
                ],
                env=env_for(clone, port, double, seed.link),
                cwd=clone,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, clone in clones.items()
        }
        results = {name: run.communicate(timeout=180) for name, run in runs.items()}
    printed = "\n".join(out + err for out, err in results.values())
    assert all(run.returncode == 0 for run in runs.values()), printed
    assert (barrier / "arrived-first").exists() and (barrier / "arrived-second").exists()
    assert [len(double.bot_comments(n)) for n in (1, 2)] == [1, 1], printed
    check = tmp_path / "check"
    git(tmp_path, "clone", "--quiet", str(remote), str(check))
    assert notice_lines(check) == [f"{EVENT} main 1", f"{EVENT} main 2"]
