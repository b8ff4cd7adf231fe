from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

EVENT = """\
# yaml-language-server: $schema=../schema/event.schema.json
# A test event: comments must survive every edit.
title: Monthly meetup
organizers: [Orga-Nizer]
policy: policies/safe-space.md
registration:
  opens: 2026-11-01T00:00:00Z  # announced in the newsletter
sessions:
  - id: main
    start: 2026-12-03T14:00:00Z
    end: 2026-12-03T15:00:00Z
    capacity: {capacity}
    registrations:
      # imported from the wiki
      - name: Old Timer
        source: import
"""


def make_site(root: Path) -> None:
    (root / "schema").mkdir(parents=True)
    shutil.copy(REPO / "schema" / "event.schema.json", root / "schema" / "event.schema.json")
    (root / "docs" / "policies").mkdir(parents=True)
    shutil.copy(REPO / "docs" / "policies" / "safe-space.md", root / "docs" / "policies")
    (root / "events").mkdir()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_site(tmp_path)
    return tmp_path


@pytest.fixture
def add_event(site: Path) -> Callable[..., Path]:
    def add(
        event_id: str = "2026-12-03-meetup", capacity: int = 3, text: str | None = None
    ) -> Path:
        path = site / "events" / f"{event_id}.yaml"
        path.write_text(text or EVENT.format(capacity=capacity), encoding="utf-8")
        return path

    return add
