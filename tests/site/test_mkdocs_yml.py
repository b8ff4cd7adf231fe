"""mkdocs.yml is read one way, with a YAML parser, as MkDocs reads it; the plugin's options are
checked by the plugin's own config class, also when `signupsheet render` reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from signupsheet.core.errors import UserError
from signupsheet.main import main
from signupsheet.site.config import SignupsheetConfig
from signupsheet.site.plain_files import settings_from_config
from signupsheet.site.urls import MkDocsYml, PublishedSite, published_site
from sitekit import make_mkdocs_site

TAGGED = """\
# A site configured the way Material's documentation shows.
site_name: Events
site_url: !ENV [EVENTS_SITE_URL, "https://events.example.org/sub/"]
repo_url: https://github.com/octo/events
use_directory_urls: !ENV [EVENTS_FLAT_URLS, true]
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
plugins:
  - search
  - signupsheet:
      now: "2022-11-20T12:00:00Z"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_tags_are_read_as_mkdocs_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path, TAGGED)
    monkeypatch.delenv("EVENTS_SITE_URL", raising=False)
    monkeypatch.delenv("EVENTS_FLAT_URLS", raising=False)
    assert published_site(root) == PublishedSite("https://events.example.org/sub/", True)
    monkeypatch.setenv("EVENTS_SITE_URL", "https://elsewhere.example.net/")
    monkeypatch.setenv("EVENTS_FLAT_URLS", "false")
    assert published_site(root) == PublishedSite("https://elsewhere.example.net/", False)
    config = MkDocsYml.read(root / "mkdocs.yml")
    emoji = config.value("markdown_extensions")[0]["pymdownx.emoji"]
    assert emoji["emoji_index"] == ""  # a tag only MkDocs gives a meaning: kept, not evaluated


@pytest.mark.parametrize(
    ("line", "directory_urls"),
    [
        ("use_directory_urls: no", False),
        ("use_directory_urls: Off", False),
        ("use_directory_urls: false", False),
        ("use_directory_urls: yes", True),
        ("use_directory_urls: 'no'", True),  # a string, which MkDocs would refuse; not "false"
        ("# use_directory_urls: false", True),
        ("extra:\n  use_directory_urls: false", True),
    ],
)
def test_directory_urls_follow_yaml_1_1(tmp_path: Path, line: str, directory_urls: bool) -> None:
    root = write(tmp_path, f"site_name: x\nsite_url: https://example.org/\n{line}\n")
    site = published_site(root)
    assert site is not None and site.directory_urls is directory_urls


def test_no_address_without_a_published_https_site(tmp_path: Path) -> None:
    assert published_site(tmp_path) is None
    assert published_site(write(tmp_path, "site_name: x\n")) is None
    assert published_site(write(tmp_path, "site_url: http://example.org/\n")) is None
    text = "extra:\n  note: |\n    site_url: https://wrong.example/\nsite_url: https://right.example/\n"
    assert published_site(write(tmp_path, text)) == PublishedSite("https://right.example/")
    with pytest.raises(UserError, match="not valid YAML"):
        published_site(write(tmp_path, "site_url: [https://example.org/\n"))


def test_render_checks_options_with_the_plugins_config_class(tmp_path: Path) -> None:
    root = write(
        tmp_path, TAGGED.replace('      now: "2022', '      feed_entries: many\n      now: "2022')
    )
    config = MkDocsYml.read(root / "mkdocs.yml")
    with pytest.raises(UserError) as raised:
        settings_from_config(config)
    # MkDocs' message for the same mistake in `mkdocs build`.
    expected = SignupsheetConfig()
    expected.load_dict({"feed_entries": "many"})
    (failed,) = expected.validate()[0]
    assert f"signupsheet: feed_entries: {failed[1]}" in str(raised.value)


def test_render_reports_unknown_and_malformed_options(tmp_path: Path) -> None:
    text = TAGGED.replace(
        'now: "2022-11-20T12:00:00Z"', "now: 2022-11-20T12:00:00Z\n      feeds: 3"
    )
    config = MkDocsYml.read(write(tmp_path, text) / "mkdocs.yml")
    with pytest.raises(UserError) as raised:
        settings_from_config(config)
    message = str(raised.value)
    assert "signupsheet: now: " in message and "is not a quoted date and time" in message
    assert "signupsheet: feeds: Unrecognised configuration name: feeds" in message


def test_render_takes_defaults_and_values_from_the_config_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENTS_SITE_URL", raising=False)
    settings = settings_from_config(MkDocsYml.read(write(tmp_path, TAGGED) / "mkdocs.yml"))
    defaults = SignupsheetConfig()
    assert settings.site_url == "https://events.example.org/sub/"
    assert settings.plugin.branch == defaults["branch"]
    assert settings.plugin.feed_entries == defaults["feed_entries"]
    assert settings.plugin.now is not None and settings.plugin.now.isoformat() == (
        "2022-11-20T12:00:00+00:00"
    )


def test_render_writes_tags_back_and_resolves_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_mkdocs_site(tmp_path / "site", {})
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "site_url: https://signupsheet.github.io/signupsheet/",
        'site_url: !ENV [EVENTS_SITE_URL, "https://signupsheet.github.io/signupsheet/"]',
    )
    emoji = "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    text = text.replace("  - attr_list\n", f"  - attr_list\n  - pymdownx.emoji:\n{emoji}")
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("EVENTS_SITE_URL", "https://events.example.org/")
    out = tmp_path / "out"
    assert main(["--root", str(site), "render", "--out", str(out)]) == 0
    written = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV [EVENTS_SITE_URL," in written
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in written
    assert "- signupsheet" not in written
    feed = (out / "docs" / "feed.xml").read_text(encoding="utf-8")
    assert "https://events.example.org/events/" in feed
