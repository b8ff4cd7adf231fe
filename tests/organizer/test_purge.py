"""signupsheet purge: personal parts of past sheets go, counts, order and comments stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signupsheet.core.project import Project
from signupsheet.core.rules import session_state
from signupsheet.eventfiles.catalog import check_file, load_event
from signupsheet.main import main
from signupsheet.organizer.purge import parse_age
from sitekit import make_site

NOW = "2027-03-01T00:00:00Z"

OLD = """\
# yaml-language-server: $schema=../schema/event.schema.json
# A clinic we ran twice.
title: Clinic
sessions:
  - id: morning
    start: 2026-11-03T09:00:00Z
    end: 2026-11-03T10:00:00Z
    capacity: 2
    registrations:
      # First to sign up.
      - login: ada
        name: Ada L.
        affiliation: WMUK
        registered: 2026-10-20T10:00:00Z
        note: Late by 5 min
        source: issue:12
        link_sent: 2026-11-03T08:00:00Z
      - login: hidden-person
        name: Private Person
        affiliation: WMDE
        registered: 2026-10-21T10:00:00Z
        note: please keep me off the page
        visibility: private
        source: issue:13
        link_sent: 2026-11-03T08:00:00Z
      # Came in when the session was full.
      - login: eve
        name: Eve
        registered: 2026-10-22T10:00:00Z
        status: waitlisted
        source: pr:14
  - id: evening
    start: 2026-11-03T18:00:00Z
    end: 2026-11-03T19:00:00Z
    registrations:
      - name: Bob
        affiliation: WMAT
        source: organizer
"""

RECENT = """\
# yaml-language-server: $schema=../schema/event.schema.json
title: Recent
sessions:
  - id: main
    start: 2027-02-20T09:00:00Z
    end: 2027-02-20T10:00:00Z
    registrations:
      - login: zed
        name: Zed
        affiliation: WMNO
        registered: 2027-02-01T10:00:00Z
        note: hello
        source: issue:20
"""


@pytest.fixture
def site_project(tmp_path: Path) -> Project:
    """conftest's site_project with all of docs/ (series pages too), and two events."""
    return Project(make_site(tmp_path, {"clinic": OLD, "recent": RECENT}, docs=True))


def purge(site_project: Project, *args: str) -> int:
    return main(["--root", str(site_project.root), "purge", "--now", NOW, *args])


def counts(site_project: Project, event_id: str) -> list[tuple[int, int]]:
    event = load_event(site_project, event_id)
    now = datetime(2027, 3, 1, tzinfo=UTC)
    return [
        (session_state(event, s, now).confirmed, session_state(event, s, now).waitlisted)
        for s in event.sessions
    ]


def test_purge_keeps_counts_order_and_comments(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(site_project, "clinic")
    recent = site_project.event_path("recent").read_bytes()
    assert purge(site_project) == 0
    out = capsys.readouterr().out
    assert "events/clinic.yaml: purged: 1 entry made anonymous, 2 notes, 3 affiliations" in out
    assert "docs/personal-data.md" in out
    assert site_project.event_path("recent").read_bytes() == recent
    path = site_project.event_path("clinic")
    assert check_file(path, site_project).problems == []
    assert counts(site_project, "clinic") == before == [(2, 1), (1, 0)]
    event = load_event(site_project, "clinic")
    morning, evening = event.sessions
    ada, private, eve = morning.registrations
    assert (ada.name, ada.login, ada.affiliation, ada.note, ada.link_sent) == (
        "Ada L.",
        None,
        None,
        None,
        None,
    )
    assert (ada.registered, ada.source) == (datetime(2026, 10, 20, 10, tzinfo=UTC), "issue:12")
    assert (private.name, private.visibility, private.source, private.status) == (
        "Participant 2",
        "private",
        "purged",
        "confirmed",
    )
    assert (private.login, private.registered, private.note, private.affiliation) == (None,) * 4
    assert (eve.name, eve.status, eve.login) == ("Eve", "waitlisted", None)
    assert (evening.registrations[0].name, evening.registrations[0].affiliation) == ("Bob", None)
    text = path.read_text(encoding="utf-8")
    for gone in ("hidden-person", "Private Person", "keep me off", "WMDE", "WMUK", "Late by"):
        assert gone not in text
    for comment in ("# A clinic we ran twice.", "# First to sign up.", "# Came in when"):
        assert comment in text
    assert text.index("# Came in when") < text.index("name: Eve")


def test_second_run_changes_nothing(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert purge(site_project) == 0
    first = site_project.event_path("clinic").read_bytes()
    capsys.readouterr()
    assert purge(site_project) == 0
    assert capsys.readouterr().out.strip() == "nothing to purge"
    assert site_project.event_path("clinic").read_bytes() == first


def test_dry_run_writes_nothing(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    files = {p: p.read_bytes() for p in site_project.events_dir.iterdir()}
    assert purge(site_project, "--dry-run") == 0
    assert "events/clinic.yaml: would purge:" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in site_project.events_dir.iterdir()} == files


def test_names_too(site_project: Project) -> None:
    assert purge(site_project, "--names") == 0
    event = load_event(site_project, "clinic")
    names = [[(e.name, e.visibility, e.status) for e in s.registrations] for s in event.sessions]
    assert names == [
        [
            ("Participant 1", "private", "confirmed"),
            ("Participant 2", "private", "confirmed"),
            ("Participant 3", "private", "waitlisted"),
        ],
        [("Participant 1", "private", "confirmed")],
    ]
    assert "Ada" not in site_project.event_path("clinic").read_text(encoding="utf-8")


def test_threshold(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    # The clinic ended on 3 November 2026, 118 days before NOW.
    assert purge(site_project, "--older-than", "17w") == 0
    assert "nothing to purge" in capsys.readouterr().out
    assert purge(site_project, "--older-than", "1d") == 0
    out = capsys.readouterr().out
    assert "events/clinic.yaml: purged" in out and "events/recent.yaml: purged" in out


def test_bad_age_is_a_usage_error(site_project: Project) -> None:
    with pytest.raises(SystemExit) as exit_info:
        purge(site_project, "--older-than", "three months")
    assert exit_info.value.code == 2


def test_invalid_files_are_reported_and_the_rest_purged(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (site_project.events_dir / "broken.yaml").write_text("title: [\n", encoding="utf-8")
    assert purge(site_project) == 1
    captured = capsys.readouterr()
    assert "events/broken.yaml:" in captured.err
    assert "events/clinic.yaml: purged" in captured.out


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90d", timedelta(days=90)), ("12w", timedelta(weeks=12)), ("48h", timedelta(hours=48)),
     ("30", timedelta(days=30))],
)  # fmt: skip
def test_parse_age(text: str, expected: timedelta) -> None:
    assert parse_age(text) == expected


def test_purged_events_leave_no_meeting_link_notices(site_project: Project) -> None:
    """The notices `send-links` recorded name the issues entries came from: purge drops the
    lines of the events it purges, and keeps the others."""
    path = site_project.notices_path
    path.write_text(
        "# Meeting-link notices\nclinic morning 13\nclinic evening 14\nrecent main 20\n",
        encoding="utf-8",
    )
    assert purge(site_project, "--dry-run") == 0
    assert "clinic morning 13" in path.read_text(encoding="utf-8")
    assert purge(site_project) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["recent main 20"]
