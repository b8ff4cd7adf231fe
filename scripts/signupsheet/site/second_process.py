"""A second process for large sites: it loads about half of the events and makes their pages, then
makes the calendars, feed and events.json while the site engine renders the pages.

On a machine with more than one CPU the build and the second process each load about half of the
event files (parse, check, make the events) and make those events' pages, sign-up sheets
included. The second process hands over its pages and the data of its valid events
(`marshal`: plain dicts, lists and text); the build makes the same events of that data without
checking it again, so it has every event and page after half the work. The build then hands
the data of its own half over, and the second process makes the data files, which need every
event but no site engine, while the engine spends its time on Markdown and templates.

It is started fresh (`spawn`), never forked from a process that may run threads. Both
processes make every event of the same data, so the pages and the data files agree even when a
file changes during the build. If the second process dies, the build does its work itself
(after the handover of the pages, by loading the events again for the data files).
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import traceback
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from signupsheet.core.errors import Problem
from signupsheet.core.model import Event, event_from_data
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import sort_events
from signupsheet.eventfiles.gc_pause import gc_paused
from signupsheet.site.generation import SiteOptions, SitePart, data_files, site_part
from signupsheet.site.pages import PageSource, SiteContext, event_page_path


@dataclass(frozen=True)
class Job:
    root: Path  # the project: events/ and schema/
    ctx: SiteContext
    options: SiteOptions
    share: list[Path]  # the event files this process loads
    # Events or files per message: neither process holds a second copy of everything.
    per_message: int = 500


_SENT = marshal.dumps(("sent",))


def _chunks(items: dict[str, Any], size: int) -> Iterator[dict[str, Any]]:
    """`items` a few at a time, taken out of it as they go."""
    names = list(items)
    for start in range(0, len(names), size):
        yield {name: items.pop(name) for name in names[start : start + size]}


def _work(job: Job, line: Connection) -> None:
    """The second process: load its share and make its pages, then make the data files.

    Every message is a marshalled tuple. It sends ("part", data, pages) for some of its events
    at a time, then ("loaded", problems); receives ("events", data) until ("sent",); sends
    ("files", some of them) until ("done",). In place of any message it sends: ("failed", its
    traceback).
    """
    try:
        part = site_part(Project(job.root), job.share, job.ctx, keep_data=True)
        for data in _chunks(part.data, job.per_message):
            pages = {}
            for event_id in data:
                path = event_page_path(event_id)
                page = part.pages.pop(path)
                pages[path] = (page.markdown, page.indexed, page.late)
            line.send_bytes(marshal.dumps(("part", data, pages)))
        problems = [astuple(problem) for problem in part.problems]
        line.send_bytes(marshal.dumps(("loaded", problems)))
        events = part.events
        del part
        # Taken as they come, so the build does not wait for this process to make the events.
        received = []
        while (message := line.recv_bytes()) != _SENT:
            received.append(message)
        while received:
            # Both ends of this private pipe are this module, in processes of the same build.
            events += _events(marshal.loads(received.pop())[1])  # noqa: S302
        sort_events(events)
        files = data_files(events, job.ctx, job.options)
        # The build takes the files only when MkDocs is about to copy them: wait for that
        # without the events.
        del events
        for chunk in _chunks(files, job.per_message):
            line.send_bytes(marshal.dumps(("files", chunk)))
        line.send_bytes(marshal.dumps(("done",)))
    except (BrokenPipeError, ConnectionResetError, EOFError):
        pass  # the build gave up on this process
    except BaseException:
        line.send_bytes(marshal.dumps(("failed", traceback.format_exc())))
        raise
    finally:
        line.close()


def _events(data: dict[str, Any]) -> list[Event]:
    """The events of data that the other process checked (`load_catalog(keep_data=True)`)."""
    with gc_paused():
        return [event_from_data(event_id, value) for event_id, value in data.items()]


class BackgroundError(RuntimeError):
    """The second process raised an error: a bug, reported with its traceback."""


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class SecondProcess:
    """A second process that loads `share` of the event files, then makes the data files."""

    def __init__(
        self,
        root: Path,
        ctx: SiteContext,
        options: SiteOptions,
        share: list[Path],
        per_message: int = 500,
    ) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._pipe, theirs = spawn.Pipe(duplex=True)
        self._per_message = per_message
        job = Job(root, ctx, options, share, per_message)
        self._process = spawn.Process(target=_work, args=(job, theirs), daemon=True)
        self._process.start()
        theirs.close()  # the child's end: EOF here once the child is gone
        self._alive = True

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def _receive(self) -> tuple[Any, ...] | None:
        """The next message of the second process; None if it is gone."""
        if not self._alive:
            return None
        try:
            message: tuple[Any, ...] = marshal.loads(self._pipe.recv_bytes())  # noqa: S302
        except EOFError:
            self._alive = False
            return None
        if message[0] == "failed":
            self._alive = False
            raise BackgroundError(f"the second process of the build failed:\n{message[1]}")
        return message

    def loaded(self) -> SitePart | None:
        """Its share's events, problems and pages; None if it died first."""
        part = SitePart()
        while (message := self._receive()) is not None and message[0] == "part":
            _, data, pages = message
            part.events += _events(data)
            part.pages.update((path, PageSource(*page)) for path, page in pages.items())
        if message is None:
            return None
        part.problems = [Problem(*problem) for problem in message[1]]
        return part

    def make_files(self, data: dict[str, Any]) -> None:
        """Hand over the data of the other events (taken out of `data` as it goes): it makes the
        data files of all of them."""
        if not self._alive:
            return
        try:
            for chunk in _chunks(data, self._per_message):
                self._pipe.send_bytes(marshal.dumps(("events", chunk)))
            self._pipe.send_bytes(_SENT)
        except (BrokenPipeError, ConnectionResetError):
            self._alive = False

    def files(self, paths: list[str]) -> dict[str, str | bytes] | None:
        """Wait for the data files: None if it died without them (e.g. killed for memory).

        A Python error in it is raised with its traceback (unless it happened while the build
        was still handing its data over: then it counts as died).
        """
        files: dict[str, str | bytes] = {}
        while (message := self._receive()) is not None and message[0] == "files":
            files.update(message[1])
        self._process.join()
        if message is None:
            return None
        return files if sorted(files) == sorted(paths) else None

    def close(self) -> None:
        """Stop the second process if it still runs."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._pipe.close()
