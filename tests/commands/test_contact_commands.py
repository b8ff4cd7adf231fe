"""`contact-key`, `seal-contact` and `register --contact`, end to end on a site folder."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from signupsheet.core.model import Event, Session
from signupsheet.core.project import Project
from signupsheet.core.sealed_contact import Opened, open_sealed, public_key_of
from signupsheet.eventfiles.catalog import load_event
from signupsheet.eventfiles.event_writer import render_event

START = datetime(2026, 12, 3, 14, tzinfo=UTC)
NOW = "2026-11-20T10:00:00Z"
ADDRESS = "grace.hopper@example.net"
EVENT = "2026-12-03-meetup"


@pytest.fixture
def site(site_project: Project) -> Project:
    event = Event(
        id=EVENT,
        title="Meetup",
        sessions=[Session(id="main", start=START, end=START + timedelta(hours=1))],
    )
    site_project.event_path(EVENT).write_text(render_event(event), encoding="utf-8")
    return site_project


def _cli(project: Project, *argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "signupsheet", "--root", str(project.root), *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def _new_key(project: Project) -> str:
    code, out, err = _cli(project, "contact-key", "new", "--force")
    assert code == 0, err
    return out.strip()


def test_new_prints_only_the_private_key_and_writes_the_public_one(site: Project) -> None:
    code, out, err = _cli(site, "contact-key", "new")
    assert code == 0, err
    private = out.strip()
    assert out == private + "\n"  # alone on stdout: $(signupsheet contact-key new) is the key
    assert len(base64.b64decode(private)) == 32
    assert private not in err
    public = site.contact_key_path.read_text(encoding="utf-8").strip()
    assert public == public_key_of(private)
    # A second `new` would orphan every seal made to the first key.
    code, out, err = _cli(site, "contact-key", "new")
    assert (code, out) == (1, "")
    assert site.contact_key_path.read_text(encoding="utf-8").strip() == public


def test_seal_contact_prints_a_seal_only_the_key_opens(site: Project) -> None:
    private = _new_key(site)
    code, out, err = _cli(site, "seal-contact", "--user", "grace", "--event", EVENT, ADDRESS)
    assert code == 0, err
    sealed = out.strip()
    assert out == sealed + "\n" and ADDRESS not in out
    assert open_sealed(private, sealed, login="grace", event=EVENT) == Opened(
        ADDRESS, "grace", EVENT
    )
    code, out, err = _cli(
        site, "seal-contact", "--user", "grace", "--event", EVENT, "Grace <g@example.net>"
    )
    assert (code, out) == (1, "")
    assert "example.net" not in err


def _register(site: Project, sealed: str, user: str, key: str | None) -> tuple[int, str]:
    env = {"SIGNUPSHEET_CONTACT_KEY": key or ""}
    code, out, err = _cli(
        site, "register", EVENT, "--user", user, "--contact", sealed, "--now", NOW, env=env
    )
    return code, out + err


def test_register_keeps_a_seal_for_the_person_and_refuses_another(site: Project) -> None:
    private = _new_key(site)
    _, sealed, _ = _cli(site, "seal-contact", "--user", "grace", "--event", EVENT, ADDRESS)
    sealed = sealed.strip()
    code, said = _register(site, sealed, "alan", private)
    assert code == 1 and "another GitHub account" in said
    assert load_event(site, EVENT).sessions[0].registrations == []
    code, said = _register(site, sealed, "grace", private)
    assert code == 0, said
    (entry,) = load_event(site, EVENT).sessions[0].registrations
    assert entry.contact == sealed
    assert ADDRESS not in site.event_path(EVENT).read_text(encoding="utf-8")


def test_without_the_key_a_seal_is_kept_unread(site: Project) -> None:
    _new_key(site)
    _, sealed, _ = _cli(site, "seal-contact", "--user", "grace", "--event", EVENT, ADDRESS)
    code, said = _register(site, sealed.strip(), "grace", None)
    assert code == 0 and "kept unread" in said
    assert load_event(site, EVENT).sessions[0].registrations[0].contact == sealed.strip()
    code, said = _register(site, "not-a-seal", "grace", None)
    assert code == 1 and "not a sealed text" in said


def test_rotate_reseals_every_contact_to_the_new_key(site: Project) -> None:
    old = _new_key(site)
    _, sealed, _ = _cli(site, "seal-contact", "--user", "grace", "--event", EVENT, ADDRESS)
    assert _register(site, sealed.strip(), "grace", old)[0] == 0
    new = _new_key(site)  # what an organizer does after saving the old key
    code, out, err = _cli(
        site,
        "contact-key",
        "rotate",
        env={"SIGNUPSHEET_CONTACT_KEY": old, "SIGNUPSHEET_NEW_CONTACT_KEY": new},
    )
    assert code == 0, err
    assert old not in out + err and new not in out + err
    moved = load_event(site, EVENT).sessions[0].registrations[0].contact
    assert moved is not None and moved != sealed.strip()
    assert open_sealed(new, moved, login="grace", event=EVENT) == Opened(ADDRESS, "grace", EVENT)
    assert site.contact_key_path.read_text(encoding="utf-8").strip() == public_key_of(new)
    # Rotating again from the old key: nothing opens, each place is reported, nothing changes.
    code, _, err = _cli(
        site,
        "contact-key",
        "rotate",
        env={"SIGNUPSHEET_CONTACT_KEY": old, "SIGNUPSHEET_NEW_CONTACT_KEY": new},
    )
    assert code == 1 and f"{EVENT}/main entry 1" in err
    assert load_event(site, EVENT).sessions[0].registrations[0].contact == moved


# Not base64 at all; base64 of 16 bytes (a key cut short); of 36 bytes (too long).
MALFORMED_KEYS = ("not base64 at all!", base64.b64encode(b"k" * 16).decode(), "A" * 44 + "AAAA")


@pytest.mark.parametrize("bad", MALFORMED_KEYS)
@pytest.mark.parametrize(
    "argv",
    [
        ("sweep", "--repo", "owner/site", "--event-path", os.devnull),
        ("pull-request", "--repo", "owner/site", "--number", "7"),
        ("check-pr", "--base", "HEAD", "--head", "HEAD", "--author", "grace", "--agree-policy"),
        ("send-links", "--now", NOW),
        ("contact-key", "rotate"),
    ],
    ids=lambda argv: argv[0] if isinstance(argv, tuple) else None,
)
def test_a_malformed_contact_key_is_a_configuration_error_named_not_shown(
    site: Project, argv: tuple[str, ...], bad: str
) -> None:
    good = _new_key(site)
    before = site.event_path(EVENT).read_text(encoding="utf-8")
    env = {
        "SIGNUPSHEET_CONTACT_KEY": bad,
        "SIGNUPSHEET_NEW_CONTACT_KEY": good,
        # Nowhere to reach: a command that went on past its start would fail otherwise.
        "GITHUB_TOKEN": "t0ken",
        "GITHUB_API_URL": "http://127.0.0.1:9",
        "SIGNUPSHEET_MEETING_LINKS": "",
    }
    code, out, err = _cli(site, *argv, env=env)
    assert code == 2, out + err
    assert "configuration error: SIGNUPSHEET_CONTACT_KEY is not a private key" in err
    assert "contact-key new" in err  # how to fix it
    assert "Traceback" not in err
    assert bad not in out + err and bad.strip("!") not in out + err
    assert site.event_path(EVENT).read_text(encoding="utf-8") == before


def test_rotate_names_a_malformed_new_key(site: Project) -> None:
    good = _new_key(site)
    public = site.contact_key_path.read_text(encoding="utf-8")
    bad = MALFORMED_KEYS[1]
    env = {"SIGNUPSHEET_CONTACT_KEY": good, "SIGNUPSHEET_NEW_CONTACT_KEY": bad}
    code, out, err = _cli(site, "contact-key", "rotate", env=env)
    assert code == 2 and "SIGNUPSHEET_NEW_CONTACT_KEY is not a private key" in err
    assert bad not in out + err and good not in out + err and "Traceback" not in err
    assert site.contact_key_path.read_text(encoding="utf-8") == public
