"""`signupsheet render`: the site as plain files, for engines that run no MkDocs plugins."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from signupsheet.commands.options import add_now
from signupsheet.core.project import Project

NAME = "render"
HELP = "write the site's pages, calendars and feeds as plain files (for Zensical and others)"
DESCRIPTION = (
    "Write DIR/docs/ with the hand-written pages and every generated page, calendar, feed and "
    "asset, and DIR/mkdocs.yml without the signupsheet plugin, so an engine that runs no MkDocs "
    "plugins builds the same site: e.g. `zensical build -f DIR/mkdocs.yml`. Settings come from "
    "the site's mkdocs.yml and the plugin's options in it. DIR must be new, empty, or an "
    "earlier render."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the folder to write"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="the site's MkDocs configuration (default: mkdocs.yml in the site folder)",
    )
    add_now(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.catalog import load_catalog
    from signupsheet.site.plain_files import (
        plain_config,
        settings_from_config,
        site_sources,
        write_rendered,
    )
    from signupsheet.site.urls import MkDocsYml

    config_path: Path = args.config or project.root / "mkdocs.yml"
    config = MkDocsYml.read(config_path)
    settings = settings_from_config(config)
    catalog = load_catalog(project)
    catalog.raise_for_problems()
    now: datetime = args.now or settings.plugin.now or datetime.now(UTC)
    files = site_sources(project, catalog.events, settings, now)
    count = write_rendered(args.out, files, plain_config(config))
    print(f"wrote {count} files to {args.out / 'docs'} and {args.out / 'mkdocs.yml'}")
    return 0
