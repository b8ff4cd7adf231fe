"""Sealed contacts: an e-mail address encrypted to the site's public key (libsodium sealed box).

A registrant's browser (or `signupsheet seal-contact`) seals `{"address", "login", "event"}` as
JSON; only whoever holds the private key (the secret `SIGNUPSHEET_CONTACT_KEY`) can open it. The
login and event inside bind the seal to one registration, so a seal copied from someone else's
public issue is refused instead of redirecting their mail. Pure crypto with PyNaCl: no I/O, so it
belongs to the core and serves the registration paths and the delivery alike.

Keys travel as standard base64 of the 32 raw bytes, as libsodium.js's `to_base64` with the
ORIGINAL variant writes them; seals as standard base64 of the sealed box.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Literal

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from signupsheet.core.schema_values import LOGIN_PATTERN, MAX_SEALED, SEALED_PATTERN, SLUG_PATTERN

_SEALED = re.compile(SEALED_PATTERN)
_LOGIN = re.compile(LOGIN_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
# An addr-spec without quoting, comments or display names: what a form can carry safely. Anything
# fancier (a "Name <x@y>" or a second recipient after a comma) is how a header gets tricked, so
# it is refused rather than parsed. fullmatch, so a trailing newline is refused too.
_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
MAX_ADDRESS = 254

SealProblem = Literal["unreadable", "other-login", "other-event", "bad-address", "malformed"]

REASONS: dict[SealProblem, str] = {
    "malformed": "The sealed e-mail is not a sealed text: paste it exactly as the page or "
    "`signupsheet seal-contact` gave it.",
    "unreadable": "The sealed e-mail cannot be opened: it was cut off, changed, or sealed to "
    "another key. Seal your address again on the event's page.",
    "other-login": "The sealed e-mail was made for another GitHub account; seal your address "
    "again on the event's page while signed in as yourself.",
    "other-event": "The sealed e-mail was made for another event; seal it again on this "
    "event's page.",
    "bad-address": "The sealed e-mail does not hold a valid e-mail address (one address, "
    "like name@example.org, without a name or spaces). Seal it again.",
}


@dataclass(frozen=True)
class KeyPair:
    public: str
    private: str


@dataclass(frozen=True)
class Opened:
    """What a seal held: the address is for sending only, never for printing or storing."""

    address: str
    login: str
    event: str


@dataclass(frozen=True)
class Refused:
    problem: SealProblem

    @property
    def reason(self) -> str:
        return REASONS[self.problem]


def new_key_pair() -> KeyPair:
    key = PrivateKey.generate()
    return KeyPair(_b64(bytes(key.public_key)), _b64(bytes(key)))


def public_key_of(private: str) -> str:
    return _b64(bytes(_private(private).public_key))


def valid_key(text: str) -> bool:
    """Whether the text is a key as `contact-key new` writes it: 32 bytes in standard base64."""
    try:
        _key_bytes(text, "private")
    except ValueError:
        return False
    return True


def valid_address(address: str) -> bool:
    return len(address) <= MAX_ADDRESS and _ADDRESS.fullmatch(address) is not None


def well_formed(sealed: str) -> bool:
    """Whether the text has the shape of a seal (the schema's pattern); says nothing of its
    content."""
    return len(sealed) <= MAX_SEALED and _SEALED.match(sealed) is not None


def seal(public: str, address: str, *, login: str, event: str) -> str:
    """The sealed text for one registration. Raises ValueError on an address the site would
    refuse, so nobody pastes a seal that can only fail."""
    if not valid_address(address):
        raise ValueError(REASONS["bad-address"])
    if not _LOGIN.match(login) or not _SLUG.match(event):
        raise ValueError("a GitHub login and an event id are needed to seal an address")
    payload = json.dumps({"address": address, "login": login, "event": event}).encode()
    return _b64(SealedBox(_public(public)).encrypt(payload))


def open_sealed(private: str, sealed: str, *, login: str, event: str) -> Opened | Refused:
    """Open a seal for the registration of `login` to `event`, or say why it is refused."""
    opened = _open(private, sealed)
    if isinstance(opened, Refused):
        return opened
    if opened.login.casefold() != login.casefold():
        return Refused("other-login")
    if opened.event != event:
        return Refused("other-event")
    return opened


def reseal(old_private: str, new_public: str, sealed: str) -> str:
    """The same contact sealed to a new key (key rotation). Raises ValueError when the seal does
    not open with the old key."""
    opened = _open(old_private, sealed)
    if isinstance(opened, Refused):
        raise ValueError(opened.reason)
    return seal(new_public, opened.address, login=opened.login, event=opened.event)


def _open(private: str, sealed: str) -> Opened | Refused:
    if not well_formed(sealed):
        return Refused("malformed")
    try:
        data = json.loads(SealedBox(_private(private)).decrypt(base64.b64decode(sealed)))
    except (CryptoError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        return Refused("unreadable")
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) for key in ("address", "login", "event")
    ):
        return Refused("unreadable")
    if not valid_address(data["address"]):
        return Refused("bad-address")
    return Opened(data["address"], data["login"], data["event"])


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _key_bytes(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        # Never echo the text: it may be the private key.
        raise ValueError(f"the {what} key is not 32 bytes in base64")
    return raw


def _private(text: str) -> PrivateKey:
    return PrivateKey(_key_bytes(text, "private"))


def _public(text: str) -> PublicKey:
    return PublicKey(_key_bytes(text, "public"))
