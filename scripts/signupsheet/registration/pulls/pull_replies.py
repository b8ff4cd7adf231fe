"""The bot's one comment on a pull request that edits a sign-up sheet, as Markdown.

It starts with the same hidden marker as the answers on registration issues, so the tracker
finds and edits it in place. Everything that came from the pull request (logins, values quoted
in problems) is shown as plain text, never as mentions or markup. A refusal for a reason the
organizers handle personally reads like any other: the rules give the neutral text.
"""

from __future__ import annotations

import re

from signupsheet.core.inert_markdown import MAX_COMMENT, fitting, inert_markdown
from signupsheet.core.model import Event
from signupsheet.core.time_text import span_text
from signupsheet.registration.applying import Applied
from signupsheet.registration.issues.issue_replies import REPLY_MARKER
from signupsheet.registration.pulls.pull_check import CheckResult

HEAD = f"{REPLY_MARKER} pull-request -->\n"
HOWTO = "docs/registering.md, section “Registering by pull request”"


def _code(lines: list[str]) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + "text", *lines, fence])


def check_reply(result: CheckResult) -> str:
    """The answer for `refuse` and `review`."""
    parts = [HEAD]
    if result.verdict == "review":
        parts.append(
            "**Left for a maintainer to review.** This pull request is not only a change of "
            "the author's own registration, so the bot does not merge it:\n"
        )
    else:
        parts.append("**The bot cannot merge this pull request:**\n")
    # A reply must fit in one GitHub comment, however many entries the pull request touched.
    parts += fitting(
        [f"- {inert_markdown(reason)}" for reason in result.reasons],
        MAX_COMMENT // 3,
        lambda more: f"- … and {more} more reasons.",
    )
    if result.problems:
        parts.append("\nValidation of the changed event files:\n")
        shown = fitting(
            [str(problem) for problem in result.problems],
            MAX_COMMENT // 3,
            lambda more: f"… and {more} more problems; run `signupsheet validate` to see all.",
        )
        parts.append(_code(shown))
    elif result.verdict == "review" and result.event is not None:
        parts.append("\nThe changed event files are valid.")
    if result.verdict == "refuse":
        parts.append(
            "\nPush a fix to this branch and the check runs again. How to sign up with a pull "
            f"request: {HOWTO}."
        )
    return "\n".join(parts) + "\n"


def moved_reply() -> str:
    return (
        HEAD + "New commits arrived while this pull request was being checked; the check runs "
        "again for them.\n"
    )


def accepted_reply(
    applied: Applied, commit: str | None, *, repo_url: str, moved: bool = False
) -> str:
    """The answer after the bot wrote (or, asked again, could not write) the entry."""
    outcome = applied.outcome
    event: Event | None = applied.event
    session = event.session(outcome.session) if event and outcome.session else None
    title = inert_markdown(event.title if event else outcome.event)
    reason = inert_markdown(outcome.reason)
    where = f"**{title}**" + (
        f", session `{session.id}` ({span_text(session.start, session.end)})" if session else ""
    )
    parts = [HEAD]
    if outcome.refused:
        parts.append(f"**Registration not possible** for {where}.\n\n{reason}")
        return "\n".join(parts) + "\n"
    if commit is None:
        parts.append(f"Nothing to change for {where}: {reason}")
        return "\n".join(parts) + "\n"
    link = f"[{commit[:12]}]({repo_url}/commit/{commit})"
    if outcome.outcome == "cancelled":
        parts.append(f"**Your registration is cancelled** for {where}. Thank you for telling us.")
    elif outcome.status == "waitlisted":
        parts.append(
            f"**You are on the waiting list** for {where}. The session is full; when a seat "
            "frees up, the first person on the waiting list gets it."
        )
    else:
        parts.append(f"**You are registered** for {where}.")
    # Never merged: a merge would bring every commit of the branch into main's history, and
    # only the checked change may reach it.
    parts.append(
        f"\nThe bot wrote your entry on main in {link}, with the time of registration, where it "
        "came from and your status; the commit names you and this pull request. The pull "
        "request's own commits are not merged, so only this change reaches the history"
        + (", and this pull request is closed." if not moved else ".")
    )
    if moved:
        parts.append(
            "\nNew commits arrived after the check; they are not part of this change and are "
            "checked on their own."
        )
    if outcome.outcome != "cancelled" and event is not None:
        lead = event.registration.link_lead_minutes
        parts.append(
            f"\n**What happens next:** the meeting link is e-mailed to registered participants "
            f"{lead} minutes before the start. Can't come? Remove your entry the same way."
        )
    return "\n".join(parts) + "\n"
