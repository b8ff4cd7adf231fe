"""Errors a user can fix, and the problems a run collects before it reports them.

Anything that is not a `UserError` is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


class UserError(Exception):
    """Something the person running the command can fix; the message says what and how."""


class ConfigurationError(UserError):
    """A setting of the site (a secret, a variable) is unusable: the command stops at start with
    exit code 2, naming the setting and never its value."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, with the position of the offending node (1-based)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ProblemsError(UserError):
    """Raised once, after a run collected every problem it found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """The one format for terminals, build errors and comments: `path:line:col: message`."""
    return "\n".join(str(problem) for problem in problems)


def problems_json(problems: Iterable[Problem]) -> str:
    return json.dumps([asdict(problem) for problem in problems], indent=2, ensure_ascii=False)
