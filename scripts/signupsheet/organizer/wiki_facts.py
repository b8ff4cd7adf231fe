"""What a wiki page says about its event as a whole: title, description, speakers, platform,
languages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from signupsheet.core.model import Speaker
from signupsheet.eventfiles.semantic_checks import secret_leaks
from signupsheet.organizer.wiki_notes import Notes
from signupsheet.organizer.wiki_signatures import MAX_NAME, split_affiliation
from signupsheet.organizer.wiki_text import USER_MARK, Line, PageText
from signupsheet.organizer.wiki_times import SESSION_DATE, SESSION_TIME

_SPEAKERS = re.compile(
    r"^\W*(?:speakers?|presenters?|facilitators?|hosts?|trainers?|referent\w*)\W*:\W*(?P<rest>.+)$",
    re.IGNORECASE,
)
_LANGUAGES = re.compile(r"^\W*(?:languages?|sprachen?|idiomas?|langues?)\s*:\s*(?P<rest>.+)$", re.I)
# Lines that end the introduction: a date label (its colon may be missing, as in "Date
# Wednesday, 23 November 2022") or another fact's label with its colon.
_FACT_LABEL = re.compile(
    r"^\W*(?:(?:dates?|when|time|datum|termin)\b\s*:?|(?:languages?|platform|where|duration)\s*:)",
    re.IGNORECASE,
)
TRIGGER = re.compile(
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
    r"\b(?:on|via|using|in|at|platform:?|where:)\s+(?P<name>"
    + "|".join(pattern for _, pattern in _PLATFORMS)
    + r")\b",
    re.IGNORECASE,
)
# Names of languages as event pages write them, in English or in the language itself.
LANGUAGE_CODES = {
    "arabic": "ar",
    "العربية": "ar",
    "bengali": "bn",
    "bangla": "bn",
    "catalan": "ca",
    "català": "ca",
    "chinese": "zh",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "nederlands": "nl",
    "english": "en",
    "esperanto": "eo",
    "french": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "greek": "el",
    "hausa": "ha",
    "hebrew": "he",
    "hindi": "hi",
    "igbo": "ig",
    "indonesian": "id",
    "italian": "it",
    "italiano": "it",
    "japanese": "ja",
    "korean": "ko",
    "persian": "fa",
    "polish": "pl",
    "polski": "pl",
    "portuguese": "pt",
    "português": "pt",
    "russian": "ru",
    "spanish": "es",
    "español": "es",
    "castellano": "es",
    "swahili": "sw",
    "kiswahili": "sw",
    "swedish": "sv",
    "turkish": "tr",
    "twi": "tw",
    "ukrainian": "uk",
    "urdu": "ur",
    "yoruba": "yo",
}


@dataclass
class PageFacts:
    """Reads the event-wide facts of a page, reporting what it leaves out or assumes."""

    page: PageText
    notes: Notes

    @property
    def lines(self) -> list[Line]:
        return self.page.lines

    def title(self) -> tuple[str | None, int]:
        for title, number, how in self.page.titles:
            if how != "DISPLAYTITLE":
                self.notes.add(number, f"the title is taken from {how}'s title", "assumed")
            return title, number
        for line in self.lines:
            if not line.text:
                continue
            if self.page.wikitext and not line.heading:
                return None, 0
            if self.page.wikitext and line.heading:
                if SESSION_DATE.search(line.text) or TRIGGER.search(line.text):
                    return None, 0
                self.notes.add(line.number, "the title is taken from the first heading", "assumed")
            # The page name: the last part of a subpage path is the event's own title.
            if "://" in line.text:
                return line.text.strip(), line.number
            return line.text.rsplit("/", 1)[-1].strip(), line.number
        return None, 0

    def is_header_end(self, line: Line) -> bool:
        text = line.text
        return bool(
            line.heading
            or line.titled
            or _SPEAKERS.match(text)
            or _FACT_LABEL.match(text)
            or line.item is not None
            or (TRIGGER.search(text) and trigger_shape(line))
            or (SESSION_DATE.search(text) and SESSION_TIME.search(text))
        )

    def description(self, after: int) -> str | None:
        paragraphs: list[str] = []
        current: list[str] = []
        for line in self.lines:
            if line.number <= after:
                continue
            if line.heading and not paragraphs and not current and not self._ends_at(line):
                continue  # a heading above the introduction, e.g. the page's own name
            if self.is_header_end(line):
                break
            if not line.text:
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                continue
            leaks = secret_leaks(line.text)
            if leaks:
                self.notes.add(
                    line.number, "left out of the description: " + leaks[0][1].split(";")[0]
                )
                continue
            current.append(line.text.replace(USER_MARK, ""))
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs) or None

    def _ends_at(self, heading: Line) -> bool:
        return self.is_header_end(Line(heading.number, heading.text))

    def speakers(self) -> list[Speaker]:
        for line in self.lines:
            match = _SPEAKERS.match(line.text)
            if match:
                speakers = speakers_from(match.group("rest"))
                kept = [s for s in speakers if not secret_leaks(f"{s.name} {s.affiliation}")]
                if len(kept) < len(speakers):
                    self.notes.add(
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

    def languages(self) -> list[str]:
        """BCP 47 codes of the languages a "Language:" line names."""
        for line in self.lines:
            match = _LANGUAGES.match(line.text)
            if not match:
                continue
            codes: list[str] = []
            said = re.sub(r"\([^()]*\)", "", match.group("rest"))  # "(with interpretation)"
            for word in re.split(r"\s*(?:,|;|/|\band\b|\bor\b|&|\+)\s*", said):
                name = word.strip(" .()").lower()
                if not name:
                    continue
                code = LANGUAGE_CODES.get(name)
                if code is None:
                    self.notes.add(
                        line.number,
                        f"the language {word.strip()!r} is not one the importer knows; add its "
                        "code (e.g. pt-BR) under languages: in the event file",
                    )
                elif code not in codes:
                    codes.append(code)
            return codes
        return []


def trigger_shape(line: Line) -> bool:
    """Whether a line mentioning registration introduces a list (not a sentence about it)."""
    words = len(line.text.split())
    return line.heading or words <= 4 or (words <= 12 and line.text.endswith((":", "!")))


def speakers_from(text: str) -> list[Speaker]:
    speakers: list[Speaker] = []
    for part in re.split(r"\s*(?:,|;|\band\b|&)\s*(?![^()]*\))", text):
        part = part.replace(USER_MARK, "").strip(" .")
        if not part:
            continue
        name, affiliation = split_affiliation(part)
        if name and len(name) <= MAX_NAME:
            speakers.append(Speaker(name=name, affiliation=affiliation))
    return speakers
