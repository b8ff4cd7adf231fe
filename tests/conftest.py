"""Shared fixtures: the repository's files, test sites, and small real sites built with mkdocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from githubdouble import GitHubDouble
from paths import REPO
from signupsheet.core.model import Event, parse_timestamp
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_event
from signupsheet.site.links import Repository
from signupsheet.site.pages import SiteContext

# Every git the tests start, the product's included, sees no global or system configuration, as
# on a GitHub-hosted runner: nothing may depend on a developer's own identity or settings.
os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"

SEED_ID = "2022-11-23-vsn-training-lets-connect"

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
def site_project(site: Path) -> Project:
    """The `site` folder as a Project."""
    return Project(site)


@pytest.fixture
def repo_project() -> Project:
    """The repository itself: its schema, docs and events."""
    return Project(REPO)


@pytest.fixture
def add_event(site: Path) -> Callable[..., Path]:
    def add(
        event_id: str = "2026-12-03-meetup", capacity: int = 3, text: str | None = None
    ) -> Path:
        path = site / "events" / f"{event_id}.yaml"
        path.write_text(text or EVENT.format(capacity=capacity), encoding="utf-8")
        return path

    return add


SITE_URL = "https://signupsheet.github.io/signupsheet/"
REPO_URL = "https://github.com/signupsheet/signupsheet"
# Before the seed session starts: registration is open.
SEED_NOW = parse_timestamp("2022-11-20T12:00:00Z")
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("SIGNUPSHEET_UPDATE_GOLDEN") == "1"


def golden(name: str, actual: str) -> str:
    """The stored golden text; with SIGNUPSHEET_UPDATE_GOLDEN=1 it is rewritten first."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.write_text(actual, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as handle:  # keeps the CRLF of ICS files
        return handle.read()


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def seed(project: Project) -> Event:
    return load_event(project, SEED_ID)


def context(now: datetime = SEED_NOW, docs_dir: Path = REPO / "docs") -> SiteContext:
    return SiteContext(repository=Repository.from_url(REPO_URL), now=now, docs_dir=docs_dir)


@dataclass
class Built:
    root: Path
    site: Path
    result: subprocess.CompletedProcess[str]

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def make_mkdocs_site(
    root: Path,
    events: dict[str, str],
    now: str = "2022-11-20T12:00:00Z",
    with_seed: bool = True,
) -> Path:
    """A site folder like the repository's: its docs, schema and mkdocs.yml, with these events."""
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "schema", root / "schema")
    (root / "events").mkdir()
    if with_seed:
        shutil.copy(REPO / "events" / f"{SEED_ID}.yaml", root / "events")
    for name, text in events.items():
        (root / "events" / f"{name}.yaml").write_text(text, encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - signupsheet\n", f'  - signupsheet:\n      now: "{now}"\n')
    assert f'now: "{now}"' in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def build(root: Path, strict: bool = True) -> Built:
    """A real `mkdocs build` in a child process, as a person or CI runs it."""
    site = root / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    command += ["--site-dir", str(site)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    return Built(root, site, result)


@pytest.fixture
def double() -> Iterator[GitHubDouble]:
    """The local GitHub REST double, started for one test."""
    server = GitHubDouble()
    server.start()
    yield server
    server.release.set()
    server.stop()
