"""`signupsheet seal-contact`: seal an e-mail address for one registration, without a browser."""

from __future__ import annotations

import argparse
import sys

from signupsheet.commands.signup_options import event_id, login
from signupsheet.core.project import Project

NAME = "seal-contact"
HELP = "seal an e-mail address for the meeting link, to paste into a registration"
DESCRIPTION = (
    "Encrypt ADDRESS, with LOGIN and EVENT, to the site's public key (contact-key.pub, or --key) "
    "and print the sealed text alone on standard output: the same text the event page makes. "
    "Paste it into the registration form's sealed e-mail field, or as contact: in a pull "
    "request. Only the workflow holding the private key can read it, and only for LOGIN's "
    "registration to EVENT. ADDRESS - reads the address from standard input."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("address", metavar="ADDRESS", help="the e-mail address, or - for stdin")
    parser.add_argument(
        "--user", type=login, required=True, metavar="LOGIN", help="your GitHub login"
    )
    parser.add_argument(
        "--event", type=event_id, required=True, metavar="EVENT", help="the event's id"
    )
    parser.add_argument("--key", metavar="PUBLIC", help="the public key (default: contact-key.pub)")


def run(args: argparse.Namespace, project: Project) -> int:
    from signupsheet.core.sealed_contact import seal
    from signupsheet.organizer.contact_keys import read_public_key

    public = args.key or read_public_key(project)
    if public is None:
        print(
            f"no public key: {project.display(project.contact_key_path)} is missing "
            "(the organizers make it with `signupsheet contact-key new`)",
            file=sys.stderr,
        )
        return 1
    address = sys.stdin.readline().strip() if args.address == "-" else args.address
    try:
        sealed = seal(public, address, login=args.user, event=args.event)
    except ValueError as error:
        # The messages never quote the address.
        print(f"seal-contact: {error}", file=sys.stderr)
        return 1
    print(sealed)
    return 0
