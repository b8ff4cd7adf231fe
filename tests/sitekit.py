"""Site folders for the tests and benchmarks, made in one place, and real `mkdocs build`s of them.

A site folder is what `--root` points at: `schema/event.schema.json`, the pages in `docs/` the
event files link to, and `events/`. Each option adds what some tests need on top.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from formbodies import FORMS
from paths import REPO, SEED_ID

# The plugin's clock in the sites `make_mkdocs_site` makes: before the seed session starts.
MKDOCS_NOW = "2022-11-20T12:00:00Z"
# An event whose names look like HTML and script, with a private entry and a waiting list: what a
# page must show as text, or not at all.
TRICKY = (REPO / "tests" / "sites" / "xss.yaml").read_text(encoding="utf-8")
# The tricky event with a description that holds raw HTML and script links beside ordinary
# Markdown: a maintainer's (or a merged pull request's) description must not run on the page.
HOSTILE_DESCRIPTION = TRICKY.replace(
    "  Maintainers write **Markdown** here.\n",
    "  Maintainers write **Markdown** here, with [a link](https://example.org/programme).\n"
    "\n"
    "  <script>alert('script')</script>\n"
    "  <img src=x onerror=\"alert('img')\">\n"
    "\n"
    "  - [bad link](javascript:alert('md'))\n"
    "  - <a href=\"JaVaScRiPt:alert('a')\">bad anchor</a>\n"
    "  - `code <b>`\n"
    "\n"
    "  ### Programme\n",
)
assert HOSTILE_DESCRIPTION != TRICKY


def make_site(
    root: Path,
    events: Mapping[str, str] | None = None,
    *,
    docs: bool = False,
    seed: bool = False,
    forms: bool = False,
    gitignore: bool = False,
    config: str | None = None,
    files: Mapping[str, str] | None = None,
) -> Path:
    """A site folder at `root` (made if missing, added to if there) with the repository's event
    schema, its policy pages and an `events/` folder holding `events` (id → text). Options add
    more of the repository: all of `docs/` (the pages MkDocs builds, series pages and all), the
    seed event, the issue forms, `.gitignore`; `config` is written as `mkdocs.yml`, and `files`
    (path relative to `root` → text) last, so they may replace anything above."""
    (root / "schema").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "schema" / "event.schema.json", root / "schema" / "event.schema.json")
    pages = REPO / "docs" if docs else REPO / "docs" / "policies"
    shutil.copytree(pages, root / pages.relative_to(REPO), dirs_exist_ok=True)
    (root / "events").mkdir(exist_ok=True)
    if seed:
        shutil.copy(REPO / "events" / f"{SEED_ID}.yaml", root / "events")
    for event_id, text in (events or {}).items():
        (root / "events" / f"{event_id}.yaml").write_text(text, encoding="utf-8")
    if forms:
        shutil.copytree(FORMS, root / ".github" / "ISSUE_TEMPLATE", dirs_exist_ok=True)
    if gitignore:
        shutil.copy(REPO / ".gitignore", root / ".gitignore")
    if config is not None:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for path, text in (files or {}).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def mkdocs_config(*, now: str | None = MKDOCS_NOW, repo_url: str | None = None) -> str:
    """The repository's mkdocs.yml, with the plugin's clock set to `now` (None: the real time)
    and, given `repo_url`, another repository for the registration links."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if now is not None:
        config = with_clock(config, now)
    if repo_url is not None:
        ours = "https://github.com/signupsheet/signupsheet"
        assert ours in config
        config = config.replace(ours, repo_url)
    return config


def with_clock(config: str, now: str) -> str:
    """`config` (a mkdocs.yml listing the plugin without options) with the plugin's clock set."""
    dated = config.replace("  - signupsheet\n", f'  - signupsheet:\n      now: "{now}"\n')
    assert dated != config, "mkdocs.yml no longer lists the plugin as `  - signupsheet`"
    return dated


def make_mkdocs_site(
    root: Path,
    events: Mapping[str, str] | None = None,
    *,
    now: str = MKDOCS_NOW,
    seed: bool = True,
) -> Path:
    """A site like the repository's, ready for `mkdocs build`: all its pages, the seed event
    (unless `seed` is false) and `events`, with the plugin's clock set to `now`."""
    return make_site(root, events, docs=True, seed=seed, config=mkdocs_config(now=now))


@dataclass
class Built:
    root: Path
    site: Path
    result: subprocess.CompletedProcess[str]

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def build(root: Path, strict: bool = True) -> Built:
    """A real `mkdocs build` in a child process, as a person or CI runs it."""
    site = root / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    command += ["--site-dir", str(site)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    return Built(root, site, result)


class _SheetNames(HTMLParser):
    """Display names: the text of the second cell of each row of the sign-up sheet tables."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.depth = 0
        self.cell = -1
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "ss-sheet" in classes:
            self.depth += 1
        elif self.depth and tag == "tr":
            self.cell = -1
        elif self.depth and tag == "td":
            self.cell += 1
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "td" and self.cell == 1:
            self.names.append("".join(self.text))
        elif self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def sheet_names(html: str) -> list[str]:
    """The names on the sign-up sheets of a page (built HTML, or Markdown with the sheets in
    it), as written: not stripped, so stray space shows."""
    parser = _SheetNames()
    parser.feed(html)
    return parser.names
