"""The project reads no file outside its repository: a clone in an empty folder must pass.

A cheap guard over the code in tests/, benchmarks/, scripts/ and .ci/: it looks for absolute
paths into the machine's own folders, for `Path(__file__)` climbing above the repository, and
for relative paths that start with `..`. Each check is tried on a line that must trip it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("tests", "benchmarks", "scripts", ".ci")

# Absolute paths the project may name: the system's Chromium, and Linux's process information.
ALLOWED_ABSOLUTE = ("/usr/bin/chromium", "/proc/", "/dev/null")
# Top folders of a machine where a developer's files live; any path below them is outside.
MACHINE_FOLDERS = ("Users", "home", "root", "work", "mnt", "media", "opt", "srv", "tmp", "var")
MACHINE_FOLDERS += ("etc", "usr", "shared", "workspace", "builds")
_ABSOLUTE = re.compile(r"^/(?:" + "|".join(MACHINE_FOLDERS) + r")(?:/|$)")
_FILE_CHAIN = re.compile(
    r"Path\(__file__\)(?:\.resolve\(\))?(?P<chain>(?:\.parent\b|\.parents\[\d+\])*)"
)
_SHELL_UP = re.compile(r"(?<![\w$)])\.\./")


def _levels(chain: str) -> int:
    """How many folders `Path(__file__)` followed by `chain` climbs above the file."""
    levels = 0
    for step in re.findall(r"\.parent\b|\.parents\[(\d+)\]", chain):
        levels += int(step) + 1 if step else 1
    return levels


def _python_problems(path: Path, text: str, depth: int) -> list[str]:
    problems = []
    for match in _FILE_CHAIN.finditer(text):
        if _levels(match["chain"]) > depth:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path}:{line}: Path(__file__) climbs above the repository")
    tree = ast.parse(text)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        value = node.value
        if _ABSOLUTE.match(value) and not value.startswith(ALLOWED_ABSOLUTE):
            problems.append(f"{path}:{node.lineno}: absolute path {value!r}")
        # A `../` in a URL is fine; one used as a file path (Path(...), a / b, open) is not.
        outward = value in {"..", "shared"} or value.startswith(("../", "..\\"))
        if outward and isinstance(parents.get(node), ast.BinOp | ast.Call):
            problems.append(f"{path}:{node.lineno}: path outside the repository {value!r}")
    return problems


def _shell_problems(path: Path, text: str) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        # `$(dirname "$0")/..` is the repository itself, seen from scripts/ or .ci/.
        code = code.replace('$(dirname "$0")/..', "")
        if _SHELL_UP.search(code) or re.search(r"(?:^|[\s\"'=])/(?:work|home|shared)/", code):
            problems.append(f"{path}:{number}: path outside the repository")
    return problems


def problems_in(path: Path, text: str) -> list[str]:
    depth = len(path.parts)  # steps from the file up to the repository's root
    if path.suffix == ".py":
        return _python_problems(path, text, depth)
    return _shell_problems(path, text)


def _code_files() -> list[Path]:
    files = []
    for folder in FOLDERS:
        for file in sorted((REPO / folder).rglob("*")):
            # This file itself holds bad paths on purpose, as the examples below.
            if not file.is_file() or "__pycache__" in file.parts or file == Path(__file__):
                continue
            if file.suffix in {".py", ".sh"} or (file.suffix == "" and file.parent.name == ".ci"):
                files.append(file.relative_to(REPO))
    return files


def test_the_guard_covers_the_code() -> None:
    files = {str(file) for file in _code_files()}
    assert {".ci/run", "scripts/dev.sh", "tests/conftest.py"} <= files
    assert any(name.startswith("benchmarks/") for name in files)


@pytest.mark.parametrize("path", _code_files(), ids=str)
def test_no_file_names_a_path_outside_the_repository(path: Path) -> None:
    assert problems_in(path, (REPO / path).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (Path("tests/x.py"), 'P = Path(__file__).resolve().parents[1].parent / "payloads"\n'),
        (Path("tests/x.py"), "P = Path(__file__).parent.parent.parent\n"),
        (Path("tests/x.py"), 'P = Path("/work/shared/github-payloads")\n'),
        (Path("benchmarks/x.py"), 'P = Path("/home/dev/events")\n'),
        (Path("tests/x.py"), 'P = ROOT / ".." / "shared"\n'),
        (Path("tests/x.py"), 'P = Path("../shared/seed")\n'),
        (Path("scripts/x.sh"), "cp ../shared/seed/* events/\n"),
        (Path(".ci/run"), "ls /work/shared\n"),
    ],
)
def test_the_guard_finds_paths_outside(path: Path, text: str) -> None:
    assert problems_in(path, text)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (Path("tests/x.py"), "ROOT = Path(__file__).resolve().parents[1]\n"),
        (Path("tests/kit/x.py"), "ROOT = Path(__file__).resolve().parent.parent.parent\n"),
        (Path("tests/x.py"), "assert href == '../../policies/safe-space/'\n"),
        (Path("tests/x.py"), 'CHROMIUM = Path("/usr/bin/chromium")\n'),
        (Path("scripts/x.sh"), 'cd "$(dirname "$0")/.."\n'),
    ],
)
def test_the_guard_lets_the_repository_be(path: Path, text: str) -> None:
    assert problems_in(path, text) == []
