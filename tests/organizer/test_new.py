"""signupsheet new: flags or questions in, a valid commented event file out, times in UTC."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_file
from signupsheet.main import main
from signupsheet.organizer.new_event import local_moment, session_span
from sitekit import make_site

VIENNA = ZoneInfo("Europe/Vienna")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def site_project(tmp_path: Path) -> Project:
    """conftest's site_project with all of docs/: new events may name a series page."""
    return Project(make_site(tmp_path, docs=True))


def new(site_project: Project, *args: str, someone: bool = True) -> int:
    """`signupsheet new` with `args`; unless `someone` is false, with an organizer to ask."""
    asks = ("--organizer", "events-team") if someone else ()
    return main(["--root", str(site_project.root), "new", *args, *asks])


def test_flags_make_a_valid_commented_file(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code = new(
        site_project,
        "--title", "Monthly meetup: December",
        "--session", "2026-12-03 15:00", "16:30",
        "--session", "2026-07-02 18:00", "2026-07-02 19:00",
        "--tz", "Europe/Vienna",
        "--capacity", "30",
        "--platform", "Jitsi",
        "--series", "volunteer-supporters-network-2022",
        "--type", "meeting",
        "--language", "en",
        "--policy", "policies/safe-space.md",
        "--organizer", "Alice-Org",
        "--contact", "https://meta.wikimedia.org/wiki/User_talk:Alice",
        "--contact-name", "Alice (WMXX)",
        someone=False,
    )  # fmt: skip
    assert code == 0
    path = site_project.event_path("2026-07-02-monthly-meetup-december")
    assert f"wrote {site_project.display(path)}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/event.schema.json"
    assert "# Thursday, 3 December 2026, 15:00 to 16:30 Europe/Vienna" in text
    assert "the link is sent" in text
    result = check_file(path, site_project)
    assert result.problems == []
    event = result.event
    assert event is not None
    # Summer time (+02:00) in July, winter time (+01:00) in December; sessions sorted by start.
    assert [(s.id, s.start, s.end, s.capacity) for s in event.sessions] == [
        ("2026-07-02", at("2026-07-02T16:00"), at("2026-07-02T17:00"), 30),
        ("2026-12-03", at("2026-12-03T14:00"), at("2026-12-03T15:30"), 30),
    ]
    assert event.location is not None and event.location.platform == "Jitsi"
    assert (event.series, event.type, event.languages) == (
        "volunteer-supporters-network-2022",
        "meeting",
        ["en"],
    )
    assert event.organizers == ["Alice-Org"]
    assert event.contact is not None
    assert event.contact.link == "https://meta.wikimedia.org/wiki/User_talk:Alice"
    assert event.contact.name == "Alice (WMXX)"


def test_someone_to_ask_is_required(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--title", "A", "--session", "2026-12-03 15:00", "16:00")
    assert new(site_project, *args, someone=False) == 1
    assert "--organizer (or --contact) missing" in capsys.readouterr().err
    assert list(site_project.events_dir.iterdir()) == []
    # A contact page alone will do, but it must exist; a page of the site is linked from the page.
    assert new(site_project, *args, "--contact", "contact.md", "--id", "a", someone=False) == 1
    assert "contact page docs/contact.md does not exist" in capsys.readouterr().err
    assert new(site_project, *args, "--contact", "registering.md", "--id", "a", someone=False) == 0
    event = check_file(site_project.event_path("a"), site_project).event
    assert event is not None and event.organizers == []
    assert event.contact is not None and event.contact.link == "registering.md"


def test_new_file_records_when_it_was_created(site_project: Project) -> None:
    now = "2026-06-01T08:30:00Z"
    args = ("--title", "Meetup", "--session", "2026-12-03 15:00", "16:00", "--id", "meetup")
    assert new(site_project, *args, "--now", now) == 0
    event = check_file(site_project.event_path("meetup"), site_project).event
    assert event is not None and event.created == datetime.fromisoformat(now)


def test_never_overwrites(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--title", "Meetup", "--session", "2026-12-03 15:00", "16:00", "--id", "meetup")
    assert new(site_project, *args) == 0
    path = site_project.event_path("meetup")
    path.write_text(path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    assert new(site_project, *args) == 1
    assert "events/meetup.yaml exists already" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").endswith("# mine\n")


def test_stdout_writes_nothing(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        new(site_project, "--title", "A", "--session", "2026-12-03T15:00Z", "16:00", "--stdout")
        == 0
    )
    assert "start: 2026-12-03T15:00:00Z" in capsys.readouterr().out
    assert list(site_project.events_dir.iterdir()) == []


def test_every_bad_session_is_reported(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code = new(
        site_project,
        "--title", "A",
        "--tz", "Europe/Vienna",
        "--session", "2026-03-29 02:30", "03:30",
        "--session", "2026-10-25 02:30", "03:30",
        "--session", "tomorrow", "16:00",
        "--session", "2026-12-03 15:00", "2026-12-03 14:00",
    )  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4
    assert "does not exist in Europe/Vienna" in err[0]
    assert "happens twice in Europe/Vienna" in err[1] and "+02:00 or +01:00" in err[1]
    assert "'tomorrow' is not a date and time" in err[2]
    assert "ends (2026-12-03 14:00) before it starts" in err[3]
    assert list(site_project.events_dir.iterdir()) == []


def test_missing_flags_without_a_terminal(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(site_project, "--title", "A", someone=False) == 1
    assert "--session and --organizer (or --contact) missing" in capsys.readouterr().err


def test_unknown_series_is_a_validation_problem(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        new(site_project, "--title", "A", "--session", "2026-12-03 15:00", "16:00", "--series", "x")
        == 1
    )
    assert "series 'x' has no page" in capsys.readouterr().err
    assert list(site_project.events_dir.iterdir()) == []


def test_bad_zone_and_capacity_are_usage_errors(site_project: Project) -> None:
    with pytest.raises(SystemExit) as exit_info:
        new(
            site_project,
            "--title",
            "A",
            "--session",
            "2026-12-03 15:00",
            "16:00",
            "--tz",
            "Mars/Base",
        )
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        new(
            site_project,
            "--title",
            "A",
            "--session",
            "2026-12-03 15:00",
            "16:00",
            "--capacity",
            "0",
        )


def test_questions_in_a_terminal(
    site_project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers: Iterator[str] = iter(
        [
            "Wikidata clinic",  # title
            "Europe/Atlantis",  # a zone that does not exist: asked again
            "America/Mexico_City",
            "2026-12-03 25:00",  # not a time: asked again
            "",
            "2026-12-03 09:00",
            "10:30",
            "",  # done with sessions
            "many",  # not a number: asked again
            "12",
            "",  # platform: Zoom
            "",  # no organizer
            "",  # and no contact page: asked again
            "Alice-Org, bob",
            "https://meta.wikimedia.org/wiki/User_talk:Alice",
            "Alice",  # who answers there
        ]
    )
    asked: list[str] = []

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", fake_input)
    assert new(site_project, someone=False) == 0
    err = capsys.readouterr().err
    assert err.count("Registrants need someone to ask") == 2
    assert "'Europe/Atlantis' is not a time zone name" in err
    assert "not a real date and time" in err
    assert "'many' is not a number of seats" in err
    assert next(answers, None) is None
    path = site_project.event_path("2026-12-03-wikidata-clinic")
    result = check_file(path, site_project)
    assert result.event is not None
    [session] = result.event.sessions
    assert (session.start, session.end, session.capacity) == (
        at("2026-12-03T15:00"),
        at("2026-12-03T16:30"),
        12,
    )
    assert result.event.location is not None and result.event.location.platform == "Zoom"
    assert result.event.organizers == ["Alice-Org", "bob"]
    assert result.event.contact is not None and result.event.contact.name == "Alice"
    assert asked[0] == "Title: "


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-12-31 22:00", "01:00", ("2026-12-31T21:00", "2027-01-01T00:00")),
        ("2026-06-01 10:00+05:30", "11:00", ("2026-06-01T04:30", "2026-06-01T05:30")),
        ("2026-06-01T10:00Z", "2026-06-01T12:00Z", ("2026-06-01T10:00", "2026-06-01T12:00")),
    ],
)
def test_session_spans(start: str, end: str, expected: tuple[str, str]) -> None:
    assert session_span(start, end, VIENNA) == (at(expected[0]), at(expected[1]))


def test_local_moment_refuses_impossible_dates() -> None:
    with pytest.raises(ValueError, match="not a real date"):
        local_moment("2026-02-30 10:00", VIENNA)
