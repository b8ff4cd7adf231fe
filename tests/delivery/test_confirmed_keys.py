"""The registration job's output naming the entries it confirmed, read again by the delivery."""

from __future__ import annotations

import json

import pytest

from signupsheet.core.errors import UserError
from signupsheet.core.links_due import EntryKey
from signupsheet.delivery.confirmed import MAX_ENTRIES, decode, encode

KEYS = [EntryKey("2026-12-03-meetup", "main", "dave"), EntryKey("2026-12-03-meetup", "b", "ann")]


def test_round_trip_one_line_sorted_without_duplicates() -> None:
    text = encode([*KEYS, KEYS[0]])
    assert "\n" not in text
    assert decode(text) == sorted(KEYS)
    assert encode([]) == "" and decode("") == [] and decode("  ") == []
    assert decode('[["e","main","Dave"]]') == [EntryKey("e", "main", "dave")]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"e": "main"}',
        '[["e", "main"]]',
        '[["e", "main", "dave", "x"]]',
        '[["e", "main", 7]]',
        '[["E", "main", "dave"]]',
        '[["e\\n", "main", "dave"]]',
        '[["e", "../main", "dave"]]',
        '[["e", "main", "dave; rm -rf /"]]',
        '[["e", "main", "-dave"]]',
        json.dumps([["e", "main", "a"]] * (MAX_ENTRIES + 1)),
    ],
)
def test_anything_else_is_refused_without_repeating_it(text: str) -> None:
    with pytest.raises(UserError) as caught:
        decode(text)
    message = str(caught.value)
    assert message.startswith("SIGNUPSHEET_CONFIRMED: ") and "Nothing was sent" in message
    assert "rm -rf" not in message and "../" not in message
