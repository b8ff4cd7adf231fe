"""The bot's replies fit in one GitHub comment and show untrusted text plainly (issue 16)."""

from __future__ import annotations

from pathlib import Path

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


def test_a_login_made_of_markdown_stays_text_in_the_pull_request_reply(tmp_path: Path) -> None:
    from gitkit import init_repo
    from prcorpus import ALICE, BASE_FILES, BOB, NOW, OLD_TIMER, Edit, commit_pull_request, meetup
    from signupsheet.core.model import parse_timestamp
    from signupsheet.core.project import Project
    from signupsheet.registration.pulls.pull_check import Context, check_revisions
    from sitekit import make_site

    make_site(tmp_path, files=BASE_FILES)
    init_repo(tmp_path)
    login = '"x\\n\\n# Maintainers: approved\\n[verify](https://evil.example/login) @octo-org #1"'
    evil = f"      - login: {login}\n        name: Eve\n"
    head = commit_pull_request(
        tmp_path, "pr", Edit(files={MEETUP: meetup(OLD_TIMER + ALICE + BOB + evil)})
    )
    context = Context(author="eve", now=parse_timestamp(NOW), agreed=True)
    _, result = check_revisions(tmp_path, "main", head, context, Project(tmp_path))
    assert result.verdict != "accept"
    text = check_reply(result)
    assert "Maintainers: approved" in text  # shown, as text ...
    lines = text.splitlines()
    # ... never as a heading, a link, a mention or an issue reference outside the code fence.
    fence = [i for i, line in enumerate(lines) if line.startswith("```")]
    outside = lines[: fence[0]] + lines[fence[-1] + 1 :] if fence else lines
    assert not any(line.lstrip().startswith("#") for line in outside)
    assert "](https://" not in text and "@octo" not in text and " #1" not in "\n".join(outside)
