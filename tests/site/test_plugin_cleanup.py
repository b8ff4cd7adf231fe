"""A build that fails stops the plugin's second process: MkDocs calls `on_build_error` for any
exception during the build, so the plugin does not stop it again before each error it raises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from signupsheet.site.second_process import SecondProcess, usable_cpus
from sitekit import make_mkdocs_site


def _clash(site: Path) -> None:
    (site / "docs" / "past.md").write_text("# My own past events\n", encoding="utf-8")


def _missing_page(site: Path) -> None:
    (site / "docs" / "registering.md").unlink()


def _invalid_event(site: Path) -> None:
    (site / "events" / "zz-broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")


@pytest.mark.skipif(usable_cpus() < 2, reason="the second process runs only with two CPUs")
@pytest.mark.parametrize("mistake", [_clash, _missing_page, _invalid_event])
def test_a_failed_build_leaves_no_second_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mistake: Any
) -> None:
    site = make_mkdocs_site(tmp_path / "site", {})
    config_file = site / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("now:", "background_from: 1\n      now:"), "utf-8")
    mistake(site)
    started: list[SecondProcess] = []
    start = SecondProcess.__init__

    def recording(self: SecondProcess, *args: Any, **kwargs: Any) -> None:
        start(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(SecondProcess, "__init__", recording)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(config_file), site_dir=str(tmp_path / "out"), strict=True)
    with pytest.raises(Abort):
        mkdocs_build(config)
    assert len(started) == 1
    assert not started[0]._process.is_alive()
