"""The event page's pull-request snippet, followed literally, gives a change `check-pr` accepts,
for every shape a session's sheet has in the file: no key, an empty list, a list with entries."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import context
from gitkit import git, init_repo
from prcorpus import EVENINGS, EVENINGS_ID
from signupsheet.core.model import parse_timestamp
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_event
from signupsheet.main import main
from signupsheet.site.pages import event_page
from sitekit import make_site

NOW = "2027-04-01T10:00:00Z"
EVENT_ID = EVENINGS_ID
EVENT = EVENINGS


def _snippets(page_html: str) -> list[tuple[str, str]]:
    """Each session's (instruction, snippet) from the page, in page order."""
    found = re.findall(
        r'<details class="ss-pr">.*?<p>Open .*?</a>, (.*?)</p><pre><code>(.*?)</code></pre>',
        page_html,
        flags=re.S,
    )
    return [
        (html.unescape(re.sub("<[^>]+>", "", where)), html.unescape(code)) for where, code in found
    ]


def _follow(text: str, session_id: str, where: str, snippet: str, login: str) -> str:
    """Do what the page says, as a person reading it would, in the file's text."""
    snippet = snippet.replace("YOUR-GITHUB-LOGIN", login).replace("Your Name", login.title())
    lines = text.splitlines()
    start = lines.index(f"  - id: {session_id}")
    end = start + 1
    while end < len(lines) and not lines[end].startswith("  - "):
        end += 1
    while not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#"):
        end -= 1  # the comment heading the next session is not part of this one
    block = list(range(start, end))
    new = snippet.splitlines()
    if "at the end of its registrations: list" in where:
        key = next(n for n in block if lines[n] == "    registrations:")
        last = key
        while last + 1 < end and lines[last + 1].startswith("      "):
            last += 1
        lines[last + 1 : last + 1] = new
    else:
        assert "registrations: []" in where and "below the session's last line" in where
        empty = [n for n in block if lines[n] == "    registrations: []"]
        if empty:
            lines[empty[0] : empty[0] + 1] = new
        else:
            lines[end:end] = new
    return "\n".join(lines) + "\n"


def test_each_sessions_snippet_fits_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(tmp_path / "site", {EVENT_ID: EVENT})
    init_repo(root)
    event = load_event(Project(root), EVENT_ID)
    page = event_page(event, context(now=parse_timestamp(NOW), docs_dir=root / "docs")).inline()
    snippets = _snippets(page)
    assert len(snippets) == 3
    for session, (where, snippet) in zip(event.sessions, snippets, strict=True):
        branch = f"sign-{session.id}"
        login = f"new-{session.id}"
        git(root, "checkout", "--quiet", "-b", branch, "main")
        path = root / "events" / f"{EVENT_ID}.yaml"
        path.write_text(_follow(EVENT, session.id, where, snippet, login))
        git(root, "commit", "--quiet", "--all", "--message", branch)
        git(root, "checkout", "--quiet", "main")
        args = ["--root", str(root), "check-pr", "--base", "main", "--head", branch]
        code = main([*args, "--author", login, "--agree-policy", "--now", NOW, "--json"])
        verdict = json.loads(capsys.readouterr().out)
        assert (session.id, code, verdict["verdict"]) == (session.id, 0, "accept"), verdict
