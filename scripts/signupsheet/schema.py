"""The event schema: one file, two validators.

`schema/event.schema.json` is the single source of the format. jsonschema-rs answers "valid or
not" quickly for every file; only when a file is invalid does the reference implementation
(jsonschema) walk it again to say what is wrong and where, in words a person can act on.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from signupsheet.model import parse_timestamp

if TYPE_CHECKING:
    import jsonschema

PathTuple = tuple[str | int, ...]


@dataclass(frozen=True)
class SchemaProblem:
    """A schema violation: where in the data, whether it points at the key, and the message."""

    where: PathTuple
    message: str
    at_key: bool = False


def _check_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parse_timestamp(value)
    except ValueError:
        return False
    return True


class EventSchema:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        # Formats are checked by our own parse (pattern + real calendar date) on both paths.
        self._fast = jsonschema_rs.validator_for(schema, validate_formats=False)
        self._full: jsonschema.Draft202012Validator | None = None

    def is_valid(self, data: Any) -> bool:
        return bool(self._fast.is_valid(data))

    def _detailed(self) -> jsonschema.Draft202012Validator:
        # Imported on the slow path only: jsonschema takes longer to import than a sign-up takes.
        import jsonschema

        if self._full is None:
            checker = jsonschema.FormatChecker(formats=())
            checker.checks("date-time", raises=())(_check_date_time)
            self._full = jsonschema.Draft202012Validator(self.schema, format_checker=checker)
        return self._full

    def problems(self, data: Any) -> list[SchemaProblem]:
        found: list[SchemaProblem] = []
        for error in self._detailed().iter_errors(data):
            found.extend(self._explain(error))
        found.sort(key=lambda problem: [str(step) for step in problem.where])
        return found

    def _explain(self, error: jsonschema.ValidationError) -> Iterator[SchemaProblem]:
        where: PathTuple = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        value: Any = error.instance
        allowed: Any = error.validator_value
        match error.validator:
            case "additionalProperties":
                known = sorted(schema.get("properties", {}))
                for key in sorted(set(value) - set(known)):
                    hint = difflib.get_close_matches(key, known, n=1)
                    suggestion = (
                        f"did you mean {hint[0]!r}?" if hint else f"known keys: {', '.join(known)}"
                    )
                    yield SchemaProblem((*where, key), f"unknown key {key!r}; {suggestion}", True)
            case "required":
                yield SchemaProblem(where, _missing(error))
            case "type":
                yield SchemaProblem(
                    where, f"expected {_kind_name(allowed)}, found {_describe(value)}"
                )
            case "enum":
                options = ", ".join(str(option) for option in allowed)
                yield SchemaProblem(
                    where, f"{_describe(value)} is not allowed; use one of: {options}"
                )
            case "pattern" | "format":
                how = schema.get("description", "")
                yield SchemaProblem(
                    where, f"{_describe(value)} is not in the expected form. {how}".strip()
                )
            case _:
                yield SchemaProblem(where, error.message)


def _missing(error: jsonschema.ValidationError) -> str:
    # jsonschema's message is "'title' is a required property"; keep the key, say it plainly.
    key = error.message.split("'")[1] if error.message.count("'") >= 2 else error.message
    return f"missing required key {key!r}"


_KIND_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def _kind_name(kind: object) -> str:
    if isinstance(kind, list):
        return " or ".join(_kind_name(item) for item in kind)
    return _KIND_NAMES.get(str(kind), str(kind))


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


@cache
def load_schema(path: Path) -> EventSchema:
    return EventSchema(json.loads(path.read_text(encoding="utf-8")))
