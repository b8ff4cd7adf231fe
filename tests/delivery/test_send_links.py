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

from githubdouble import REPOSITORY, GitHubDouble
from gitkit import IDENTITY, bare_remote, git, init_repo
from gitkit import clone as git_clone
from link_site import (
    BEFORE_WINDOW,
    END,
    EVENT,
    IN_WINDOW,
    REGISTERED,
    LinkSite,
    base_env,
    entry,
    event_text,
    make_link_site,
    scan,
)
from signupsheet.core.model import parse_timestamp
from smtp_server import Received, Recorder, free_port, smtp_server

SENDER = "Community events <events@example.org>"
REPLY_TO = "Organizers <orga@example.org>"
SITE_URL = "https://events.example.org/"


def address(login: str) -> str:
    return f"{login.lower()}@people.example.net"


@pytest.fixture
def link_site(tmp_path: Path) -> LinkSite:
    """A site for `send-links`, with no event yet."""
    return make_link_site(tmp_path)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def smtp_port(recorder: Recorder) -> Iterator[int]:
    with smtp_server(recorder) as port:
        yield port


def env_for(
    link_site: LinkSite,
    port: int | None,
    contacts: dict[str, str],
    github: GitHubDouble | None = None,
    **extra: str,
) -> dict[str, str]:
    values = {
        "SIGNUPSHEET_MEETING_LINKS": f"{EVENT}: {link_site.link}\n",
        "SIGNUPSHEET_CONTACTS": json.dumps(contacts),
        "SIGNUPSHEET_MAIL_FROM": SENDER,
        "SIGNUPSHEET_REPLY_TO": REPLY_TO,
        "SIGNUPSHEET_SITE_URL": SITE_URL,
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_STEP_SUMMARY": str(link_site.root.parent / "summary.md"),
    }
    if port is not None:
        values["SIGNUPSHEET_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    if github is not None:
        values["GITHUB_TOKEN"] = "test-token"
        values["GITHUB_API_URL"] = github.base_url
    values.update(extra)
    return base_env(**values)


def summary(link_site: LinkSite) -> str:
    path = link_site.root.parent / "summary.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def no_leaks(link_site: LinkSite, *needles: str) -> None:
    link_site.outputs.append(
        summary(link_site)
    )  # the job summary is a log organizers and others read
    assert scan(link_site, [link_site.link, *needles], skip=[link_site.root / "outbox"]) == []


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


def outbox_message(link_site: LinkSite) -> EmailMessage:
    """The one message a run without SMTP left in the outbox."""
    box = mailbox.Maildir(link_site.root / "outbox", create=False)
    [key] = list(box.keys())
    return Received("", [], box.get_bytes(key)).message


def test_messages_arrive_complete_once_and_only_for_confirmed(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    link_site.write_event(
        [
            entry("Alice", source="issue:11"),
            entry("bob"),
            entry("carol", source="issue:13"),  # public e-mail on the GitHub profile
            entry("dave", status="waitlisted"),
            entry("erin", link_sent="2030-05-01T13:05:00Z"),
        ],
        capacity=4,
    )
    double.emails.update({"carol": "carol@profile.example.net", "dave": address("dave")})
    contacts = {"alice": address("alice"), "BOB": address("bob"), "erin": address("erin")}
    env = env_for(link_site, smtp_port, contacts, double)

    result = link_site.run(env, "--now", IN_WINDOW)

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
    assert "1 May 2030, 14:00 UTC" in message["Subject"]
    plain, rich, ics = parts(message)
    assert link_site.link in plain
    assert "Wednesday, 1 May 2030, 14:00 to 15:30 UTC" in plain
    assert "https://events.example.org/policies/safe-space/" in plain
    assert "template=cancel.yml" in plain and f"event={EVENT}" in plain
    assert "Alice Example" in plain
    assert f'href="{link_site.link.replace("&", "&amp;")}"' in rich
    assert '<html lang="en">' in rich
    calendar = icalendar.Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2030, 5, 1, 14, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2030, 5, 1, 15, 30, tzinfo=UTC)
    assert str(event["url"]) == link_site.link
    assert str(event["location"]) == link_site.link
    assert link_site.link in str(event["description"])
    assert str(event["summary"]) == "Community call"

    sent = link_site.link_sent()
    assert sent["Alice"] == sent["bob"] == sent["carol"] == IN_WINDOW
    assert sent["dave"] is None
    assert sent["erin"] == "2030-05-01T13:05:00Z"
    text = link_site.event_path.read_text(encoding="utf-8")
    assert "comments like this one must survive" in text
    assert "sent" in result.stdout and "Alice" in result.stdout

    again = link_site.run(env, "--now", "2030-05-01T13:30:00Z")
    assert again.returncode == 0, again.stderr
    assert len(recorder.messages) == 3
    assert "nobody due" in again.stdout
    no_leaks(link_site, *contacts.values(), "carol@profile.example.net")


def test_nothing_before_the_window_after_the_end_or_for_a_cancelled_session(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, smtp_port, {"alice": address("alice")})
    assert link_site.run(env, "--now", BEFORE_WINDOW).returncode == 0
    assert link_site.run(env, "--now", END).returncode == 0
    link_site.write_event([entry("alice")], cancelled=True)
    assert link_site.run(env, "--now", IN_WINDOW).returncode == 0
    assert recorder.messages == []
    assert link_site.link_sent() == {"alice": None}


def test_late_registrant_gets_the_link_at_the_next_run(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, smtp_port, {"alice": address("alice"), "late": address("late")})
    assert link_site.run(env, "--now", IN_WINDOW).returncode == 0
    registrations = link_site.registrations()
    registrations.append(entry("late", registered="2030-05-01T13:55:00Z", source="issue:20"))
    link_site.write_event(registrations)

    result = link_site.run(env, "--now", "2030-05-01T14:07:00Z")

    assert result.returncode == 0, result.stderr
    assert [item.recipients for item in recorder.messages] == [
        [address("alice")],
        [address("late")],
    ]
    assert link_site.link_sent()["late"] == "2030-05-01T14:07:00Z"


def test_waitlisted_get_nothing_until_promoted(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice"), entry("wait", status="waitlisted")], capacity=1)
    env = env_for(link_site, smtp_port, {"alice": address("alice"), "wait": address("wait")})
    assert link_site.run(env, "--now", IN_WINDOW).returncode == 0
    assert recorder.to(address("wait")) == []
    # Alice cancels; the first waitlisted person is promoted.
    link_site.write_event([entry("wait")], capacity=1)

    assert link_site.run(env, "--now", "2030-05-01T13:40:00Z").returncode == 0

    assert len(recorder.to(address("wait"))) == 1
    assert len(recorder.messages) == 2


def test_unreachable_listed_by_login_and_told_once_on_their_issue(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    link_site.write_event(
        [
            entry("alice"),
            entry("NoMail", source="issue:42"),
            entry(None, source="import"),
            entry("ghost", source="pr:43"),  # no such GitHub account any more: 404
            entry("shy", visibility="private", source="issue:44"),
        ]
    )
    # The issues and the pull request they registered with, where they are told.
    for number, login in ((42, "NoMail"), (43, "ghost"), (44, "shy")):
        double.add_issue(
            number, login, "Sign me up", ["registration"], created=parse_timestamp(REGISTERED)
        )
    double.emails["nomail"] = None
    env = env_for(link_site, smtp_port, {"alice": address("alice")}, double)

    first = link_site.run(env, "--now", IN_WINDOW)
    second = link_site.run(env, "--now", "2030-05-01T13:30:00Z")

    assert first.returncode == second.returncode == 0
    assert [item.recipients for item in recorder.messages] == [[address("alice")]]
    assert "unreachable" in first.stdout and "NoMail" in first.stdout
    report = summary(link_site)
    assert "### Unreachable" in report
    assert "- `NoMail` (2030-05-01-community-call/main)" in report
    assert "- `entry 3 (no login)`" in report
    assert "- `ghost` (2030-05-01-community-call/main)" in report
    # Private registrants are not named in logs, only placed on the sheet; their issue is told.
    assert "- `entry 5 (private)`" in report
    assert "shy" not in report + first.stdout
    assert len(double.comments_on(44)) == 1
    assert "@" not in report.replace("@example", "")  # no address of anyone
    assert len(double.comments_on(43)) == 1  # registered by pull request: told there
    comments = double.comments_on(42)
    assert len(comments) == 1
    assert "Public email" in comments[0]["body"]
    assert "signupsheet:link-unreachable 2030-05-01-community-call/main" in comments[0]["body"]
    assert link_site.link_sent()["NoMail"] is None
    # Once they publish an address, the next run sends it.
    double.emails["nomail"] = address("nomail")
    assert link_site.run(env, "--now", "2030-05-01T13:40:00Z").returncode == 0
    assert len(recorder.to(address("nomail"))) == 1
    link_site.outputs.append(json.dumps(list(double.comments.values())))
    no_leaks(link_site, address("alice"), address("nomail"))


def test_github_outage_defers_instead_of_calling_someone_unreachable(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    link_site.write_event([entry("carol", source="issue:5")])
    double.emails["carol"] = address("carol")
    double.fail("POST", r"^/graphql$", 502, times=1000)
    env = env_for(link_site, smtp_port, {}, double)
    result = link_site.run(env, "--now", IN_WINDOW, "--json")
    report = json.loads(result.stdout)
    assert [item["status"] for item in report["outcomes"]] == ["deferred"]
    assert double.comments == {}
    assert recorder.messages == []


def test_refused_recipient_others_marked_retried_then_reported(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice"), entry("bounce"), entry("carol")])
    recorder.refuse.add(address("bounce"))
    env = env_for(
        link_site,
        smtp_port,
        {name: address(name) for name in ("alice", "bounce", "carol")},
    )

    first = link_site.run(env, "--now", IN_WINDOW)

    assert first.returncode == 0, first.stderr
    assert {tuple(item.recipients) for item in recorder.messages} == {
        (address("alice"),),
        (address("carol"),),
    }
    sent = link_site.link_sent()
    assert sent["alice"] == sent["carol"] == IN_WINDOW
    assert sent["bounce"] is None
    assert "refused" in first.stdout and "550" in first.stdout
    assert "failing repeatedly" not in summary(link_site)

    # Due since 13:00; at 13:40 the refusals have lasted longer than the 30-minute threshold.
    later = link_site.run(env, "--now", "2030-05-01T13:40:00Z", "--json")
    assert later.returncode == 1
    report = json.loads(later.stdout)
    assert [
        (item["login"], item["status"], item["repeated"], item["code"])
        for item in report["outcomes"]
    ] == [("bounce", "refused", True, 550)]
    assert "failing repeatedly" in summary(link_site)
    assert address("bounce") not in summary(link_site)

    recorder.refuse.clear()
    assert link_site.run(env, "--now", "2030-05-01T13:50:00Z").returncode == 0
    assert len(recorder.to(address("bounce"))) == 1
    assert len(recorder.messages) == 3
    no_leaks(link_site, *(address(name) for name in ("alice", "bounce", "carol")))


def test_server_down_marks_nothing_and_fails(link_site: LinkSite) -> None:
    link_site.write_event([entry("alice"), entry("bob")])
    before = link_site.event_path.read_bytes()
    env = env_for(link_site, free_port(), {"alice": address("alice"), "bob": address("bob")})

    result = link_site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 1
    assert "cannot reach the SMTP server" in result.stderr
    assert link_site.event_path.read_bytes() == before
    assert not (link_site.root / ".signupsheet" / "sent.jsonl").exists()
    assert "Mail server unavailable" in summary(link_site)


def _start_killable(link_site: LinkSite, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "signupsheet",
            "--root",
            str(link_site.root),
            "send-links",
            "--now",
            IN_WINDOW,
        ],
        env=env,
        cwd=link_site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("server_kept_sixth", [False, True])
def test_killed_after_five_of_ten_and_run_again(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, server_kept_sixth: bool
) -> None:
    logins = [f"person{index}" for index in range(10)]
    link_site.write_event([entry(login) for login in logins])
    env = env_for(link_site, smtp_port, {login: address(login) for login in logins})
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
    process.append(_start_killable(link_site, env))
    out, err = process[0].communicate(timeout=60)
    link_site.outputs += [out, err]
    assert process[0].returncode == -signal.SIGKILL

    journal = link_site.root / ".signupsheet" / "sent.jsonl"
    assert len(journal.read_text().splitlines()) == 5
    assert all(value is None for value in link_site.link_sent().values())
    recorder.on_data = recorder.after_store = None

    again = link_site.run(env, "--now", "2030-05-01T13:30:00Z")

    assert again.returncode == 0, again.stderr
    assert "5 sent by an interrupted run, recorded now" in again.stdout
    counts = {login: len(recorder.to(address(login))) for login in logins}
    if server_kept_sixth:
        # The documented window: accepted by the server, not yet noted by the sender.
        assert sorted(counts.values()) == [1] * 9 + [2]
    else:
        assert counts == dict.fromkeys(logins, 1)
    sent = link_site.link_sent()
    assert all(sent[login] is not None for login in logins)
    assert not journal.exists()
    no_leaks(link_site, *(address(login) for login in logins))


def test_dry_run_shows_who_gets_what_with_the_link_hidden(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice"), entry("nobody")])
    before = link_site.event_path.read_bytes()
    env = env_for(link_site, smtp_port, {"alice": address("alice")})

    result = link_site.run(env, "--now", IN_WINDOW, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert (
        f"would send   alice                    {EVENT}/main <link hidden> (address from contacts)"
        in result.stdout
    )
    assert "unreachable  nobody" in result.stdout
    assert recorder.messages == []
    assert link_site.event_path.read_bytes() == before
    no_leaks(link_site, address("alice"))


BAN_KEY = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key


def test_a_banned_person_gets_no_link_and_no_notice_wherever_the_entry_came_from(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    link_site.write_event(
        [
            entry("alice", source="issue:7"),
            entry("bob"),
            entry("Mallory", source="organizer"),
            entry("nomail", source="pr:9"),
        ]
    )
    env = env_for(
        link_site,
        smtp_port,
        {name: address(name) for name in ("alice", "bob", "mallory")},
        double,
        SIGNUPSHEET_BAN_KEY=BAN_KEY,
    )
    # The issue and the pull request they registered with, where a notice would go.
    for number, login in ((7, "alice"), (9, "nomail")):
        double.add_issue(
            number, login, "Sign me up", ["registration"], created=parse_timestamp(REGISTERED)
        )
    double.emails["nomail"] = None
    command = [sys.executable, "-m", "signupsheet", "--root", str(link_site.root), "ban"]
    banned = subprocess.run(
        [*command, "ALICE", "mallory", "NoMail"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert banned.returncode == 0, banned.stdout + banned.stderr

    dry = link_site.run(env, "--now", IN_WINDOW, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would send   bob" in dry.stdout
    for login in ("alice", "mallory", "nomail"):
        assert login not in dry.stdout.casefold(), f"{login} is shown"

    sent = link_site.run(env, "--now", IN_WINDOW, "--json")
    assert sent.returncode == 0, sent.stderr
    assert [item.recipients for item in recorder.messages] == [[address("bob")]]
    assert [item["login"] for item in json.loads(sent.stdout)["outcomes"]] == ["bob"]
    assert double.comments == {}, "no notice on the banned person's issue or pull request"
    assert link_site.link_sent() == {
        "alice": None,
        "bob": IN_WINDOW,
        "Mallory": None,
        "nomail": None,
    }
    assert "alice" not in summary(link_site) and "Mallory" not in summary(link_site)


def test_the_policy_link_comes_from_mkdocs_yml_when_no_variable_moves_it(
    link_site: LinkSite,
) -> None:
    link_site.write_event([entry("alice")])
    config = "site_url: https://pages.example.org/events/\nuse_directory_urls: false\n"
    (link_site.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = env_for(link_site, None, {"alice": address("alice")})
    del env["SIGNUPSHEET_SITE_URL"]

    result = link_site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 0, result.stderr
    plain, _, _ = parts(outbox_message(link_site))
    assert "https://pages.example.org/events/policies/safe-space.html" in plain


def test_without_smtp_messages_go_to_the_outbox(link_site: LinkSite) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, None, {"alice": address("alice")})
    del env["SIGNUPSHEET_MAIL_FROM"]

    result = link_site.run(env, "--now", IN_WINDOW)

    assert result.returncode == 0, result.stderr
    message = outbox_message(link_site)
    assert message["To"] == address("alice")
    assert message["From"] == "signupsheet preview <signupsheet@localhost>"
    plain, _, _ = parts(message)
    assert link_site.link in plain
    assert link_site.link_sent()["alice"] == IN_WINDOW
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "--no-index", "outbox/x"], cwd=link_site.root, check=False
    )
    assert ignored.returncode == 0 or not (link_site.root / ".git").exists()
    no_leaks(link_site, address("alice"))


def test_links_are_masked_before_anything_is_printed_in_actions(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, smtp_port, {"alice": address("alice")}, GITHUB_ACTIONS="true")
    result = link_site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    masks = [line for line in lines if line.startswith("::add-mask::")]
    assert lines[: len(masks)] == masks  # before anything else
    assert f"::add-mask::{link_site.link}" in masks
    assert f"::add-mask::{address('alice')}" in masks
    assert not any(link_site.link in line for line in lines[len(masks) :])
    # Outside Actions the command prints no mask lines, so the link appears nowhere.
    outside = link_site.run(
        env_for(link_site, smtp_port, {"alice": address("alice")}), "--now", IN_WINDOW
    )
    assert "::add-mask::" not in outside.stdout


def test_bad_secrets_are_reported_by_line_without_keys_or_values(link_site: LinkSite) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, None, {})
    env["SIGNUPSHEET_MEETING_LINKS"] = (
        f"{EVENT}: http://insecure.example.org/secret-room\nBad Key: {link_site.link}\n"
    )
    env["SIGNUPSHEET_CONTACTS"] = "alice: not-an-address secret-value\nALICE: alice@example.org\n"
    result = link_site.run(env, "--now", IN_WINDOW)
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
    for secret in ("secret-room", "secret-value", link_site.link, "alice@example.org", "Bad Key"):
        assert secret not in result.stderr + result.stdout
    assert "'alice'" not in result.stderr and "ALICE" not in result.stderr


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_a_swapped_secret_is_masked_before_it_is_read_and_never_printed(
    link_site: LinkSite, form: str
) -> None:
    """Keys and values swapped by mistake: the address and the link sit where keys belong. GitHub
    masks whole secret lines only, so each key and value is masked first, and the errors name
    the secret and the line, never a key or a value."""
    link_site.write_event([entry("alice")])
    hidden = "alice.secret@example.org"  # a test value, not a real address
    contacts, links = {hidden: "alice"}, {link_site.link: EVENT}
    env = env_for(link_site, None, {}, GITHUB_ACTIONS="true")
    if form == "json":
        env["SIGNUPSHEET_CONTACTS"] = json.dumps(contacts)
        env["SIGNUPSHEET_MEETING_LINKS"] = json.dumps(links)
    else:
        env["SIGNUPSHEET_CONTACTS"] = f"{hidden}: alice\n"
        env["SIGNUPSHEET_MEETING_LINKS"] = f"{link_site.link}: {EVENT}\n"
    command = [sys.executable, "-m", "signupsheet", "--root", str(link_site.root), "send-links"]
    # One stream, in the order a workflow log shows it.
    result = subprocess.run(
        [*command, "--now", IN_WINDOW, "--dry-run"],
        env=env,
        cwd=link_site.root,
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
    assert f"::add-mask::{link_site.link}" in masks
    rest = "\n".join(lines[len(masks) :])
    assert "SIGNUPSHEET_CONTACTS:1:" in rest and "SIGNUPSHEET_MEETING_LINKS:1:" in rest
    assert hidden not in rest and link_site.link not in rest
    assert "secret@" not in rest and "pwd=" not in rest


def test_missing_link_fails_and_names_the_session(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, smtp_port, {"alice": address("alice")})
    env["SIGNUPSHEET_MEETING_LINKS"] = f"other-event/main: {link_site.link}\n"
    result = link_site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "no link      alice" in result.stdout
    assert f"has no link for {EVENT} or {EVENT}/main; add one" in result.stdout
    assert "SIGNUPSHEET_MEETING_LINKS:1: the key on this line names no event" in result.stderr
    assert "other-event" not in result.stderr
    assert recorder.messages == []


def test_session_link_wins_over_the_event_link(
    link_site: LinkSite, recorder: Recorder, smtp_port: int
) -> None:
    link_site.write_event([entry("alice")])
    env = env_for(link_site, smtp_port, {"alice": address("alice")})
    special = link_site.link + "-main"
    env["SIGNUPSHEET_MEETING_LINKS"] = json.dumps({EVENT: link_site.link, f"{EVENT}/main": special})
    assert link_site.run(env, "--now", IN_WINDOW).returncode == 0
    [received] = recorder.messages
    plain, _, _ = parts(received.message)
    assert special in plain


def test_push_records_link_sent_on_the_remote_despite_a_push_race(
    tmp_path: Path, recorder: Recorder, smtp_port: int
) -> None:
    seed = make_link_site(tmp_path / "seed")
    seed.write_event([entry("alice"), entry("bob")])
    init_repo(seed.root, "Seed")
    remote = bare_remote(seed.root, tmp_path / "remote.git")
    clone = git_clone(remote, tmp_path / "clone")
    link_site = LinkSite(clone, link=seed.link)
    # A registration lands on the remote right before the delivery's first push, which is then
    # rejected: the marks must be re-applied on top of the new sheet.
    other = git_clone(remote, tmp_path / "other")
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
        f"git add -A && git {' '.join(IDENTITY)} commit -qm Register "
        "&& git push -q origin main\n"
    )
    hook.chmod(0o755)
    env = env_for(link_site, smtp_port, {"alice": address("alice"), "bob": address("bob")})
    outputs = tmp_path / "github-output"
    env["GITHUB_OUTPUT"] = str(outputs)

    result = link_site.run(env, "--now", IN_WINDOW, "--push", "--checkpoint", "1")

    assert result.returncode == 0, result.stderr
    assert flag.exists()
    assert len(recorder.messages) == 2
    check = git_clone(remote, tmp_path / "check")
    recorded = LinkSite(check)
    assert recorded.link_sent() == {"alice": IN_WINDOW, "bob": IN_WINDOW, "carol": None}
    log = git(check, "log", "--format=%s").splitlines()
    # A checkpoint after each message: every accepted message is pushed before the next is sent.
    record = f"Record meeting links sent for {EVENT}"
    assert log == [record, record, "Register", "Seed"]
    assert "recorded link_sent for 2 registrations in commit" in result.stdout
    assert outputs.read_text() == "changed=true\n"  # the workflow then rebuilds the site
    assert not (clone / ".signupsheet" / "sent.jsonl").exists()
    link_site.outputs += seed.outputs
    no_leaks(link_site, address("alice"), address("bob"))
    no_leaks(recorded, address("alice"), address("bob"))


def test_in_actions_without_smtp_nothing_is_marked(link_site: LinkSite) -> None:
    link_site.write_event([entry("alice")])
    before = link_site.event_path.read_bytes()
    env = env_for(link_site, None, {"alice": address("alice")}, GITHUB_ACTIONS="true")
    result = link_site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "SIGNUPSHEET_SMTP_URL is not set" in result.stderr
    assert link_site.event_path.read_bytes() == before
    assert not (link_site.root / "outbox").exists()
    # A dry run needs no server.
    assert link_site.run(env, "--now", IN_WINDOW, "--dry-run").returncode == 0
