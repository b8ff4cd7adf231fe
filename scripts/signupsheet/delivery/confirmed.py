"""The entries a registration run just confirmed, handed to the job that mails the link.

The jobs that read issue bodies and pull-request files hold no mail secret. The link for a
sign-up that lands inside its session's link window is sent by a separate job that runs after
them, on a fresh checkout of main, and learns whom to serve from their output: a JSON list of
`[event id, session id, login]`, made here from the entries the run pushed. That output is text
passed between jobs, so the delivery reads it again with `decode` — every part checked against
the id and login patterns, nothing else accepted — and then serves only those of them who are
due, confirmed and not yet sent, exactly as a scheduled run would. Entries that just received a
sealed address are named too, whenever their session is: the delivery sends their confirmation
mail (delivery/confirmation.py), and still no link before the window.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from signupsheet.core.errors import UserError
from signupsheet.core.links_due import EntryKey
from signupsheet.delivery.secrets import _LOGIN
from signupsheet.eventfiles.semantic_checks import EVENT_ID

CONFIRMED_VARIABLE = "SIGNUPSHEET_CONFIRMED"
# One run confirms a handful of people; a sweep after an outage perhaps a few hundred.
MAX_ENTRIES = 1000


def encode(keys: Iterable[EntryKey]) -> str:
    """One line of JSON; empty when there is nobody (the delivery job then does not start)."""
    unique = sorted(set(keys))
    if not unique:
        return ""
    return json.dumps(
        [[key.event, key.session, key.login] for key in unique], separators=(",", ":")
    )


def _invalid(what: str) -> UserError:
    # The text is not repeated: it came from another job, and a log is public.
    return UserError(
        f"{CONFIRMED_VARIABLE}: {what}; expected a JSON list of [event id, session id, login] as "
        "the registration job writes it. Nothing was sent."
    )


def decode(text: str) -> list[EntryKey]:
    """The entries named by `text`; a UserError (naming no part of it) when it is not exactly
    what `encode` makes."""
    if not text.strip():
        return []
    try:
        data = json.loads(text)
    except ValueError:
        raise _invalid("not valid JSON") from None
    if not isinstance(data, list) or len(data) > MAX_ENTRIES:
        raise _invalid(f"not a list of at most {MAX_ENTRIES} entries")
    keys: list[EntryKey] = []
    for number, item in enumerate(data, start=1):
        if not (
            isinstance(item, list)
            and len(item) == 3
            and all(isinstance(part, str) for part in item)
            and EVENT_ID.fullmatch(item[0])
            and EVENT_ID.fullmatch(item[1])
            and _LOGIN.fullmatch(item[2])
        ):
            raise _invalid(f"entry {number} is not [event id, session id, login]")
        keys.append(EntryKey(item[0], item[1], item[2].casefold()))
    return keys
