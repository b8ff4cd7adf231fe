"""A sealed `contact:` in a pull request's entry: opened with the key, refused with a reason when
it is someone else's, another event's, broken or holds no valid address."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nacl.public import PrivateKey, SealedBox

from gitkit import init_repo
from prcorpus import (
    ALICE,
    BASE_FILES,
    BOB,
    MEETUP,
    NOW,
    OLD_TIMER,
    Edit,
    commit_pull_request,
    entry,
    meetup,
)
from signupsheet.core.sealed_contact import KeyPair, new_key_pair, seal
from signupsheet.main import main
from sitekit import make_site

EVENT = "2026-12-03-meetup"
ADDRESS = "dave.person@mail.example.net"
KEYS: KeyPair = new_key_pair()


def _hand_sealed(payload: dict[str, str]) -> str:
    public = PrivateKey(base64.b64decode(KEYS.private)).public_key
    return base64.b64encode(SealedBox(public).encrypt(json.dumps(payload).encode())).decode()


CASES = {
    "own": (seal(KEYS.public, ADDRESS, login="dave", event=EVENT), "accept", "registered"),
    "other-login": (
        seal(KEYS.public, ADDRESS, login="eve", event=EVENT),
        "refuse",
        "another GitHub account",
    ),
    "other-event": (
        seal(KEYS.public, ADDRESS, login="dave", event="2026-12-05-workshop"),
        "refuse",
        "another event",
    ),
    "wrong-key": (
        seal(new_key_pair().public, ADDRESS, login="dave", event=EVENT),
        "refuse",
        "cannot be opened",
    ),
    "truncated": (
        seal(KEYS.public, ADDRESS, login="dave", event=EVENT)[:-12],
        "refuse",
        "cannot be opened",
    ),
    "display-name": (
        _hand_sealed({"address": f"Dave <{ADDRESS}>", "login": "dave", "event": EVENT}),
        "refuse",
        "valid e-mail address",
    ),
    "newline": (
        _hand_sealed(
            {"address": f"{ADDRESS}\nBcc: x@example.org", "login": "dave", "event": EVENT}
        ),
        "refuse",
        "valid e-mail address",
    ),
}


@pytest.fixture(scope="module")
def heads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("sealed-prs")
    make_site(root, files=BASE_FILES)
    init_repo(root)
    found = {}
    for name, (sealed, _, _) in CASES.items():
        dave = entry("dave", "Dave", contact=sealed)
        edit = Edit(files={MEETUP: meetup(OLD_TIMER + ALICE + BOB + dave)})
        found[name] = commit_pull_request(root, name, edit)
    return root, found


@pytest.mark.parametrize("name", list(CASES))
def test_sealed_contact_in_a_pull_request(
    heads: tuple[Path, dict[str, str]],
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, found = heads
    _, verdict, reason = CASES[name]
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", KEYS.private)
    args = ["--root", str(root), "check-pr", "--base", "main", "--head", found[name]]
    code = main([*args, "--author", "dave", "--now", NOW, "--agree-policy", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == verdict, out
    assert code == (0 if verdict == "accept" else 1)
    assert reason in "\n".join(out["reasons"])
    assert ADDRESS not in json.dumps(out)


def test_check_pr_masks_the_opened_address_before_its_verdict(
    heads: tuple[Path, dict[str, str]],
) -> None:
    root, found = heads
    env = {**os.environ, "SIGNUPSHEET_CONTACT_KEY": KEYS.private, "GITHUB_ACTIONS": "true"}
    args = ["--root", str(root), "check-pr", "--base", "main", "--head", found["own"]]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "signupsheet",
            *args,
            "--author",
            "dave",
            "--now",
            NOW,
            "--agree-policy",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    mask = f"::add-mask::{ADDRESS}"
    assert mask in lines
    assert all(line.startswith("::add-mask::") for line in lines[: lines.index(mask)])
    assert any(line.startswith("accept") for line in lines)
    assert not any(ADDRESS in line for line in lines if line != mask)
    assert ADDRESS not in done.stderr
