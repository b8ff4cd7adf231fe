"""import-wiki on the layouts of the network's other event pages (issue #21).

Each page in tests/wiki/layouts/ is written in one layout seen on real pages, with invented
names, dates and text. The table below says what each must import to: every session's UTC start
and end, the platform and languages, every signature, and every note with its line.
"""

# Wiki pages use typographic dashes: matching them is the point.
# ruff: noqa: RUF001, RUF003
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from paths import REPO
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_file
from signupsheet.main import main
from signupsheet.organizer.wiki_import import WikiImport, read_page

LAYOUTS = REPO / "tests" / "wiki" / "layouts"

Entry = tuple[str, str | None, str | None, str | None]  # name, affiliation, signed (UTC), note


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Layout:
    page: str
    event_id: str
    title: str
    platform: str | None
    languages: list[str]
    speakers: list[tuple[str, str | None]]
    # id, title, start, end (UTC), and the sheet.
    sessions: list[tuple[str, str | None, str, str, list[Entry]]]
    notes: list[tuple[int, str, str]]  # line, kind, message: all of them
    description: str | None = None
    comments: dict[int, list[int]] = field(default_factory=dict)  # session → late entries

    def __str__(self) -> str:
        return self.page


SEVERAL_DATES = Layout(
    page="several-dates.txt",
    event_id="2024-03-06-peer-to-peer-support-writing-a-grant-report",
    title="Peer-to-peer support: Writing a grant report",
    platform="Zoom",  # "at Zoom"
    languages=["en", "es"],
    speakers=[],
    description=(
        "Peer-to-peer support sessions are small, informal calls where volunteer supporters "
        "help each other with one task. This time: the report for a rapid grant, from the "
        "first draft to the numbers."
    ),
    sessions=[
        # "Wednesday 6th March 15hs UTC": no year (the signatures say 2024), no end.
        (
            "2024-03-06",
            None,
            "2024-03-06T15:00",
            "2024-03-06T16:00",
            [
                ("Lucía Ferreyra", "WMAR", "2024-02-26T17:18", None),
                ("Tomasz Wierzba", None, "2024-02-27T08:02", None),
                (
                    "Nadia Oyelaran",
                    None,
                    "2024-02-27T21:40",
                    "I can only stay for the first half hour.",
                ),
            ],
        ),
        # "Tuesday 19th March 17 UTC": an hour without minutes.
        (
            "2024-03-19",
            None,
            "2024-03-19T17:00",
            "2024-03-19T18:00",
            [
                ("Bruno Castellani", "Wikimedia Italia", "2024-02-28T11:05", None),
                ("Lucía Ferreyra", "WMAR", "2024-02-26T17:20", None),
                (
                    "Kiri Tane",
                    None,
                    "2024-03-20T09:30",
                    "Sorry, I missed it – is there a recording?",
                ),
            ],
        ),
    ],
    notes=[
        (3, "guessed", "no end time for the session on 19 March 2024; it is set to one hour"),
        (3, "guessed", "no end time for the session on 6 March 2024; it is set to one hour"),
        (
            3,
            "guessed",
            "no year in '19th March'; 2024 taken from the signatures (the first, on line 6, is "
            "of 26 February 2024)",
        ),
        (
            3,
            "guessed",
            "no year in '6th March'; 2024 taken from the signatures (the first, on line 6, is "
            "of 26 February 2024)",
        ),
        (12, "assumed", "'Kiri Tane' signed after the session ended; kept with the true time"),
    ],
    comments={1: [2]},
)

LABELS_ON_THEIR_OWN_LINE = Layout(
    page="labels-on-their-own-line.txt",
    event_id="2024-04-11-training-safe-spaces-in-online-meetings",
    title="Training: Safe spaces in online meetings",
    platform="Jitsi",  # "Platform" above "Jitsi Meet"
    languages=["es"],  # "Language" above "Spanish"
    speakers=[("Amaru Quispe", "WMPE"), ("Hanne Skovgaard", None)],  # "Trainer" above them
    description=(
        "A two-hour training for people who host online meetings of their community: how to "
        "agree on rules, and what to do when someone breaks them."
    ),
    sessions=[
        # "16 UTC" and no end: the introduction's "two-hour training" gives it.
        (
            "main",
            None,
            "2024-04-11T16:00",
            "2024-04-11T18:00",
            [
                ("Rosa Mamani", None, "2024-04-02T09:12", None),
                ("Joaquín Ibarra", "Wikimedia Chile", "2024-04-03T14:40", None),
                (
                    "Efua Nyarko",
                    None,
                    "2024-04-04T23:05",  # 18:05 UTC-5
                    "Will join with my colleague from the user group.",
                ),
            ],
        ),
    ],
    notes=[
        (
            6,
            "guessed",
            "no end time for the session on 11 April 2024; it lasts 'two-hour', as line 2 says",
        ),
    ],
)

TWO_MEETINGS = Layout(
    page="two-meetings.txt",
    event_id="2023-02-07-welcome-meeting-2023",
    title="Welcome meeting 2023",
    platform="Zoom",
    languages=[],
    speakers=[],
    description=(
        "Every year we welcome the people who joined the network. We meet twice, so that "
        "everyone can come at a reasonable hour."
    ),
    sessions=[
        (
            "2023-02-07",
            "First meeting",
            "2023-02-07T14:00",
            "2023-02-07T15:00",
            [
                ("Marisol Vega", None, "2023-01-30T14:30", "I will join from my phone."),
                ("Kwabena Asare", "Open Foundation West Africa", "2023-01-30T18:02", None),
                ("Ilse Brandt", "WMAT", "2023-01-31T07:45", "Happy to take notes."),
            ],
        ),
        # "21:00–22:00" without a zone: the first meeting's line says UTC.
        (
            "2023-02-09",
            "Second meeting",
            "2023-02-09T21:00",
            "2023-02-09T22:00",
            [
                ("Ngaire Walker", None, "2023-02-01T20:15", None),
                ("Marisol Vega", None, "2023-02-02T15:02", "Trying both!"),
            ],
        ),
    ],
    notes=[
        (
            10,
            "guessed",
            "no time zone for the session on 9 February 2023; UTC taken from line 4",
        ),
        (
            14,
            "skipped",
            "'Ngaire Walker' signed this list already (line 12); the first signature is kept",
        ),
    ],
)

_PROGRAMME_SHEET: list[Entry] = [
    ("Oluwaseun Adebayo", "WMNG", "2024-10-21T10:10", None),
    ("Camille Girard", None, "2024-10-22T16:45", "Looking forward to the working groups."),
    ("Petra Novák", "WMCZ", "2024-10-23T08:20", None),
]
TWO_DAY_PROGRAMME = Layout(
    page="two-day-programme.txt",
    event_id="2024-11-09-strategy-weekend-2024",
    title="Strategy weekend 2024",
    platform="Zoom",
    languages=["en", "fr"],
    speakers=[],
    description=(
        "Two afternoons to plan the network's next year together. Come to one day or to both."
    ),
    sessions=[
        # Each day runs from its first agenda item to its last, read in UTC; CET agrees.
        ("2024-11-09", "Day 1", "2024-11-09T12:00", "2024-11-09T16:00", _PROGRAMME_SHEET),
        ("2024-11-10", "Day 2", "2024-11-10T12:00", "2024-11-10T15:00", _PROGRAMME_SHEET),
    ],
    notes=[
        (
            13,
            "assumed",
            "one list for 2 sessions (lines 5, 8); each entry is put on every one of their sheets",
        ),
    ],
)

WIKITEXT_REGISTER = Layout(
    page="wikitext-register.wiki",
    event_id="2024-05-16-peer-to-peer-support-organising-an-edit-a-thon",
    title="Peer-to-peer support: Organising an edit-a-thon",
    platform="Zoom",  # on [[w:…|Zoom]]
    languages=["fr"],
    speakers=[("Mireille Kouassi", "Wikimedia Côte d'Ivoire")],
    description=(
        "Peer-to-peer support sessions are small calls where volunteer supporters help each "
        "other. This time Mireille Kouassi shares how her group prepares an edit-a-thon."
    ),
    sessions=[
        # "Thursday 16th May, 18:00–19:30 {{UTC}}"
        (
            "main",
            None,
            "2024-05-16T18:00",
            "2024-05-16T19:30",
            [
                ("Adjoa Mensimah", None, "2024-04-29T17:18", None),
                (
                    "Thibault Renard",
                    "WMFR",
                    "2024-05-02T09:40",
                    "I will bring questions about venues.",
                ),
                ("Sefa Dzramedo", None, "2024-05-07T03:05", None),  # 22:05 UTC-5
            ],
        ),
    ],
    notes=[
        (3, "assumed", "the title is taken from the {{Event infobox}} template's title"),
        (
            9,
            "guessed",
            "no year in '16th May'; 2024 taken from the signatures (the first, on line 14, is "
            "of 29 April 2024)",
        ),
        (16, "skipped", "a reply under the entry above; left out"),
        (18, "skipped", "struck through (the person withdrew); left out"),
        (19, "skipped", "an empty list item; left out"),
    ],
)

ALL = [SEVERAL_DATES, LABELS_ON_THEIR_OWN_LINE, TWO_MEETINGS, TWO_DAY_PROGRAMME, WIKITEXT_REGISTER]


def counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def imported(layout: Layout) -> WikiImport:
    return read_page((LAYOUTS / layout.page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("layout", ALL, ids=str)
def test_layout_gives_the_event_and_its_sessions(layout: Layout) -> None:
    event = imported(layout).event
    assert event is not None
    assert (event.id, event.title) == (layout.event_id, layout.title)
    assert event.description == layout.description
    assert [(s.name, s.affiliation) for s in event.speakers] == layout.speakers
    assert (event.location.platform if event.location else None) == layout.platform
    assert event.languages == layout.languages
    assert [(s.id, s.title, s.start, s.end) for s in event.sessions] == [
        (sid, title, at(start), at(end)) for sid, title, start, end, _ in layout.sessions
    ]


@pytest.mark.parametrize("layout", ALL, ids=str)
def test_layout_gives_every_signature(layout: Layout) -> None:
    event = imported(layout).event
    assert event is not None
    for session, (sid, _, _, _, sheet) in zip(event.sessions, layout.sessions, strict=True):
        got = [(e.name, e.affiliation, e.registered, e.note) for e in session.registrations]
        expected = [
            (name, affiliation, at(signed) if signed else None, note)
            for name, affiliation, signed, note in sheet
        ]
        assert got == expected, sid
        assert all(e.source == "import" and e.login is None for e in session.registrations)


@pytest.mark.parametrize("layout", ALL, ids=str)
def test_layout_reports_each_assumption_with_its_line(layout: Layout) -> None:
    result = imported(layout)
    assert [(n.line, n.kind, n.message) for n in result.notes] == layout.notes
    late = {
        path[1]: path[3]
        for path in result.comments
        if len(path) == 4 and path[2] == "registrations"
    }
    assert {session: [entry] for session, entry in late.items()} == layout.comments


@pytest.mark.parametrize("layout", ALL, ids=str)
def test_layout_writes_a_valid_event_file(
    layout: Layout, site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project = site_project
    page = LAYOUTS / layout.page
    assert main(["--root", str(project.root), "import-wiki", str(page)]) == 0
    out, err = capsys.readouterr()
    kinds = [kind for _, kind, _ in layout.notes]
    entries = sum(len(sheet) for *_, sheet in layout.sessions)
    summary = (
        f"wrote events/{layout.event_id}.yaml: {counted(entries, 'sign-up')} in "
        f"{counted(len(layout.sessions), 'session')}; {counted(kinds.count('skipped'), 'line')} "
        "left out"
    )
    if "guessed" in kinds:
        summary += f", {counted(kinds.count('guessed'), 'value')} guessed"
    assert out == summary + "\n"
    for line, kind, message in layout.notes:
        label = {"skipped": "left out", "assumed": "note", "guessed": "guessed"}[kind]
        assert f"{page}:{line}: {label}: {message}\n" in err
    checked = check_file(project.event_path(layout.event_id), project)
    assert checked.problems == []
    assert checked.event is not None
    assert [(s.start, s.end, len(s.registrations)) for s in checked.event.sessions] == [
        (at(start), at(end), len(sheet)) for _, _, start, end, sheet in layout.sessions
    ]


def test_strict_refuses_to_guess(site_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    root = ["--root", str(site_project.root), "import-wiki"]
    page = LAYOUTS / "several-dates.txt"
    assert main([*root, str(page), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{page}:3: guessed: no year in '6th March'" in err
    assert f"{page}: 4 value(s) guessed and --strict given; nothing written." in err
    assert list(site_project.events_dir.iterdir()) == []
    # Left-out lines and guesses are both counted.
    page = LAYOUTS / "wikitext-register.wiki"
    assert main([*root, str(page), "--strict"]) == 1
    assert "3 line(s) left out and 1 value(s) guessed and --strict given" in capsys.readouterr().err
    assert list(site_project.events_dir.iterdir()) == []


def test_strict_takes_the_organizers_zone_as_their_word(
    site_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = REPO / "tests" / "wiki" / "seed-rendered.txt"
    root = ["--root", str(site_project.root), "import-wiki", str(seed), "--strict"]
    # Two signatures without (UTC): guesses, unless --tz says the zone.
    assert main(root) == 1
    assert "2 value(s) guessed and --strict given" in capsys.readouterr().err
    assert main([*root, "--tz", "UTC"]) == 0
    out, err = capsys.readouterr()
    assert "33 sign-ups in 1 session; 0 lines left out\n" in out
    assert f"{seed}:29: note: no time zone after the time; taken as UTC\n" in err


# What a session line leaves out, and where the importer takes it from. Each page is a few
# lines; the expected start and end are UTC, the note is the only "guessed" one.
INFERENCES = [
    pytest.param(
        "Meetup\nDate: 5 May 2024, 10:00–11:00 UTC\nDate: Monday 13 May, 10:00–11:00 UTC\n",
        "2024-05-13T10:00",
        "2024-05-13T11:00",
        (3, "no year in '13 May'; 2024 taken from the date on line 2"),
        id="year-from-another-date",
    ),
    pytest.param(
        # Signed in December 2024: 8 January is in 2025, and a Wednesday then.
        "Meetup\nDate: Wednesday 8 January, 18:00–19:00 UTC\nRegister:\n"
        "- Ann (talk) 10:00, 20 December 2024 (UTC)\n",
        "2025-01-08T18:00",
        "2025-01-08T19:00",
        (
            2,
            "no year in '8 January'; 2025 taken from the signatures (the first, on line 4, is "
            "of 20 December 2024)",
        ),
        id="year-from-signatures-across-new-year",
    ),
    pytest.param(
        "Meetup 2025\nDate: 8 January, 18:00–19:00 UTC\n",
        "2025-01-08T18:00",
        "2025-01-08T19:00",
        (2, "no year in '8 January'; 2025 taken from line 1"),
        id="year-from-the-page",
    ),
    pytest.param(
        "Meetup\nEach call lasts 45 minutes.\nDate: 3 June 2024, 09:30 UTC\n",
        "2024-06-03T09:30",
        "2024-06-03T10:15",
        (
            3,
            "no end time for the session on 3 June 2024; it lasts '45 minutes', as line 2 says",
        ),
        id="end-from-a-stated-length",
    ),
    pytest.param(
        "Meetup\nDate: 3 June 2024, 09:30 UTC\n",
        "2024-06-03T09:30",
        "2024-06-03T10:30",
        (2, "no end time for the session on 3 June 2024; it is set to one hour"),
        id="end-one-hour-when-nothing-says",
    ),
    pytest.param(
        "Meetup\nAll times are in CET.\nDate: 3 February 2024, 18:00–19:00\n",
        "2024-02-03T17:00",
        "2024-02-03T18:00",
        (3, "no time zone for the session on 3 February 2024; CET taken from line 2"),
        id="zone-from-a-statement",
    ),
    pytest.param(
        "Meetup\nDate: 3 February 2024, 18:00–19:00\n",
        "2024-02-03T18:00",
        "2024-02-03T19:00",
        (2, "no time zone for the session on 3 February 2024; times taken as UTC"),
        id="zone-utc-when-nothing-says",
    ),
    pytest.param(
        "Meetup\nDate: 3 February 2024, 12.00–14.00 UTC / 14.00–16.00 CET\n",
        "2024-02-03T12:00",
        "2024-02-03T14:00",
        (
            2,
            "the times in UTC and CET on this line are not the same moment; the UTC one is kept",
        ),
        id="two-zones-that-disagree",
    ),
]


@pytest.mark.parametrize(("page", "start", "end", "guess"), INFERENCES)
def test_what_a_line_leaves_out_is_taken_from_the_page(
    page: str, start: str, end: str, guess: tuple[int, str]
) -> None:
    result = read_page(page)
    assert result.event is not None
    [session] = [s for s in result.event.sessions if s.start == at(start)]
    assert (session.start, session.end) == (at(start), at(end))
    assert [(n.line, n.message) for n in result.guessed] == [guess]


def test_a_date_and_a_time_on_label_lines_of_their_own() -> None:
    page = "Meetup\nDate\nThursday 11 April 2024\nTime\n16:00–17:15 UTC\nWhere\nZoom\n"
    result = read_page(page)
    assert result.event is not None
    [session] = result.event.sessions
    assert (session.start, session.end) == (at("2024-04-11T16:00"), at("2024-04-11T17:15"))
    assert result.event.location is not None and result.event.location.platform == "Zoom"
    assert result.notes == []


def test_no_year_anywhere_makes_no_session() -> None:
    result = read_page("Meetup\nDate: Wednesday 8 January, 18:00–19:00 UTC\n")
    assert result.event is None
    assert [(n.line, n.kind) for n in result.notes] == [(0, "skipped"), (2, "skipped")]
    assert result.notes[1].message.startswith(
        "no year in '8 January', and the page has no other date, signature or year"
    )


def test_a_weekday_that_does_not_fit_is_reported() -> None:
    result = read_page("Meetup\nDate: Tuesday 8 January 2025, 18:00–19:00 UTC, on Zoom\n")
    assert result.event is not None
    assert [(n.line, n.kind, n.message) for n in result.notes] == [
        (
            2,
            "assumed",
            "the page says Tuesday, but 8 January 2025 is a Wednesday; the date is kept, check it",
        )
    ]


def test_the_organizers_zone_is_an_assumption_not_a_guess() -> None:
    page = "Meetup\nDate: 3 February 2024, 18:00–19:00, on Zoom\n"
    result = read_page(page, default_zone=ZoneInfo("Europe/Vienna"))
    assert result.event is not None
    assert result.event.sessions[0].start == at("2024-02-03T17:00")
    assert result.guessed == []
    assert [(n.line, n.kind, n.message) for n in result.notes] == [
        (
            2,
            "assumed",
            "no time zone for the session on 3 February 2024; times taken as Europe/Vienna",
        )
    ]
