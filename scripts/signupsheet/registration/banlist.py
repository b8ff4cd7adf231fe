"""The ban list: people who may not register, kept so that nobody can read it or test a guess.

For each banned login the file holds HMAC-SHA256 of the case-folded login, keyed with a secret
that is not in the repository: `SIGNUPSHEET_BAN_KEY`, a repository secret the workflows get and
the organizers keep in their password manager. Without the key the file tells nothing, and
nobody can test the logins of the repository's issues and pull requests against it offline.
A line `key-check: …` (an HMAC of a fixed text with the key) lets a run tell a wrong key from a
list that bans nobody, instead of silently letting everyone in. A login is refused with the same
neutral text as any other case the organizers handle personally.

Older lists were keyed with a public salt (`salt: …`), against which anyone can test a guessed
login. They are still read, so that bans keep working until the list is migrated, but
`signupsheet ban` changes them only by migrating (`--migrate`), which needs every banned login.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from signupsheet.core.errors import UserError
from signupsheet.core.rules import BanCheck
from signupsheet.eventfiles.atomic_write import atomic_write

BAN_KEY_VARIABLE = "SIGNUPSHEET_BAN_KEY"
# 32 characters of `secrets.token_hex` are 128 bits: no guessing the key either.
MIN_KEY_LENGTH = 32
MAKE_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"

HEADER = f"""\
# The ban list of the registration forms and pull requests. It holds no logins: each line below
# the key check is HMAC-SHA256 of a lower-cased login, keyed with the secret {BAN_KEY_VARIABLE},
# which is not in the repository. Maintain it with `signupsheet ban LOGIN` and
# `signupsheet ban --remove LOGIN` (the key in the environment); see docs/organizers.md.
"""

_KEY_CHECK = re.compile(r"^key-check:\s*([0-9a-f]{32})\s*$")
_SALT = re.compile(r"^salt:\s*([0-9a-f]{32,128})\s*$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_CHECK_TEXT = b"signupsheet ban list key check"


class BanListError(UserError):
    """The list or its key cannot be used; the message says how to fix it (never the key)."""


def _never(login: str) -> bool:
    return False


def key_check(key: str) -> str:
    return hmac.new(key.encode("utf-8"), _CHECK_TEXT, hashlib.sha256).hexdigest()[:32]


def keyed_digest(key: str, login: str) -> str:
    message = b"login\0" + login.strip().casefold().encode("utf-8")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def salted_digest(salt: str, login: str) -> str:
    """How lists with a public salt were written (read only, for the migration)."""
    return hmac.new(
        bytes.fromhex(salt), login.strip().casefold().encode("utf-8"), hashlib.sha256
    ).hexdigest()


def key_from(environ: Mapping[str, str]) -> str | None:
    """The key from the environment; None when unset. A key too short to resist guessing is an
    error, so that a list is never written with one."""
    key = environ.get(BAN_KEY_VARIABLE, "").strip()
    if not key:
        return None
    if len(key) < MIN_KEY_LENGTH:
        raise BanListError(
            f"{BAN_KEY_VARIABLE} is shorter than {MIN_KEY_LENGTH} characters; make a random key "
            f"with `{MAKE_KEY}` (its value is not shown here)"
        )
    return key


def missing_key(shown: str) -> str:
    return (
        f"{shown} is keyed with the secret {BAN_KEY_VARIABLE}, which is not set. In the "
        f"workflows, add it as a repository secret (`gh secret set {BAN_KEY_VARIABLE}`); on your "
        f"machine, read it into the environment without typing it on a command line: "
        f"`read -rs {BAN_KEY_VARIABLE} && export {BAN_KEY_VARIABLE}`. No key yet? Make one with "
        f"`{MAKE_KEY}` and keep it in your password manager."
    )


@dataclass
class BanList:
    key_check: str = ""  # keyed lists: which key wrote them
    salt: str = ""  # older lists: their public salt
    digests: set[str] = field(default_factory=set)
    shown: str = field(default="banlist.txt", compare=False)

    @property
    def legacy(self) -> bool:
        return bool(self.salt)

    def _key(self, key: str | None) -> str:
        if key is None:
            raise BanListError(missing_key(self.shown))
        if self.key_check and key_check(key) != self.key_check:
            raise BanListError(
                f"{BAN_KEY_VARIABLE} is not the key {self.shown} was written with (its key-check "
                "line differs); set the key the list was made with"
            )
        return key

    def checker(self, key: str | None) -> BanCheck:
        """Whether a login is banned. A list that bans somebody cannot be read without its key:
        a run without the key stops instead of letting everyone in."""
        if not self.digests:
            return _never
        if self.legacy:
            salt, digests = self.salt, frozenset(self.digests)
            return lambda login: salted_digest(salt, login) in digests
        valid, digests = self._key(key), frozenset(self.digests)
        return lambda login: keyed_digest(valid, login) in digests

    def _writable(self, key: str | None) -> str:
        if self.legacy:
            raise BanListError(
                f"{self.shown} still uses a public salt, against which anyone can test a guessed "
                "login. Move it to the secret key first: `signupsheet ban --migrate LOGIN ...` "
                "with every login on the list (see docs/organizers.md)"
            )
        valid = self._key(key)
        self.key_check = key_check(valid)
        return valid

    def add(self, login: str, key: str | None) -> bool:
        digest = keyed_digest(self._writable(key), login)
        if digest in self.digests:
            return False
        self.digests.add(digest)
        return True

    def remove(self, login: str, key: str | None) -> bool:
        digest = keyed_digest(self._writable(key), login)
        if digest not in self.digests:
            return False
        self.digests.discard(digest)
        return True

    def render(self) -> str:
        lines = [HEADER.rstrip("\n"), f"key-check: {self.key_check}", *sorted(self.digests)]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Migration:
    banlist: BanList
    carried: int  # entries of the old list that one of the given logins matches
    unnamed: int  # entries of the old list that none of them matches
    new: int  # given logins that were not on the old list


def migrate(old: BanList, logins: Iterable[str], key: str | None) -> Migration:
    """A keyed list of `logins`, and how they compare with the salted list `old`."""
    if not old.legacy and old.digests:
        raise BanListError(f"{old.shown} is already keyed with {BAN_KEY_VARIABLE}; nothing to do")
    new = BanList(shown=old.shown)
    matched: set[str] = set()
    added = 0
    for login in logins:
        if not new.add(login, key):
            continue
        digest = salted_digest(old.salt, login) if old.legacy else ""
        if digest in old.digests:
            matched.add(digest)
        else:
            added += 1
    if not new.key_check:
        new._writable(key)  # an empty list still records which key it belongs to
    return Migration(new, len(matched), len(old.digests) - len(matched), added)


def parse(text: str, shown: str = "banlist.txt") -> BanList:
    """Read a ban list; a malformed line is an error, never silently a smaller list."""
    banlist = BanList(shown=shown)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        check = _KEY_CHECK.match(line)
        salt = _SALT.match(line)
        started = bool(banlist.key_check or banlist.salt)
        if check and not started:
            banlist.key_check = check.group(1)
        elif salt and not started:
            banlist.salt = salt.group(1)
        elif _DIGEST.match(line) and started:
            banlist.digests.add(line)
        else:
            raise BanListError(
                f"{shown}:{number}:1: expected 'key-check: HEX' first, then one 64-digit hash "
                "per line; edit the list only with `signupsheet ban`"
            )
    return banlist


def load(path: Path, shown: str = "banlist.txt") -> BanList:
    """The ban list at `path`; an empty one when there is no file."""
    if not path.is_file():
        return BanList(shown=shown)
    return parse(path.read_text(encoding="utf-8"), shown)


def save(path: Path, banlist: BanList) -> None:
    atomic_write(path, banlist.render())
