"""The generated pages: the content of the site, without knowing how it is built.

A page is Markdown for what the Markdown parser must see (headings, which make the table of
contents, and the description maintainers wrote) and HTML blocks for everything else: facts,
states, lists and sheets are made here as HTML, so the parser never spends time on them. The blocks
are either written into the Markdown as raw HTML blocks (`PageSource.inline`, for any engine) or
stand there as placeholders that the site plugin fills into the finished HTML (`PageSource.fill`).

What strangers wrote (display names, affiliations, notes) and every one-line field appear only in
HTML blocks, escaped with `html.escape`, so `[x](javascript:…)` or `<img>` stay literal text; in
headings, titles are escaped for Markdown. The description is Markdown that may hold raw HTML:
it is rendered and sanitised with nh3 (core/description.py), then placed as blocks like the rest
(its headings as escaped Markdown headings), so neither a `<script>` nor a `javascript:` link in
an event file reaches a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from signupsheet.core import description
from signupsheet.core.languages import language_names
from signupsheet.core.model import Event, Registration, Session, format_timestamp
from signupsheet.core.rules import SessionState, session_state, takes_pull_requests
from signupsheet.core.time_text import TimeStyle, time_text
from signupsheet.site.links import Repository, converter_url, session_label
from signupsheet.site.seal_form import seal_form_html
from signupsheet.site.urls import href

RECORDING = {
    "not-recorded": "not recorded",
    "recorded": "recorded (video or audio)",
    "talks-only": "the talks are recorded, the discussion is not",
}
MODES = {"online": "online", "in-person": "in person", "hybrid": "in person and online"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=])")


@dataclass(frozen=True)
class SiteContext:
    """What pages need besides the events: where the repository is, and what time it is."""

    repository: Repository
    now: datetime
    docs_dir: Path
    events_path: str = "events"  # where event files live in the repository, for edit links
    directory_urls: bool = True  # the site's `use_directory_urls`: how pages link to each other
    contact_key: str | None = None  # the public key for sealed contacts (contact-key.pub)

    def link(self, page: str, target: str) -> str:
        """The href from the page `page` to `target`, both paths inside docs/."""
        return href(page, target, self.directory_urls)


# Hand-written pages the generated pages link to; the site must have them.
LINKED_PAGES = ("registering.md",)


def event_page_path(event_id: str) -> str:
    """Where the event's page goes in the site, as a path under docs/."""
    return f"events/{event_id}.md"


def event_calendar_path(event_id: str) -> str:
    return f"events/{event_id}.ics"


def part_placeholder(key: str) -> str:
    """What stands for an HTML block in a page's Markdown until `PageSource.fill` replaces it."""
    return f'<div data-ss-part="{key}"></div>'


@dataclass
class PageSource:
    """A generated page: Markdown with placeholders, and the HTML block of each placeholder.

    Blocks are `indexed` (facts, lists: what a search should find) or not (the same notice on
    every page, states, sheets): the site plugin fills the first kind in before the search
    index reads the page and the second after.
    """

    markdown: str
    indexed: dict[str, str] = field(default_factory=dict)  # placeholder -> HTML
    late: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, block: str, indexed: bool = True) -> str:
        """Keep `block` (HTML without blank lines) for the placeholder returned."""
        placeholder = part_placeholder(key)
        (self.indexed if indexed else self.late)[placeholder] = block
        return placeholder

    def inline(self) -> str:
        """The Markdown with every block written in place as a raw HTML block."""
        return _replace_all(_replace_all(self.markdown, self.indexed), self.late)

    def fill(self, page_html: str) -> str:
        """The page's HTML (made from `markdown`) with the indexed blocks in place."""
        return _replace_all(page_html, self.indexed)

    def fill_late(self, page_html: str) -> str:
        """The page's HTML with the blocks that stay out of the search index in place."""
        return _replace_all(page_html, self.late)


def _replace_all(text: str, parts: dict[str, str]) -> str:
    for placeholder, block in parts.items():
        text = text.replace(placeholder, block, 1)
    return text


# --- escaping ---------------------------------------------------------------------------------


def attr(text: str) -> str:
    """Text for an HTML attribute value or a raw HTML block."""
    return html.escape(text, quote=True)


def isolated(text: str) -> str:
    """Registrant text for an element's content, escaped and bidi-isolated.

    `<bdi>` keeps a right-to-left name, or one with a stray override, from reordering what stands
    beside it (a number, a time, the next name). Empty text stays empty: no empty element.
    """
    return f"<bdi>{attr(text)}</bdi>" if text else ""


def escape(text: str) -> str:
    """Text for the content of an HTML element (quotes stay quotes)."""
    return html.escape(text, quote=False)


def md_text(text: str) -> str:
    """Text shown exactly as written inside Markdown (no emphasis, links or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


# --- the description --------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n(?=[ \t]*\n)")


def description_html(clean: str) -> str:
    """A part of the sanitised description as one raw HTML block (no blank line inside).

    A newline before an empty line becomes `&#10;` (the same character), so a code block with
    an empty line does not end the raw HTML block when the page is written inline.
    """
    return '<div class="ss-description">' + _BLANK_LINE.sub("&#10;", clean.strip()) + "</div>"


def description_lines(event: Event, ctx: SiteContext, page: str, source: PageSource) -> list[str]:
    """The description's part of the event page's Markdown, under "About" unless it starts
    with a heading of its own.

    Rendered and sanitised here rather than by the site's Markdown engine, so that what is
    sanitised is the very HTML that reaches the page. Its top-level headings become the page's
    own Markdown headings (escaped text), so they get ids, permalinks and entries in the table
    of contents; the HTML between them goes in as blocks. Relative links to files of the site
    (`../registering.md`) are rewritten to where the file is served, as MkDocs does for a page.
    """
    if not event.description:
        return []
    clean = description.render(event.description)
    change = {}
    for link in description.links(clean):
        local = description.local_link(page, link)
        if local is not None and not local.outside:
            fragment = f"#{local.fragment}" if local.fragment else ""
            change[link] = ctx.link(page, local.target) + fragment
    parts = description.blocks(description.rewrite_links(clean, change) if change else clean)
    lines: list[str] = []
    levels = [part.level for part in parts if isinstance(part, description.Heading)]
    starts_with_heading = bool(parts) and isinstance(parts[0], description.Heading)
    top = 2 if starts_with_heading else 3
    if not starts_with_heading:
        lines += ["## About", ""]
    for number, part in enumerate(parts):
        if isinstance(part, description.Heading):
            level = min(6, top + part.level - min(levels))
            lines += [f"{'#' * level} {md_text(part.text) or '&nbsp;'}", ""]
        else:
            lines += [source.add(f"description/{number}", description_html(part)), ""]
    return lines


# --- times ------------------------------------------------------------------------------------


def time_tag(moment: datetime, style: TimeStyle = "full", start: datetime | None = None) -> str:
    """`<time>` showing UTC; the site's script rewrites it into the reader's time zone.

    An end time names its start (`data-ss-start`) so the script can add the date only when the
    reader's local date differs from the start's.
    """
    extra = "" if start is None else f' data-ss-start="{format_timestamp(start)}"'
    # The clock and its zone never wrap apart ("14:00" at a line's end, "UTC" on the next).
    day, _, clock = time_text(moment, style).rpartition(", ")
    text = f'{day}{", " if day else ""}<span class="ss-nowrap">{clock}</span>'
    return f'<time datetime="{format_timestamp(moment)}" data-ss="{style}"{extra}>{text}</time>'


def heading_time(moment: datetime) -> str:
    """A session's start as its heading: the text (and so the heading's id) in UTC; the site's
    script shows it, and the heading's entry in the table of contents, in the reader's zone."""
    text = time_text(moment, "date")
    return f'<time datetime="{format_timestamp(moment)}" data-ss="heading">{text}</time>'


def duration_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts) or "0 minutes"


def when_html(event: Event, session: Session) -> str:
    """Start to end (duration), and the converter link the wiki pages always had."""
    link = converter_url(
        session.start,
        session_label(event, session),
        int(session.duration.total_seconds() // 60),
    )
    return (
        f"{time_tag(session.start)} &ndash; {time_tag(session.end, 'end', session.start)} "
        f"({duration_text(session.duration)}) · "
        f'<a href="{attr(link)}" class="ss-converter">check your local time</a>'
    )


# --- state ------------------------------------------------------------------------------------


def state_text(state: SessionState) -> str:
    """The registration state in words, with times as `<time>` elements."""
    match state.state:
        case "cancelled":
            return "This session is cancelled."
        case "not-open":
            assert state.opens is not None
            return f"Registration is not open yet: it opens {time_tag(state.opens, 'date')}."
        case "open":
            seats = (
                ""
                if state.capacity is None
                else f" {state.seats_left} of {state.capacity} seats left."
            )
            return f"Registration is open until {time_tag(state.closes, 'date')}.{seats}"
        case "full" if state.waitlist:
            return (
                f"Full: all {state.capacity} seats are taken. The waiting list is open; "
                "you move up when someone cancels."
            )
        case "full":
            return f"Full: all {state.capacity} seats are taken. Registration is closed."
        case _:
            if state.over:
                return "This session is over."
            return "Registration is closed: the session has started."


def _status_badge(state: SessionState) -> str:
    labels = {
        "cancelled": "cancelled",
        "not-open": "not open yet",
        "open": "open",
        "full": "waiting list" if state.waitlist else "full",
        "closed": "over" if state.over else "closed",
    }
    return f'<span class="ss-state ss-state--{state.state}">{labels[state.state]}</span>'


# --- the sign-up sheet ------------------------------------------------------------------------


def _entry_row(number: int, entry: Registration, session: Session) -> str:
    registered = "time unknown"
    if entry.registered is not None:
        registered = time_tag(entry.registered, "date")
        if entry.registered > session.end:
            registered += ' <span class="ss-late">signed after the event</span>'
    cells = (
        f'<td class="ss-number">{number}</td>',
        isolated(entry.name),
        isolated(entry.affiliation or ""),
        registered,
        isolated(entry.note or ""),
    )
    return "<tr>" + cells[0] + "".join(f"<td>{cell}</td>" for cell in cells[1:]) + "</tr>"


def _sheet_table(caption: str, entries: Sequence[Registration], session: Session) -> list[str]:
    public = [entry for entry in entries if entry.public]
    hidden = len(entries) - len(public)
    lines: list[str] = []
    if public:
        lines.append('<table class="ss-table">')  # a class: Material's table styles stay off
        lines.append(f"<caption>{caption}</caption>")
        lines.append(
            '<thead><tr><th scope="col" class="ss-number">#</th><th scope="col">Name</th>'
            '<th scope="col">Affiliation</th><th scope="col">Registered</th>'
            '<th scope="col">Note</th></tr></thead>'
        )
        lines.append("<tbody>")
        lines.extend(
            _entry_row(number, entry, session) for number, entry in enumerate(public, start=1)
        )
        lines.append("</tbody></table>")
    if hidden:
        people = "person" if hidden == 1 else "people"
        more = " more" if public else ""
        lines.append(
            f'<p class="ss-private">{hidden}{more} {people} signed up privately '
            "(counted, not named).</p>"
        )
    return lines


def sheet_html(session: Session, search: bool = False) -> str:
    """The sign-up sheet of one session as one raw HTML block (no blank line inside).

    On a narrow screen the sheet scrolls sideways inside its box; the box is a named region in
    the tab order, so people who use a keyboard can scroll it too.
    """
    confirmed = session.confirmed
    waitlisted = session.waitlisted
    exclude = "" if search else " data-search-exclude"
    label = attr(f"Sign-up sheet: {session.title or time_text(session.start, 'date')}")
    lines = [f'<div class="ss-sheet" role="region" tabindex="0" aria-label="{label}"{exclude}>']
    if confirmed:
        count = f"{len(confirmed)} signed up"
        lines.extend(_sheet_table(f"Sign-up sheet: {count}", confirmed, session))
    else:
        lines.append('<p class="ss-empty">Nobody has signed up yet.</p>')
    if waitlisted:
        lines.extend(_sheet_table(f"Waiting list: {len(waitlisted)} waiting", waitlisted, session))
    lines.append("</div>")
    return "\n".join(lines)


# --- registering ------------------------------------------------------------------------------


# What "private" means, said the same way wherever a registrant chooses.
PRIVATE_MEANS = (
    "counted, not named: the sheet in the public event file keeps only your GitHub login (to "
    "spot a second sign-up and to let you cancel) and when you signed up, not the name, "
    "affiliation or note you type. The issue or pull request you open is public too, so leave "
    "those fields empty there if they should not be seen."
)


def pr_entry_yaml(session: Session) -> str:
    """The exact lines someone adds to the session in a pull request.

    Only what the person decides: the bot fills in the time, the source and the status, and the
    pull request check refuses an entry that sets them itself. A session nobody signed may have
    no `registrations:` key or an empty `registrations: []`: the lines then start with the key,
    and `pr_entry_where` says to replace the empty list, so the file never has the key twice.
    """
    lines = [] if session.registrations else ["    registrations:"]
    lines += [
        "      - login: YOUR-GITHUB-LOGIN",
        "        name: Your Name",
        "        affiliation: WMXX  # optional: delete the line if none",
        "        visibility: public  # or private: then delete the name and affiliation lines",
    ]
    return "\n".join(lines)


def pr_entry_where(session: Session) -> str:
    """Where the lines of `pr_entry_yaml` go, as HTML, for the session's shape in the file."""
    found = f"find the session with <code>id: {attr(session.id)}</code>"
    if session.registrations:
        return (
            f"{found} and add this entry at the end of its <code>registrations:</code> list, "
            "with your own details:"
        )
    return (
        f"{found}: nobody has signed it yet. If it has a line <code>registrations: []</code>, "
        "replace that line with these lines; otherwise add them below the session's last line. "
        "Put in your own details:"
    )


def actions_html(event: Event, session: Session, state: SessionState, ctx: SiteContext) -> str:
    repo = ctx.repository
    buttons: list[str] = []
    if state.accepting:
        label = "Register" if state.state == "open" else "Join the waiting list"
        buttons.append(
            '<a class="md-button md-button--primary" '
            f'href="{attr(repo.register_url(event, session))}">{label}</a>'
        )
    if not state.over and state.state != "cancelled":
        buttons.append(
            f'<a class="md-button" href="{attr(repo.cancel_url(event, session))}">'
            "Cancel my registration</a>"
        )
    if not buttons:
        return ""
    html_lines = [f'<p class="ss-actions">{" ".join(buttons)}</p>']
    if state.accepting and ctx.contact_key:
        register = repo.register_url(event, session)
        html_lines.append(seal_form_html(event, session, register, ctx.contact_key))
    if state.accepting and takes_pull_requests(event):
        path = f"{ctx.events_path}/{event.id}.yaml"
        html_lines.append(
            '<details class="ss-pr"><summary>Or register with a pull request</summary>'
            f'<p>Open <a href="{attr(repo.edit_url(path))}">{attr(path)} in GitHub\'s editor</a>, '
            f"{pr_entry_where(session)}</p>"
            f"<pre><code>{attr(pr_entry_yaml(session))}</code></pre>"
            "<p>Then propose the change. The pull request is checked automatically and your "
            "entry written by the bot when it only adds your own entry.</p></details>"
        )
    return "\n".join(html_lines)


# --- pages ------------------------------------------------------------------------------------


@cache
def page_title(path: Path) -> str | None:
    """The first level-1 heading of a hand-written page."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("# "):
                    return line[2:].strip()
    except OSError:
        return None
    return None


def series_title(series_id: str, docs_dir: Path) -> str:
    return page_title(docs_dir / "series" / f"{series_id}.md") or series_id


def _people(event: Event) -> list[tuple[str, str]]:
    facts = []
    if event.speakers:
        names = []
        for speaker in event.speakers:
            shown = f"<bdi>{escape(speaker.name)}</bdi>"
            if speaker.link:
                shown = f'<a href="{attr(speaker.link)}">{shown}</a>'
            if speaker.affiliation:
                shown += f" (<bdi>{escape(speaker.affiliation)}</bdi>)"
            names.append(shown)
        facts.append(("Speaker" if len(names) == 1 else "Speakers", ", ".join(names)))
    if event.organizers:
        logins = ", ".join(
            f'<a href="https://github.com/{attr(login)}">{escape(login)}</a>'
            for login in event.organizers
        )
        facts.append(("Organized by", logins))
    return facts


# The fact that says how to reach the organizers; "ask the organizers" elsewhere links to it.
CONTACT_ID = "ss-contact"


def contact_html(event: Event, ctx: SiteContext, page: str) -> str:
    """How to reach the organizers: the event's contact page; else an issue in the repository,
    mentioning the organizers when the event names them."""
    contact = event.contact
    if contact is not None:
        if contact.on_site:
            target = ctx.link(page, contact.link)
            shown = contact.name or page_title(ctx.docs_dir / contact.link) or contact.link
        else:
            target, shown = contact.link, contact.name or contact.link
        return f'<a href="{attr(target)}"><bdi>{escape(shown)}</bdi></a>'
    issue = f'<a href="{attr(ctx.repository.url)}/issues/new">open an issue</a>'
    if event.organizers:
        mentions = " or ".join(f"@{escape(login)}" for login in event.organizers)
        return f"{issue} in the site's repository and mention {mentions}"
    return f"{issue} in the site's repository"


def session_anchor(session: Session) -> str:
    """The id of a session's part of the event page (its state, buttons and sheet)."""
    return f"session-{session.id}"


def _sessions_overview(event: Event, ctx: SiteContext) -> str:
    """Every session of the event at the top of its page, each with its state and a link down
    to its buttons: on a phone the sheets above them are screens long."""
    items = []
    for session in event.sessions:
        state = session_state(event, session, ctx.now)
        label = f"{escape(session.title)}: " if session.title else ""
        action = {"open": "register", "full": "join the waiting list"}.get(state.state, "details")
        action = action if state.accepting else "details"
        items.append(
            f"<li>{label}{time_tag(session.start)} {_status_badge(state)} "
            f'<a href="#{session_anchor(session)}">{action}</a></li>'
        )
    return f"{len(event.sessions)} sessions<ul>{''.join(items)}</ul>"


def _facts(event: Event, ctx: SiteContext, page: str) -> list[tuple[str, str]]:
    """The event's facts as (label, HTML) pairs."""
    facts = []
    if len(event.sessions) == 1:
        facts.append(("When", when_html(event, event.sessions[0])))
    else:
        facts.append(("When", _sessions_overview(event, ctx)))
    if event.location is not None:
        where = [MODES[event.location.mode]]
        for value in (event.location.platform, event.location.venue, event.location.address):
            if value:
                where.append(escape(value))
        facts.append(("Where", ", ".join(where)))
    if event.languages:
        facts.append(("Language", escape(language_names(event.languages))))
    if event.type:
        facts.append(("Type", escape(event.type)))
    facts.extend(_people(event))
    facts.append(("Contact", contact_html(event, ctx, page)))
    ask = f'not stated; <a href="#{CONTACT_ID}">ask the organizers</a>'
    facts.append(("Recording", RECORDING[event.recording] if event.recording else ask))
    if event.location is not None and event.location.chat:
        chat = attr(event.location.chat)
        facts.append(("Public chat", f'<a href="{chat}">{chat}</a>'))
    if event.policy:
        title = page_title(ctx.docs_dir / event.policy) or event.policy
        link = f'<a href="{attr(ctx.link(page, event.policy))}">{escape(title)}</a>'
        facts.append(("Policy", f"by registering you agree to the {link}"))
    if event.series:
        title = series_title(event.series, ctx.docs_dir)
        target = ctx.link(page, f"series/{event.series}.md")
        facts.append(("Series", f'<a href="{attr(target)}">{escape(title)}</a>'))
    if event.tags:
        facts.append(("Tags", escape(", ".join(event.tags))))
    calendar = attr(ctx.link(page, event_calendar_path(event.id)))
    facts.append(("Calendar", f'<a href="{calendar}">add to your calendar (.ics)</a>'))
    return facts


def _intro_html(event: Event, ctx: SiteContext, page: str) -> str:
    """The summary and the list of facts under the title."""
    lines = []
    if event.summary:
        lines.append(f"<p>{escape(' '.join(event.summary.split()))}</p>")
    lines.append("<ul>")
    for label, value in _facts(event, ctx, page):
        where = f' id="{CONTACT_ID}"' if label == "Contact" else ""
        lines.append(f"<li{where}><strong>{label}:</strong> {value}</li>")
    lines.append("</ul>")
    return "\n".join(lines)


def _privacy_html(event: Event, ctx: SiteContext, page: str) -> str:
    lead = event.registration.link_lead_minutes
    when = f"{duration_text(timedelta(minutes=lead))} before" if lead else "at"
    registering = attr(ctx.link(page, "registering.md"))
    return (
        "<p><strong>What becomes public:</strong> the display name, affiliation and note you "
        "give, and when you signed up, are shown on this page and kept in the site's Git "
        "history; your GitHub login shows on the issue or pull request you open. "
        f"<em>Private</em> means {escape(PRIVATE_MEANS)} <strong>The meeting link is never "
        f"published:</strong> it comes by e-mail {when} the session starts. See "
        f'<a href="{registering}">how to register</a> for the details.</p>'
    )


def session_status_html(event: Event, session: Session, ctx: SiteContext) -> str:
    """A session's time (when the event has several), registration state and counts."""
    state = session_state(event, session, ctx.now)
    lines = [f'<span id="{session_anchor(session)}"></span>']
    if len(event.sessions) > 1:
        lines.append(f"<p><strong>When:</strong> {when_html(event, session)}</p>")
    lines.append(f"<p>{_status_badge(state)} {state_text(state)}</p>")
    counts = f"<strong>Signed up:</strong> {state.confirmed}"
    if state.capacity is not None:
        counts += f" of {state.capacity} seats"
    if state.waitlisted:
        counts += f", {state.waitlisted} on the waiting list"
    lines.append(f"<p>{counts}</p>")
    return "\n".join(lines)


def session_html(event: Event, session: Session, ctx: SiteContext) -> str:
    """The buttons, the pull-request way and the sheet of a session: HTML blocks only."""
    actions = actions_html(event, session, session_state(event, session, ctx.now), ctx)
    sheet = sheet_html(session)
    return f"{actions}\n{sheet}" if actions else sheet


def event_page(event: Event, ctx: SiteContext) -> PageSource:
    """The page `events/<id>.md`: everything about one event, and its sign-up sheets.

    The sheets are the bulk of the page: blocks that neither the Markdown parser nor the search
    index read.
    """
    page = event_page_path(event.id)
    source = PageSource("")
    lines = [f"# {md_text(event.title)}", "", source.add("intro", _intro_html(event, ctx, page))]
    lines.append("")
    lines += description_lines(event, ctx, page, source)
    privacy = source.add("privacy", _privacy_html(event, ctx, page), indexed=False)
    lines += ["## Registration", "", privacy, ""]
    for session in event.sessions:
        if len(event.sessions) == 1:
            heading = "### Sign-up sheet"
        else:
            title = md_text(session.title) if session.title else heading_time(session.start)
            heading = f"### {title}"
        status = session_status_html(event, session, ctx)
        lines += [heading, "", source.add(f"{session.id}/status", status, indexed=False), ""]
        sheet = session_html(event, session, ctx)
        lines += [source.add(f"{session.id}/sheet", sheet, indexed=False), ""]
    source.markdown = "\n".join(lines).rstrip() + "\n"
    return source


# --- lists ------------------------------------------------------------------------------------


def upcoming_sessions(events: Iterable[Event], now: datetime) -> list[tuple[Event, Session]]:
    """Sessions that have not ended, soonest first."""
    found = [
        (event, session) for event in events for session in event.sessions if session.end > now
    ]
    found.sort(key=lambda pair: (pair[1].start, pair[0].id, pair[1].id))
    return found


def past_events(events: Iterable[Event], now: datetime) -> list[Event]:
    """Events whose every session has ended, most recent first."""
    done = [event for event in events if event.end <= now]
    done.sort(key=lambda event: (event.start, event.id), reverse=True)
    return done


def _session_item(event: Event, session: Session, ctx: SiteContext, page: str) -> str:
    state = session_state(event, session, ctx.now)
    title = escape(event.title)
    if len(event.sessions) > 1 and session.title:
        title += f" — {escape(session.title)}"
    target = attr(ctx.link(page, event_page_path(event.id)))
    return (
        f'<li>{time_tag(session.start, "date")} · <a href="{target}">{title}</a> '
        f"{_status_badge(state)}</li>"
    )


def _event_item(event: Event, ctx: SiteContext, page: str) -> str:
    target = attr(ctx.link(page, event_page_path(event.id)))
    link = f'<a href="{target}">{escape(event.title)}</a>'
    return f"<li>{time_tag(event.start, 'date')} · {link}</li>"


def _html_list(items: Iterable[str]) -> str:
    return "\n".join(["<ul>", *items, "</ul>"])


def _upcoming_block(
    source: PageSource, events: Iterable[Event], ctx: SiteContext, page: str, none: str
) -> list[str]:
    """The "Upcoming sessions" section of a list page: its lines for the Markdown."""
    upcoming = upcoming_sessions(events, ctx.now)
    if not upcoming:
        return ["## Upcoming sessions", "", none]
    items = (_session_item(event, session, ctx, page) for event, session in upcoming)
    return ["## Upcoming sessions", "", source.add("upcoming", _html_list(items))]


def home_section(
    events: Sequence[Event], series_ids: Sequence[str], ctx: SiteContext
) -> PageSource:
    """Appended to the hand-written home page: upcoming sessions, past events, series."""
    source = PageSource("")
    none = "No sessions are planned at the moment."
    lines = _upcoming_block(source, events, ctx, "index.md", none)
    lines += ["", "## More", ""]
    lines.append(f"- [Past events](past.md) ({len(past_events(events, ctx.now))})")
    lines.append("- [How to register](registering.md)")
    if series_ids:
        lines += ["", "## Series", ""]
        lines += [
            f"- [{md_text(series_title(sid, ctx.docs_dir))}](series/{sid}.md)" for sid in series_ids
        ]
    lines += ["", "Subscribe: [calendar](calendar.ics) · [news feed](feed.xml)", ""]
    source.markdown = "\n".join(lines)
    return source


def past_page(events: Sequence[Event], ctx: SiteContext) -> PageSource:
    """The page `past.md`: every event that is over, by year, most recent first."""
    page = "past.md"
    source = PageSource("")
    lines = ["# Past events", ""]
    by_year: dict[int, list[str]] = {}
    for event in past_events(events, ctx.now):
        by_year.setdefault(event.start.year, []).append(_event_item(event, ctx, page))
    if not by_year:
        lines.append("No event is over yet.")
    for year, items in by_year.items():
        lines += [f"## {year}", "", source.add(str(year), _html_list(items)), ""]
    source.markdown = "\n".join(lines).rstrip() + "\n"
    return source


def series_section(series_id: str, events: Sequence[Event], ctx: SiteContext) -> PageSource:
    """Appended to the hand-written `series/<id>.md`: its upcoming sessions and past events."""
    page = f"series/{series_id}.md"
    members = [event for event in events if event.series == series_id]
    past = past_events(members, ctx.now)
    source = PageSource("")
    none = "No sessions of this series are planned at the moment."
    lines = _upcoming_block(source, members, ctx, page, none)
    lines += ["", "## Past events", ""]
    if past:
        lines.append(source.add("past", _html_list(_event_item(e, ctx, page) for e in past)))
    else:
        lines.append("None yet.")
    source.markdown = "\n".join(lines) + "\n"
    return source
