"""signupsheet export: every entry of an event as CSV on stdout, nothing written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from signupsheet.core.project import Project
from signupsheet.main import main
from sitekit import make_site

EVENT = """\
# yaml-language-server: $schema=../schema/event.schema.json
title: Clinic
sessions:
  - id: morning
    start: 2026-12-03T09:00:00Z
    end: 2026-12-03T10:00:00Z
    capacity: 2
    registrations:
      - login: ada
        name: Ada L.
        affiliation: WMUK
        registered: 2026-11-20T10:00:00Z
        note: "Late by 5 min, sorry; \\"quotes\\" too"
        source: issue:12
        link_sent: 2026-12-03T08:00:00Z
      - login: hidden-person
        name: Private Person
        registered: 2026-11-21T10:00:00Z
        visibility: private
        source: issue:13
      - login: eve
        name: "=HYPERLINK(\\"https://example.org\\")"
        registered: 2026-11-22T10:00:00Z
        status: waitlisted
        source: pr:14
  - id: evening
    start: 2026-12-03T18:00:00Z
    end: 2026-12-03T19:00:00Z
    registrations:
      - name: Bob
        source: organizer
"""


@pytest.fixture
def site_project(tmp_path: Path) -> Project:
    """conftest's site_project with all of docs/ (series pages too), and one event."""
    return Project(make_site(tmp_path, {"clinic": EVENT}, docs=True))


def export(
    site_project: Project, capsys: pytest.CaptureFixture[str], *args: str
) -> list[dict[str, str]]:
    before = {p: p.read_bytes() for p in site_project.root.rglob("*") if p.is_file()}
    assert main(["--root", str(site_project.root), "export", *args]) == 0
    after = {p: p.read_bytes() for p in site_project.root.rglob("*") if p.is_file()}
    assert after == before
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_all_entries_private_included(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = export(site_project, capsys, "clinic", "--csv")
    assert [
        (r["session"], r["position"], r["name"], r["status"], r["visibility"]) for r in rows
    ] == [
        ("morning", "1", "Ada L.", "confirmed", "public"),
        ("morning", "2", "Private Person", "confirmed", "private"),
        ("morning", "3", '\'=HYPERLINK("https://example.org")', "waitlisted", "public"),
        ("evening", "1", "Bob", "confirmed", "public"),
    ]
    ada = rows[0]
    assert ada["login"] == "ada"
    assert ada["affiliation"] == "WMUK"
    assert ada["note"] == 'Late by 5 min, sorry; "quotes" too'
    assert ada["registered"] == "2026-11-20T10:00:00Z"
    assert ada["link_sent"] == "2026-12-03T08:00:00Z"
    assert ada["session_start"] == "2026-12-03T09:00:00Z"
    assert rows[1]["login"] == "hidden-person"
    assert rows[3]["registered"] == "" and rows[3]["source"] == "organizer"


def test_one_session(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    rows = export(site_project, capsys, "clinic", "--session", "evening", "--csv")
    assert [r["name"] for r in rows] == ["Bob"]


def test_unknown_session_and_event(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--root", str(site_project.root), "export"]
    assert main([*root, "clinic", "--session", "noon"]) == 1
    assert "no session 'noon'; its sessions: morning, evening" in capsys.readouterr().err
    assert main([*root, "nope"]) == 1
    assert "no event 'nope'" in capsys.readouterr().err


def test_invalid_event_is_refused(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site_project.event_path("clinic")
    path.write_text(EVENT.replace("capacity: 2", "capacity: 0"), encoding="utf-8")
    assert main(["--root", str(site_project.root), "export", "clinic"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "events/clinic.yaml:7:" in err
