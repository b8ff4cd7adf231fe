"""Every command has help text and a row in the README's command table."""

from __future__ import annotations

import tomllib

import pytest

from paths import REPO
from signupsheet.main import COMMANDS, build_parser, main


@pytest.mark.parametrize("command", COMMANDS, ids=lambda module: module.NAME)
def test_command_is_documented(command: object, capsys: pytest.CaptureFixture[str]) -> None:
    name = command.NAME  # type: ignore[attr-defined]
    assert command.HELP.strip() and command.DESCRIPTION.strip()  # type: ignore[attr-defined]
    assert f"`signupsheet {name}" in (REPO / "README.md").read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    assert command.DESCRIPTION.split()[0] in capsys.readouterr().out  # type: ignore[attr-defined]


def test_the_top_level_help_lists_every_command() -> None:
    text = build_parser().format_help()
    assert text
    for command in COMMANDS:
        assert command.NAME in text, command.NAME


def test_version_is_the_one_in_pyproject(capsys: pytest.CaptureFixture[str]) -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"signupsheet {declared['project']['version']}\n"
