from __future__ import annotations

import math

import pytest

from signupsheet.eventfiles import untrusted_yaml


def data(text: str) -> object:
    parsed = untrusted_yaml.parse(text.encode("utf-8"), "f.yaml")
    assert [str(problem) for problem in parsed.problems] == []
    return parsed.data


def problems(text: str | bytes) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    parsed = untrusted_yaml.parse(raw, "f.yaml")
    return [str(problem) for problem in parsed.problems]


def test_yaml_1_1_traps_stay_text() -> None:
    assert data(
        "a: no\nb: yes\nc: on\nd: off\ne: 12:30\nf: 2022-11-23\ng: 2022-11-23T14:00:00Z\n"
        "h: 1_000\ni: 010\nj: y\nk: NO\n"
    ) == {
        "a": "no",
        "b": "yes",
        "c": "on",
        "d": "off",
        "e": "12:30",
        "f": "2022-11-23",
        "g": "2022-11-23T14:00:00Z",
        "h": "1_000",
        "i": 10,
        "j": "y",
        "k": "NO",
    }


def test_yaml_1_2_core_scalars() -> None:
    parsed = data(
        "a: true\nb: False\nc: ~\nd: null\ne:\nf: 0o17\ng: 0x1F\nh: -3\ni: 1e3\nj: .5\n"
        "k: -.inf\nl: .nan\nm: '0o17'\n"
    )
    assert isinstance(parsed, dict)
    nan = parsed.pop("l")
    assert isinstance(nan, float) and math.isnan(nan)
    assert parsed == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": None,
        "f": 15,
        "g": 31,
        "h": -3,
        "i": 1000.0,
        "j": 0.5,
        "k": -math.inf,
        "m": "0o17",
    }


def test_byte_order_mark_and_windows_line_ends_are_fine() -> None:
    raw = "\ufefftitle: x\r\nnote: y\r\n".encode()
    parsed = untrusted_yaml.parse(raw, "f.yaml")
    assert (parsed.problems, parsed.data) == ([], {"title": "x", "note": "y"})


def test_markdown_emphasis_in_a_block_is_not_taken_for_an_alias() -> None:
    text = "description: |\n  **bold** and *em* & R&D\n  *list item\n  &nbsp;\n"
    assert data(text) == {"description": "**bold** and *em* & R&D\n*list item\n&nbsp;\n"}


def test_an_alias_the_quick_scan_misses_is_still_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the quick scan, the builder notices that it reaches a node twice.
    monkeypatch.setattr(untrusted_yaml, "_may_have_anchor", lambda text: False)
    assert problems("a: [1, 2]\nb: &x [3]\nc: *x\n") == [
        "f.yaml:2:4: YAML anchors (&x) are not allowed; write the value out in full"
    ]
    assert untrusted_yaml.parse(b"a: &x [1]\nb: *x\n", "f.yaml").data is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1: x\n", "f.yaml:1:1: keys must be text, found '1'; quote the key"),
        ("true: x\n", "f.yaml:1:1: keys must be text, found 'true'; quote the key"),
        ("?\n: x\n", "f.yaml:1:2: a key is missing before the colon; write its name"),
        ("? [a]\n: x\n", "f.yaml:1:3: keys must be text, found a list or mapping"),
        (
            "a: !!set {x}\n",
            "f.yaml:1:4: YAML tags such as !!set are not allowed; remove the "
            "tag and write plain lists and mappings",
        ),
        (
            "a: !custom x\n",
            "f.yaml:1:4: YAML tags such as !custom are not allowed; remove the "
            "tag and write the value as plain text (in quotes if needed)",
        ),
        ("a: !!bool maybe\n", "f.yaml:1:4: 'maybe' is not a valid true or false (!!bool)"),
        ("a: !!float x\n", "f.yaml:1:4: 'x' is not a valid number (!!float)"),
        (
            "a: x\x07\n",
            "f.yaml:1:5: the character U+0007 is not allowed in YAML (control "
            "characters are not allowed); remove it",
        ),
        (
            "a: é\x07\n",
            "f.yaml:1:5: the character U+0007 is not allowed in YAML (control "
            "characters are not allowed); remove it",
        ),
        (
            "a: *b*\n",
            "f.yaml:1:6: not valid YAML: while scanning an alias did not find expected "
            "alphabetic or numeric character; a value that starts with * or & must be in quotes, "
            "e.g. note: '*important*'",
        ),
        (
            "a: 1\n---\na: 2\n",
            "f.yaml:2:1: a second YAML document (---) in the file; an event "
            "file holds exactly one event, so remove the --- line and what follows or move it to "
            "its own file",
        ),
        (
            "# only a comment\n\n",
            "f.yaml:1:1: the file is empty; an event needs at least a title and sessions",
        ),
        ("---\n", "f.yaml:1:1: the file holds no event; an event needs a title and sessions"),
        (
            "just text\n",
            "f.yaml:1:1: expected a mapping of event fields (title: …, sessions: …), "
            "found a single value",
        ),
    ],
)
def test_refusals_say_what_and_where(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_every_refused_node_is_reported() -> None:
    assert problems("a: !!binary eA==\nb: !!int x\n1: y\n") == [
        "f.yaml:1:4: YAML tags such as !!binary are not allowed; remove the tag and write the "
        "value as plain text (in quotes if needed)",
        "f.yaml:2:4: 'x' is not a valid whole number (!!int)",
        "f.yaml:3:1: keys must be text, found '1'; quote the key",
    ]


def test_locate_points_at_values_keys_and_falls_back_to_the_parent() -> None:
    text = "title: x\nsessions:\n  - id: main\n    start: now\n"
    locator = untrusted_yaml.Locator(text)
    assert locator.locate(("sessions", 0, "start")) == (4, 12)
    assert locator.locate(("sessions", 0, "start"), key=True) == (4, 5)
    assert locator.locate(("sessions", 0, "end")) == (3, 5)
    assert locator.locate(("sessions", 5)) == (3, 3)
    assert locator.locate(()) == (1, 1)
    assert untrusted_yaml.locate(text, ("title",)) == (1, 8)
