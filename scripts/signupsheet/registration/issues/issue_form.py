"""Reading what GitHub makes of an issue form: `### Label` sections, in the template's terms.

The template in .github/ISSUE_TEMPLATE is the contract: field ids are the names used in code, and
the labels that head each section of an issue body are read from it, so nothing is written twice.
Bodies are untrusted and may have been edited by hand: CRLF line ends, `_No response_` for empty
fields, `[x]`/`[X]` boxes, sections missing, reordered or repeated, any unicode, and any size (only
the first MAX_BODY characters are read). Parsing never raises, and takes time linear in the body:
no pattern here can backtrack over a line. A body whose sections are not the form's (a section
twice, a heading the form does not have, sections out of order, a box whose text is not the
form's) is not guessed at: `Answers.mismatches` says what differs, and the person fixes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

# GitHub refuses issue and pull request bodies longer than this; anything longer did not come
# from GitHub. Both ways in read at most this much.
MAX_BODY = 65_536
NO_RESPONSE = "_No response_"

FieldType = Literal["input", "textarea", "dropdown", "checkboxes"]
_FIELD_TYPES: tuple[FieldType, ...] = ("input", "textarea", "dropdown", "checkboxes")

# Only the start of a line is matched by a pattern; the rest is stripped with str methods, so a
# long line costs one pass (a lazy group before `[ \t#]*$` costs the square of its length).
_HEADING = re.compile(r" {0,3}###[ \t]")
_BOX = re.compile(r"\s*[-*+]\s+\[([ xX])\]")


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    type: FieldType
    required: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """The fields of one issue-form template, in order, and the labels its issues get."""

    name: str
    fields: tuple[FormField, ...]
    labels: tuple[str, ...] = ()

    def field(self, field_id: str) -> FormField:
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(field_id)


@dataclass
class Answers:
    """The parsed sections: text of input/textarea/dropdown fields (None when empty), the state
    of each checkbox option, and the ids of fields whose section was not found."""

    values: dict[str, str | None] = field(default_factory=dict)
    checks: dict[str, tuple[bool, ...]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    truncated: bool = False
    # How the body differs from the form, in words the person can act on.
    mismatches: list[str] = field(default_factory=list)

    def text(self, field_id: str) -> str | None:
        return self.values.get(field_id)

    def all_checked(self, field_id: str) -> bool:
        boxes = self.checks.get(field_id, ())
        return bool(boxes) and all(boxes)


def form_from_data(data: Any) -> Form:
    """The fields of a template given as parsed YAML (trusted: it is in the repository)."""
    fields: list[FormField] = []
    for item in data.get("body", []):
        kind = item.get("type")
        if kind not in _FIELD_TYPES or "id" not in item:
            continue
        attributes = item.get("attributes", {})
        options: tuple[str, ...] = ()
        if kind == "dropdown":
            options = tuple(str(option) for option in attributes.get("options", []))
        elif kind == "checkboxes":
            options = tuple(str(option["label"]) for option in attributes.get("options", []))
        fields.append(
            FormField(
                id=str(item["id"]),
                label=str(attributes["label"]),
                type=kind,
                required=bool(item.get("validations", {}).get("required", False)),
                options=options,
            )
        )
    labels = data.get("labels", [])
    if isinstance(labels, str):
        labels = [part.strip() for part in labels.split(",")]
    return Form(name=str(data.get("name", "")), fields=tuple(fields), labels=tuple(labels))


def load_form(path: Path) -> Form:
    return form_from_data(yaml.safe_load(path.read_text(encoding="utf-8")))


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _clean(text: str) -> str | None:
    value = text.strip()
    if not value or value == NO_RESPONSE:
        return None
    return value


def _heading(line: str) -> str | None:
    start = _HEADING.match(line)
    if start is None:
        return None
    return line[start.end() :].strip(" \t").rstrip(" \t#")


def parse_body(form: Form, body: str | None) -> Answers:
    """Map an issue body onto the form's fields. Never raises."""
    answers = Answers()
    text = body if isinstance(body, str) else ""
    if len(text) > MAX_BODY:
        text = text[:MAX_BODY]
        answers.truncated = True
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    by_label = {_key(item.label): item for item in form.fields}
    order = {item.id: index for index, item in enumerate(form.fields)}
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    last = -1
    for line in text.split("\n"):
        label = _heading(line)
        if label is None:
            if current is not None:
                current.append(line)
            continue
        item = by_label.get(_key(label))
        if item is None:
            _mismatch(answers, f"the heading “{label[:80]}” is not one of the form's")
            current = None
        elif item.id in sections:
            _mismatch(answers, f"the section “{item.label}” appears more than once")
            current = None
        else:
            if order[item.id] < last:
                _mismatch(answers, "the sections are not in the form's order")
            last = max(last, order[item.id])
            current = sections[item.id] = []
    for item in form.fields:
        lines = sections.get(item.id)
        if lines is None:
            answers.missing.append(item.id)
            continue
        if item.type == "checkboxes":
            answers.checks[item.id] = _boxes(item, lines, answers)
        else:
            answers.values[item.id] = _clean("\n".join(lines))
    return answers


def _mismatch(answers: Answers, text: str) -> None:
    # Thousands of stray headings make one line each, not thousands.
    if text not in answers.mismatches:
        answers.mismatches.append(text)


def _boxes(item: FormField, lines: list[str], answers: Answers) -> tuple[bool, ...]:
    wanted = [_key(option) for option in item.options]
    state = [False] * len(wanted)
    for line in lines:
        box = _BOX.match(line)
        if box is None:
            continue
        label = _key(line[box.end() :])
        if label not in wanted:
            # A box whose text is not the form's (`[x] I do NOT agree`) agrees to nothing.
            _mismatch(answers, f"the box “{item.label}” does not have the form's text")
            continue
        state[wanted.index(label)] = state[wanted.index(label)] or box.group(1) != " "
    return tuple(state)
