"""Handling one registration with 1 event and with 10,000 events in the repository.

Each measurement is a fresh interpreter (start-up included) that does what the sweep does for
one issue, without the network: parse the issue body with the form, decide, edit the event file,
commit. Only the event concerned is read, so the two columns should match (ratio <= 1.2), and
the median should stay under 0.5 s.

    .venv/bin/python benchmarks/registration.py [--runs N] [--events N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

EVENT = """\
# yaml-language-server: $schema=../schema/event.schema.json
title: Event {index}
policy: policies/safe-space.md
sessions:
  - id: main
    start: 2026-12-03T14:00:00Z
    end: 2026-12-03T15:00:00Z
    capacity: 100000
    registrations:
{entries}
"""
ENTRY = """\
      - login: person-{n}
        name: Person {n}
        registered: 2026-11-20T10:00:00Z
        source: issue:{n}
"""
TARGET = "2026-12-03-target"

# Run in a fresh interpreter for each measurement: the work of one issue, minus the network.
ONE = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from signupsheet.registration.git_sync import commit_paths
from signupsheet.registration.issues.issue_form import load_form
from signupsheet.registration.issues.issue_request import read_issue
from signupsheet.core.project import Project
from signupsheet.core.rules import Actor
from signupsheet.registration.applying import apply_request
root, login = Path(sys.argv[1]), sys.argv[2]
project = Project(root)
body = (root / "body.md").read_text()
now = datetime(2026, 12, 1, 10, tzinfo=UTC)
form = load_form(project.forms_dir / "register.yml")
parsed = read_issue(form, "register", body, author=login, created=now, number=7)
assert parsed.ok and parsed.request is not None, parsed.problems
applied = apply_request(project, parsed.event, parsed.request, actor=Actor(login), now=now)
assert applied.outcome.outcome == "registered", applied.outcome
assert commit_paths(root, applied.written, f"Sign-up of {login} for {parsed.event}")
"""


def make_repo(where: Path, events: int) -> Path:
    from formbodies import register_body
    from gitkit import init_repo
    from sitekit import make_site

    entries = "".join(ENTRY.format(n=n) for n in range(1, 21)).rstrip("\n")
    texts = {TARGET: EVENT.format(index=0, entries=entries)}
    for index in range(1, events):
        name = f"2026-12-{index % 28 + 1:02d}-event-{index:05d}"
        texts[name] = EVENT.format(index=index, entries=entries)
    body = register_body(TARGET, name="Bench Mark", note="hello")
    make_site(where, texts, forms=True, files={"body.md": body})
    init_repo(where, "events")
    return where


def measure(root: Path, login: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", ONE, str(root), login], check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = make_repo(Path(tmp) / "one", 1)
        large = make_repo(Path(tmp) / "many", args.events)
        times: dict[str, list[float]] = {"1 event": [], f"{args.events} events": []}
        for run in range(args.runs):
            # Alternate, so a busy moment on the machine hits both sides alike.
            times["1 event"].append(measure(small, f"bench-{run}"))
            times[f"{args.events} events"].append(measure(large, f"bench-{run}"))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'repository':<16} {'p50 (s)':>8} {'min (s)':>8} {'max (s)':>8}  runs={args.runs}")
    for name, values in times.items():
        print(f"{name:<16} {medians[name]:>8.3f} {min(values):>8.3f} {max(values):>8.3f}")
    one, many = medians.values()
    ratio = many / one
    print(f"ratio p50 {ratio:.2f} (goal <= 1.2); p50 goal <= 0.5 s")
    return 0 if ratio <= 1.2 and max(one, many) <= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
