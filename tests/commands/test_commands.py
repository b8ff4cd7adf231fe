from __future__ import annotations

from paths import REPO
from signupsheet.main import COMMANDS, build_parser


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    build_parser()
    for command in COMMANDS:
        assert command.HELP and command.DESCRIPTION, command.NAME
        assert f"`signupsheet {command.NAME}" in readme, command.NAME
