from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from prcorpus import EVENINGS, EVENINGS_ID
from signupsheet.main import main
from signupsheet.registration import banlist

NOW = "2026-12-01T10:00:00Z"


def run(
    site_root: Path, *args: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, object]]:
    code = main(["--root", str(site_root), *args, "--now", NOW, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_register_edits_in_place_keeping_comments(
    site_root: Path, add_event: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = add_event(capacity=2)  # one seat is the imported entry's
    before = path.read_text()
    code, out = run(
        site_root,
        "register",
        "2026-12-03-meetup",
        "--user",
        "Ann",
        "--name",
        "Ann A.",
        "--affiliation",
        "WMDE",
        "--note",
        "hello",
        capsys=capsys,
    )
    assert code == 0
    assert out == {
        "outcome": "registered",
        "event": "2026-12-03-meetup",
        "session": "main",
        "user": "Ann",
        "reason": "You are registered.",
        "promoted": [],
    }
    after = path.read_text()
    for comment in ["# A test event", "# announced in the newsletter", "# imported from the wiki"]:
        assert comment in after
    assert after.startswith(before.split("      - name: Old Timer")[0])
    assert "login: Ann" in after and "name: Ann A." in after
    code, out = run(site_root, "register", "2026-12-03-meetup", "--user", "bob", capsys=capsys)
    assert (code, out["outcome"]) == (0, "waitlisted")
    code, out = run(site_root, "register", "2026-12-03-meetup", "--user", "BOB", capsys=capsys)
    assert (code, out["outcome"]) == (0, "unchanged")
    code, out = run(site_root, "cancel", "2026-12-03-meetup", "--user", "ann", capsys=capsys)
    assert (code, out["outcome"], out["promoted"]) == (0, "cancelled", ["bob"])
    text = path.read_text()
    assert "login: Ann" not in text and "status: waitlisted" not in text
    assert main(["--root", str(site_root), "validate"]) == 0


def test_refusals_exit_1_and_leave_the_file(
    site_root: Path, add_event: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = add_event()
    before = path.read_text()
    code, out = run(
        site_root, "register", "2026-12-03-meetup", "--user", "ann", "--session", "x", capsys=capsys
    )
    assert (code, out["outcome"]) == (1, "refused")
    code, out = run(site_root, "register", "no-such-event", "--user", "ann", capsys=capsys)
    assert (code, out["outcome"]) == (1, "refused")
    assert "no event 'no-such-event'" in str(out["reason"])
    assert path.read_text() == before


def test_ban_list_holds_no_login_and_refuses_neutrally(
    site_root: Path,
    add_event: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_event()
    key = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key
    monkeypatch.setenv(banlist.BAN_KEY_VARIABLE, key)
    assert main(["--root", str(site_root), "ban", "Troll-42"]) == 0
    capsys.readouterr()
    text = (site_root / "banlist.txt").read_text()
    assert "troll" not in text.casefold()
    assert banlist.load(site_root / "banlist.txt").checker(key)("TROLL-42")
    code, out = run(site_root, "register", "2026-12-03-meetup", "--user", "troll-42", capsys=capsys)
    assert (code, out["reason"]) == (
        1,
        "Registration is not possible. Please contact the organizers.",
    )
    assert main(["--root", str(site_root), "ban", "--remove", "TROLL-42"]) == 0
    capsys.readouterr()
    code, out = run(site_root, "register", "2026-12-03-meetup", "--user", "troll-42", capsys=capsys)
    assert (code, out["outcome"]) == (0, "registered")


@pytest.mark.parametrize(
    "args",
    [
        ["register", "Bad_Event", "--user", "ann"],
        ["register", "2026-12-03-meetup", "--user", "not a login"],
        ["register", "2026-12-03-meetup", "--user", "ann", "--note", "mail me: a@example.org"],
        ["register", "2026-12-03-meetup"],
        ["cancel", "2026-12-03-meetup", "--user", "ann", "--name", "x"],
    ],
)
def test_usage_errors_exit_2(
    site_root: Path, add_event: Callable[..., Path], args: list[str]
) -> None:
    add_event()
    result = subprocess.run(
        [sys.executable, "-m", "signupsheet", "--root", str(site_root), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "usage:" in result.stderr


def test_register_keeps_comments_with_what_they_describe(
    site_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site_root / "events" / f"{EVENINGS_ID}.yaml"
    path.write_text(EVENINGS)
    for session in ("bare", "empty", "signed"):
        code, _ = run(
            site_root,
            "register",
            EVENINGS_ID,
            "--user",
            f"zz-{session}",
            "--session",
            session,
            capsys=capsys,
        )
        assert code == 0
    after = path.read_text()
    lines = after.splitlines()

    def at(text: str) -> int:
        return next(number for number, line in enumerate(lines) if text in line)

    # Each sign-up stays above the comment that heads the next session, and sessions that
    # nobody signed get no empty list written into them.
    assert at("login: zz-bare") < at("# Tue 11 May") < at("id: empty")
    assert at("login: zz-empty") < at("# Tue 18 May") < at("id: signed")
    assert at("name: Early Bird  # first to sign") < at("source: import") < at("login: zz-signed")
    assert at("login: zz-signed") < at("# The end of the series.")
    assert "end: 2027-05-04T18:00:00Z  # one hour" in after
    assert "registrations: [" not in after


def test_private_entry_keeps_only_the_login_in_the_file(
    site_root: Path, add_event: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = add_event()
    code, out = run(
        site_root,
        "register",
        "2026-12-03-meetup",
        "--user",
        "quiet-one",
        "--name",
        "Secret Person",
        "--affiliation",
        "WMSECRET",
        "--note",
        "a hidden note",
        "--private",
        capsys=capsys,
    )
    assert (code, out["outcome"]) == (0, "registered")
    after = path.read_text()
    assert "login: quiet-one" in after and "visibility: private" in after
    for written in ("Secret Person", "WMSECRET", "a hidden note"):
        assert written not in after
