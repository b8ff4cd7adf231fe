"""The ban list is keyed with a secret: the repository alone cannot confirm a guessed login."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import pytest

from signupsheet.core.project import Project
from signupsheet.main import main
from signupsheet.registration import banlist
from signupsheet.registration.applying import ban_check

KEY = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key
OTHER_KEY = "another-key-0123456789abcdef0123456789abcdef"
GUESSES = ["Troll-42", "troll-42", "TROLL-42"]


def ban(root: Path, *args: str) -> int:
    return main(["--root", str(root), "ban", *args])


def offline_tests(text: str, login: str) -> list[str]:
    """What someone with only the repository could compute for a guessed login: digests keyed
    with every hex token the file shows (a salt), or with none."""
    folded = login.casefold().encode()
    tokens = set(re.findall(r"[0-9a-f]{32,}", text))
    found = [hashlib.sha256(folded).hexdigest()]
    for token in tokens:
        found += [
            hmac.new(bytes.fromhex(token), folded, hashlib.sha256).hexdigest(),
            hmac.new(token.encode(), folded, hashlib.sha256).hexdigest(),
            hashlib.sha256(bytes.fromhex(token) + folded).hexdigest(),
        ]
    return found


def test_the_repository_alone_cannot_confirm_that_a_guessed_login_is_banned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIGNUPSHEET_BAN_KEY", KEY)
    assert ban(tmp_path, "Troll-42") == 0
    assert "1 of 1 added to banlist.txt" in capsys.readouterr().out
    text = (tmp_path / "banlist.txt").read_text()
    assert "troll" not in text.casefold() and KEY not in text
    lines = set(text.splitlines())
    for guess in GUESSES:
        assert not lines & set(offline_tests(text, guess)), "a guess can be tested offline"
    # With the key, the check finds the login in any spelling.
    check = ban_check(Project(tmp_path), {"SIGNUPSHEET_BAN_KEY": KEY})
    assert all(check(guess) for guess in GUESSES) and not check("someone-else")


def test_without_the_key_or_with_another_the_list_cannot_be_used_and_nobody_slips_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(banlist.BAN_KEY_VARIABLE, KEY)
    assert ban(tmp_path, "Troll-42") == 0
    capsys.readouterr()
    project = Project(tmp_path)
    with pytest.raises(banlist.BanListError) as missing:
        ban_check(project, {})
    assert "SIGNUPSHEET_BAN_KEY" in str(missing.value) and "read -rs" in str(missing.value)
    with pytest.raises(banlist.BanListError) as wrong:
        ban_check(project, {banlist.BAN_KEY_VARIABLE: OTHER_KEY})
    assert "not the key" in str(wrong.value)
    with pytest.raises(banlist.BanListError) as short:
        ban_check(project, {banlist.BAN_KEY_VARIABLE: "short"})
    assert "shorter than 32" in str(short.value) and "short" not in str(short.value).split(";")[1]
    # The command tells how to set the key, and writes nothing without it.
    before = (tmp_path / "banlist.txt").read_text()
    monkeypatch.delenv(banlist.BAN_KEY_VARIABLE)
    assert ban(tmp_path, "another-one") == 1
    out = capsys.readouterr().out
    assert "gh secret set SIGNUPSHEET_BAN_KEY" in out and "token_hex" in out
    assert (tmp_path / "banlist.txt").read_text() == before
    # A registration run without the key stops instead of letting the banned login in.
    (tmp_path / "events").mkdir()
    assert main(["--root", str(tmp_path), "register", "no-such-event", "--user", "x"]) == 1
    assert "SIGNUPSHEET_BAN_KEY" in capsys.readouterr().err


def test_remove_and_an_empty_list_needs_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(banlist.BAN_KEY_VARIABLE, KEY)
    assert ban(tmp_path, "Troll-42", "other") == 0
    assert ban(tmp_path, "--remove", "TROLL-42", "other") == 0
    assert "2 of 2 removed from banlist.txt" in capsys.readouterr().out
    assert not ban_check(Project(tmp_path), {})("troll-42")


def legacy_list(path: Path, *logins: str) -> None:
    salt = "00112233445566778899aabbccddeeff"
    digests = [banlist.salted_digest(salt, login) for login in logins]
    path.write_text("# old list\nsalt: " + salt + "\n" + "\n".join(digests) + "\n")


def test_an_old_salted_list_keeps_working_and_is_migrated_with_every_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "banlist.txt"
    legacy_list(path, "troll-42", "spammer")
    project = Project(tmp_path)
    # Bans keep working before the migration, without a key.
    assert ban_check(project, {})("TROLL-42")
    monkeypatch.setenv(banlist.BAN_KEY_VARIABLE, KEY)
    # Adding to it is refused with the way out.
    assert ban(tmp_path, "newcomer") == 1
    assert "ban --migrate" in capsys.readouterr().out
    # Naming only one of two: nothing is written unless the rest is dropped on purpose.
    before = path.read_text()
    assert ban(tmp_path, "--migrate", "Troll-42") == 1
    assert "1 of the 2 entries" in capsys.readouterr().out
    assert path.read_text() == before
    assert ban(tmp_path, "--migrate", "Troll-42", "spammer", "newcomer") == 0
    out = capsys.readouterr().out
    assert "2 of 2 old entries carried over, 1 added, 0 left off" in out
    assert "troll" not in out.casefold() and "spammer" not in out
    assert "salt:" not in path.read_text()
    check = ban_check(project, {banlist.BAN_KEY_VARIABLE: KEY})
    assert check("troll-42") and check("SPAMMER") and check("newcomer") and not check("x")
    legacy_list(path, "troll-42", "spammer")
    assert ban(tmp_path, "--migrate", "--drop-unnamed", "troll-42") == 0
    assert "1 of 2 old entries carried over, 0 added, 1 left off" in capsys.readouterr().out
