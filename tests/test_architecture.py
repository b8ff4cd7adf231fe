"""The package's rooms and the one-way flow between them, read from the imports of every module.

events/*.yaml → eventfiles → core → site | registration | delivery; MkDocs only in site/,
PyGithub only in github/, and the core does no I/O beyond what its callers hand it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from paths import REPO

PACKAGE = REPO / "scripts" / "signupsheet"

# The rooms each room may import from (itself included). The commands wire everything.
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "eventfiles": {"core", "eventfiles"},
    "site": {"core", "eventfiles", "site"},
    "organizer": {"core", "eventfiles", "organizer"},
    # Replies and forms link to event pages, so registration may use the site's addresses.
    "registration": {"core", "eventfiles", "site", "registration"},
    # Delivery records what it sent with the registration's git pushes, and looks up profiles.
    "delivery": {"core", "eventfiles", "site", "registration", "delivery", "github"},
    # The GitHub edge implements the interfaces the registration and delivery define.
    "github": {"core", "eventfiles", "registration", "delivery", "github"},
}
# Third-party packages that belong to one room only.
EDGE_PACKAGES = {"mkdocs": "site", "material": "site", "github": "github"}
# Modules the core may not import: it decides, the edges do the I/O.
NO_IO = {"socket", "smtplib", "subprocess", "urllib.request", "http.client", "requests"}


def _room(module: Path) -> str:
    parts = module.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def _imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations(where: str, room: str, imports: list[tuple[int, str]]) -> list[str]:
    problems = []
    for line, name in imports:
        top = name.split(".")[0]
        if top == "signupsheet":
            parts = name.split(".")
            target = parts[1] if len(parts) > 1 else ""
            if room in ALLOWED and target in {*ALLOWED, "commands"} - ALLOWED[room]:
                problems.append(f"{where}:{line}: {room}/ imports {name}")
        elif top in EDGE_PACKAGES and EDGE_PACKAGES[top] != room:
            problems.append(f"{where}:{line}: {top} is imported outside {EDGE_PACKAGES[top]}/")
        elif room == "core" and (name in NO_IO or top in NO_IO):
            problems.append(f"{where}:{line}: the core imports {name}")
    return problems


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_room_is_known() -> None:
    rooms = {_room(module) for module in MODULES}
    assert rooms == {"", "commands", *ALLOWED}


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_follow_the_flow(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert violations(str(module.relative_to(REPO)), _room(module), _imports(source)) == []


@pytest.mark.parametrize(
    ("room", "source"),
    [
        ("core", "import subprocess\n"),
        ("core", "from signupsheet.site.pages import event_page_path\n"),
        ("eventfiles", "from signupsheet.registration import git_sync\n"),
        ("registration", "import mkdocs.config\n"),
        ("registration", "from signupsheet.commands import sweep\n"),
        ("site", "from github import Github\n"),
        ("organizer", "from signupsheet.delivery.mailer import Mailer\n"),
    ],
)
def test_the_check_finds_a_wrong_import(room: str, source: str) -> None:
    assert len(violations(f"{room}/x.py", room, _imports(source))) == 1


def test_commands_start_without_the_heavy_libraries() -> None:
    """`signupsheet --help` imports no MkDocs, PyGithub, icalendar, ruamel or schema validator."""
    code = (
        "import sys\n"
        "from signupsheet.main import build_parser\n"
        "build_parser()\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    heavy = {"mkdocs", "material", "github", "icalendar", "ruamel", "jsonschema_rs", "yaml"}
    assert heavy & set(loaded) == set()
