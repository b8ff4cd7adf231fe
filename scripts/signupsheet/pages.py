"""Event pages as Markdown: the content of the site, without knowing how it is built.

What strangers wrote (display names, affiliations, notes) only ever appears inside raw HTML blocks,
escaped with `html.escape`: Markdown leaves raw HTML blocks alone, so `[x](javascript:…)` or `<img>`
stay literal text. What maintainers wrote (the description) is Markdown; titles and other one-line
fields are escaped for Markdown so they show exactly as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from signupsheet.model import Event, Registration, Session, format_timestamp
from signupsheet.rules import SessionState, session_state
from signupsheet.sitelinks import Repository, converter_url, session_label

TimeStyle = Literal["full", "date", "end"]

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
    recent: timedelta = field(default=timedelta(days=90))


# --- escaping ---------------------------------------------------------------------------------


def attr(text: str) -> str:
    """Text for an HTML attribute value or a raw HTML block."""
    return html.escape(text, quote=True)


def md_text(text: str) -> str:
    """Text shown exactly as written inside Markdown (no emphasis, links or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


# --- times ------------------------------------------------------------------------------------


def utc_text(moment: datetime, style: TimeStyle = "full") -> str:
    moment = moment.astimezone(UTC)
    clock = moment.strftime("%H:%M")
    if style == "end":
        return f"{clock} UTC"
    if style == "date":
        return f"{moment.day} {moment.strftime('%b %Y')}, {clock} UTC"
    return f"{moment.strftime('%A')}, {moment.day} {moment.strftime('%B %Y')}, {clock} UTC"


def time_tag(moment: datetime, style: TimeStyle = "full", start: datetime | None = None) -> str:
    """`<time>` showing UTC; the site's script rewrites it into the reader's time zone.

    An end time names its start (`data-ss-start`) so the script can add the date only when the
    reader's local date differs from the start's.
    """
    extra = "" if start is None else f' data-ss-start="{format_timestamp(start)}"'
    return (
        f'<time datetime="{format_timestamp(moment)}" data-ss="{style}"{extra}>'
        f"{utc_text(moment, style)}</time>"
    )


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
        str(number),
        attr(entry.name),
        attr(entry.affiliation or ""),
        registered,
        attr(entry.note or ""),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _sheet_table(caption: str, entries: Sequence[Registration], session: Session) -> list[str]:
    public = [entry for entry in entries if entry.public]
    hidden = len(entries) - len(public)
    lines: list[str] = []
    if public:
        lines.append("<table>")
        lines.append(f"<caption>{caption}</caption>")
        lines.append(
            '<thead><tr><th scope="col">#</th><th scope="col">Name</th>'
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


def sheet_placeholder(event: Event, session: Session) -> str:
    """What stands for a session's buttons and sheet in the Markdown when `fill_sheets` puts
    them into the finished page.

    Sheets are the bulk of an event page; leaving them out of the Markdown spares the Markdown
    parser and the search indexer from reading every name.
    """
    return f'<div class="ss-sheet" data-ss-sheet="{event.id}/{session.id}"></div>'


def sheet_html(session: Session, search: bool = False) -> str:
    """The sign-up sheet of one session as one raw HTML block (no blank line inside)."""
    confirmed = session.confirmed
    waitlisted = session.waitlisted
    exclude = "" if search else " data-search-exclude"
    lines = [f'<div class="ss-sheet"{exclude}>']
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


def pr_entry_yaml(session: Session) -> str:
    """The exact entry someone adds under the session's `registrations:` in a pull request.

    Only what the person decides: the bot fills in the time, the source and the status, and the
    pull request check refuses an entry that sets them itself.
    """
    lines = [] if session.registrations else ["    registrations:"]
    lines += [
        "      - login: YOUR-GITHUB-LOGIN",
        "        name: Your Name",
        "        affiliation: WMXX  # optional: delete the line if none",
        "        visibility: public  # or private: counted, not named",
    ]
    return "\n".join(lines)


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
    if state.accepting and event.registration.pull_requests:
        path = f"{ctx.events_path}/{event.id}.yaml"
        html_lines.append(
            '<details class="ss-pr"><summary>Or register with a pull request</summary>'
            f'<p>Open <a href="{attr(repo.edit_url(path))}">{attr(path)} in GitHub\'s editor</a>, '
            f"find the session with <code>id: {attr(session.id)}</code> and add this entry at "
            "the end of its <code>registrations:</code> list, with your own details:</p>"
            f"<pre><code>{attr(pr_entry_yaml(session))}</code></pre>"
            "<p>Then propose the change. The pull request is checked automatically and merged "
            "when it only adds your own entry.</p></details>"
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


def _people(event: Event) -> list[str]:
    facts = []
    if event.speakers:
        names = []
        for speaker in event.speakers:
            shown = md_text(speaker.name)
            if speaker.link:
                shown = f"[{shown}](<{speaker.link}>)"
            if speaker.affiliation:
                shown += f" ({md_text(speaker.affiliation)})"
            names.append(shown)
        label = "Speaker" if len(names) == 1 else "Speakers"
        facts.append(f"- **{label}:** {', '.join(names)}")
    if event.organizers:
        logins = ", ".join(
            f"[{md_text(login)}](https://github.com/{login})" for login in event.organizers
        )
        facts.append(f"- **Organizers:** {logins}")
    return facts


def _facts(event: Event, ctx: SiteContext) -> list[str]:
    facts = []
    if len(event.sessions) == 1:
        facts.append(f"- **When:** {when_html(event, event.sessions[0])}")
    else:
        facts.append(f"- **When:** {len(event.sessions)} sessions, see below")
    if event.location is not None:
        where = [MODES[event.location.mode]]
        for value in (event.location.platform, event.location.venue, event.location.address):
            if value:
                where.append(md_text(value))
        facts.append(f"- **Where:** {', '.join(where)}")
    if event.languages:
        facts.append(f"- **Language:** {', '.join(event.languages)}")
    if event.type:
        facts.append(f"- **Type:** {event.type}")
    facts.extend(_people(event))
    recording = RECORDING[event.recording] if event.recording else "not stated; ask the organizers"
    facts.append(f"- **Recording:** {recording}")
    if event.location is not None and event.location.chat:
        facts.append(f"- **Public chat:** <{event.location.chat}>")
    if event.policy:
        title = page_title(ctx.docs_dir / event.policy) or event.policy
        facts.append(
            f"- **Policy:** by registering you agree to the [{md_text(title)}](../{event.policy})"
        )
    if event.series:
        title = series_title(event.series, ctx.docs_dir)
        facts.append(f"- **Series:** [{md_text(title)}](../series/{event.series}.md)")
    if event.tags:
        facts.append(f"- **Tags:** {', '.join(event.tags)}")
    facts.append(f"- **Calendar:** [add to your calendar (.ics)]({event.id}.ics)")
    return facts


def _privacy(event: Event) -> str:
    lead = event.registration.link_lead_minutes
    when = f"{duration_text(timedelta(minutes=lead))} before" if lead else "at"
    return (
        "**What becomes public:** the display name, affiliation and note you give, and when you "
        "signed up, are shown on this page and kept in the site's Git history; your GitHub login "
        "shows on the issue or pull request you open. Choose *private* to be counted without "
        f"being named. **The meeting link is never published:** it comes by e-mail {when} the "
        "session starts. See [how to register](../registering.md) for the details."
    )


def session_block(
    event: Event, session: Session, ctx: SiteContext, heading: str, inline_sheets: bool = True
) -> list[str]:
    state = session_state(event, session, ctx.now)
    lines = [heading, ""]
    if len(event.sessions) > 1:
        lines += [f"**When:** {when_html(event, session)}", ""]
    lines += [f"{_status_badge(state)} {state_text(state)}", ""]
    counts = f"**Signed up:** {state.confirmed}"
    if state.capacity is not None:
        counts += f" of {state.capacity} seats"
    if state.waitlisted:
        counts += f", {state.waitlisted} on the waiting list"
    lines += [counts, ""]
    if inline_sheets:
        lines += [session_html(event, session, ctx), ""]
    else:
        lines += [sheet_placeholder(event, session), ""]
    return lines


def session_html(event: Event, session: Session, ctx: SiteContext) -> str:
    """The buttons, the pull-request way and the sheet of a session: HTML blocks only."""
    actions = actions_html(event, session, session_state(event, session, ctx.now), ctx)
    sheet = sheet_html(session)
    return f"{actions}\n\n{sheet}" if actions else sheet


def event_page(event: Event, ctx: SiteContext, inline_sheets: bool = True) -> str:
    """The page `events/<id>.md`: everything about one event, and its sign-up sheets.

    With `inline_sheets=False` each sheet is a `sheet_placeholder`, for `fill_sheets` to replace
    in the finished HTML.
    """
    lines = [f"# {md_text(event.title)}", ""]
    if event.summary:
        lines += [md_text(" ".join(event.summary.split())), ""]
    lines += _facts(event, ctx)
    lines.append("")
    if event.description:
        lines += ["## About", "", event.description.strip(), ""]
    lines += ["## Registration", "", _privacy(event), ""]
    if len(event.sessions) == 1:
        lines += session_block(event, event.sessions[0], ctx, "### Sign-up sheet", inline_sheets)
    else:
        for session in event.sessions:
            title = md_text(session.title) if session.title else utc_text(session.start, "date")
            lines += session_block(event, session, ctx, f"### {title}", inline_sheets)
    return "\n".join(lines).rstrip() + "\n"


def fill_sheets(page_html: str, event: Event, ctx: SiteContext) -> str:
    """The finished page of an event with each placeholder replaced by `session_html`."""
    for session in event.sessions:
        page_html = page_html.replace(
            sheet_placeholder(event, session), session_html(event, session, ctx), 1
        )
    return page_html


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


def _session_line(event: Event, session: Session, ctx: SiteContext, base: str) -> str:
    state = session_state(event, session, ctx.now)
    title = md_text(event.title)
    if len(event.sessions) > 1 and session.title:
        title += f" — {md_text(session.title)}"
    return (
        f"- {time_tag(session.start, 'date')} · [{title}]({base}events/{event.id}.md) "
        f"{_status_badge(state)}"
    )


def _event_line(event: Event, base: str) -> str:
    link = f"[{md_text(event.title)}]({base}events/{event.id}.md)"
    return f"- {time_tag(event.start, 'date')} · {link}"


def home_section(events: Sequence[Event], series_ids: Sequence[str], ctx: SiteContext) -> str:
    """Appended to the hand-written home page: upcoming sessions, past events, series."""
    upcoming = upcoming_sessions(events, ctx.now)
    lines = ["## Upcoming sessions", ""]
    if upcoming:
        lines += [_session_line(event, session, ctx, "") for event, session in upcoming]
    else:
        lines.append("No sessions are planned at the moment.")
    lines += ["", "## More", ""]
    lines.append(f"- [Past events](past.md) ({len(past_events(events, ctx.now))})")
    lines.append("- [How to register](registering.md)")
    if series_ids:
        lines += ["", "## Series", ""]
        lines += [
            f"- [{md_text(series_title(sid, ctx.docs_dir))}](series/{sid}.md)" for sid in series_ids
        ]
    lines += ["", "Subscribe: [calendar](calendar.ics) · [news feed](feed.xml)", ""]
    return "\n".join(lines)


def past_page(events: Sequence[Event], ctx: SiteContext) -> str:
    """The page `past.md`: every event that is over, by year, most recent first."""
    past = past_events(events, ctx.now)
    lines = ["# Past events", ""]
    if not past:
        lines.append("No event is over yet.")
    year: int | None = None
    for event in past:
        if event.start.year != year:
            year = event.start.year
            lines += ["", f"## {year}", ""]
        lines.append(_event_line(event, ""))
    return "\n".join(lines).rstrip() + "\n"


def series_section(series_id: str, events: Sequence[Event], ctx: SiteContext) -> str:
    """Appended to the hand-written `series/<id>.md`: its upcoming sessions and past events."""
    members = [event for event in events if event.series == series_id]
    upcoming = upcoming_sessions(members, ctx.now)
    past = past_events(members, ctx.now)
    lines = ["## Upcoming sessions", ""]
    if upcoming:
        lines += [_session_line(event, session, ctx, "../") for event, session in upcoming]
    else:
        lines.append("No sessions of this series are planned at the moment.")
    lines += ["", "## Past events", ""]
    if past:
        lines += [_event_line(event, "../") for event in past]
    else:
        lines.append("None yet.")
    return "\n".join(lines) + "\n"
