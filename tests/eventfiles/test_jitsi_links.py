"""Jitsi links are found as before, by a scan that stays linear on hostile lines (issue 16)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from signupsheet.eventfiles.semantic_checks import secret_leaks

# The pattern the scan used to be: right, but quadratic on "jitsi.jitsi.jitsi…".
OLD = re.compile(r"(?i)(?<![a-z0-9-])jitsi(?:\.[a-z0-9-]+)+/[^\s'\"<>]+")


def jitsi_offsets(text: str) -> list[int]:
    return [offset for offset, message in secret_leaks(text) if "Jitsi" in message]


@given(st.text(alphabet="jitsJITS.-/:ao x'", max_size=40))
def test_the_same_links_as_the_old_pattern(text: str) -> None:
    old = [match.start() for match in OLD.finditer(text)]
    assert len(jitsi_offsets(text)) == len(old)


def test_common_forms() -> None:
    for text in (
        "join https://jitsi.example.org/Room42",
        "https://meet.jitsi.org/Room",
        "JITSI.Example.ORG/room",
    ):
        assert jitsi_offsets(text), text
    for text in ("jitsi.example.org", "myjitsi.org/x", "jitsi/x", "see jitsi. org/x"):
        assert not jitsi_offsets(text), text


def test_a_long_hostile_line_is_scanned_whole() -> None:
    line = "jitsi." * 20_000
    assert jitsi_offsets(line) == []
    assert len(jitsi_offsets(line + "org/room")) == 1
