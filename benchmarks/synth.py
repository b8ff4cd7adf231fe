"""Synthetic event files for benchmarks: valid, realistic in size and shape (about 4 KB each).

`write_events` only writes event files; `synthetic_site` makes a site folder around them (the
schema and the policy page they refer to; tests/sitekit.py makes it), ready for `Project(root)`.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from sitekit import make_site

POLICY = "policies/safe-space.md"

_FIRST = ["Ada", "Bola", "Chen", "Dagny", "Emeka", "Farah", "Ivo", "Jun"]
_LAST = ["Okafor", "Moreau", "Sato", "Silva", "Petrov", "Quispe", "Rossi"]
_AFFILIATIONS = ["WMDE", "WMAT", "WMPL", "WMUK", None, None, None, None, None, None]
_NOTES = [
    "Looking forward to it.",
    "I may join a few minutes late.",
    "Two meetings in parallel. Let's see if we can connect.",
]

_DESCRIPTION = """\
  A training for people who support volunteers in Wikimedia affiliates.

  - a short introduction, then group work in breakout rooms
  - see [the program page](https://meta.wikimedia.org/wiki/VSN)
"""


def _event_text(index: int, registrations: int, rng: random.Random, policy: str | None) -> str:
    start = datetime(2030, 1, 1, 14, tzinfo=UTC) + timedelta(days=index % 3650, hours=index % 7)
    end = start + timedelta(hours=1, minutes=30)
    lines = [
        "# yaml-language-server: $schema=../schema/event.schema.json",
        "",
        f'title: "Synthetic training {index}: peer learning in practice"',
        "summary: How peer learning works in practice.",
        "description: |",
        _DESCRIPTION.rstrip("\n"),
        "type: training",
        "tags: [peer-learning, training]",
        "languages: [en]",
        "speakers:",
        "  - name: Justice Okai-Allotey",
        "  - name: JStephenson",
        "    affiliation: WMF",
        "organizers: [vsn-team, Raimund-L]",
        "location:",
        "  mode: online",
        "  platform: Zoom",
        "recording: not-recorded",
    ]
    if policy is not None:
        lines.append(f"policy: {policy}")
    lines += [
        "registration:",
        "  link_lead_minutes: 30",
        "sessions:",
        "  - id: main",
        f"    start: {start:%Y-%m-%dT%H:%M:%SZ}",
        f"    end: {end:%Y-%m-%dT%H:%M:%SZ}",
        f"    capacity: {registrations + 10}",
        "    registrations:",
    ]
    signed = start - timedelta(days=14)
    for number in range(registrations):
        signed += timedelta(minutes=rng.randint(5, 600))
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        lines.append(f"      - login: {first}-{number}")
        lines.append(f"        name: {first} {last}")
        affiliation = rng.choice(_AFFILIATIONS)
        if affiliation is not None:
            lines.append(f"        affiliation: {affiliation}")
        lines.append(f"        registered: {signed:%Y-%m-%dT%H:%M:%SZ}")
        if number % 10 == 3:
            lines.append(f"        note: {rng.choice(_NOTES)}")
        if number % 11 == 5:
            lines.append("        visibility: private")
        lines.append(f"        source: issue:{index * 100 + number + 1}")
    return "\n".join(lines) + "\n"


def write_events(
    directory: Path, n: int, registrations: int = 30, *, policy: str | None = None, seed: int = 0
) -> list[Path]:
    """Write `n` valid event files into `directory` (created if needed); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(n):
        path = directory / f"2030-synthetic-{index:06d}.yaml"
        path.write_text(_event_text(index, registrations, rng, policy), encoding="utf-8")
        paths.append(path)
    return paths


def synthetic_site(root: Path, n: int, registrations: int = 30) -> list[Path]:
    """A site folder at `root` (schema, policy page, events/) with `n` synthetic events."""
    make_site(root)
    return write_events(root / "events", n, registrations, policy=POLICY)
