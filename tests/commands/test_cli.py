from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paths import REPO
from signupsheet.core.model import Event, Registration, RegistrationSettings, Session, Status
from signupsheet.core.project import Project
from signupsheet.eventfiles.event_writer import render_event
from signupsheet.main import main

START = datetime(2026, 12, 3, 14, tzinfo=UTC)


def entry(number: int, status: Status = "confirmed", session: datetime = START) -> Registration:
    return Registration(
        name=f"Person {number}",
        login=f"person-{number}",
        registered=session - timedelta(days=10, hours=number),
        source=f"issue:{number}",
        status=status,
    )


def write(project: Project, event: Event) -> None:
    project.event_path(event.id).write_text(render_event(event), encoding="utf-8")


@pytest.fixture
def events(site_project: Project) -> Project:
    """Three events in different registration states at START - 1 day."""
    write(
        site_project,
        Event(
            id="2026-12-03-full",
            title="Full meetup",
            sessions=[
                Session(
                    id="main",
                    start=START,
                    end=START + timedelta(hours=1),
                    capacity=2,
                    registrations=[entry(1), entry(2), entry(3, "waitlisted")],
                ),
                Session(
                    id="second",
                    start=START + timedelta(days=7),
                    end=START + timedelta(days=7, hours=1),
                    registrations=[entry(4)],
                ),
            ],
        ),
    )
    write(
        site_project,
        Event(
            id="2026-12-20-later",
            title="Later meetup",
            registration=RegistrationSettings(opens=START + timedelta(days=3)),
            sessions=[
                Session(id="main", start=START + timedelta(days=17), end=START + timedelta(days=18))
            ],
        ),
    )
    write(
        site_project,
        Event(
            id="2026-11-01-past",
            title="Past meetup",
            sessions=[
                Session(
                    id="main",
                    start=START - timedelta(days=32),
                    end=START - timedelta(days=32) + timedelta(hours=1),
                    registrations=[entry(5, session=START - timedelta(days=32))],
                ),
                Session(
                    id="dropped",
                    start=START + timedelta(days=1),
                    end=START + timedelta(days=1, hours=1),
                    cancelled=True,
                ),
            ],
        ),
    )
    return site_project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_all_valid_exits_0(events: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(events.root), "validate") == (0, "3 event files valid\n", "")


def test_validate_reports_problems_and_exits_1(
    events: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = events.events_dir / "bad.yaml"
    bad.write_text("title: Bad\nsessions:\n  - id: main\n    start: yesterday\n", encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(events.root), "validate")
    assert code == 1
    assert out.splitlines() == [
        "events/bad.yaml:3:5: missing required key 'end'; add it to this mapping",
        "events/bad.yaml:4:12: 'yesterday' is not a date and time with offset; "
        "write it like 2022-11-23T14:00:00Z",
    ]


def test_validate_json_lists_the_same_problems(
    events: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (events.events_dir / "bad.yaml").write_text("title: [x\n", encoding="utf-8")
    (events.events_dir / "worse.yaml").write_bytes(b"title: \xff\n")
    code, out, _ = run(capsys, "--root", str(events.root), "validate", "--json")
    assert code == 1
    problems = json.loads(out)
    assert [sorted(problem) for problem in problems] == [["column", "line", "message", "path"]] * 2
    assert [(p["path"], p["line"], p["column"]) for p in problems] == [
        ("events/bad.yaml", 2, 1),
        ("events/worse.yaml", 1, 8),
    ]
    assert problems[1]["message"].startswith("not UTF-8 text")


def test_validate_json_is_an_empty_list_when_valid(
    events: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--root", str(events.root), "validate", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_validate_named_paths_only(events: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (events.events_dir / "bad.yaml").write_text("", encoding="utf-8")
    path = events.event_path("2026-12-03-full")
    assert run(capsys, "--root", str(events.root), "validate", str(path)) == (
        0,
        "1 event file valid\n",
        "",
    )
    code, out, _ = run(capsys, "--root", str(events.root), "validate", str(events.root / "nope"))
    assert code == 1
    assert out == "nope:1:1: cannot read the file: No such file or directory\n"


@pytest.mark.parametrize(
    "argv",
    [["validate", "--bogus"], ["no-such-command"], [], ["list", "--now", "tomorrow"]],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "signupsheet", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2
    assert "usage: signupsheet" in done.stderr
    assert "Traceback" not in done.stderr


def test_list_shows_counts_and_states(events: Project, capsys: pytest.CaptureFixture[str]) -> None:
    now = "2026-12-02T14:00:00Z"
    code, out, err = run(capsys, "--root", str(events.root), "list", "--now", now)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2026-11-01-past  Past meetup",
        "  main  2026-11-01T14:00:00Z to 2026-11-01T15:00:00Z  1 confirmed, 0 waitlisted, "
        "capacity ∞  [over]",
        "  dropped  2026-12-04T14:00:00Z to 2026-12-04T15:00:00Z  0 confirmed, 0 waitlisted, "
        "capacity ∞  [cancelled]",
        "2026-12-03-full  Full meetup",
        "  main  2026-12-03T14:00:00Z to 2026-12-03T15:00:00Z  2 confirmed, 1 waitlisted, "
        "capacity 2  [full, waiting list open]",
        "  second  2026-12-10T14:00:00Z to 2026-12-10T15:00:00Z  1 confirmed, 0 waitlisted, "
        "capacity ∞  [open]",
        "2026-12-20-later  Later meetup",
        "  main  2026-12-20T14:00:00Z to 2026-12-21T14:00:00Z  0 confirmed, 0 waitlisted, "
        "capacity ∞  [registration opens 2026-12-06T14:00:00Z]",
    ]


def test_list_json(events: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--root", str(events.root), "list", "--json", "--now", "2026-12-07T00:00:00Z"
    )
    assert code == 0
    rows = json.loads(out)
    assert [row["id"] for row in rows] == ["2026-11-01-past", "2026-12-03-full", "2026-12-20-later"]
    assert rows[1]["title"] == "Full meetup"
    assert [
        (s["id"], s["confirmed"], s["waitlisted"], s["capacity"], s["state"])
        for row in rows
        for s in row["sessions"]
    ] == [
        ("main", 1, 0, None, "closed"),
        ("dropped", 0, 0, None, "cancelled"),
        ("main", 2, 1, 2, "closed"),
        ("second", 1, 0, None, "open"),
        ("main", 0, 0, None, "open"),
    ]
    assert rows[1]["sessions"][0]["start"] == "2026-12-03T14:00:00Z"


def test_list_reports_invalid_files_on_stderr_and_exits_1(
    events: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (events.events_dir / "bad.yaml").write_text("title: x\n", encoding="utf-8")
    code, out, err = run(
        capsys, "--root", str(events.root), "list", "--now", "2026-12-02T14:00:00Z"
    )
    assert code == 1
    assert out.count("meetup") == 3
    assert err == "events/bad.yaml:1:1: missing required key 'sessions'; add it to this mapping\n"


def test_list_without_events(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(site_project.root), "list") == (0, "no events\n", "")


def test_the_console_script_runs_on_the_repository() -> None:
    script = Path(sys.executable).parent / "signupsheet"
    done = subprocess.run(
        [str(script), "validate"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "1 event file valid\n")


def test_validate_accepts_folders(events: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(events.root), "validate", str(events.events_dir))
    assert (code, out) == (0, "3 event files valid\n")


def test_files_with_another_suffix_are_not_silently_skipped(
    events: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (events.events_dir / "2026-12-24-party.yml").write_text("title: x\n", encoding="utf-8")
    (events.events_dir / "README.md").write_text("notes\n", encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(events.root), "validate")
    assert code == 1
    assert out == (
        "events/2026-12-24-party.yml:1:1: event files end in .yaml, so this file is skipped; "
        "rename it to 2026-12-24-party.yaml\n"
    )


def test_a_folder_without_a_schema_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--root", str(tmp_path), "validate")
    assert (code, out) == (1, "")
    assert err == (
        f"{tmp_path}/schema/event.schema.json: cannot read the event schema (No such file or "
        "directory); run the command in the site's folder or point --root at it\n"
    )
