"""Language names for the BCP 47 codes event files use (`languages: [en, de]`).

A small table rather than a locale library: the site is in English, the events use a handful
of languages, and pages must read the same on every build machine. A code not in the table is
shown as written, which is still correct, only less friendly; add it here when a site uses it.
"""

from __future__ import annotations

from collections.abc import Iterable

# Keys in lower case: BCP 47 tags are case-insensitive (pt-BR and pt-br are the same language).
NAMES: dict[str, str] = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "pt-br": "Brazilian Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


def language_name(code: str) -> str:
    """`de` -> German; an unknown code as it is."""
    return NAMES.get(code.lower(), code)


def language_names(codes: Iterable[str]) -> str:
    """`[en, de]` -> English, German: in the file's order, which is the organizers' choice."""
    return ", ".join(language_name(code) for code in codes)
