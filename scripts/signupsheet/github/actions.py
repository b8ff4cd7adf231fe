"""The GitHub Actions glue every workflow command shares: inputs, outputs, masks, summary.

Standard library only, so that a command imports it without PyGithub. Untrusted values reach
the commands through the environment and the webhook payload file, never through `${{ }}` in a
shell; this module reads them as data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signupsheet.core.errors import UserError

# The login GitHub gives the comments made with a workflow's token.
DEFAULT_BOT = "github-actions[bot]"


@dataclass(frozen=True)
class Workflow:
    """What a command needs to act on GitHub: the token and the repository, both checked."""

    token: str
    repository: str
    api_url: str
    server_url: str

    @property
    def repo_url(self) -> str:
        return f"{self.server_url.rstrip('/')}/{self.repository}"


def workflow(
    environ: Mapping[str, str], repository: str | None, api_url: str, server_url: str, need: str
) -> Workflow:
    """The token from the environment and the repository from the options, or a UserError.

    `need` says which permission the token must have, for the message when it is missing.
    """
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise UserError(f"GITHUB_TOKEN is not set; this command needs a token with {need}")
    if not repository or "/" not in repository:
        raise UserError("give the repository with --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
    return Workflow(token, repository, api_url, server_url)


def payload_item(path: Path | None, key: str) -> dict[str, Any] | None:
    """`payload[key]` of a webhook payload file when it is an object with an integer `number`,
    read as data (never through a shell)."""
    if path is None or not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    item = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(item, dict) or payload_number_of(item) is None:
        return None
    return item


def payload_number_of(item: dict[str, Any]) -> int | None:
    number = item.get("number")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def payload_number(path: Path | None, key: str) -> int | None:
    """`payload[key]["number"]` of a webhook payload file, read as data (never through a shell)."""
    item = payload_item(path, key)
    number = item.get("number") if item is not None else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def write_outputs(environ: Mapping[str, str], **values: bool | str) -> None:
    """Step outputs for later jobs (`changed=true`: the site rebuilds); none outside Actions.

    Text is written as one `name=value` line, so it must be one line of plain data made by our
    own code (later jobs read it through `env:`, never inside a shell command).
    """
    lines = []
    for name, value in values.items():
        if isinstance(value, bool):
            lines.append(f"{name}={'true' if value else 'false'}")
        elif "\n" in value or "\r" in value:
            raise ValueError(f"output {name} must be one line")
        else:
            lines.append(f"{name}={value}")
    path = environ.get("GITHUB_OUTPUT")
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in lines)


def append_summary(environ: Mapping[str, str], markdown: str) -> None:
    """Add Markdown to the job's summary page, when there is one."""
    path = environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")


def mask_lines(environ: Mapping[str, str], secrets: Iterable[str]) -> list[str]:
    """Workflow commands that hide each secret value from the rest of the log (Actions only).

    One command masks one line, so a value with a line break is left out: the secrets are read
    line by line and passed here as single-line values.
    """
    if environ.get("GITHUB_ACTIONS") != "true":
        return []
    values = [value for value in dict.fromkeys(secrets) if value and "\n" not in value]
    return [f"::add-mask::{value}" for value in values]


def print_masks(environ: Mapping[str, str], secrets: Iterable[str]) -> None:
    for line in mask_lines(environ, secrets):
        print(line, flush=True)
