"""The bot's replies fit in one GitHub comment and show untrusted text plainly (issue 16)."""

from __future__ import annotations

from signupsheet.core.errors import Problem
from signupsheet.core.inert_markdown import MAX_COMMENT
from signupsheet.registration.issues.issue_replies import problems_reply
from signupsheet.registration.pulls.pull_check import CheckResult
from signupsheet.registration.pulls.pull_replies import check_reply

MEETUP = "events/2026-12-03-meetup.yaml"


def test_a_pull_request_reply_for_thousands_of_entries_fits_in_a_comment() -> None:
    result = CheckResult(
        "refuse",
        event="2026-12-03-meetup",
        reasons=[f"adds an entry for person-{n:04d} to session 'main'" for n in range(3000)],
        problems=[
            Problem(MEETUP, n, 9, f"'person-{n:04d}' is registered twice for this session")
            for n in range(3000)
        ],
    )
    text = check_reply(result)
    assert len(text) <= MAX_COMMENT
    assert "person-0000" in text and "more reasons" in text and "more problems" in text


def test_a_needs_changes_reply_with_many_problems_fits_in_a_comment() -> None:
    text = problems_reply([f"Problem {n}: " + "x" * 500 for n in range(1000)], "0" * 16)
    assert len(text) <= MAX_COMMENT
    assert "Problem 0:" in text and "more problems" in text
