"""Untrusted text inside the bot's Markdown comments, shown exactly as written and never acted on.

Titles, logins, form answers and values quoted in problems reach the bot's comments on issues and
pull requests, where GitHub would turn them into mentions that notify people (`@team`), issue
references (`#1`, `GH-1`), links, headings, lists or HTML. GitHub finds mentions, references and
bare addresses in the rendered text, after Markdown's own escapes are gone, so a backslash cannot
stop them: a zero-width space after `@` and `#` and inside `://` and `www.` can. Everything else
that Markdown reads is escaped the Markdown way, and line breaks become spaces, so the text stays
within the line it is put in (a list item, a table cell, a bold title).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

_ZERO_WIDTH_SPACE = "\u200b"
# Inline syntax anywhere in the text: escapes, code, emphasis, links and images, tables,
# strikethrough. (`<`, `>` and `&` become entities first.)
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# Block syntax that only counts at the start of a line: list items, setext underlines and
# ordered list numbers ("1." or "1)").
_LEADING = re.compile(r"^([-+=])|^(\d+)([.)])")
# What GitHub links by itself: mentions, issue references, web and mail addresses.
_AUTOLINK = re.compile(r"([@#])|(:)(?=//)|(?i:(www)(?=\.))|(?i:\b(gh-)(?=\d))")


def _break(match: re.Match[str]) -> str:
    return match.group(0) + _ZERO_WIDTH_SPACE


def _leading(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def inert_markdown(text: str) -> str:
    """`text` as one line of Markdown that GitHub shows literally: no mention, reference, link,
    heading, list, emphasis, code or HTML."""
    flat = " ".join(text.split())
    escaped = _INLINE.sub(r"\\\1", html.escape(flat, quote=False))
    return _AUTOLINK.sub(_break, _LEADING.sub(_leading, escaped, count=1))


# GitHub refuses a comment longer than this many characters (422 Unprocessable Entity).
MAX_COMMENT = 65_536


def fitting(lines: Sequence[str], budget: int, more: Callable[[int], str]) -> list[str]:
    """The first of `lines` that fit in `budget` characters (newlines counted), then `more(n)`
    for the n left out, so a long list of problems or events never makes a reply too long."""
    kept: list[str] = []
    used = 0
    for line in lines:
        used += len(line) + 1
        if used > budget:
            return [*kept, more(len(lines) - len(kept))]
        kept.append(line)
    return kept
