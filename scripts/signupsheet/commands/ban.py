"""`signupsheet ban`: add a login to the ban list, or take it off, without storing it in clear."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from signupsheet.commands.signup_options import login
from signupsheet.core.project import Project

if TYPE_CHECKING:
    from signupsheet.registration.banlist import BanList

NAME = "ban"
HELP = "add logins to the ban list (or remove them); the list stores only keyed hashes"
DESCRIPTION = (
    "Add each LOGIN to banlist.txt as HMAC-SHA256 of the lower-cased login keyed with the secret "
    "SIGNUPSHEET_BAN_KEY (from the environment), or take it off with --remove. Without the key "
    "nobody can tell from the file whether a login is on it. Banned people are refused with the "
    "neutral text used for every case the organizers handle personally, get no meeting link and "
    "are never moved up from a waiting list. A list from before the key (with a public salt) is "
    "moved to the key with --migrate and every banned login. Commit banlist.txt afterwards; the "
    "file never contains a login, and the command prints none."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logins", nargs="+", type=login, metavar="LOGIN", help="GitHub logins")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--remove", action="store_true", help="take the logins off the list")
    what.add_argument(
        "--migrate",
        action="store_true",
        help="rewrite a list that has a public salt with the key; name every banned login",
    )
    parser.add_argument(
        "--drop-unnamed",
        action="store_true",
        help="with --migrate: leave off the old entries that none of the LOGINs matches",
    )


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.registration import banlist

    path = project.banlist_path
    shown = project.display(path)
    try:
        key = banlist.key_from(os.environ)
        banned = banlist.load(path, shown)
        if args.migrate:
            return _migrate(args, path, shown, banned, key)
        changed = 0
        for name in args.logins:
            changed += banned.remove(name, key) if args.remove else banned.add(name, key)
    except banlist.BanListError as error:
        print(f"error: {error}")
        return 1
    if changed:
        banlist.save(path, banned)
    verb = "removed from" if args.remove else "added to"
    print(f"{changed} of {len(args.logins)} {verb} {shown}")
    return 0


def _migrate(
    args: argparse.Namespace, path: Path, shown: str, old: BanList, key: str | None
) -> int:
    from signupsheet.registration import banlist

    result = banlist.migrate(old, args.logins, key)
    if result.unnamed and not args.drop_unnamed:
        print(
            f"error: {result.unnamed} of the {len(old.digests)} entries of {shown} match none of "
            "the logins given; name every banned login, or add --drop-unnamed to leave those "
            "off. Nothing was written."
        )
        return 1
    banlist.save(path, result.banlist)
    print(
        f"{shown} is now keyed with {banlist.BAN_KEY_VARIABLE}: {result.carried} of "
        f"{len(old.digests)} old entries carried over, {result.new} added, {result.unnamed} "
        "left off. Commit it; the old list stays readable in the repository's history."
    )
    return 0
