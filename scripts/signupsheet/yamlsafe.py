"""Reading untrusted YAML: fast on the common path, precise about positions when something is wrong.

Event files are parsed with PyYAML's C loader under YAML 1.2 core rules (so `no`, `on` and `12:30`
stay text), with timestamps left as text for our own stricter checks. Anchors and aliases are
refused (they are how "billion laughs" files blow up memory), and so are duplicate keys, which
PyYAML would otherwise silently overwrite. Positions are only computed when a problem needs one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from signupsheet.errors import Problem

MAX_BYTES = 1_000_000
# Flow collections nested deeper than this are refused before parsing: the C composer recurses.
MAX_DEPTH = 64

PathItem = str | int


class _Loader(yaml.CSafeLoader):
    """CSafeLoader with YAML 1.2 core scalars and duplicate-key detection."""

    duplicates: list[tuple[str, yaml.Mark, yaml.Mark]]

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        first_marks: dict[Any, yaml.Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "merge keys (<<) are not allowed; write the values out",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"keys must be text, found {key!r}; quote the key",
                    key_node.start_mark,
                )
            if key in mapping:
                self.duplicates.append((key, key_node.start_mark, first_marks[key]))
                continue
            first_marks[key] = key_node.start_mark
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _core_schema_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}

    def add(tag: str, pattern: str, first: str) -> None:
        regexp = re.compile(pattern, re.X)
        for char in first:
            resolvers.setdefault(char, []).append((tag, regexp))

    add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
    add("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
    add(
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    )
    add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN\0")
    resolvers.setdefault(None, []).append(("tag:yaml.org,2002:null", re.compile(r"^$")))
    return resolvers


_Loader.yaml_implicit_resolvers = _core_schema_resolvers()


def _int_core(loader: _Loader, node: yaml.ScalarNode) -> int:
    value = str(loader.construct_scalar(node))
    if value.startswith("0o"):
        return int(value[2:], 8)
    return int(value, 0) if value.startswith("0x") else int(value)


_Loader.add_constructor("tag:yaml.org,2002:int", _int_core)


@dataclass
class Parsed:
    """The outcome of reading one file: data when it could be read, and what was wrong."""

    path: str
    text: str = ""
    data: Any = None
    problems: list[Problem] = field(default_factory=list)


def _mark_problem(path: str, mark: Any, message: str) -> Problem:
    if mark is None:
        return Problem(path, 0, 0, message)
    return Problem(path, mark.line + 1, mark.column + 1, message)


def _position_of_offset(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


_FLOW_OPEN = re.compile(r"[\[{]")


def _flow_depth_exceeded(text: str) -> int | None:
    """Offset where flow nesting passes MAX_DEPTH, ignoring brackets inside quotes roughly."""
    if len(_FLOW_OPEN.findall(text)) <= MAX_DEPTH:
        return None
    depth = 0
    for offset, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif char in "]}" and depth:
            depth -= 1
        elif char == "\n":
            depth = 0 if depth and text[offset + 1 : offset + 2] not in (" ", "\t") else depth
    return None


def parse(raw: bytes, path: str) -> Parsed:
    """Parse an event file's bytes. Never raises for bad input: problems are returned."""
    result = Parsed(path)
    if len(raw) > MAX_BYTES:
        result.problems.append(
            Problem(
                path,
                0,
                0,
                f"file is larger than {MAX_BYTES:,} bytes, the limit for an "
                "event file; split the event or purge old entries",
            )
        )
        return result
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        line, column = _position_of_offset(prefix, len(prefix))
        result.problems.append(
            Problem(
                path,
                line,
                column,
                f"not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                "save the file with UTF-8 encoding",
            )
        )
        return result
    result.text = text
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        result.problems.append(
            Problem(path, 1, 1, "empty file; an event needs at least a title and sessions")
        )
        return result
    too_deep = _flow_depth_exceeded(text)
    if too_deep is not None:
        line, column = _position_of_offset(text, too_deep)
        result.problems.append(
            Problem(
                path,
                line,
                column,
                f"nested deeper than {MAX_DEPTH} levels; an event file is never that deep",
            )
        )
        return result
    if "&" in text or "*" in text:
        alias_problem = _find_anchor(text, path)
        if alias_problem is not None:
            result.problems.append(alias_problem)
            return result
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        message = " ".join(part for part in (error.context, error.problem) if part)
        mark = error.problem_mark or error.context_mark
        result.problems.append(_mark_problem(path, mark, f"not valid YAML: {message}"))
        return result
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        result.problems.append(Problem(path, 0, 0, f"not valid YAML: {error}"))
        return result
    finally:
        loader.dispose()
    for key, mark, first in loader.duplicates:
        result.problems.append(
            _mark_problem(
                path,
                mark,
                f"duplicate key {key!r} (first at line {first.line + 1}); keep one of them",
            )
        )
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        result.problems.append(
            Problem(
                path,
                1,
                1,
                f"expected a mapping of event fields (title: …, sessions: …), found {kind}",
            )
        )
        return result
    result.data = data
    return result


def _find_anchor(text: str, path: str) -> Problem | None:
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return _mark_problem(
                    path,
                    event.start_mark,
                    f"YAML aliases (*{event.anchor}) are not allowed; write the value out in full",
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                return _mark_problem(
                    path,
                    event.start_mark,
                    f"YAML anchors (&{anchor}) are not allowed; write the value out in full",
                )
    except yaml.YAMLError:
        return None  # the full parse reports it with its position
    return None


def locate(text: str, where: Sequence[PathItem], *, key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `where`; of its key when `key` is true.

    Falls back to the deepest node that exists, so a missing property points at its parent.
    """
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return 1, 1
    if node is None:
        return 1, 1
    mark = node.start_mark
    for step in where:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key_node, value_node in node.value:
                if key_node.value == step:
                    child = value_node
                    mark = key_node.start_mark if key else value_node.start_mark
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            child = node.value[step]
            mark = child.start_mark
        if child is None:
            break
        node = child
    return mark.line + 1, mark.column + 1
