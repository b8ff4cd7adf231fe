"""How long one `signupsheet send-links` run takes to mail 1,000 registrants.

A local SMTP server (aiosmtpd on 127.0.0.1) receives the messages; the run is the real command in
a fresh interpreter (start-up included), from loading the events to recording `link_sent` in the
event file. Target: at most 10 s. Prints a table.

A second table counts the requests `send-links` makes to GitHub (the local double of tests/),
for 10, 100 and 1,000 registrants: all with a public e-mail on their profile (one run), and all
without one, told on their registration issues — scheduled runs ten minutes apart until
everyone is told (a run posts at most `NOTICE_CAP` notices), and one run after that. GitHub
allows a workflow's token 1,000 REST requests an hour per repository, and about 80 new comments
a minute and 500 an hour.

    .venv/bin/python benchmarks/send_links.py [--recipients N] [--repeat R] [--api-only]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from githubdouble import REPOSITORY, GitHubDouble
from sitekit import make_site
from smtp_server import smtp_server

EVENT = "2030-05-01-large-call"
NOW = "2030-05-01T13:20:00Z"
TARGET_SECONDS = 10.0


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def large_call_site(
    folder: Path, recipients: int, *, issues: bool = False
) -> tuple[Path, dict[str, str]]:
    logins = [f"person-{index:05d}" for index in range(recipients)]
    sources = {login: f"issue:{index + 1}" for index, login in enumerate(logins)} if issues else {}
    data = {
        "title": "Large community call",
        "location": {"mode": "online", "platform": "Zoom"},
        "policy": "policies/safe-space.md",
        "sessions": [
            {
                "id": "main",
                "start": "2030-05-01T14:00:00Z",
                "end": "2030-05-01T15:00:00Z",
                "registrations": [
                    {
                        "login": login,
                        "name": f"Person {login}",
                        "registered": "2030-04-01T10:00:00Z",
                        **({"source": sources[login]} if login in sources else {}),
                    }
                    for login in logins
                ],
            }
        ],
    }
    root = make_site(folder / "site", {EVENT: yaml.safe_dump(data, sort_keys=False)})
    contacts = {login: f"{login}@people.example.net" for login in logins}
    return root, contacts


def one_run(recipients: int) -> dict[str, float]:
    counter = Counter()
    with tempfile.TemporaryDirectory() as folder, smtp_server(counter) as port:
        root, contacts = large_call_site(Path(folder), recipients)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SIGNUPSHEET_", "GITHUB_"))
        }
        env.update(
            SIGNUPSHEET_MEETING_LINKS=json.dumps({EVENT: "https://meet.example.org/room-42"}),
            SIGNUPSHEET_CONTACTS=json.dumps(contacts),
            SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SIGNUPSHEET_MAIL_FROM="Events <events@example.org>",
        )
        cpu_before = _children_cpu()
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "signupsheet",
                "--root",
                str(root),
                "send-links",
                "--now",
                NOW,
                "--json",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        if result.returncode != 0:
            raise SystemExit(f"send-links failed:\n{result.stderr}")
        report = json.loads(result.stdout)
        text = (root / "events" / f"{EVENT}.yaml").read_text(encoding="utf-8")
        marked = text.count("link_sent:")
        if counter.count != recipients or marked != recipients:
            raise SystemExit(
                f"expected {recipients} messages and marks, got {counter.count} and {marked}"
            )
        return {"seconds": elapsed, "cpu": cpu, "sent": report["counts"]["sent"]}


def api_runs(recipients: int, *, public: bool) -> list[dict[str, int]]:
    """Whole `send-links` runs against the GitHub double, with no contacts secret: every address
    comes from the profile (`public`, one run), or nobody has one and each is told on the issue
    they registered with (scheduled runs until nobody waits, and one more). The requests the
    double received in each run, by kind, and the comments posted."""
    counter = Counter()
    double = GitHubDouble()
    double.start()
    runs: list[dict[str, int]] = []
    try:
        with tempfile.TemporaryDirectory() as folder, smtp_server(counter) as port:
            root, contacts = large_call_site(Path(folder), recipients, issues=not public)
            registered = datetime(2030, 4, 1, 10, tzinfo=UTC)
            for index, login in enumerate(contacts):
                double.emails[login] = contacts[login] if public else None
                if not public:
                    double.add_issue(index + 1, login, "", ["registration"], created=registered)
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("SIGNUPSHEET_", "GITHUB_"))
            }
            env.update(
                SIGNUPSHEET_MEETING_LINKS=json.dumps({EVENT: "https://meet.example.org/room-42"}),
                SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
                SIGNUPSHEET_MAIL_FROM="Events <events@example.org>",
                GITHUB_TOKEN="benchmark-token",
                GITHUB_API_URL=double.base_url,
                GITHUB_REPOSITORY=REPOSITORY,
            )
            # Each run as the scheduled ones ten minutes apart, at one moment of the link
            # window: whether the session is still due by the last of them is not the point.
            after = 0
            while after < (1 if public else 2):
                seen, posted = len(double.requests), len(double.created_comments)
                command = ["-m", "signupsheet", "--root", str(root), "send-links"]
                result = subprocess.run(
                    [sys.executable, *command, "--now", NOW, "--json"],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                report = json.loads(result.stdout) if result.stdout.strip() else {}
                counts = report.get("counts", {})
                status = "sent" if public else "unreachable"
                if counter.count != (recipients if public else 0) or (
                    counts.get(status) != recipients
                ):
                    raise SystemExit(f"api run: unexpected outcome {counts}:\n{result.stderr}")
                after += report.get("notices_waiting", 0) == 0
                runs.append(
                    {
                        **_kinds(double.requests[seen:]),
                        "posted": len(double.created_comments) - posted,
                    }
                )
            told = [len(double.bot_comments(index + 1)) for index in range(recipients)]
            if not public and told != [1] * recipients:
                raise SystemExit(f"api run: notices per issue {sorted(set(told))}, not 1 each")
    finally:
        double.stop()
    return runs


def _kinds(requests: list[tuple[str, str, int]]) -> dict[str, int]:
    kinds: dict[str, int] = {"total": len(requests)}
    for method, path, _ in requests:
        kind = f"{method} {path.split('/')[1] if path.startswith('/users/') else path}"
        if path.startswith("/repos/"):
            kind = f"{method} {'comments' if path.endswith('/comments') else 'issue'}"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def api_table() -> None:
    print(
        "requests to GitHub by send-links (budget: 1,000 REST requests an hour; "
        "about 80 comments a minute, 500 an hour)"
    )
    print(
        f"{'registrants':>11}  {'profiles public':>15}  {'told: 1st run':>13}  "
        f"{'most a run':>10}  {'comments a run':>14}  {'runs to tell all':>16}  "
        f"{'run after':>9}  detail (public / 1st run / run after)"
    )
    for recipients in (10, 100, 1000):
        [public] = api_runs(recipients, public=True)
        told = api_runs(recipients, public=False)
        first, again = told[0], told[-1]
        kinds = sorted((set(public) | set(first) | set(again)) - {"total", "posted"})
        detail = "; ".join(
            f"{kind} {public.get(kind, 0)}/{first.get(kind, 0)}/{again.get(kind, 0)}"
            for kind in kinds
        )
        print(
            f"{recipients:>11}  {public['total']:>15}  {first['total']:>13}  "
            f"{max(run['total'] for run in told):>10}  "
            f"{max(run['posted'] for run in told):>14}  {len(told) - 1:>16}  "
            f"{again['total']:>9}  {detail}"
        )


_FLOOR_CLIENT = """
import smtplib, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
data = b"From: events@example.org\\r\\nSubject: x\\r\\n\\r\\n" + (b"x" * 70 + b"\\r\\n") * 60
with smtplib.SMTP("127.0.0.1", port) as client:
    for index in range(count):
        client.sendmail("events@example.org", [f"p{index}@people.example.net"], data)
"""


def floor_run(recipients: int) -> dict[str, float]:
    """Similar-sized prebuilt messages over plain smtplib, also from a fresh interpreter: what
    the server and the machine allow, without anything signupsheet does."""
    counter = Counter()
    with smtp_server(counter) as port:
        cpu_before = _children_cpu()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _FLOOR_CLIENT, str(port), str(recipients)], check=True
        )
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
    if counter.count != recipients:
        raise SystemExit(f"floor: expected {recipients} messages, got {counter.count}")
    return {"seconds": elapsed, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--api-only", action="store_true", help="only the table of requests")
    args = parser.parse_args()
    api_table()
    if args.api_only:
        return
    print()
    rows = [
        ("send-links, whole command", [one_run(args.recipients) for _ in range(args.repeat)]),
        ("smtplib alone (floor)", [floor_run(args.recipients) for _ in range(args.repeat)]),
    ]
    print(f"{args.recipients} recipients, one SMTP connection, {args.repeat} runs each")
    print(f"{'what':<28}  {'median s':>8}  {'best s':>6}  {'ms/message':>10}  {'client CPU s':>12}")
    for name, runs in rows:
        seconds = [run["seconds"] for run in runs]
        median = statistics.median(seconds)
        cpu = statistics.median(run["cpu"] for run in runs)
        print(
            f"{name:<28}  {median:>8.2f}  {min(seconds):>6.2f}  "
            f"{1000 * median / args.recipients:>10.2f}  {cpu:>12.2f}"
        )
    median = statistics.median(run["seconds"] for run in rows[0][1])
    verdict = "met" if median <= TARGET_SECONDS else "MISSED"
    print(f"target: send-links at most {TARGET_SECONDS:.0f} s: {verdict}")
    if hasattr(os, "getloadavg"):
        print(f"load average during the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
