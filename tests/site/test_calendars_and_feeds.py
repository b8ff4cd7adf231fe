"""Calendar files, the Atom feed and events.json, parsed back with real parsers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import icalendar
import jsonschema_rs

from conftest import SEED_NOW, SITE_URL, golden
from paths import REPO
from signupsheet.core.model import Event, parse_timestamp
from signupsheet.delivery.link_mail import build_ics
from signupsheet.site.calendars import event_calendar, site_calendar
from signupsheet.site.feeds import atom_feed, events_data, events_json
from signupsheet.site.urls import PublishedSite

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = PublishedSite(SITE_URL)


def test_seed_ics_matches_golden_and_parses_back(seed: Event) -> None:
    raw = event_calendar(seed, SITE)
    assert raw.decode() == golden("seed-event.ics", raw.decode())
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    vevent = events[0]
    assert str(vevent["UID"]) == "2022-11-23-vsn-training-lets-connect.main@signupsheet"
    assert vevent.decoded("DTSTART") == datetime(2022, 11, 23, 14, 0, tzinfo=UTC)
    assert vevent.decoded("DTEND") == datetime(2022, 11, 23, 15, 0, tzinfo=UTC)
    assert "DTSTART:20221123T140000Z" in raw.decode()
    assert str(vevent["URL"]) == f"{SITE_URL}events/2022-11-23-vsn-training-lets-connect/"
    assert str(vevent["SUMMARY"]) == "VSN Training: Let's Connect"
    assert str(vevent["LOCATION"]) == "online, Zoom"
    description = str(vevent["DESCRIPTION"])
    assert "peer learning" in description and "zoom.us" not in description
    assert "sent by e-mail" in description


def test_uids_are_stable_and_one_per_session(tricky: Event) -> None:
    first = event_calendar(tricky, SITE)
    # Nothing in a calendar depends on when it is built: DTSTAMP comes from the file.
    assert site_calendar([tricky], SITE, SEED_NOW, "E") == site_calendar(
        [tricky], SITE, SEED_NOW + timedelta(hours=3), "E"
    )
    uids = [str(event["UID"]) for event in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert uids == ["tricky.evening@signupsheet", "tricky.morning@signupsheet"]
    summaries = [
        str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(first).walk("VEVENT")
    ]
    assert summaries[1] == "Tricky names <b>welcome</b> (Morning session)"


def test_mailed_invitations_update_the_sites_calendar_entry(tricky: Event) -> None:
    """The confirmation's and the link mail's invitation carry the site calendar's UID: a
    calendar that holds both shows one entry per session, not two."""
    site = icalendar.Calendar.from_ical(event_calendar(tricky, SITE))
    site_uids = [str(vevent["UID"]) for vevent in site.walk("VEVENT")]
    mailed = []
    for session in tricky.sessions:
        for link in (None, "https://meet.example.org/x"):
            invitation = icalendar.Calendar.from_ical(build_ics(tricky, session, link, SEED_NOW))
            mailed += [str(vevent["UID"]) for vevent in invitation.walk("VEVENT")]
    assert mailed == [uid for uid in site_uids for _ in range(2)]
    assert len(set(site_uids)) == len(tricky.sessions)


def test_cancelled_session_is_cancelled_in_calendars(tricky: Event) -> None:
    tricky.sessions[1].cancelled = True
    calendar = icalendar.Calendar.from_ical(event_calendar(tricky, SITE))
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CONFIRMED", "CANCELLED"]
    # For clients that ignore STATUS, the title says it as well.
    titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert not titles[0].startswith("Cancelled") and titles[1].startswith("Cancelled: ")


def test_dtstamp_is_the_events_last_revision(tricky: Event, seed: Event) -> None:
    times = [e.registered for s in tricky.sessions for e in s.registrations if e.registered]
    assert tricky.created is not None and times
    newest = max([tricky.created, *times])
    for vevent in icalendar.Calendar.from_ical(event_calendar(tricky, SITE)).walk("VEVENT"):
        assert vevent.decoded("DTSTAMP") == newest
    # A link_sent mark is a revision too.
    later = newest + timedelta(days=1)
    tricky.sessions[0].registrations[0].link_sent = later
    vevent = icalendar.Calendar.from_ical(event_calendar(tricky, SITE)).walk("VEVENT")[0]
    assert vevent.decoded("DTSTAMP") == later


def test_empty_site_calendar_still_holds_a_component(seed: Event) -> None:
    raw = site_calendar([seed], SITE, parse_timestamp("2030-01-01T00:00:00Z"), "Events")
    calendar = icalendar.Calendar.from_ical(raw)
    assert list(calendar.walk("VEVENT")) == []
    # RFC 5545 §3.6: at least one component; required properties present.
    assert len(calendar.subcomponents) >= 1
    assert (str(calendar["VERSION"]), str(calendar["X-WR-CALNAME"])) == ("2.0", "Events")
    assert calendar["PRODID"]
    for component in calendar.subcomponents:
        assert component.errors == []


def test_site_calendar_keeps_upcoming_and_recent_sessions(seed: Event, tricky: Event) -> None:
    def uids(now: datetime) -> list[str]:
        raw = site_calendar([seed, tricky], SITE, now, "Events", timedelta(days=30))
        return [str(e["UID"]) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")]

    assert len(uids(SEED_NOW)) == 3
    assert uids(parse_timestamp("2022-12-24T00:00:00Z")) == [
        "tricky.evening@signupsheet",
        "tricky.morning@signupsheet",
    ]
    assert uids(parse_timestamp("2023-06-01T00:00:00Z")) == []


def test_atom_feed_lists_events_by_date_added(seed: Event, tricky: Event) -> None:
    raw = atom_feed([seed, tricky], SITE, "Events", SEED_NOW)
    root = ET.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    # tricky was created on 1 November; the seed has no `created` and is dated by its newest
    # sign-up, which is later.
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "VSN Training: Let's Connect",
        "Tricky names <b>welcome</b>",
    ]
    link = entries[1].find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"{SITE_URL}events/tricky/"
    summary = entries[1].findtext(f"{ATOM}summary") or ""
    assert "Wednesday, 30 November 2022, 20:00 to 21:30 UTC" in summary
    assert tricky.created is not None
    assert parse_timestamp(entries[1].findtext(f"{ATOM}published", "")) == tricky.created
    assert parse_timestamp(entries[1].findtext(f"{ATOM}updated", "")) == tricky.created
    newest_sign_up = max(
        e.registered for s in seed.sessions for e in s.registrations if e.registered
    )
    assert parse_timestamp(entries[0].findtext(f"{ATOM}updated", "")) == newest_sign_up
    assert entries[0].find(f"{ATOM}published") is None
    assert parse_timestamp(root.findtext(f"{ATOM}updated", "")) == newest_sign_up


def test_atom_feed_never_dates_an_event_at_its_start(tricky: Event) -> None:
    # A future event with neither `created` nor any sign-up: no date the file gives.
    for session in tricky.sessions:
        session.registrations = []
    tricky.created = None
    assert (
        ET.fromstring(atom_feed([tricky], SITE, "Events", SEED_NOW)).findall(f"{ATOM}entry") == []
    )
    tricky.created = SEED_NOW - timedelta(days=2)
    entries = ET.fromstring(atom_feed([tricky], SITE, "Events", SEED_NOW)).findall(f"{ATOM}entry")
    assert [parse_timestamp(e.findtext(f"{ATOM}published", "")) for e in entries] == [
        tricky.created
    ]


def test_events_json_has_counts_and_no_private_names(tricky: Event, seed: Event) -> None:
    data = events_data([seed, tricky], SITE, SEED_NOW)
    text = json.dumps(data)
    assert "Hidden Dave" not in text and "dave" not in text
    evening = data["events"][1]["sessions"][0]
    assert (evening["confirmed"], evening["waitlisted"], evening["private"]) == (4, 1, 1)
    assert evening["state"] == "full"
    assert [e["name"] for e in evening["public_entries"]][-1] == "Erin Waiting"
    assert data["events"][0]["sessions"][0]["confirmed"] == 33
    assert data["events"][0]["sessions"][0]["state"] == "open"


def _undescribed(schema: object, where: str = "#") -> list[str]:
    """Every property (and definition) of a schema that has no description."""
    missing: list[str] = []
    if isinstance(schema, dict):
        for group in ("properties", "$defs"):
            for name, sub in schema.get(group, {}).items():
                if not isinstance(sub, dict) or "description" not in sub:
                    missing.append(f"{where}/{group}/{name}")
        for key, sub in schema.items():
            missing += _undescribed(sub, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, sub in enumerate(schema):
            missing += _undescribed(sub, f"{where}/{index}")
    return missing


def test_events_json_follows_its_published_schema(tricky: Event, seed: Event) -> None:
    schema = json.loads((REPO / "schema" / "events.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _undescribed(schema) == []
    tricky.sessions[1].cancelled = True
    now = SEED_NOW.replace(microsecond=123456)
    data = json.loads(events_json([seed, tricky], SITE, now))
    validator = jsonschema_rs.validator_for(schema)
    assert [error.message for error in validator.iter_errors(data)] == []
    # Whole seconds, like every other time in the file.
    assert data["generated"] == SEED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The schema is strict enough to notice a field it does not describe.
    data["events"][0]["sessions"][0]["extra"] = 1
    assert not validator.is_valid(data)
