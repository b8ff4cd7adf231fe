"""An event's description: Markdown written by maintainers (or merged from a pull request),
rendered to HTML and sanitised, its headings and its links to other pages of the site.

The same rendering serves the page (site/pages.py) and the check of its links (`validate` and
the build, eventfiles/semantic_checks.py), so what is checked is what reaches the page.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
import nh3

# Ordinary formatting only: no images (a tracking pixel is a privacy leak), forms, frames,
# styles or scripts. Attributes that carry no behaviour; nh3 itself drops `on*` handlers.
_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr",
    "blockquote", "q", "cite", "code", "pre", "kbd", "samp", "var", "a", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
_SCHEMES = {"http", "https", "mailto"}
_VOID = {"br", "hr"}
# One tag of nh3's output; quoted attribute values may hold `>`. Alternatives start with
# different characters, so the scan stays linear.
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')
_HEADING = re.compile(r"h[1-6]")
_ANY_TAG = re.compile(r"<[^>]*>")
# Where Markdown or HTML may give a link target, and the target's first characters.
_LINK_TARGET = re.compile(r"""(?i)(?:\]\(|\]:|\bhref\s*=)[\s<"']*([^\s)"'>]*)""")
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#")


def render(text: str) -> str:
    """The description as sanitised HTML: Markdown rendered, then cleaned by nh3."""
    rendered = str(markdown.markdown(text, extensions=["extra", "sane_lists"]))
    return nh3.clean(
        rendered,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


@dataclass(frozen=True)
class Heading:
    """A heading of the description, outside any other element: level 1-6 and its plain text."""

    level: int
    text: str


def blocks(clean: str) -> list[str | Heading]:
    """Sanitised HTML (from `render`) cut at its top-level headings: HTML between them, never
    empty, and the headings as text, so the page can make them its own headings (with an id, a
    permalink and an entry in the table of contents)."""
    found: list[str | Heading] = []
    depth = 0
    last = 0
    opened: tuple[int, int, str] | None = None  # start and end of a top-level heading's tag
    for match in _TAG.finditer(clean):
        closing, tag = match.group(1), match.group(2).lower()
        if tag in _VOID:
            continue
        if not closing:
            if depth == 0 and _HEADING.fullmatch(tag):
                opened = (match.start(), match.end(), tag)
            depth += 1
            continue
        depth = max(0, depth - 1)
        if depth == 0 and opened is not None and opened[2] == tag:
            inner = clean[opened[1] : match.start()]
            text = " ".join(html.unescape(_ANY_TAG.sub("", inner)).split())
            found.append(clean[last : opened[0]])
            found.append(Heading(int(tag[1]), text))
            last = match.end()
            opened = None
    found.append(clean[last:])
    return [block for block in found if not isinstance(block, str) or block.strip()]


def might_link_locally(text: str) -> bool:
    """False when no link of the description can lead to a file of the site: every place that
    can give a link target (`](…`, `]: …`, `href=…`) holds a full address or a `#fragment`.
    Most descriptions link nowhere or only to full addresses, and need no rendering to check."""
    return any(not _ABSOLUTE.match(target) for target in _LINK_TARGET.findall(text))


def links(clean: str) -> list[str]:
    """The link targets of sanitised HTML, as written (entities decoded), in order."""
    return [html.unescape(match.group(2)) for match in _HREF.finditer(clean)]


def rewrite_links(clean: str, change: dict[str, str]) -> str:
    """Sanitised HTML with each link target in `change` replaced by its new one."""

    def replace(match: re.Match[str]) -> str:
        target = html.unescape(match.group(2))
        if target not in change:
            return match.group(0)
        return match.group(1) + html.escape(change[target], quote=True) + match.group(3)

    return _HREF.sub(replace, clean)


@dataclass(frozen=True)
class LocalLink:
    """A relative link of a page to a file of the site: the file's path inside docs/ (may
    start with `..` when the link leaves the site) and the fragment, if any."""

    target: str
    fragment: str

    @property
    def outside(self) -> bool:
        """True when the link climbs above the site's docs/ folder."""
        return self.target.split("/", 1)[0] == posixpath.pardir


def local_link(page: str, link: str) -> LocalLink | None:
    """Where a relative link on the page `page` (a path inside docs/) points, the way MkDocs
    reads links in Markdown; None for full addresses, site-absolute paths and `#fragment`s."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    joined = posixpath.join(posixpath.dirname(page), unquote(parts.path))
    return LocalLink(posixpath.normpath(joined), parts.fragment)
