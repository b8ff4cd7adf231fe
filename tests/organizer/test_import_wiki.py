"""import-wiki: the seed page gives the seed event's sign-up list; variants of real pages."""

# Wiki pages use typographic dashes, minus signs and quotes: matching them is the point.
# ruff: noqa: RUF001, RUF003
from __future__ import annotations

import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paths import REPO
from signupsheet.core.model import Registration
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_file, load_event
from signupsheet.main import main
from signupsheet.organizer.wiki_import import read_page
from signupsheet.organizer.wiki_text import blank_comments, flatten_wikitext
from signupsheet.organizer.wiki_times import SIGNATURE_TIME, signature_time
from sitekit import make_site

SEED_PAGE = REPO / "tests" / "wiki" / "seed-rendered.txt"
SEED_EVENT = "2022-11-23-vsn-training-lets-connect"
WIKI = REPO / "tests" / "wiki"


def sheet(entries: list[Registration]) -> list[tuple[object, ...]]:
    return [
        (e.name, e.affiliation, e.registered, e.note, e.visibility, e.status, e.login, e.source)
        for e in entries
    ]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def site_project(tmp_path: Path) -> Project:
    """conftest's site_project with all of docs/: imported events may name a series page."""
    return Project(make_site(tmp_path, docs=True))


def test_seed_page_gives_the_seed_sign_up_list() -> None:
    expected = load_event(Project(REPO), SEED_EVENT)
    result = read_page(SEED_PAGE.read_text(encoding="utf-8"))
    assert result.event is not None
    assert result.event.id == SEED_EVENT
    [session] = result.event.sessions
    [seed_session] = expected.sessions
    assert (session.start, session.end) == (seed_session.start, seed_session.end)
    assert sheet(session.registrations) == sheet(seed_session.registrations)
    assert len(session.registrations) == 33
    assert result.skipped == []


def test_seed_page_header() -> None:
    result = read_page(SEED_PAGE.read_text(encoding="utf-8"))
    event = result.event
    assert event is not None
    assert event.title == "VSN Training: Let’s Connect"
    assert [(s.name, s.affiliation) for s in event.speakers] == [
        ("JStephenson", "WMF"),
        ("Justice Okai-Allotey", None),
    ]
    assert event.location is not None and event.location.platform == "Zoom"
    assert event.description is not None
    assert event.description.startswith("Let’s Connect is the new peer learning program")
    # The registration paragraphs (with an organizer's address) stay out of the description.
    assert "raimund.liebert" not in event.description
    # Assumptions are reported by line: two signatures without (UTC), three after the event.
    assumed = [(note.line, note.message) for note in result.notes]
    assert [line for line, _ in assumed] == [29, 32, 39, 40, 41]
    assert "no time zone" in assumed[0][1]
    assert "Akwugo" in assumed[-1][1]


def test_cli_writes_a_valid_file_once(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--root", str(site_project.root), "import-wiki", str(SEED_PAGE)]
    assert main([*args, "--series", "volunteer-supporters-network-2022"]) == 0
    path = site_project.event_path(SEED_EVENT)
    out, err = capsys.readouterr()
    assert (
        f"wrote events/{SEED_EVENT}.yaml: 33 sign-ups in 1 session; 0 lines left out, "
        "2 values guessed\n"
    ) in out
    assert f"{SEED_PAGE}:29: guessed: no time zone after the time; taken as UTC\n" in err
    assert f"{SEED_PAGE}:41: note: 'Akwugo' signed after the session ended" in err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/event.schema.json\n")
    assert "# Signed on 28 February 2023, after the session; the true time is kept." in text
    result = check_file(path, site_project)
    assert result.problems == []
    assert result.event is not None and result.event.series == "volunteer-supporters-network-2022"
    # A second run refuses to replace the file; --force does.
    path.write_text(text + "# edited by hand\n", encoding="utf-8")
    assert main(args) == 1
    assert "exists already" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").endswith("# edited by hand\n")
    assert main([*args, "--force"]) == 0
    assert "edited by hand" not in path.read_text(encoding="utf-8")


def test_imported_event_is_dated_by_its_first_signature(site_project: Project) -> None:
    root = ["--root", str(site_project.root), "import-wiki", str(SEED_PAGE)]
    assert main([*root, "--now", "2030-01-01T00:00:00Z"]) == 0
    event = load_event(site_project, SEED_EVENT)
    signed = [e.registered for s in event.sessions for e in s.registrations if e.registered]
    assert signed and event.created == min(signed)
    # Imported before anyone signed: the import time.
    early = min(signed) - timedelta(days=1)
    assert main([*root, "--force", "--now", early.isoformat()]) == 0
    assert load_event(site_project, SEED_EVENT).created == early


def test_cli_stdout_and_stdin_write_nothing(
    site_project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = SEED_PAGE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page), encoding="utf-8"))
    assert (
        main(["--root", str(site_project.root), "import-wiki", "-", "--stdout", "--id", "x-1"]) == 0
    )
    out, err = capsys.readouterr()
    assert list(site_project.events_dir.iterdir()) == []
    assert out.count("source: import") == 33
    assert "<stdin>:29: guessed: no time zone after the time; taken as UTC\n" in err
    (site_project.events_dir / "x-1.yaml").write_text(out, encoding="utf-8")
    assert check_file(site_project.events_dir / "x-1.yaml", site_project).problems == []


def test_cli_refuses_a_bad_id_and_a_page_without_sessions(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--root", str(site_project.root), "import-wiki"]
    assert main([*root, str(SEED_PAGE), "--id", "Bad Id"]) == 1
    assert "is not a valid event id" in capsys.readouterr().err
    assert main([*root, str(WIKI / "no-date.txt")]) == 1
    err = capsys.readouterr().err
    assert "no session found" in err
    assert f"{WIKI / 'no-date.txt'}:4: left out: a sign-up before any session date" in err
    assert list(site_project.events_dir.iterdir()) == []


def test_cli_strict_writes_nothing_when_lines_were_left_out(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    page = str(WIKI / "wikitext-single.wiki")
    assert main(["--root", str(site_project.root), "import-wiki", page, "--strict"]) == 1
    assert "6 line(s) left out and --strict given" in capsys.readouterr().err
    assert list(site_project.events_dir.iterdir()) == []


def test_cli_unknown_series_fails_validation(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--root", str(site_project.root), "import-wiki", str(SEED_PAGE), "--series", "nope"])
        == 1
    )
    err = capsys.readouterr().err
    assert f"events/{SEED_EVENT}.yaml:" in err and "series 'nope' has no page" in err
    assert list(site_project.events_dir.iterdir()) == []


def test_wikitext_single_session() -> None:
    result = read_page((WIKI / "wikitext-single.wiki").read_text(encoding="utf-8"))
    event = result.event
    assert event is not None
    assert event.title == "Community Call: Wikidata for Beginners"
    assert event.id == "2023-03-07-community-call-wikidata-for-beginners"
    assert event.description == (
        "A relaxed introduction to Wikidata for people who have never edited it. Bring your "
        "questions!\n\nWe look at items, statements and sources, then edit together."
    )
    assert [(s.name, s.affiliation) for s in event.speakers] == [
        ("Lydia Pintscher", "WMDE"),
        ("Mohammed Sadat", "WMGH"),
        ("Jane Example", None),
    ]
    assert event.location is not None and event.location.platform == "Jitsi"
    [session] = event.sessions
    # 16:00–17:30 at UTC+01:00
    assert (session.start, session.end) == (at("2023-03-07T15:00"), at("2023-03-07T16:30"))
    got = [(e.name, e.affiliation, e.registered, e.note) for e in session.registrations]
    assert got == [
        ("Raimund Liebert", "WMAT", at("2023-02-16T13:45"), None),
        ("Example Person", None, at("2023-02-17T09:05"), "Looking forward to it!"),
        ("Ana", "Wikimedia México", at("2023-02-21T03:10"), "I may join late."),  # UTC-5
        ("Cleo", None, at("2023-02-23T02:30"), None),  # UTC+5:30
        ("Dan", None, None, None),  # an unknown zone: kept without a time
        ("Erin Organizer", "WMAT", None, None),
        ("Fay", None, at("2023-02-25T14:00"), None),  # the note with an address is dropped
        ("Gus", None, at("2023-03-08T18:20"), "sorry, saw this too late"),
    ]
    assert all(e.source == "import" for e in session.registrations)
    reported = {(note.line, note.kind): note.message for note in result.notes}
    assert "reply" in reported[(20, "skipped")]
    assert "struck through" in reported[(21, "skipped")]
    assert "'XYZ' is not one offset" in reported[(23, "assumed")]
    assert "e-mail address" in reported[(25, "skipped")]
    assert "empty list item" in reported[(26, "skipped")]
    assert "signed this list already (line 17)" in reported[(27, "skipped")]
    assert "after the session ended" in reported[(28, "assumed")]
    assert "not a signature" in reported[(29, "skipped")]
    assert len(result.skipped) == 6
    # The safe-space list after its own heading is not a sign-up list.
    assert not any(note.line > 29 for note in result.notes)


def test_rendered_page_with_two_sessions() -> None:
    result = read_page((WIKI / "rendered-sessions.txt").read_text(encoding="utf-8"))
    event = result.event
    assert event is not None
    assert event.id == "2022-12-06-lets-connect-clinic"
    assert [(s.id, s.title, s.start, s.end) for s in event.sessions] == [
        ("2022-12-06", "Morning session", at("2022-12-06T09:00"), at("2022-12-06T10:30")),
        ("2022-12-08", "Evening session", at("2022-12-08T17:00"), at("2022-12-08T18:30")),
    ]
    morning, evening = event.sessions
    assert [(e.name, e.affiliation) for e in morning.registrations] == [
        ("Paulina Studniczka", "WMPL"),
        ("Sara Thomas", "WMUK"),
    ]
    assert [(e.name, e.registered) for e in evening.registrations] == [
        ("Tania Solá", at("2022-12-02T22:52")),
        ("Zblace", at("2022-12-02T23:44")),
        ("Sara Thomas", at("2022-12-01T15:20")),
        ("Aliyu shaba", at("2022-12-03T07:36")),
    ]
    # Pronouns in parentheses are part of a name, not an affiliation.
    assert [(s.name, s.affiliation) for s in event.speakers][1] == ("Jane Doe (she/her)", None)
    assert [(n.line, n.kind) for n in result.notes] == [(9, "skipped"), (15, "skipped")]


def test_wikitext_sessions_under_headings() -> None:
    result = read_page((WIKI / "wikitext-sessions.wiki").read_text(encoding="utf-8"))
    event = result.event
    assert event is not None
    assert event.title == "Monthly meetup: January"
    assert event.description == "The January meetup happens twice, choose the date that suits you."
    first, second = event.sessions
    assert (first.id, first.title, first.start) == (
        "2024-01-10",
        "Session A",
        at("2024-01-10T19:00"),
    )
    # 09:00 CET with no end: as long as session A, and said so.
    assert (second.start, second.end) == (at("2024-01-11T08:00"), at("2024-01-11T09:00"))
    assert [e.name for e in first.registrations] == ["Alpha", "Beta"]
    assert [(e.name, e.registered) for e in second.registrations] == [
        ("Gamma", at("2024-01-03T07:00")),
        ("192.0.2.4", at("2024-01-03T09:00")),
        ("Alpha", at("2024-01-02T12:05")),  # one list per session: the same person may sign both
    ]
    assert {(n.line, n.kind) for n in result.notes} == {
        (0, "assumed"),  # no platform
        (1, "assumed"),  # title from the heading
        (7, "guessed"),  # no end time
        (10, "skipped"),  # a reply
    }
    [guess] = result.guessed
    assert guess.message == (
        "no end time for the session on 11 January 2024; it lasts 1:00 like the session on line 4"
    )


def test_time_zone_for_times_without_one() -> None:
    from zoneinfo import ZoneInfo

    page = "Meetup\nDate: 3 March 2024, 18:00–19:00\nRegister:\n- Ann (talk) 10:00, 1 March 2024\n"
    result = read_page(page, default_zone=ZoneInfo("Europe/Vienna"))
    assert result.event is not None
    [session] = result.event.sessions
    assert session.start == at("2024-03-03T17:00")
    assert session.registrations[0].registered == at("2024-03-01T09:00")
    assert {n.line for n in result.notes if n.kind == "assumed"} >= {2, 4}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13:45, 16 November 2022 (UTC)", "2022-11-16T13:45"),
        ("5:33, 23 November 2022 (UTC)", "2022-11-23T05:33"),
        ("10:00, 1 Dec 2022 (UTC-5)", "2022-12-01T15:00"),
        ("10:00, 1 December 2022 (UTC+01:00)", "2022-12-01T09:00"),
        ("10:00, 1 December 2022 (UTC−3)", "2022-12-01T13:00"),
        ("10:00, December 1, 2022 (CET)", "2022-12-01T09:00"),
    ],
)
def test_signature_times(text: str, expected: str) -> None:
    match = SIGNATURE_TIME.search(text)
    assert match is not None
    moment, problem, assumed = signature_time(match, UTC)
    assert (moment, problem, assumed) == (at(expected), None, False)


def test_impossible_signature_time_is_reported() -> None:
    match = SIGNATURE_TIME.search("10:00, 31 February 2022 (UTC)")
    assert match is not None
    moment, problem, _ = signature_time(match, UTC)
    assert moment is None and problem is not None and "not a real date" in problem


def test_flatten_wikitext_marks_user_links() -> None:
    flat = flatten_wikitext(
        "Hi [[User:A b|<b>A</b>]] ([[User talk:A b|talk]]) [[:m:User:C|]] [https://x.org X]"
    )
    assert flat == "Hi \x00A (talk) \x00C X"


def test_secrets_never_reach_the_event() -> None:
    page = (
        "Meetup at https://zoom.us/j/123\n"
        "Speakers: Ann (ann@example.org), Bo\n"
        "Date: 3 March 2024, 18:00–19:00 UTC\n"
        "Register:\n"
        "- Cy (talk) 10:00, 1 March 2024 (UTC)\n"
    )
    result = read_page(page)
    assert result.event is None
    assert any("title holds" in note.message for note in result.notes)
    result = read_page(page, title="Meetup")
    assert result.event is not None
    assert [s.name for s in result.event.speakers] == ["Bo"]
    assert (2, "a speaker with an e-mail address or meeting link; left out", "skipped") in [
        (n.line, n.message, n.kind) for n in result.notes
    ]


def test_signatures_as_paragraphs_under_a_sign_up_line() -> None:
    page = (
        "Meetup\n"
        "Date: 3 March 2024, 18:00–19:00 UTC\n"
        "Sign up below:\n"
        "Ann (talk) 10:00, 1 March 2024 (UTC)\n"
        "Looking forward! --Bo (WMSE) 11:00, 1 March 2024 (UTC)\n"
        "Other info\n"
        "Cy (talk) 12:00, 1 March 2024 (UTC)\n"
    )
    result = read_page(page)
    assert result.event is not None
    [session] = result.event.sessions
    assert [(e.name, e.affiliation, e.note) for e in session.registrations] == [
        ("Ann", None, None),
        ("Bo", "WMSE", "Looking forward!"),
    ]


def test_agenda_lists_are_not_sign_up_lists() -> None:
    page = (
        "Meetup\n"
        "Date: 3 March 2024, 18:00–19:00 UTC, on Jitsi\n"
        "Agenda\n"
        "- Welcome\n"
        "- Introductions\n"
        "Register:\n"
        "- Ann (talk) 10:00, 1 March 2024 (UTC)\n"
    )
    result = read_page(page)
    assert result.event is not None
    assert [e.name for e in result.event.sessions[0].registrations] == ["Ann"]
    assert result.notes == []


def test_comments_are_blanked_keeping_line_numbers() -> None:
    assert blank_comments("a<!-- x\ny -->b\nc") == "a\nb\nc"
    # An unclosed comment runs to the end of the page, as on the wiki.
    assert blank_comments("a\n<!-- x\ny\n") == "a\n\n\n"
    assert blank_comments("<!---->") == ""


def test_more_sessions_than_an_event_may_have() -> None:
    page = (
        "Meetup\n"
        + "".join(f"Date: {day} May 2024, 10:00–11:00 UTC\n" for day in range(1, 31))
        + "".join(f"Date: {day} June 2024, 10:00–11:00 UTC\n" for day in range(1, 31))
    )
    result = read_page(page)
    assert result.event is None
    assert "60 sessions found, more than the 50" in result.notes[0].message
