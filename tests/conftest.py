from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from signupsheet.project import Project

REPO = Path(__file__).resolve().parent.parent
SEED_ID = "2022-11-23-vsn-training-lets-connect"


@pytest.fixture
def repo_project() -> Project:
    """The repository itself: its schema, docs and events."""
    return Project(REPO)


@pytest.fixture
def site(tmp_path: Path) -> Project:
    """An empty site folder with the repository's schema and docs, and no events yet."""
    shutil.copytree(REPO / "schema", tmp_path / "schema")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    (tmp_path / "events").mkdir()
    return Project(tmp_path)
