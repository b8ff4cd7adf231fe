"""Reading untrusted YAML: fast on the common path, precise about positions when something is wrong.

Event files are parsed by libyaml (PyYAML's C parser) into nodes, and the nodes are turned into
plain data here, under YAML 1.2 core rules (so `no`, `on` and `12:30` stay text) and with
timestamps left as text for our own stricter checks. Building the data ourselves is both faster
than PyYAML's constructor and stricter: anchors and aliases are refused (they are how "billion
laughs" files blow up memory), so are duplicate keys, which PyYAML would silently overwrite, keys
that are not text, explicit tags such as `!!binary`, and nesting deeper than any event needs.
Positions are only computed when a problem needs one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from signupsheet.core.errors import Problem
from signupsheet.eventfiles.gc_pause import gc_paused

MAX_BYTES = 1_000_000
# Deeper nesting is refused. Flow collections (`[[[[`) are counted before parsing because the C
# composer recurses; block nesting is capped by libyaml itself (1,000 levels) and then by the
# builder below, which checks the depth of every node.
MAX_DEPTH = 64

PathItem = str | int

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_INT = _TAG + "int"
_FLOAT = _TAG + "float"
_BOOL = _TAG + "bool"
_NULL = _TAG + "null"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"

# YAML 1.2 core schema: the only plain scalars that are not text.
_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_BOOL_RE = re.compile(r"true|True|TRUE|false|False|FALSE")
_NULL_RE = re.compile(r"~|null|Null|NULL|")
# First characters of plain scalars that may be something other than text.
_SPECIAL_FIRST = frozenset("-+.0123456789~nNtTfF")


def resolve_plain(value: str) -> str:
    """The tag a plain (unquoted) scalar gets under YAML 1.2 core rules, timestamps left as text."""
    if not value:
        return _NULL
    if value[0] not in _SPECIAL_FIRST:
        return _STR
    if _INT_RE.fullmatch(value):
        return _INT
    if _FLOAT_RE.fullmatch(value):
        return _FLOAT
    if _BOOL_RE.fullmatch(value):
        return _BOOL
    if _NULL_RE.fullmatch(value):
        return _NULL
    return _STR


class _Loader(yaml.CSafeLoader):
    """libyaml's parser and composer with YAML 1.2 core tag resolution (no timestamps)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return resolve_plain(value) if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


class _Refused(Exception):
    """A node the builder will not turn into data; carries its position."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Alias(Exception):
    """A node reached twice: the file uses an alias."""


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scalar(node: yaml.ScalarNode) -> Any:
    tag: str = node.tag
    value: str = node.value
    if tag == _STR:
        return value
    if tag == _INT and _INT_RE.fullmatch(value):
        if value.startswith("0o"):
            return int(value[2:], 8)
        return int(value[2:], 16) if value.startswith("0x") else int(value)
    if tag == _FLOAT and (_FLOAT_RE.fullmatch(value) or _INT_RE.fullmatch(value)):
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(int(value, 0)) if lowered.startswith(("0x", "0o")) else float(value)
    if tag == _BOOL and _BOOL_RE.fullmatch(value):
        return value[0] in "tT"
    if tag == _NULL and _NULL_RE.fullmatch(value):
        return None
    if tag in (_INT, _FLOAT, _BOOL, _NULL):
        kind = {_INT: "whole number", _FLOAT: "number", _BOOL: "true or false", _NULL: "null"}
        raise _Refused(node.start_mark, f"{value!r} is not a valid {kind[tag]} ({_short_tag(tag)})")
    raise _Refused(
        node.start_mark,
        f"YAML tags such as {_short_tag(tag)} are not allowed; remove the tag and write the "
        "value as plain text (in quotes if needed)",
    )


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, refusing what an event never needs."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.duplicates: list[tuple[str, yaml.Mark, yaml.Mark]] = []
        # Every refused node, so that one run reports them all; the data is then not used.
        self.refused: list[_Refused] = []

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        try:
            return self._build(node, depth)
        except _Refused as refused:
            self.refused.append(refused)
            return None

    def _build(self, node: yaml.Node, depth: int) -> Any:
        if id(node) in self.seen:
            raise _Alias
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if depth >= MAX_DEPTH:
            raise _Refused(
                node.start_mark,
                f"nested deeper than {MAX_DEPTH} levels; an event file is never that deep",
            )
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _Refused(node.start_mark, _tag_message(node.tag))
            return [self.build(item, depth + 1) for item in node.value]
        if node.tag != _MAP:
            raise _Refused(node.start_mark, _tag_message(node.tag))
        mapping: dict[str, Any] = {}
        first_marks: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            try:
                key = self._key(key_node)
            except _Refused as refused:
                self.refused.append(refused)
                self.build(value_node, depth + 1)
                continue
            if key in mapping:
                self.duplicates.append((key, key_node.start_mark, first_marks[key]))
                self.build(value_node, depth + 1)  # still checked: aliases, tags, depth
                continue
            first_marks[key] = key_node.start_mark
            mapping[key] = self.build(value_node, depth + 1)
        return mapping

    def _key(self, node: yaml.Node) -> str:
        if id(node) in self.seen:
            raise _Alias
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            value: str = node.value
            return value
        if node.tag == _TAG + "merge":
            raise _Refused(node.start_mark, "merge keys (<<) are not allowed; write the values out")
        if isinstance(node, yaml.ScalarNode) and not node.value:
            raise _Refused(node.start_mark, "a key is missing before the colon; write its name")
        if isinstance(node, yaml.ScalarNode):
            raise _Refused(
                node.start_mark, f"keys must be text, found {node.value!r}; quote the key"
            )
        raise _Refused(node.start_mark, "keys must be text, found a list or mapping")


def _tag_message(tag: str) -> str:
    return (
        f"YAML tags such as {_short_tag(tag)} are not allowed; remove the tag and write plain "
        "lists and mappings"
    )


@dataclass
class Parsed:
    """The outcome of reading one file: data when it could be read, and what was wrong."""

    path: str
    text: str = ""
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    # The composed document, kept so that positions need no second parse.
    root: yaml.Node | None = None


def _compose(loader: _Loader) -> yaml.Node | None:
    with gc_paused():
        node: yaml.Node | None = loader.get_single_node()
    return node


def _mark_problem(path: str, mark: Any, message: str) -> Problem:
    if mark is None:
        return Problem(path, 1, 1, message)
    return Problem(path, mark.line + 1, mark.column + 1, message)


def _position_of_offset(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _flow_depth_exceeded(text: str) -> int | None:
    """Offset where flow nesting passes MAX_DEPTH, ignoring brackets inside quotes roughly."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
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


# A `&name` or `*name` where a node may start. Only a hint for the exact (slower) event scan:
# aliases it misses are still caught by the builder, which sees a node twice.
# Starting with the character class lets the regex engine skip quickly to candidates.
_ANCHOR_HINT = re.compile(r"[&*][\w.-]+(?=[\s,\]}]|\Z)")


def _may_have_anchor(text: str) -> bool:
    return any(
        match.start() == 0 or text[match.start() - 1] in " \t\r\n[{,:"
        for match in _ANCHOR_HINT.finditer(text)
    )


def _syntax_message(error: yaml.MarkedYAMLError, source: str) -> str:
    problem = error.problem or ""
    context = error.context or ""
    text = " ".join(part for part in (context, problem) if part)
    mark, opened = error.problem_mark, error.context_mark
    if mark is not None and opened is not None and opened.line != mark.line:
        text += f" (opened at line {opened.line + 1}, column {opened.column + 1})"
    lines = source.split("\n")
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "tab" in problem or "\t" in line[: mark.column + 1 if mark is not None else 0]:
        return f"not valid YAML: {text}; indent with spaces, not tabs"
    if "expected a single document" in context:
        return (
            "a second YAML document (---) in the file; an event file holds exactly one event, "
            "so remove the --- line and what follows or move it to its own file"
        )
    if "scanning an alias" in context or "scanning an anchor" in context:
        return (
            f"not valid YAML: {text}; a value that starts with * or & must be in quotes, "
            "e.g. note: '*important*'"
        )
    if "maximum nesting depth" in problem:
        return f"nested deeper than {MAX_DEPTH} levels; an event file is never that deep"
    return f"not valid YAML: {text}; check the indentation, quotes and colons here"


def parse(raw: bytes, path: str) -> Parsed:
    """Parse an event file's bytes. Never raises for bad input: problems are returned."""
    result = Parsed(path)
    if len(raw) > MAX_BYTES:
        result.problems.append(
            Problem(
                path,
                1,
                1,
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
        # Kept for the secret scan only: an address must be found even in a badly saved file.
        result.text = raw.decode("utf-8", errors="replace")
        return result
    result.text = text
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        result.problems.append(
            Problem(path, 1, 1, "the file is empty; an event needs at least a title and sessions")
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
    if ("&" in text or "*" in text) and _may_have_anchor(text):
        anchor = _find_anchor(text, path)
        if anchor is not None:
            result.problems.append(anchor)
            return result
    loader = _Loader(text)
    try:
        node = _compose(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        result.problems.append(_mark_problem(path, mark, _syntax_message(error, text)))
        return result
    except yaml.reader.ReaderError as error:
        result.problems.append(_reader_problem(text, path, error))
        return result
    except yaml.YAMLError as error:
        result.problems.append(Problem(path, 1, 1, f"not valid YAML: {error}"))
        return result
    finally:
        loader.dispose()
    if node is None or (isinstance(node, yaml.ScalarNode) and resolve_plain(node.value) == _NULL):
        result.problems.append(
            Problem(path, 1, 1, "the file holds no event; an event needs a title and sessions")
        )
        return result
    result.root = node
    builder = _Builder()
    try:
        with gc_paused():
            data = builder.build(node)
    except _Alias:
        result.problems.append(
            _find_anchor(text, path)
            or Problem(path, 1, 1, "YAML aliases are not allowed; write the value out in full")
        )
        return result
    for refused in builder.refused:
        result.problems.append(_mark_problem(path, refused.mark, refused.message))
    for key, mark, first in builder.duplicates:
        result.problems.append(
            _mark_problem(
                path,
                mark,
                f"duplicate key {key!r} (first at line {first.line + 1}); keep one of them",
            )
        )
    if builder.refused:
        return result
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        result.problems.append(
            _mark_problem(
                path,
                node.start_mark,
                f"expected a mapping of event fields (title: …, sessions: …), found {kind}",
            )
        )
        return result
    result.data = data
    return result


def _reader_problem(text: str, path: str, error: yaml.reader.ReaderError) -> Problem:
    # libyaml reports the offset in UTF-8 bytes.
    prefix = text.encode("utf-8")[: error.position].decode("utf-8", errors="replace")
    line, column = _position_of_offset(prefix, len(prefix))
    character = error.character
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return Problem(
        path,
        line,
        column,
        f"the character U+{code:04X} is not allowed in YAML ({error.reason}); remove it",
    )


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


class Locator:
    """Positions of nodes in one text; the text is composed once, on the first question.

    Pass the `root` that `parse` kept to skip even that.
    """

    def __init__(self, text: str, root: yaml.Node | None = None) -> None:
        self.text = text
        self._root = root
        self._composed = root is not None
        # Per mapping node, its keys: a file with thousands of problems stays linear.
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def _compose(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            loader = _Loader(self.text)
            try:
                self._root = _compose(loader)
            except yaml.YAMLError:
                self._root = None
            finally:
                loader.dispose()
        return self._root

    def locate(self, where: Sequence[PathItem], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at `where`; of its key when `key` is true.

        Falls back to the deepest node that exists, so a missing property points at its parent.
        """
        node = self._compose()
        if node is None:
            return 1, 1
        mark = node.start_mark
        for step in where:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                keys = self._keys.get(id(node))
                if keys is None:
                    keys = {}
                    for pair in node.value:
                        if isinstance(pair[0].value, str):
                            keys.setdefault(pair[0].value, pair)
                    self._keys[id(node)] = keys
                if step in keys:
                    key_node, child = keys[step]
                    mark = key_node.start_mark if key else child.start_mark
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


def locate(text: str, where: Sequence[PathItem], *, key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `where`; of its key when `key` is true.

    Falls back to the deepest node that exists, so a missing property points at its parent.
    """
    return Locator(text).locate(where, key=key)
