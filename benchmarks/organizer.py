"""How fast the organizer tools are: import-wiki, purge and export on large inputs.

    .venv/bin/python benchmarks/organizer.py

Prints a table: the operation, the input size, and the best wall time of a few runs.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_text
from signupsheet.eventfiles.event_writer import render_event
from signupsheet.main import main
from signupsheet.organizer.wiki_import import read_page
from sitekit import make_site

REPEAT = 3


def best(action: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def wiki_page(signatures: int) -> str:
    lines = [
        "Volunteer Supporters Network/Benchmark meetup",
        "A meetup with many sign-ups.",
        "Date: Wednesday, 23 November 2022, 2–3 pm UTC, on Zoom",  # noqa: RUF001
        "Register with your username:",
    ]
    for number in range(signatures):
        day = 1 + number % 28
        lines.append(
            f"- Person {number} (WM{number % 7}) (talk) {number % 24:02d}:{number % 60:02d}, "
            f"{day} November 2022 (UTC) note {number}"
        )
    return "\n".join(lines) + "\n"


def site(events: int, entries: int) -> Project:
    root = make_site(Path(tempfile.mkdtemp(prefix="organizer-bench-")), docs=True)
    for index in range(events):
        rows = "".join(
            f"      - login: user-{index}-{n}\n"
            f"        name: Person {n}\n"
            f"        affiliation: WMXX\n"
            f"        registered: 2022-01-01T10:00:00Z\n"
            f"        note: a note\n"
            f"        visibility: {'private' if n % 5 == 0 else 'public'}\n"
            f"        source: issue:{n + 1}\n"
            for n in range(entries)
        )
        (root / "events" / f"event-{index}.yaml").write_text(
            "# yaml-language-server: $schema=../schema/event.schema.json\n"
            f"title: Event {index}\nsessions:\n  - id: main\n"
            "    start: 2022-02-01T10:00:00Z\n    end: 2022-02-01T11:00:00Z\n"
            f"    # Sign-ups.\n    registrations:\n{rows}",
            encoding="utf-8",
        )
    return Project(root)


def quiet(argv: list[str]) -> None:
    with redirect_stdout(io.StringIO()):
        main(argv)


def main_table() -> None:
    rows: list[tuple[str, str, float]] = []
    for signatures in (100, 1_000, 5_000):
        page = wiki_page(signatures)
        project = site(0, 0)
        rows.append(
            (
                "import-wiki: read page",
                f"{signatures:,} signatures",
                best(lambda page=page: read_page(page)),
            )
        )

        def full(page: str = page, project: Project = project) -> None:
            result = read_page(page)
            assert result.event is not None
            text = render_event(result.event, comments=result.comments)
            checked = check_text(text.encode(), project.event_path(result.event.id), project)
            assert not checked.problems, checked.problems[:3]

        rows.append(
            ("import-wiki: read, write, validate", f"{signatures:,} signatures", best(full))
        )
    for events, entries in ((100, 30), (500, 30)):
        project = site(events, entries)
        purge = ["--root", str(project.root), "purge"]
        size = f"{events:,} events x {entries}"
        rows.append(("purge --dry-run", size, best(lambda p=purge: quiet([*p, "--dry-run"]), 1)))
        rows.append(("purge (first run, writes)", size, best(lambda p=purge: quiet(p), 1)))
        rows.append(("purge (nothing left)", size, best(lambda p=purge: quiet(p), 1)))
        shutil.rmtree(project.root)
    # Pages built to make naive patterns backtrack: unclosed comments, long unsigned lists.
    for name, page in (
        ("import-wiki: 100,000 unclosed <!--", "<!--" * 100_000),
        (
            "import-wiki: 20,000-item agenda list",
            "Date: 1 May 2024, 10:00-11:00 UTC\n" + "- item\n" * 20_000,
        ),
    ):
        rows.append(
            (name, f"{len(page.encode()):,} bytes", best(lambda page=page: read_page(page)))
        )
    project = site(1, 4_000)
    rows.append(
        (
            "export --csv",
            "1 event x 4,000",
            best(lambda: quiet(["--root", str(project.root), "export", "event-0", "--csv"])),
        )
    )
    shutil.rmtree(project.root)
    width = max(len(name) for name, _, _ in rows)
    print(f"{'operation':<{width}}  {'input':<20}  {'seconds':>8}")
    for name, size, seconds in rows:
        print(f"{name:<{width}}  {size:<20}  {seconds:8.3f}")
    print(
        f"(best of {REPEAT} runs for import-wiki and export, one run for purges; "
        f"Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main_table()
