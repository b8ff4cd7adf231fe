"""Checking a sealed contact where a registration is decided: the sweep, the pull-request bot and
`signupsheet register` each make one call here before they hand the request to the rules.

The rules never see the private key or the address; they only store the sealed text this module
let through. Without the key (`SIGNUPSHEET_CONTACT_KEY` unset, e.g. on a fork or before the
organizers made one) a well-formed seal is kept unread, and the caller tells the person it cannot
be read yet: it is checked again when it is used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from signupsheet.core.sealed_contact import Opened, Refused, open_sealed, well_formed

KEY_VARIABLE = "SIGNUPSHEET_CONTACT_KEY"

ContactVerdict = Literal["accepted", "unread", "refused"]

UNREAD_NOTICE = (
    "Your sealed e-mail is kept with your registration, but it cannot be read yet (the site's "
    "key is not set up); the organizers have been told."
)


@dataclass(frozen=True)
class ContactCheck:
    verdict: ContactVerdict
    reason: str = ""
    # Only for sending at once (the confirmation); never printed, never stored.
    opened: Opened | None = None


def contact_key(environ: Mapping[str, str] | None = None) -> str | None:
    value = (os.environ if environ is None else environ).get(KEY_VARIABLE, "").strip()
    return value or None


def check_contact(sealed: str, *, login: str, event: str, key: str | None) -> ContactCheck:
    """Whether the sealed text may be stored with `login`'s entry on `event`, and why not."""
    if key is None:
        if not well_formed(sealed):
            return ContactCheck("refused", Refused("malformed").reason)
        return ContactCheck("unread", UNREAD_NOTICE)
    opened = open_sealed(key, sealed, login=login, event=event)
    if isinstance(opened, Refused):
        return ContactCheck("refused", opened.reason)
    return ContactCheck("accepted", opened=opened)
