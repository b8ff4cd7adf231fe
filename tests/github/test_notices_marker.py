"""A notice marker counts only in the bot's own comments (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime

from githubdouble import GitHubDouble
from signupsheet.github.client import client
from signupsheet.github.contact_lookup import GitHubIssueNotices

MARKER = "<!-- signupsheet:link-unreachable 2026-12-03-meetup/main -->"


def test_a_marker_posted_by_someone_else_does_not_suppress_the_notice(
    double: GitHubDouble,
) -> None:
    double.add_issue(
        1, "alice", "body", ["registration"], created=datetime(2026, 11, 30, tzinfo=UTC)
    )
    double.add_comment(1, "mallory", f"{MARKER}\nnothing to see")
    github = client("token", api_url=double.base_url, retries=0, polite=False)
    notices = GitHubIssueNotices(github, double.repo)
    assert notices.notify_once(1, MARKER, f"{MARKER}\nHow to get the link")
    assert len(double.bot_comments(1)) == 1
    # The bot's own notice counts: not posted twice.
    assert not notices.notify_once(1, MARKER, f"{MARKER}\nHow to get the link")
    assert len(double.bot_comments(1)) == 1
