from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from formbodies import FORMS
from signupsheet.main import main
from sitekit import make_site


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_forms_match_githubs_issue_form_schema() -> None:
    result = check_jsonschema(
        "vendor.github-issue-forms", FORMS / "register.yml", FORMS / "cancel.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    result = check_jsonschema("vendor.github-issue-config", FORMS / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "register.yml"
    broken.write_text((FORMS / "register.yml").read_text().replace("type: input", "type: inptu"))
    assert check_jsonschema("vendor.github-issue-forms", broken).returncode != 0


def test_forms_list_open_events_and_check_detects_stale(
    site_root: Path, add_event: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_site(
        site_root, forms=True, config="site_name: x\nsite_url: https://events.example.org/sub\n"
    )
    now = ["--now", "2026-11-20T00:00:00Z"]
    assert main(["--root", str(site_root), "forms", "--check", *now]) == 0
    add_event()
    capsys.readouterr()
    assert main(["--root", str(site_root), "forms", "--check", *now]) == 1
    assert "out of date" in capsys.readouterr().out
    assert main(["--root", str(site_root), "forms", *now]) == 0
    assert main(["--root", str(site_root), "forms", "--check", *now]) == 0
    text = (site_root / ".github" / "ISSUE_TEMPLATE" / "register.yml").read_text()
    assert "| [Monthly meetup](https://events.example.org/sub/events/2026-12-03-meetup/) |" in text
    assert "`main` 3 Dec 2026, 14:00 UTC" in text
    assert "# Registration form. The site's Register button" in text
    generated = site_root / ".github" / "ISSUE_TEMPLATE"
    result = check_jsonschema(
        "vendor.github-issue-forms", generated / "register.yml", generated / "cancel.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Once the session has started, the event leaves the list again.
    assert (
        main(["--root", str(site_root), "forms", "--check", "--now", "2026-12-03T14:00:00Z"]) == 1
    )


def test_forms_link_pages_as_the_site_serves_them(
    site_root: Path, add_event: Callable[..., Path]
) -> None:
    config = "site_name: x\nsite_url: 'https://events.example.org/'\nuse_directory_urls: False\n"
    make_site(site_root, forms=True, config=config)
    add_event()
    assert main(["--root", str(site_root), "forms", "--now", "2026-11-20T00:00:00Z"]) == 0
    text = (site_root / ".github" / "ISSUE_TEMPLATE" / "register.yml").read_text()
    assert "(https://events.example.org/events/2026-12-03-meetup.html)" in text
