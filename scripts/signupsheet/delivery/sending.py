"""Sending the meeting link to everyone due, once, and recording that it was sent.

One pass: replay the journal of an interrupted run, find who is due (`delivery.due_registrations`),
resolve each address (the contacts secret first, then the public e-mail of the GitHub profile),
send over one connection, note every accepted message in the journal at once, and finally record
`link_sent` in the event files (committed and pushed when asked, re-applied on a push race).

Nothing here prints: the caller gets a `DeliveryReport` that names people by login only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from signupsheet.core.errors import Problem, ProblemsError
from signupsheet.core.inert_markdown import inert_markdown
from signupsheet.core.links_due import (
    DEFAULT_CHECKPOINT,
    DEFAULT_REPORT_AFTER_MINUTES,
    Due,
    EntryKey,
    apply_marks,
    due_registrations,
)
from signupsheet.core.model import Event, Session, format_timestamp
from signupsheet.core.project import Project
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
from signupsheet.delivery.secrets import (
    CONTACTS_VARIABLE,
    LINKS_VARIABLE,
    Contacts,
    MeetingLinks,
    parse_contacts,
    parse_meeting_links,
    valid_address,
)
from signupsheet.delivery.sent_journal import SentJournal
from signupsheet.delivery.sent_marks import record_in_file
from signupsheet.eventfiles.catalog import check_file, load_catalog
from signupsheet.github.actions import print_masks
from signupsheet.github.contact_lookup import (
    GitHubIssueNotices,
    GitHubProfiles,
    IssueNotices,
    LookupUnavailable,
    NoProfiles,
    ProfileLookup,
    github_from_env,
)
from signupsheet.registration import git_sync
from signupsheet.registration.contact_check import contact_key, sealed_address
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
    if problems:
        raise ProblemsError(problems)
    return DeliveryConfig(links, contacts, settings_from_env(environ, site), contact_key(environ))


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
    unknown_link_keys: list[str] = field(default_factory=list)
    recorded: int = 0
    replayed: int = 0
    commit: str | None = None
    push_error: str | None = None
    notice_errors: int = 0

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
            "unknown_link_keys": self.unknown_link_keys,
            "recorded": self.recorded,
            "replayed": self.replayed,
            "commit": self.commit,
            "push_error": self.push_error,
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
        "type your address into “E-mail for the meeting link” on the event's page and press "
        "“Seal”, or run `signupsheet seal-contact --user YOUR-LOGIN --event "
        f"{event.id} YOUR-ADDRESS`; then edit this issue and paste the sealed text into "
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

    def resolve(self, login: str, due: Due) -> tuple[str | None, Source | None]:
        address = self.config.contacts.address(login)
        if address is not None:
            return address, "contacts"
        address = sealed_address(self.config.contact_key, due.registration, due.event.id)
        if address is not None:
            return address, "sealed"
        address = self.profiles.public_email(login)
        if address is not None and valid_address(address):
            return address, "profile"
        return None, None

    def handle(self, due: Due) -> DeliveryOutcome:
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
            return outcome
        link = self.config.links.for_session(due.event.id, due.session.id)
        if link is None:
            outcome.status = "no-link"
            outcome.reason = (
                f"{LINKS_VARIABLE} has no link for {due.event.id} or {due.where}; add one"
            )
            return outcome
        try:
            address, source = self.resolve(entry.login, due)
        except LookupUnavailable as error:
            outcome.status = "deferred"
            outcome.reason = f"could not look up the GitHub profile ({error}); retried next run"
            return outcome
        if address is None:
            outcome.status = "unreachable"
            outcome.reason = (
                f"no public e-mail on the GitHub profile and none in {CONTACTS_VARIABLE}"
            )
            return outcome
        outcome.source = source
        if self.dry_run:
            outcome.status = "would-send"
            return outcome
        if self.report.down is not None:
            outcome.reason = "not attempted: the mail server is unavailable"
            return outcome
        ics_key = (due.event.id, due.session.id)
        if ics_key not in self.invitations:
            self.invitations[ics_key] = build_ics(due.event, due.session, link, self.now)
        message = build_message(
            due.event,
            due.session,
            entry,
            link=link,
            recipient=address,
            settings=self.config.mail,
            now=self.now,
            ics=self.invitations[ics_key],
        )
        try:
            self.transport.send(message, address)
        except SendRefused as error:
            outcome.status = "refused"
            outcome.code = error.code
            outcome.repeated = self.now - due.since >= self.report_after
            outcome.reason = (
                f"refused by the mail server (reply code {error.code}); retried next run"
            )
            return outcome
        except TransportDown as error:
            self.report.down = str(error)
            outcome.reason = "not sent: the mail server is unavailable"
            return outcome
        # Noted before anything else happens: from here on a crash must not cause a resend.
        self.journal.record(key, self.now)
        self.marks[key] = self.now
        entry.link_sent = self.now
        outcome.status = "sent"
        return outcome


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
    report_after: timedelta = DEFAULT_REPORT_AFTER,
    checkpoint: int | None = DEFAULT_CHECKPOINT,
) -> DeliveryReport:
    """Send the link to everyone due at `now` (or only to `only`), then record it.

    With `push`, the marks are also committed and pushed after every `checkpoint` accepted
    messages: on a CI runner, whose disk is gone when the job dies, that bounds how many people
    could get the link twice. When the marks cannot be pushed the report says so (`push_error`);
    the journal keeps them and the next run on the same machine records them without sending.
    """
    report = DeliveryReport(now=now, dry_run=dry_run, transport=transport.description)
    marks = journal.read()
    report.replayed = len(marks)
    catalog = load_catalog(project)
    report.problems = list(catalog.problems)
    report.unknown_link_keys = config.links.unknown_keys(catalog.events)
    for event in catalog.events:
        apply_marks(event, marks)
    due = due_registrations(catalog.events, now)
    if only is not None:
        wanted = set(only)
        due = [item for item in due if item.key in wanted]
    state = _Pass(config, transport, profiles, journal, now, dry_run, report_after, marks, report)
    unrecorded = 0
    try:
        for item in due:
            outcome = state.handle(item)
            report.outcomes.append(outcome)
            if outcome.status == "sent" and push is not None and checkpoint:
                unrecorded += 1
                if unrecorded >= checkpoint:
                    _record(report, project, marks, journal, push)
                    unrecorded = 0
    finally:
        transport.close()
        journal.close()
    if not dry_run:
        _notify(report, catalog.events, notices)
        if marks:
            _record(report, project, marks, journal, push)
    return report


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


def _notify(report: DeliveryReport, events: list[Event], notices: IssueNotices | None) -> None:
    if notices is None:
        return
    by_id = {event.id: event for event in events}
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
        try:
            outcome.notified = notices.notify_once(number, marker, body)
        except Exception:  # a failed notice must not undo the sent links
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

    Every value is masked first, even when the secrets turn out to be malformed, so that no
    later line, this function's errors included, can show one in a public log.
    """
    config: DeliveryConfig | None = None
    problem: ProblemsError | None = None
    try:
        config = config_from_env(environ, site)
    except ProblemsError as error:
        problem = error
    print_masks(environ, [*secrets_of(environ), *(config.secrets() if config else [])])
    if problem is not None:
        raise problem
    assert config is not None
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
        report_after=report_after,
        checkpoint=checkpoint,
    )


def send_to_confirmed(
    project: Project,
    confirmed: Sequence[EntryKey] | None,
    push: PushTarget,
    now: datetime,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Mail the link now to people just confirmed inside their session's link window.

    `confirmed` names the entries a registration flow just confirmed; None means everyone due.
    Runs only when the workflow gives the meeting links; otherwise the scheduled send-links run
    delivers them. Returns whether link_sent marks were pushed.
    """
    environ = os.environ if environ is None else environ
    if confirmed == [] or not environ.get(LINKS_VARIABLE):
        return False
    report = send_due_links(project, now=now, environ=environ, push=push, only=confirmed)
    return report.commit is not None
