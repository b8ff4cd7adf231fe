"""Loading event files: every file checked, every problem collected, the events kept in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signupsheet.core.errors import Problem, ProblemsError
from signupsheet.core.model import Event, event_from_data
from signupsheet.core.project import Project
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.eventfiles.gc_pause import gc_paused
from signupsheet.eventfiles.schema import EventSchema, PathTuple, load_schema
from signupsheet.eventfiles.semantic_checks import (
    description_link_problems,
    event_problems,
    secret_leaks,
    value_leaks,
)


@dataclass
class FileResult:
    path: Path
    event: Event | None = None
    problems: list[Problem] = field(default_factory=list)
    data: Any = None  # what `event` was made of, if it was


@dataclass
class Catalog:
    """All events of a project that loaded, sorted by their first session, and all problems."""

    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Event id -> the parsed data its event was made of (with `load_catalog(keep_data=True)`).
    data: dict[str, Any] = field(default_factory=dict)

    def raise_for_problems(self) -> None:
        if self.problems:
            raise ProblemsError(self.problems)


def event_files(project: Project) -> list[Path]:
    if not project.events_dir.is_dir():
        return []
    return sorted(path for path in project.events_dir.iterdir() if path.suffix == ".yaml")


def misnamed_files(project: Project) -> list[Problem]:
    """Files in events/ that look like event files but would be skipped for their suffix."""
    if not project.events_dir.is_dir():
        return []
    return [
        Problem(
            project.display(path),
            1,
            1,
            f"event files end in .yaml, so this file is skipped; rename it to {path.stem}.yaml",
        )
        for path in sorted(project.events_dir.iterdir())
        if path.suffix.lower() in (".yml", ".yaml", ".json") and path.suffix != ".yaml"
    ]


def check_text(
    raw: bytes,
    path: Path,
    project: Project,
    schema: EventSchema | None = None,
    shown: str | None = None,
) -> FileResult:
    """Check one event file's bytes. Never raises for bad input."""
    parsed = untrusted_yaml.parse(raw, shown or project.display(path))
    return check_parsed(parsed, path, project, schema)


def check_parsed(
    parsed: untrusted_yaml.Parsed, path: Path, project: Project, schema: EventSchema | None = None
) -> FileResult:
    """Check a file that was already read with `untrusted_yaml.parse`: schema, rules, secrets.

    The data may differ from what the text says (e.g. with values a bot fills in); positions are
    looked up in the text, so the data must keep the text's structure. A file that can be read
    at all is checked as far as it goes (duplicate keys and leaked secrets do not stop the
    schema and the rules), so one run reports every problem in it.
    """
    shown = parsed.path
    result = FileResult(path)
    problems = list(parsed.problems)
    text = parsed.text
    locator = untrusted_yaml.Locator(text, parsed.root)

    def add(where: PathTuple, message: str, *, key: bool = False) -> None:
        line, column = locator.locate(where, key=key)
        problems.append(Problem(shown, line, column, message))

    for offset, message in secret_leaks(text):
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problems.append(Problem(shown, line, column, message))
    if parsed.data is not None:
        data: dict[str, Any] = parsed.data
        if "\\" in text:
            for where, message in value_leaks(data, text):
                add(where, message)
        schema = schema or load_schema(project.schema_path)
        event = _build(path.stem, data, schema)
        if event is None:
            # The slow path: say what is wrong, where.
            found = schema.problems(data)
            for problem in found:
                add(problem.where, problem.message, key=problem.at_key)
            if not found:
                problems.append(Problem(shown, 1, 1, "the file does not match the event schema"))
        else:
            for where, message in event_problems(event, project.docs_dir):
                add(where, message)
            for link, message in description_link_problems(event, project):
                line, column = _in_description(text, locator, link)
                problems.append(Problem(shown, line, column, message))
            if not problems:
                result.event = event
                result.data = data
    result.problems = sorted(set(problems))
    return result


def _in_description(text: str, locator: untrusted_yaml.Locator, link: str) -> tuple[int, int]:
    """Where a link of the description is written: the first place after the description's
    start that holds it, else the description itself (an escape or a reference may hide it)."""
    line, column = locator.locate(("description",))
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    start += column - 1
    found = text.find(link, start)
    if found < 0:
        return line, column
    return text.count("\n", 0, found) + 1, found - (text.rfind("\n", 0, found) + 1) + 1


def _build(event_id: str, data: dict[str, Any], schema: EventSchema) -> Event | None:
    if not schema.is_valid(data):
        return None
    try:
        return event_from_data(event_id, data)
    except ValueError:
        return None  # an impossible date the pattern let through; the slow path finds it


def _unreadable(path: Path, project: Project, error: OSError) -> FileResult:
    problem = Problem(project.display(path), 1, 1, f"cannot read the file: {error.strerror}")
    return FileResult(path, None, [problem])


def check_file(path: Path, project: Project, schema: EventSchema | None = None) -> FileResult:
    try:
        raw = _read_capped(path)
    except OSError as error:
        return _unreadable(path, project, error)
    return check_text(raw, path, project, schema)


def _read_capped(path: Path) -> bytes:
    with path.open("rb") as handle:
        # One byte more than allowed, so the parser can say the file is too large.
        return handle.read(untrusted_yaml.MAX_BYTES + 1)


def load_catalog(
    project: Project, paths: Sequence[Path] | None = None, keep_data: bool = False
) -> Catalog:
    """Check the given files (default: all of events/) and keep those that are valid.

    With `keep_data`, the catalog also keeps the parsed data of each event, which
    `event_from_data` turns into the same event elsewhere without checking it again.
    """
    catalog = Catalog()
    schema = load_schema(project.schema_path)
    if paths is None:
        paths = event_files(project)
        catalog.problems.extend(misnamed_files(project))
    events_shown = project.display(project.events_dir)
    # The catalog grows to thousands of events of small acyclic objects; scanning them for
    # cycles after every few files took a third of the time of a large run.
    with gc_paused():
        for path in paths:
            try:
                raw = _read_capped(path)
            except OSError as error:
                result = _unreadable(path, project, error)
            else:
                shown = (
                    f"{events_shown}/{path.name}"
                    if path.parent == project.events_dir
                    else project.display(path)
                )
                result = check_text(raw, path, project, schema, shown)
            catalog.problems.extend(result.problems)
            if result.event is not None:
                catalog.events.append(result.event)
                if keep_data:
                    catalog.data[result.event.id] = result.data
    sort_events(catalog.events)
    return catalog


def sort_events(events: list[Event]) -> None:
    """In the catalog's order: by first session, then id."""
    events.sort(key=lambda event: (event.start, event.id))


def load_event(project: Project, event_id: str) -> Event:
    """Load one event by id, raising ProblemsError when it is missing or invalid."""
    path = project.event_path(event_id)
    if not path.is_file():
        raise ProblemsError(
            [
                Problem(
                    project.display(path),
                    1,
                    1,
                    f"no event {event_id!r}: there is no file events/{event_id}.yaml",
                )
            ]
        )
    result = check_file(path, project)
    if result.event is None:
        raise ProblemsError(result.problems)
    return result.event
