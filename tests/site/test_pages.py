"""The Markdown of event, home, past and series pages, without MkDocs."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest

from conftest import REPO_URL, context, golden
from paths import REPO
from signupsheet.core.model import Contact, Event, Registration, parse_timestamp
from signupsheet.core.project import Project
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.registration.pulls.pull_check import Context, check_event_change
from signupsheet.site.links import Repository, converter_url
from signupsheet.site.pages import (
    event_page,
    home_section,
    md_text,
    past_page,
    pr_entry_yaml,
    series_section,
    sheet_html,
    time_tag,
)


def test_seed_page_matches_golden(seed: Event) -> None:
    page = event_page(seed, context()).inline()
    assert page == golden("seed-event.md", page)


def test_seed_page_names_every_registrant_in_order(seed: Event) -> None:
    rendered = markdown.markdown(event_page(seed, context()).inline())
    names = [entry.name for entry in seed.sessions[0].registrations]
    assert len(names) == 33
    positions = [rendered.index(f"<td><bdi>{html.escape(name)}</bdi></td>") for name in names]
    assert positions == sorted(positions)


def test_entries_signed_after_the_session_are_marked(seed: Event) -> None:
    sheet = sheet_html(seed.sessions[0])
    rows = [row for row in sheet.splitlines() if row.startswith("<tr><td")]
    late = [row for row in rows if "signed after the event" in row]
    assert len(late) == 3
    assert all(name in "".join(late) for name in ("James Rhoda", "ShahajadaSJ7", "Akwugo"))
    assert "Anisa Kuci" not in "".join(late)  # signed during the session, not after


def test_registrant_text_is_bidi_isolated(seed: Event) -> None:
    """An override in a name (the file check refuses it, an old file may hold it) or a
    right-to-left affiliation ends with its own `<bdi>`: the rest of the row reads as written."""
    session = seed.sessions[0]
    first = session.registrations[0]
    session.registrations[0] = replace(
        first, name="Eve \u202etxet desrever", affiliation="ויקימדיה 42", note="note \u202eevil"
    )
    row = next(line for line in sheet_html(session).splitlines() if "Eve" in line)
    cells = row.removeprefix("<tr>").removesuffix("</tr>").split("</td>")
    assert cells[1] == "<td><bdi>Eve \u202etxet desrever</bdi>"
    assert cells[2] == "<td><bdi>ויקימדיה 42</bdi>"
    assert cells[3].startswith("<td><time") and "\u202e" not in cells[3]
    assert cells[4] == "<td><bdi>note \u202eevil</bdi>"
    # Every registrant string on the page is isolated, not only the first row's.
    rendered = event_page(seed, context()).inline()
    for entry in session.registrations:
        if entry.public:
            assert f"<bdi>{html.escape(entry.name)}</bdi>" in rendered


def test_untrusted_text_is_escaped_and_never_markup(tricky: Event) -> None:
    rendered = markdown.markdown(event_page(tricky, context()).inline())
    assert "<script>" not in rendered
    assert "<img" not in rendered
    assert "<svg" not in rendered
    assert 'href="javascript' not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    assert "[x](javascript:alert(1))" in rendered
    # The maintainer's Markdown is Markdown; the title is shown as written.
    assert "<strong>Markdown</strong>" in rendered
    assert "Tricky names &lt;b&gt;welcome&lt;/b&gt;</h1>" in rendered


def test_private_entries_are_counted_not_named(tricky: Event) -> None:
    page = event_page(tricky, context()).inline()
    assert "Hidden Dave" not in page
    assert "1 more person signed up privately" in page


def test_waiting_list_is_apart_and_full_state_says_so(tricky: Event) -> None:
    sheet = sheet_html(tricky.sessions[0])
    main, waiting = sheet.split("Waiting list: 1 waiting")
    assert "Erin Waiting" in waiting and "Erin Waiting" not in main
    page = event_page(tricky, context()).inline()
    assert "The waiting list is open" in page
    assert ">Join the waiting list</a>" in page


def test_registration_states_follow_the_clock(tricky: Event) -> None:
    morning = "### Morning session"
    opens = parse_timestamp("2022-11-15T00:00:00Z")
    tricky.registration.opens = opens
    before = event_page(tricky, context(now=opens - timedelta(days=1))).inline()
    assert "Registration is not open yet: it opens" in before
    assert "template=register.yml" not in before
    during = event_page(tricky, context(now=opens + timedelta(days=1))).inline()
    assert "Registration is open until" in during.split(morning)[1]
    started = event_page(tricky, context(now=parse_timestamp("2022-12-01T07:30:00Z"))).inline()
    assert "Registration is closed: the session has started." in started.split(morning)[1]
    assert "template=cancel.yml" in started.split(morning)[1]
    over = event_page(tricky, context(now=parse_timestamp("2022-12-02T00:00:00Z"))).inline()
    assert over.count("This session is over.") == 2
    assert "template=cancel.yml" not in over
    tricky.sessions[1].cancelled = True
    cancelled = event_page(tricky, context()).inline()
    assert "This session is cancelled." in cancelled.split(morning)[1]


def test_the_pull_request_way_is_shown_where_the_event_takes_it(tricky: Event) -> None:
    way = "Or register with a pull request"
    assert way in event_page(tricky, context()).inline()
    tricky.registration.pull_requests = False
    page = event_page(tricky, context()).inline()
    assert way not in page
    assert ">Register</a>" in page  # the issue form stays


def test_seats_left_are_shown(tricky: Event) -> None:
    tricky.sessions[1].capacity = 10
    tricky.sessions[1].registrations = [Registration(name="Someone", source="organizer")]
    page = event_page(tricky, context()).inline()
    assert "9 of 10 seats left." in page


def test_register_and_cancel_links_prefill_the_issue_forms(tricky: Event) -> None:
    repo = Repository.from_url(REPO_URL)
    for url, template in (
        (repo.register_url(tricky, tricky.sessions[1]), "register.yml"),
        (repo.cancel_url(tricky, tricky.sessions[1]), "cancel.yml"),
    ):
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "https",
            "github.com",
            "/signupsheet/signupsheet/issues/new",
        )
        query = parse_qs(parts.query)
        assert query["template"] == [template]
        assert query["event"] == ["tricky"]
        assert query["session"] == ["morning"]
        assert query["title"][0].endswith("Tricky names <b>welcome</b> (Morning session)")
    page = event_page(tricky, context()).inline()
    assert html.escape(repo.register_url(tricky, tricky.sessions[1])) in page


@pytest.mark.parametrize(
    "url",
    ["http://github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a", "nonsense"],
)
def test_repository_must_be_on_github(url: str) -> None:
    with pytest.raises(Exception, match="repo_url"):
        Repository.from_url(url)


def test_pull_request_entry_is_accepted_by_the_check(repo_project: Project, seed: Event) -> None:
    """Adding the shown entry, with real details, is what the pull request check accepts."""
    path = f"events/{seed.id}.yaml"
    text = (REPO / path).read_text(encoding="utf-8")
    entry = pr_entry_yaml(seed.sessions[0])
    entry = entry.replace("YOUR-GITHUB-LOGIN", "newcomer").replace("WMXX", "WMAT")
    changed = text.rstrip("\n") + "\n" + entry + "\n"
    before = untrusted_yaml.parse(text.encode(), path)
    after = untrusted_yaml.parse(changed.encode(), path)
    now = parse_timestamp("2022-11-20T12:00:00Z")
    result = check_event_change(
        path, before, after, Context(author="NewComer", now=now, agreed=True), repo_project
    )
    assert result.verdict == "accept", result.reasons
    page = event_page(seed, context()).inline()
    assert "/edit/main/events/2022-11-23-vsn-training-lets-connect.yaml" in page


def test_time_tags_show_utc() -> None:
    moment = parse_timestamp("2022-11-23T14:00:00Z")
    assert time_tag(moment) == (
        '<time datetime="2022-11-23T14:00:00Z" data-ss="full">'
        'Wednesday, 23 November 2022, <span class="ss-nowrap">14:00 UTC</span></time>'
    )
    query = parse_qs(urlsplit(converter_url(moment, "A talk", 90)).query)
    assert query == {
        "msg": ["A talk"],
        "iso": ["20221123T1400"],
        "p1": ["1440"],
        "ah": ["1"],
        "am": ["30"],
    }


def test_markdown_text_escaping_round_trips() -> None:
    tricky = r"*a* _b_ [c](d) `e` <f> & \g #h !i"
    rendered = markdown.markdown(md_text(tricky))
    assert rendered == f"<p>{html.escape(tricky, quote=False)}</p>"


def test_lists_split_upcoming_and_past(seed: Event, tricky: Event) -> None:
    ctx = context(now=parse_timestamp("2022-11-25T00:00:00Z"))
    home = home_section([seed, tricky], ["volunteer-supporters-network-2022"], ctx).inline()
    upcoming = home.split("## More")[0]
    assert 'href="events/tricky/"' in upcoming and seed.id not in upcoming
    assert upcoming.index("2022-11-30T20:00:00Z") < upcoming.index("2022-12-01T07:00:00Z")
    assert "[Past events](past.md) (1)" in home
    assert "(series/volunteer-supporters-network-2022.md)" in home
    past = past_page([seed, tricky], ctx).inline()
    assert "## 2022" in past and f'href="../events/{seed.id}/"' in past and "tricky" not in past
    series = series_section("volunteer-supporters-network-2022", [seed, tricky], ctx).inline()
    assert f'href="../../events/{seed.id}/"' in series.split("## Past events")[1]
    assert "tricky" not in series


def test_markdown_parser_sees_only_headings_and_the_description(tricky: Event) -> None:
    source = event_page(tricky, context())
    for stranger in ("&lt;script&gt;", "<script>", "Erin Waiting", "Hidden Dave", "<time"):
        assert stranger not in source.markdown
    # The description is rendered and sanitised before the parser sees the page.
    assert "**Markdown**" not in source.markdown
    assert "### Morning session" in source.markdown
    indexed = source.fill(markdown.markdown(source.markdown))
    assert "<strong>Markdown</strong>" in indexed
    assert "<strong>Where:</strong>" in indexed and "What becomes public" not in indexed
    assert "Erin Waiting" not in indexed  # the sheets come after search read the page
    rendered = source.fill_late(indexed)
    assert "data-ss-part" not in rendered
    assert "Registration is open until" in rendered or "The waiting list is open" in rendered
    assert "<strong>When:</strong>" in rendered
    assert "Erin Waiting" in rendered and rendered.count('class="ss-sheet"') == len(tricky.sessions)


def test_links_follow_the_sites_url_style(seed: Event) -> None:
    policy, series = "policies/safe-space", "series/volunteer-supporters-network-2022"
    with_folders = event_page(seed, context()).inline()
    assert f'href="../../{policy}/"' in with_folders
    assert f'href="../../{series}/"' in with_folders
    assert 'href="../../registering/"' in with_folders
    assert f'href="../{seed.id}.ics"' in with_folders
    flat = event_page(seed, replace(context(), directory_urls=False)).inline()
    assert f'href="../{policy}.html"' in flat
    assert 'href="../registering.html"' in flat
    assert f'href="{seed.id}.ics"' in flat
    later = parse_timestamp("2023-01-01T00:00:00Z")
    past = past_page([seed], replace(context(now=later), directory_urls=False)).inline()
    assert f'href="events/{seed.id}.html"' in past


def test_empty_lists_say_so(seed: Event) -> None:
    later = context(now=parse_timestamp("2030-01-01T00:00:00Z"))
    home = home_section([seed], [], later)
    assert "No sessions are planned at the moment." in home.markdown
    assert home.indexed == {} and "data-ss-part" not in home.markdown
    series = series_section("volunteer-supporters-network-2022", [], later).inline()
    assert "No sessions of this series are planned at the moment." in series
    assert "None yet." in series
    assert past_page([], later).inline() == "# Past events\n\nNo event is over yet.\n"


def test_languages_are_shown_by_name(seed: Event) -> None:
    seed.languages = ["en", "de", "gsw"]
    page = event_page(seed, context()).inline()
    assert "<strong>Language:</strong> English, German, gsw</li>" in page


def facts(page: str) -> dict[str, str]:
    """The facts under an event page's title, label -> HTML."""
    return {
        label: value
        for label, value in re.findall(r"<li[^>]*><strong>([^<]+):</strong> (.*?)</li>", page)
    }


def test_the_page_says_who_organizes_and_how_to_reach_them(tricky: Event) -> None:
    """Organized by (GitHub profiles) and a contact: the event's contact page, else an issue
    that mentions the organizers; "ask the organizers" links to it."""
    tricky.organizers, tricky.contact, tricky.recording = ["Alice-Org", "bob"], None, None
    page = event_page(tricky, context()).inline()
    shown = facts(page)
    assert shown["Organized by"] == (
        '<a href="https://github.com/Alice-Org">Alice-Org</a>, '
        '<a href="https://github.com/bob">bob</a>'
    )
    assert shown["Contact"] == (
        f'<a href="{REPO_URL}/issues/new">open an issue</a> in the site\'s repository and '
        "mention @Alice-Org or @bob"
    )
    assert '<li id="ss-contact"><strong>Contact:</strong>' in page
    assert shown["Recording"] == 'not stated; <a href="#ss-contact">ask the organizers</a>'

    tricky.contact = Contact(link="https://meta.wikimedia.org/wiki/User_talk:A_<b>", name="A <b>")
    shown = facts(event_page(tricky, context()).inline())
    assert shown["Contact"] == (
        '<a href="https://meta.wikimedia.org/wiki/User_talk:A_&lt;b&gt;"><bdi>A &lt;b&gt;</bdi></a>'
    )
    tricky.organizers, tricky.contact = [], Contact(link="registering.md")
    shown = facts(event_page(tricky, context()).inline())
    assert "Organized by" not in shown
    assert shown["Contact"] == '<a href="../../registering/"><bdi>How to register</bdi></a>'
    tricky.contact = None
    shown = facts(event_page(tricky, context()).inline())
    assert shown["Contact"] == (
        f'<a href="{REPO_URL}/issues/new">open an issue</a> in the site\'s repository'
    )


def test_the_seed_event_names_its_organizer(seed: Event) -> None:
    shown = facts(event_page(seed, context()).inline())
    assert shown["Contact"] == (
        '<a href="https://meta.wikimedia.org/wiki/User_talk:Raimund_Liebert_(WMAT)">'
        "<bdi>Raimund Liebert (WMAT)</bdi></a>"
    )


def test_the_overview_says_what_each_link_down_does(tricky: Event) -> None:
    """At the top of a multi-session page: "register" where seats are open, "join the waiting
    list" where the session is full and has one."""
    page = event_page(tricky, context()).inline()
    overview = page.split("<li><strong>When:</strong>", 1)[1].split("</ul>", 1)[0]
    assert 'href="#session-evening">join the waiting list</a>' in overview
    assert 'href="#session-morning">register</a>' in overview
