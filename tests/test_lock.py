"""requirements/workflows.txt — what the privileged workflows install — is current with
pyproject.toml, read offline.

The lock is made by `scripts/dev.sh lock` (pip-compile --generate-hashes). Regenerating it needs
the network, so this test does not: it checks what staleness would break. Every dependency and
build requirement of pyproject.toml must be pinned in the lock at a version its range allows;
every package the lock says is there for pyproject.toml must still be asked for; and every pin
carries hashes (pip refuses `--require-hashes` installs otherwise). A range changed in a way the
pin still satisfies needs no new lock.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from paths import REPO

LOCK = REPO / "requirements" / "workflows.txt"
HOW = "the lock is stale: run `scripts/dev.sh lock` and commit requirements/workflows.txt"


def locked(text: str) -> dict[str, tuple[Version, list[str], list[str]]]:
    """Each pinned package: its version, its hashes, and what it is there for."""
    found: dict[str, tuple[Version, list[str], list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if head is None:
            continue
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        via = re.findall(r"#\s+(?:via\s+)?(\S.*?)\s*$", block, re.MULTILINE)
        found[canonicalize_name(head.group(1))] = (Version(head.group(2)), hashes, via)
    return found


def wanted(pyproject: dict[str, object]) -> list[Requirement]:
    project = pyproject["project"]
    build = pyproject["build-system"]
    assert isinstance(project, dict) and isinstance(build, dict)
    return [Requirement(text) for text in [*project["dependencies"], *build["requires"]]]


def problems(pyproject_text: str, lock_text: str) -> list[str]:
    pyproject = tomllib.loads(pyproject_text)
    pins = locked(lock_text)
    found = []
    names = set()
    for requirement in wanted(pyproject):
        name = canonicalize_name(requirement.name)
        names.add(name)
        if name not in pins:
            found.append(f"{requirement.name} is not in the lock")
        elif pins[name][0] not in requirement.specifier:
            found.append(f"{requirement.name}=={pins[name][0]} is outside {requirement}")
    for name, (version, hashes, via) in pins.items():
        if not hashes:
            found.append(f"{name}=={version} has no hash")
        direct = any(reason.startswith("signupsheet (pyproject.toml") for reason in via)
        if direct and name not in names:
            found.append(f"{name} is no longer a dependency in pyproject.toml")
    return found


def test_the_lock_is_current_with_pyproject() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert problems(pyproject, LOCK.read_text(encoding="utf-8")) == [], HOW


def test_the_lock_says_how_it_is_made_and_pins_the_build_backend() -> None:
    text = LOCK.read_text(encoding="utf-8")
    assert "#    scripts/dev.sh lock\n" in text
    pins = locked(text)
    assert "setuptools" in pins, "the build backend is installed from the lock too"
    assert all(len(hashes) >= 1 for _, hashes, _ in pins.values())
    # Nothing a machine's pip configuration adds: no index, no local folder of wheels.
    assert not re.search(r"^--(index-url|extra-index-url|find-links)", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"PyYAML>=6.0,<7",',
            '"PyYAML>=6.0,<7",\n    "tomli-w>=1.0",',
            "tomli-w is not",
        ),
        ('"PyYAML>=6.0,<7",', '"PyYAML>=7,<8",', "PyYAML==6"),
        ('    "feedgen>=1.0,<2",\n', "", "feedgen is no longer"),
        ('requires = ["setuptools>=77"]', 'requires = ["setuptools>=999"]', "setuptools=="),
    ],
    ids=["added", "range moved", "removed", "build backend"],
)
def test_a_stale_lock_is_caught(old: str, new: str, message: str) -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert old in pyproject
    found = problems(pyproject.replace(old, new, 1), LOCK.read_text(encoding="utf-8"))
    assert any(message in item for item in found), found
