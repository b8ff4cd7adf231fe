"""The worst inputs found for the issue parser and the pull-request check, timed (issue 16).

Issue bodies are read as the sweep reads them (`read_issue`: the form, then every value's checks)
at GitHub's size limit; every one must take at most 50 ms. Pull requests are checked as
`signupsheet check-pr` checks them (`check_revisions`, git reads included) with an event file of
about 1 MB; every one must take at most 2 s. Prints one line per case with the slowest of
`--repeat` runs and whether it is within its budget; exits 1 when one is not.

Run: .venv/bin/python benchmarks/hostile_input.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from formbodies import form, register_body
from gitkit import init_repo
from prcorpus import Edit, commit_pull_request, entry
from signupsheet.core.project import Project
from signupsheet.eventfiles.untrusted_yaml import MAX_BYTES
from signupsheet.registration.issues.issue_form import MAX_BODY
from signupsheet.registration.issues.issue_request import read_issue
from signupsheet.registration.pulls.pull_check import Context, check_revisions
from sitekit import make_site

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
EVENT_ID = "2026-12-03-bench"
EVENT = f"events/{EVENT_ID}.yaml"
BODY_BUDGET = 0.050
CHECK_BUDGET = 2.0


def fill(prefix: str, unit: str, suffix: str = "", size: int = MAX_BODY) -> str:
    """`prefix`, `unit` repeated, `suffix`: as long as fits in `size` characters."""
    room = size - len(prefix) - len(suffix)
    return prefix + unit * (room // len(unit)) + suffix


def in_note(value: str) -> str:
    # A whole body of at most MAX_BODY characters with `value` as the note's text.
    shell = register_body(EVENT_ID, note="NOTE")
    room = MAX_BODY - len(shell) + len("NOTE")
    return shell.replace("NOTE", value[:room])


def bodies() -> dict[str, str]:
    option = form("register").field("policy").options[0]
    good = register_body(EVENT_ID)
    return {
        "heading, '#' run then text": fill("### Event", "#", "x"),
        "heading, spaces then text": fill("### Event", " \t", "x"),
        "checkbox, spaces then text": good.replace(option, fill(option, " ", "x", MAX_BODY // 2)),
        "event address, '/events/a?' repeated": fill("### Event\n\n", "/events/a?", "!"),
        "event address, '/events/' repeated": fill("### Event\n\n", "/events/", "x"),
        "'### Event' sections, thousands": fill(good, "\n### Event\n\nx"),
        "unknown headings, thousands": fill(good, "\n### Maintainers\n"),
        "one line of '[' (deep nesting)": in_note("[" * MAX_BODY),
        "one line of '> ' (deep quotes)": in_note("> " * MAX_BODY),
        "nested lists": fill(good + "\n", " " * 40 + "- x\n"),
        "note of 'jitsi.' repeated": in_note("jitsi." * MAX_BODY),
        "note of 'a@' repeated": in_note("a@" * MAX_BODY),
        "note of 'zoom.us/' repeated": in_note("zoom.us/" * MAX_BODY),
        "name of U+FEFF and U+009B": good.replace(
            "### Display name\n\n_No response_", "### Display name\n\n" + "\ufeff\x9b" * 30_000
        ),
        "lone surrogates": in_note("\ud800" * MAX_BODY),
        "CR line ends only": fill("", "### Event\r\rx\r"),
        "one line, no heading": "x" * MAX_BODY,
    }


def slowest(call: Callable[[], object], repeat: int) -> float:
    worst = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        worst = max(worst, time.perf_counter() - start)
    return worst


def event_file(body: str) -> str:
    return (
        "title: Benchmark\nregistration:\n  opens: 2026-11-01T00:00:00Z\nsessions:\n"
        "  - id: main\n    start: 2026-12-03T14:00:00Z\n    end: 2026-12-03T15:00:00Z\n"
        f"{body}    registrations:\n      []\n"
    )


def pull_files() -> dict[str, str]:
    """Event files just under the check's size limit (a larger file is refused unread)."""
    base = event_file("")
    room = MAX_BYTES - len(base) - 100

    def comment(unit: str) -> str:
        return "# " + unit * (room // len(unit)) + "\n" + base

    entries = []
    size = len(base)
    for index in range(100_000):
        one = entry(
            f"p{index}", f"Person {index}", registered="2026-11-02T10:00:00Z", source="pr:1"
        )
        if size + len(one) > MAX_BYTES - 100:
            break
        entries.append(one)
        size += len(one)
    return {
        "comment line of 'jitsi.'": comment("jitsi."),
        "comment line of 'a@'": comment("a@"),
        "comment line of 'zoom.us/'": comment("zoom.us/"),
        "one long title": base.replace("Benchmark", "x" * room),
        "deep flow nesting": base + "extra: " + "[" * (room // 2) + "]" * (room // 2) + "\n",
        f"{len(entries):,} entries": base.replace("      []\n", "".join(entries)),
        "many comment lines": "# x\n" * (room // 4) + base,
    }


def measure_pull(name: str, text: str, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_site(root, files={EVENT: event_file("")})
        init_repo(root)
        head = commit_pull_request(root, "pr", Edit(files={EVENT: text}))
        project = Project(root)
        context = Context(author="p1", now=NOW, agreed=True)
        _, result = check_revisions(root, "main", head, context, project)
        # A refusal for the size alone would measure nothing: the file must have been read.
        assert not any("larger than" in str(p) for p in result.problems), name
        return slowest(lambda: check_revisions(root, "main", head, context, project), repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    register = form("register")
    failed = 0
    print(f"issue bodies (each ≤ {MAX_BODY:,} characters), budget {BODY_BUDGET * 1000:.0f} ms")
    for name, body in bodies().items():
        assert len(body) <= MAX_BODY, (name, len(body))

        def read(body: str = body) -> object:
            return read_issue(register, "register", body, author="someone", created=NOW, number=1)

        worst = slowest(read, args.repeat)
        ok = worst <= BODY_BUDGET
        failed += not ok
        print(f"  {name:<40} {worst * 1000:8.2f} ms {'ok' if ok else 'OVER BUDGET'}")
    print(f"check-pr on event files of {MAX_BYTES:,} bytes, budget {CHECK_BUDGET:.0f} s")
    for name, text in pull_files().items():
        worst = measure_pull(name, text, max(1, args.repeat // 2))
        ok = worst <= CHECK_BUDGET
        failed += not ok
        print(f"  {name:<40} {worst:8.2f} s  {'ok' if ok else 'OVER BUDGET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
