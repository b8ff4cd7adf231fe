"""Each type name means one thing across the package: a class or type alias is defined once.

Two `Outcome`s (a registration decision, a link delivery) or two `Status`es read the same in an
import and in a review; the second of each gets a name of its own.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from paths import REPO

PACKAGE = REPO / "scripts" / "signupsheet"


def type_names(source: str) -> list[str]:
    """The module-level classes and CamelCase aliases (`Status = Literal[...]`) of a module."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [name for name in names if name[:1].isupper() and not name.isupper()]


def test_type_names_are_found() -> None:
    source = "class Outcome: ...\nStatus = int\nMAX = 3\n_Hidden = 1\nKind: type = str\n"
    assert type_names(source) == ["Outcome", "Status", "Kind"]


def test_each_type_name_is_defined_once() -> None:
    where: defaultdict[str, list[str]] = defaultdict(list)
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50
    for path in modules:
        for name in type_names(path.read_text(encoding="utf-8")):
            where[name].append(path.relative_to(PACKAGE).as_posix())
    assert len(where) > 40
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}
