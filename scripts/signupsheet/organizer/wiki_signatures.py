"""One signature on a wiki sign-up list: the name, the affiliation, the time, and a note.

People sign in many ways: `--Name (WMAR) (talk) 17:18, 29 January 2024 (UTC)`, a note before
the `--` or after the timestamp, `T★C` instead of `(talk)`, `[reply]` after it on a copied page.
"""

# Wiki pages use typographic dashes: matching them is the point.
# ruff: noqa: RUF001
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from signupsheet.core.model import Registration
from signupsheet.core.schema_values import MAX_LINE, MAX_NOTE
from signupsheet.eventfiles.semantic_checks import secret_leaks
from signupsheet.organizer.wiki_notes import Notes
from signupsheet.organizer.wiki_text import USER_MARK
from signupsheet.organizer.wiki_times import SIGNATURE_TIME, signature_time

MAX_NAME = MAX_LINE

# What signatures add after the name: (talk), (talk · contribs), ]]Talk, T★C, ✉ ...
_DECOR_WORD = (
    r"(?:talk|t|c|contribs?|contributions|discussion|disc|diskussion|beiträge|d|msg|message"
    r"|e-?mail|mail|ping|user talk|u|meta|home|blablabla)"
)
_DECOR_SEP = r"[\s·•|/\\★☆✉☎✆⋅∙:,*\-]*"
_DECORATION = re.compile(
    rf"(?:\(\s*{_DECOR_WORD}(?:{_DECOR_SEP}{_DECOR_WORD})*\s*\)"
    rf"|\[\s*{_DECOR_WORD}(?:{_DECOR_SEP}{_DECOR_WORD})*\s*\]"
    r"|\b(?:talk|contribs)\b"
    r"|\bT\s*[★☆·•/|*]\s*C\b"
    r"|[✉☎✆★☆✍])\s*$",
    re.IGNORECASE,
)
_LAST_DECORATION = re.compile(
    rf"\(\s*{_DECOR_WORD}(?:{_DECOR_SEP}{_DECOR_WORD})*\s*\)|\bT\s*[★☆·•/|*]\s*C\b"
    r"|\]\]\s*talk\b",
    re.IGNORECASE,
)
# The links DiscussionTools puts after each signature of a rendered talk page.
_DISCUSSION_LINKS = re.compile(r"\[\s*(?:reply|subscribe|unsubscribe)\s*\]", re.IGNORECASE)
_PRONOUNS = re.compile(r"^(?:he|she|they|xe|ze|any)/\w+$", re.IGNORECASE)
_AFFILIATION = re.compile(r"\((?P<affiliation>[^()]{1,60})\)\s*$")
_SIGNATURE_DASH = re.compile(r"(?:^|\s)(?:--|—|–|~~)(?=\S)")


@dataclass
class SignatureReader:
    """Reads list items into registrations, reporting what it leaves out or assumes."""

    notes: Notes
    default_zone: tzinfo
    zone_given: bool  # --tz: times without a zone are the organizer's word, not a guess

    def read(self, body: str, number: int) -> Registration | None:
        text = _DISCUSSION_LINKS.sub(" ", body).strip()
        if not text or re.fullmatch(r"[~\s.#*-]*", text):
            self.notes.add(number, "an empty list item; left out")
            return None
        registered: datetime | None = None
        after = ""
        stamp = SIGNATURE_TIME.search(text)
        if stamp:
            registered = self._time(stamp, number)
            head, after = text[: stamp.start()], text[stamp.end() :]
        else:
            head = text
        before = ""
        if USER_MARK in head:
            before, _, head = head.partition(USER_MARK)
            head = head.replace(USER_MARK, " ")
        else:
            dashes = list(_SIGNATURE_DASH.finditer(head))
            if dashes and dashes[-1].start() > 0 and head[: dashes[-1].start()].strip():
                before, head = head[: dashes[-1].start()], head[dashes[-1].end() :]
        name_part, decorated = _strip_decorations(head)
        decoration = None if stamp else _last_decoration(head)
        if decoration is not None:
            # Without a timestamp, a note may follow the (talk) link.
            after = head[decoration:] + after
            name_part, _ = _strip_decorations(head[:decoration])
            decorated = True
        name_part = re.sub(r"^[\s\-–—~:•·*#]+", "", name_part).strip()
        name, affiliation = split_affiliation(name_part)
        signed = bool(stamp or decorated or USER_MARK in body)
        if not name:
            self.notes.add(number, "no name could be read from this entry; left out")
            return None
        if not signed and (
            len(name.split()) > 6
            or len(name) > 80
            or name.endswith((".", ":", "?", "!"))
            or "://" in name
        ):
            self.notes.add(number, "not a signature (no name, no talk link, no time); left out")
            return None
        if len(name) > MAX_NAME:
            self.notes.add(number, f"the name is longer than {MAX_NAME} characters; left out")
            return None
        if secret_leaks(name) or (affiliation and secret_leaks(affiliation)):
            self.notes.add(number, "the name holds an e-mail address or meeting link; left out")
            return None
        note = _clean_note(" ".join(part for part in (before, after) if part.strip()))
        if note and secret_leaks(note):
            self.notes.add(
                number, "the note holds an e-mail address or meeting link; note left out"
            )
            note = None
        if note and len(note) > MAX_NOTE:
            self.notes.add(number, f"the note is longer than {MAX_NOTE} characters; note left out")
            note = None
        return Registration(
            name=name,
            affiliation=affiliation,
            registered=registered,
            note=note or None,
            source="import",
        )

    def _time(self, stamp: re.Match[str], number: int) -> datetime | None:
        moment, problem, assumed = signature_time(stamp, self.default_zone)
        if problem:
            self.notes.add(number, f"{problem}; the entry is kept without its time", "assumed")
        elif assumed:
            self.notes.add(
                number,
                f"no time zone after the time; taken as {self.default_zone}",
                "assumed" if self.zone_given else "guessed",
            )
        return moment


def looks_signed(text: str) -> bool:
    return bool(
        USER_MARK in text or SIGNATURE_TIME.search(text) or _DECORATION.search(_strip_cut(text))
    )


def split_affiliation(text: str) -> tuple[str, str | None]:
    """`Martin Rulsch (WMDE)` is Martin Rulsch of WMDE; `Jane (she/her)` is a name."""
    match = _AFFILIATION.search(text)
    if match and not _PRONOUNS.match(match.group("affiliation").strip()):
        name = text[: match.start()].strip()
        if name:
            return name, match.group("affiliation").strip()
    return text.strip(), None


def _strip_decorations(text: str) -> tuple[str, bool]:
    """The name part without what signatures add after it; whether anything was removed."""
    found = False
    while True:
        before = text
        text = re.sub(r"(?:\]\]|\[\[)\s*$", "", text).rstrip(" ,;:|·•")
        stripped = _DECORATION.sub("", text).rstrip()
        if stripped != text:
            found = True
            text = stripped
        if text == before:
            return text, found


def _strip_cut(text: str) -> str:
    stamp = SIGNATURE_TIME.search(text)
    return text[: stamp.start()] if stamp else text


def _last_decoration(text: str) -> int | None:
    """Where the text after the last (talk)-like decoration starts."""
    end: int | None = None
    for match in _LAST_DECORATION.finditer(text):
        end = match.end()
    return end


def _clean_note(text: str) -> str | None:
    text = text.replace(USER_MARK, "")
    text = re.sub(r"\s+", " ", text).strip(" -–—:;,~")
    return text or None
