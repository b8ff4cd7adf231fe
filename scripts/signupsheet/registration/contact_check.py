"""Checking a sealed contact where a registration is decided: the sweep, the pull-request bot and
`signupsheet register` each make one call here before they hand the request to the rules.

The rules never see the private key or the address; they only store the sealed text this module
let through. Without the key (`SIGNUPSHEET_CONTACT_KEY` unset, e.g. on a fork or before the
organizers made one) a well-formed seal is kept unread, and the caller tells the person it cannot
be read yet: it is checked again when it is used.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from signupsheet.core.errors import ConfigurationError
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.rules import Outcome, Request, SignupRequest
from signupsheet.core.sealed_contact import Opened, Refused, open_sealed, valid_key, well_formed

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


MALFORMED_KEY = (
    f"{KEY_VARIABLE} is not a private key: it must be the 32-byte key in base64 that "
    "`signupsheet contact-key new` printed, on one line. Set the secret again (or remove it: "
    "sealed e-mails are then kept unread)."
)


def contact_key(environ: Mapping[str, str] | None = None) -> str | None:
    """The private key from the environment, None when unset. A malformed value stops the command
    at start as a configuration error, named but never shown."""
    value = (os.environ if environ is None else environ).get(KEY_VARIABLE, "").strip()
    if value and not valid_key(value):
        raise ConfigurationError(MALFORMED_KEY)
    return value or None


# Told every address a seal yields, before anything could print it. The commands that run in a
# workflow set it to hide the address from the log (github/actions.py print_masks).
AddressMask = Callable[[str], None]
_MASKS: list[AddressMask] = []


def mask_opened_addresses(mask: AddressMask | None) -> None:
    """Set (or, with None, clear) what hides each opened address from the log."""
    _MASKS[:] = [] if mask is None else [mask]


def _masked(opened: Opened) -> Opened:
    for mask in _MASKS:
        mask(opened.address)
    return opened


def check_contact(sealed: str, *, login: str, event: str, key: str | None) -> ContactCheck:
    """Whether the sealed text may be stored with `login`'s entry on `event`, and why not."""
    if key is None:
        if not well_formed(sealed):
            return ContactCheck("refused", Refused("malformed").reason)
        return ContactCheck("unread", UNREAD_NOTICE)
    opened = open_sealed(key, sealed, login=login, event=event)
    if isinstance(opened, Refused):
        return ContactCheck("refused", opened.reason)
    return ContactCheck("accepted", opened=_masked(opened))


# What became of the confirmation mail for a readable sealed address just stored: sent now; left
# to the job that holds the mail settings (send-links --only-confirmed), so it follows; or none
# (the address had one today, or the mail failed: the address is stored all the same).
Confirmation = Literal["sent", "follows", "stored"]
# Called once a registration with a readable sealed address is written: sends the confirmation
# mail (delivery/confirmation.py) or hands it on, and says which. Never given to the rules.
SealedHook = Callable[[Event, Session, Registration, Opened], Confirmation]

SENT_NOTE = (
    "A short confirmation mail was sent to the e-mail address you sealed (it is shown nowhere "
    "here). The meeting link goes to the same address shortly before the session."
)
FOLLOWS_NOTE = (
    "Your sealed e-mail is stored with your registration (it is shown nowhere here). A short "
    "confirmation mail follows, unless that address already got one today; the meeting link "
    "goes to the same address shortly before the session."
)
STORED_NOTE = (
    "Your sealed e-mail is stored with your registration: the meeting link goes to it shortly "
    "before the session."
)


def request_contact_check(request: Request, event_id: str, key: str | None) -> ContactCheck | None:
    """The check of a sign-up's sealed contact, None when there is none to check."""
    if not isinstance(request, SignupRequest) or request.contact is None:
        return None
    return check_contact(request.contact, login=request.user, event=event_id, key=key)


def reply_note(
    checked: ContactCheck | None, event: Event | None, outcome: Outcome, hook: SealedHook | None
) -> str:
    """What the bot adds to its answer about the sealed contact (never the address); sends the
    confirmation through `hook` when the entry now holds a readable one."""
    if checked is None or event is None or outcome.refused or outcome.session is None:
        return ""
    if checked.verdict == "unread":
        return "\n\n" + UNREAD_NOTICE
    session = event.session(outcome.session)
    entry = None if session is None else session.find(outcome.user)
    if checked.opened is None or session is None or entry is None:
        return ""
    said: Confirmation = "stored" if hook is None else hook(event, session, entry, checked.opened)
    notes: dict[Confirmation, str] = {
        "sent": SENT_NOTE,
        "follows": FOLLOWS_NOTE,
        "stored": STORED_NOTE,
    }
    return "\n\n" + notes[said]


def sealed_address(key: str | None, entry: Registration, event_id: str) -> str | None:
    """The address sealed in an entry, opened for sending; None without a key, a contact or a
    login, or when the seal is not this entry's (checked again: files can be edited by hand)."""
    if key is None or entry.contact is None or entry.login is None:
        return None
    try:
        opened = open_sealed(key, entry.contact, login=entry.login, event=event_id)
    except ValueError:
        return None  # a malformed key: `configure` reports it, by name only
    return None if isinstance(opened, Refused) else _masked(opened).address
