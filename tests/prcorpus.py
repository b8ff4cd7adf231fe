"""Pull requests as pairs of commits in a real git repository, for the check's corpus and the
end-to-end tests: a base commit with a small site, and a head commit a case builds from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gitkit import git, rev_parse

NOW = "2026-11-20T12:00:00Z"


def entry(login: str | None, name: str, **fields: str) -> str:
    lines = [f"      - name: {name}"]
    if login is not None:
        lines.insert(0, f"      - login: {login}")
        lines[1] = f"        name: {name}"
    lines += [f"        {key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


OLD_TIMER = entry(None, "Old Timer", source="import")
ALICE = entry(
    "Alice",
    "Alice Liddell",
    affiliation="WMDE",
    registered="2026-11-02T10:00:00Z",
    source="issue:1",
    note="Looking forward to it.",
)
BOB = entry("bob", "Bob", registered="2026-11-03T10:00:00Z", source="pr:2")
CAROL = entry("carol", "Carol", registered="2026-11-03T11:00:00Z", source="pr:3")
ALICE_SECOND = entry("Alice", "Alice Liddell", registered="2026-11-02T10:05:00Z", source="issue:4")


def meetup(
    main: str = OLD_TIMER + ALICE + BOB,
    second: str = ALICE_SECOND,
    *,
    title: str = "Monthly meetup",
    capacity: int = 5,
    start: str = "2026-12-03T14:00:00Z",
    registration: str = "  opens: 2026-11-01T00:00:00Z  # announced in the newsletter\n",
    extra: str = "",
) -> str:
    return f"""\
# yaml-language-server: $schema=../schema/event.schema.json
# A test event: comments must survive every edit.
title: {title}
organizers: [Orga-Nizer]
policy: policies/safe-space.md
registration:
{registration}{extra}sessions:
  - id: main
    start: {start}
    end: 2026-12-03T15:00:00Z
    capacity: {capacity}
    registrations:
      # imported from the wiki
{main}  - id: second
    start: 2026-12-10T14:00:00Z
    end: 2026-12-10T15:00:00Z
    capacity: 2
    registrations:
{second}"""


def full_event(main: str = CAROL) -> str:
    return f"""\
title: A small workshop
policy: policies/safe-space.md
sessions:
  - id: main
    start: 2026-12-05T14:00:00Z
    end: 2026-12-05T16:00:00Z
    capacity: 1
    registrations:
{main}"""


def issue_only_event(main: str = CAROL) -> str:
    return f"""\
title: Issue forms only
registration:
  pull_requests: false
sessions:
  - id: main
    start: 2026-12-06T14:00:00Z
    end: 2026-12-06T16:00:00Z
    registrations:
{main}"""


MEETUP = "events/2026-12-03-meetup.yaml"
FULL = "events/2026-12-05-workshop.yaml"
ISSUE_ONLY = "events/2026-12-06-issues-only.yaml"

# The base commit: a site folder (sitekit's make_site) with these files.
BASE_FILES: dict[str, str] = {
    MEETUP: meetup(),
    FULL: full_event(),
    ISSUE_ONLY: issue_only_event(),
    "README.md": "# a site\n",
    ".github/workflows/checks.yml": "name: checks\n",
}


@dataclass
class Edit:
    """The files a pull request changes: new contents (None deletes), links, renames, modes."""

    files: dict[str, str | bytes | None] = field(default_factory=dict)
    symlinks: dict[str, str] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)
    executable: list[str] = field(default_factory=list)
    # Submodule entries: path → commit SHA, written straight into the index.
    gitlinks: dict[str, str] = field(default_factory=dict)

    def apply(self, root: Path) -> None:
        for old, new in self.renames.items():
            git(root, "mv", old, new)
        for path, content in self.files.items():
            target = root / path
            if content is None:
                git(root, "rm", "--quiet", path)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        for path, where in self.symlinks.items():
            (root / path).symlink_to(where)
        for path in self.executable:
            (root / path).chmod(0o755)


def commit_pull_request(root: Path, branch: str, edit: Edit, base: str = "main") -> str:
    """Commit `edit` on a new branch forked from `base`; the head SHA. Leaves main checked out."""
    git(root, "checkout", "--quiet", "-b", branch, base)
    edit.apply(root)
    git(root, "add", "--all")
    for path, sha in edit.gitlinks.items():
        git(root, "update-index", "--add", "--cacheinfo", f"160000,{sha},{path}")
    git(root, "commit", "--quiet", "--allow-empty", "--message", f"Pull request {branch}")
    head = rev_parse(root)
    git(root, "checkout", "--quiet", "main")
    return head


Editor = Callable[[], Edit]


# Three sessions, one of each shape a sheet has in a file (no key, `registrations: []`, a list),
# each headed by a comment, for the tests of `register` and of the page's pull-request snippet.
EVENINGS_ID = "2027-05-04-evenings"
EVENINGS = """\
# yaml-language-server: $schema=../schema/event.schema.json
title: Three evenings
sessions:
  # Tue 4 May: the first evening
  - id: bare
    start: 2027-05-04T17:00:00Z
    end: 2027-05-04T18:00:00Z  # one hour

  # Tue 11 May
  - id: empty
    start: 2027-05-11T17:00:00Z
    end: 2027-05-11T18:00:00Z
    registrations: []

  # Tue 18 May
  - id: signed
    start: 2027-05-18T17:00:00Z
    end: 2027-05-18T18:00:00Z
    registrations:
      - login: early
        name: Early Bird  # first to sign
        source: import
    capacity: 20

  # The end of the series.
"""
