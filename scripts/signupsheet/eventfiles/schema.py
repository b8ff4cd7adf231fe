"""The event schema: one file, two validators.

`schema/event.schema.json` is the single source of the format. jsonschema-rs answers "valid or
not" quickly for every file; only when a file is invalid does the reference implementation
(jsonschema) walk it again to say what is wrong and where, in words a person can act on.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from signupsheet.core.errors import UserError
from signupsheet.core.model import parse_timestamp
from signupsheet.core.schema_values import ONE_LINE_PATTERN

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


# JSON Schema patterns are ECMA-262 regular expressions, and jsonschema-rs treats them so;
# Python's `re` differs in two ways that matter here: `$` also matches before a final newline,
# and `\s` is another set of characters. Both validators must agree, or a file the fast path
# refuses would get no explanation from the slow one.
_ECMA_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled for Python with ECMA-262 meaning of `$` and `\\s`."""
    translated = re.sub(r"(?<!\\)\$$", r"\\Z", pattern)
    translated = translated.replace("[^\\s]", f"[^{_ECMA_SPACE}]").replace(
        "\\s", f"[{_ECMA_SPACE}]"
    )
    return re.compile(translated)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    import jsonschema

    if isinstance(instance, str) and not ecma_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


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
            reference = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
                jsonschema.Draft202012Validator, {"pattern": _pattern}
            )
            self._full = reference(self.schema, format_checker=checker)
        return self._full

    def problems(self, data: Any) -> list[SchemaProblem]:
        """Every violation, once each: a bad timestamp fails both its pattern and its format."""
        found: dict[SchemaProblem, None] = {}
        for error in self._detailed().iter_errors(data):
            for problem in self._explain(error):
                found.setdefault(problem)
        return sorted(found, key=lambda problem: [str(step) for step in problem.where])

    def _explain(self, error: jsonschema.ValidationError) -> Iterator[SchemaProblem]:
        where: PathTuple = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        value: Any = error.instance
        allowed: Any = error.validator_value
        match error.validator:
            case "additionalProperties":
                known = sorted(schema.get("properties", {}))
                for number, key in enumerate(sorted(set(value) - set(known))):
                    # Suggestions cost time; a file with thousands of stray keys gets them for
                    # the first few only.
                    hint = difflib.get_close_matches(key, known, n=1) if number < 50 else []
                    suggestion = (
                        f"did you mean {hint[0]!r}?"
                        if hint
                        else f"known keys: {', '.join(known)}"
                        if number < 50
                        else "remove it or check its spelling"
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
            case "pattern" | "format" if schema.get("format") == "date-time":
                try:
                    parse_timestamp(value)
                except ValueError as reason:
                    yield SchemaProblem(where, str(reason))
            case "pattern" if allowed == ONE_LINE_PATTERN:
                yield SchemaProblem(
                    where,
                    f"{_subject(where)} must be one line of text; remove the line breaks "
                    "(a block written with | or > keeps them)",
                )
            case "pattern" | "format":
                how = schema.get("description", "")
                yield SchemaProblem(
                    where, f"{_describe(value)} is not in the expected form. {how}".strip()
                )
            case "minLength" if allowed == 1:
                yield SchemaProblem(
                    where, f"{_subject(where)} must not be empty; write a value or remove the key"
                )
            case "minLength" | "maxLength":
                bound = "at least" if error.validator == "minLength" else "at most"
                yield SchemaProblem(
                    where,
                    f"{_subject(where)} is {len(value)} characters long; write {bound} {allowed}",
                )
            case "minItems" | "maxItems":
                bound = "at least" if error.validator == "minItems" else "at most"
                yield SchemaProblem(
                    where,
                    f"{_subject(where)} has {len(value)} entries; list {bound} {allowed}",
                )
            case "uniqueItems":
                repeated = next(
                    (item for index, item in enumerate(value) if item in value[:index]), None
                )
                yield SchemaProblem(
                    where,
                    f"{_subject(where)} lists {_describe(repeated)} twice; keep one of them",
                )
            case "minimum" | "maximum":
                bound = "at least" if error.validator == "minimum" else "at most"
                yield SchemaProblem(
                    where, f"{_describe(value)} is out of range; use {bound} {allowed}"
                )
            case _:
                yield SchemaProblem(where, error.message)


def _subject(where: PathTuple) -> str:
    keys = [step for step in where if isinstance(step, str)]
    return repr(keys[-1]) if keys else "the value"


def _missing(error: jsonschema.ValidationError) -> str:
    # jsonschema's message is "'title' is a required property"; keep the key, say it plainly.
    key = error.message.split("'")[1] if error.message.count("'") >= 2 else error.message
    return f"missing required key {key!r}; add it to this mapping"


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


def load_schema(path: Path) -> EventSchema:
    """The compiled schema at `path`; a missing or broken file is the user's to fix."""
    try:
        return _load_schema(path.resolve())
    except OSError as error:
        raise UserError(
            f"{path}: cannot read the event schema ({error.strerror}); run the command in the "
            "site's folder or point --root at it"
        ) from None
    except ValueError as error:
        raise UserError(f"{path}: the event schema is not valid JSON ({error})") from None


@cache
def _load_schema(path: Path) -> EventSchema:
    return EventSchema(json.loads(path.read_text(encoding="utf-8")))
