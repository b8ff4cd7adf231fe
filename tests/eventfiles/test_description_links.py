"""Links in an event's description: `validate` finds the ones that lead nowhere, where they are
written, as the build does (tests/site/test_site_build.py builds the same cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SEED_ID
from signupsheet.main import main
from sitekit import TRICKY, make_site

GOOD = (
    "  Read [how to register](../registering.md), [its times](../registering.md#times),\n"
    "  [the policy](../policies/safe-space.md), [the seed event](" + SEED_ID + ".md),\n"
    "  [past events](../past.md), [elsewhere](https://example.org/x) and [up](#about).\n"
)


def with_description(lines: str) -> str:
    text = TRICKY.replace("  Maintainers write **Markdown** here.\n", lines)
    assert text != TRICKY
    return text


def validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["--root", str(root), "validate"])
    return code, capsys.readouterr().out.splitlines()


def test_links_to_pages_of_the_site_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(tmp_path, {"tricky": with_description(GOOD)}, docs=True, seed=True)
    assert validate(root, capsys) == (0, ["2 event files valid"])


def test_a_link_to_a_missing_page_is_reported_where_it_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (
        "  Read [how to register](../registering.md) first.\n"
        "\n"
        "  Then [the programme](programme.md), [a typo](../registring.md#times),\n"
        "  [a missing heading](../registering.md#no-such-heading) and\n"
        '  <a href="../../outside.md">one that leaves the site</a>.\n'
    )
    root = make_site(tmp_path, {"tricky": with_description(lines)}, docs=True)
    code, out = validate(root, capsys)
    fix = (
        "link to a page in docs/ relative to this event's page (e.g. ../registering.md), "
        "or give a full https:// address"
    )
    assert code == 1
    assert out == [
        "events/tricky.yaml:7:24: the link 'programme.md' in the description points to "
        f"docs/events/programme.md, which does not exist; {fix}",
        "events/tricky.yaml:7:48: the link '../registring.md#times' in the description points "
        f"to docs/registring.md, which does not exist; {fix}",
        "events/tricky.yaml:8:23: the link '../registering.md#no-such-heading' in the "
        "description names '#no-such-heading', which is no heading of docs/registering.md; "
        "link to one of its headings or drop the '#' part",
        f"events/tricky.yaml:9:12: the link '../../outside.md' in the description leaves the "
        f"site; {fix}",
    ]
