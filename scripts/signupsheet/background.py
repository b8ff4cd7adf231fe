"""A second process for large sites: it parses half of the event files for the build, then
makes the calendars, feed and events.json while the site engine renders the pages.

On a machine with more than one CPU the build and the second process each parse half of the
event files, and the second process hands its half's data over (`marshal`: plain dicts, lists
and text), so the build has every event after half the parsing. The second process then loads
all events itself and makes the data files, which need no site engine, while the engine spends
its time on Markdown and templates, and hands them over.

It is started fresh (`spawn`), never forked from a process that may run threads. Parsed data
counts only for a file whose bytes have the hash that came with it, and the files only if the
second process read exactly the event files the build read (the same catalog digest); otherwise
the build parses or makes them itself.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from signupsheet.catalog import Preparsed, load_catalog, parse_files
from signupsheet.pages import SiteContext
from signupsheet.project import Project
from signupsheet.sitegen import SiteOptions, data_files


@dataclass(frozen=True)
class DataJob:
    root: Path  # the project: events/ and schema/
    ctx: SiteContext
    options: SiteOptions
    share: list[Path]  # the event files this process parses for both


def make_data_files(job: DataJob, preparsed: Preparsed) -> tuple[str, dict[str, str | bytes]]:
    """Load the events and make their files: the catalog's digest, and path -> content."""
    catalog = load_catalog(Project(job.root), preparsed=preparsed)
    if catalog.problems:  # the build reports them
        return catalog.digest, {}
    return catalog.digest, data_files(catalog.events, job.ctx, job.options)


def _work(job: DataJob, line: Connection) -> None:
    """The second process: parse its share for the build, then load all and make the files.

    Every message is a marshalled tuple: ("parsed", data of its share), then ("done", digest,
    files); or ("failed", its traceback) in place of either.
    """
    try:
        preparsed = parse_files(job.share)
        line.send_bytes(marshal.dumps(("parsed", preparsed)))
        # It parses the build's half itself, file by file: receiving that half's data at once
        # would cost more memory, at the time the build needs the most.
        line.send_bytes(marshal.dumps(("done", *make_data_files(job, preparsed))))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the build gave up on this process
    except BaseException:
        line.send_bytes(marshal.dumps(("failed", traceback.format_exc())))
        raise
    finally:
        line.close()


class BackgroundError(RuntimeError):
    """The second process raised an error: a bug, reported with its traceback."""


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class BackgroundFiles:
    """A second process that parses `share` of the event files and makes the data files."""

    def __init__(
        self, root: Path, ctx: SiteContext, options: SiteOptions, share: list[Path]
    ) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._line, theirs = spawn.Pipe(duplex=True)
        job = DataJob(root, ctx, options, share)
        self._process = spawn.Process(target=_work, args=(job, theirs), daemon=True)
        self._process.start()
        theirs.close()  # the child's end: EOF here once the child is gone
        self._alive = True

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def _receive(self) -> tuple[Any, ...] | None:
        """The next message of the second process; None if it is gone."""
        try:
            # Both ends of this private pipe are this module, in processes of the same build.
            message: tuple[Any, ...] = marshal.loads(self._line.recv_bytes())  # noqa: S302
        except EOFError:
            self._alive = False
            return None
        if message[0] == "failed":
            self._alive = False
            raise BackgroundError(f"the second process of the build failed:\n{message[1]}")
        return message

    def parsed(self) -> Preparsed:
        """The data of the files the second process parsed: {} if it died."""
        message = self._receive()
        theirs: Preparsed = {} if message is None else message[1]
        return theirs

    def files(self, digest: str, paths: list[str]) -> dict[str, str | bytes] | None:
        """Wait for the second process: its files, if it made `paths` from the events of `digest`.

        None when it read other files (one changed in between) or died without an answer
        (e.g. killed for memory); a Python error in it is raised with its traceback.
        """
        message = self._receive() if self._alive else None
        self._process.join()
        if message is None:
            return None
        _, their_digest, files = message
        if their_digest != digest or sorted(files) != sorted(paths):
            return None
        return dict(files)

    def close(self) -> None:
        """Stop the second process if it still runs."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._line.close()
