"""Reading a wiki event page into an event: title, description, speakers, sessions, sign-up lists.

A page comes either as wikitext (the source of the page) or as the text copied from the rendered
page. Wikitext is first flattened to the rendered form (links become their text, a user link marks
where a signature starts), so one reader handles both.

Real pages vary, so nothing here guesses silently: each line that is left out, and each assumption
made (a time without a zone taken as UTC, a missing end time), is reported with its line number.
"""

# Wiki pages use typographic dashes, minus signs and quotes: matching them is the point.
# ruff: noqa: RUF001, RUF003
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from signupsheet.core.model import Event, Location, Registration, Session, Speaker
from signupsheet.core.schema_values import MAX_LINE, MAX_NOTE
from signupsheet.eventfiles.event_writer import event_id_for, session_ids
from signupsheet.eventfiles.schema import PathTuple
from signupsheet.eventfiles.semantic_checks import secret_leaks

Kind = Literal["skipped", "assumed"]

MAX_NAME = MAX_LINE
MAX_SESSIONS = 50

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

# Abbreviations that name one offset only; anything else is reported rather than guessed.
ZONE_ABBREVIATIONS = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "cet": 60,
    "cest": 120,
    "mez": 60,
    "mesz": 120,
    "wet": 0,
    "west": 60,
    "eet": 120,
    "eest": 180,
    "pst": -480,
    "pdt": -420,
    "mst": -420,
    "mdt": -360,
    "edt": -240,
    "est": -300,
    "cdt": -300,
}

_OFFSET = r"(?:UTC|GMT)\s*(?P<sign>[+\-−–])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"

# A wiki signature's timestamp: 13:45, 16 November 2022 (UTC), or the US form.
SIGNATURE_TIME = re.compile(
    r"(?<![\d:])(?P<hour>\d{1,2}):(?P<minute>\d{2}),?\s+"
    r"(?:(?P<day>\d{1,2})\s+" + _MONTH + r"|" + _MONTH.replace("month", "month2") + r"\s+"
    r"(?P<day2>\d{1,2}),?)\s+(?P<year>\d{4})"
    r"(?:\s*\((?P<zone>[^()]{1,20})\))?",
    re.IGNORECASE,
)

# A session's date: Wednesday, 23 November 2022 / November 23, 2022 / 2022-11-23.
SESSION_DATE = re.compile(
    r"(?:(?P<day>\d{1,2})\.?\s+" + _MONTH + r",?\s+(?P<year>\d{4})"
    r"|" + _MONTH.replace("month", "month2") + r"\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+"
    r"(?P<year2>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))",
    re.IGNORECASE,
)
_CLOCK = r"(?P<{h}>\d{{1,2}})(?:[:.](?P<{m}>\d{{2}}))?\s*(?P<{p}>[ap]\.?m\.?)?"
SESSION_TIME = re.compile(
    r"(?<![\d:.])"
    + _CLOCK.format(h="h1", m="m1", p="p1")
    + r"(?:\s*(?:–|—|-|to|until)\s*"
    + _CLOCK.format(h="h2", m="m2", p="p2")
    + r")?"
    + r"(?![\d])(?:\s*\(?\s*(?P<zone>"
    + r"(?:UTC|GMT)(?:\s*[+\-−–]\s*\d{1,2}(?::?\d{2})?)?|(?-i:[A-Z]{2,4}T|CET|MEZ|MESZ)"
    + r")\b\)?)?",
    re.IGNORECASE,
)

_DATE_LABEL = re.compile(r"^\W*(?:dates?|when|time|datum|termin)\b\s*:?", re.IGNORECASE)
_SPEAKERS = re.compile(
    r"^\W*(?:speakers?|presenters?|facilitators?|hosts?|trainers?|referent\w*)\W*:\W*(?P<rest>.+)$",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"\b(?:register|registration|sign(?:\s|-)?ups?|sign (?:in|here|below)|signatures?"
    r"|participants?|attendees|attending|add your (?:name|user ?name|signature)"
    r"|anmeldung|teilnehmer\w*|inscri\w+)\b",
    re.IGNORECASE,
)
_PLATFORMS = (
    ("Zoom", r"zoom"),
    ("Jitsi", r"jitsi(?: meet)?"),
    ("Google Meet", r"google meet"),
    ("Microsoft Teams", r"(?:microsoft |ms )?teams"),
    ("BigBlueButton", r"big ?blue ?button|bbb"),
    ("Webex", r"webex"),
    ("Whereby", r"whereby"),
)
_PLATFORM = re.compile(
    r"\b(?:on|via|using|in|platform:?)\s+(?P<name>"
    + "|".join(pattern for _, pattern in _PLATFORMS)
    + r")\b",
    re.IGNORECASE,
)

_HEADING = re.compile(r"^(?P<level>={1,6})\s*(?P<text>.*?)\s*(?P=level)\s*$")
# List markers: wikitext # and *, rendered bullets, and numbers like "3." or "3)".
_LIST_ITEM = re.compile(r"^\s*(?P<marker>[#*]+(?P<reply>[:#*]*)|[-•·–]\s|\d{1,4}[.)]\s)\s*")
_REPLY = re.compile(r"^\s*(?::+|[#*]+:+)")
# Rendered pages glue the [edit] link of a section to the next line.
_EDIT_GLUE = re.compile(r"^edit(?=[A-Z(\-•#*])")

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
_PRONOUNS = re.compile(r"^(?:he|she|they|xe|ze|any)/\w+$", re.IGNORECASE)
_AFFILIATION = re.compile(r"\((?P<affiliation>[^()]{1,60})\)\s*$")
_SIGNATURE_DASH = re.compile(r"(?:^|\s)(?:--|—|–|~~)(?=\S)")
# Marks, in flattened wikitext, where a user link started: the signature's name.
USER_MARK = "\x00"

_USER_NAMESPACES = (
    r"user|user talk|benutzer|benutzerin|benutzer diskussion|utilisateur|utilisatrice|usuario"
    r"|usuaria|utente|gebruiker|użytkownik|special:contributions|special:contribs"
    r"|spezial:beiträge"
)
_WIKILINK = re.compile(r"\[\[(?P<target>[^\[\]|]*)(?:\|(?P<text>[^\[\]]*))?\]\]")
_EXTLINK = re.compile(r"\[(?P<url>https?://[^\s\]]+)(?:\s+(?P<text>[^\]]*))?\]")
_TEMPLATE = re.compile(r"\{\{(?P<body>[^{}]*)\}\}")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STRUCK = re.compile(r"<(?:s|del|strike)\b[^>]*>", re.IGNORECASE)


def _blank_comments(text: str) -> str:
    """Text without <!-- comments --> (an unclosed one runs to the end, as on the wiki).

    A plain scan: a lazy regex would rescan to the end from every unclosed opening.
    """
    parts: list[str] = []
    position = 0
    while (opening := text.find("<!--", position)) != -1:
        closing = text.find("-->", opening + 4)
        end = len(text) if closing == -1 else closing + 3
        parts += [text[position:opening], "\n" * text.count("\n", opening, end)]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _blank_multiline_template(match: re.Match[str]) -> str:
    text = match.group(0)
    return "\n" * text.count("\n") if "\n" in text else text


@dataclass(frozen=True, order=True)
class ImportNote:
    """One line of the page that was left out or read with an assumption, and why."""

    line: int
    message: str
    kind: Kind = "skipped"

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "page"
        return f"{where}: {self.message}"


@dataclass
class WikiImport:
    """What was read from a page: the event (when it has at least one session) and the notes.

    `comments` holds comment lines for the event file, by data path, so the file explains itself
    (where the entries came from, which ones were signed after the event).
    """

    event: Event | None
    notes: list[ImportNote] = field(default_factory=list)
    comments: dict[PathTuple, list[str]] = field(default_factory=dict)
    wikitext: bool = False

    @property
    def skipped(self) -> list[ImportNote]:
        return [note for note in self.notes if note.kind == "skipped"]


@dataclass
class _Line:
    number: int
    raw: str
    text: str  # flattened: markup removed, user links marked
    heading: bool = False
    struck: bool = False


@dataclass
class _SessionDraft:
    start: datetime
    end: datetime
    title: str | None
    line: int
    entries: list[tuple[int, Registration]] = field(default_factory=list)
    lines_by_name: dict[str, int] = field(default_factory=dict)


# -- flattening wikitext ---------------------------------------------------------------------


def looks_like_wikitext(text: str) -> bool:
    return bool(re.search(r"\[\[|\{\{|'''|~~~~|^=+[^=\n]+=+\s*$|^[#*]", text, re.MULTILINE))


def _wikilink(match: re.Match[str]) -> str:
    target = match.group("target").strip().lstrip(":")
    shown = match.group("text")
    # Interwiki prefixes (m:, w:, meta:) come before the namespace.
    bare = re.sub(r"^(?:[a-z-]{1,12}:)+(?=(?:" + _USER_NAMESPACES + r")\b)", "", target, flags=re.I)
    namespace, _, rest = bare.partition(":")
    if namespace.lower() in ("file", "image", "datei", "category", "kategorie"):
        return ""
    if shown is None or not shown.strip():
        shown = rest.rpartition("/")[2] if "/" in rest else rest or target
    lowered = bare.lower()
    is_user = re.match(
        r"(?:user|benutzer|benutzerin|utilisateur|utilisatrice|usuario|usuaria"
        r"|utente|gebruiker|użytkownik):",
        lowered,
    )
    is_contribs = re.match(r"(?:special:contrib|spezial:beiträge)", lowered)
    if (is_user or is_contribs) and "talk" not in lowered and "diskussion" not in lowered:
        return USER_MARK + shown
    return shown


def _template(match: re.Match[str]) -> str:
    body = match.group("body")
    name = body.split("|", 1)[0].strip().lower()
    # A few templates stand for text people use in notes; the rest carry no content here.
    return {"done": "done", "tick": "", "yes": "", "+1": "+1", "support": ""}.get(name, "")


def flatten_wikitext(line: str) -> str:
    """One line of wikitext as it reads on the page, with USER_MARK before each user link."""
    text = line
    for _ in range(3):  # templates nest rarely; three passes cover what pages use
        text = _TEMPLATE.sub(_template, text)
    text = _WIKILINK.sub(_wikilink, text)
    text = _EXTLINK.sub(lambda m: m.group("text") or m.group("url"), text)
    text = text.replace("'''", "").replace("''", "")
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    return text


# -- small parsers ---------------------------------------------------------------------------


def _zone_offset(text: str | None) -> tuple[timedelta | None, str | None]:
    """The offset a zone label stands for, or None and a reason when it is not understood."""
    if text is None:
        return None, "no time zone"
    label = text.strip()
    match = re.fullmatch(_OFFSET, label, re.IGNORECASE)
    if match:
        hours = int(match.group("oh"))
        minutes = int(match.group("om") or 0)
        if hours > 14 or minutes >= 60:
            return None, f"{label!r} is not a real offset"
        delta = timedelta(hours=hours, minutes=minutes)
        return (-delta if match.group("sign") != "+" else delta), None
    known = ZONE_ABBREVIATIONS.get(label.lower())
    if known is None:
        return None, f"the time zone {label!r} is not one offset"
    return timedelta(minutes=known), None


def _month(match: re.Match[str]) -> int:
    name = (match.group("month") or match.group("month2")).lower()
    return MONTHS[name]


def signature_time(
    match: re.Match[str], default_zone: tzinfo
) -> tuple[datetime | None, str | None, bool]:
    """The moment of a signature timestamp; a problem; whether the zone was assumed."""
    day = int(match.group("day") or match.group("day2"))
    try:
        local = datetime(
            int(match.group("year")),
            _month(match),
            day,
            int(match.group("hour")),
            int(match.group("minute")),
        )
    except ValueError:
        return None, f"{match.group(0).strip()!r} is not a real date and time", False
    zone = match.group("zone")
    if zone is None:
        return local.replace(tzinfo=default_zone).astimezone(UTC), None, True
    offset, problem = _zone_offset(zone)
    if offset is None:
        return None, problem, False
    return local.replace(tzinfo=timezone(offset)).astimezone(UTC), None, False


def _split_affiliation(text: str) -> tuple[str, str | None]:
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


def speakers_from(text: str) -> list[Speaker]:
    speakers: list[Speaker] = []
    for part in re.split(r"\s*(?:,|;|\band\b|&)\s*(?![^()]*\))", text):
        part = part.replace(USER_MARK, "").strip(" .")
        if not part:
            continue
        name, affiliation = _split_affiliation(part)
        if name and len(name) <= MAX_NAME:
            speakers.append(Speaker(name=name, affiliation=affiliation))
    return speakers


# -- the page --------------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str, default_zone: tzinfo) -> None:
        self.default_zone = default_zone
        self.notes: list[ImportNote] = []
        self.wikitext = looks_like_wikitext(text)
        # Comments and multi-line templates (infoboxes) carry no signatures; blank them but keep
        # the line count so numbers stay true.
        text = _blank_comments(text)
        if self.wikitext:
            text = _TEMPLATE.sub(_blank_multiline_template, text)
        self.lines: list[_Line] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            raw = raw.rstrip()
            heading = False
            body = raw
            if self.wikitext:
                match = _HEADING.match(raw)
                if match:
                    heading = True
                    body = match.group("text")
            else:
                body = _EDIT_GLUE.sub("", body)
            struck = bool(_STRUCK.search(body))
            flat = flatten_wikitext(body) if self.wikitext else body.replace("\xa0", " ")
            self.lines.append(_Line(number, raw, flat.strip(), heading, struck))

    def note(self, line: int, message: str, kind: Kind = "skipped") -> None:
        self.notes.append(ImportNote(line, message, kind))

    # Title and description ------------------------------------------------------------------

    def title(self) -> tuple[str | None, int]:
        for line in self.lines:
            match = re.search(r"\{\{\s*DISPLAYTITLE\s*:\s*(?P<t>[^{}]+)\}\}", line.raw, re.I)
            if match:
                return flatten_wikitext(match.group("t")).strip(), line.number
        for line in self.lines:
            if not line.text:
                continue
            if self.wikitext and not line.heading:
                return None, 0
            if self.wikitext and not re.match(r"=[^=]", line.raw):
                if SESSION_DATE.search(line.text) or _TRIGGER.search(line.text):
                    return None, 0
                self.note(line.number, "the title is taken from the first heading", "assumed")
            # The page name: the last part of a subpage path is the event's own title.
            if "://" in line.text:
                return line.text.strip(), line.number
            return line.text.rsplit("/", 1)[-1].strip(), line.number
        return None, 0

    def is_header_end(self, line: _Line) -> bool:
        text = line.text
        return bool(
            line.heading
            or _SPEAKERS.match(text)
            or _DATE_LABEL.match(text)
            or _LIST_ITEM.match(line.raw if self.wikitext else text)
            or (_TRIGGER.search(text) and self._trigger_shape(line))
            or (SESSION_DATE.search(text) and SESSION_TIME.search(text))
        )

    def description(self, after: int) -> str | None:
        paragraphs: list[str] = []
        current: list[str] = []
        for line in self.lines:
            if line.number <= after:
                continue
            if (
                line.heading
                and not paragraphs
                and not current
                and not self.is_header_end(_Line(line.number, line.text, line.text))
            ):
                continue  # a heading above the introduction, e.g. the page's own name
            if self.is_header_end(line):
                break
            if re.fullmatch(r"\s*(?:\{\{[^{}]*\}\}|__\w+__)?\s*", line.raw):
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                continue
            leaks = secret_leaks(line.text)
            if leaks:
                self.note(
                    line.number,
                    "left out of the description: " + leaks[0][1].split(";")[0],
                )
                continue
            current.append(line.text.replace(USER_MARK, ""))
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs) or None

    def speakers(self) -> list[Speaker]:
        for line in self.lines:
            match = _SPEAKERS.match(line.text)
            if match:
                speakers = speakers_from(match.group("rest"))
                kept = [s for s in speakers if not secret_leaks(f"{s.name} {s.affiliation}")]
                if len(kept) < len(speakers):
                    self.note(
                        line.number, "a speaker with an e-mail address or meeting link; left out"
                    )
                return kept
        return []

    def platform(self) -> str | None:
        for line in self.lines:
            match = _PLATFORM.search(line.text)
            if match:
                said = match.group("name").lower()
                for name, pattern in _PLATFORMS:
                    if re.fullmatch(pattern, said):
                        return name
        return None

    # Sessions -------------------------------------------------------------------------------

    def session_times(self, line: _Line) -> list[tuple[datetime, datetime, str | None]]:
        """The sessions a line announces (a date with a time), or none."""
        text = line.text.replace(USER_MARK, "")
        dates = list(SESSION_DATE.finditer(text))
        found: list[tuple[datetime, datetime, str | None]] = []
        for index, date_match in enumerate(dates):
            stop = dates[index + 1].start() if index + 1 < len(dates) else len(text)
            rest = text[date_match.end() : stop]
            time_match = next(
                (
                    m
                    for m in SESSION_TIME.finditer(rest)
                    if m.group("h2") or m.group("zone") or m.group("m1") or m.group("p1")
                ),
                None,
            )
            if time_match is None:
                continue
            day = self._date(date_match, line.number)
            if day is None:
                continue
            span = self._span(day, time_match, line.number)
            if span is None:
                continue
            label = text[: date_match.start()] if index == 0 else ""
            found.append((span[0], span[1], self._session_label(label)))
        return found

    def _date(self, match: re.Match[str], number: int) -> date | None:
        try:
            if match.group("iy"):
                return date(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
            day = int(match.group("day") or match.group("day2"))
            year = int(match.group("year") or match.group("year2"))
            return date(year, _month(match), day)
        except ValueError:
            self.note(number, f"{match.group(0)!r} is not a real date; no session made from it")
            return None

    def _span(
        self, day: date, match: re.Match[str], number: int
    ) -> tuple[datetime, datetime] | None:
        def clock(hour: str, minute: str | None, half: str | None) -> time | None:
            value = int(hour)
            if half:
                if not 1 <= value <= 12:
                    return None
                value = value % 12 + (12 if half.lower().startswith("p") else 0)
            if value > 23 or int(minute or 0) > 59:
                return None
            return time(value, int(minute or 0))

        p1, p2 = match.group("p1"), match.group("p2")
        if p1 is None and p2 is not None:
            # "2–3 pm": the start shares the end's half of the day unless that puts it after.
            p1 = p2
            if int(match.group("h1")) % 12 > int(match.group("h2")) % 12:
                p1 = "am" if p2.lower().startswith("p") else "pm"
        begin = clock(match.group("h1"), match.group("m1"), p1)
        finish = clock(match.group("h2"), match.group("m2"), p2) if match.group("h2") else None
        if begin is None or (match.group("h2") and finish is None):
            self.note(number, f"{match.group(0).strip()!r} is not a time of day; no session made")
            return None
        zone_text = match.group("zone")
        offset, problem = _zone_offset(zone_text)
        zone: tzinfo
        if offset is None:
            zone = self.default_zone
            self.note(number, f"{problem} for the session; times taken as {zone}", "assumed")
        else:
            zone = timezone(offset)
        start = datetime.combine(day, begin, zone).astimezone(UTC)
        if finish is None:
            end = start + timedelta(hours=1)
            self.note(number, "no end time for the session; it is set to one hour", "assumed")
        else:
            end = datetime.combine(day, finish, zone).astimezone(UTC)
            if end <= start:
                end += timedelta(days=1)  # e.g. 23:00–01:00
        return start, end

    @staticmethod
    def _session_label(text: str) -> str | None:
        label = _DATE_LABEL.sub("", text)
        label = re.sub(
            r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\W*$", "", label, flags=re.IGNORECASE
        )
        label = label.strip(" ,:;–—-()")
        return label or None

    # Sign-up lists --------------------------------------------------------------------------

    def _trigger_shape(self, line: _Line) -> bool:
        """Whether a line mentioning registration introduces a list (not a sentence about it)."""
        words = len(line.text.split())
        return line.heading or words <= 4 or (words <= 12 and line.text.endswith((":", "!")))

    def _list_body(self, line: _Line) -> tuple[str, bool] | None:
        """The text of a list item (and whether it is a reply to the item above), or None."""
        source = line.raw if self.wikitext else line.text
        match = _LIST_ITEM.match(source)
        if not match:
            return None
        reply = bool(match.group("reply") and ":" in match.group("reply")) or bool(
            self.wikitext and _REPLY.match(line.raw)
        )
        body = source[match.end() :]
        if self.wikitext:
            body = flatten_wikitext(body)
        return body.strip(), reply

    def _looks_signed(self, text: str) -> bool:
        return bool(
            USER_MARK in text or SIGNATURE_TIME.search(text) or _DECORATION.search(_strip_cut(text))
        )

    def read(self) -> tuple[list[_SessionDraft], list[ImportNote]]:
        sessions: list[_SessionDraft] = []
        current: _SessionDraft | None = None
        pending: list[tuple[_Line, str]] = []  # entries before any session line
        by_start: dict[datetime, _SessionDraft] = {}
        triggered = False
        in_list = False
        decided_until = 0  # a list judged not to be a sign-up list is judged once, not per item
        index = 0
        lines = self.lines
        while index < len(lines):
            line = lines[index]
            item = self._list_body(line)
            signed_paragraph = (
                item is None
                and not line.heading
                and (triggered or in_list)
                and SIGNATURE_TIME.search(line.text) is not None
            )
            if item is not None or signed_paragraph:
                if not in_list and index >= decided_until:
                    # A new list: it is a sign-up list if a registration line introduced it or
                    # if most of its items are signed.
                    run, decided_until = self._run_from(index)
                    signed = sum(1 for text in run if self._looks_signed(text))
                    in_list = triggered or (bool(run) and signed * 2 > len(run))
                    triggered = False
                if in_list:
                    body, reply = item if item is not None else (line.text, False)
                    if reply:
                        self.note(line.number, "a reply under the entry above; left out")
                    elif line.struck:
                        self.note(line.number, "struck through (the person withdrew); left out")
                    elif current is None:
                        pending.append((line, body))
                    else:
                        self._entry(current, line.number, body)
                    index += 1
                    continue
            if not line.text:
                index += 1
                continue
            in_list = False
            for start, end, label in self.session_times(line):
                existing = by_start.get(start)
                if existing is None:
                    existing = by_start[start] = _SessionDraft(start, end, label, line.number)
                    sessions.append(existing)
                elif existing.title is None:
                    existing.title = label  # a summary line came first, the session's own later
                current = existing
            if line.heading:
                triggered = bool(_TRIGGER.search(line.text))
            elif _TRIGGER.search(line.text) and self._trigger_shape(line):
                triggered = True
            index += 1
        if pending:
            if sessions:
                for line, body in pending:
                    self._entry(sessions[0], line.number, body)
            else:
                for line, _body in pending:
                    self.note(line.number, "a sign-up before any session date; left out")
        return sessions, self.notes

    def _run_from(self, index: int) -> tuple[list[str], int]:
        """The items of the list that starts at `index`, and the index of the line after it."""
        run: list[str] = []
        while index < len(self.lines):
            line = self.lines[index]
            if line.text:
                item = self._list_body(line)
                if item is None:
                    break
                run.append(item[0])
            index += 1
        return run, index

    # One signature --------------------------------------------------------------------------

    def _entry(self, session: _SessionDraft, number: int, body: str) -> None:
        entry = self.signature(body, number)
        if entry is None:
            return
        first_line = session.lines_by_name.get(entry.name.casefold())
        if first_line is not None:
            self.note(
                number,
                f"{entry.name!r} signed this list already (line {first_line}); "
                "the first signature is kept",
            )
            return
        session.lines_by_name[entry.name.casefold()] = number
        session.entries.append((number, entry))

    def signature(self, body: str, number: int) -> Registration | None:
        text = body.strip()
        if not text or re.fullmatch(r"[~\s.#*-]*", text):
            self.note(number, "an empty list item; left out")
            return None
        registered: datetime | None = None
        after = ""
        stamp = SIGNATURE_TIME.search(text)
        if stamp:
            moment, problem, assumed = signature_time(stamp, self.default_zone)
            if problem:
                self.note(number, f"{problem}; the entry is kept without its time", "assumed")
            elif assumed:
                self.note(
                    number, f"no time zone after the time; taken as {self.default_zone}", "assumed"
                )
            registered = moment
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
        name, affiliation = _split_affiliation(name_part)
        signed = bool(stamp or decorated or USER_MARK in body)
        if not name:
            self.note(number, "no name could be read from this entry; left out")
            return None
        if not signed and (
            len(name.split()) > 6
            or len(name) > 80
            or name.endswith((".", ":", "?", "!"))
            or "://" in name
        ):
            self.note(number, "not a signature (no name, no talk link, no time); left out")
            return None
        if len(name) > MAX_NAME:
            self.note(number, f"the name is longer than {MAX_NAME} characters; left out")
            return None
        if secret_leaks(name) or (affiliation and secret_leaks(affiliation)):
            self.note(number, "the name holds an e-mail address or meeting link; left out")
            return None
        note = _clean_note(" ".join(part for part in (before, after) if part.strip()))
        if note and secret_leaks(note):
            self.note(number, "the note holds an e-mail address or meeting link; note left out")
            note = None
        if note and len(note) > MAX_NOTE:
            self.note(number, f"the note is longer than {MAX_NOTE} characters; note left out")
            note = None
        return Registration(
            name=name,
            affiliation=affiliation,
            registered=registered,
            note=note or None,
            source="import",
        )


def _strip_cut(text: str) -> str:
    stamp = SIGNATURE_TIME.search(text)
    return text[: stamp.start()] if stamp else text


def _last_decoration(text: str) -> int | None:
    """Where the text after the last (talk)-like decoration starts."""
    end: int | None = None
    for match in re.finditer(
        rf"\(\s*{_DECOR_WORD}(?:{_DECOR_SEP}{_DECOR_WORD})*\s*\)|\bT\s*[★☆·•/|*]\s*C\b"
        r"|\]\]\s*talk\b",
        text,
        re.IGNORECASE,
    ):
        end = match.end()
    return end


def _clean_note(text: str) -> str | None:
    text = text.replace(USER_MARK, "")
    text = re.sub(r"\s+", " ", text).strip(" -–—:;,~")
    return text or None


def read_page(
    text: str,
    *,
    title: str | None = None,
    event_id: str | None = None,
    default_zone: tzinfo = UTC,
) -> WikiImport:
    """Read a wiki event page. `title` and `event_id` override what the page says."""
    reader = _Reader(text, default_zone)
    found_title, title_line = reader.title()
    title = title or found_title
    drafts, notes = reader.read()
    result = WikiImport(event=None, notes=notes, wikitext=reader.wikitext)
    if not title:
        reader.note(0, "no title found on the page; give one with --title")
    if not drafts:
        reader.note(
            0,
            "no session found: the page needs a line with a date and a time, "
            "e.g. 'Date: 23 November 2022, 14:00–15:00 UTC'",
        )
    if len(drafts) > MAX_SESSIONS:
        reader.note(
            0, f"{len(drafts)} sessions found, more than the {MAX_SESSIONS} an event may have"
        )
    if not title or not drafts or len(drafts) > MAX_SESSIONS:
        result.notes.sort()
        return result
    several = len(drafts) > 1
    sessions: list[Session] = []
    for draft, session_id in zip(drafts, session_ids([d.start for d in drafts]), strict=True):
        sessions.append(
            Session(
                id=session_id,
                start=draft.start,
                end=draft.end,
                title=draft.title if several and draft.title else None,
                registrations=[entry for _, entry in draft.entries],
            )
        )
    if secret_leaks(title):
        reader.note(
            title_line,
            "the title holds an e-mail address or meeting link; give a title with --title",
        )
        result.notes.sort()
        return result
    for session in sessions:
        if session.title and secret_leaks(session.title):
            session.title = None
    description = reader.description(title_line)
    platform = reader.platform()
    event = Event(
        id=event_id or event_id_for(drafts[0].start, title),
        title=title[:MAX_LINE],
        description=description,
        speakers=reader.speakers(),
        location=Location(mode="online", platform=platform) if platform else None,
        sessions=sessions,
    )
    if platform is None:
        reader.note(0, "no meeting platform named on the page; location left out", "assumed")
    result.event = event
    for index, (draft, session) in enumerate(zip(drafts, sessions, strict=True)):
        if session.registrations:
            kind = "wikitext" if reader.wikitext else "page"
            result.comments[("sessions", index, "registrations")] = [
                f"Signatures copied from the wiki {kind}, in the page's order.",
            ]
        for position, (number, entry) in enumerate(draft.entries):
            if entry.registered is not None and entry.registered > session.end:
                result.comments[("sessions", index, "registrations", position)] = [
                    f"Signed on {entry.registered.day} {entry.registered:%B %Y}, after the "
                    "session; "
                    "the true time is kept.",
                ]
                reader.note(
                    number,
                    f"{entry.name!r} signed after the session ended; kept with the true time",
                    "assumed",
                )
    result.notes.sort()
    return result
