"""The seed site on other engines: ProperDocs runs our plugin unchanged; Zensical, which runs no
MkDocs plugins, builds the files `signupsheet render` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from paths import REPO, SEED_ID
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_event
from signupsheet.main import main
from sitekit import build, make_mkdocs_site, sheet_names

NOW = "2022-11-20T12:00:00Z"


def seed_names() -> list[str]:
    seed = load_event(Project(REPO), SEED_ID)
    return [entry.name for entry in seed.sessions[0].registrations]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder ready for `mkdocs build`, with the seed event; shared by the module."""
    return make_mkdocs_site(tmp_path_factory.mktemp("engines"), {}, now=NOW)


@pytest.fixture(scope="module")
def rendered(mkdocs_site: Path) -> Path:
    out = mkdocs_site.parent / "rendered"
    assert main(["--root", str(mkdocs_site), "render", "--out", str(out)]) == 0
    return out


def test_properdocs_runs_the_plugin_unchanged(mkdocs_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "properdocs-site"
    command = [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"]
    result = run([*command, "--site-dir", str(out)], mkdocs_site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    page = (out / "events" / SEED_ID / "index.html").read_text(encoding="utf-8")
    names = sheet_names(page)
    assert len(names) == 33
    assert names == seed_names()
    assert (out / "events" / f"{SEED_ID}.ics").is_file()
    assert (out / "calendar.ics").is_file() and (out / "feed.xml").is_file()


def test_render_writes_the_sources_and_a_plain_config(mkdocs_site: Path, rendered: Path) -> None:
    docs = rendered / "docs"
    page = (docs / "events" / f"{SEED_ID}.md").read_text(encoding="utf-8")
    assert len(sheet_names(page)) == 33  # the sheets are in the Markdown, not filled in later
    for path in ("calendar.ics", "feed.xml", "events.json", f"events/{SEED_ID}.ics", "past.md"):
        assert (docs / path).is_file(), path
    for path in ("registering.md", "policies/safe-space.md", "personal-data.md"):
        assert (docs / path).read_bytes() == (mkdocs_site / "docs" / path).read_bytes()
    calendar = Calendar.from_ical((docs / f"events/{SEED_ID}.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == 1
    data = json.loads((docs / "events.json").read_text(encoding="utf-8"))
    assert SEED_ID in json.dumps(data)
    config = (rendered / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- signupsheet" not in config and "docs_dir: docs" in config
    assert "assets/signupsheet/localtime.js" in config
    # The home page carries the generated lists the plugin appends.
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert home.startswith((mkdocs_site / "docs" / "index.md").read_text(encoding="utf-8").rstrip())
    assert len(home) > len((mkdocs_site / "docs" / "index.md").read_text(encoding="utf-8"))


def test_zensical_builds_the_rendered_site(rendered: Path) -> None:
    result = run([sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"], rendered)
    assert result.returncode == 0, result.stdout + result.stderr
    out = rendered / "site"
    page = (out / "events" / SEED_ID / "index.html").read_text(encoding="utf-8")
    names = sheet_names(page)
    assert len(names) == 33
    assert names == seed_names()
    assert "assets/signupsheet/localtime.js" in page
    assert (out / "events" / f"{SEED_ID}.ics").is_file()
    assert (out / "calendar.ics").is_file() and (out / "feed.xml").is_file()


def test_mkdocs_and_render_agree_on_the_event_page(mkdocs_site: Path, rendered: Path) -> None:
    built = build(mkdocs_site)
    assert built.result.returncode == 0, built.result.stderr
    page = built.page(f"events/{SEED_ID}/index.html")
    assert sheet_names(page) == sheet_names(
        (rendered / "docs" / "events" / f"{SEED_ID}.md").read_text(encoding="utf-8")
    )


def test_render_refuses_a_foreign_folder_and_replaces_its_own(
    mkdocs_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["--root", str(mkdocs_site), "render", "--out", str(foreign)]) == 1
    assert "was not written by signupsheet render" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    out = tmp_path / "out"
    assert main(["--root", str(mkdocs_site), "render", "--out", str(out)]) == 0
    (out / "docs" / "stale.md").write_text("old", encoding="utf-8")
    assert main(["--root", str(mkdocs_site), "render", "--out", str(out)]) == 0
    assert not (out / "docs" / "stale.md").exists()


def test_render_reports_config_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_mkdocs_site(tmp_path / "s", {})
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("site_url:", "# site_url:").replace("  - signupsheet:", "  - other:")
    config.write_text(text, encoding="utf-8")
    assert main(["--root", str(root), "render", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "do not include signupsheet" in err and "set site_url" in err
