"""`signupsheet send-links` against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import json
import mailbox
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import icalendar
import pytest

from github_users_double import GitHubState, github_double
from link_site import (
    BEFORE_WINDOW,
    END,
    EVENT,
    IN_WINDOW,
    Site,
    base_env,
    entry,
    event_text,
    make_site,
    scan,
)
from smtp_server import Received, Recorder, free_port, smtp_server

SENDER = "Community events <events@example.org>"
REPLY_TO = "Organizers <orga@example.org>"
SITE_URL = "https://events.example.org/"


def address(login: str) -> str:
    return f"{login.lower()}@people.example.net"


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def smtp_port(recorder: Recorder) -> Iterator[int]:
    with smtp_server(recorder) as port:
        yield port


@pytest.fixture
def github() -> Iterator[tuple[GitHubState, str]]:
    state = GitHubState()
    with github_double(state) as url:
        yield state, url


def env_for(
    site: Site,
    port: int | None,
    contacts: dict[str, str],
    github: tuple[GitHubState, str] | None = None,
    **extra: str,
) -> dict[str, str]:
    values = {
        "SIGNUPSHEET_MEETING_LINKS": f"{EVENT}: {site.link}\n",
        "SIGNUPSHEET_CONTACTS": json.dumps(contacts),
        "SIGNUPSHEET_MAIL_FROM": SENDER,
        "SIGNUPSHEET_REPLY_TO": REPLY_TO,
        "SIGNUPSHEET_SITE_URL": SITE_URL,
        "GITHUB_REPOSITORY": "example-org/events",
        "GITHUB_STEP_SUMMARY": str(site.root.parent / "summary.md"),
    }
    if port is not None:
        values["SIGNUPSHEET_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    if github is not None:
        values["GITHUB_TOKEN"] = "test-token"
        values["GITHUB_API_URL"] = github[1]
    values.update(extra)
    return base_env(**values)


def summary(site: Site) -> str:
    path = site.root.parent / "summary.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def no_leaks(site: Site, *needles: str) -> None:
    site.outputs.append(summary(site))  # the job summary is a log organizers and others read
    assert scan(site, [site.link, *needles], skip=[site.root / "outbox"]) == []


def parts(message: EmailMessage) -> tuple[str, str, bytes]:
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    assert plain is not None and rich is not None
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    ics = attachments[0]
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == f"{EVENT}-main.ics"
    payload = ics.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return plain.get_content(), rich.get_content(), payload


def outbox_message(site: Site) -> EmailMessage:
    """The one message a run without SMTP left in the outbox."""
    box = mailbox.Maildir(site.root / "outbox", create=False)
    [key] = list(box.keys())
    return Received("", [], box.get_bytes(key)).message


def test_messages_arrive_complete_once_and_only_for_confirmed(
    site: Site, recorder: Recorder, smtp_port: int, github: tuple[GitHubState, str]
) -> None:
    site.write_event(
        [
            entry("Alice", source="issue:11"),
            entry("bob"),
            entry("carol", source="issue:13"),  # public e-mail on the GitHub profile
            entry("dave", status="waitlisted"),
            entry("erin", link_sent="2030-05-01T13:05:00Z"),
        ],
        capacity=4,
    )
    github[0].emails.update({"carol": "carol@profile.example.net", "dave": address("dave")})
    contacts = {"alice": address("alice"), "BOB": address("bob"), "erin": address("erin")}
    env = env_for(site, smtp_port, contacts, github)

    result = site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 0, result.stderr
    assert recorder.greetings == 1  # one connection for the whole run
    by_rcpt = {tuple(item.recipients): item for item in recorder.messages}
    assert set(by_rcpt) == {
        (address("alice"),),
        (address("bob"),),
        ("carol@profile.example.net",),
    }
    for item in recorder.messages:
        assert item.envelope_from == "events@example.org"
    message = by_rcpt[(address("alice"),)].message
    assert message["From"] == SENDER
    assert message["To"] == address("alice")
    assert message["Reply-To"] == REPLY_TO
    assert parsedate_to_datetime(message["Date"]) == datetime(2030, 5, 1, 13, 20, tzinfo=UTC)
    assert message["Message-ID"].endswith("@example.org>")
    assert "Community call" in message["Subject"]
    assert "01 May 2030 14:00 UTC" in message["Subject"]
    plain, rich, ics = parts(message)
    assert site.link in plain
    assert "Wednesday, 01 May 2030, 14:00 to 15:30 UTC" in plain
    assert "https://events.example.org/policies/safe-space/" in plain
    assert "template=cancel.yml" in plain and f"event={EVENT}" in plain
    assert "Alice Example" in plain
    assert f'href="{site.link.replace("&", "&amp;")}"' in rich
    assert '<html lang="en">' in rich
    calendar = icalendar.Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2030, 5, 1, 14, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2030, 5, 1, 15, 30, tzinfo=UTC)
    assert str(event["url"]) == site.link
    assert str(event["location"]) == site.link
    assert site.link in str(event["description"])
    assert str(event["summary"]) == "Community call"

    sent = site.link_sent()
    assert sent["Alice"] == sent["bob"] == sent["carol"] == IN_WINDOW
    assert sent["dave"] is None
    assert sent["erin"] == "2030-05-01T13:05:00Z"
    text = site.event_path.read_text(encoding="utf-8")
    assert "comments like this one must survive" in text
    assert "sent" in result.stdout and "Alice" in result.stdout

    again = site.run(env, "--now", "2030-05-01T13:30:00Z")
    assert again.returncode == 0, again.stderr
    assert len(recorder.messages) == 3
    assert "nobody due" in again.stdout
    no_leaks(site, *contacts.values(), "carol@profile.example.net")


def test_nothing_before_the_window_after_the_end_or_for_a_cancelled_session(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, smtp_port, {"alice": address("alice")})
    assert site.run(env, "--now", BEFORE_WINDOW).returncode == 0
    assert site.run(env, "--now", END).returncode == 0
    site.write_event([entry("alice")], cancelled=True)
    assert site.run(env, "--now", IN_WINDOW).returncode == 0
    assert recorder.messages == []
    assert site.link_sent() == {"alice": None}


def test_late_registrant_gets_the_link_at_the_next_run(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, smtp_port, {"alice": address("alice"), "late": address("late")})
    assert site.run(env, "--now", IN_WINDOW).returncode == 0
    registrations = site.registrations()
    registrations.append(entry("late", registered="2030-05-01T13:55:00Z", source="issue:20"))
    site.write_event(registrations)

    result = site.run(env, "--now", "2030-05-01T14:07:00Z")

    assert result.returncode == 0, result.stderr
    assert [item.recipients for item in recorder.messages] == [
        [address("alice")],
        [address("late")],
    ]
    assert site.link_sent()["late"] == "2030-05-01T14:07:00Z"


def test_waitlisted_get_nothing_until_promoted(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice"), entry("wait", status="waitlisted")], capacity=1)
    env = env_for(site, smtp_port, {"alice": address("alice"), "wait": address("wait")})
    assert site.run(env, "--now", IN_WINDOW).returncode == 0
    assert recorder.to(address("wait")) == []
    # Alice cancels; the first waitlisted person is promoted.
    site.write_event([entry("wait")], capacity=1)

    assert site.run(env, "--now", "2030-05-01T13:40:00Z").returncode == 0

    assert len(recorder.to(address("wait"))) == 1
    assert len(recorder.messages) == 2


def test_unreachable_listed_by_login_and_told_once_on_their_issue(
    site: Site, recorder: Recorder, smtp_port: int, github: tuple[GitHubState, str]
) -> None:
    site.write_event(
        [
            entry("alice"),
            entry("NoMail", source="issue:42"),
            entry(None, source="import"),
            entry("ghost", source="pr:43"),  # no such GitHub account any more: 404
            entry("shy", visibility="private", source="issue:44"),
        ]
    )
    state, _ = github
    state.emails["nomail"] = None
    env = env_for(site, smtp_port, {"alice": address("alice")}, github)

    first = site.run(env, "--now", IN_WINDOW)
    second = site.run(env, "--now", "2030-05-01T13:30:00Z")

    assert first.returncode == second.returncode == 0
    assert [item.recipients for item in recorder.messages] == [[address("alice")]]
    assert "unreachable" in first.stdout and "NoMail" in first.stdout
    report = summary(site)
    assert "### Unreachable" in report
    assert "- `NoMail` (2030-05-01-community-call/main)" in report
    assert "- `entry 3 (no login)`" in report
    assert "- `ghost` (2030-05-01-community-call/main)" in report
    # Private registrants are not named in logs, only placed on the sheet; their issue is told.
    assert "- `entry 5 (private)`" in report
    assert "shy" not in report + first.stdout
    assert len(state.comments[44]) == 1
    assert "@" not in report.replace("@example", "")  # no address of anyone
    assert len(state.comments[43]) == 1  # registered by pull request: told there
    comments = state.comments[42]
    assert len(comments) == 1
    assert "Public email" in comments[0]["body"]
    assert "signupsheet:link-unreachable 2030-05-01-community-call/main" in comments[0]["body"]
    assert site.link_sent()["NoMail"] is None
    # Once they publish an address, the next run sends it.
    state.emails["nomail"] = address("nomail")
    assert site.run(env, "--now", "2030-05-01T13:40:00Z").returncode == 0
    assert len(recorder.to(address("nomail"))) == 1
    site.outputs.append(json.dumps(state.comments))
    no_leaks(site, address("alice"), address("nomail"))


def test_github_outage_defers_instead_of_calling_someone_unreachable(
    site: Site, recorder: Recorder, smtp_port: int, github: tuple[GitHubState, str]
) -> None:
    site.write_event([entry("carol", source="issue:5")])
    state, _ = github
    state.emails["carol"] = address("carol")
    state.fail_users = 1000
    env = env_for(site, smtp_port, {}, github)
    result = site.run(env, "--now", IN_WINDOW, "--json")
    report = json.loads(result.stdout)
    assert [item["status"] for item in report["outcomes"]] == ["deferred"]
    assert state.comments == {}
    assert recorder.messages == []


def test_refused_recipient_others_marked_retried_then_reported(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice"), entry("bounce"), entry("carol")])
    recorder.refuse.add(address("bounce"))
    env = env_for(
        site,
        smtp_port,
        {name: address(name) for name in ("alice", "bounce", "carol")},
    )

    first = site.run(env, "--now", IN_WINDOW)

    assert first.returncode == 0, first.stderr
    assert {tuple(item.recipients) for item in recorder.messages} == {
        (address("alice"),),
        (address("carol"),),
    }
    sent = site.link_sent()
    assert sent["alice"] == sent["carol"] == IN_WINDOW
    assert sent["bounce"] is None
    assert "refused" in first.stdout and "550" in first.stdout
    assert "failing repeatedly" not in summary(site)

    # Due since 13:00; at 13:40 the refusals have lasted longer than the 30-minute threshold.
    later = site.run(env, "--now", "2030-05-01T13:40:00Z", "--json")
    assert later.returncode == 1
    report = json.loads(later.stdout)
    assert [
        (item["login"], item["status"], item["repeated"], item["code"])
        for item in report["outcomes"]
    ] == [("bounce", "refused", True, 550)]
    assert "failing repeatedly" in summary(site)
    assert address("bounce") not in summary(site)

    recorder.refuse.clear()
    assert site.run(env, "--now", "2030-05-01T13:50:00Z").returncode == 0
    assert len(recorder.to(address("bounce"))) == 1
    assert len(recorder.messages) == 3
    no_leaks(site, *(address(name) for name in ("alice", "bounce", "carol")))


def test_server_down_marks_nothing_and_fails(site: Site) -> None:
    site.write_event([entry("alice"), entry("bob")])
    before = site.event_path.read_bytes()
    env = env_for(site, free_port(), {"alice": address("alice"), "bob": address("bob")})

    result = site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 1
    assert "cannot reach the SMTP server" in result.stderr
    assert site.event_path.read_bytes() == before
    assert not (site.root / ".signupsheet" / "sent.jsonl").exists()
    assert "Mail server unavailable" in summary(site)


def _start_killable(site: Site, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "signupsheet",
            "--root",
            str(site.root),
            "send-links",
            "--now",
            IN_WINDOW,
        ],
        env=env,
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("server_kept_sixth", [False, True])
def test_killed_after_five_of_ten_and_run_again(
    site: Site, recorder: Recorder, smtp_port: int, server_kept_sixth: bool
) -> None:
    logins = [f"person{index}" for index in range(10)]
    site.write_event([entry(login) for login in logins])
    env = env_for(site, smtp_port, {login: address(login) for login in logins})
    process: list[subprocess.Popen[str]] = []

    def kill(number: int, _: Received) -> None:
        if number == 6:
            os.kill(process[0].pid, signal.SIGKILL)
            process[0].wait()

    def kill_before_storing(number: int, received: Received) -> str | None:
        kill(number, received)
        return "451 4.3.0 try again" if number == 6 else None

    if server_kept_sixth:
        # The server takes the sixth message, the sender dies before it reads the reply.
        recorder.after_store = kill
    else:
        recorder.on_data = kill_before_storing
    process.append(_start_killable(site, env))
    out, err = process[0].communicate(timeout=60)
    site.outputs += [out, err]
    assert process[0].returncode == -signal.SIGKILL

    journal = site.root / ".signupsheet" / "sent.jsonl"
    assert len(journal.read_text().splitlines()) == 5
    assert all(value is None for value in site.link_sent().values())
    recorder.on_data = recorder.after_store = None

    again = site.run(env, "--now", "2030-05-01T13:30:00Z")

    assert again.returncode == 0, again.stderr
    assert "5 sent by an interrupted run, recorded now" in again.stdout
    counts = {login: len(recorder.to(address(login))) for login in logins}
    if server_kept_sixth:
        # The documented window: accepted by the server, not yet noted by the sender.
        assert sorted(counts.values()) == [1] * 9 + [2]
    else:
        assert counts == dict.fromkeys(logins, 1)
    sent = site.link_sent()
    assert all(sent[login] is not None for login in logins)
    assert not journal.exists()
    no_leaks(site, *(address(login) for login in logins))


def test_dry_run_shows_who_gets_what_with_the_link_hidden(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice"), entry("nobody")])
    before = site.event_path.read_bytes()
    env = env_for(site, smtp_port, {"alice": address("alice")})

    result = site.run(env, "--now", IN_WINDOW, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert (
        f"would send   alice                    {EVENT}/main <link hidden> (address from contacts)"
        in result.stdout
    )
    assert "unreachable  nobody" in result.stdout
    assert recorder.messages == []
    assert site.event_path.read_bytes() == before
    no_leaks(site, address("alice"))


BAN_KEY = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key


def test_a_banned_person_gets_no_link_and_no_notice_wherever_the_entry_came_from(
    site: Site, recorder: Recorder, smtp_port: int, github: tuple[GitHubState, str]
) -> None:
    site.write_event(
        [
            entry("alice", source="issue:7"),
            entry("bob"),
            entry("Mallory", source="organizer"),
            entry("nomail", source="pr:9"),
        ]
    )
    env = env_for(
        site,
        smtp_port,
        {name: address(name) for name in ("alice", "bob", "mallory")},
        github,
        SIGNUPSHEET_BAN_KEY=BAN_KEY,
    )
    state, _ = github
    state.emails["nomail"] = None
    command = [sys.executable, "-m", "signupsheet", "--root", str(site.root), "ban"]
    banned = subprocess.run(
        [*command, "ALICE", "mallory", "NoMail"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert banned.returncode == 0, banned.stdout + banned.stderr

    dry = site.run(env, "--now", IN_WINDOW, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would send   bob" in dry.stdout
    for login in ("alice", "mallory", "nomail"):
        assert login not in dry.stdout.casefold(), f"{login} is shown"

    sent = site.run(env, "--now", IN_WINDOW, "--json")
    assert sent.returncode == 0, sent.stderr
    assert [item.recipients for item in recorder.messages] == [[address("bob")]]
    assert [item["login"] for item in json.loads(sent.stdout)["outcomes"]] == ["bob"]
    assert state.comments == {}, "no notice on the banned person's issue or pull request"
    assert site.link_sent() == {"alice": None, "bob": IN_WINDOW, "Mallory": None, "nomail": None}
    assert "alice" not in summary(site) and "Mallory" not in summary(site)


def test_the_policy_link_comes_from_mkdocs_yml_when_no_variable_moves_it(site: Site) -> None:
    site.write_event([entry("alice")])
    config = "site_url: https://pages.example.org/events/\nuse_directory_urls: false\n"
    (site.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = env_for(site, None, {"alice": address("alice")})
    del env["SIGNUPSHEET_SITE_URL"]

    result = site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 0, result.stderr
    plain, _, _ = parts(outbox_message(site))
    assert "https://pages.example.org/events/policies/safe-space.html" in plain


def test_without_smtp_messages_go_to_the_outbox(site: Site) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, None, {"alice": address("alice")})
    del env["SIGNUPSHEET_MAIL_FROM"]

    result = site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 0, result.stderr
    message = outbox_message(site)
    assert message["To"] == address("alice")
    assert message["From"] == "signupsheet preview <signupsheet@localhost>"
    plain, _, _ = parts(message)
    assert site.link in plain
    assert site.link_sent()["alice"] == IN_WINDOW
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "--no-index", "outbox/x"], cwd=site.root, check=False
    )
    assert ignored.returncode == 0 or not (site.root / ".git").exists()
    no_leaks(site, address("alice"))


def test_links_are_masked_before_anything_is_printed_in_actions(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, smtp_port, {"alice": address("alice")}, GITHUB_ACTIONS="true")
    result = site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    masks = [line for line in lines if line.startswith("::add-mask::")]
    assert lines[: len(masks)] == masks  # before anything else
    assert f"::add-mask::{site.link}" in masks
    assert f"::add-mask::{address('alice')}" in masks
    assert not any(site.link in line for line in lines[len(masks) :])
    # Outside Actions the command prints no mask lines, so the link appears nowhere.
    outside = site.run(env_for(site, smtp_port, {"alice": address("alice")}), "--now", IN_WINDOW)
    assert "::add-mask::" not in outside.stdout


def test_bad_secrets_are_reported_by_line_without_keys_or_values(site: Site) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, None, {})
    env["SIGNUPSHEET_MEETING_LINKS"] = (
        f"{EVENT}: http://insecure.example.org/secret-room\nBad Key: {site.link}\n"
    )
    env["SIGNUPSHEET_CONTACTS"] = "alice: not-an-address secret-value\nALICE: alice@example.org\n"
    result = site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "SIGNUPSHEET_MEETING_LINKS:1:1: the value on this line is not an https:// link" in (
        result.stderr
    )
    assert "SIGNUPSHEET_MEETING_LINKS:2:1: the key on this line is not an event id" in (
        result.stderr
    )
    assert "SIGNUPSHEET_CONTACTS:1:1: the value on this line is not one e-mail address" in (
        result.stderr
    )
    assert "SIGNUPSHEET_CONTACTS:2:1: this login is listed twice (also on line 1" in (result.stderr)
    for secret in ("secret-room", "secret-value", site.link, "alice@example.org", "Bad Key"):
        assert secret not in result.stderr + result.stdout
    assert "'alice'" not in result.stderr and "ALICE" not in result.stderr


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_a_swapped_secret_is_masked_before_it_is_read_and_never_printed(
    site: Site, form: str
) -> None:
    """Keys and values swapped by mistake: the address and the link sit where keys belong. GitHub
    masks whole secret lines only, so each key and value is masked first, and the errors name
    the secret and the line, never a key or a value."""
    site.write_event([entry("alice")])
    hidden = "alice.secret@example.org"  # a test value, not a real address
    contacts, links = {hidden: "alice"}, {site.link: EVENT}
    env = env_for(site, None, {}, GITHUB_ACTIONS="true")
    if form == "json":
        env["SIGNUPSHEET_CONTACTS"] = json.dumps(contacts)
        env["SIGNUPSHEET_MEETING_LINKS"] = json.dumps(links)
    else:
        env["SIGNUPSHEET_CONTACTS"] = f"{hidden}: alice\n"
        env["SIGNUPSHEET_MEETING_LINKS"] = f"{site.link}: {EVENT}\n"
    command = [sys.executable, "-m", "signupsheet", "--root", str(site.root), "send-links"]
    # One stream, in the order a workflow log shows it.
    result = subprocess.run(
        [*command, "--now", IN_WINDOW, "--dry-run"],
        env=env,
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    masks = [line for line in lines if line.startswith("::add-mask::")]
    assert lines[: len(masks)] == masks, "masks come before anything else"
    assert f"::add-mask::{hidden}" in masks
    assert f"::add-mask::{site.link}" in masks
    rest = "\n".join(lines[len(masks) :])
    assert "SIGNUPSHEET_CONTACTS:1:" in rest and "SIGNUPSHEET_MEETING_LINKS:1:" in rest
    assert hidden not in rest and site.link not in rest
    assert "secret@" not in rest and "pwd=" not in rest


def test_missing_link_fails_and_names_the_session(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, smtp_port, {"alice": address("alice")})
    env["SIGNUPSHEET_MEETING_LINKS"] = f"other-event/main: {site.link}\n"
    result = site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "no link      alice" in result.stdout
    assert f"has no link for {EVENT} or {EVENT}/main; add one" in result.stdout
    assert "SIGNUPSHEET_MEETING_LINKS:1: the key on this line names no event" in result.stderr
    assert "other-event" not in result.stderr
    assert recorder.messages == []


def test_session_link_wins_over_the_event_link(
    site: Site, recorder: Recorder, smtp_port: int
) -> None:
    site.write_event([entry("alice")])
    env = env_for(site, smtp_port, {"alice": address("alice")})
    special = site.link + "-main"
    env["SIGNUPSHEET_MEETING_LINKS"] = json.dumps({EVENT: site.link, f"{EVENT}/main": special})
    assert site.run(env, "--now", IN_WINDOW).returncode == 0
    [received] = recorder.messages
    plain, _, _ = parts(received.message)
    assert special in plain


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_push_records_link_sent_on_the_remote_despite_a_push_race(
    tmp_path: Path, recorder: Recorder, smtp_port: int
) -> None:
    seed = make_site(tmp_path / "seed")
    seed.write_event([entry("alice"), entry("bob")])
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    _git(seed.root, "init", "--quiet", "--initial-branch=main")
    _git(seed.root, "add", "-A")
    _git(seed.root, *identity, "commit", "--quiet", "-m", "Seed")
    _git(seed.root, "push", "--quiet", str(remote), "main")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    site = Site(clone, link=seed.link)
    # A registration lands on the remote right before the delivery's first push, which is then
    # rejected: the marks must be re-applied on top of the new sheet.
    other = tmp_path / "other"
    _git(tmp_path, "clone", "--quiet", str(remote), str(other))
    moved = tmp_path / "moved.yaml"
    moved.write_text(
        event_text(
            [entry("alice"), entry("bob"), entry("carol", registered="2030-05-01T13:21:00Z")]
        ),
        encoding="utf-8",
    )
    flag = tmp_path / "raced"
    hook = clone / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        f"[ -e {flag} ] && exit 0\n"
        f"touch {flag}\n"
        "unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE\n"
        f"cd {other} || exit 1\n"
        f"cp {moved} events/{EVENT}.yaml\n"
        "git add -A && git -c user.name=o -c user.email=o@example.invalid commit -qm Register "
        "&& git push -q origin main\n"
    )
    hook.chmod(0o755)
    env = env_for(site, smtp_port, {"alice": address("alice"), "bob": address("bob")})
    outputs = tmp_path / "github-output"
    env["GITHUB_OUTPUT"] = str(outputs)

    result = site.run(env, "--now", IN_WINDOW, "--push", "--checkpoint", "1")

    assert result.returncode == 0, result.stderr
    assert flag.exists()
    assert len(recorder.messages) == 2
    check = tmp_path / "check"
    _git(tmp_path, "clone", "--quiet", str(remote), str(check))
    recorded = Site(check)
    assert recorded.link_sent() == {"alice": IN_WINDOW, "bob": IN_WINDOW, "carol": None}
    log = _git(check, "log", "--format=%s").splitlines()
    # A checkpoint after each message: every accepted message is pushed before the next is sent.
    record = f"Record meeting links sent for {EVENT}"
    assert log == [record, record, "Register", "Seed"]
    assert "recorded link_sent for 2 registrations in commit" in result.stdout
    assert outputs.read_text() == "changed=true\n"  # the workflow then rebuilds the site
    assert not (clone / ".signupsheet" / "sent.jsonl").exists()
    site.outputs += seed.outputs
    no_leaks(site, address("alice"), address("bob"))
    no_leaks(recorded, address("alice"), address("bob"))


def test_in_actions_without_smtp_nothing_is_marked(site: Site) -> None:
    site.write_event([entry("alice")])
    before = site.event_path.read_bytes()
    env = env_for(site, None, {"alice": address("alice")}, GITHUB_ACTIONS="true")
    result = site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "SIGNUPSHEET_SMTP_URL is not set" in result.stderr
    assert site.event_path.read_bytes() == before
    assert not (site.root / "outbox").exists()
    # A dry run needs no server.
    assert site.run(env, "--now", IN_WINDOW, "--dry-run").returncode == 0
