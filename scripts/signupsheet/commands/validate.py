"""`signupsheet validate`: check event files against the schema and the semantic rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from signupsheet.core.errors import format_problems, problems_json
from signupsheet.core.project import Project

NAME = "validate"
HELP = "check event files and report every problem"
DESCRIPTION = (
    "Check event files (default: every file in events/) against schema/event.schema.json and "
    "the semantic rules. Every problem is reported as path:line:col: message; exit 1 when there "
    "is any, 0 when all files are valid."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="event files or folders of them to check (default: events/*.yaml)",
    )
    parser.add_argument("--json", action="store_true", help="print the problems as a JSON list")


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.catalog import event_files, load_catalog

    paths: list[Path] | None = None
    if args.paths:
        # A folder stands for the event files in it.
        paths = [
            found
            for path in args.paths
            for found in (sorted(path.glob("*.yaml")) if path.is_dir() else [path])
        ]
    catalog = load_catalog(project, paths)
    if paths is None:
        paths = event_files(project)
    if args.json:
        print(problems_json(catalog.problems))
    elif catalog.problems:
        print(format_problems(catalog.problems))
    else:
        print(f"{len(paths)} event file{'s' if len(paths) != 1 else ''} valid")
    return 1 if catalog.problems else 0
