"""The site's key pair for sealed contacts: writing the public key, re-sealing on rotation.

The public key is a file in the repository (`contact-key.pub`): the event pages embed it and
`signupsheet seal-contact` reads it, and publishing it is harmless. The private key never touches
a file here; the command prints it once for the secret `SIGNUPSHEET_CONTACT_KEY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from signupsheet.core.project import Project
from signupsheet.core.sealed_contact import public_key_of, reseal
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.eventfiles.catalog import load_event
from signupsheet.eventfiles.sheet_editing import write_sheets


def read_public_key(project: Project) -> str | None:
    path = project.contact_key_path
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def write_public_key(project: Project, public: str) -> None:
    atomic_write(project.contact_key_path, public + "\n")


@dataclass
class Rotation:
    resealed: int = 0
    # Places (event/session entry N), never logins or addresses: seals the old key cannot open.
    failed: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def rotate(project: Project, old_private: str, new_private: str) -> Rotation:
    """Re-seal every stored contact from the old key to the new one, then publish the new public
    key. Seals that do not open with the old key are left as they are and reported."""
    new_public = public_key_of(new_private)
    public_key_of(old_private)  # fail on a malformed old key before touching any file
    result = Rotation()
    for path in sorted(project.events_dir.glob("*.yaml")):
        event = load_event(project, path.stem)
        changed = False
        for session in event.sessions:
            for position, entry in enumerate(session.registrations, start=1):
                if entry.contact is None:
                    continue
                try:
                    contact = reseal(old_private, new_public, entry.contact)
                except ValueError:
                    result.failed.append(f"{event.id}/{session.id} entry {position}")
                    continue
                session.registrations[position - 1] = replace(entry, contact=contact)
                result.resealed += 1
                changed = True
        if changed:
            write_sheets(path, event)
            result.written.append(path)
    write_public_key(project, new_public)
    return result
