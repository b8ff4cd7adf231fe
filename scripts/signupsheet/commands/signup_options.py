"""Arguments and output shared by `signupsheet register` and `signupsheet cancel`."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable

from signupsheet.core.rules import Outcome
from signupsheet.core.schema_values import LOGIN_PATTERN

LOGIN = re.compile(LOGIN_PATTERN)


def login(text: str) -> str:
    if not LOGIN.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a GitHub login")
    return text


def event_id(text: str) -> str:
    # Imported when an argument is checked: the schema's validator is slow to load.
    from signupsheet.eventfiles.semantic_checks import EVENT_ID

    if not EVENT_ID.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an event id (lower-case letters, digits and dashes)"
        )
    return text


def line(limit: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        from signupsheet.eventfiles.semantic_checks import secret_leaks

        text = text.strip()
        if not text or "\n" in text or "\r" in text or len(text) > limit:
            raise argparse.ArgumentTypeError(f"give one line of at most {limit} characters")
        if secret_leaks(text):
            raise argparse.ArgumentTypeError(
                "no e-mail addresses or meeting links: the sign-up sheet is public"
            )
        return text

    return check


def add_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", type=event_id, metavar="EVENT", help="the event's id")
    parser.add_argument(
        "--user", type=login, required=True, metavar="LOGIN", help="the person's GitHub login"
    )
    parser.add_argument(
        "--session",
        type=event_id,
        default=None,
        metavar="SID",
        help="the session's id (may be left out when the event has one session)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"outcome", "event", "session", "user", "reason", "promoted"}',
    )


def report(outcome: Outcome, as_json: bool) -> int:
    if as_json:
        print(json.dumps(outcome.to_json(), ensure_ascii=False))
    else:
        where = outcome.event if outcome.session is None else f"{outcome.event}/{outcome.session}"
        print(f"{outcome.outcome}: {outcome.user} for {where}: {outcome.reason}")
        for promoted in outcome.promoted:
            print(f"promoted from the waiting list: {promoted}")
    return 1 if outcome.refused else 0
