"""The second process that makes calendars and feeds of large sites while MkDocs renders pages."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import SITE_URL, Built, build, context, make_mkdocs_site
from signupsheet.background import BackgroundError, BackgroundFiles, usable_cpus
from signupsheet.catalog import Catalog, content_hash, event_files, load_catalog, parse_files
from signupsheet.project import Project
from signupsheet.sitegen import SiteOptions, data_files, data_paths

SITES = Path(__file__).resolve().parent / "sites"
OPTIONS = SiteOptions(site_url=SITE_URL, site_name="Events")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    tricky = (SITES / "xss.yaml").read_text(encoding="utf-8")
    return make_mkdocs_site(tmp_path / "site", {"tricky": tricky})


def start(site: Path) -> tuple[BackgroundFiles, Catalog]:
    """The build's side: parse half, take the second process's half, load with both."""
    paths = event_files(Project(site))
    background = BackgroundFiles(site, context(docs_dir=site / "docs"), OPTIONS, paths[1::2])
    preparsed = parse_files(paths[0::2])
    preparsed.update(background.parsed())
    catalog = load_catalog(Project(site), preparsed=preparsed)
    return background, catalog


def test_it_shares_the_parsing_and_makes_what_the_build_would(site: Path) -> None:
    background, catalog = start(site)
    try:
        made = background.files(catalog.digest, data_paths(catalog.events))
    finally:
        background.close()
    plain = load_catalog(Project(site))
    assert catalog.events == plain.events and catalog.digest == plain.digest
    assert made is not None
    assert sorted(made) == sorted(data_paths(plain.events))
    ctx = context(docs_dir=site / "docs")
    assert made == data_files(plain.events, ctx, OPTIONS)
    assert b"BEGIN:VCALENDAR" in made["events/tricky.ics"]


def test_the_other_half_is_parsed_by_the_second_process(site: Path) -> None:
    paths = event_files(Project(site))
    assert len(paths) == 2
    background = BackgroundFiles(site, context(docs_dir=site / "docs"), OPTIONS, paths[1:])
    try:
        theirs = background.parsed()
    finally:
        background.close()
    assert list(theirs) == [paths[1].name]
    digest, data = theirs[paths[1].name]
    assert digest == content_hash(paths[1].read_bytes())
    assert data["title"] == parse_files(paths[1:])[paths[1].name][1]["title"]


def test_parsed_data_counts_only_for_the_same_bytes(site: Path) -> None:
    path = site / "events" / "tricky.yaml"
    name, (digest, data) = next(iter(parse_files([path]).items()))
    forged = {**data, "title": "Parsed elsewhere"}
    used = load_catalog(Project(site), preparsed={name: (digest, forged)})
    assert used.get("tricky") is not None and used.get("tricky").title == "Parsed elsewhere"
    stale = load_catalog(Project(site), preparsed={name: ("0" * 32, forged)})
    assert stale.get("tricky") is not None and stale.get("tricky").title != "Parsed elsewhere"
    # Parsed data still goes through the schema and the rules, with positions from the text.
    broken = load_catalog(Project(site), preparsed={name: (digest, {**data, "type": 12})})
    assert broken.get("tricky") is None
    assert [p.path for p in broken.problems] == ["events/tricky.yaml"]
    assert broken.problems[0].line > 1


def test_files_read_from_other_event_files_are_not_used(site: Path) -> None:
    before = load_catalog(Project(site))
    seed_file = next((site / "events").glob("2022-*.yaml"))
    seed_file.write_text(
        seed_file.read_text(encoding="utf-8").replace("Raimund Liebert", "R. Liebert"),
        encoding="utf-8",
    )
    background, _ = start(site)
    try:
        # Same paths, other bytes: the second process read a file that changed meanwhile.
        assert background.files(before.digest, data_paths(before.events)) is None
    finally:
        background.close()


def test_a_killed_second_process_is_no_answer(site: Path) -> None:
    catalog = load_catalog(Project(site))
    paths = event_files(Project(site))
    background = BackgroundFiles(site, context(docs_dir=site / "docs"), OPTIONS, paths)
    try:
        assert background.pid is not None
        os.kill(background.pid, signal.SIGKILL)
        assert background.parsed() == {}
        assert background.files(catalog.digest, data_paths(catalog.events)) is None
    finally:
        background.close()


def test_an_error_in_the_second_process_keeps_its_traceback(site: Path) -> None:
    (site / "schema" / "event.schema.json").write_text("{not json", encoding="utf-8")
    paths = event_files(Project(site))
    background = BackgroundFiles(site, context(docs_dir=site / "docs"), OPTIONS, paths)
    try:
        background.parsed()
        with pytest.raises(BackgroundError, match="Traceback") as raised:
            background.files("", [])
        assert "load_catalog" in str(raised.value)
    finally:
        background.close()


def test_close_stops_a_second_process_that_still_works(site: Path) -> None:
    paths = event_files(Project(site))
    background = BackgroundFiles(site, context(docs_dir=site / "docs"), OPTIONS, paths)
    background.close()
    assert background.pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(background.pid, 0)


def _data_files(built: Built) -> dict[str, bytes]:
    names = ["calendar.ics", "feed.xml", "events.json"]
    names += [path.relative_to(built.site).as_posix() for path in built.site.glob("events/*.ics")]
    return {name: (built.site / name).read_bytes() for name in sorted(names)}


@pytest.mark.skipif(usable_cpus() < 2, reason="the second process runs only with two CPUs")
def test_a_build_with_the_second_process_makes_the_same_site(site: Path, tmp_path: Path) -> None:
    plain = build(site)
    assert plain.result.returncode == 0, plain.result.stderr
    assert "second process" not in plain.result.stderr  # 2 events: below the threshold
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("now:", "background_from: 1\n      now:"), encoding="utf-8")
    site_dir = tmp_path / "second"
    (site / "site").rename(site_dir)
    parallel = build(site)
    assert parallel.result.returncode == 0, parallel.result.stderr
    assert "a second process shares the parsing" in parallel.result.stderr
    assert "WARNING" not in parallel.result.stderr
    assert _data_files(parallel) == _data_files(Built(site, site_dir, plain.result))
    assert len(_data_files(parallel)) == 5


def test_an_invalid_event_stops_the_second_process_too(site: Path) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("now:", "background_from: 1\n      now:"), encoding="utf-8")
    (site / "events" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    failed = build(site)
    assert failed.result.returncode != 0
    assert "events/broken.yaml:" in failed.result.stderr
    assert "Traceback" not in failed.result.stderr


@pytest.mark.skipif(usable_cpus() < 2, reason="the second process runs only with two CPUs")
def test_the_build_makes_the_files_itself_when_the_second_process_has_none(
    site: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    plain = build(site)
    assert plain.result.returncode == 0, plain.result.stderr
    expected = _data_files(plain)
    config_path = site / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text.replace("now:", "background_from: 1\n      now:"), "utf-8")
    # As when an event file changed between the two processes' reads, or the second one died.
    monkeypatch.setattr(BackgroundFiles, "files", lambda self, digest, paths: None)
    site_dir = site / "again"
    caplog.set_level(logging.INFO)
    with monkeypatch.context() as patch:
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        mkdocs_build(load_config(str(config_path), site_dir=str(site_dir), strict=True))
    assert "making the calendars and feeds here instead" in caplog.text
    assert _data_files(Built(site, site_dir, plain.result)) == expected
