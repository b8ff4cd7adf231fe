"""The link delivery's core: who is due, the secrets, the message, the transport URL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from link_site import EVENT, IN_WINDOW, entry, event_text
from signupsheet.core.errors import ProblemsError, UserError
from signupsheet.core.links_due import EntryKey, due_registrations, session_due
from signupsheet.core.model import (
    Event,
    Registration,
    RegistrationSettings,
    Session,
    parse_timestamp,
)
from signupsheet.core.project import Project
from signupsheet.delivery.link_mail import (
    MailSettings,
    build_message,
    message_id,
    policy_url,
    settings_from_env,
)
from signupsheet.delivery.mailer import (
    SendRefused,
    SmtpTransport,
    TransportDown,
    parse_smtp_url,
    secrets_of,
)
from signupsheet.delivery.secrets import (
    Contacts,
    MeetingLinks,
    mask_candidates,
    parse_contacts,
    parse_meeting_links,
    valid_address,
)
from signupsheet.delivery.sending import (
    DeliveryConfig,
    deliver,
    unreachable_notice,
)
from signupsheet.delivery.sent_journal import SentJournal
from signupsheet.delivery.sent_marks import insert_marks, record_in_file
from signupsheet.eventfiles.catalog import load_event
from signupsheet.site.urls import PublishedSite
from sitekit import make_site

START = datetime(2030, 5, 1, 14, 0, tzinfo=UTC)


def make_event(*entries: Registration, lead: int = 60, cancelled: bool = False) -> Event:
    session = Session(
        id="main",
        start=START,
        end=START + timedelta(hours=1),
        cancelled=cancelled,
        registrations=list(entries),
    )
    return Event(
        id="e",
        title="Call",
        sessions=[session],
        registration=RegistrationSettings(link_lead_minutes=lead),
    )


def person(login: str | None, **fields: object) -> Registration:
    return Registration(name=f"{login} N", login=login, **fields)  # type: ignore[arg-type]


def test_the_window_runs_from_the_lead_time_before_the_start_until_the_end() -> None:
    event = make_event(person("a"), lead=45)
    session = event.sessions[0]
    opens = START - timedelta(minutes=45)
    assert not session_due(event, session, opens - timedelta(seconds=1))
    assert session_due(event, session, opens)
    assert session_due(event, session, session.end - timedelta(seconds=1))
    assert not session_due(event, session, session.end)
    cancelled = make_event(person("a"), cancelled=True)
    assert not session_due(cancelled, cancelled.sessions[0], START)
    assert due_registrations([cancelled], START) == []


def test_only_confirmed_unsent_registrants_are_due_and_late_ones_from_their_sign_up() -> None:
    late = START - timedelta(minutes=5)
    event = make_event(
        person("a"),
        person("b", status="waitlisted"),
        person("c", link_sent=START - timedelta(minutes=50)),
        person("d", registered=late),
        person(None),
    )
    due = due_registrations([event], START - timedelta(minutes=1))
    assert [(item.registration.login, item.position) for item in due] == [
        ("a", 1),
        ("d", 4),
        (None, 5),
    ]
    assert due[0].since == START - timedelta(minutes=60)
    assert due[1].since == late
    assert due[0].key == EntryKey("e", "main", "a")
    assert due[2].key is None


def test_the_session_link_wins_and_unknown_keys_are_named() -> None:
    links = parse_meeting_links(
        '{"e": "https://meet.example/all", "e/main": "https://meet.example/main", '
        '"gone/x": "https://meet.example/x"}'
    )
    assert links.for_session("e", "main") == "https://meet.example/main"
    assert links.for_session("e", "other") == "https://meet.example/all"
    assert links.for_session("f", "main") is None
    assert links.unknown_keys([make_event()]) == ["gone/x"]
    assert links.unknown_key_lines([make_event()]) == [1]
    lines = parse_meeting_links("e: https://meet.example/all\n\ngone/x: https://meet.example/x\n")
    assert lines.unknown_key_lines([make_event()]) == [3]
    assert parse_meeting_links(None) == MeetingLinks()
    assert parse_meeting_links("  \n") == MeetingLinks()


def test_contacts_ignore_case_and_refuse_anything_but_one_address() -> None:
    contacts = parse_contacts("Alice: alice@example.org\nbob: ' bob@example.org '\n")
    assert contacts.address("ALICE") == "alice@example.org"
    assert contacts.address("Bob") == "bob@example.org"
    assert contacts.address("carol") is None
    with pytest.raises(ProblemsError) as caught:
        parse_contacts(
            'a: "x@example.org\\nBcc: y@example.org"\n'
            "b: x@example.org, y@example.org\n"
            "c: [x@example.org]\n"
            "-bad-: x@example.org\n"
        )
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 4
    assert "y@example.org" not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["a@example.org", "first.last+tag@sub.example.co.uk"],
)
def test_valid_addresses(text: str) -> None:
    assert valid_address(text)


@pytest.mark.parametrize(
    "text",
    ["", "a", "a@b", "a@@example.org", "a @example.org", "<a@example.org>", "a@example.org\r\n"],
)
def test_invalid_addresses(text: str) -> None:
    assert not valid_address(text)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_secret_parsers_never_crash_and_never_repeat_values(text: str) -> None:
    for parser in (parse_meeting_links, parse_contacts):
        try:
            parser(text)
        except ProblemsError as error:
            for problem in error.problems:
                assert problem.path.startswith("SIGNUPSHEET_")


SECRETS = ["alice.secret@example.org", "https://meet.example.org/j/123?pwd=s3cr3t", "sEcReT-42"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(SECRETS), st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)),
            st.one_of(st.sampled_from(SECRETS), st.text("abcxyz019 .-@", max_size=20)),
            st.sampled_from(["{k}: {v}", "'{k}': '{v}'", '"{k}": "{v}"', "{k}:", "- {k}"]),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_secret_errors_never_show_a_key_or_a_value_and_all_are_masked_first(
    lines: list[tuple[str, str, str]], as_json: bool
) -> None:
    """Whatever sits where, swapped or malformed: every secret-like key or value is among the
    values masked before the text is read, and no message repeats one."""
    text = "\n".join(form.format(k=key, v=value) for key, value, form in lines)
    if as_json:
        text = json.dumps({key: value for key, value, _ in lines})
    present = [piece for piece in SECRETS if piece in text]
    masked = mask_candidates(text)
    for piece in present:
        assert piece in masked
    for parser in (parse_meeting_links, parse_contacts):
        try:
            parser(text)
        except ProblemsError as error:
            for piece in present:
                assert piece not in str(error)


def test_smtp_url_is_percent_decoded_and_errors_do_not_show_it() -> None:
    url = parse_smtp_url("smtp://user%40example.org:p%3Ass%2Fw%20rd@mail.example.org")
    assert (url.security, url.host, url.port) == ("starttls", "mail.example.org", 587)
    assert (url.username, url.password) == ("user@example.org", "p:ss/w rd")
    assert "p:ss" not in repr(url)
    secure = parse_smtp_url("smtps://u:p@mail.example.org:2465")
    assert (secure.security, secure.port) == ("tls", 2465)
    assert parse_smtp_url("smtp://127.0.0.1:2525").loopback
    for bad in (
        "http://u:hunter2@x",
        "smtp://u:hunter2@",
        "smtp://u:hunter2@x/path",
        "smtp://x:99999",
    ):
        with pytest.raises(UserError) as caught:
            parse_smtp_url(bad)
        assert "hunter2" not in str(caught.value)


def test_message_without_site_or_reply_to_still_says_how_to_cancel() -> None:
    event = make_event(person("Alice"))
    event.policy = "policies/safe-space.md"
    session = event.sessions[0]
    settings = settings_from_env({})
    built = build_message(
        event,
        session,
        session.registrations[0],
        link="https://meet.example/room?pwd=x&y=1",
        recipient="alice@example.org",
        settings=settings,
        now=START - timedelta(minutes=30),
    )
    message = message_from_bytes(built.as_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Reply-To"] is None
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "take yourself off the sign-up sheet" in text
    assert "policy on the event site" in text
    rich = message.get_body(preferencelist=("html",))
    assert rich is not None
    assert 'href="https://meet.example/room?pwd=x&amp;y=1"' in rich.get_content()


def test_the_policy_link_follows_the_published_site() -> None:
    event = make_event()
    event.policy = "policies/safe-space.md"
    flat = PublishedSite("https://events.example.org/sub", directory_urls=False)
    # From mkdocs.yml, pages without directory URLs.
    settings = settings_from_env({}, flat)
    assert policy_url(event, settings) == "https://events.example.org/sub/policies/safe-space.html"
    # The variable moves the site (e.g. to its own domain); its pages are served the same way.
    moved = {"SIGNUPSHEET_SITE_URL": "https://events.example.com/"}
    settings = settings_from_env(moved, flat)
    assert policy_url(event, settings) == "https://events.example.com/policies/safe-space.html"
    settings = settings_from_env(moved)
    assert policy_url(event, settings) == "https://events.example.com/policies/safe-space/"
    assert policy_url(event, settings_from_env({})) is None


def test_message_id_is_stable_per_person_and_session() -> None:
    event = make_event()
    session = event.sessions[0]
    first = message_id(event, session, "Alice", "example.org")
    assert first == message_id(event, session, "alice", "example.org")
    assert first != message_id(event, session, "bob", "example.org")


def test_reply_to_takes_several_addresses_and_refuses_garbage() -> None:
    settings = settings_from_env(
        {"SIGNUPSHEET_REPLY_TO": "A <a@example.org>, b@example.org", "GITHUB_REPOSITORY": "o/r"}
    )
    assert [address.addr_spec for address in settings.reply_to] == [
        "a@example.org",
        "b@example.org",
    ]
    assert settings.repository_url == "https://github.com/o/r"
    with pytest.raises(UserError):
        settings_from_env({"SIGNUPSHEET_MAIL_FROM": "not an address"})


def test_unreachable_notice_has_a_marker_and_no_secret() -> None:
    event = make_event()
    marker, body = unreachable_notice(event, event.sessions[0])
    assert body.startswith(marker)
    assert "Public email" in body and "@" not in body


class FlakyTransport:
    """Accepts `accept` messages, refuses the recipients in `refuse`, then loses the server."""

    description = "fake"

    def __init__(self, accept: int, refuse: set[str]) -> None:
        self.accept = accept
        self.refuse = refuse
        self.sent: list[str] = []

    def send(self, message: Message, recipient: str) -> None:
        if recipient in self.refuse:
            raise SendRefused(550)
        if len(self.sent) >= self.accept:
            raise TransportDown("lost the connection")
        self.sent.append(recipient)

    def close(self) -> None:
        pass


class Profiles:
    def public_emails(self, logins: Sequence[str]) -> dict[str, str | None]:
        return {login.casefold(): None for login in logins}


def site_with(tmp_path: Path, logins: list[str]) -> Project:
    events = {EVENT: event_text([entry(login) for login in logins])}
    return Project(make_site(tmp_path / "site", events))


def test_connection_lost_mid_run_keeps_what_was_sent_and_fails(tmp_path: Path) -> None:
    logins = ["a", "b", "c", "d", "e"]
    project = site_with(tmp_path, logins)
    transport = FlakyTransport(accept=2, refuse={"b@example.org"})
    config = DeliveryConfig(
        MeetingLinks({EVENT: "https://meet.example/x"}),
        Contacts({login: f"{login}@example.org" for login in logins}),
        MailSettings(sender=settings_from_env({}).sender),
    )
    now = parse_timestamp(IN_WINDOW)
    report = deliver(
        project,
        now=now,
        config=config,
        transport=transport,
        profiles=Profiles(),
        journal=SentJournal.in_project(project.root),
    )
    assert [(item.login, item.status) for item in report.outcomes] == [
        ("a", "sent"),
        ("b", "refused"),
        ("c", "sent"),
        ("d", "not-sent"),
        ("e", "not-sent"),
    ]
    assert report.down == "lost the connection"
    assert report.exit_code == 1
    assert report.recorded == 2
    text = (project.events_dir / f"{EVENT}.yaml").read_text(encoding="utf-8")
    assert text.count("link_sent:") == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_valid_address_never_raises(text: str) -> None:
    assert valid_address(text) in (True, False)


class _NoStartTls:
    """Stands in for smtplib.SMTP: a server that does not offer STARTTLS."""

    closed = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        pass

    def ehlo(self) -> None:
        pass

    def has_extn(self, name: str) -> bool:
        return False

    def close(self) -> None:
        _NoStartTls.closed = True


def test_no_starttls_offer_from_a_remote_server_stops_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("smtplib.SMTP", _NoStartTls)
    transport = SmtpTransport(
        parse_smtp_url("smtp://u:p@mail.example.org"), envelope_from="events@example.org"
    )
    with pytest.raises(TransportDown, match="does not offer STARTTLS"):
        transport.send(Message(), "a@example.org")
    assert _NoStartTls.closed


def test_smtp_secrets_to_mask_include_the_decoded_user_and_password() -> None:
    values = secrets_of({"SIGNUPSHEET_SMTP_URL": "smtps://me%40example.org:p%2Fw@mail.example.org"})
    assert {"me@example.org", "p/w", "p%2Fw"} <= set(values)


def test_quick_marks_fall_back_to_the_editor_for_unusual_layouts(tmp_path: Path) -> None:
    project = site_with(tmp_path, [])
    path = project.events_dir / f"{EVENT}.yaml"
    text = event_text([entry("alice"), entry("bob")])
    bob = "  - login: bob\n    name: bob Example\n    registered: '2030-04-20T10:00:00Z'\n"
    assert bob in text
    flow = text.replace(
        bob, "  - {login: bob, name: bob Example, registered: '2030-04-20T10:00:00Z'}\n"
    )
    crlf = text.replace("\n", "\r\n")
    when = parse_timestamp(IN_WINDOW)
    marks = {EntryKey(EVENT, "main", "alice"): when, EntryKey(EVENT, "main", "bob"): when}
    assert insert_marks(text, EVENT, marks) is not None
    assert insert_marks(flow, EVENT, marks) is None
    assert insert_marks(crlf, EVENT, marks) is None
    for layout in (text, flow, crlf):
        path.write_bytes(layout.encode("utf-8"))
        event = load_event(project, EVENT)
        assert record_in_file(path, project, event, marks) == 2
        again = load_event(project, EVENT)
        assert [item.link_sent for item in again.sessions[0].registrations] == [when, when]
        assert "comments like this one must survive" in path.read_text(encoding="utf-8")


def test_quick_marks_keep_comments_inside_the_sheet(tmp_path: Path) -> None:
    project = site_with(tmp_path, [])
    path = project.events_dir / f"{EVENT}.yaml"
    text = event_text([entry("alice"), entry("bob")]).replace(
        "  - login: bob", "  # Bob asked to be added by mail.\n  - login: bob"
    )
    assert "# Bob asked" in text
    path.write_text(text, encoding="utf-8")
    when = parse_timestamp(IN_WINDOW)
    marks = {EntryKey(EVENT, "main", "alice"): when, EntryKey(EVENT, "main", "bob"): when}
    new = insert_marks(text, EVENT, marks)
    assert new is not None
    assert new.count("link_sent: 2030-05-01T13:20:00Z") == 2
    assert "# Bob asked to be added by mail.\n" in new
    assert new.replace("\n    link_sent: 2030-05-01T13:20:00Z", "") == text


def test_send_due_links_sends_at_once_to_only_the_given_registrants(tmp_path: Path) -> None:
    import mailbox

    from signupsheet.delivery.sending import send_due_links

    project = site_with(tmp_path, ["early", "late"])
    environ = {
        "SIGNUPSHEET_MEETING_LINKS": f"{EVENT}: https://meet.example.org/room",
        "SIGNUPSHEET_CONTACTS": "early: early@example.org\nlate: late@example.org",
    }
    report = send_due_links(
        project,
        now=parse_timestamp(IN_WINDOW),
        environ=environ,
        only=[EntryKey(EVENT, "main", "Late".casefold())],
    )
    assert [(item.login, item.status) for item in report.outcomes] == [("late", "sent")]
    box = mailbox.Maildir(project.root / "outbox", create=False)
    assert [message["To"] for message in box] == ["late@example.org"]
    event = load_event(project, EVENT)
    assert [(item.login, item.link_sent) for item in event.sessions[0].registrations] == [
        ("early", None),
        ("late", parse_timestamp(IN_WINDOW)),
    ]
    # Outside the window nothing is sent, even when asked for.
    before = send_due_links(
        project,
        now=parse_timestamp(IN_WINDOW) - timedelta(hours=2),
        environ=environ,
        only=[EntryKey(EVENT, "main", "early")],
    )
    assert before.outcomes == []
