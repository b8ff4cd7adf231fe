"""Who has been told, on the issue or pull request they registered with, how to get the link.

Someone due whom no address reaches gets one comment on their registration issue (or pull
request) per session. The delivery runs every ten minutes, and looking on GitHub every time
whether the comment is there already would cost a request per person per run: a thousand such
people would use up the workflow token's REST budget in one run. So each notice is recorded in
`link-notices.txt`, committed beside the event files, as a line `EVENT SESSION NUMBER`: only
public facts, the same the comment itself shows. Later runs skip whoever is recorded, without
asking GitHub.

A notice is claimed on the branch before it is posted, like `link_sent` before a message is
mailed: `git_sync.commit_and_push` re-applies the claim on a moved branch, so of two runs that
overlap only the one whose pushed commit added the line posts. A notice that then cannot be
posted has its line taken back, so a later run tries again. A run that dies between the claim
and the comment leaves that person recorded but not told: they still appear as unreachable in
every run's summary, where organizers see them.

Lines of events whose file is gone are dropped whenever the file is written, and `purge` drops
the lines of the events it purges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from signupsheet.core.project import Project
from signupsheet.core.schema_values import SLUG_PATTERN, inner
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.registration import git_sync

# At most this many notices are posted by one run; the others wait for the next run, ten
# minutes later. GitHub lets a token create about 80 pieces of content a minute and 500 an hour
# (its secondary rate limits), shared by everything using the workflow's token: six runs an hour
# post at most 90 notices, and the registration sweep keeps to 400 (its `WRITE_BUDGET`), which
# leaves a little for the pull request bot. A notice costs two requests once (listing the issue's
# comments, posting), so 180 of the 1,000 REST requests an hour at most.
NOTICE_CAP = 15

HEADER = (
    "# Meeting-link notices posted on registration issues and pull requests, written by\n"
    "# `signupsheet send-links`: EVENT SESSION NUMBER (see docs/link-delivery.md).\n"
)
_SLUG = inner(SLUG_PATTERN)
_LINE = re.compile(rf"({_SLUG}) ({_SLUG}) ([1-9][0-9]{{0,9}})")


@dataclass(frozen=True, order=True)
class Told:
    """One notice: the session, and the issue or pull request it was posted on."""

    event: str
    session: str
    number: int

    @property
    def line(self) -> str:
        return f"{self.event} {self.session} {self.number}"


def read_told(path: Path) -> set[Told]:
    """The notices recorded in `path`; comments and lines that are not notices are ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    told: set[Told] = set()
    for line in text.splitlines():
        match = _LINE.fullmatch(line.strip())
        if match:
            told.add(Told(match[1], match[2], int(match[3])))
    return told


def _write(path: Path, told: set[Told]) -> None:
    atomic_write(path, HEADER + "".join(f"{item.line}\n" for item in sorted(told)))


def _events(keys: Iterable[Told]) -> str:
    return ", ".join(sorted({key.event for key in keys}))


def claim_told(project: Project, keys: Iterable[Told], push: tuple[str, str] | None) -> set[Told]:
    """Record `keys` (on the newest `push` = (remote, branch), pushed); the ones this run added.

    Without `push` the file is only written. With it, an empty set when the branch already had
    this very commit (another run made the same claim in the same second: it is theirs).
    """
    wanted = set(keys)
    path = project.notices_path

    def change() -> tuple[set[Told], list[Path]]:
        before = read_told(path)
        kept = {item for item in before if project.event_path(item.event).is_file()}
        new = wanted - kept
        if not new and kept == before:
            return set(), []
        _write(path, kept | new)
        return new, [path]

    if push is None:
        return change()[0]
    remote, branch = push
    new, commit = git_sync.commit_and_push(
        project.root,
        change,
        f"Record meeting-link notices for {_events(wanted)}",
        remote=remote,
        branch=branch,
    )
    return new if commit is not None else set()


def release_told(project: Project, keys: Iterable[Told], push: tuple[str, str] | None) -> None:
    """Take back notices that could not be posted, so that a later run tries again."""
    gone = set(keys)
    path = project.notices_path

    def change() -> tuple[None, list[Path]]:
        before = read_told(path)
        if not before & gone:
            return None, []
        _write(path, before - gone)
        return None, [path]

    if push is None:
        change()
        return
    remote, branch = push
    git_sync.commit_and_push(
        project.root,
        change,
        f"Meeting-link notices not posted for {_events(gone)}: retried next run",
        remote=remote,
        branch=branch,
    )


def forget_event(project: Project, event_id: str) -> bool:
    """Drop the notices of `event_id` (when its sheet is purged); whether the file changed."""
    path = project.notices_path
    before = read_told(path)
    kept = {item for item in before if item.event != event_id}
    if kept == before:
        return False
    _write(path, kept)
    return True
