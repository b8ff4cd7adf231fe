"""Any event the model can hold is written by render_event, the writer of `new` and
`import-wiki`, and read back, unchanged, by the loader."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from paths import REPO, SEED_ID
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.plain_text import plain_line
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_text, load_event
from signupsheet.eventfiles.event_writer import SCHEMA_LINE, render_event
from strategies import events

PROJECT = Project(REPO)


def reload(event: Event) -> Event | None:
    text = render_event(event)
    result = check_text(text.encode("utf-8"), PROJECT.event_path(event.id), PROJECT)
    assert [str(problem) for problem in result.problems] == [], text
    return result.event


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_any_valid_event_survives_a_dump_and_load(event: Event) -> None:
    assert reload(event) == event


def test_the_seed_event_survives_a_dump_and_load() -> None:
    event = load_event(PROJECT, SEED_ID)
    assert reload(event) == event


def test_dumped_files_look_hand_written() -> None:
    start = datetime(2026, 12, 3, 14, tzinfo=UTC)
    event = Event(
        id="2026-12-03-traps",
        title="no",
        summary="12:30",
        description="First line\n\n- a list\n",
        tags=["on", "1e3"],
        sessions=[Session(id="0o17", start=start, end=start.replace(hour=15))],
    )
    text = render_event(event)
    assert text.splitlines()[0] == f"# {SCHEMA_LINE}"
    assert "    start: 2026-12-03T14:00:00Z\n" in text  # unquoted, like hand-written files
    assert "description: |\n  First line\n\n  - a list\n" in text
    # Text that some YAML reader would take for a boolean, a number or a time is quoted.
    for quoted in ("title: 'no'", "summary: '12:30'", "- 'on'", "- '1e3'", "id: '0o17'"):
        assert quoted in text
    assert reload(event) == event


@pytest.mark.parametrize(
    "text",
    ["a\n\nb", "\n0", "ends with two breaks\n\n", "\x1b\n", "line\x85break", "line\u2028break"],
    ids=["no-final-break", "leading-break", "two-final-breaks", "escape", "nel", "line-separator"],
)
def test_descriptions_and_names_are_written_exactly(text: str) -> None:
    """Texts the property test found the writer changing: a block that added or dropped final
    line breaks, and characters written raw that the loader refuses or reads as a line break."""
    start = datetime(2026, 12, 3, 14, tzinfo=UTC)
    # Registrants' names hold no control characters (core/plain_text.py); descriptions may.
    entry = Registration(name=plain_line(text) or "Someone", source="import")
    session = Session(id="main", start=start, end=start.replace(hour=15), registrations=[entry])
    event = Event(id="2026-12-03-exact", title="Exact", description=text, sessions=[session])
    assert reload(event) == event
