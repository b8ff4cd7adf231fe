"""Random edits to random event files: the check never crashes, and never accepts a pull request
that changes anything but the author's own entry."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitkit import init_repo
from paths import REPO
from prcorpus import commit_pull_request
from signupsheet.core.project import Project
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.eventfiles.schema import load_schema
from signupsheet.registration.pulls.pull_check import Context, check_event_change, check_revisions
from sitekit import make_site

PROJECT = Project(REPO)
SCHEMA = load_schema(PROJECT.schema_path)
PATH = "events/2026-12-03-fuzz.yaml"
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
LOGINS = ["me", "Me", "ME", "alice", "Alice", "bob", "carol", "orga"]
AUTHOR = st.sampled_from(["me", "alice", "bob"])
FIELDS = [
    "login",
    "name",
    "affiliation",
    "note",
    "visibility",
    "registered",
    "source",
    "status",
    "link_sent",
    "phone",
]
VALUES: list[Any] = [
    None,
    "x",
    "Me Myself",
    "private",
    "public",
    "confirmed",
    "waitlisted",
    "pr:5",
    "2026-11-10T10:00:00Z",
    "me",
    "ME",
    "a\nb",
    "y" * 600,
    1,
    True,
    [],
    {},
]


# Strategies are built once, and each session or edit is one drawn number taken apart with
# divmod: hypothesis's draws, not the check, would otherwise take most of the time.
SESSION_CODES = st.integers(0, 10 * 16**4 - 1)
SESSION_COUNTS = st.integers(1, 3)
PULL_REQUESTS = st.sampled_from([True, True, True, False])
OPERATION_CODES = st.lists(st.integers(0, 2**40), min_size=1, max_size=4)
AUTHOR = st.sampled_from(["me", "alice", "bob"])
AGREED = st.sampled_from([True, True, True, False])
MAINTAINER = st.sampled_from([False] * 9 + [True])
OPERATIONS = [
    *("own", "own", "own", "add", "remove", "edit", "edit", "move"),
    *("detail", "junk", "copy", "drop"),
]
OWN_FIELDS = ["name", "affiliation", "note", "visibility"]
OWN_VALUES = ["Me", "WMDE", "hello", "private", "public", None]
DETAILS = ["capacity", "start", "title", "cancelled"]
DETAIL_VALUES: list[Any] = [5, 0, "2026-12-01T10:00:00Z", "Renamed", True]
JUNK: list[Any] = ["me", 3, None, ["me"]]
DROPPED: list[Any] = [None, "me", {}, {"login": "me", "name": "Me"}, [{"login": "ME"}]]


class Digits:
    """Takes a drawn number apart into choices."""

    def __init__(self, number: int) -> None:
        self.number = number

    def pick(self, options: int) -> int:
        self.number, choice = divmod(self.number, options)
        return choice

    def choose(self, options: list[Any]) -> Any:
        return options[self.pick(len(options))]


def session(index: int, code: int) -> dict[str, Any]:
    digits = Digits(code)
    capacity = [None, 1, 2, 3, 4][digits.pick(5)]
    entries: list[dict[str, Any]] = []
    if digits.pick(2):
        entries.append({"name": "Old Timer", "source": "import"})
    for number, login in enumerate(["me", "alice", "bob", "carol"]):
        flags = digits.pick(16)
        if not flags & 1:
            continue
        entry: dict[str, Any] = {
            "login": login.upper() if flags & 2 else login,
            "name": login.title(),
            "registered": f"2026-11-0{number + 2}T10:00:00Z",
            "source": f"pr:{number + 1}",
        }
        if flags & 4:
            entry["note"] = "hi"
        if flags & 8:
            entry["visibility"] = "private"
        entries.append(entry)
    confirmed = 0
    for entry in entries:
        if capacity is not None and confirmed >= capacity:
            entry["status"] = "waitlisted"
        else:
            confirmed += 1
    data: dict[str, Any] = {
        "id": ["main", "second", "third"][index],
        "start": f"2026-12-0{index + 3}T14:00:00Z",
        "end": f"2026-12-0{index + 3}T15:00:00Z",
        "registrations": entries,
    }
    if capacity is not None:
        data["capacity"] = capacity
    return data


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(SESSION_COUNTS)
    return {
        "title": "Fuzzed event",
        "organizers": ["orga"],
        "registration": {"opens": "2026-11-01T00:00:00Z", "pull_requests": draw(PULL_REQUESTS)},
        "sessions": [session(index, draw(SESSION_CODES)) for index in range(count)],
    }


def edit(head: dict[str, Any], code: int, author: str) -> None:
    """One random edit of `head`, in place."""
    digits = Digits(code)
    operation = digits.choose(OPERATIONS)
    chosen = head["sessions"][digits.pick(3) % len(head["sessions"])]
    sheet = chosen.get("registrations")
    if not isinstance(sheet, list):
        sheet = chosen["registrations"] = []
    position = digits.pick(7)
    at = position % (len(sheet) or 1)
    login, key, value = digits.choose(LOGINS), digits.choose(FIELDS), digits.choose(VALUES)
    flag = bool(digits.pick(2))
    if operation == "own":
        # What a registrant does: add, edit or remove their own entry.
        mine = [index for index, item in enumerate(sheet) if is_mine(item, author)]
        if not mine:
            own: dict[str, Any] = {"login": login if flag else author, "name": "Me"}
            sheet.insert(position % (len(sheet) + 1), own)
        elif flag:
            del sheet[mine[0]]
        else:
            field_name, new_value = digits.choose(OWN_FIELDS), digits.choose(OWN_VALUES)
            if new_value is None:
                sheet[mine[0]].pop(field_name, None)
            else:
                sheet[mine[0]][field_name] = new_value
    elif operation == "add":
        entry: dict[str, Any] = {"login": login, "name": "New"}
        if flag:
            entry[key] = value
        sheet.insert(position % (len(sheet) + 1), entry)
    elif operation == "remove" and sheet:
        del sheet[at]
    elif operation == "edit" and sheet and isinstance(sheet[at], dict):
        if flag:
            sheet[at].pop(key, None)
        else:
            sheet[at][key] = value
    elif operation == "move" and len(sheet) > 1:
        sheet.insert(at, sheet.pop())
    elif operation == "detail":
        detail, new = digits.choose(DETAILS), digits.choose(DETAIL_VALUES)
        if detail == "title":
            head["title"] = new
        else:
            chosen[detail] = new
    elif operation == "junk":
        sheet.append(digits.choose(JUNK))
    elif operation == "copy" and sheet:
        sheet.append(copy.deepcopy(sheet[at]))
    elif operation == "drop":
        chosen["registrations"] = digits.choose(DROPPED)


def is_mine(entry: Any, author: str) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("login"), str)
        and entry["login"].casefold() == author.casefold()
    )


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def without(data: dict[str, Any], author: str) -> str:
    """The event with the author's own entries taken out: what must not change."""
    stripped = copy.deepcopy(data)
    for session in stripped.get("sessions", []):
        sheet = session.get("registrations")
        if isinstance(sheet, list):
            session["registrations"] = [
                entry
                for entry in sheet
                if not (
                    isinstance(entry, dict)
                    and isinstance(entry.get("login"), str)
                    and entry["login"].casefold() == author.casefold()
                )
            ]
    return canonical(stripped)


def own_sessions_changed(base: dict[str, Any], head: dict[str, Any], author: str) -> int:
    def mine(data: dict[str, Any]) -> dict[str, str]:
        return {
            session["id"]: canonical(
                [
                    entry
                    for entry in session.get("registrations") or []
                    if isinstance(entry, dict)
                    and str(entry.get("login", "")).casefold() == author.casefold()
                ]
            )
            for session in data["sessions"]
        }

    before, after = mine(base), mine(head)
    return sum(before[key] != after.get(key) for key in before)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], Context]:
    base = draw(events())
    author = draw(AUTHOR)
    head = copy.deepcopy(base)
    for code in draw(OPERATION_CODES):
        edit(head, code, author)
    context = Context(
        author=author,
        now=NOW,
        agreed=draw(AGREED),
        banned=lambda login: login.casefold() == "bob",
        maintainer=draw(MAINTAINER),
    )
    return base, head, context


def parsed(data: dict[str, Any]) -> untrusted_yaml.Parsed:
    # Positions are looked up in the text only for problems; the data is what is checked.
    return untrusted_yaml.Parsed(PATH, "", data, [])


@settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_never_accepts_a_change_to_someone_else(
    case: tuple[dict[str, Any], dict[str, Any], Context],
) -> None:
    base, head, context = case
    result = check_event_change(PATH, parsed(base), parsed(head), context, PROJECT, SCHEMA)
    assert result.verdict in ("accept", "review", "refuse")
    if result.verdict == "accept":
        assert without(base, context.author) == without(head, context.author)
        assert own_sessions_changed(base, head, context.author) == 1
        assert result.change is not None and result.change.login == context.author
        assert result.decision is not None and result.decision.outcome.changed
        assert base["registration"]["pull_requests"]
        assert context.agreed or result.change.kind == "cancel"
        assert context.author != "bob" or result.change.kind == "cancel"
    elif without(base, context.author) != without(head, context.author):
        assert result.reasons


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_real_commits_give_the_same_verdict(
    case: tuple[dict[str, Any], dict[str, Any], Context], tmp_path_factory: Any
) -> None:
    base, head, context = case
    root = tmp_path_factory.mktemp("fuzz")
    make_site(root, files={PATH: yaml.safe_dump(base, sort_keys=False)})
    init_repo(root)
    from prcorpus import Edit

    sha = commit_pull_request(root, "pr", Edit(files={PATH: yaml.safe_dump(head, sort_keys=False)}))
    project = Project(root)
    _, from_git = check_revisions(root, "main", sha, context, project)
    in_memory = check_event_change(
        PATH,
        untrusted_yaml.parse(yaml.safe_dump(base, sort_keys=False).encode(), PATH),
        untrusted_yaml.parse(yaml.safe_dump(head, sort_keys=False).encode(), PATH),
        context,
        project,
    )
    if base == head:
        assert from_git.verdict == "review"
    else:
        assert from_git.verdict == in_memory.verdict
        assert from_git.reasons == in_memory.reasons
