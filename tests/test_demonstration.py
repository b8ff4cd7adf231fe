"""One event's whole life, end to end, with every real part the project talks to.

An organizer creates the event with `signupsheet new` and bans a login in a clone of the site's
repository (a bare git remote). The site, built by a real `mkdocs build` and read in Chromium,
shows the event open. Three people register through the issue form (handled by the sweep) and
one through a pull request (handled by the pull request bot), both against the GitHub double;
the banned login is refused; a fifth registrant lands on the waiting list and moves up when
someone cancels. At the link lead time `send-links --push` mails the four confirmed people, once
each, through a real SMTP server. The site then shows the sheet, and neither the meeting link
nor any of the addresses appears in the site, the repository's history, the comments on GitHub
or anything a command printed.

Every step runs as its workflow does: a fresh clone of main, the secrets in the environment, and
an explicit clock (`--now`, or the time an issue was opened).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from formbodies import cancel_body, register_body
from githubdouble import REPOSITORY, PullRequestDouble
from gitkit import bare_remote, git, init_repo, rev_parse
from link_site import base_env
from signupsheet.core.model import Registration
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_event
from signupsheet.eventfiles.semantic_checks import EMAIL, secret_leaks
from signupsheet.eventfiles.sheet_editing import write_sheets
from signupsheet.main import main
from signupsheet.registration.pulls.pull_check import POLICY_SENTENCE
from sitekit import Built, build, make_site, mkdocs_config, with_clock
from smtp_server import Recorder, smtp_server
from sweepkit import sweep_command

playwright_api = pytest.importorskip("playwright.sync_api")
from browserkit import CHROMIUM, chromium, open_page, served  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")

# Typed by the organizer in Vienna time: 15:00-16:30 CET is 14:00-15:30 UTC.
EVENT_ID = "2026-12-10-community-call"
# The moments of the story, in order.
CREATED = "2026-12-01T09:00:00Z"
FIRST_SWEEP = "2026-12-02T10:05:00Z"
PULL_REQUEST = "2026-12-02T11:00:00Z"
SECOND_SWEEP = "2026-12-02T12:05:00Z"
CANCEL_SWEEP = "2026-12-03T09:05:00Z"
# The link goes out from 60 minutes before the start (the default lead time).
LINK_RUN = "2026-12-10T13:10:00Z"
LINK_RERUN = "2026-12-10T13:40:00Z"
SENDER = "events.team@example.net"
BAN_KEY = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def address(login: str) -> str:
    return f"{login.casefold()}.private@people.example.net"


@dataclass
class Person:
    login: str
    name: str
    visibility: str = "Public"


ANN = Person("Ann", "Ann Arbor")
BOB = Person("bob", "Bob Builder")
TROLL = Person("Troll-42", "Trouble Maker")
CAROL = Person("carol", "Carol Quiet-Private", visibility="Private")
DAVE = Person("dave", "Dave Pullman")
ERIN = Person("Erin", "Erin Waits")
EVERYONE = [ANN, BOB, TROLL, CAROL, DAVE, ERIN]


@dataclass
class World:
    """The site's repository, the GitHub double serving its issues and pull requests, the
    secrets, and everything every command printed."""

    tmp: Path
    remote: Path
    double: PullRequestDouble
    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)
    runs: int = 0

    def checkout(self, name: str | None = None) -> Path:
        """A fresh clone of main, as a workflow run starts with."""
        self.runs += 1
        where = self.tmp / (name or f"run{self.runs}")
        git(self.tmp, "clone", "-q", "--branch", "main", str(self.remote), str(where))
        return where

    def command(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            args, capture_output=True, text=True, env=self.env, check=False, timeout=300
        )
        self.outputs += [result.stdout, result.stderr]
        return result

    def signupsheet(self, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return self.command([sys.executable, "-m", "signupsheet", "--root", str(root), *args])

    def sweep(self, now: str) -> subprocess.CompletedProcess[str]:
        # The kit's command with this step's clock: the last --now given counts.
        result = self.command([*sweep_command(self.double, self.checkout()), "--now", now])
        assert result.returncode == 0, result.stderr
        return result

    def pull_request(self, number: int, now: str) -> subprocess.CompletedProcess[str]:
        result = self.signupsheet(
            self.checkout(),
            *("pull-request", "--number", str(number), "--repo", self.double.repo),
            *("--api-url", self.double.base_url, "--server-url", "https://github.com"),
            *("--no-throttle", "--backoff", "0.05", "--now", now),
        )
        assert result.returncode == 0, result.stderr
        return result

    def event_file(self) -> str:
        return git(self.remote, "show", f"main:events/{EVENT_ID}.yaml")

    def sheet(self) -> dict[str, dict[str, Any]]:
        """The registrations on main by login, as plain strings."""
        data = yaml.load(self.event_file(), Loader=yaml.BaseLoader)
        (session,) = data["sessions"]
        return {entry["login"]: entry for entry in session.get("registrations", [])}

    def build_site(self, now: str) -> Built:
        """A real `mkdocs build --strict` of main, as if at `now`."""
        root = self.checkout()
        config = root / "mkdocs.yml"
        config.write_text(with_clock(config.read_text(encoding="utf-8"), now), encoding="utf-8")
        built = build(root)
        self.outputs += [built.result.stdout, built.result.stderr]
        assert built.result.returncode == 0, built.result.stderr
        return built

    def comments(self) -> list[str]:
        with self.double.lock:
            return [comment["body"] for comment in self.double.comments.values()]

    def bot_comment(self, number: int) -> str:
        (comment,) = self.double.bot_comments(number)
        return comment


def seed_site(tmp: Path) -> Path:
    """A new events site from this repository: docs, schema, forms, no events; pushed to a bare
    remote."""
    config = mkdocs_config(now=None, repo_url=f"https://github.com/{REPOSITORY}")
    seed = make_site(tmp / "seed", docs=True, forms=True, gitignore=True, config=config)
    init_repo(seed, "A new events site")
    return bare_remote(seed, tmp / "remote.git")


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@dataclass
class Seen:
    """What a reader sees of the event page."""

    badge: str
    when: str
    content: str
    names: list[str]
    text: str
    register: str | None


def read_event_page(browser: Any, built: Built) -> Seen:
    with served(built.site) as base:
        context = browser.new_context(timezone_id="Europe/Vienna", locale="en-GB")
        try:
            page, watch = open_page(context, f"{base}events/{EVENT_ID}/")
            home, home_watch = open_page(context, base)
            # The home page leads to the event.
            home.get_by_role("link", name="Community call").first.click()
            home.wait_for_url(f"{base}events/{EVENT_ID}/")
            register = page.get_by_role("link", name="Register", exact=True)
            seen = Seen(
                badge=page.locator(".ss-state").first.inner_text(),
                when=page.locator("time").first.inner_text(),
                content=page.locator(".md-content").first.inner_text(),
                names=page.locator(".ss-sheet td:nth-child(2)").all_inner_texts(),
                text=page.locator("body").inner_text(),
                register=register.get_attribute("href") if register.count() else None,
            )
            watch.check()
            home_watch.check()
            return seen
        finally:
            context.close()


def places(texts: dict[str, bytes], needles: list[str]) -> list[str]:
    """Where any needle occurs, named without repeating it."""
    return [
        f"{where}: needle {index}"
        for where, data in texts.items()
        for index, needle in enumerate(needles)
        if needle.encode() in data
    ]


def site_files(built: Built) -> dict[str, bytes]:
    return {
        f"site/{path.relative_to(built.site)}": path.read_bytes()
        for path in sorted(built.site.rglob("*"))
        if path.is_file()
    }


def test_an_event_from_creation_to_the_meeting_link(
    tmp_path: Path,
    browser: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The ban list's key: in the organizer's shell (the in-process commands) and every run.
    monkeypatch.setenv("SIGNUPSHEET_BAN_KEY", BAN_KEY)
    link = (
        f"https://example.zoom.us/j/{secrets.randbelow(10**11):011d}"
        f"?pwd={secrets.token_urlsafe(16)}"
    )
    contacts = {person.login: address(person.login) for person in EVERYONE}
    remote = seed_site(tmp_path)
    double = PullRequestDouble(remote, REPOSITORY)
    double.start()
    recorder = Recorder()
    try:
        with smtp_server(recorder) as port:
            world = World(
                tmp_path,
                remote,
                double,
                base_env(
                    GITHUB_TOKEN="test-token-not-secret",
                    GITHUB_REPOSITORY=REPOSITORY,
                    GITHUB_API_URL=double.base_url,
                    GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
                    SIGNUPSHEET_BAN_KEY=BAN_KEY,
                    # Every workflow run has the secrets, as on GitHub.
                    SIGNUPSHEET_MEETING_LINKS=json.dumps({EVENT_ID: link}),
                    SIGNUPSHEET_CONTACTS=json.dumps(contacts),
                    SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
                    SIGNUPSHEET_MAIL_FROM=f"Community events <{SENDER}>",
                ),
            )
            live_story(world, browser, capsys, recorder, link, contacts)
    finally:
        double.release.set()
        double.stop()


def live_story(
    world: World,
    browser: Any,
    capsys: pytest.CaptureFixture[str],
    recorder: Recorder,
    link: str,
    contacts: dict[str, str],
) -> None:
    # --- The organizer adds the event, bans a login, refreshes the forms, and pushes. ---------
    organizer = world.checkout("organizer")
    root = ["--root", str(organizer)]
    new_event = [
        "--title", "Community call",
        "--session", "2026-12-10 15:00", "16:30",
        "--tz", "Europe/Vienna",
        "--capacity", "4",
        "--platform", "Zoom",
        "--policy", "policies/safe-space.md",
        "--contact", "https://meta.wikimedia.org/wiki/User_talk:Events_team",
    ]  # fmt: skip
    assert main([*root, "new", *new_event]) == 0
    assert main([*root, "ban", TROLL.login]) == 0
    assert main([*root, "forms", "--now", CREATED]) == 0
    assert main([*root, "validate"]) == 0
    printed = capsys.readouterr()
    world.outputs += [printed.out, printed.err]
    assert f"wrote events/{EVENT_ID}.yaml: 2026-12-10T14:00:00Z to 2026-12-10T15:30:00Z" in (
        printed.out
    )
    assert "1 of 1 added to banlist.txt" in printed.out
    assert TROLL.login.casefold() not in (organizer / "banlist.txt").read_text().casefold()
    assert f"`{EVENT_ID}`" in (organizer / ".github/ISSUE_TEMPLATE/register.yml").read_text()
    git(organizer, "add", "-A")
    git(organizer, "commit", "-qm", "Add the community call of 10 December")
    git(organizer, "push", "-q", "origin", "main")

    # --- The site shows the event, open, with four seats. -------------------------------------
    seen = read_event_page(browser, world.build_site(CREATED))
    assert seen.badge == "open"
    # Shown in the reader's zone (Vienna here), with the UTC time beside it.
    assert seen.when.startswith("Thursday, 10 December 2026 at 15:00 CET (Europe/Vienna)")
    assert seen.when.endswith("[Thursday, 10 December 2026, 14:00 UTC]")
    assert "4 of 4 seats left" in seen.content
    assert "Nobody has signed up yet." in seen.content
    assert seen.register is not None
    assert seen.register.startswith(f"https://github.com/{REPOSITORY}/issues/new?")
    assert "template=register.yml" in seen.register and f"event={EVENT_ID}" in seen.register

    # --- Four issue forms; the banned login is refused, the other three get seats. -----------
    registration = ["registration"]
    for number, person in enumerate([ANN, BOB, TROLL, CAROL], start=1):
        body = register_body(EVENT_ID, name=person.name, visibility=person.visibility)
        author = person.login.upper() if person is TROLL else person.login  # any spelling
        opened = at(FIRST_SWEEP).replace(hour=10, minute=0, second=number)
        world.double.add_issue(number, author, body, registration, created=opened)
    assert world.sweep(FIRST_SWEEP).stdout.splitlines() == [
        "#1: registered",
        "#2: registered",
        "#3: refused",
        "#4: registered",
    ]
    sheet = world.sheet()
    assert list(sheet) == ["Ann", "bob", "carol"]
    assert {login: entry.get("status", "confirmed") for login, entry in sheet.items()} == {
        "Ann": "confirmed",
        "bob": "confirmed",
        "carol": "confirmed",
    }
    assert sheet["Ann"]["registered"] == "2026-12-02T10:00:01Z"
    assert sheet["carol"]["visibility"] == "private"
    refusal = world.bot_comment(3)
    assert "Registration is not possible. Please contact the organizers." in refusal
    assert "ban" not in refusal.casefold()
    assert world.double.label_names(3) == ["refused", "registration"]
    assert world.double.issues[3]["state"] == "closed"
    assert "**You are registered**" in world.bot_comment(1)

    # --- A pull request takes the fourth seat. ------------------------------------------------
    contributor = world.checkout("contributor")
    project = Project(contributor)
    event = load_event(project, EVENT_ID)
    event.sessions[0].registrations.append(Registration(name=DAVE.name, login=DAVE.login))
    write_sheets(project.event_path(EVENT_ID), event)
    git(contributor, "checkout", "-q", "-b", "sign-up-dave")
    git(contributor, "commit", "-qam", "Sign me up")
    head = rev_parse(contributor)
    git(contributor, "push", "-q", "origin", "HEAD:refs/pull/5/head")
    ticked = f"Please add me.\n\n- [x] {POLICY_SENTENCE} (linked on the event's page)\n"
    world.double.add_pull(5, DAVE.login, head, ticked)
    assert world.pull_request(5, PULL_REQUEST).stdout.splitlines()[-1] == "#5: re-applied"
    # Closed, never merged: none of the pull request's commits reaches main.
    assert world.double.pulls[5]["state"] == "closed" and not world.double.pulls[5]["merged"]
    assert head not in git(world.remote, "rev-list", "main")
    dave = world.sheet()["dave"]
    assert (dave["source"], dave["registered"]) == ("pr:5", PULL_REQUEST)
    assert dave.get("status", "confirmed") == "confirmed"
    assert "**You are registered**" in world.bot_comment(5)

    # --- The event is full: the next form lands on the waiting list. -------------------------
    opened = at(SECOND_SWEEP).replace(minute=0)
    erin = register_body(EVENT_ID, name=ERIN.name)
    world.double.add_issue(6, ERIN.login, erin, registration, created=opened)
    assert world.sweep(SECOND_SWEEP).stdout.splitlines() == ["#6: waitlisted"]
    assert world.sheet()["Erin"]["status"] == "waitlisted"
    assert "waiting list" in world.bot_comment(6)
    assert world.double.label_names(6) == ["registration", "waitlisted"]

    # --- Bob cancels; Erin moves up and is told on her issue. --------------------------------
    opened = at(CANCEL_SWEEP).replace(minute=0)
    world.double.add_issue(
        7, "BOB", cancel_body(EVENT_ID), ["cancellation"], created=opened, title="Cancel"
    )
    assert world.sweep(CANCEL_SWEEP).stdout.splitlines() == ["#7: cancelled"]
    sheet = world.sheet()
    assert list(sheet) == ["Ann", "carol", "dave", "Erin"]
    assert all(entry.get("status", "confirmed") == "confirmed" for entry in sheet.values())
    assert "**Your registration is cancelled**" in world.bot_comment(7)
    assert "moved up from the waiting list" in world.bot_comment(6)
    assert world.double.label_names(6) == ["registered", "registration"]
    # The secrets were there all along, but nobody was due: nothing was sent yet.
    assert recorder.messages == []

    # --- At the lead time the four confirmed get the link, once each. -------------------------
    early = world.signupsheet(
        world.checkout(), "send-links", "--push", "--now", "2026-12-10T12:50:00Z"
    )
    assert early.returncode == 0, early.stderr
    assert "nobody due" in early.stdout and recorder.messages == []
    sent = world.signupsheet(world.checkout(), "send-links", "--push", "--now", LINK_RUN)
    assert sent.returncode == 0, sent.stderr
    confirmed = [ANN, CAROL, DAVE, ERIN]
    assert sorted(tuple(item.recipients) for item in recorder.messages) == sorted(
        (contacts[person.login],) for person in confirmed
    )
    for item in recorder.messages:
        plain = item.message.get_body(preferencelist=("plain",))
        assert plain is not None and link in plain.get_content()
        assert "Community call" in item.message["Subject"]
    assert {login: entry.get("link_sent") for login, entry in world.sheet().items()} == {
        person.login: LINK_RUN for person in confirmed
    }
    again = world.signupsheet(world.checkout(), "send-links", "--push", "--now", LINK_RERUN)
    assert again.returncode == 0, again.stderr
    assert "nobody due" in again.stdout
    assert len(recorder.messages) == len(confirmed)

    # --- The site shows the sheet: public entries by name, the private one counted. -----------
    built = world.build_site(LINK_RUN)
    seen = read_event_page(browser, built)
    assert seen.names == [ANN.name, DAVE.name, ERIN.name]
    assert "1 more person signed up privately" in seen.content
    assert "Sign-up sheet: 4 signed up" in seen.content
    assert "Waiting list" not in seen.content
    for absent in (BOB, TROLL, CAROL):
        assert absent.name not in seen.text

    # --- Neither the link nor an address is anywhere but in the mails. -----------------------
    pwd = link.split("pwd=")[1]
    meeting = link.split("/j/")[1].split("?")[0]
    needles = [link, pwd, meeting, SENDER, BAN_KEY, *contacts.values()]
    history = subprocess.run(
        ["git", "-C", str(world.remote), "log", "-p", "--all", "--format=%H%n%an <%ae>%n%B"],
        capture_output=True,
        check=True,
    ).stdout
    summary = world.tmp / "summary.md"
    texts: dict[str, bytes] = {
        **site_files(built),
        "git log -p --all": history,
        **{f"comment {i}": text.encode() for i, text in enumerate(world.comments())},
        **{f"output {i}": text.encode() for i, text in enumerate(world.outputs)},
        "job summary": summary.read_bytes() if summary.exists() else b"",
    }
    assert places(texts, needles) == []
    # Nor any address or join link at all in what people read: the event page, the comments,
    # the logs, the history (the bot's own address is in the commits' headers, not in these).
    produced = {
        "event page": (built.site / "events" / EVENT_ID / "index.html").read_text(),
        **{f"comment {i}": text for i, text in enumerate(world.comments())},
        **{f"output {i}": text for i, text in enumerate(world.outputs)},
    }
    assert {where: found for where, text in produced.items() if (found := secret_leaks(text))} == {}
    (seed,) = git(world.remote, "rev-list", "--max-parents=0", "main").split()
    commits = git(world.remote, "log", "-p", "--all", "--format=%B", f"^{seed}")
    assert secret_leaks(commits) == []
    assert EMAIL.findall(commits) == []
