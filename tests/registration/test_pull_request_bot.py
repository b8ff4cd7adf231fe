"""End to end: pull requests in a real git remote, handled by `signupsheet pull-request` through
PyGithub against the GitHub double, the way the workflow runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from githubdouble import PAYLOADS, PullRequestDouble
from gitkit import bare_remote, git, init_repo, rev_parse
from link_site import base_env
from prcorpus import (
    ALICE,
    BASE_FILES,
    BOB,
    MEETUP,
    NOW,
    OLD_TIMER,
    entry,
    meetup,
)
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.main import main
from signupsheet.registration import banlist
from signupsheet.registration.pulls.pull_check import POLICY_SENTENCE
from sitekit import make_site
from smtp_server import Recorder, smtp_server

TICKED = f"Please add me.\n\n- [x] {POLICY_SENTENCE} (linked on the event's page)\n"
SERVER = "http://github.invalid"
BAN_KEY = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key


class PullRequestSite:
    """A site in a bare git remote, a contributor's clone of it, and the GitHub double that
    serves its pull requests."""

    def __init__(self, tmp: Path, double: PullRequestDouble) -> None:
        self.tmp = tmp
        self.remote = tmp / "remote.git"
        self.double = double
        self.contributor = tmp / "contributor"
        git(tmp, "clone", "--quiet", str(self.remote), str(self.contributor))
        self.runs = 0

    def open_pull(
        self, number: int, author: str, files: dict[str, str], body: str | None = TICKED
    ) -> str:
        """Commit `files` on a branch forked from main and push it as GitHub does."""
        git(self.contributor, "fetch", "--quiet", "origin")
        git(self.contributor, "checkout", "--quiet", "-B", f"pr{number}", "origin/main")
        for path, text in files.items():
            (self.contributor / path).write_text(text, encoding="utf-8")
        git(self.contributor, "commit", "--quiet", "--all", "--message", f"Sign up {author}")
        sha = rev_parse(self.contributor)
        git(self.contributor, "push", "--quiet", "origin", f"HEAD:refs/pull/{number}/head")
        self.double.add_pull(number, author, sha, body)
        return sha

    def open_pull_history(
        self, number: int, author: str, commits: list[dict[str, str | None]], address: str
    ) -> list[str]:
        """Push a branch of several commits, made with the contributor's own git identity (an
        address): `None` as a file's content deletes it. The SHAs of the commits, in order."""
        git(self.contributor, "fetch", "--quiet", "origin")
        git(self.contributor, "checkout", "--quiet", "-B", f"pr{number}", "origin/main")
        identity = {
            **os.environ,
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": address,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": address,
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        shas = []
        for index, files in enumerate(commits, start=1):
            for path, text in files.items():
                target = self.contributor / path
                if text is None:
                    target.unlink()
                else:
                    target.write_text(text, encoding="utf-8")
            subprocess.run(
                ["git", "-C", str(self.contributor), "add", "--all"], check=True, env=identity
            )
            subprocess.run(
                ["git", "-C", str(self.contributor), "commit", "--quiet", "-m", f"Step {index}"],
                check=True,
                env=identity,
            )
            shas.append(rev_parse(self.contributor))
        git(self.contributor, "push", "--quiet", "origin", f"HEAD:refs/pull/{number}/head")
        self.double.add_pull(number, author, shas[-1], TICKED)
        return shas

    def run_bot(self, number: int, monkeypatch: pytest.MonkeyPatch, now: str = NOW) -> int:
        """One workflow run: a fresh clone of main, then the command."""
        self.runs += 1
        checkout = self.tmp / f"run{self.runs}"
        git(self.tmp, "clone", "--quiet", "--branch", "main", str(self.remote), str(checkout))
        monkeypatch.setenv("GITHUB_TOKEN", "test-token-not-secret")
        monkeypatch.setenv(banlist.BAN_KEY_VARIABLE, BAN_KEY)
        return main(
            [
                *("--root", str(checkout), "pull-request", "--number", str(number)),
                *("--repo", self.double.repo, "--api-url", self.double.base_url),
                *("--server-url", SERVER, "--no-throttle", "--backoff", "0.05", "--now", now),
            ]
        )

    def main_file(self, path: str = MEETUP) -> str:
        return git(self.remote, "show", f"main:{path}")

    def comments(self, number: int) -> list[str]:
        return [comment["body"] for comment in self.double.comments_on(number)]


@pytest.fixture
def pr_site(tmp_path: Path) -> Iterator[PullRequestSite]:
    seed = make_site(tmp_path / "seed", files=BASE_FILES)
    bans = banlist.BanList()
    bans.add("Troll-42", BAN_KEY)
    banlist.save(seed / "banlist.txt", bans)
    init_repo(seed)
    bare_remote(seed, tmp_path / "remote.git")
    double = PullRequestDouble(tmp_path / "remote.git")
    double.start()
    try:
        yield PullRequestSite(tmp_path, double)
    finally:
        double.stop()


def sheet(text: str, session: str = "main") -> list[dict[str, object]]:
    data = untrusted_yaml.parse(text.encode(), "x").data
    found = next(item for item in data["sessions"] if item["id"] == session)
    return list(found.get("registrations", []))


def test_two_sign_ups_from_one_base_both_land_as_the_bots_own_commits(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    dave = pr_site.open_pull(
        1, "dave", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", note="Hi"))}
    )
    erin = pr_site.open_pull(
        2, "Erin", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("erin", "Erin Example"))}
    )
    seed = rev_parse(pr_site.remote, "main")

    assert pr_site.run_bot(1, monkeypatch) == 0
    first = rev_parse(pr_site.remote, "main")
    # One parent: main. The pull request's head is not merged, although it merges cleanly.
    assert git(pr_site.remote, "show", "--no-patch", "--format=%P", first).split() == [seed]
    assert dave not in git(pr_site.remote, "rev-list", "main")
    assert pr_site.double.pulls[1]["state"] == "closed" and not pr_site.double.pulls[1]["merged"]
    text = pr_site.main_file()
    assert "# imported from the wiki" in text, "comments of the file survive"
    entries = sheet(text)
    assert entries[-1] == {
        "login": "dave",
        "name": "Dave",
        "registered": "2026-11-20T12:00:00Z",
        "note": "Hi",
        "source": "pr:1",
        # The pull request author's account id, as the payload has it: the entry is bound to it.
        "user_id": pr_site.double.pulls[1]["user"]["id"],
    }
    (comment,) = pr_site.comments(1)
    assert "**You are registered** for **Monthly meetup**, session `main`" in comment
    assert f"on main in [{first[:12]}]({SERVER}/{pr_site.double.repo}/commit/{first})" in comment
    assert "this pull request is closed" in comment

    assert pr_site.run_bot(2, monkeypatch) == 0
    commit = rev_parse(pr_site.remote, "main")
    assert git(pr_site.remote, "show", "--no-patch", "--format=%P", commit).split() == [first]
    message = git(pr_site.remote, "show", "--no-patch", "--format=%B", commit)
    assert message.startswith("Sign-up of Erin for 2026-12-03-meetup (pull request #2)")
    assert "@" not in message, "no address of the author in the history"
    entries = sheet(pr_site.main_file())
    assert [item.get("login") for item in entries] == [None, "Alice", "bob", "dave", "Erin"]
    assert entries[-1]["source"] == "pr:2" and entries[-1]["name"] == "Erin Example"
    assert pr_site.double.pulls[2]["state"] == "closed" and not pr_site.double.pulls[2]["merged"]
    (comment,) = pr_site.comments(2)
    assert "not merged" in comment and commit in comment
    assert erin not in git(pr_site.remote, "rev-list", "main")
    # Every commit on main is the seed's or the bot's.
    authors = set(git(pr_site.remote, "log", "--format=%ae %ce", f"{seed}..main").split())
    assert authors == {"41898282+github-actions[bot]@users.noreply.github.com"}


def test_banned_login_is_refused_neutrally_and_nothing_merges(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rev_parse(pr_site.remote, "main")
    pr_site.open_pull(
        3, "TROLL-42", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("troll-42", "T"))}
    )
    assert pr_site.run_bot(3, monkeypatch) == 0
    assert pr_site.run_bot(3, monkeypatch) == 0  # a re-run edits the one comment
    (comment,) = pr_site.comments(3)
    assert "Registration is not possible. Please contact the organizers." in comment
    assert "ban" not in comment.lower()
    assert rev_parse(pr_site.remote, "main") == before
    assert pr_site.double.pulls[3]["state"] == "open"


def test_a_pull_request_that_edits_a_workflow_is_never_merged(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rev_parse(pr_site.remote, "main")
    files = {
        MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("mallory", "Mallory")),
        ".github/workflows/checks.yml": "name: checks\non: push\n# run my code\n",
    }
    head = pr_site.open_pull(4, "mallory", files)
    assert pr_site.run_bot(4, monkeypatch) == 0
    (comment,) = pr_site.comments(4)
    assert "The bot cannot merge this pull request" in comment
    assert "changes .github/workflows/checks.yml, which is not an event file" in comment
    assert rev_parse(pr_site.remote, "main") == before
    assert head not in git(pr_site.remote, "rev-list", "main")
    assert (
        pr_site.main_file(".github/workflows/checks.yml")
        == BASE_FILES[".github/workflows/checks.yml"]
    )
    # Only the workflow: left for a maintainer, still never merged by the bot.
    pr_site.open_pull(5, "mallory", {".github/workflows/checks.yml": "name: mine\n"})
    assert pr_site.run_bot(5, monkeypatch) == 0
    (comment,) = pr_site.comments(5)
    assert "Left for a maintainer to review" in comment
    assert rev_parse(pr_site.remote, "main") == before


def test_a_push_after_the_check_is_not_merged(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rev_parse(pr_site.remote, "main")
    checked = pr_site.open_pull(
        6, "dave", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("dave", "D"))}
    )
    # The author pushes again; the API still reports the head the workflow was started for.
    (pr_site.contributor / "README.md").write_text("# changed\n")
    git(pr_site.contributor, "commit", "--quiet", "--all", "--message", "more")
    git(pr_site.contributor, "push", "--quiet", "--force", "origin", "HEAD:refs/pull/6/head")
    assert pr_site.double.pulls[6]["head"]["sha"] == checked
    assert pr_site.run_bot(6, monkeypatch) == 0
    (comment,) = pr_site.comments(6)
    assert "New commits arrived" in comment
    assert rev_parse(pr_site.remote, "main") == before


def test_cancel_by_pull_request_without_ticking_the_box(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    pr_site.open_pull(7, "BOB", {MEETUP: meetup(OLD_TIMER + ALICE)}, body=None)
    assert pr_site.run_bot(7, monkeypatch) == 0
    assert [item.get("login") for item in sheet(pr_site.main_file())] == [None, "Alice"]
    (comment,) = pr_site.comments(7)
    assert "**Your registration is cancelled**" in comment
    assert re.search(r"Cancellation of BOB for 2026-12-03-meetup", git(pr_site.remote, "log", "-1"))


def test_commits_pushed_during_the_run_are_checked_on_their_own(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    pr_site.open_pull(10, "zoe", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("zoe", "Zoe"))})
    pr_site.open_pull(11, "dave", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave"))})
    assert pr_site.run_bot(10, monkeypatch) == 0  # main moved: pull request 11 conflicts now
    checked = pr_site.double.pulls[11]["head"]["sha"]
    # The author's next commit, on top of the checked one.
    git(pr_site.contributor, "checkout", "--quiet", checked)
    text = meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", note="Late"))
    (pr_site.contributor / MEETUP).write_text(text, encoding="utf-8")
    git(pr_site.contributor, "commit", "--quiet", "--all", "--message", "Add a note")
    later = rev_parse(pr_site.contributor)
    pr_site.double.move_head_after(11, 1, later)  # the author pushes while the bot works
    assert pr_site.double.pulls[11]["head"]["sha"] == checked
    assert pr_site.run_bot(11, monkeypatch) == 0
    git(pr_site.contributor, "push", "--quiet", "--force", "origin", f"{later}:refs/pull/11/head")
    entries = sheet(pr_site.main_file())
    assert entries[-1]["login"] == "dave" and "note" not in entries[-1]  # what was checked
    assert pr_site.double.pulls[11]["state"] == "open"
    (comment,) = pr_site.comments(11)
    assert "New commits arrived after the check" in comment
    assert pr_site.run_bot(11, monkeypatch) == 0  # the run for the new commits
    assert sheet(pr_site.main_file())[-1]["note"] == "Late"
    (comment,) = pr_site.comments(11)
    assert "**You are registered**" in comment
    assert pr_site.double.pulls[11]["state"] == "closed"


def test_the_workflow_step_reads_everything_from_its_environment(
    pr_site: PullRequestSite, tmp_path: Path
) -> None:
    """As `signupsheet pull-request` runs in the workflow: a fresh checkout of main, the webhook
    payload in a file, settings and token in the environment, an output for the deploy job."""
    pr_site.open_pull(20, "dave", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave"))})
    event = json.loads((PAYLOADS / "pull_request.opened.payload.json").read_text())
    event["number"] = event["pull_request"]["number"] = 20
    payload_file = tmp_path / "event.json"
    payload_file.write_text(json.dumps(event))
    outputs = tmp_path / "outputs"
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "--quiet", "--branch", "main", str(pr_site.remote), str(checkout))
    token = "ghs_not-a-real-token-0123456789"
    env = {
        **os.environ,
        "GITHUB_TOKEN": token,
        "GITHUB_EVENT_PATH": str(payload_file),
        "GITHUB_REPOSITORY": pr_site.double.repo,
        "GITHUB_API_URL": pr_site.double.base_url,
        "GITHUB_SERVER_URL": SERVER,
        "GITHUB_OUTPUT": str(outputs),
        banlist.BAN_KEY_VARIABLE: BAN_KEY,
    }
    done = subprocess.run(
        [sys.executable, "-m", "signupsheet", "pull-request", "--no-throttle", "--now", NOW],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "#20: re-applied\n"
    # Outside the link window: nobody for the delivery job.
    assert outputs.read_text() == "pushed=true\nconfirmed=\n"
    assert sheet(pr_site.main_file())[-1]["source"] == "pr:20"
    assert token not in done.stdout + done.stderr
    assert token not in (checkout / ".git" / "config").read_text()


def test_text_from_the_pull_request_is_shown_plainly() -> None:
    from signupsheet.core.errors import Problem
    from signupsheet.registration.pulls.pull_check import CheckResult
    from signupsheet.registration.pulls.pull_replies import check_reply

    result = CheckResult(
        "refuse",
        event="2026-12-03-meetup",
        reasons=["adds an entry for @octo-org/everyone <img src=x> to session 'main'"],
        problems=[Problem(MEETUP, 3, 5, "'```' is not in the expected form")],
    )
    text = check_reply(result)
    assert "@\u200bocto-org/everyone &lt;img src=x&gt;" in text
    assert "@octo" not in text and "<img" not in text
    # The problems sit in a code fence longer than any backticks inside them.
    assert f"````text\n{MEETUP}:3:5: '```' is not in the expected form\n````" in text


def test_a_sign_up_inside_the_link_window_is_served_by_the_delivery_job_and_only_that_entry(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The checking job holds no mail secret and sends nothing; it names the entry it confirmed
    in its output, and the delivery job (a fresh checkout of main, the secrets) mails exactly
    that person — not Alice and bob, who are due as well and left to the scheduled run."""
    link = "https://meet.example.net/room-pr-4d2e"  # a test value: not a real meeting
    contacts = {login: f"{login}@people.example.net" for login in ("alice", "bob", "dave")}
    secrets = {
        "SIGNUPSHEET_MEETING_LINKS": json.dumps({"2026-12-03-meetup": link}),
        "SIGNUPSHEET_CONTACTS": json.dumps(contacts),
        "SIGNUPSHEET_MAIL_FROM": "events@example.net",
    }
    pr_site.open_pull(1, "dave", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave"))})
    outputs = tmp_path / "check-outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    recorder = Recorder()
    with smtp_server(recorder) as port:
        # The session starts at 14:00 UTC; the link window opens 60 minutes before.
        assert pr_site.run_bot(1, monkeypatch, now="2026-12-03T13:30:00Z") == 0
        assert recorder.messages == [], "the checking job sends nothing"
        written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
        assert written["pushed"] == "true"
        assert json.loads(written["confirmed"]) == [["2026-12-03-meetup", "main", "dave"]]

        checkout = tmp_path / "deliver"
        git(tmp_path, "clone", "--quiet", "--branch", "main", str(pr_site.remote), str(checkout))
        env = base_env(
            **secrets,
            SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SIGNUPSHEET_BAN_KEY=BAN_KEY,
            SIGNUPSHEET_CONFIRMED=written["confirmed"],
            GITHUB_OUTPUT=str(tmp_path / "deliver-outputs"),
        )
        deliver = [sys.executable, "-m", "signupsheet", "send-links", "--push", "--only-confirmed"]
        done = subprocess.run(
            [*deliver, "--now", "2026-12-03T13:31:00Z"],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert [item.recipients for item in recorder.messages] == [[contacts["dave"]]]
    body = recorder.messages[0].message.get_body(("plain",))
    assert body is not None and link in body.get_content()
    entries = {item.get("login"): item for item in sheet(pr_site.main_file())}
    assert entries["dave"]["link_sent"] == "2026-12-03T13:31:00Z"
    assert "link_sent" not in entries["Alice"] and "link_sent" not in entries["bob"]
    assert (tmp_path / "deliver-outputs").read_text() == "changed=true\n"
    assert link not in git(pr_site.remote, "log", "-p", "--format=%B", "main")
    assert all(link not in comment for comment in pr_site.comments(1))


def test_no_commit_of_the_pull_request_reaches_main_only_the_checked_change(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first commit adds a file with someone's address, a second removes it and adds the
    author's entry: the net change is acceptable, but neither commit, the file, nor the
    contributor's commit address may become reachable from main (beyond `purge`'s reach)."""
    someone = "alice.private@people.example.net"  # a test value, not a real address
    contributor = "dave.commits@people.example.net"
    shas = pr_site.open_pull_history(
        30,
        "dave",
        [
            {"notes.txt": f"alice: {someone}\n"},
            {"notes.txt": None, MEETUP: meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave"))},
        ],
        contributor,
    )
    before = rev_parse(pr_site.remote, "main")

    assert pr_site.run_bot(30, monkeypatch) == 0

    after = rev_parse(pr_site.remote, "main")
    assert after != before, "the sign-up was written"
    reachable = git(pr_site.remote, "rev-list", "main").split()
    assert not set(shas) & set(reachable), "a commit of the pull request reached main"
    assert git(pr_site.remote, "rev-list", f"{before}..main").split() == [after]
    assert git(pr_site.remote, "show", "--no-patch", "--format=%P", after).split() == [before]
    history = git(pr_site.remote, "log", "-p", "--format=%an <%ae>%n%cn <%ce>%n%B", "main")
    assert someone not in history and contributor not in history
    assert "notes.txt" not in git(pr_site.remote, "ls-tree", "-r", "--name-only", "main")
    assert sheet(pr_site.main_file())[-1]["login"] == "dave"
    # Not merged (its head is not on main): answered, closed, and the comment says why.
    assert pr_site.double.pulls[30]["state"] == "closed" and not pr_site.double.pulls[30]["merged"]
    (comment,) = pr_site.comments(30)
    assert "**You are registered**" in comment and after in comment


def test_a_sealed_contact_added_by_pull_request_gets_its_confirmation_from_the_delivery_job(
    pr_site: PullRequestSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Out of the link window: the checking job (no mail settings) names the entry; the delivery
    job sends the confirmation mail to the sealed address, once, and no meeting link yet."""
    from signupsheet.core.sealed_contact import new_key_pair, seal

    keys = new_key_pair()
    address = "dave.sealed@people.example.net"
    sealed = seal(keys.public, address, login="dave", event="2026-12-03-meetup")
    link = "https://meet.example.net/room-pr-5e3f"  # a test value: not a real meeting
    dave = entry("dave", "Dave", contact=sealed)
    pr_site.open_pull(1, "dave", {MEETUP: meetup(OLD_TIMER + ALICE + BOB + dave)})
    outputs = tmp_path / "check-outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", keys.private)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        assert pr_site.run_bot(1, monkeypatch) == 0
        assert recorder.messages == [], "the checking job sends nothing"
        written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
        assert json.loads(written["confirmed"]) == [["2026-12-03-meetup", "main", "dave"]]
        assert f"contact: {sealed}" in pr_site.main_file()

        checkout = tmp_path / "deliver"
        git(tmp_path, "clone", "--quiet", "--branch", "main", str(pr_site.remote), str(checkout))
        env = base_env(
            SIGNUPSHEET_MEETING_LINKS=json.dumps({"2026-12-03-meetup": link}),
            SIGNUPSHEET_MAIL_FROM="events@example.net",
            SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SIGNUPSHEET_BAN_KEY=BAN_KEY,
            SIGNUPSHEET_CONTACT_KEY=keys.private,
            SIGNUPSHEET_CONFIRMED=written["confirmed"],
        )
        deliver = [sys.executable, "-m", "signupsheet", "send-links", "--push", "--only-confirmed"]
        for _ in range(2):  # a re-run of the job sends nothing more
            git(checkout, "pull", "--quiet", "origin", "main")
            done = subprocess.run(
                [*deliver, "--now", NOW],
                cwd=checkout,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            assert address not in done.stdout + done.stderr
    (confirmation,) = recorder.messages
    assert confirmation.recipients == [address]
    assert confirmation.message["Subject"] == "Registered: Monthly meetup"
    assert link not in str(confirmation.message)
    history = git(pr_site.remote, "log", "-p", "--format=%B", "main")
    assert address not in history and "contact-confirmations.txt" in history
    assert all(address not in comment for comment in pr_site.comments(1))
