"""Argument types shared by several commands."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from signupsheet.core.model import parse_timestamp
from signupsheet.github.actions import DEFAULT_BOT, Workflow

if TYPE_CHECKING:
    from signupsheet.github.client import Repository


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


def clock_from(args: argparse.Namespace) -> Callable[[], datetime]:
    """The clock a long-running command reads: fixed by `--now`, or the real time."""
    fixed: datetime | None = args.now
    return (lambda: fixed) if fixed is not None else (lambda: datetime.now(UTC))


def add_github_options(parser: argparse.ArgumentParser) -> None:
    """The options of the commands that act on GitHub from a workflow run."""
    env = os.environ.get
    parser.add_argument(
        "--repo",
        default=env("GITHUB_REPOSITORY"),
        metavar="OWNER/NAME",
        help="the repository (default: $GITHUB_REPOSITORY)",
    )
    parser.add_argument(
        "--api-url",
        default=env("GITHUB_API_URL", "https://api.github.com"),
        help="the REST API address (default: $GITHUB_API_URL or api.github.com)",
    )
    parser.add_argument(
        "--server-url",
        default=env("GITHUB_SERVER_URL", "https://github.com"),
        help="the web address, for links in comments (default: $GITHUB_SERVER_URL)",
    )
    parser.add_argument(
        "--bot-login",
        default=DEFAULT_BOT,
        help=f"the account that answers (default: {DEFAULT_BOT})",
    )
    parser.add_argument("--remote", default="origin", help="git remote to fetch from and push to")
    parser.add_argument("--branch", default="main", help="branch holding the events")
    add_now(parser)
    parser.add_argument(
        "--no-throttle",
        action="store_true",
        help="no pauses between API requests (for a local test double, never against GitHub)",
    )
    parser.add_argument(
        "--backoff", type=float, default=1.0, help="base of the exponential retry back-off (s)"
    )


def connect_repository(github: Workflow, args: argparse.Namespace) -> Repository:
    """The repository through PyGithub, with the options of `add_github_options`; git may push
    to it with the same token (given through the environment, never written to .git/config)."""
    from signupsheet.github.client import connect
    from signupsheet.registration.git_sync import git_push_auth

    git_push_auth(github.token, github.server_url)
    return connect(
        github.token,
        github.repository,
        api_url=github.api_url,
        backoff=args.backoff,
        polite=not args.no_throttle,
    )
