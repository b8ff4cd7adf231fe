"""The `signupsheet` command: parses arguments, then hands over to one module per command.

Exit codes: 0 success, 1 a problem the user can fix (printed as `path:line:col: message`),
2 a usage error or an unusable setting (a malformed secret). Anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import signupsheet
from signupsheet.commands import (
    ban,
    cancel,
    check_pr,
    contact_key,
    export,
    forms,
    import_wiki,
    list_events,
    new,
    pull_request,
    purge,
    register,
    render,
    seal_contact,
    send_links,
    sweep,
    validate,
)
from signupsheet.core.errors import ConfigurationError, UserError
from signupsheet.core.project import Project

# Each module has NAME, HELP, DESCRIPTION, add_arguments(parser) and run(args, project) -> int.
COMMANDS: tuple[ModuleType, ...] = (
    validate,
    list_events,
    register,
    cancel,
    ban,
    forms,
    sweep,
    check_pr,
    pull_request,
    send_links,
    contact_key,
    seal_contact,
    new,
    import_wiki,
    export,
    purge,
    render,
)


class _Version(argparse.Action):
    """`--version`, reading the installed version only when it is asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(parser.prog, signupsheet.__version__)
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signupsheet",
        description="Event pages and sign-up sheets kept as YAML files in a Git repository.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="the site's folder, with events/, docs/ and schema/ (default: the current folder)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.NAME, help=command.HELP, description=command.DESCRIPTION
        )
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    project = Project(args.root)
    try:
        code: int = args.run(args, project)
    except ConfigurationError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except UserError as error:
        print(error, file=sys.stderr)
        return 1
    return code
