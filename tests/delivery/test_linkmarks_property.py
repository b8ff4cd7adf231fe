"""The quick link_sent insertion agrees with the model on any sheet layout we write or accept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from link_site import EVENT
from signupsheet.core.links_due import EntryKey
from signupsheet.core.project import Project
from signupsheet.delivery.sent_marks import insert_marks, record_in_file
from signupsheet.eventfiles.catalog import load_event
from sitekit import make_site

WHEN = datetime(2030, 5, 1, 13, 20, tzinfo=UTC)
HEADER = """# yaml-language-server: $schema=../schema/event.schema.json
title: Call
sessions:
  - id: main  # the only session
    start: 2030-05-01T14:00:00Z
    end: 2030-05-01T15:00:00Z
    registrations:
"""

fields = st.fixed_dictionaries(
    {},
    optional={
        "affiliation": st.sampled_from(["WMDE", "'Quoted: yes'", '"double"', "Ünïcode"]),
        "note": st.sampled_from(["plain note", "'it''s quoted'", "with # hash inside quotes'"]),
        "visibility": st.sampled_from(["public", "private"]),
        "status": st.just("confirmed"),
    },
)
entry = st.tuples(
    fields,
    st.booleans(),  # marked
    st.sampled_from(["", "  # trailing comment"]),
    st.sampled_from(["", "      # a comment line before the entry\n", "\n"]),
    st.randoms(use_true_random=False),
)


def _sheet(entries: list[tuple[dict[str, str], bool, str, str, object]]) -> tuple[str, set[str]]:
    lines = [HEADER]
    marked: set[str] = set()
    for index, (extra, mark, trailing, before, rnd) in enumerate(entries):
        login = f"person-{index}"
        if mark:
            marked.add(login)
        pairs = [
            ("login", login),
            ("name", f"Person {index}"),
            ("registered", "2030-04-01T10:00:00Z"),
        ]
        pairs += [
            (key, value if not value.startswith("with") else f"'{value}")
            for key, value in extra.items()
        ]
        rnd.shuffle(pairs)  # type: ignore[attr-defined]
        lines.append(before)
        first, *rest = pairs
        lines.append(f"      - {first[0]}: {first[1]}\n")
        for position, (key, value) in enumerate(rest):
            end = trailing if position == len(rest) - 1 else ""
            lines.append(f"        {key}: {value}{end}\n")
    return "".join(lines), marked


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(entry, min_size=1, max_size=6))
def test_marks_land_on_exactly_the_marked_entries(tmp_path: Path, entries: list) -> None:  # type: ignore[type-arg]
    root = tmp_path / "site"
    if not root.exists():
        make_site(root)
    project = Project(root)
    text, marked = _sheet(entries)
    path = project.events_dir / f"{EVENT}.yaml"
    path.write_text(text, encoding="utf-8")
    event = load_event(project, EVENT)
    marks = {EntryKey(EVENT, "main", login): WHEN for login in marked}
    assert insert_marks(text, EVENT, marks) is not None  # the quick path, not the fallback
    # The checked result is accepted: the general editor is never needed for these layouts.
    with patch(
        "signupsheet.delivery.sent_marks.write_sheets", side_effect=AssertionError("fallback")
    ):
        assert record_in_file(path, project, event, marks) == len(marked)
    again = load_event(project, EVENT)
    assert {entry.login: entry.link_sent for entry in again.sessions[0].registrations} == {
        f"person-{index}": (WHEN if f"person-{index}" in marked else None)
        for index in range(len(entries))
    }
    new = path.read_text(encoding="utf-8")
    # Only lines were added: every original line is still there, in order.
    added = new.splitlines()
    for line in text.splitlines():
        assert line in added
        added = added[added.index(line) + 1 :]
