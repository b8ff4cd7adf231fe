"""The ban list: people who may not register, kept so that nobody can read it in clear.

The file holds a random per-repository salt and, for each banned login, the HMAC-SHA256 of the
case-folded login keyed with that salt. Checking a login is one hash; reading the file tells
nobody who is on it, and a login is refused with the same neutral text as any other case the
organizers handle personally. The salt is public, so someone who guesses a login can test it:
the list hides names from readers, it does not make a guessed name unguessable.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from signupsheet.core.errors import UserError
from signupsheet.eventfiles.atomic_write import atomic_write

HEADER = """\
# The ban list of the registration forms. It holds no logins: each line below the salt is
# HMAC-SHA256(salt, lower-cased login). Maintain it with `signupsheet ban LOGIN` and
# `signupsheet ban --remove LOGIN`; see docs/organizers.md.
"""

_SALT = re.compile(r"^salt:\s*([0-9a-f]{32,128})\s*$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class BanList:
    salt: str = ""
    digests: set[str] = field(default_factory=set)

    def digest(self, login: str) -> str:
        return hmac.new(
            bytes.fromhex(self.salt), login.strip().casefold().encode("utf-8"), hashlib.sha256
        ).hexdigest()

    def __contains__(self, login: object) -> bool:
        return isinstance(login, str) and bool(self.salt) and self.digest(login) in self.digests

    def is_banned(self, login: str) -> bool:
        return login in self

    def add(self, login: str) -> bool:
        if not self.salt:
            self.salt = secrets.token_hex(16)
        before = len(self.digests)
        self.digests.add(self.digest(login))
        return len(self.digests) != before

    def remove(self, login: str) -> bool:
        if not self.salt:
            return False
        digest = self.digest(login)
        if digest not in self.digests:
            return False
        self.digests.discard(digest)
        return True

    def render(self) -> str:
        lines = [HEADER.rstrip("\n"), f"salt: {self.salt}", *sorted(self.digests)]
        return "\n".join(lines) + "\n"


class BanListError(UserError, ValueError):
    """A ban list that cannot be read: a maintainer fixes it with `signupsheet ban`."""


def parse(text: str, shown: str = "banlist.txt") -> BanList:
    """Read a ban list; a malformed line is an error, never silently a smaller list."""
    banlist = BanList()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        salt = _SALT.match(line)
        if salt and not banlist.salt:
            banlist.salt = salt.group(1)
        elif _DIGEST.match(line) and banlist.salt:
            banlist.digests.add(line)
        else:
            raise BanListError(
                f"{shown}:{number}:1: expected 'salt: HEX' first, then one 64-digit hash per "
                "line; edit the list only with `signupsheet ban`"
            )
    return banlist


def load(path: Path, shown: str = "banlist.txt") -> BanList:
    """The ban list at `path`; an empty one when there is no file."""
    if not path.is_file():
        return BanList()
    return parse(path.read_text(encoding="utf-8"), shown)


def save(path: Path, banlist: BanList) -> None:
    atomic_write(path, banlist.render())
