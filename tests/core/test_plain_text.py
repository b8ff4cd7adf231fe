from __future__ import annotations

import pytest

from signupsheet.core.plain_text import hidden_characters, plain_line


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Ada\u202eecalovL", "AdaecalovL"),
        ("\x1b]8;;https://x.example\x07link\x1b]8;;\x07", "]8;;https://x.examplelink]8;;"),
        ("\x1b[2JClear", "[2JClear"),
        ("Mallory\ufeff@example.com", "Mallory@example.com"),
        ("Mallory\x9b@example.com", "Mallory@example.com"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("two\nlines\tand  tabs", "two lines and tabs"),
        ("Zoë 李 😀", "Zoë 李 😀"),
    ],
)
def test_plain_line_keeps_only_visible_text(raw: str, plain: str) -> None:
    assert plain_line(raw) == plain
    assert hidden_characters(plain) == []


def test_hidden_characters_names_each_code_point_once() -> None:
    assert hidden_characters("a\u202eb\u202ec\x1b\n") == ["U+202E", "U+001B"]
