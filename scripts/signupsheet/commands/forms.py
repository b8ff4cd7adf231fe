"""`signupsheet forms`: regenerate the list of open events in the issue forms."""

from __future__ import annotations

import argparse

from signupsheet.commands.options import add_now, now_from
from signupsheet.core.errors import format_problems
from signupsheet.core.project import Project

NAME = "forms"
HELP = "update the list of open events in the registration and cancellation forms"
DESCRIPTION = (
    "Write the events open for registration (ids, titles, session times, links to their pages "
    "when mkdocs.yml has a site_url) into .github/ISSUE_TEMPLATE/register.yml and cancel.yml. "
    "With --check, change nothing and exit 1 when a form is out of date."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a form is out of date, without writing"
    )
    add_now(parser)


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.eventfiles.atomic_write import atomic_write
    from signupsheet.eventfiles.catalog import load_catalog
    from signupsheet.registration.issues.form_events import FORM_FILES, stale_forms

    catalog = load_catalog(project)
    if catalog.problems:
        print(format_problems(catalog.problems))
        return 1
    updated = stale_forms(project, catalog.events, now_from(args))
    stale = [project.display(path) for path in updated]
    if not args.check:
        for path, text in updated.items():
            atomic_write(path, text)
    if args.check and stale:
        for shown in stale:
            print(f"{shown}: the list of open events is out of date; run `signupsheet forms`")
        return 1
    print(f"{'updated' if stale else 'up to date'}: " + ", ".join(FORM_FILES))
    return 0
