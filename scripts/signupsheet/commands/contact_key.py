"""`signupsheet contact-key`: make the site's key pair for sealed contacts, or rotate it."""

from __future__ import annotations

import argparse
import sys

from signupsheet.core.project import Project

NAME = "contact-key"
HELP = "make the key pair for sealed e-mail addresses (new), or move every contact to a new one"
DESCRIPTION = (
    "new: write the public key to contact-key.pub (commit it; the event pages and seal-contact "
    "read it) and print the private key, alone on standard output, for the repository secret "
    "SIGNUPSHEET_CONTACT_KEY: SIGNUPSHEET_CONTACT_KEY=$(signupsheet contact-key new). It refuses "
    "to replace an existing key without --force, since seals made to the old key could no longer "
    "be read. rotate: re-seal every stored contact from the key in SIGNUPSHEET_CONTACT_KEY to the "
    "one in SIGNUPSHEET_NEW_CONTACT_KEY and write the new public key; then commit and replace the "
    "secret. Messages go to standard error."
)

NEW_KEY_VARIABLE = "SIGNUPSHEET_NEW_CONTACT_KEY"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("new", "rotate"), help="what to do")
    parser.add_argument(
        "--force", action="store_true", help="new: replace an existing contact-key.pub"
    )


def run(args: argparse.Namespace, project: Project) -> int:
    import os

    from signupsheet.core.errors import ConfigurationError
    from signupsheet.core.sealed_contact import new_key_pair, valid_key
    from signupsheet.organizer.contact_keys import read_public_key, rotate, write_public_key
    from signupsheet.registration.contact_check import contact_key

    shown = project.display(project.contact_key_path)
    if args.action == "new":
        if read_public_key(project) is not None and not args.force:
            print(
                f"{shown} exists: contacts sealed to it would become unreadable. Use "
                "`contact-key rotate` to change keys, or --force to start over.",
                file=sys.stderr,
            )
            return 1
        pair = new_key_pair()
        write_public_key(project, pair.public)
        print(
            f"wrote the public key to {shown}; commit it. The private key follows on standard "
            "output: store it as the secret SIGNUPSHEET_CONTACT_KEY and nowhere else.",
            file=sys.stderr,
        )
        print(pair.private)
        return 0
    old = contact_key()
    new = os.environ.get(NEW_KEY_VARIABLE, "").strip()
    if new and not valid_key(new):
        raise ConfigurationError(
            f"{NEW_KEY_VARIABLE} is not a private key: it must be the 32-byte key in base64 "
            f"that `signupsheet contact-key new --force` printed ({NEW_KEY_VARIABLE}=$(signupsheet "
            "contact-key new --force))."
        )
    if old is None or not new:
        print(
            f"rotate needs the old private key in SIGNUPSHEET_CONTACT_KEY and the new one in "
            f"{NEW_KEY_VARIABLE} (make it with: {NEW_KEY_VARIABLE}=$(signupsheet contact-key "
            "new --force) after saving the old one)",
            file=sys.stderr,
        )
        return 2
    try:
        done = rotate(project, old, new)
    except ValueError as error:
        print(f"rotate: {error}", file=sys.stderr)
        return 1
    print(
        f"re-sealed {done.resealed} contact(s) in {len(done.written)} file(s); wrote {shown}. "
        "Commit, then set SIGNUPSHEET_CONTACT_KEY to the new key.",
        file=sys.stderr,
    )
    for place in done.failed:
        print(f"{place}: the old key does not open this contact; left as it was", file=sys.stderr)
    return 1 if done.failed else 0
