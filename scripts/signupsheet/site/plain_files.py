"""The whole site as plain source files, for engines that run no MkDocs plugins (e.g. Zensical).

The pages, calendars, feeds and assets come from `generation`, exactly as the MkDocs plugin gets
them; this module only adds the hand-written pages (with the generated lists the plugin appends
to the home and series pages) and writes a configuration without the plugin. Sheets are written
into the event pages' Markdown, since no plugin fills them in after the build.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, parse_timestamp
from signupsheet.core.project import Project
from signupsheet.site.generation import (
    SCRIPTS,
    STYLESHEET,
    SiteOptions,
    augment_page,
    default_home,
    generated_files,
    inlined,
    series_of_page,
)
from signupsheet.site.links import Repository
from signupsheet.site.pages import SiteContext

PLUGIN = "signupsheet"
# Written into a rendered folder, so a later run knows the folder is its own to replace.
RENDER_STAMP = ".signupsheet-render"


@dataclass(frozen=True)
class SiteSettings:
    """What the build needs from mkdocs.yml and the plugin's options there."""

    site_name: str
    site_url: str
    repo_url: str
    docs_dir: Path
    branch: str = "main"
    now: datetime | None = None
    calendar_recent_days: int = 90
    feed_entries: int = 50
    directory_urls: bool = True


def _config_yaml() -> YAML:
    yaml = YAML()  # round trip: keeps comments and tags such as !ENV of the site's config
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def load_config(path: Path) -> Any:
    try:
        return _config_yaml().load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"{path}: cannot read the configuration: {error.strerror}") from None
    except Exception as error:  # ruamel raises many kinds for bad YAML
        raise UserError(f"{path}: not valid YAML: {error}") from None


def _plugin_options(config: Any) -> dict[str, Any] | None:
    for entry in config.get("plugins") or []:
        if entry == PLUGIN:
            return {}
        if isinstance(entry, dict) and PLUGIN in entry:
            return dict(entry[PLUGIN] or {})
    return None


def settings_from_config(config: Any, config_path: Path) -> SiteSettings:
    """The settings the plugin would use, read from mkdocs.yml; every mistake reported at once."""
    problems: list[str] = []
    options = _plugin_options(config)
    if options is None:
        problems.append(f"the plugins of {config_path.name} do not include {PLUGIN}")
        options = {}
    for key in ("site_url", "repo_url", "site_name"):
        if not config.get(key):
            problems.append(f"set {key} in {config_path.name}")
    now: datetime | None = None
    if options.get("now") is not None:
        try:
            now = parse_timestamp(str(options["now"]))
        except ValueError as error:
            problems.append(f"{PLUGIN}: now: {error}")
    if problems:
        raise UserError("\n".join(f"{config_path}: {problem}" for problem in problems))
    base = config_path.resolve().parent
    return SiteSettings(
        site_name=str(config["site_name"]),
        site_url=str(config["site_url"]),
        repo_url=str(config["repo_url"]),
        docs_dir=base / str(config.get("docs_dir", "docs")),
        branch=str(options.get("branch", "main")),
        now=now,
        calendar_recent_days=int(options.get("calendar_recent_days", 90)),
        feed_entries=int(options.get("feed_entries", 50)),
        directory_urls=bool(config.get("use_directory_urls", True)),
    )


def site_sources(
    project: Project, events: Sequence[Event], settings: SiteSettings, now: datetime
) -> dict[str, str | bytes]:
    """Docs path -> content of every source file of the site: hand-written and generated."""
    ctx = SiteContext(
        repository=Repository.from_url(settings.repo_url, settings.branch),
        now=now,
        docs_dir=settings.docs_dir,
        events_path=project.display(project.events_dir),
        directory_urls=settings.directory_urls,
    )
    options = SiteOptions(
        site_url=settings.site_url,
        site_name=settings.site_name,
        feed_entries=settings.feed_entries,
        calendar_recent=timedelta(days=settings.calendar_recent_days),
    )
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


def plain_config(config: Any, config_path: Path) -> str:
    """mkdocs.yml for the rendered folder: sources in docs/, no plugin, its assets linked."""
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    plugins = [
        entry
        for entry in config.get("plugins") or []
        if entry != PLUGIN and not (isinstance(entry, dict) and PLUGIN in entry)
    ]
    if "plugins" in config:
        config["plugins"] = plugins
    config["extra_css"] = [*(config.get("extra_css") or []), STYLESHEET]
    config["extra_javascript"] = [*(config.get("extra_javascript") or []), *SCRIPTS]
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        # Relative to the original configuration, which stays where it is.
        theme["custom_dir"] = str((config_path.resolve().parent / theme["custom_dir"]).resolve())
    out = io.StringIO()
    _config_yaml().dump(config, out)
    header = (
        f"# Written by `signupsheet render` from {config_path.name}: the same site as plain\n"
        "# files, for engines that run no MkDocs plugins. Do not edit; render again.\n"
    )
    return header + out.getvalue()


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
