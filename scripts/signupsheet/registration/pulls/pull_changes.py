"""The files a pull request changes, read as data from git objects: nothing is checked out.

A pull request's code is untrusted. Its files are listed with `git diff --raw -z` between the
merge base and the head commit — what the pull request itself changed, not what happened on the
base branch meanwhile — and read with `git cat-file`, capped in size, so neither git attributes,
filters nor hooks of the pull request take part.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from signupsheet.core.errors import UserError
from signupsheet.eventfiles import untrusted_yaml

# More changed files than this is never a registration; their contents are not read.
MAX_FILES = 200
# Contents are read for at most this many files (those the caller asks for): memory stays bounded.
MAX_READ = 20
# Contents are read up to one byte more than an event file may have, so the parser can say so.
READ_LIMIT = untrusted_yaml.MAX_BYTES + 1

MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"
MODE_EXECUTABLE = "100755"
NULL_SHA = "0" * 40


@dataclass(frozen=True)
class Blob:
    """One version of a file: its size and its first READ_LIMIT bytes."""

    sha: str
    size: int
    data: bytes

    @property
    def loaded(self) -> bool:
        """Whether `data` is the whole content (not when unread or over READ_LIMIT)."""
        return self.size >= 0 and len(self.data) == self.size

    @property
    def binary(self) -> bool:
        # git's own test: a NUL byte in the first 8000 bytes.
        return b"\0" in self.data[:8000]


@dataclass(frozen=True)
class FileChange:
    """One changed path: git's status letter (A, M, D, R, C, T), modes and both versions."""

    status: str
    path: str
    old_path: str | None
    old_mode: str
    new_mode: str
    old: Blob | None = None
    new: Blob | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        if self.old_path is None or self.old_path == self.path:
            return (self.path,)
        return (self.old_path, self.path)

    @property
    def symlink(self) -> bool:
        return MODE_SYMLINK in (self.old_mode, self.new_mode)

    @property
    def submodule(self) -> bool:
        return MODE_SUBMODULE in (self.old_mode, self.new_mode)


@dataclass(frozen=True)
class Changes:
    base: str
    head: str
    merge_base: str
    files: tuple[FileChange, ...]
    # The diff listed more files than MAX_FILES; `files` holds the first ones, unread.
    truncated: bool = False


class RevisionError(UserError):
    """A revision given on the command line does not name a commit."""


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(
        ["git", "-C", str(repo), "--no-pager", *args],
        input=stdin,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        raise RevisionError(f"git {args[0]} failed: {message}")
    return result.stdout


def resolve(repo: Path, revision: str) -> str:
    """The full commit SHA of `revision`; an error naming the revision when there is none."""
    if revision.startswith("-"):
        raise RevisionError(f"{revision!r} is not a revision")
    try:
        return (
            _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
            .decode("ascii")
            .strip()
        )
    except RevisionError:
        raise RevisionError(
            f"{revision!r} is not a commit in {repo}; fetch it first "
            "(e.g. git fetch origin refs/pull/N/head)"
        ) from None


def parse_raw(output: bytes) -> list[FileChange]:
    """Parse `git diff --raw -z` output: `:modes shas status NUL path NUL [path NUL]`."""
    # Paths are only shown and matched, never handed back to git (blobs go by SHA), so bytes
    # that are not UTF-8 may become U+FFFD.
    fields = output.split(b"\0")
    changes: list[FileChange] = []
    index = 0
    while index < len(fields) and fields[index]:
        header = fields[index].decode("ascii")
        old_mode, new_mode, old_sha, new_sha, status = header.lstrip(":").split(" ")
        letter = status[0]
        if letter in "RC":
            old_path = fields[index + 1].decode("utf-8", errors="replace")
            path = fields[index + 2].decode("utf-8", errors="replace")
            index += 3
        else:
            path = fields[index + 1].decode("utf-8", errors="replace")
            old_path = path
            index += 2
        changes.append(
            FileChange(
                status=letter,
                path=path,
                old_path=old_path,
                old_mode=old_mode,
                new_mode=new_mode,
                old=None if old_sha == NULL_SHA else Blob(old_sha, -1, b""),
                new=None if new_sha == NULL_SHA else Blob(new_sha, -1, b""),
            )
        )
    return changes


def read_blobs(repo: Path, shas: list[str], contents: set[str]) -> dict[str, Blob]:
    """Sizes of all blobs in one `cat-file --batch-check`, then the contents of those in
    `contents` that are not larger than an event file may be (their data stays empty)."""
    if not shas:
        return {}
    unique = sorted(set(shas))
    checked = _git(
        repo, "cat-file", "--batch-check", stdin="".join(f"{s}\n" for s in unique).encode()
    )
    sizes: dict[str, int] = {}
    for line in checked.decode("ascii").splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[1] == "blob":
            sizes[parts[0]] = int(parts[2])
    small = [sha for sha in unique if sha in contents and 0 <= sizes.get(sha, -1) < READ_LIMIT]
    blobs = {sha: Blob(sha, sizes[sha], b"") for sha in unique if sha in sizes}
    if small:
        output = _git(repo, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in small).encode())
        offset = 0
        for sha in small:
            end = output.index(b"\n", offset)
            size = int(output[offset:end].split(b" ")[2])
            start = end + 1
            blobs[sha] = Blob(sha, size, output[start : start + size])
            offset = start + size + 1
    return blobs


def _with_contents(change: FileChange, blobs: dict[str, Blob]) -> FileChange:
    def pick(blob: Blob | None) -> Blob | None:
        return None if blob is None else blobs.get(blob.sha, blob)

    return FileChange(
        status=change.status,
        path=change.path,
        old_path=change.old_path,
        old_mode=change.old_mode,
        new_mode=change.new_mode,
        old=pick(change.old),
        new=pick(change.new),
    )


def read_changes(
    repo: Path, base: str, head: str, read: Callable[[FileChange], bool] = lambda change: True
) -> Changes:
    """What `head` changed since it forked from `base`, with both versions of the files to `read`.

    At most MAX_READ files are read; symlinks and submodules never (a symlink's "content" is its
    target). Every listed blob's size is known.
    """
    base_sha = resolve(repo, base)
    head_sha = resolve(repo, head)
    merge_base = _git(repo, "merge-base", base_sha, head_sha).decode("ascii").strip()
    raw = _git(
        repo,
        "-c",
        "core.quotePath=false",
        "diff",
        "--raw",
        "-z",
        "--no-abbrev",
        "--find-renames",
        "--no-ext-diff",
        "--no-textconv",
        merge_base,
        head_sha,
        "--",
    )
    files = parse_raw(raw)
    truncated = len(files) > MAX_FILES
    if truncated:
        return Changes(base_sha, head_sha, merge_base, tuple(files[:MAX_FILES]), truncated=True)
    readable = [
        change for change in files if not (change.symlink or change.submodule) and read(change)
    ][:MAX_READ]
    wanted = [
        blob.sha for change in readable for blob in (change.old, change.new) if blob is not None
    ]
    listed = [
        blob.sha
        for change in files
        if not change.submodule
        for blob in (change.old, change.new)
        if blob is not None
    ]
    blobs = read_blobs(repo, listed, set(wanted))
    return Changes(
        base_sha,
        head_sha,
        merge_base,
        tuple(_with_contents(change, blobs) for change in files),
    )
