"""The seed event: the wiki page "VSN Training: Let's Connect", imported with all its signatures."""

from __future__ import annotations

from datetime import UTC, datetime

from paths import SEED_ID
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_catalog, load_event

# The signatures as the wiki page lists them: name, affiliation, UTC time of signing.
PAGE = [
    ("Raimund Liebert", "WMAT", "2022-11-16 13:45"),
    ("Paulina Studniczka", "WMPL", "2022-11-16 14:07"),
    ("Alhassan Mohammed Awal", None, "2022-11-16 14:17"),
    ("Martin Rulsch", "WMDE", "2022-11-16 15:15"),
    ("Sandro Halank", "WMDE", "2022-11-16 15:20"),
    ("Sara Thomas", "WMUK", "2022-11-17 15:15"),
    ("Richard Nevell", "WMUK", None),
    ("Tania Solá", "WMMX", "2022-11-18 22:52"),
    ("Bile rene", None, "2022-11-22 16:21"),
    ("Musa Vacho77", None, "2022-11-22 16:21"),
    ("Zend2020Zend2020", None, None),
    ("Onwuka Glory", None, "2022-11-22 18:06"),
    ("Aderiqueza", None, "2022-11-22 21:08"),
    ("Aboubacarkhoraa", None, "2022-11-22 19:36"),
    ("CaliBen", None, "2022-11-22 19:43"),
    ("Dade70", None, "2022-11-22 19:44"),
    ("Mehman 97", None, "2022-11-22 20:02"),
    ("aegis maelstrom δ", None, "2022-11-22 20:16"),
    ("Accuratecy051", None, "2022-11-22 21:38"),
    ("Bukky658", None, "2022-11-22 23:33"),
    ("Zblace", None, "2022-11-22 23:44"),
    ("AgnesAbah", None, "2022-11-23 05:33"),
    ("Ridzaina", None, "2022-11-23 07:00"),
    ("Małgorzata Gramatnikowska", "WMPL", "2022-11-23 07:09"),
    ("Ritamaliqi", None, "2022-11-23 08:51"),
    ("Aliyu shaba", None, "2022-11-23 07:36"),
    ("Agbalagba", None, "2022-11-23 08:24"),
    ("Jon Harald Søby", "WMNO", "2022-11-23 13:33"),
    ("Vyolltsa", None, None),
    ("Anisa Kuci", "WMIT", "2022-11-23 14:33"),
    ("James Rhoda", None, "2022-11-23 18:01"),
    ("ShahajadaSJ7", None, "2022-11-24 18:01"),
    ("Akwugo", None, "2023-02-28 13:55"),
]


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def test_the_repository_validates(repo_project: Project) -> None:
    catalog = load_catalog(repo_project)
    assert catalog.problems == []
    assert SEED_ID in [event.id for event in catalog.events]


def test_the_seed_event_says_what_the_page_says(repo_project: Project) -> None:
    event = load_event(repo_project, SEED_ID)
    assert event.title == "VSN Training: Let's Connect"
    assert event.description is not None
    assert "Let's Connect is the new peer learning program" in event.description
    assert "interactive exercises" in event.description
    assert [(s.name, s.affiliation) for s in event.speakers] == [
        ("JStephenson", "WMF"),
        ("Justice Okai-Allotey", None),
    ]
    assert event.series == "volunteer-supporters-network-2022"
    assert event.policy == "policies/safe-space.md"
    assert event.location is not None
    assert (event.location.mode, event.location.platform) == ("online", "Zoom")
    [session] = event.sessions
    assert (session.start, session.end) == (utc("2022-11-23 14:00"), utc("2022-11-23 15:00"))
    assert session.start.strftime("%A") == "Wednesday"
    assert session.capacity is None


def test_the_seed_event_has_all_33_signatures_in_the_page_order(repo_project: Project) -> None:
    [session] = load_event(repo_project, SEED_ID).sessions
    entries = session.registrations
    assert len(entries) == 33
    assert [(e.name, e.affiliation, e.registered) for e in entries] == [
        (name, affiliation, None if when is None else utc(when)) for name, affiliation, when in PAGE
    ]
    assert all(e.source == "import" and e.login is None for e in entries)
    assert all(e.status == "confirmed" and e.visibility == "public" for e in entries)
    notes = {e.name: e.note for e in entries if e.note is not None}
    assert notes == {"Martin Rulsch": "Two meetings in parallel. Let's see if we can connect."}


def test_the_late_signature_keeps_its_true_date(repo_project: Project) -> None:
    event = load_event(repo_project, SEED_ID)
    last = event.sessions[0].registrations[-1]
    assert (last.name, last.registered) == ("Akwugo", utc("2023-02-28 13:55"))
    assert last.registered is not None and last.registered > event.end
    text = repo_project.event_path(SEED_ID).read_text(encoding="utf-8")
    assert "28 February 2023" in text  # the comment that explains it to a reader


def test_the_policy_page_covers_the_rules_and_links_its_source(repo_project: Project) -> None:
    text = (repo_project.docs_dir / "policies" / "safe-space.md").read_text(encoding="utf-8")
    for topic in ("Friendliness", "Openness", "Identity", "Privacy", "Data protection"):
        assert topic in text
    for section in ("Facilitation", "Enforcement"):
        assert f"## {section}" in text
    assert "https://meta.wikimedia.org/wiki/" in text
