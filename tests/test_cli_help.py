"""Every command has help text and a row in the README's command table."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from signupsheet.main import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda module: module.NAME)
def test_command_is_documented(command: object, capsys: pytest.CaptureFixture[str]) -> None:
    name = command.NAME  # type: ignore[attr-defined]
    assert command.HELP.strip() and command.DESCRIPTION.strip()  # type: ignore[attr-defined]
    assert f"`signupsheet {name}" in (ROOT / "README.md").read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    assert command.DESCRIPTION.split()[0] in capsys.readouterr().out  # type: ignore[attr-defined]


def test_version_is_the_one_in_pyproject(capsys: pytest.CaptureFixture[str]) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"signupsheet {declared['project']['version']}\n"
