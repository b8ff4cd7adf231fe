"""Where a signupsheet site keeps its files. Passed in, never looked up deep inside."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def events_dir(self) -> Path:
        return self.root / "events"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def schema_path(self) -> Path:
        return self.root / "schema" / "event.schema.json"

    @property
    def banlist_path(self) -> Path:
        return self.root / "banlist.txt"

    @property
    def contact_key_path(self) -> Path:
        """The site's public key for sealed contacts (`signupsheet contact-key new`): public,
        committed, read by the event pages and `seal-contact`."""
        return self.root / "contact-key.pub"

    @property
    def confirmations_path(self) -> Path:
        """Today's confirmation mails as keyed hashes (delivery/confirmation.py): committed, so
        every run of the workflow sees it, and unreadable without SIGNUPSHEET_CONTACT_KEY."""
        return self.root / "contact-confirmations.txt"

    @property
    def notices_path(self) -> Path:
        """Who was told on their registration issue how to get the meeting link
        (delivery/notices_told.py): committed, so every run of the workflow sees it."""
        return self.root / "link-notices.txt"

    @property
    def forms_dir(self) -> Path:
        return self.root / ".github" / "ISSUE_TEMPLATE"

    def event_path(self, event_id: str) -> Path:
        return self.events_dir / f"{event_id}.yaml"

    def display(self, path: Path) -> str:
        """The path as people see it in messages: relative to the project, with slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
