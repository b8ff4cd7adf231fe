"""Two deliveries that overlap — the scheduled run and the one after a sign-up, or two scheduled
runs — against a real bare repository and a real SMTP server: nobody gets a session's link twice.

Each run works in a clone of its own, as on two runners. A pre-push hook holds each run at its
first push until the other one has reached its own, so both have read the same sheet (everyone
unmarked) before either pushes: the worst case, made certain instead of left to timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gitkit import git
from link_site import EVENT, IN_WINDOW, LinkSite, base_env, entry, make_link_site
from smtp_server import Recorder, smtp_server

PEOPLE = ("alice", "bob", "dave")


def address(login: str) -> str:
    return f"{login}@people.example.net"


def seeded_remote(tmp_path: Path, entries: list[dict[str, Any]]) -> tuple[LinkSite, Path]:
    """A site with one event of `entries`, pushed to a bare repository on main."""
    seed = make_link_site(tmp_path / "seed")
    seed.write_event(entries)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(seed.root, "init", "--quiet", "--initial-branch=main")
    git(seed.root, "add", "-A")
    git(seed.root, "commit", "--quiet", "-m", "Seed")
    git(seed.root, "push", "--quiet", str(remote), "main")
    return seed, remote


def barrier_hook(clone: Path, name: str, barrier: Path) -> None:
    """Hold the clone's first push until both runs have reached theirs (at most 60 s)."""
    hook = clone / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        f'touch "{barrier}/arrived-{name}"\n'
        "i=0\n"
        f'while [ "$(ls "{barrier}" | grep -c arrived-)" -lt 2 ]; do\n'
        "  i=$((i+1)); [ $i -gt 600 ] && exit 0\n"
        "  sleep 0.1\n"
        "done\n"
    )
    hook.chmod(0o755)


@pytest.mark.parametrize("second", ["scheduled", "after-sign-up"])
def test_two_overlapping_deliveries_never_send_one_person_the_link_twice(
    tmp_path: Path, second: str
) -> None:
    seed, remote = seeded_remote(
        tmp_path,
        [entry(login) for login in PEOPLE[:2]]
        + [entry("dave", registered="2030-05-01T13:15:00Z", source="issue:7")],
    )
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    clones = {}
    for name in ("first", "second"):
        clone = tmp_path / name
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
        barrier_hook(clone, name, barrier)
        clones[name] = clone

    recorder = Recorder()
    with smtp_server(recorder) as port:
        env = base_env(
            SIGNUPSHEET_MEETING_LINKS=f"{EVENT}: {seed.link}\n",
            SIGNUPSHEET_CONTACTS=json.dumps({login: address(login) for login in PEOPLE}),
            SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SIGNUPSHEET_MAIL_FROM="events@example.org",
        )
        args = {
            "first": ["send-links", "--push", "--now", IN_WINDOW],
            "second": ["send-links", "--push", "--now", IN_WINDOW],
        }
        envs = {"first": dict(env), "second": dict(env)}
        if second == "after-sign-up":
            # The delivery job after dave's sign-up, with the registration job's output.
            args["second"].append("--only-confirmed")
            envs["second"]["SIGNUPSHEET_CONFIRMED"] = json.dumps([[EVENT, "main", "dave"]])
        runs = {
            name: subprocess.Popen(
                [sys.executable, "-m", "signupsheet", "--root", str(clones[name]), *args[name]],
                env=envs[name],
                cwd=clones[name],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("first", "second")
        }
        results = {name: run.communicate(timeout=180) for name, run in runs.items()}
        codes = {name: run.returncode for name, run in runs.items()}

    printed = "\n".join(out + err for out, err in results.values())
    assert codes == {"first": 0, "second": 0}, printed
    assert (barrier / "arrived-first").exists() and (barrier / "arrived-second").exists()
    received = Counter(tuple(item.recipients) for item in recorder.messages)
    assert received == {(address(login),): 1 for login in PEOPLE}, printed
    check = tmp_path / "check"
    git(tmp_path, "clone", "--quiet", str(remote), str(check))
    assert LinkSite(check).link_sent() == dict.fromkeys(PEOPLE, IN_WINDOW)
    assert seed.link not in git(check, "log", "-p", "--all")


def test_a_claimed_message_that_is_not_accepted_is_taken_back_and_retried(tmp_path: Path) -> None:
    """With a push, people are marked before they are mailed; a refusal undoes the mark in a
    second commit, so the next run tries again, and the others stay marked."""
    seed, remote = seeded_remote(tmp_path, [entry("alice"), entry("bounce")])
    recorder = Recorder(refuse={address("bounce")})
    with smtp_server(recorder) as port:
        env = base_env(
            SIGNUPSHEET_MEETING_LINKS=f"{EVENT}: {seed.link}\n",
            SIGNUPSHEET_CONTACTS=json.dumps({name: address(name) for name in ("alice", "bounce")}),
            SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SIGNUPSHEET_MAIL_FROM="events@example.org",
        )
        clone = tmp_path / "run"
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
        run = LinkSite(clone, link=seed.link).run(env, "--push", "--now", IN_WINDOW)
        assert run.returncode == 0, run.stdout + run.stderr
        check = tmp_path / "check"
        git(tmp_path, "clone", "--quiet", str(remote), str(check))
        assert LinkSite(check).link_sent() == {"alice": IN_WINDOW, "bounce": None}
        assert git(check, "log", "--format=%s").splitlines() == [
            f"Meeting links not sent for {EVENT}: retried next run",
            f"Record meeting links sent for {EVENT}",
            "Seed",
        ]
        recorder.refuse.clear()
        again = LinkSite(clone, link=seed.link).run(env, "--push", "--now", "2030-05-01T13:30:00Z")
        assert again.returncode == 0, again.stdout + again.stderr
    assert Counter(tuple(item.recipients) for item in recorder.messages) == {
        (address("alice"),): 1,
        (address("bounce"),): 1,
    }
