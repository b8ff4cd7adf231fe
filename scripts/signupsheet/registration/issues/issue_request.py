"""What a registration or cancellation issue asks for, checked like any other untrusted input.

The person is always the issue's author (given by GitHub, never read from the form). Every
problem found is reported together, phrased so the person can fix it by editing the issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from signupsheet.core.model import Visibility
from signupsheet.core.plain_text import plain_line
from signupsheet.core.rules import SignupRequest
from signupsheet.core.schema_values import MAX_LINE, MAX_NOTE, SLUG_PATTERN, inner
from signupsheet.eventfiles.semantic_checks import EVENT_ID, secret_leaks
from signupsheet.registration.issues.issue_form import Answers, Form, parse_body

RequestKind = Literal["register", "cancel"]

# A pasted event page address ends in /events/<id>/ (or .html): take the id from it. Matched
# after the last "/events/" only: searching from every occurrence costs the square of the line.
_EVENT_URL = re.compile(rf"/events/({inner(SLUG_PATTERN)})(?:/|\.html)?(?:[?#].*)?")


@dataclass
class IssueRequest:
    kind: RequestKind
    event: str | None = None
    session: str | None = None
    request: SignupRequest | None = None
    problems: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _event_id(text: str | None) -> str | None:
    if text is None:
        return None
    value = text.strip().strip("`'\"").strip()
    url = _EVENT_URL.fullmatch(value, max(0, value.rfind("/events/")))
    if url:
        return url.group(1)
    return value.casefold()


def _line(
    answers: Answers, form: Form, field_id: str, limit: int, problems: list[str]
) -> str | None:
    value = answers.text(field_id)
    if value is None:
        return None
    value = plain_line(value)
    label = form.field(field_id).label
    if len(value) > limit:
        problems.append(f"{label}: at most {limit} characters, please shorten it.")
        return None
    if secret_leaks(value):
        problems.append(
            f"{label}: no e-mail addresses or meeting links, please — the sign-up sheet is public."
        )
        return None
    return value or None


def read_issue(
    form: Form,
    kind: RequestKind,
    body: str | None,
    *,
    author: str,
    created: datetime | None,
    number: int | None,
) -> IssueRequest:
    answers = parse_body(form, body)
    result = IssueRequest(kind, truncated=answers.truncated)
    problems = result.problems
    if answers.mismatches:
        # Guessing which of two "Event" sections counts would let an edit bend the rules.
        labels = ", ".join(f"“{item.label}”" for item in form.fields)
        problems.append(
            "The issue does not match the form: "
            + "; ".join(answers.mismatches[:5])
            + f". Please edit it back to one section each, in this order: {labels}, with the "
            "box text as the form wrote it — or open a new issue from the form."
        )
    event = _event_id(answers.text("event"))
    if event is None:
        problems.append(f"{form.field('event').label}: please give the event's id.")
    elif not EVENT_ID.match(event):
        problems.append(
            f"{form.field('event').label}: {event[:80]!r} is not an event id; ids are lower-case "
            "letters, digits and dashes, as shown on the event's page."
        )
    else:
        result.event = event
    session = answers.text("session")
    if session is not None:
        session = session.strip().strip("`'\"").strip().casefold()
        if not EVENT_ID.match(session):
            problems.append(
                f"{form.field('session').label}: {session[:80]!r} is not a session id; leave it "
                "empty or copy the id from the event's page."
            )
            session = None
    result.session = session
    if kind == "cancel":
        return result
    name = _line(answers, form, "name", MAX_LINE, problems)
    affiliation = _line(answers, form, "affiliation", MAX_LINE, problems)
    note = _line(answers, form, "note", MAX_NOTE, problems)
    visibility: Visibility = "public"
    chosen = (answers.text("visibility") or "public").strip().casefold()
    if chosen.startswith("private"):
        visibility = "private"
    elif not chosen.startswith("public"):
        problems.append(f"{form.field('visibility').label}: choose Public or Private.")
    agreed = answers.all_checked("policy")
    if not agreed:
        problems.append(
            f"{form.field('policy').label}: please tick the box to agree to the event's policy."
        )
    result.request = SignupRequest(
        user=author,
        session=session,
        name=name,
        affiliation=affiliation,
        note=note,
        visibility=visibility,
        agreed=agreed,
        source=None if number is None else f"issue:{number}",
        at=created,
        # Sealed text, checked by the sweep with the key; whitespace a paste may add is dropped.
        contact="".join((answers.text("contact") or "").split()) or None,
    )
    return result
