"""The second process of large builds: half of the events and their pages, then the calendars."""

from __future__ import annotations

import gzip
import logging
import os
import signal
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import SITE_URL, context
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import event_files, load_catalog
from signupsheet.site.generation import SiteOptions, data_files, data_paths, site_part
from signupsheet.site.pages import event_page
from signupsheet.site.second_process import BackgroundError, SecondProcess, usable_cpus
from sitekit import TRICKY, build, make_mkdocs_site

OPTIONS = SiteOptions(site_url=SITE_URL, site_name="Events")


@pytest.fixture
def mkdocs_site(tmp_path: Path) -> Path:
    """A site folder ready for `mkdocs build`: the seed event and the tricky one."""
    return make_mkdocs_site(tmp_path / "site", {"tricky": TRICKY})


def second(root: Path, share: list[Path], per_message: int = 500) -> SecondProcess:
    return SecondProcess(root, context(docs_dir=root / "docs"), OPTIONS, share, per_message)


def test_each_process_loads_half_and_the_second_makes_the_data_files(mkdocs_site: Path) -> None:
    paths = event_files(Project(mkdocs_site))
    assert [path.stem for path in paths[1::2]] == ["tricky"]
    ctx = context(docs_dir=mkdocs_site / "docs")
    # Events and data files handed over two at a time.
    background = second(mkdocs_site, paths[1::2], per_message=2)
    try:
        mine = site_part(Project(mkdocs_site), paths[0::2], ctx, keep_data=True)
        theirs = background.loaded()
        assert theirs is not None
        background.make_files(mine.data)
        plain = load_catalog(Project(mkdocs_site))
        made = background.files(data_paths(plain.events))
    finally:
        background.close()
    assert [event.id for event in mine.events] == [paths[0].stem]
    # Its events, made of the data it checked, are the ones a load of the file makes.
    tricky = next(event for event in plain.events if event.id == "tricky")
    assert theirs.events == [tricky] and theirs.problems == []
    assert theirs.pages == {"events/tricky.md": event_page(plain.events[1], ctx)}
    assert "Hidden Dave" not in theirs.pages["events/tricky.md"].markdown
    assert made == data_files(plain.events, ctx, OPTIONS) and len(made) == 5
    assert made is not None and b"BEGIN:VCALENDAR" in made["events/tricky.ics"]


def test_everything_is_handed_over_a_few_at_a_time(mkdocs_site: Path) -> None:
    ctx = context(docs_dir=mkdocs_site / "docs")
    (mkdocs_site / "events" / "again.yaml").write_text(
        (mkdocs_site / "events" / "tricky.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    plain = load_catalog(Project(mkdocs_site))
    assert len(plain.events) == 3
    background = second(mkdocs_site, event_files(Project(mkdocs_site)), per_message=1)
    try:
        theirs = background.loaded()
        assert theirs is not None
        background.make_files({})
        made = background.files(data_paths(plain.events))
    finally:
        background.close()
    assert sorted(theirs.events, key=lambda event: event.id) == sorted(
        plain.events, key=lambda event: event.id
    )
    assert theirs.pages == {
        f"events/{event.id}.md": event_page(event, ctx) for event in plain.events
    }
    assert made == data_files(plain.events, ctx, OPTIONS)


def test_problems_in_its_half_come_back_with_their_positions(mkdocs_site: Path) -> None:
    broken = mkdocs_site / "events" / "zz-broken.yaml"
    tricky = (mkdocs_site / "events" / "tricky.yaml").read_text(encoding="utf-8")
    broken.write_text(tricky.replace("policy: ", "platform: 12\npolicy: ", 1), encoding="utf-8")
    background = second(mkdocs_site, [mkdocs_site / "events" / "tricky.yaml", broken])
    try:
        theirs = background.loaded()
    finally:
        background.close()
    assert theirs is not None
    assert [event.id for event in theirs.events] == ["tricky"]
    expected = load_catalog(Project(mkdocs_site), [broken]).problems
    assert theirs.problems == expected and expected
    assert all(problem.path == "events/zz-broken.yaml" for problem in expected)
    assert expected[0].line > 1


def test_the_data_files_agree_with_the_pages_when_a_file_changes_meanwhile(
    mkdocs_site: Path,
) -> None:
    paths = event_files(Project(mkdocs_site))
    ctx = context(docs_dir=mkdocs_site / "docs")
    background = second(mkdocs_site, paths[1::2])
    try:
        mine = site_part(Project(mkdocs_site), paths[0::2], ctx, keep_data=True)
        assert background.loaded() is not None
        # The build made its pages of the old text; the second process never reads the new.
        paths[0].write_text(
            paths[0].read_text(encoding="utf-8").replace("Let's Connect", "Renamed"),
            encoding="utf-8",
        )
        background.make_files(mine.data)
        made = background.files(data_paths(load_catalog(Project(mkdocs_site)).events))
    finally:
        background.close()
    assert made is not None
    feed = made["events.json"]
    assert isinstance(feed, str)
    assert "Let's Connect" in feed and "Renamed" not in feed


def test_a_killed_second_process_is_no_answer(mkdocs_site: Path) -> None:
    background = second(mkdocs_site, event_files(Project(mkdocs_site)))
    try:
        assert background.pid is not None
        os.kill(background.pid, signal.SIGKILL)
        assert background.loaded() is None
        background.make_files({})
        assert background.files(["calendar.ics"]) is None
    finally:
        background.close()


def test_an_error_in_the_second_process_keeps_its_traceback(mkdocs_site: Path) -> None:
    (mkdocs_site / "schema" / "event.schema.json").write_text("{not json", encoding="utf-8")
    background = second(mkdocs_site, event_files(Project(mkdocs_site)))
    try:
        with pytest.raises(BackgroundError, match="Traceback") as raised:
            background.loaded()
        assert "load_catalog" in str(raised.value)
    finally:
        background.close()


def test_an_error_while_making_the_data_files_keeps_its_traceback(mkdocs_site: Path) -> None:
    paths = event_files(Project(mkdocs_site))
    wrong = SiteOptions(site_url=SITE_URL, site_name="Events", feed_entries="many")  # type: ignore[arg-type]
    background = SecondProcess(mkdocs_site, context(docs_dir=mkdocs_site / "docs"), wrong, paths)
    try:
        assert background.loaded() is not None
        background.make_files({})
        with pytest.raises(BackgroundError, match="Traceback") as raised:
            background.files(["calendar.ics"])
        assert "data_files" in str(raised.value) and "atom_feed" in str(raised.value)
    finally:
        background.close()


def test_close_stops_a_second_process_that_still_works(mkdocs_site: Path) -> None:
    background = second(mkdocs_site, event_files(Project(mkdocs_site)))
    background.close()
    assert background.pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(background.pid, 0)


def _site_files(built: Path) -> dict[str, bytes]:
    """Every file of a built site; the sitemap unpacked (gzip stores the time it was made)."""
    files = {}
    for path in sorted(built.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(built).as_posix()] = (
                gzip.decompress(data) if path.suffix == ".gz" else data
            )
    return files


def _with_second_process(root: Path) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("now:", "background_from: 1\n      now:"), encoding="utf-8")


@pytest.mark.skipif(usable_cpus() < 2, reason="the second process runs only with two CPUs")
def test_a_build_with_the_second_process_makes_the_same_site(
    mkdocs_site: Path, tmp_path: Path
) -> None:
    plain = build(mkdocs_site)
    assert plain.result.returncode == 0, plain.result.stderr
    assert "second process" not in plain.result.stderr  # 2 events: below the threshold
    _with_second_process(mkdocs_site)
    plain_output = tmp_path / "plain"
    (mkdocs_site / "site").rename(plain_output)
    parallel = build(mkdocs_site)
    assert parallel.result.returncode == 0, parallel.result.stderr
    assert "a second process loads about half of the events" in parallel.result.stderr
    assert "WARNING" not in parallel.result.stderr
    built = _site_files(parallel.site)
    assert built == _site_files(plain_output)
    assert "events/tricky.ics" in built and "events/tricky/index.html" in built
    assert b"Hidden Dave" not in built["events/tricky/index.html"]  # private stays private
    assert b"Erin Waiting" in built["events/tricky/index.html"]  # the sheets were filled in


def test_an_invalid_event_stops_the_second_process_too(mkdocs_site: Path) -> None:
    _with_second_process(mkdocs_site)
    (mkdocs_site / "events" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (mkdocs_site / "events" / "zz-broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    failed = build(mkdocs_site)
    assert failed.result.returncode != 0
    # The problems of both halves, in the order of the files.
    reported = failed.result.stderr
    assert reported.index("events/broken.yaml:") < reported.index("events/zz-broken.yaml:")
    assert "Traceback" not in reported


@pytest.mark.skipif(usable_cpus() < 2, reason="the second process runs only with two CPUs")
@pytest.mark.parametrize(
    ("gone", "loads_again"),
    [
        # Killed (e.g. for memory) before it handed its half over: the build loads that half
        # and makes the files with the pages, of the same events.
        ("loaded", False),
        # Killed after it handed its half over: the build loads the events again for the files.
        ("files", True),
    ],
)
def test_the_build_does_the_work_itself_when_the_second_process_dies(
    mkdocs_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    gone: str,
    loads_again: bool,
) -> None:
    plain = build(mkdocs_site)
    assert plain.result.returncode == 0, plain.result.stderr
    expected = _site_files(plain.site)
    _with_second_process(mkdocs_site)
    monkeypatch.setattr(SecondProcess, gone, lambda self, *args: None)
    output = mkdocs_site / "again"
    caplog.set_level(logging.INFO)
    with monkeypatch.context() as patch:
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        config = load_config(str(mkdocs_site / "mkdocs.yml"), site_dir=str(output), strict=True)
        mkdocs_build(config)
    assert ("making the calendars and feeds here instead" in caplog.text) is loads_again
    assert _site_files(output) == expected
