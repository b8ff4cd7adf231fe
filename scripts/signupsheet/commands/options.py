"""Argument types shared by several commands."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from signupsheet.model import parse_timestamp


def timestamp(text: str) -> datetime:
    try:
        return parse_timestamp(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        type=timestamp,
        default=None,
        metavar="ISO",
        help="act as if it were this moment, e.g. 2022-11-20T12:00:00Z (default: the real time)",
    )


def now_from(args: argparse.Namespace) -> datetime:
    now: datetime | None = args.now
    return now if now is not None else datetime.now(UTC)


def zone(text: str) -> ZoneInfo:
    """An IANA time zone name such as Europe/Vienna, for times people write in local time."""
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone name; use one like Europe/Vienna, America/Mexico_City "
            "or UTC"
        ) from None
