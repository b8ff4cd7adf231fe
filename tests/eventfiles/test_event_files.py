"""Data-driven: every file in tests/events/valid passes; every file in tests/events/invalid fails
with exactly the messages stored beside it in <case>.expected."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paths import REPO
from signupsheet.core.errors import Problem
from signupsheet.core.project import Project
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.eventfiles.catalog import check_text, load_catalog

VALID = sorted((REPO / "tests" / "events" / "valid").glob("*.yaml"))
INVALID = sorted((REPO / "tests" / "events" / "invalid").glob("*.yaml"))
BASE = """\
title: Monthly meetup
sessions:
  - id: main
    start: 2026-12-03T14:00:00Z
    end: 2026-12-03T15:00:00Z
"""


def lines(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.stem)
def test_valid_file_passes(repo_project: Project, path: Path) -> None:
    catalog = load_catalog(repo_project, [path])
    assert lines(catalog.problems) == []
    assert [event.id for event in catalog.events] == [path.stem]


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.stem)
def test_invalid_file_fails_with_the_expected_messages(repo_project: Project, path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert expected, f"{path.name} needs its expected messages beside it"
    catalog = load_catalog(repo_project, [path])
    assert catalog.events == []
    assert lines(catalog.problems) == expected


def test_every_invalid_case_has_expected_messages_and_vice_versa() -> None:
    folder = REPO / "tests" / "events" / "invalid"
    assert {path.stem for path in folder.glob("*.expected")} == {path.stem for path in INVALID}


def test_one_run_reports_every_problem_of_every_file(repo_project: Project) -> None:
    paths = [*VALID, *INVALID]
    catalog = load_catalog(repo_project, paths)
    expected = [
        line
        for path in INVALID
        for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(lines(catalog.problems)) == sorted(expected)
    assert sorted(event.id for event in catalog.events) == sorted(path.stem for path in VALID)


def test_cli_over_the_invalid_folder_prints_every_problem_and_exits_1() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "signupsheet", "validate", *map(str, INVALID)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    printed = done.stdout.splitlines()
    expected = [
        line
        for path in INVALID
        for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(printed) == sorted(expected)
    assert "Traceback" not in done.stderr


def check(project: Project, text: str | bytes, name: str = "x.yaml") -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return lines(check_text(raw, project.events_dir / name, project).problems)


def test_a_file_over_one_megabyte_is_refused_before_parsing(site_project: Project) -> None:
    padding = "# " + "x" * 98 + "\n"
    text = BASE + padding * (untrusted_yaml.MAX_BYTES // len(padding) + 1)
    assert len(text.encode()) > untrusted_yaml.MAX_BYTES
    assert check(site_project, text) == [
        "events/x.yaml:1:1: file is larger than 1,000,000 bytes, the limit for an event file; "
        "split the event or purge old entries"
    ]
    # Exactly at the limit the file is read normally.
    exact = BASE + "#" * (untrusted_yaml.MAX_BYTES - len(BASE) - 1) + "\n"
    assert len(exact.encode()) == untrusted_yaml.MAX_BYTES
    assert check(site_project, exact) == []


def test_a_large_file_on_disk_is_read_only_up_to_the_limit(site_project: Project) -> None:
    path = site_project.events_dir / "big.yaml"
    path.write_text(BASE + "#" * (3 * untrusted_yaml.MAX_BYTES) + "\n", encoding="utf-8")
    catalog = load_catalog(site_project)
    assert lines(catalog.problems) == [
        "events/big.yaml:1:1: file is larger than 1,000,000 bytes, the limit for an event "
        "file; split the event or purge old entries"
    ]


NESTED = "nested deeper than 64 levels; an event file is never that deep"


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("title: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:72"),
        ("title: " + "{a: " * 100_000 + "}" * 100_000 + "\n", "1:264"),
        ("title: x\nsessions:\n" + "- " * 100_000 + "x\n", "3:1999"),
        ("title: x\nsessions:\n" + "- " * 500 + "x\n", "3:127"),
        ("? " * 100_000 + "x\n", "1:1999"),
        ("".join(" " * depth + "a:\n" for depth in range(200)) + " " * 200 + "b\n", "65:65"),
    ],
    ids=["flow-list", "flow-map", "block-list", "block-list-500", "block-keys", "indented"],
)
def test_deep_nesting_is_refused_without_crashing(
    site_project: Project, text: str, position: str
) -> None:
    assert check(site_project, text) == [f"events/x.yaml:{position}: {NESTED}"]


def test_deep_nesting_does_not_crash_the_interpreter(tmp_path: Path) -> None:
    """A fresh interpreter, so a crash in C code would show as a signal, not a lost test run."""
    script = (
        "from pathlib import Path\n"
        "from signupsheet.eventfiles.catalog import check_text\n"
        "from signupsheet.core.project import Project\n"
        f"project = Project(Path({str(REPO)!r}))\n"
        "for text in ('[' * 100_000, 'a: ' + '[' * 100_000, '- ' * 100_000 + 'x',\n"
        "             '{' * 100_000, '- [' * 50_000):\n"
        "    result = check_text(text.encode(), Path('x.yaml'), project)\n"
        "    print(len(result.problems))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"] * 5


def test_secrets_are_found_even_in_a_file_that_cannot_be_read_as_yaml(
    site_project: Project,
) -> None:
    raw = b"title: Caf\xe9\n# ask ada@example.org\nsessions: [\n"
    assert check(site_project, raw) == [
        "events/x.yaml:1:11: not UTF-8 text (byte 0xe9); save the file with UTF-8 encoding",
        "events/x.yaml:2:7: an e-mail address does not belong in a public event file; "
        "organizers keep addresses in the SIGNUPSHEET_CONTACTS secret",
    ]
    text = "title: [x\n# https://zoom.us/j/1\n"
    assert check(site_project, text) == [
        "events/x.yaml:2:3: a meeting join link (zoom.us) does not belong in a public event "
        "file; put it in the SIGNUPSHEET_MEETING_LINKS secret",
        "events/x.yaml:3:1: not valid YAML: while parsing a flow sequence did not find expected "
        "',' or ']' (opened at line 1, column 8); check the indentation, quotes and colons here",
    ]


def test_a_leak_is_reported_once_even_when_the_file_has_escapes(site_project: Project) -> None:
    text = 'title: "Tab\\there"\ndescription: |\n  Write to ada@example.org\n'
    assert check(site_project, text) == [
        "events/x.yaml:1:1: missing required key 'sessions'; add it to this mapping",
        "events/x.yaml:3:12: an e-mail address does not belong in a public event file; "
        "organizers keep addresses in the SIGNUPSHEET_CONTACTS secret",
    ]
