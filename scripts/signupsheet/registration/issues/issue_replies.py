"""The bot's answer on a registration or cancellation issue, as Markdown.

One comment per issue, edited in place: it starts with a hidden marker carrying a digest of the
issue body it answers, so a later run can tell an edited issue from one already answered. It
says what happened, when the session is (UTC), what comes next and how to cancel — and never
why a ban applies, nor anything private.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from signupsheet.core.inert_markdown import MAX_COMMENT, fitting, inert_markdown
from signupsheet.core.model import Event
from signupsheet.core.rules import Outcome
from signupsheet.core.time_text import span_text
from signupsheet.registration.issues.form_events import render_list
from signupsheet.site.links import cancel_form_url
from signupsheet.site.urls import PublishedSite

REPLY_MARKER = "<!-- signupsheet:reply"
_DIGEST = re.compile(r"<!-- signupsheet:reply digest=([0-9a-f]{16}) -->")


def body_digest(body: str | None) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def answered_digest(comment: str) -> str | None:
    found = _DIGEST.search(comment)
    return found.group(1) if found else None


def _head(digest: str) -> str:
    return f"{REPLY_MARKER} digest={digest} -->\n"


# Where the issue's one entry is, in the bot's own reply: an edit that names another event or
# session moves the entry from there (one issue holds at most one registration).
_ENTRY = re.compile(r"<!-- signupsheet:entry ([a-z0-9-]{1,80})/([a-z0-9-]{1,80}) -->")


def entry_marker(event: str, session: str) -> str:
    return f"<!-- signupsheet:entry {event}/{session} -->"


def answered_entry(comment: str) -> tuple[str, str] | None:
    found = _ENTRY.search(comment)
    return (found.group(1), found.group(2)) if found else None


def registration_reply(
    outcome: Outcome,
    event: Event | None,
    digest: str,
    repo_url: str,
    *,
    promoted: bool = False,
) -> str:
    lines = [_head(digest)]
    session = event.session(outcome.session) if event and outcome.session else None
    title = inert_markdown(event.title if event else outcome.event)
    reason = inert_markdown(outcome.reason)
    where = f"**{title}**" + (
        f", session `{session.id}` ({span_text(session.start, session.end)})" if session else ""
    )
    if outcome.refused:
        lines.append(f"**Registration not possible** for {where}.\n\n{reason}")
        return "\n".join(lines) + "\n"
    if outcome.outcome == "cancelled" or outcome.status is None:
        lines.append(f"{reason} ({where})")
        return "\n".join(lines) + "\n"
    assert event is not None and session is not None
    lines.append(entry_marker(event.id, session.id))
    if outcome.status == "waitlisted":
        lines.append(
            f"**You are on the waiting list** for {where}. The session is full; when a seat "
            "frees up, the first person on the waiting list gets it, and this comment says so."
        )
    elif promoted:
        lines.append(
            f"**You are registered** for {where}: a seat freed up and you moved up from the "
            "waiting list."
        )
    else:
        lines.append(f"**You are registered** for {where}.")
    if outcome.outcome == "updated":
        lines.append("\nYour entry was updated from the edited issue.")
    lead = event.registration.link_lead_minutes
    lines.append(
        f"\n**What happens next:** the meeting link is e-mailed to registered participants "
        f"{lead} minutes before the start. To change your name, affiliation, note or visibility, "
        "edit this issue."
    )
    cancel = cancel_form_url(repo_url, event, session)
    lines.append(f"\n**Can't come?** [Cancel your registration]({cancel}) so someone else can.")
    return "\n".join(lines) + "\n"


def cancellation_reply(outcome: Outcome, event: Event | None, digest: str) -> str:
    lines = [_head(digest)]
    title = inert_markdown(event.title if event else outcome.event)
    reason = inert_markdown(outcome.reason)
    if outcome.refused:
        lines.append(f"**Cancellation not possible** for **{title}**.\n\n{reason}")
    elif outcome.outcome == "cancelled":
        where = f"**{title}**" + (f", session `{outcome.session}`" if outcome.session else "")
        lines.append(f"**Your registration is cancelled** for {where}. Thank you for telling us.")
    else:
        lines.append(f"Nothing to cancel for **{title}**: {reason}")
    return "\n".join(lines) + "\n"


def problems_reply(
    problems: Sequence[str],
    digest: str,
    *,
    open_events: Sequence[Event] = (),
    site: PublishedSite | None = None,
    unknown_event: bool = False,
) -> str:
    lines = [
        _head(digest),
        "**This form needs a fix** before it can be handled — please edit the issue:",
        "",
    ]
    # A reply must fit in one GitHub comment: a quarter for the problems, most of the rest for
    # the open events, the few lines around them in what remains.
    lines += fitting(
        [f"- {inert_markdown(problem)}" for problem in problems],
        MAX_COMMENT // 4,
        lambda more: f"- … and {more} more problems.",
    )
    if unknown_event:
        listing = render_list(open_events, site).rstrip("\n").split("\n")[1:]
        lines.append("")
        lines += fitting(
            listing,
            MAX_COMMENT // 2,
            lambda more: f"\n… and {more} more events: see the site for all of them.",
        )
    lines.append("\nThe issue is checked again as soon as you save your edit.")
    return "\n".join(lines) + "\n"


def too_long_reply(digest: str, limit: int) -> str:
    return (
        _head(digest)
        + f"**This issue is refused:** its text is longer than {limit:,} characters, more than "
        "GitHub lets an issue form write, so it was not made with the form. Please open a new "
        "issue from the form.\n"
    )
