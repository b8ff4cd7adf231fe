"""GitHub API requests spent by the registration sweep, counted against the GitHub double.

A workflow's GITHUB_TOKEN may make 1,000 REST requests an hour per repository, and GitHub's
secondary limits allow about 500 content-creating requests (POST, PATCH, PUT, DELETE) an hour.
Everything goes through the real `signupsheet sweep` command (in this process, for speed) with a
real bare git remote and the local GitHub double (tests/githubdouble.py) that counts requests.

Two parts:

1. The rows of issue 18's table: one sweep over a burst of 100 new registration issues; an idle
   scheduled run with 100 and 1,000 answered issues behind it; a run started by one new issue
   with 100 and 1,000 answered issues behind it.
2. Sustained load: `--n` registrations (default 1,000) arriving over `--hours` simulated hours
   (Poisson arrivals), plus edits (10 %) and cancellations (5 %), each issue event starting a
   run, coalesced as the workflow's concurrency group does (one running, at most one pending; a
   newer pending run replaces the older), each run taking `--run-seconds` of simulated time,
   plus the hourly scheduled runs. A table gives the requests of the runs started in each hour
   against both limits (the search the sweep makes to count its writes of the last hour is a
   request, not a write); then totals, requests per registration, the pacing (runs that left
   issues for a later run because the sweep's share of the hour was used up, how many issues
   waited, the longest time from an issue to its answer), issues left unanswered (lost, must
   be 0) and issues answered more than once (must be 0).

    .venv/bin/python benchmarks/api_budget.py [--n 1000] [--hours 5] [--run-seconds 60]
    .venv/bin/python benchmarks/api_budget.py --n 100 --skip-rows   # quick
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from formbodies import cancel_body, register_body  # noqa: E402
from githubdouble import BOT, GitHubDouble  # noqa: E402
from gitkit import bare_remote, clone, init_repo  # noqa: E402
from signupsheet.main import main  # noqa: E402
from signupsheet.registration.issues.issue_replies import (  # noqa: E402
    REPLY_MARKER,
    answered_digest,
    body_digest,
)
from sitekit import make_site  # noqa: E402

EVENT_ID = "2027-03-04-conference"
EVENT = """\
# yaml-language-server: $schema=../schema/event.schema.json
title: Conference
policy: policies/safe-space.md
sessions:
  - id: main
    start: 2027-03-04T14:00:00Z
    end: 2027-03-04T18:00:00Z
    capacity: {capacity}
"""
START = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
HOUR_LIMIT = 1000
WRITE_LIMIT = 500


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Site:
    double: GitHubDouble
    work: Path
    tmp: Path
    runs: int = 0
    # Issue numbers a run left waiting for a later one (its share of the hour was used up).
    waited: set[int] = field(default_factory=set)
    paced_runs: int = 0

    def sweep(self, now: datetime, payload: Path | None = None) -> int:
        """One run of the workflow's sweep job at `now`: the requests it made."""
        self.double.clock = lambda: now
        before = len(self.double.requests)
        args = ["--root", str(self.work), "sweep", "--repo", self.double.repo]
        args += ["--api-url", self.double.base_url, "--server-url", "https://github.com"]
        args += ["--no-throttle", "--backoff", "0.05", "--now", stamp(now)]
        if payload is not None:
            args += ["--event-path", str(payload)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(args)
        if code != 0:
            raise SystemExit(f"the sweep at {stamp(now)} failed ({code})")
        self.runs += 1
        waiting = re.findall(r"^#(\d+): waiting$", out.getvalue(), re.M)
        self.waited.update(int(number) for number in waiting)
        self.paced_runs += bool(waiting)
        return len(self.double.requests) - before


def make(tmp: Path, capacity: int) -> Site:
    seed = make_site(tmp / "seed", {EVENT_ID: EVENT.format(capacity=capacity)}, forms=True)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--root", str(seed), "forms", "--now", stamp(START)]) == 0
    init_repo(seed, "site")
    remote = bare_remote(seed, tmp / "remote.git")
    double = GitHubDouble()
    double.start()
    return Site(double, clone(remote, tmp / "work"), tmp)


def add_answered(double: GitHubDouble, count: int, before: datetime) -> None:
    """Issues answered, labelled and closed by earlier runs, over the six days before `before`."""
    for index in range(count):
        number = 50_000 + index
        moment = before - timedelta(days=6) * (index + 1) / (count + 1)
        body = register_body(EVENT_ID, name=f"Earlier {index}")
        label = "waitlisted" if index % 3 == 0 else "registered"
        labels = ["registration", label]
        double.add_issue(number, f"earlier-{index}", body, labels, created=moment, state="closed")
        double.add_comment(number, BOT, f"{REPLY_MARKER} digest={body_digest(body)} -->\nDone.")
        double.issues[number]["updated_at"] = double.issues[number]["closed_at"]


def split(double: GitHubDouble, start: int) -> tuple[int, int]:
    made = double.requests[start:]
    return len(made), sum(method in WRITES for method, _, _ in made)


def rows() -> None:
    print("Issue 18's table (requests counted against the GitHub double)")
    print(f"{'case':<62} {'requests':>8} {'writes':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        site = make(Path(tmp), capacity=10_000)
        for number in range(1, 101):
            body = register_body(EVENT_ID, name=f"Person {number}")
            site.double.add_issue(number, f"person-{number}", body, ["registration"], created=START)
        site.sweep(START + timedelta(minutes=1))
        total, writes = split(site.double, 0)
        case = "one sweep over 100 new registration issues"
        print(f"{case:<62} {total:>8} {writes:>7}   ({total / 100:.2f} per registration)")
        site.double.stop()
    for history in (100, 1000):
        with tempfile.TemporaryDirectory() as tmp:
            site = make(Path(tmp), capacity=10_000)
            now = START + timedelta(days=7)
            add_answered(site.double, history, now - timedelta(hours=1))
            site.double.clock = lambda now=now: now - timedelta(minutes=70)
            site.double.add_run(now - timedelta(minutes=70))
            mark = len(site.double.requests)
            site.sweep(now)
            total, writes = split(site.double, mark)
            case = f"an idle scheduled run with {history} answered issues behind it"
            print(f"{case:<62} {total:>8} {writes:>7}")
            number = 90_000
            body = register_body(EVENT_ID, name="New Person")
            site.double.add_issue(number, "new-person", body, ["registration"], created=now)
            payload = site.double.event_payload(
                "issues.opened.payload.json", number, Path(tmp) / "opened.json"
            )
            mark = len(site.double.requests)
            site.sweep(now + timedelta(minutes=2), payload)
            total, writes = split(site.double, mark)
            case = f"a run started by one new issue with {history} answered behind it"
            print(f"{case:<62} {total:>8} {writes:>7}")
            site.double.stop()
    print()


@dataclass(order=True)
class Happening:
    at: datetime
    kind: str = field(compare=False)  # "opened", "edited", "cancel", "schedule"
    number: int = field(compare=False, default=0)


def sustained(n: int, hours: float, run_seconds: float, seed: int) -> int:
    rng = random.Random(seed)
    span = timedelta(hours=hours)
    # Poisson arrivals: uniform times, sorted.
    happenings = [Happening(START + span * rng.random(), "opened") for _ in range(n)]
    for _ in range(n // 10):
        happenings.append(Happening(START + span * rng.random(), "edited"))
    for _ in range(n // 20):
        happenings.append(Happening(START + span * rng.random(), "cancel"))
    tick = START.replace(minute=23)
    while tick <= START + span + timedelta(hours=1):
        happenings.append(Happening(tick, "schedule"))
        tick += timedelta(hours=1)
    happenings.sort()
    capacity = n * 4 // 5
    run_time = timedelta(seconds=run_seconds)
    with tempfile.TemporaryDirectory() as tmp:
        site = make(Path(tmp), capacity=capacity)
        double = site.double
        per_hour: Counter[int] = Counter()
        writes_hour: Counter[int] = Counter()
        registered: list[int] = []  # issue numbers opened so far
        # Issue numbers in the order the issues are opened, as on GitHub.
        next_number = 1
        busy_until = START - timedelta(hours=1)
        pending: tuple[Happening, Path | None] | None = None
        dropped = 0

        def execute(at: datetime, happening: Happening, payload: Path | None) -> None:
            nonlocal busy_until
            mark = len(double.requests)
            site.sweep(at, payload)
            if happening.kind == "schedule":
                double.add_run(at)  # the Actions API lists it once it succeeded
            hour = int((at - START).total_seconds() // 3600)
            total, writes = split(double, mark)
            per_hour[hour] += total
            writes_hour[hour] += writes
            busy_until = at + run_time

        for happening in happenings:
            # The pending run starts when the running one ends.
            while pending is not None and busy_until <= happening.at:
                waiting, pending = pending, None
                execute(busy_until, *waiting)
            at = happening.at
            double.clock = lambda at=at: at
            payload: Path | None = None
            if happening.kind == "opened":
                number = next_number
                next_number += 1
                body = register_body(EVENT_ID, name=f"Person {number}")
                double.add_issue(number, f"person-{number}", body, ["registration"], created=at)
                registered.append(number)
                name = "issues.opened.payload.json"
            elif happening.kind == "edited":
                if not registered:
                    continue
                number = rng.choice(registered)
                note = f"edited at {stamp(at)}"
                body = register_body(EVENT_ID, name=f"Person {number}", note=note)
                double.edit_body(number, body, at)
                name = "issues.edited.payload.json"
            elif happening.kind == "cancel":
                if not registered:
                    continue
                login = double.issues[rng.choice(registered)]["user"]["login"]
                number = next_number
                next_number += 1
                labels = ["cancellation"]
                double.add_issue(number, login, cancel_body(EVENT_ID), labels, created=at)
                name = "issues.opened.payload.json"
            if happening.kind != "schedule":
                payload = double.event_payload(name, number, Path(tmp) / f"event-{at:%s%f}.json")
            if busy_until <= at:
                execute(at, happening, payload)
            else:
                if pending is not None:
                    dropped += 1  # replaced by this newer run, as GitHub does
                pending = (happening, payload)
        if pending is not None:
            execute(max(busy_until, pending[0].at), *pending)
        # The hourly schedule goes on: the issues left waiting are answered by its next runs.
        last_tick = max(h.at for h in happenings if h.kind == "schedule")
        extra_runs = 0
        while any(issue["state"] == "open" for issue in double.issues.values()):
            last_tick += timedelta(hours=1)
            extra_runs += 1
            if extra_runs > 5:
                break
            double.clock = lambda at=last_tick: at
            execute(max(busy_until, last_tick), Happening(last_tick, "schedule"), None)

        lost = 0
        twice = 0
        created = Counter(double.comments[c]["issue"] for c in double.created_comments)
        for number, issue in double.issues.items():
            answers = double.bot_comments(number)
            if issue["state"] != "closed" or not answers:
                lost += 1
            elif answered_digest(answers[0]) != body_digest(issue["body"]):
                lost += 1  # an edit never decided
            if len(answers) > 1 or created[number] > 1:
                twice += 1
        longest = timedelta(0)
        for comment_id in double.created_comments:
            comment = double.comments[comment_id]
            issue = double.issues[comment["issue"]]
            answered = datetime.fromisoformat(comment["created_at"])
            longest = max(longest, answered - datetime.fromisoformat(issue["created_at"]))
        total = sum(per_hour.values())
        writes = sum(writes_hour.values())

        print(
            f"Sustained load: {n} registrations, {n // 10} edits, {n // 20} cancellations over "
            f"{hours:g} h; runs take {run_seconds:g} s; {site.runs} runs, {dropped} dropped by "
            "the concurrency group"
        )
        print(f"{'hour':>4} {'requests':>9} {'/ 1000':>7} {'writes':>7} {'/ 500':>6}")
        for hour in sorted(per_hour):
            print(
                f"{hour:>4} {per_hour[hour]:>9} {per_hour[hour] / HOUR_LIMIT:>7.0%} "
                f"{writes_hour[hour]:>7} {writes_hour[hour] / WRITE_LIMIT:>6.0%}"
            )
        print(f"total requests {total}, content-creating {writes}")
        print(f"requests per registration {total / n:.2f} ({writes / n:.2f} content-creating)")
        print(
            f"paced: {site.paced_runs} runs left issues for a later run; {len(site.waited)} "
            f"issues waited; longest time from an issue to its answer {longest}; "
            f"{extra_runs} scheduled runs after the load"
        )
        print(f"lost {lost} (must be 0), answered more than once {twice} (must be 0)")
        double.stop()
        over = max(per_hour.values()) > HOUR_LIMIT or max(writes_hour.values()) > WRITE_LIMIT
        return 1 if lost or twice or over else 0


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="registrations (default 1,000)")
    parser.add_argument("--hours", type=float, default=5.0, help="simulated hours (default 5)")
    parser.add_argument("--run-seconds", type=float, default=60.0, help="one run's duration")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--skip-rows", action="store_true", help="only the sustained load")
    args = parser.parse_args()
    os.environ["GITHUB_TOKEN"] = "benchmark-token-not-secret"
    for name in ("GITHUB_EVENT_PATH", "GITHUB_OUTPUT", "SIGNUPSHEET_SMTP_URL"):
        os.environ.pop(name, None)
    if not args.skip_rows:
        rows()
    return sustained(args.n, args.hours, args.run_seconds, args.seed)


if __name__ == "__main__":
    sys.exit(main_())
