"""A wiki page as numbered lines of the text a reader sees.

A page comes either as wikitext (the source of the page) or as the text copied from the rendered
page. Wikitext is parsed with mwparserfromhell and flattened to what the rendered page shows:
links become their text, templates that show a word become it ({{UTC}}), the others disappear,
and a user link marks where a signature's name starts. Line numbers stay those of the source, so
every report points at the line to fix.

Both kinds then share one shape: a `Line` knows whether it is a heading, a list item (and its
text without the marker), an indented reply, or struck through. A label standing alone on its
line ("Trainer", "Date", "Language") is joined to the value on the next line, as the page shows
them side by side in a box.
"""

# Wiki pages use typographic dashes: matching them is the point.
# ruff: noqa: RUF001
from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import (
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

# Marks, in flattened wikitext, where a user link started: the signature's name.
USER_MARK = "\x00"

_USER_NAMESPACES = (
    r"user|user talk|benutzer|benutzerin|benutzer diskussion|utilisateur|utilisatrice|usuario"
    r"|usuaria|utente|gebruiker|użytkownik|special:contributions|special:contribs"
    r"|spezial:beiträge"
)
_USER_LINK = re.compile(
    r"(?:user|benutzer|benutzerin|utilisateur|utilisatrice|usuario|usuaria|utente|gebruiker"
    r"|użytkownik):|special:contrib|spezial:beiträge",
    re.IGNORECASE,
)
_INTERWIKI = re.compile(r"^(?:[a-z-]{1,12}:)+(?=(?:" + _USER_NAMESPACES + r")\b)", re.IGNORECASE)
_HIDDEN_NAMESPACES = ("file", "image", "datei", "category", "kategorie", "media")
# Templates that show a word people read as part of the sentence; the others show nothing here.
_TEMPLATE_WORDS = {"utc": "UTC", "gmt": "GMT", "done": "done", "+1": "+1"}
# Templates that link a user, like a signature: {{u|Name}}.
_USER_TEMPLATES = {"u", "user", "noping", "user link", "ul", "userlink"}
# Templates whose second parameter is text in another language: {{lang|es|texto}}.
_TEXT_TEMPLATES = {"lang", "langx", "lang-x"}
_STRUCK_TAGS = {"s", "del", "strike"}
_HIDDEN_TAGS = {"ref", "references", "templatestyles", "gallery", "math", "score", "graph"}
_LIST_MARKUP = {"#", "*", ";", ":"}
_MAGIC_WORD = re.compile(r"__[A-Z]+__")
# Characters YAML does not allow have no place in an event file, and the odd line breaks (\x0b,
# \x1c, U+2028) are not lines to an editor: all become spaces, so line numbers match the editor's.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

# List markers of copied text: bullets, dashes and numbers like "3." or "3)".
_LIST_ITEM = re.compile(r"^\s*(?P<marker>[#*]+(?P<reply>[:#*]*)|[-•·–]\s|\d{1,4}[.)]\s)\s*")
# Rendered pages glue the [edit] link of a section to the line after its heading.
_EDIT_GLUE = re.compile(r"^\[?edit(?: source)?\]?(?=$|[A-Z0-9(•#*]|[-–]\s)")
_EDIT_AFTER = re.compile(r"\s*\[edit(?: source)?\]\s*$")
_LABEL_ALONE = re.compile(
    r"^(?P<label>trainers?|speakers?|presenters?|facilitators?|hosts?|dates?|when|times?"
    r"|time zone|languages?|platform|where|duration|length)\s*:?$",
    re.IGNORECASE,
)
_LABELLED = re.compile(r"^[^:]{1,30}:\s")
_DATE_LABEL = re.compile(r"^\W*(?:dates?|when|time|datum|termin)\b\s*:?", re.IGNORECASE)


@dataclass
class Line:
    number: int
    text: str  # as the page shows it, list marker included; user links marked
    heading: bool = False  # a wikitext heading
    struck: bool = False
    item: str | None = None  # a list item's text without its marker
    reply: bool = False  # indented under the line above: an answer, not an entry
    # A heading of copied text (no markup says so): the line above an [edit] link, or a short
    # line above a "Date:" line. Names a session; never starts a sign-up list.
    titled: bool = False


@dataclass
class PageText:
    lines: list[Line]
    wikitext: bool
    # Where the page names its own title, when the wikitext does: (text, line, how).
    titles: list[tuple[str, int, str]] = field(default_factory=list)


def looks_like_wikitext(text: str) -> bool:
    return bool(re.search(r"\[\[|\{\{|'''|~~~~|^=+[^=\n]+=+\s*$|^[#*]", text, re.MULTILINE))


def blank_comments(text: str) -> str:
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


def read_text(text: str) -> PageText:
    """The page's lines, from wikitext or copied text alike."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = blank_comments(text)
    if looks_like_wikitext(text):
        page = _wikitext_lines(text)
    else:
        page = PageText(_copied_lines(text), wikitext=False)
    _join_labels(page.lines)
    _title_lines_above_dates(page.lines)
    return page


def flatten_wikitext(wikitext: str) -> str:
    """Wikitext as it reads on the page, on one line, with USER_MARK before each user link."""
    builder = _Builder()
    builder.code(mwparserfromhell.parse(wikitext))
    return " ".join(part for line in builder.lines if (part := line.text()))


# -- copied text -----------------------------------------------------------------------------


def _copied_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        body = raw.rstrip().replace("\xa0", " ")
        titled = False
        glued = _EDIT_GLUE.match(body)
        if glued:
            body = body[glued.end() :]
            _mark_previous_titled(lines)
        elif _EDIT_AFTER.search(body):
            body = _EDIT_AFTER.sub("", body)
            titled = True
        line = Line(number, body.strip(), titled=titled)
        match = _LIST_ITEM.match(line.text)
        if match:
            line.item = line.text[match.end() :].strip()
            line.reply = ":" in (match.group("reply") or "")
        lines.append(line)
    return lines


def _mark_previous_titled(lines: list[Line]) -> None:
    for line in reversed(lines):
        if line.text:
            if line.item is None:
                line.titled = True
            return


# -- wikitext --------------------------------------------------------------------------------


@dataclass
class _Draft:
    parts: list[str] = field(default_factory=list)
    markers: str = ""
    heading: bool = False
    struck: bool = False

    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def started(self) -> bool:
        return any(part.strip() for part in self.parts)


class _Builder:
    """Walks the parsed page, writing what each node shows into the line it starts on."""

    def __init__(self) -> None:
        self.lines: list[_Draft] = [_Draft()]
        self.titles: list[tuple[str, int, str]] = []
        self.seen_heading = False

    @property
    def here(self) -> _Draft:
        return self.lines[-1]

    def write(self, text: str) -> None:
        first, *rest = text.split("\n")
        self.here.parts.append(first)
        for piece in rest:
            self.lines.append(_Draft())
            self.here.parts.append(piece)

    def hide(self, source: str) -> None:
        """Content that shows nothing: only its line breaks are kept, so numbers stay true."""
        for _ in range(source.count("\n")):
            self.lines.append(_Draft())

    def code(self, code: Wikicode) -> None:
        for node in code.nodes:
            self.node(node)

    def inline(self, code: Wikicode | None) -> str:
        """What a piece of wikitext shows, on one line (a link's text, a heading's title)."""
        if code is None:
            return ""
        inner = _Builder()
        inner.code(code)
        return " ".join(part for line in inner.lines if (part := line.text()))

    def node(self, node: Node) -> None:
        if isinstance(node, Text):
            self.write(_MAGIC_WORD.sub("", node.value).replace("'''", "").replace("''", ""))
        elif isinstance(node, Heading):
            self.here.heading = True
            self.seen_heading = True
            self.write(self.inline(node.title))
            self.hide(str(node.title))
        elif isinstance(node, Wikilink):
            self.write(self.wikilink(node))
            self.hide(str(node))
        elif isinstance(node, ExternalLink):
            shown = self.inline(node.title) if node.title is not None else str(node.url)
            self.write(shown)
            self.hide(str(node))
        elif isinstance(node, Template):
            self.template(node)
        elif isinstance(node, Tag):
            self.tag(node)
        elif isinstance(node, HTMLEntity):
            self.write(html.unescape(str(node)).replace("\xa0", " "))
        else:  # comments, {{{arguments}}}: nothing a reader sees
            self.hide(str(node))

    def wikilink(self, node: Wikilink) -> str:
        target = str(node.title).strip().lstrip(":")
        # Interwiki prefixes (m:, w:, meta:) come before the namespace.
        bare = _INTERWIKI.sub("", target)
        namespace, _, rest = bare.partition(":")
        if namespace.strip().lower() in _HIDDEN_NAMESPACES:
            return ""
        shown = self.inline(node.text)
        if not shown.strip():
            shown = rest.rpartition("/")[2] if "/" in rest else rest or target
        lowered = bare.lower()
        is_user = _USER_LINK.match(lowered)
        if is_user and "talk" not in lowered and "diskussion" not in lowered:
            return USER_MARK + shown
        return shown

    def template(self, node: Template) -> None:
        name = str(node.name).strip()
        lowered = name.lower()
        if lowered.startswith("displaytitle:"):
            title = flatten_wikitext(name.partition(":")[2]).strip()
            if title:
                self.titles.append((title, len(self.lines), "DISPLAYTITLE"))
        elif lowered in _TEMPLATE_WORDS:
            self.write(_TEMPLATE_WORDS[lowered])
        elif lowered in _USER_TEMPLATES and node.params:
            self.write(USER_MARK + self.inline(node.params[0].value).strip())
        elif lowered in _TEXT_TEMPLATES and len(node.params) >= 2:
            self.write(self.inline(node.params[-1].value))
        elif not self.seen_heading:
            # An infobox above the first heading may name the event.
            for parameter in node.params:
                if str(parameter.name).strip().lower() in ("title", "event title", "name"):
                    title = self.inline(parameter.value).strip()
                    if title:
                        source = str(node)
                        before = source[: max(source.find(str(parameter.value)), 0)]
                        line = len(self.lines) + before.count("\n")
                        self.titles.append((title, line, f"the {{{{{name}}}}} template"))
                    break
        self.hide(str(node))

    def tag(self, node: Tag) -> None:
        markup = node.wiki_markup
        name = str(node.tag).strip().lower()
        if markup in _LIST_MARKUP and name in ("li", "dt", "dd"):
            if not self.here.started():
                self.here.markers += markup
            return
        if name in _HIDDEN_TAGS or node.contents is None:
            if name == "br":
                self.write(" ")
            self.hide(str(node))
            return
        if name in _STRUCK_TAGS:
            self.here.struck = True
        if name == "nowiki":
            self.write(str(node.contents))
            return
        if name in ("td", "th"):
            self.write(" ")
        before = len(self.lines)
        self.code(node.contents)
        # The closing tag may sit on a later line than the content ended on.
        source_breaks = str(node).count("\n")
        for _ in range(source_breaks - (len(self.lines) - before)):
            self.lines.append(_Draft())


def _wikitext_lines(text: str) -> PageText:
    builder = _Builder()
    builder.code(mwparserfromhell.parse(text))
    lines: list[Line] = []
    for number, draft in enumerate(builder.lines, start=1):
        body = draft.text()
        markers = draft.markers
        line = Line(number, body, heading=draft.heading, struck=draft.struck)
        if markers:
            line.text = f"{markers} {body}".strip()
            if markers[0] in "#*":
                line.item = body
                line.reply = ":" in markers
            elif markers[0] == ":":
                line.reply = True
        lines.append(line)
    return PageText(lines, wikitext=True, titles=builder.titles)


# -- the page's shape ------------------------------------------------------------------------


def _join_labels(lines: list[Line]) -> None:
    """`Trainer` on one line and `Amaru Quispe` on the next read as `Trainer: Amaru Quispe`."""
    for index, line in enumerate(lines):
        label = _LABEL_ALONE.match(line.text.lstrip(";: "))
        if not label or line.item is not None:
            continue
        value = next((other for other in lines[index + 1 : index + 3] if other.text), None)
        if value is None or value.item is not None or value.heading:
            continue
        if _LABEL_ALONE.match(value.text.lstrip(";: ")):
            continue
        value.text = f"{label.group('label')}: {value.text.lstrip(':').strip()}"
        value.reply = False
        line.text = ""
        line.heading = line.titled = False


def _title_lines_above_dates(lines: list[Line]) -> None:
    """In copied text, "First meeting" right above "Date: …" is that meeting's heading."""
    filled = [line for line in lines if line.text]
    # The first line of copied text is the page's name, not a session's heading.
    for previous, line in itertools.pairwise(filled[1:]):
        if (
            _DATE_LABEL.match(line.text)
            and previous.item is None
            and not previous.heading
            and len(previous.text.split()) <= 6
            and not _LABELLED.match(previous.text)
            and not previous.text.endswith((".", ":", "!", "?", ",", ";"))
        ):
            previous.titled = True
