"""Session times read the same in every output and on every machine, whatever its locale."""

from __future__ import annotations

import locale
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from conftest import REPO_URL, context
from link_site import mail_text
from paths import REPO
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.rules import Outcome
from signupsheet.core.time_text import span_text, time_text
from signupsheet.delivery.sending import unreachable_notice
from signupsheet.organizer.new_event import NewEvent, render_new
from signupsheet.registration.applying import Applied
from signupsheet.registration.issues.form_events import render_list
from signupsheet.registration.issues.issue_replies import registration_reply
from signupsheet.registration.pulls.pull_replies import accepted_reply
from signupsheet.site.calendars import event_calendar
from signupsheet.site.feeds import atom_feed
from signupsheet.site.links import Repository
from signupsheet.site.pages import event_page
from signupsheet.site.urls import PublishedSite

# Directives whose output follows LC_TIME: names of days and months, AM/PM, the locale's formats.
_LOCALE_DIRECTIVE = re.compile(r"%[-_0^#]*[aAbBhcxXp]")


class _LocaleTrap(datetime):
    """A datetime that fails the test when formatted with a locale-dependent directive."""

    def strftime(self, fmt: str) -> str:
        if _LOCALE_DIRECTIVE.search(fmt):
            raise AssertionError(f"locale-dependent strftime: {fmt!r}")
        return super().strftime(fmt)

    def __format__(self, fmt: str) -> str:
        if _LOCALE_DIRECTIVE.search(fmt):
            raise AssertionError(f"locale-dependent format: {fmt!r}")
        return super().__format__(fmt)


def at(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return _LocaleTrap(*moment.timetuple()[:6], tzinfo=UTC)


# Thursday; the second session runs past midnight into Friday.
FIRST = Session("main", at("2026-12-03T14:00:00"), at("2026-12-03T15:30:00"))
LATE = Session("late", at("2026-12-10T22:00:00"), at("2026-12-11T01:00:00"))
FIRST_TEXT = "Thursday, 3 December 2026, 14:00 to 15:30 UTC"
LATE_TEXT = "Thursday, 10 December 2026, 22:00 UTC to Friday, 11 December 2026, 01:00 UTC"


def one_session() -> Event:
    entry = Registration(name="Ann A.", login="ann", registered=at("2026-11-20T09:05:00"))
    session = Session(FIRST.id, FIRST.start, FIRST.end, registrations=[entry])
    return Event(id="2026-12-03-meetup", title="Meetup", sessions=[session])


def two_sessions() -> Event:
    return Event(
        id="2026-12-03-course",
        title="Course",
        sessions=[FIRST, LATE],
        created=at("2026-11-01T09:00:00"),
    )


def test_the_styles_of_one_moment() -> None:
    moment = at("2026-12-03T09:05:00")
    assert time_text(moment) == "Thursday, 3 December 2026, 09:05 UTC"
    assert time_text(moment, "date") == "3 Dec 2026, 09:05 UTC"
    assert time_text(moment, "end") == "09:05 UTC"
    vienna = ZoneInfo("Europe/Vienna")
    assert time_text(moment, "full", vienna) == "Thursday, 3 December 2026, 10:05 Europe/Vienna"


def test_every_day_and_month_has_its_english_name() -> None:
    names = {time_text(at("2026-01-05T12:00:00") + timedelta(days=d)) for d in range(7)}
    days = {name.split(",")[0] for name in names}
    assert days == {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    months = [time_text(at(f"2026-{m:02d}-01T12:00:00")).split()[2] for m in range(1, 13)]
    assert months[0] == "January" and months[4] == "May" and months[11] == "December"
    assert len(set(months)) == 12


def test_a_span_names_the_end_day_only_when_it_differs() -> None:
    assert span_text(FIRST.start, FIRST.end) == FIRST_TEXT
    assert span_text(LATE.start, LATE.end) == LATE_TEXT
    # Vienna is UTC+1 in December: 22:00 UTC is 23:00 there, 01:00 UTC the next day's 02:00.
    vienna = ZoneInfo("Europe/Vienna")
    assert span_text(FIRST.start, FIRST.end, vienna) == (
        "Thursday, 3 December 2026, 15:00 to 16:30 Europe/Vienna"
    )
    assert span_text(LATE.start, LATE.end, vienna).endswith(
        "to Friday, 11 December 2026, 02:00 Europe/Vienna"
    )


FOREIGN = ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "es_ES.UTF-8")


def _set_foreign_locale() -> str | None:
    for name in FOREIGN:
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        return name
    return None


@pytest.fixture(scope="module")
def compiled_locales(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A German locale compiled from glibc's sources (where they are installed), for machines
    that install only C."""
    localedef = shutil.which("localedef")
    if localedef is None:
        return None
    folder = tmp_path_factory.mktemp("locales")
    made = subprocess.run(
        [localedef, "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")],
        capture_output=True,
        check=False,
    )
    # localedef exits 1 when it only warned; the locale is written all the same.
    return folder if (folder / "de_DE.UTF-8").is_dir() and made.returncode in (0, 1) else None


@pytest.fixture
def foreign_locale(compiled_locales: Path | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    saved = locale.setlocale(locale.LC_TIME)
    try:
        name = _set_foreign_locale()
        if name is None and compiled_locales is not None:
            monkeypatch.setenv("LOCPATH", str(compiled_locales))
            name = _set_foreign_locale()
        if name is None:
            pytest.skip("no non-English locale is installed or can be compiled (`locale -a`)")
        yield name
    finally:
        locale.setlocale(locale.LC_TIME, saved)


def test_a_foreign_locale_changes_nothing(foreign_locale: str) -> None:
    plain = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    assert plain.strftime("%A") != "Thursday", f"{foreign_locale} names days in English"
    assert time_text(plain) == "Thursday, 3 December 2026, 14:00 UTC"
    assert span_text(FIRST.start, FIRST.end) == FIRST_TEXT


def test_the_trap_catches_locale_dependent_formatting() -> None:
    # What the outputs below rely on: formatting a name through strftime fails the test.
    with pytest.raises(AssertionError):
        f"{FIRST.start:%A}"
    with pytest.raises(AssertionError):
        FIRST.start.strftime("%d %b %Y")
    assert FIRST.start.strftime("%Y%m%dT%H%M") == "20261203T1400"


# --- every output that shows a session's time ---------------------------------------------------


def test_the_event_page() -> None:
    page = event_page(two_sessions(), context(now=at("2026-11-20T00:00:00"))).inline()
    assert '>Thursday, 3 December 2026, <span class="ss-nowrap">14:00 UTC</span></time>' in page
    assert '><span class="ss-nowrap">15:30 UTC</span></time>' in page
    # An untitled session is headed by its time, which the script shows in the reader's zone.
    heading = (
        '### <time datetime="2026-12-03T14:00:00Z" data-ss="heading">3 Dec 2026, 14:00 UTC</time>'
    )
    assert heading in page


def test_issue_form_titles_and_calendar_entries() -> None:
    event = two_sessions()
    repository = Repository.from_url(REPO_URL)
    assert "title=Register%3A%20Course%20%283%20Dec%202026%2C%2014%3A00%20UTC%29" in (
        repository.register_url(event, FIRST)
    )
    site = PublishedSite("https://events.example.org/")
    calendar = Calendar.from_ical(event_calendar(event, site))
    summaries = [str(vevent["summary"]) for vevent in calendar.walk("VEVENT")]
    assert summaries == ["Course (3 Dec 2026, 14:00 UTC)", "Course (10 Dec 2026, 22:00 UTC)"]


def test_the_reply_on_a_registration_issue() -> None:
    event = one_session()
    outcome = Outcome("registered", event.id, "main", "ann", "registered", status="confirmed")
    reply = registration_reply(outcome, event, "0" * 16, REPO_URL)
    assert f"session `main` ({FIRST_TEXT})" in reply


def test_the_reply_on_a_pull_request() -> None:
    event = one_session()
    outcome = Outcome("registered", event.id, "main", "ann", "registered", status="confirmed")
    reply = accepted_reply(Applied(outcome, event), "a" * 40, repo_url=REPO_URL)
    assert f"session `main` ({FIRST_TEXT})" in reply


def test_the_link_mail_and_the_notice_without_an_address() -> None:
    event = one_session()
    subject, plain = mail_text(event, event.sessions[0], at("2026-12-03T13:10:00"), REPO_URL)
    assert subject == "Your link for Meetup, 3 Dec 2026, 14:00 UTC"
    assert f"When: {FIRST_TEXT}." in plain
    _, notice = unreachable_notice(event, event.sessions[0])
    assert f"({FIRST_TEXT})" in notice


def test_the_list_of_open_events_in_the_forms() -> None:
    listing = render_list([two_sessions()], None)
    assert "`main` 3 Dec 2026, 14:00 UTC<br>`late` 10 Dec 2026, 22:00 UTC |" in listing


def test_the_feed() -> None:
    site = PublishedSite("https://events.example.org/")
    feed = atom_feed([two_sessions()], site, "Events", at("2026-11-20T00:00:00")).decode()
    assert f"When: {FIRST_TEXT}, {LATE_TEXT}." in feed


def test_the_comments_of_a_new_event_file() -> None:
    vienna = ZoneInfo("Europe/Vienna")
    spec = NewEvent(title="Meetup", spans=[(FIRST.start, FIRST.end)], zone=vienna)
    assert "# Thursday, 3 December 2026, 15:00 to 16:30 Europe/Vienna" in render_new(spec)


OUTPUTS: list[Callable[[], object]] = [
    test_the_event_page,
    test_issue_form_titles_and_calendar_entries,
    test_the_reply_on_a_registration_issue,
    test_the_reply_on_a_pull_request,
    test_the_link_mail_and_the_notice_without_an_address,
    test_the_list_of_open_events_in_the_forms,
    test_the_feed,
    test_the_comments_of_a_new_event_file,
]


def test_every_output_reads_the_same_in_a_foreign_locale(foreign_locale: str) -> None:
    for output in OUTPUTS:
        output()


LOCALE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*%[aAbB][^{}]*\}|strftime\([^)]*%[aAbB]")


def test_no_module_formats_names_through_the_locale() -> None:
    """The trap above guards the outputs it runs; this reads every module, importer included."""
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "scripts" / "signupsheet").rglob("*.py"))
        if path.name != "time_text.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LOCALE_FORMAT.search(line)
    ]
    assert found == []
    assert LOCALE_FORMAT.search('f"{day:%B %Y}"') and LOCALE_FORMAT.search("d.strftime('%a')")
