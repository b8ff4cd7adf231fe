"""Where the repository is: named once, for every test and helper."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
