"""`signupsheet ban`: add a login to the ban list, or take it off, without storing it in clear."""

from __future__ import annotations

import argparse

from signupsheet.commands.signup_options import login
from signupsheet.core.project import Project

NAME = "ban"
HELP = "add logins to the ban list (or remove them); the list stores only salted hashes"
DESCRIPTION = (
    "Add each LOGIN to banlist.txt as a salted hash (HMAC-SHA256 of the lower-cased login), or "
    "take it off with --remove. Banned people are refused with the neutral text used for every "
    "case the organizers handle personally. Commit banlist.txt afterwards; the file never "
    "contains a login, and the command prints none."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logins", nargs="+", type=login, metavar="LOGIN", help="GitHub logins")
    parser.add_argument("--remove", action="store_true", help="take the logins off the list")


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.registration import banlist

    path = project.banlist_path
    try:
        banned = banlist.load(path, project.display(path))
    except banlist.BanListError as error:
        print(error)
        return 1
    changed = 0
    for name in args.logins:
        changed += banned.remove(name) if args.remove else banned.add(name)
    if changed:
        banlist.save(path, banned)
    verb = "removed from" if args.remove else "added to"
    print(f"{changed} of {len(args.logins)} {verb} {project.display(path)}")
    return 0
