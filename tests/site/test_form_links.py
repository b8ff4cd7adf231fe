"""The cancel form is linked the same way from the site, the bot's reply and the link mail."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO_URL, context
from link_site import mail_text
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.rules import Outcome
from signupsheet.registration.issues.issue_replies import registration_reply
from signupsheet.site.links import ISSUE_TITLE_LIMIT, cancel_form_url, register_form_url
from signupsheet.site.pages import event_page

START = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
NOW = START - timedelta(days=10)


def make_event(sessions: int, title: str = "Course") -> Event:
    made = []
    for number in range(sessions):
        start = START + timedelta(days=7 * number)
        entry = Registration(name="Ann A.", login="ann", registered=NOW)
        made.append(Session(f"s{number}", start, start + timedelta(hours=1), registrations=[entry]))
    return Event(id="2026-12-03-course", title=title, sessions=made)


def site_link(event: Event, session: Session) -> str:
    page = event_page(event, context(now=NOW)).inline()
    found = re.findall(r'href="([^"]*template=cancel\.yml[^"]*)"', page)
    links = [html.unescape(link) for link in found]
    (link,) = [link for link in links if f"session={session.id}" in link]
    return link


def reply_link(event: Event, session: Session) -> str:
    outcome = Outcome("registered", event.id, session.id, "ann", "registered", status="confirmed")
    reply = registration_reply(outcome, event, "0" * 16, REPO_URL)
    (link,) = re.findall(r"\]\(([^)]*template=cancel\.yml[^)]*)\)", reply)
    return link


def mail_link(event: Event, session: Session) -> str:
    _, plain = mail_text(event, session, START - timedelta(minutes=30), REPO_URL)
    (link,) = re.findall(r"\S*template=cancel\.yml\S*", plain)
    return link


@pytest.mark.parametrize("sessions", [1, 2])
def test_site_reply_and_mail_link_the_same_cancel_form(sessions: int) -> None:
    event = make_event(sessions)
    session = event.sessions[-1]
    links = {site_link(event, session), reply_link(event, session), mail_link(event, session)}
    assert links == {cancel_form_url(REPO_URL, event, session)}
    query = parse_qs(urlsplit(links.pop()).query)
    expected = "Cancel: Course" if sessions == 1 else "Cancel: Course (10 Dec 2026, 14:00 UTC)"
    assert query == {
        "template": ["cancel.yml"],
        "title": [expected],
        "event": [event.id],
        "session": [session.id],
    }


def test_register_and_cancel_forms_differ_only_in_template_and_title() -> None:
    event = make_event(2)
    session = event.sessions[0]
    register = parse_qs(urlsplit(register_form_url(REPO_URL, event, session)).query)
    cancel = parse_qs(urlsplit(cancel_form_url(REPO_URL, event, session)).query)
    assert register.pop("template") == ["register.yml"] and cancel.pop("template") == ["cancel.yml"]
    assert register.pop("title") == ["Register: Course (3 Dec 2026, 14:00 UTC)"]
    assert cancel.pop("title") == ["Cancel: Course (3 Dec 2026, 14:00 UTC)"]
    assert register == cancel


def test_a_long_title_is_cut_to_what_github_accepts() -> None:
    event = make_event(2, title="T" * 200)
    session = event.sessions[0]
    session.title = "S" * 100
    for url in (
        register_form_url(REPO_URL, event, session),
        cancel_form_url(REPO_URL, event, session),
    ):
        (title,) = parse_qs(urlsplit(url).query)["title"]
        assert len(title) == ISSUE_TITLE_LIMIT


def test_an_enterprise_server_keeps_its_address() -> None:
    event = make_event(1)
    url = cancel_form_url("https://git.example.org/org/events/", event, event.sessions[0])
    assert url.startswith("https://git.example.org/org/events/issues/new?template=cancel.yml&")
