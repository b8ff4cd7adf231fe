"""Where the repository is, and its seed event: named once, for every test and helper."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The event imported from the wiki page this project replaces: the repository's one event file.
SEED_ID = "2022-11-23-vsn-training-lets-connect"
