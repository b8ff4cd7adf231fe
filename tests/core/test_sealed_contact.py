"""Sealing and opening contacts with real PyNaCl: what a seal binds, and each refusal's reason."""

from __future__ import annotations

import base64
import json
import re

import pytest
from nacl.public import PrivateKey, SealedBox

from signupsheet.core import sealed_contact
from signupsheet.core.schema_values import SEALED_PATTERN
from signupsheet.core.sealed_contact import Opened, Refused, open_sealed, seal

ADDRESS = "ada.lovelace+meet@example.org"


@pytest.fixture(scope="module")
def keys() -> sealed_contact.KeyPair:
    return sealed_contact.new_key_pair()


def _problem(result: Opened | Refused) -> str:
    assert isinstance(result, Refused), "expected a refusal"
    return result.problem


def test_a_seal_opens_for_its_login_and_event(keys: sealed_contact.KeyPair) -> None:
    sealed = seal(keys.public, ADDRESS, login="Ada", event="2026-12-03-meetup")
    assert ADDRESS not in sealed and re.match(SEALED_PATTERN, sealed)
    opened = open_sealed(keys.private, sealed, login="ada", event="2026-12-03-meetup")
    assert opened == Opened(ADDRESS, "Ada", "2026-12-03-meetup")
    # Each seal is new (an ephemeral key): two seals of the same address do not compare equal.
    assert seal(keys.public, ADDRESS, login="Ada", event="2026-12-03-meetup") != sealed


def test_the_longest_values_fit_the_schema(keys: sealed_contact.KeyPair) -> None:
    address = "a" * 64 + "@" + ("b" * 61 + ".") * 3 + "org"
    address = address[: sealed_contact.MAX_ADDRESS - 4] + ".org"
    assert sealed_contact.valid_address(address)
    sealed = seal(keys.public, address, login="a" * 39, event="e" * 80)
    assert sealed_contact.well_formed(sealed)


def test_refusals(keys: sealed_contact.KeyPair) -> None:
    sealed = seal(keys.public, ADDRESS, login="ada", event="meetup")
    other = sealed_contact.new_key_pair()
    assert _problem(open_sealed(other.private, sealed, login="ada", event="meetup")) == "unreadable"
    # Cut off at a multiple of 4 characters, so it is still base64 of the right shape.
    cut = sealed[:-8]
    assert _problem(open_sealed(keys.private, cut, login="ada", event="meetup")) == "unreadable"
    assert _problem(open_sealed(keys.private, sealed, login="bob", event="meetup")) == "other-login"
    assert _problem(open_sealed(keys.private, sealed, login="ada", event="other")) == "other-event"
    assert _problem(open_sealed(keys.private, "not a seal", login="ada", event="x")) == "malformed"
    assert "another" in Refused("other-login").reason


@pytest.mark.parametrize(
    "address",
    [
        "ada@example.org\nBcc: victim@example.org",
        "ada@example.org\n",
        '"Ada" <ada@example.org>',
        "Ada <ada@example.org>",
        "ada@example.org, eve@example.org",
        "ada@localhost",
        "",
    ],
)
def test_a_seal_made_elsewhere_with_a_bad_address_is_refused(
    keys: sealed_contact.KeyPair, address: str
) -> None:
    # Sealed by hand, as a hostile page or script would: seal() itself refuses these.
    with pytest.raises(ValueError):
        seal(keys.public, address, login="ada", event="meetup")
    raw = SealedBox(PrivateKey(base64.b64decode(keys.private)).public_key).encrypt(
        json.dumps({"address": address, "login": "ada", "event": "meetup"}).encode()
    )
    sealed = base64.b64encode(raw).decode()
    assert _problem(open_sealed(keys.private, sealed, login="ada", event="meetup")) == (
        "bad-address"
    )


def test_reseal_moves_a_contact_to_a_new_key(keys: sealed_contact.KeyPair) -> None:
    sealed = seal(keys.public, ADDRESS, login="ada", event="meetup")
    new = sealed_contact.new_key_pair()
    moved = sealed_contact.reseal(keys.private, new.public, sealed)
    assert isinstance(open_sealed(new.private, moved, login="ada", event="meetup"), Opened)
    assert _problem(open_sealed(keys.private, moved, login="ada", event="meetup")) == "unreadable"
    with pytest.raises(ValueError):
        sealed_contact.reseal(new.private, new.public, sealed)
    assert sealed_contact.public_key_of(new.private) == new.public


def test_a_bad_key_is_reported_without_its_text() -> None:
    with pytest.raises(ValueError) as error:
        open_sealed("c2VjcmV0LXRvby1zaG9ydA==", "A" * 100, login="ada", event="x")
    assert "c2VjcmV0" not in str(error.value)
