"""Reading a wiki event page into an event: title, description, speakers, sessions, sign-up lists.

The parts each hold one concern: `wiki_text` turns wikitext or copied text into numbered lines,
`wiki_facts` reads the event-wide facts, `wiki_sessions` the sessions and their times,
`wiki_signatures` one signature. This module walks the lines once, tells sign-up lists from
other lists, gives each list's entries to the sessions it belongs to, and builds the event.

Real pages vary, so nothing here guesses silently: each line that is left out, each assumption
and each guess (a year, an end time or a zone the page does not write) is reported with its line
number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo

from signupsheet.core.model import Event, Location, Registration, Session
from signupsheet.core.schema_values import MAX_LINE
from signupsheet.core.time_text import date_text
from signupsheet.eventfiles.event_writer import event_id_for, session_ids
from signupsheet.eventfiles.schema import PathTuple
from signupsheet.eventfiles.semantic_checks import secret_leaks
from signupsheet.organizer.wiki_facts import TRIGGER, PageFacts, trigger_shape
from signupsheet.organizer.wiki_notes import ImportNote, Notes
from signupsheet.organizer.wiki_sessions import SessionDraft, SessionFinder
from signupsheet.organizer.wiki_signatures import SignatureReader, looks_signed
from signupsheet.organizer.wiki_text import Line, read_text
from signupsheet.organizer.wiki_times import SIGNATURE_TIME

__all__ = ["MAX_SESSIONS", "ImportNote", "WikiImport", "read_page"]

MAX_SESSIONS = 50


@dataclass
class WikiImport:
    """What was read from a page: the event (when it has at least one session) and the notes.

    `comments` holds comment lines for the event file, by data path, so the file explains itself
    (where the entries came from, which ones were signed after the event).
    """

    event: Event | None
    notes: list[ImportNote] = field(default_factory=list)
    comments: dict[PathTuple, list[str]] = field(default_factory=dict)
    wikitext: bool = False

    @property
    def skipped(self) -> list[ImportNote]:
        return [note for note in self.notes if note.kind == "skipped"]

    @property
    def guessed(self) -> list[ImportNote]:
        return [note for note in self.notes if note.kind == "guessed"]


@dataclass
class _Sheet:
    entries: list[tuple[int, Registration]] = field(default_factory=list)
    lines_by_name: dict[str, int] = field(default_factory=dict)


class _Lists:
    """Walks the page once: sessions as their lines come, then the sign-up lists below them."""

    def __init__(self, lines: list[Line], finder: SessionFinder, signatures: SignatureReader):
        self.lines = lines
        self.finder = finder
        self.signatures = signatures
        self.notes = signatures.notes
        self.sheets: dict[SessionDraft, _Sheet] = {}

    def read(self) -> None:
        # The sessions the next list belongs to: those the last session lines named. Sessions
        # announced one after another, with no list between (a summary line naming several
        # dates, a programme's days), share the list that follows them.
        group: list[SessionDraft] = []
        growing = True
        pending: list[tuple[Line, str]] = []  # entries before any session line
        triggered = False
        in_list = False
        decided_until = 0  # a list judged not to be a sign-up list is judged once, not per item
        for index, line in enumerate(self.lines):
            if in_list and line.reply:
                self.notes.add(line.number, "a reply under the entry above; left out")
                continue
            signed_paragraph = (
                line.item is None
                and not line.heading
                and (triggered or in_list)
                and SIGNATURE_TIME.search(line.text) is not None
            )
            if line.item is not None or signed_paragraph:
                if not in_list and index >= decided_until:
                    # A new list: it is a sign-up list if a registration line introduced it or
                    # if most of its items are signed.
                    run, decided_until = self._run_from(index)
                    signed = sum(1 for text in run if looks_signed(text))
                    in_list = triggered or (bool(run) and signed * 2 > len(run))
                    triggered = False
                    if in_list:
                        self.finder.end_programme()
                        growing = False
                        if len(group) > 1:
                            lines = ", ".join(str(session.line) for session in group)
                            self.notes.add(
                                line.number,
                                f"one list for {len(group)} sessions (lines {lines}); each "
                                "entry is put on every one of their sheets",
                                "assumed",
                            )
                if in_list:
                    body = line.item if line.item is not None else line.text
                    if line.struck:
                        self.notes.add(
                            line.number, "struck through (the person withdrew); left out"
                        )
                    elif not group:
                        pending.append((line, body))
                    else:
                        self._entry(group, line.number, body)
                    continue
            if not line.text:
                continue
            in_list = False
            announced = self.finder.read(line)
            drafts = [draft for draft, _ in announced]
            states = {state for _, state in announced}
            if not drafts or states == {"widened"}:
                pass
            elif growing and states == {"new"}:
                group += drafts
            else:
                group = drafts
                growing = states == {"new"}
            if line.heading:
                triggered = bool(TRIGGER.search(line.text))
            elif TRIGGER.search(line.text) and trigger_shape(line):
                triggered = True
        sessions = self.finder.drafts
        for line, body in pending:
            if sessions:
                self._entry(sessions[:1], line.number, body)
            else:
                self.notes.add(line.number, "a sign-up before any session date; left out")

    def _run_from(self, index: int) -> tuple[list[str], int]:
        """The items of the list that starts at `index`, and the index of the line after it."""
        run: list[str] = []
        while index < len(self.lines):
            line = self.lines[index]
            if line.text:
                if line.item is None:
                    if not line.reply:
                        break
                else:
                    run.append(line.item)
            index += 1
        return run, index

    def _entry(self, sessions: list[SessionDraft], number: int, body: str) -> None:
        entry = self.signatures.read(body, number)
        if entry is None:
            return
        for session in sessions:
            sheet = self.sheets.setdefault(session, _Sheet())
            first_line = sheet.lines_by_name.get(entry.name.casefold())
            if first_line is not None:
                self.notes.add(
                    number,
                    f"{entry.name!r} signed this list already (line {first_line}); "
                    "the first signature is kept",
                )
                continue
            sheet.lines_by_name[entry.name.casefold()] = number
            sheet.entries.append((number, replace(entry)))

    def entries(self, session: SessionDraft) -> list[tuple[int, Registration]]:
        sheet = self.sheets.get(session)
        return sheet.entries if sheet else []


def read_page(
    text: str,
    *,
    title: str | None = None,
    event_id: str | None = None,
    default_zone: tzinfo | None = None,
) -> WikiImport:
    """Read a wiki event page. `title` and `event_id` override what the page says.

    `default_zone` is the organizer's zone for times written without one; without it they are
    taken as UTC, and each is reported as a guess.
    """
    notes = Notes()
    page = read_text(text)
    facts = PageFacts(page, notes)
    zone = default_zone if default_zone is not None else UTC
    finder = SessionFinder(page.lines, notes, zone, zone_given=default_zone is not None)
    lists = _Lists(page.lines, finder, SignatureReader(notes, zone, default_zone is not None))
    found_title, title_line = facts.title()
    title = title or found_title
    lists.read()
    drafts = finder.drafts
    for draft in drafts:
        notes.extend(list(draft.guesses.values()))
    result = WikiImport(event=None, notes=notes.items, wikitext=page.wikitext)
    if not title:
        notes.add(
            0,
            "no title found on the page (wikitext does not hold the page's name); "
            "give one with --title",
        )
    if not drafts:
        notes.add(
            0,
            "no session found: the page needs a line with a date and a time, "
            "e.g. 'Date: 23 November 2022, 14:00–15:00 UTC'",  # noqa: RUF001
        )
    if len(drafts) > MAX_SESSIONS:
        notes.add(
            0, f"{len(drafts)} sessions found, more than the {MAX_SESSIONS} an event may have"
        )
    if not title or not drafts or len(drafts) > MAX_SESSIONS:
        result.notes.sort()
        return result
    if secret_leaks(title):
        notes.add(
            title_line,
            "the title holds an e-mail address or meeting link; give a title with --title",
        )
        result.notes.sort()
        return result
    event = _event(title, event_id, title_line, drafts, lists, facts)
    if event.location is None:
        notes.add(0, "no meeting platform named on the page; location left out", "assumed")
    result.event = event
    _comment_entries(result, drafts, lists, notes)
    result.notes.sort()
    return result


def announced(event: Event, now: datetime) -> datetime:
    """The `created` of an imported event: the page was up before its first signature, so the
    earliest signature (when before the import) dates it better than the import does; an old
    event moved to the site then does not show up as new in the feed."""
    signed = [
        entry.registered
        for session in event.sessions
        for entry in session.registrations
        if entry.registered is not None
    ]
    return min([now, *signed]).astimezone(UTC).replace(microsecond=0)


def _event(
    title: str,
    event_id: str | None,
    title_line: int,
    drafts: list[SessionDraft],
    lists: _Lists,
    facts: PageFacts,
) -> Event:
    several = len(drafts) > 1
    sessions: list[Session] = []
    for draft, session_id in zip(drafts, session_ids([d.start for d in drafts]), strict=True):
        label = draft.title if several and draft.title and not secret_leaks(draft.title) else None
        sessions.append(
            Session(
                id=session_id,
                start=draft.start,
                end=draft.end,
                title=label,
                registrations=[entry for _, entry in lists.entries(draft)],
            )
        )
    platform = facts.platform()
    return Event(
        id=event_id or event_id_for(drafts[0].start, title),
        title=title[:MAX_LINE],
        description=facts.description(title_line),
        speakers=facts.speakers(),
        languages=facts.languages(),
        location=Location(mode="online", platform=platform) if platform else None,
        sessions=sessions,
    )


def _comment_entries(
    result: WikiImport, drafts: list[SessionDraft], lists: _Lists, notes: Notes
) -> None:
    """Comments that make the file explain where its entries came from."""
    kind = "wikitext" if result.wikitext else "page"
    for index, draft in enumerate(drafts):
        entries = lists.entries(draft)
        if entries:
            result.comments[("sessions", index, "registrations")] = [
                f"Signatures copied from the wiki {kind}, in the page's order.",
            ]
        for position, (number, entry) in enumerate(entries):
            if entry.registered is not None and entry.registered > draft.end:
                result.comments[("sessions", index, "registrations", position)] = [
                    f"Signed on {date_text(entry.registered)}, after the "
                    "session; the true time is kept.",
                ]
                notes.add(
                    number,
                    f"{entry.name!r} signed after the session ended; kept with the true time",
                    "assumed",
                )
