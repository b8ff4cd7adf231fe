"""The one character rule for text a registrant gives: what may reach a sheet, a terminal, a page.

Names, affiliations and notes arrive by issue form and by pull request and end up in YAML, in the
organizer's terminal (`signupsheet export`), on the site and in the bot's comments. Control
characters (C0, C1: terminal escapes such as `ESC ]8;;`), format characters (bidi overrides such as
U+202E, zero-width characters, U+FEFF) and lone surrogates (which no UTF-8 file can hold) carry no
visible text; they hide an address from the scan, reorder what a reader sees, or drive a terminal.
The form path removes them (`plain_line`), the event-file check refuses them (`hidden_characters`),
so both ways in apply the same rule.
"""

from __future__ import annotations

import unicodedata

# Control, format, surrogate. Unassigned code points stay: Python's Unicode tables lag behind
# the newest emoji, which must not vanish from a name.
_HIDDEN = frozenset({"Cc", "Cf", "Cs"})


def _hidden(char: str) -> bool:
    # Tabs and line breaks are controls too, but whitespace: `plain_line` makes them spaces.
    return not char.isspace() and unicodedata.category(char) in _HIDDEN


def hidden_characters(text: str) -> list[str]:
    """The code points (as U+XXXX) of the hidden characters in `text`, each once, in order."""
    found: dict[str, None] = {}
    for char in text:
        if _hidden(char):
            found[f"U+{ord(char):04X}"] = None
    return list(found)


def plain_line(text: str) -> str:
    """`text` without hidden characters, its whitespace runs (line breaks too) made one space."""
    if text.isascii() and text.isprintable():
        return " ".join(text.split())
    return " ".join("".join(char for char in text if not _hidden(char)).split())
