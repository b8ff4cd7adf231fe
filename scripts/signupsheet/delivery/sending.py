"""Sending the meeting link to everyone due, once, and recording that it was sent.

One pass: replay the journal of an interrupted run, find who is due (`delivery.due_registrations`),
resolve each address (the contacts secret first, then the public e-mail of the GitHub profile),
send over one connection, and record `link_sent` in the event files.

Two ways of recording, for two situations:

- **Locally** (no push), each accepted message is noted in the journal at once and `link_sent`
  is written at the end: a run that is killed is caught up by the next one on the same disk.
- **With a push** (the workflows), several runs may overlap — the scheduled one and the one
  after a sign-up — and each runs on a machine of its own. So the branch itself decides: before
  sending, a run commits `link_sent` for the people it is about to mail and pushes it (a *claim*;
  `git_sync.commit_and_push` re-applies it on a moved branch, so a claim only covers entries
  still unmarked on the newest main). Only what its own pushed commit marked is sent; whoever
  another run claimed first is left alone. A message that is then not accepted (refused, server
  down) has its mark taken back in a second commit, so the next run retries.

Nothing here prints: the caller gets a `DeliveryReport` that names people by login only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from signupsheet.core.errors import ConfigurationError, Problem, ProblemsError
from signupsheet.core.inert_markdown import inert_markdown
from signupsheet.core.links_due import (
    DEFAULT_CHECKPOINT,
    DEFAULT_REPORT_AFTER_MINUTES,
    Due,
    EntryKey,
    apply_marks,
    due_registrations,
)
from signupsheet.core.model import Event, Registration, Session, format_timestamp
from signupsheet.core.project import Project
from signupsheet.core.rules import BanCheck
from signupsheet.core.time_text import span_text
from signupsheet.delivery.link_mail import (
    MailSettings,
    build_ics,
    build_message,
    settings_from_env,
)
from signupsheet.delivery.mailer import (
    SendRefused,
    Transport,
    TransportDown,
    secrets_of,
    transport_from_env,
)
from signupsheet.delivery.notices_told import NOTICE_CAP, Told, claim_told, read_told, release_told
from signupsheet.delivery.secrets import (
    CONTACTS_VARIABLE,
    LINKS_VARIABLE,
    Contacts,
    MeetingLinks,
    mask_candidates,
    parse_contacts,
    parse_meeting_links,
    valid_address,
)
from signupsheet.delivery.sent_journal import SentJournal
from signupsheet.delivery.sent_marks import record_in_file
from signupsheet.eventfiles.catalog import check_file, load_catalog
from signupsheet.eventfiles.sheet_editing import write_sheets
from signupsheet.github.actions import print_masks
from signupsheet.github.contact_lookup import (
    GitHubIssueNotices,
    GitHubProfiles,
    IssueNotices,
    LookupUnavailable,
    NoProfiles,
    NoticeImpossible,
    NoticesLimited,
    ProfileAnswer,
    ProfileLookup,
    github_from_env,
)
from signupsheet.registration import git_sync
from signupsheet.registration.applying import ban_check
from signupsheet.registration.contact_check import KEY_VARIABLE, contact_key, sealed_address
from signupsheet.site.urls import PublishedSite, published_site

DeliveryStatus = Literal[
    "sent", "would-send", "unreachable", "refused", "no-link", "deferred", "not-sent"
]
Source = Literal["contacts", "sealed", "profile"]
STATUSES: tuple[DeliveryStatus, ...] = (
    "sent",
    "would-send",
    "unreachable",
    "refused",
    "no-link",
    "deferred",
    "not-sent",
)

T = TypeVar("T")
DEFAULT_REPORT_AFTER = timedelta(minutes=DEFAULT_REPORT_AFTER_MINUTES)
NOTICE_MARKER = "<!-- signupsheet:link-unreachable {where} -->"


@dataclass(frozen=True)
class DeliveryConfig:
    links: MeetingLinks
    contacts: Contacts
    mail: MailSettings
    # SIGNUPSHEET_CONTACT_KEY, which opens the sealed contacts of the entries (None: not set).
    contact_key: str | None = None

    def secrets(self) -> list[str]:
        key = [self.contact_key] if self.contact_key else []
        return [*self.links.secrets(), *self.contacts.secrets(), *key]


def config_from_env(
    environ: Mapping[str, str], site: PublishedSite | None = None
) -> DeliveryConfig:
    """Both secrets and the mail settings; every problem of both secrets is reported together."""
    problems: list[Problem] = []
    links = MeetingLinks()
    contacts = Contacts()
    try:
        links = parse_meeting_links(environ.get(LINKS_VARIABLE))
    except ProblemsError as error:
        problems.extend(error.problems)
    try:
        contacts = parse_contacts(environ.get(CONTACTS_VARIABLE))
    except ProblemsError as error:
        problems.extend(error.problems)
    try:
        key = contact_key(environ)
    except ConfigurationError as error:
        # Reported with the other secrets' problems, as the configuration error it is.
        raise ConfigurationError("\n".join([*map(str, problems), str(error)])) from None
    if problems:
        raise ProblemsError(problems)
    return DeliveryConfig(links, contacts, settings_from_env(environ, site), key)


@dataclass
class DeliveryOutcome:
    """What happened to one due registrant. Never holds an address or a link."""

    event: str
    session: str
    login: str | None
    position: int
    status: DeliveryStatus
    source: Source | None = None
    reason: str | None = None
    code: int | None = None
    since: datetime | None = None
    repeated: bool = False
    notified: bool = False
    private: bool = False  # the person chose not to be listed: logs show the place on the sheet

    @property
    def who(self) -> str:
        if self.private:
            return f"entry {self.position} (private)"
        return self.login if self.login else f"entry {self.position} (no login)"

    @property
    def where(self) -> str:
        return f"{self.event}/{self.session}"

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "session": self.session,
            "login": None if self.private else self.login,
            "position": self.position,
            "status": self.status,
            "source": self.source,
            "reason": self.reason,
            "code": self.code,
            "repeated": self.repeated,
            "notified": self.notified,
        }


@dataclass(frozen=True)
class PushTarget:
    remote: str = "origin"
    branch: str = "main"


@dataclass
class DeliveryReport:
    now: datetime
    dry_run: bool
    transport: str
    outcomes: list[DeliveryOutcome] = field(default_factory=list)
    down: str | None = None
    problems: list[Problem] = field(default_factory=list)
    unknown_link_lines: list[int] = field(default_factory=list)
    recorded: int = 0
    replayed: int = 0
    commit: str | None = None
    push_error: str | None = None
    notice_errors: int = 0
    # Notices owed but left for a later run (see `notices_told.NOTICE_CAP`).
    notices_waiting: int = 0

    def with_status(self, *statuses: DeliveryStatus) -> list[DeliveryOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status in statuses]

    @property
    def failed(self) -> bool:
        """Something the organizers must look at: the workflow run turns red."""
        return bool(
            self.down
            or self.push_error
            or self.problems
            or self.with_status("no-link")
            or any(outcome.repeated for outcome in self.outcomes)
        )

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "now": format_timestamp(self.now),
            "dry_run": self.dry_run,
            "transport": self.transport,
            "outcomes": [outcome.to_json() for outcome in self.outcomes],
            "counts": {status: len(self.with_status(status)) for status in STATUSES},
            "down": self.down,
            "problems": [str(problem) for problem in self.problems],
            "unknown_link_lines": self.unknown_link_lines,
            "recorded": self.recorded,
            "replayed": self.replayed,
            "commit": self.commit,
            "push_error": self.push_error,
            "notices_waiting": self.notices_waiting,
        }


def unreachable_notice(event: Event, session: Session) -> tuple[str, str]:
    """The marker and text of the comment telling someone on their issue how to get the link."""
    where = f"{event.id}/{session.id}"
    marker = NOTICE_MARKER.format(where=where)
    when = span_text(session.start, session.end)
    body = (
        f"{marker}\n"
        f"**About the meeting link for {inert_markdown(event.title)}** ({when})\n\n"
        "The link is sent by e-mail shortly before the session, but we have no e-mail address "
        "for you. To get it, add a **sealed** address to the registration you already have: "
        "type your address and login into “E-mail for the meeting link” on the event's page and "
        "press “Seal and register” (the form it opens shows the sealed text), or run "
        f"`signupsheet seal-contact --user YOUR-LOGIN --event {event.id} YOUR-ADDRESS`; then "
        "edit this issue and paste the sealed text into "
        "“Sealed e-mail for the meeting link” (in a pull request: add it as `contact:` to your "
        "entry). Only the site's workflow can read it; the next run picks it up. Or make an "
        "address public on your GitHub profile (Settings → Public profile → Public email), or "
        "contact the organizers privately.\n\n"
        "Please do not post your address in clear here — this page is public."
    )
    return marker, body


def _notice_number(source: str | None) -> int | None:
    if source is None:
        return None
    kind, _, number = source.partition(":")
    return int(number) if kind in ("issue", "pr") and number.isdigit() else None


@dataclass
class _Pass:
    """The state of one delivery pass."""

    config: DeliveryConfig
    transport: Transport
    profiles: ProfileLookup
    journal: SentJournal
    now: datetime
    dry_run: bool
    report_after: timedelta
    marks: dict[EntryKey, datetime]
    report: DeliveryReport
    invitations: dict[tuple[str, str], bytes] = field(default_factory=dict)
    # What the public profiles said, by casefolded login: each person is looked up once a run.
    public: dict[str, ProfileAnswer] = field(default_factory=dict)

    def direct(self, login: str, due: Due) -> tuple[str | None, Source | None]:
        """The address from the contacts secret or the entry's sealed contact, if any."""
        address = self.config.contacts.address(login)
        if address is not None:
            return address, "contacts"
        address = sealed_address(self.config.contact_key, due.registration, due.event.id)
        if address is not None:
            return address, "sealed"
        return None, None

    def look_up(self, due: Iterable[Due]) -> None:
        """Read the public profiles of everyone in `due` whom neither secret reaches and who has
        a link to be sent, in as few requests as the lookup allows (GraphQL: 100 a query)."""
        wanted: dict[str, str] = {}
        for item in due:
            login = item.registration.login
            if (
                item.key is None
                or login is None
                or login.casefold() in self.public
                or login.casefold() in wanted
                or self.config.links.for_session(item.event.id, item.session.id) is None
                or self.direct(login, item)[0] is not None
            ):
                continue
            wanted[login.casefold()] = login
        if wanted:
            self.public.update(self.profiles.public_emails(list(wanted.values())))

    def resolve(self, login: str, due: Due) -> tuple[str | None, Source | None]:
        address, source = self.direct(login, due)
        if address is not None:
            return address, source
        if login.casefold() not in self.public:
            self.look_up([due])
        answer = self.public.get(login.casefold())
        if isinstance(answer, LookupUnavailable):
            raise LookupUnavailable(str(answer))
        if answer is not None and valid_address(answer):
            return answer, "profile"
        return None, None

    def prepare(self, due: Due) -> tuple[DeliveryOutcome, _Ready | None]:
        """Everything before sending: the entry, the link, the address; what is ready to send."""
        entry = due.registration
        outcome = DeliveryOutcome(
            due.event.id,
            due.session.id,
            entry.login,
            due.position,
            "not-sent",
            since=due.since,
            private=not entry.public,
        )
        key = due.key
        if key is None or entry.login is None:
            outcome.status = "unreachable"
            outcome.reason = "the entry has no GitHub login"
            return outcome, None
        link = self.config.links.for_session(due.event.id, due.session.id)
        if link is None:
            outcome.status = "no-link"
            outcome.reason = (
                f"{LINKS_VARIABLE} has no link for {due.event.id} or {due.where}; add one"
            )
            return outcome, None
        try:
            address, source = self.resolve(entry.login, due)
        except LookupUnavailable as error:
            outcome.status = "deferred"
            outcome.reason = f"could not look up the GitHub profile ({error}); retried next run"
            return outcome, None
        if address is None:
            outcome.status = "unreachable"
            outcome.reason = (
                f"no public e-mail on the GitHub profile and none in {CONTACTS_VARIABLE}"
            )
            return outcome, None
        outcome.source = source
        if self.dry_run:
            outcome.status = "would-send"
            return outcome, None
        if self.report.down is not None:
            outcome.reason = "not attempted: the mail server is unavailable"
            return outcome, None
        return outcome, _Ready(due, outcome, key, link, address)

    def send(self, ready: _Ready) -> bool:
        """Send one message; whether the server accepted it (the outcome says the rest)."""
        due, outcome = ready.due, ready.outcome
        if self.report.down is not None:
            outcome.reason = "not attempted: the mail server is unavailable"
            return False
        ics_key = (due.event.id, due.session.id)
        if ics_key not in self.invitations:
            self.invitations[ics_key] = build_ics(due.event, due.session, ready.link, self.now)
        message = build_message(
            due.event,
            due.session,
            due.registration,
            link=ready.link,
            recipient=ready.address,
            settings=self.config.mail,
            now=self.now,
            ics=self.invitations[ics_key],
        )
        try:
            self.transport.send(message, ready.address)
        except SendRefused as error:
            outcome.status = "refused"
            outcome.code = error.code
            outcome.repeated = self.now - due.since >= self.report_after
            outcome.reason = (
                f"refused by the mail server (reply code {error.code}); retried next run"
            )
            return False
        except TransportDown as error:
            self.report.down = str(error)
            outcome.reason = "not sent: the mail server is unavailable"
            return False
        outcome.status = "sent"
        return True

    def handle(self, due: Due) -> DeliveryOutcome:
        """Prepare and send one message, noting it in the journal (the local way)."""
        outcome, ready = self.prepare(due)
        if ready is not None and self.send(ready):
            # Noted before anything else happens: from here on a crash must not cause a resend.
            self.journal.record(ready.key, self.now)
            self.marks[ready.key] = self.now
            due.registration.link_sent = self.now
        return outcome


@dataclass
class _Ready:
    """A message that can be sent: the entry, its outcome so far, the link and the address."""

    due: Due
    outcome: DeliveryOutcome
    key: EntryKey
    link: str
    address: str


def deliver(
    project: Project,
    *,
    now: datetime,
    config: DeliveryConfig,
    transport: Transport,
    profiles: ProfileLookup,
    journal: SentJournal,
    notices: IssueNotices | None = None,
    push: PushTarget | None = None,
    dry_run: bool = False,
    only: Iterable[EntryKey] | None = None,
    banned: BanCheck | None = None,
    report_after: timedelta = DEFAULT_REPORT_AFTER,
    checkpoint: int | None = DEFAULT_CHECKPOINT,
) -> DeliveryReport:
    """Send the link to everyone due at `now` (or only to `only`), and record it.

    Banned people are left out wherever their entry came from: no link, no notice, and no line
    in the report (which is a public log: it must not tell who is banned).

    With `push`, people are claimed on the branch before they are mailed, `checkpoint` at a time
    (see the module's description): two runs that overlap never mail one person the same
    session's link twice, and a run that dies mid-way leaves at most that many marked whose
    message was not sent. When a claim cannot be pushed nothing more is sent (`push_error`).
    """
    report = DeliveryReport(now=now, dry_run=dry_run, transport=transport.description)
    marks = journal.read()
    report.replayed = len(marks)
    catalog = load_catalog(project)
    report.problems = list(catalog.problems)
    report.unknown_link_lines = config.links.unknown_key_lines(catalog.events)
    for event in catalog.events:
        apply_marks(event, marks)
    due = due_registrations(catalog.events, now)
    if banned is not None:
        due = [item for item in due if not (item.key and banned(item.key.login))]
    if only is not None:
        wanted = set(only)
        due = [item for item in due if item.key in wanted]
    state = _Pass(config, transport, profiles, journal, now, dry_run, report_after, marks, report)
    state.look_up(due)
    try:
        if push is not None and not dry_run:
            _claim_and_send(state, project, due, push, checkpoint or len(due) or 1)
        else:
            report.outcomes += [state.handle(item) for item in due]
    finally:
        transport.close()
        journal.close()
    if not dry_run:
        _notify(report, project, catalog.events, notices, push)
        if marks:
            _record(report, project, marks, journal, push)
    return report


def _claim_and_send(
    state: _Pass, project: Project, due: Sequence[Due], push: PushTarget, batch: int
) -> None:
    """Claim on the branch, then send, `batch` people at a time; take back what was not sent."""
    report, now = state.report, state.now
    for start in range(0, len(due), batch):
        prepared = [state.prepare(item) for item in due[start : start + batch]]
        report.outcomes += [outcome for outcome, _ in prepared]
        ready = [item for _, item in prepared if item is not None]
        if report.push_error is not None:
            for item in ready:
                item.outcome.reason = "not sent: link_sent could not be pushed first"
            continue
        if not ready:
            continue
        try:
            claimed, commit = claim_marks(project, [item.key for item in ready], now, push)
        except git_sync.GitError as error:
            report.push_error = str(error)
            for item in ready:
                item.outcome.reason = "not sent: link_sent could not be pushed first"
            continue
        report.commit = commit or report.commit
        unsent: list[EntryKey] = []
        for item in ready:
            if item.key not in claimed:
                item.outcome.reason = "claimed by another run at the same time"
            elif state.send(item):
                report.recorded += 1
            else:
                unsent.append(item.key)
        if unsent:
            try:
                report.commit = release_marks(project, unsent, now, push) or report.commit
            except git_sync.GitError as error:
                # They stay marked without a message: the run fails so that someone looks.
                report.push_error = str(error)


def _entries(
    project: Project, keys: Iterable[EntryKey]
) -> Iterator[tuple[Path, Event, set[EntryKey]]]:
    """Each event file named by `keys`, freshly read and valid, with its keys."""
    by_event: dict[str, set[EntryKey]] = {}
    for key in keys:
        by_event.setdefault(key.event, set()).add(key)
    for event_id, group in sorted(by_event.items()):
        path = project.event_path(event_id)
        if not path.is_file():
            continue
        result = check_file(path, project)
        if result.event is not None:
            yield path, result.event, group


def claim_marks(
    project: Project, keys: Sequence[EntryKey], when: datetime, push: PushTarget
) -> tuple[set[EntryKey], str | None]:
    """Mark `keys` as sent on the newest branch and push; the ones this run's commit marked.

    Only entries that are confirmed and still unmarked on the branch are taken; the change is
    re-applied after every rejected push, so what is returned is exactly what the pushed commit
    marked. An empty set when nothing was left, or when the branch already had this very commit
    (another run made the same claim in the same second: it is theirs).
    """

    def change() -> tuple[set[EntryKey], list[Path]]:
        claimed: set[EntryKey] = set()
        written: list[Path] = []
        for path, event, group in _entries(project, keys):
            free = {
                key: when
                for key, entry in _named(event, group)
                if entry.link_sent is None and entry.confirmed
            }
            if free and record_in_file(path, project, event, free):
                written.append(path)
                claimed.update(free)
        return claimed, written

    claimed, commit = _push(project, change, "Record meeting links sent for {events}", keys, push)
    return (claimed if commit is not None else set()), commit


def release_marks(
    project: Project, keys: Sequence[EntryKey], when: datetime, push: PushTarget
) -> str | None:
    """Take back this run's marks (`link_sent` equal to `when`) of messages that were not sent,
    so that the next run tries again; the pushed commit."""

    def change() -> tuple[None, list[Path]]:
        written: list[Path] = []
        for path, event, group in _entries(project, keys):
            ours = [entry for _, entry in _named(event, group) if entry.link_sent == when]
            for entry in ours:
                entry.link_sent = None
            if ours:
                write_sheets(path, event)
                written.append(path)
        return None, written

    message = "Meeting links not sent for {events}: retried next run"
    _, commit = _push(project, change, message, keys, push)
    return commit


def _named(event: Event, keys: set[EntryKey]) -> Iterator[tuple[EntryKey, Registration]]:
    """The entries of `event` that `keys` name."""
    for session in event.sessions:
        for entry in session.registrations:
            if (
                entry.login is not None
                and (key := EntryKey.of(event, session, entry.login)) in keys
            ):
                yield key, entry


def _push(
    project: Project,
    change: Callable[[], tuple[T, Sequence[Path]]],
    message: str,
    keys: Iterable[EntryKey],
    push: PushTarget,
) -> tuple[T, str | None]:
    """Commit and push `change` with `message`, which names the events (nobody)."""
    events = ", ".join(sorted({key.event for key in keys}))
    return git_sync.commit_and_push(
        project.root,
        change,
        message.format(events=events),
        remote=push.remote,
        branch=push.branch,
    )


def _record(
    report: DeliveryReport,
    project: Project,
    marks: dict[EntryKey, datetime],
    journal: SentJournal,
    push: PushTarget | None,
) -> None:
    try:
        count, commit = record_marks(project, marks, journal, push)
    except git_sync.GitError as error:
        # The journal still holds the marks: the next run records them, sending nothing.
        report.push_error = str(error)
        return
    report.push_error = None
    report.recorded += count
    report.commit = commit or report.commit


def _notify(
    report: DeliveryReport,
    project: Project,
    events: list[Event],
    notices: IssueNotices | None,
    push: PushTarget | None,
) -> None:
    """Tell the unreachable, and those refused repeatedly, on their registration issue or pull
    request: once per session (`link-notices.txt` remembers), at most `NOTICE_CAP` a run."""
    if notices is None:
        return
    by_id = {event.id: event for event in events}
    wanted: dict[Told, tuple[DeliveryOutcome, str, str]] = {}
    for outcome in report.outcomes:
        if outcome.login is None:
            continue
        if not (
            outcome.status == "unreachable" or (outcome.status == "refused" and outcome.repeated)
        ):
            continue
        event = by_id[outcome.event]
        session = event.session(outcome.session)
        assert session is not None
        entry = session.find(outcome.login)
        number = None if entry is None else _notice_number(entry.source)
        if number is None:
            continue
        marker, body = unreachable_notice(event, session)
        wanted.setdefault(Told(event.id, session.id, number), (outcome, marker, body))
    told = read_told(project.notices_path)
    fresh = [key for key in wanted if key not in told]
    this_run, later = fresh[:NOTICE_CAP], fresh[NOTICE_CAP:]
    report.notices_waiting = len(later)
    if not this_run:
        return
    target = None if push is None else (push.remote, push.branch)
    try:
        claimed = claim_told(project, this_run, target)
    except git_sync.GitError:
        # Nobody is told without the record: they wait for the next run.
        report.notice_errors += 1
        report.notices_waiting += len(this_run)
        return
    failed: list[Told] = []
    limited = False
    for key in this_run:
        if key not in claimed:
            continue  # recorded by another run at the same time: theirs to post
        if limited:
            failed.append(key)
            continue
        outcome, marker, body = wanted[key]
        try:
            # The marker check stays: a comment posted before the notices were recorded.
            outcome.notified = notices.notify_once(key.number, marker, body)
        except NoticeImpossible:
            report.notice_errors += 1  # stays recorded: trying again each run would not help
        except NoticesLimited:
            report.notice_errors += 1
            limited = True  # the rest wait for a later run
            failed.append(key)
        except Exception:  # a failed notice must not undo the sent links
            report.notice_errors += 1
            failed.append(key)
    if failed:
        report.notices_waiting += len(failed)
        try:
            release_told(project, failed, target)
        except git_sync.GitError:
            report.notice_errors += 1


def record_marks(
    project: Project,
    marks: dict[EntryKey, datetime],
    journal: SentJournal,
    push: PushTarget | None,
) -> tuple[int, str | None]:
    """Write `link_sent` into the event files (and commit and push them); trim the journal.

    Returns how many registrations were marked and the pushed commit, if any.
    """
    by_event: dict[str, dict[EntryKey, datetime]] = {}
    for key, when in marks.items():
        by_event.setdefault(key.event, {})[key] = when

    def change() -> tuple[tuple[int, set[EntryKey]], list[Path]]:
        written: list[Path] = []
        settled: set[EntryKey] = set()
        count = 0
        for event_id, group in sorted(by_event.items()):
            path = project.event_path(event_id)
            if not path.is_file():
                settled.update(group)  # the event is gone: nothing left to record
                continue
            result = check_file(path, project)
            if result.event is None:
                continue  # kept in the journal until the file is valid again
            changed = record_in_file(path, project, result.event, group)
            if changed:
                written.append(path)
                count += changed
            settled.update(group)
        return (count, settled), written

    commit: str | None = None
    if push is None:
        (count, settled), _ = change()
    else:
        events = ", ".join(sorted(by_event))
        (count, settled), commit = git_sync.commit_and_push(
            project.root,
            change,
            f"Record meeting links sent for {events}",
            remote=push.remote,
            branch=push.branch,
        )
    journal.replace({key: when for key, when in marks.items() if key not in settled})
    return count, commit


@dataclass
class Edges:
    """The connections a delivery pass uses, built from the environment."""

    transport: Transport
    profiles: ProfileLookup
    notices: IssueNotices | None


def edges_from_env(
    environ: Mapping[str, str], project: Project, config: DeliveryConfig, *, dry_run: bool = False
) -> Edges:
    transport = transport_from_env(
        environ,
        project.root,
        envelope_from=config.mail.sender.addr_spec,
        sender_configured=config.mail.sender_configured,
        dry_run=dry_run,
    )
    github = github_from_env(environ)
    if github is None:
        return Edges(transport, NoProfiles(), None)
    repository = environ.get("GITHUB_REPOSITORY", "").strip()
    notices = GitHubIssueNotices(github, repository) if repository else None
    return Edges(transport, GitHubProfiles(github), notices)


def configure(environ: Mapping[str, str], site: PublishedSite | None) -> DeliveryConfig:
    """The delivery's secrets, hidden from the workflow log before anything else is printed.

    Every key and value the secrets' text may hold is masked before the text is read, so that
    neither a later line nor this function's errors can show one in a public log, however the
    secret is written (a value where a key belongs, quoted, JSON).
    """
    print_masks(
        environ,
        [
            environ.get(KEY_VARIABLE, "").strip(),
            *secrets_of(environ),
            *mask_candidates(environ.get(LINKS_VARIABLE)),
            *mask_candidates(environ.get(CONTACTS_VARIABLE)),
        ],
    )
    config = config_from_env(environ, site)
    # The values as read (unquoted, stripped), should they differ from the raw pieces.
    print_masks(environ, config.secrets())
    return config


def send_due_links(
    project: Project,
    *,
    now: datetime,
    environ: Mapping[str, str] | None = None,
    push: PushTarget | None = None,
    only: Iterable[EntryKey] | None = None,
    dry_run: bool = False,
    report_after: timedelta = DEFAULT_REPORT_AFTER,
    checkpoint: int | None = DEFAULT_CHECKPOINT,
) -> DeliveryReport:
    """The whole delivery with its edges built from the environment: `send-links` runs this,
    and so do the registration flows, with `only` the entries they just confirmed."""
    environ = os.environ if environ is None else environ
    config = configure(environ, published_site(project.root))
    banned = ban_check(project, environ)
    edges = edges_from_env(environ, project, config, dry_run=dry_run)
    return deliver(
        project,
        now=now,
        config=config,
        transport=edges.transport,
        profiles=edges.profiles,
        journal=SentJournal.in_project(project.root),
        notices=edges.notices,
        push=push,
        dry_run=dry_run,
        only=only,
        banned=banned,
        report_after=report_after,
        checkpoint=checkpoint,
    )
