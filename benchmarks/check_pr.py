"""How long `signupsheet check-pr` takes for one sign-up, by size of sheet and of repository.

The check reads only the files a pull request changed, from git objects, so the number of other
events must not matter; a longer sheet costs parsing and diffing. Prints a table: the median and
the slowest of the in-process check (git reads included), and the median of the whole command
with interpreter start-up.

Run: .venv/bin/python benchmarks/check_pr.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from gitkit import init_repo
from prcorpus import Edit, commit_pull_request, entry
from signupsheet.core.project import Project
from signupsheet.registration.pulls.pull_check import Context, check_revisions
from sitekit import make_site

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
EVENT = "events/2026-12-03-bench.yaml"


def event(entries: int) -> str:
    empty = "      []\n"
    sheet = "".join(
        entry(
            f"person-{index}", f"Person {index}", registered="2026-11-02T10:00:00Z", source="pr:1"
        )
        for index in range(entries)
    )
    return (
        "title: Benchmark\nregistration:\n  opens: 2026-11-01T00:00:00Z\nsessions:\n"
        "  - id: main\n    start: 2026-12-03T14:00:00Z\n    end: 2026-12-03T15:00:00Z\n"
        f"    registrations:\n{sheet or empty}"
    )


def site(root: Path, entries: int, others: int) -> str:
    files = {EVENT: event(entries)}
    for index in range(others):
        files[f"events/2027-01-{index:04d}-other.yaml"] = event(0).replace(
            "2026-12-03", "2027-01-07"
        )
    make_site(root, files=files)
    init_repo(root)
    text = event(entries).replace("      []\n", "") + entry("newcomer", "New Comer")
    return commit_pull_request(root, "pr", Edit(files={EVENT: text}))


def measure(root: Path, head: str, repeat: int) -> tuple[float, float, float]:
    project = Project(root)
    context = Context(author="newcomer", now=NOW, agreed=True)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        _, result = check_revisions(root, "main", head, context, project)
        timings.append(time.perf_counter() - start)
        assert result.verdict == "accept", result.reasons
    command = [
        sys.executable,
        "-m",
        "signupsheet",
        "--root",
        str(root),
        "check-pr",
        "--base",
        "main",
        "--head",
        head,
        "--author",
        "newcomer",
        "--agree-policy",
        "--now",
        "2026-11-20T12:00:00Z",
    ]
    whole = []
    for _ in range(max(3, repeat // 4)):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        whole.append(time.perf_counter() - start)
    return statistics.median(timings), max(timings), statistics.median(whole)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"{'entries':>8} {'events':>7} {'check p50':>10} {'check max':>10} {'command p50':>12}")
    for entries, others in ((10, 0), (10, 1000), (1000, 0)):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            head = site(root, entries, others)
            p50, worst, whole = measure(root, head, args.repeat)
        print(
            f"{entries:>8} {others + 1:>7} {p50 * 1000:>8.1f}ms {worst * 1000:>8.1f}ms "
            f"{whole * 1000:>10.1f}ms"
        )


if __name__ == "__main__":
    main()
