"""The whole site as plain source files, for engines that run no MkDocs plugins (e.g. Zensical).

The pages, calendars, feeds and assets come from `generation`, exactly as the MkDocs plugin gets
them; this module only adds the hand-written pages (with the generated lists the plugin appends
to the home and series pages) and writes a configuration without the plugin. Sheets are written
into the event pages' Markdown, since no plugin fills them in after the build.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from signupsheet.core.errors import UserError
from signupsheet.core.model import Event
from signupsheet.core.project import Project
from signupsheet.site.generation import (
    SCRIPTS,
    STYLESHEET,
    augment_page,
    default_home,
    generated_files,
    inlined,
    series_of_page,
)
from signupsheet.site.links import Repository
from signupsheet.site.pages import SiteContext
from signupsheet.site.urls import MkDocsYml

if TYPE_CHECKING:
    from signupsheet.site.config import SignupsheetConfig

PLUGIN = "signupsheet"
# Written into a rendered folder, so a later run knows the folder is its own to replace.
RENDER_STAMP = ".signupsheet-render"


@dataclass(frozen=True)
class SiteSettings:
    """What the build needs from mkdocs.yml: the site's settings and the plugin's options."""

    site_name: str
    site_url: str
    repo_url: str
    docs_dir: Path
    directory_urls: bool
    plugin: SignupsheetConfig


def settings_from_config(config: MkDocsYml) -> SiteSettings:
    """The settings the plugin would use; every mistake reported at once."""
    # MkDocs loads only when a site is rendered, not for every command.
    from signupsheet.site.config import SignupsheetConfig

    name = config.path.name
    problems: list[str] = []
    options = config.plugin_options(PLUGIN)
    if options is None:
        problems.append(f"the plugins of {name} do not include {PLUGIN}")
        options = {}
    for key in ("site_url", "repo_url", "site_name"):
        if not config.value(key):
            problems.append(f"set {key} in {name}")
    plugin = SignupsheetConfig(config_file_path=str(config.path))
    plugin.load_dict(options)
    failed, warnings = plugin.validate()
    # As `mkdocs build --strict` does, an unknown option is a mistake too.
    problems += [f"{PLUGIN}: {key}: {error}" for key, error in [*failed, *warnings]]
    if problems:
        raise UserError("\n".join(f"{config.path}: {problem}" for problem in problems))
    return SiteSettings(
        site_name=str(config.value("site_name")),
        site_url=str(config.value("site_url")),
        repo_url=str(config.value("repo_url")),
        docs_dir=config.path.resolve().parent / str(config.value("docs_dir", "docs")),
        directory_urls=config.value("use_directory_urls") is not False,
        plugin=plugin,
    )


def site_sources(
    project: Project, events: Sequence[Event], settings: SiteSettings, now: datetime
) -> dict[str, str | bytes]:
    """Docs path -> content of every source file of the site: hand-written and generated."""
    ctx = SiteContext(
        repository=Repository.from_url(settings.repo_url, settings.plugin.branch),
        now=now,
        docs_dir=settings.docs_dir,
        events_path=project.display(project.events_dir),
        directory_urls=settings.directory_urls,
    )
    options = settings.plugin.site_options(settings.site_url, settings.site_name)
    files: dict[str, str | bytes] = {}
    if settings.docs_dir.is_dir():
        for path in sorted(settings.docs_dir.rglob("*")):
            if path.is_file():
                files[path.relative_to(settings.docs_dir).as_posix()] = path.read_bytes()
    generated = inlined(generated_files(events, ctx, options))
    if "index.md" not in files:
        generated["index.md"] = default_home(settings.site_name)
    clashes = sorted(set(files) & set(generated))
    if clashes:
        raise UserError(
            "\n".join(
                f"docs/{uri} would be replaced by a generated file; rename or remove it"
                for uri in clashes
            )
        )
    files.update(generated)
    series_ids = sorted(
        series_id for uri in files if (series_id := series_of_page(uri)) is not None
    )
    for uri, content in files.items():
        if not uri.endswith(".md"):
            continue
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        augmented = augment_page(uri, text, events, ctx, series_ids)
        if augmented is not None:
            files[uri] = augmented.inline()
    return files


def plain_config(config: MkDocsYml) -> str:
    """mkdocs.yml for the rendered folder: sources in docs/, no plugin, its assets linked."""
    config_path, document = config.path, config.document
    document["docs_dir"] = "docs"
    document["site_dir"] = "site"
    plugins = [
        entry
        for entry in document.get("plugins") or []
        if entry != PLUGIN and not (isinstance(entry, dict) and PLUGIN in entry)
    ]
    if "plugins" in document:
        document["plugins"] = plugins
    document["extra_css"] = [*(document.get("extra_css") or []), STYLESHEET]
    document["extra_javascript"] = [*(document.get("extra_javascript") or []), *SCRIPTS]
    theme = document.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        # Relative to the original configuration, which stays where it is.
        theme["custom_dir"] = str((config_path.resolve().parent / theme["custom_dir"]).resolve())
    header = (
        f"# Written by `signupsheet render` from {config_path.name}: the same site as plain\n"
        "# files, for engines that run no MkDocs plugins. Do not edit; render again.\n"
    )
    return header + config.text()


def write_rendered(out_dir: Path, files: dict[str, str | bytes], config_text: str) -> int:
    """Replace `out_dir` with the rendered site: out_dir/mkdocs.yml and out_dir/docs/...

    Refuses a folder that is not empty and was not written by an earlier render.
    """
    if out_dir.exists():
        if not out_dir.is_dir():
            raise UserError(f"{out_dir} exists and is not a folder")
        if any(out_dir.iterdir()) and not (out_dir / RENDER_STAMP).is_file():
            raise UserError(
                f"{out_dir} is not empty and was not written by signupsheet render; "
                "choose a new or empty folder"
            )
    docs = out_dir / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for uri, content in files.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    (out_dir / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    (out_dir / RENDER_STAMP).write_text("", encoding="utf-8")
    return len(files)
