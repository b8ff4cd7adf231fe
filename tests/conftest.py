"""Shared fixtures: the repository's files, throw-away site folders, the GitHub double."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from githubdouble import GitHubDouble
from paths import REPO, SEED_ID
from signupsheet.core.model import Event, parse_timestamp
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_text, load_event
from signupsheet.site.links import Repository
from signupsheet.site.pages import SiteContext
from sitekit import TRICKY, make_site

# Every git the tests start, the product's included, sees no global or system configuration, as
# on a GitHub-hosted runner: nothing may depend on a developer's own identity or settings.
os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"

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


# Each kind of site has a name of its own: `site_root` here (as the commands' --root), a
# `mkdocs_site` ready to build, a `link_site` for send-links, a `pr_site` for the pull request bot;
# `site` alone is MkDocs's output, as in Built.site.
@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A bare site folder: the event schema, the policy pages, an empty events/."""
    return make_site(tmp_path)


@pytest.fixture
def site_project(site_root: Path) -> Project:
    """The `site_root` folder as a Project."""
    return Project(site_root)


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The repository itself: its schema, docs and events."""
    return Project(REPO)


@pytest.fixture
def add_event(site_root: Path) -> Callable[..., Path]:
    def add(
        event_id: str = "2026-12-03-meetup", capacity: int = 3, text: str | None = None
    ) -> Path:
        path = site_root / "events" / f"{event_id}.yaml"
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
def seed(repo_project: Project) -> Event:
    return load_event(repo_project, SEED_ID)


@pytest.fixture
def tricky(repo_project: Project) -> Event:
    """The TRICKY event, checked as the repository would check it."""
    result = check_text(TRICKY.encode(), repo_project.events_dir / "tricky.yaml", repo_project)
    assert result.problems == []
    assert result.event is not None
    return result.event


def context(now: datetime = SEED_NOW, docs_dir: Path = REPO / "docs") -> SiteContext:
    return SiteContext(repository=Repository.from_url(REPO_URL), now=now, docs_dir=docs_dir)


@pytest.fixture
def double() -> Iterator[GitHubDouble]:
    """The local GitHub REST double, started for one test."""
    server = GitHubDouble()
    server.start()
    yield server
    server.release.set()
    server.stop()
