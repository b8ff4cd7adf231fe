"""import-wiki on arbitrary pages: it never crashes, and what it writes always validates."""

# Wiki pages use typographic dashes: the fuzzer feeds them on purpose.
# ruff: noqa: RUF001
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_text
from signupsheet.eventfiles.event_writer import render_event
from signupsheet.organizer.wiki_import import read_page
from sitekit import make_site

# Pieces real pages are made of, so random pages reach the interesting paths.
PIECES = [
    "Date: 23 November 2022, 2–3 pm UTC, on Zoom",
    "== Session 2: 8 December 2022, 17:00–18:30 (UTC-5) ==",
    "Register with your username:",
    "== Participants ==",
    "- ",
    "# ",
    "#: ",
    "* ",
    "1. ",
    "--",
    "[[User:A b|A b]]",
    "([[User talk:A b|talk]])",
    "(talk)",
    "T★C",
    "]]Talk",
    " 13:45, 16 November 2022 (UTC)",
    " 25:61, 31 February 2022 (UTC+99)",
    " (WMDE)",
    " (she/her)",
    "<s>",
    "</s>",
    "{{DISPLAYTITLE:x}}",
    "{{",
    "}}",
    "<!--",
    "-->",
    "someone@example.org",
    "https://zoom.us/j/123",
    "Speaker: X (WMF), Y",
    # The layouts of issue #21: several dates on a line, labels alone, a programme, wikitext.
    "Wednesday 14th February 15hs UTC and Tuesday 27th February 17 UTC at Zoom",
    "Wednesday 14th February, time 15 UTC",
    "Trainer",
    "Date",
    "Language",
    "Spanish",
    "Day 1 – Saturday, 9 November 2024",
    "12.00–14.00 UTC / 13.00–16.00 CET",
    "lasts 90 minutes",
    "All times are in CET.",
    "[reply]",
    "== Register ==",
    "{{UTC}}",
    "{{Event infobox\n| title = ",
    "edit",
    "\n",
    "\n",
    "\n",
    " ",
    "'",
    '"',
    ": ",
    "&",
    "*",
    "\u2028",
    "\x85",
]
pages = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)


def _project() -> Project:
    return Project(make_site(Path(tempfile.mkdtemp(prefix="wiki-fuzz-")), docs=True))


PROJECT = _project()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=pages)
def test_any_page_imports_to_a_valid_file_or_says_why(page: str) -> None:
    result = read_page(page)
    if result.event is None:
        # Nothing imported is always explained.
        assert any(note.kind == "skipped" for note in result.notes)
        return
    text = render_event(result.event, comments=result.comments)
    checked = check_text(text.encode("utf-8"), PROJECT.event_path(result.event.id), PROJECT)
    # Duplicate names and secrets are dropped while reading, so the only problems left would be
    # bugs in the reader.
    assert checked.problems == [], (page, text)
    assert checked.event is not None
    assert [len(s.registrations) for s in checked.event.sessions] == [
        len(s.registrations) for s in result.event.sessions
    ]
