"""Whatever bytes an event file holds, checking it gives problems, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paths import REPO, SEED_ID
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import check_text

PROJECT = Project(REPO)
PATH = PROJECT.event_path("fuzz")
SEED = PROJECT.event_path(SEED_ID).read_text(encoding="utf-8")

# Pieces of YAML syntax, so that random text often is almost an event file.
TOKENS = st.sampled_from(
    [
        "\n",
        "  ",
        "- ",
        ": ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "!!str ",
        "!!int ",
        "!!binary ",
        "!x ",
        "'",
        '"',
        "|",
        ">-",
        "#",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "<<: ",
        "title",
        "sessions",
        "id",
        "start",
        "end",
        "registrations",
        "login",
        "name",
        "capacity",
        "2022-11-23T14:00:00Z",
        "2022-02-30T14:00:00Z",
        "no",
        "12:30",
        "0o17",
        ".inf",
        "~",
        "x@example.org",
        "zoom.us/j/1",
        "\t",
        "\\x40",
        "\ufeff",
        "\x00",
        "\x85",
        "é",
        "δ",
    ]
)
YAMLISH = st.lists(st.one_of(TOKENS, st.text(max_size=5)), max_size=60).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_checked(raw: bytes) -> None:
    result = check_text(raw, PATH, PROJECT)
    # Either an event or at least one problem with a position, never both.
    assert (result.event is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message
        # The fast and the detailed validator agree: no refusal goes unexplained.
        assert problem.message != "the file does not match the event schema"


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    assert_checked(raw)


@SETTINGS
@given(YAMLISH)
def test_random_yaml_like_text(text: str) -> None:
    assert_checked(text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(st.integers(0, len(SEED)), st.integers(0, 40), YAMLISH)
def test_the_seed_event_with_a_random_edit(at: int, cut: int, insert: str) -> None:
    text = SEED[:at] + insert + SEED[at + cut :]
    assert_checked(text.encode("utf-8", errors="surrogatepass"))
