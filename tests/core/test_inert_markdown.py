"""Untrusted text in the bot's comments renders as itself: checked with GitHub's own Markdown
renderer (cmark-gfm, through cmarkgfm), in each place the bot puts such text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO_URL
from signupsheet.core.inert_markdown import inert_markdown
from signupsheet.core.model import Event, Session
from signupsheet.core.rules import Outcome
from signupsheet.delivery.sending import unreachable_notice
from signupsheet.registration.applying import Applied
from signupsheet.registration.issues.form_events import render_list
from signupsheet.registration.issues.issue_replies import (
    cancellation_reply,
    problems_reply,
    registration_reply,
)
from signupsheet.registration.pulls.pull_check import CheckResult
from signupsheet.registration.pulls.pull_replies import accepted_reply, check_reply

PLACEHOLDER = "PLACEHOLDER"
ZERO_WIDTH_SPACE = "\u200b"

# Where the bot's comments put untrusted text: a list item (problems, reasons), a bold title, the
# paragraph after a title, and a table cell (the list of open events).
CONTEXTS = {
    "list item": "- {}",
    "bold": "**You are registered** for **{}**, session `main`.",
    "after a title": "Nothing to cancel for **Meetup**: {}",
    "table cell": "| Event | Id |\n| --- | --- |\n| {} | `2026-12-03-meetup` |",
}

HOSTILE = [
    "@everyone please look",
    "cc @octo-org/owners and @bob",
    "fixes #1, see octo/repo#22 and GH-3",
    "[click here](https://evil.example/phish)",
    "![tracker](https://evil.example/pixel.png)",
    "<https://evil.example/autolink>",
    "https://evil.example/bare and HTTP://EVIL.EXAMPLE and www.evil.example",
    "mail me at someone@evil.example or mailto:someone@evil.example",
    "# Heading",
    "###### small heading",
    "Title\n=====",
    "first line\n# heading on the second\n- a list\n> a quote",
    "- item",
    "+ item",
    "* item",
    "1. first",
    "12) twelfth",
    "> quoted",
    "    indented code",
    "```js\nalert(1)\n```",
    "~~~\nfenced\n~~~",
    "---",
    "***",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- signupsheet:reply digest=0000000000000000 -->",
    "&#64;everyone &#35;1 &amp; &lt;b&gt;",
    "**bold** __bold__ *em* _em_ `code` ~~struck~~",
    "a | b | c",
    "ends with a backslash \\",
    "[x][1]\n\n[1]: https://evil.example/ref",
    "line with two trailing spaces  \nnext",
    "[ ] not a task",
    ":warning: emoji stays text",
]


class _Rendered(HTMLParser):
    """The tags (with attributes) and the text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", [("text", data)]))


def render(markdown: str) -> _Rendered:
    # UNSAFE keeps raw HTML in the output, so any HTML that got through would show here.
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    parsed = _Rendered()
    parsed.feed(html)
    parsed.close()
    return parsed


def assert_inert(text: str, context: str) -> None:
    flat = " ".join(text.split())
    shown = render(context.format(inert_markdown(text)))
    expected = render(context.format(PLACEHOLDER))
    # Only the context's own structure: no link, image, heading, list, quote, code, emphasis, HTML.
    assert shown.tags == expected.tags, text
    # Exactly what was written, on one line; the zero-width spaces are invisible.
    shown_text = "".join(shown.parts).replace(ZERO_WIDTH_SPACE, "")
    assert shown_text == "".join(expected.parts).replace(PLACEHOLDER, flat), text
    # Nothing GitHub would turn into a mention, an issue reference or a link after rendering.
    visible = "".join(shown.parts)
    for pattern in (r"[@#][\w-]", r"(?i)\bgh-\d", r"://", r"(?i)\bwww\."):
        assert re.search(pattern, visible) is None, (text, pattern, visible)


@pytest.mark.parametrize("context", CONTEXTS.values(), ids=CONTEXTS.keys())
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_itself(text: str, context: str) -> None:
    assert_inert(text, context)


def test_plain_text_stays_readable_in_the_source() -> None:
    assert inert_markdown("VSN Training: Let's Connect (2022)") == (
        "VSN Training: Let's Connect (2022)"
    )
    assert inert_markdown("2026-12-03 meetup, part 2.") == "2026-12-03 meetup, part 2."


def test_the_checks_catch_what_the_neutraliser_prevents() -> None:
    # The same checks on raw text fail: they would notice a neutraliser that let things through.
    for text, context in (
        ("@everyone", "- {}"),
        ("#1", "- {}"),
        ("[x](https://evil.example)", "- {}"),
        ("# Heading", "{}"),
        ("<b>bold</b>", "- {}"),
        ("a | b", CONTEXTS["table cell"]),
    ):
        with pytest.raises(AssertionError):
            shown = render(context.format(text))
            expected = render(context.format(PLACEHOLDER))
            assert shown.tags == expected.tags
            visible = "".join(shown.parts)
            assert re.search(r"[@#][\w-]", visible) is None


MARKDOWN_ALPHABET = st.sampled_from(
    [*"#@*_`[]()<>&!|~\\-+=.:/ \n\tabwWgGhH019{}^'\"", "www.", "://", "GH-", "&#64;", "é"]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(MARKDOWN_ALPHABET, min_size=1, max_size=30).map("".join),
    context=st.sampled_from(list(CONTEXTS.values())),
)
def test_any_text_renders_as_itself(text: str, context: str) -> None:
    if not text.split():
        return  # nothing to show; the callers never quote blank text
    assert_inert(text, context)


# --- every bot comment quotes through it --------------------------------------------------------

TITLE = "@everyone see #1 [x](https://evil.example) <b>"
WANTED = "no session '@octo-org/owners'"


def hostile_event() -> Event:
    start = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    session = Session("main", start, start + timedelta(hours=1))
    return Event(id="2026-12-03-meetup", title=TITLE, sessions=[session])


def comments() -> dict[str, str]:
    event = hostile_event()
    refused = Outcome("refused", event.id, "main", "ann", WANTED)
    registered = Outcome("registered", event.id, "main", "ann", "registered", status="confirmed")
    unknown = Outcome("refused", TITLE, None, "ann", WANTED)
    check = CheckResult("refuse", event=event.id, reasons=[WANTED])
    return {
        "registration refused": registration_reply(refused, event, "0" * 16, REPO_URL),
        "registration": registration_reply(registered, event, "0" * 16, REPO_URL),
        "unknown event": registration_reply(unknown, None, "0" * 16, REPO_URL),
        "cancellation": cancellation_reply(refused, event, "0" * 16),
        "problems": problems_reply([WANTED], "0" * 16, open_events=[event], unknown_event=True),
        "pull request": accepted_reply(Applied(refused, event), None, repo_url=""),
        "pull request check": check_reply(check),
        "forms": render_list([event], None),
        "notice": unreachable_notice(event, event.sessions[0])[1],
    }


@pytest.mark.parametrize("name", list(comments()))
def test_every_bot_comment_shows_untrusted_text_inertly(name: str) -> None:
    comment = comments()[name]
    assert TITLE not in comment and WANTED not in comment
    assert inert_markdown(TITLE) in comment or inert_markdown(WANTED) in comment
    assert re.search(r"@[\w-]", comment) is None
