"""The built site in a real browser (Debian's Chromium driven by Playwright, see browserkit).

Every page load fails the test on any console error, uncaught exception, dialog or request that
leaves the local server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from paths import REPO, SEED_ID
from sitekit import HOSTILE_DESCRIPTION, TRICKY, build, make_mkdocs_site

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
from browserkit import CHROMIUM, chromium, open_page, served  # noqa: E402

SEED_PAGE = f"events/{SEED_ID}/"
TRICKY_PAGE = "events/tricky/"  # two sessions, one with a waiting list
# The same sessions without titles: their headings are their start times.
DATES = TRICKY.replace("    title: Evening session\n", "").replace(
    "    title: Morning session\n", ""
)
assert DATES.count("title:") == TRICKY.count("title:") - 2

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_mkdocs_site(tmp_path_factory.mktemp("browser"), {"tricky": TRICKY, "dates": DATES})
    built = build(root)
    assert built.result.returncode == 0, built.result.stderr
    with served(built.site) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def times(page: Any) -> list[str]:
    texts: list[str] = page.locator("time").all_inner_texts()
    return texts


@pytest.mark.parametrize(
    ("zone", "start", "end", "registered"),
    [
        # 14:00-15:00 UTC is 23:00-00:00 in Tokyo: the end falls on the next day.
        (
            "Asia/Tokyo",
            "Wednesday, 23 November 2022 at 23:00 GMT+9 (Asia/Tokyo)",
            "Thursday, 24 November 2022 at 00:00 GMT+9",
            # Signed at 23:33 UTC on the 22nd: already the 23rd in Tokyo.
            "23 Nov 2022, 08:33 GMT+9",
        ),
        (
            "America/Mexico_City",
            "Wednesday, 23 November 2022 at 08:00 GMT-6 (America/Mexico_City)",
            "09:00 GMT-6",
            "22 Nov 2022, 17:33 GMT-6",
        ),
        (
            "Europe/Vienna",
            "Wednesday, 23 November 2022 at 15:00 CET (Europe/Vienna)",
            "16:00 CET",
            "23 Nov 2022, 00:33 CET",
        ),
    ],
)
def test_times_in_the_readers_zone_keep_utc(
    browser: Any, base_url: str, zone: str, start: str, end: str, registered: str
) -> None:
    context = browser.new_context(timezone_id=zone, locale="en-GB")
    try:
        page, watch = open_page(context, base_url + SEED_PAGE)
        shown = times(page)
        assert shown[0] == f"{start} [Wednesday, 23 November 2022, 14:00 UTC]"
        assert shown[1] == f"{end} [15:00 UTC]"
        # In the sheet the UTC time stands on its own line under the local one.
        assert f"{registered}\n[22 Nov 2022, 23:33 UTC]" in shown
        assert page.locator("time[data-ss-local]").count() == page.locator("time").count()
        watch.check()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("zone", "headings"),
    [
        ("Europe/Vienna", ["30 Nov 2022, 21:00 CET", "1 Dec 2022, 08:00 CET"]),
        ("Asia/Tokyo", ["1 Dec 2022, 05:00 GMT+9", "1 Dec 2022, 16:00 GMT+9"]),
    ],
)
def test_session_headings_and_contents_in_the_readers_zone(
    browser: Any, base_url: str, zone: str, headings: list[str]
) -> None:
    """A session named by its start shows it in local time, in its heading and in the table of
    contents, like the text below it; the anchors stay those of the UTC text."""
    context = browser.new_context(timezone_id=zone, locale="en-GB", viewport=DESKTOP)
    try:
        page, watch = open_page(context, base_url + "events/dates/")
        anchors = ["30-nov-2022-2000-utc", "1-dec-2022-0700-utc"]
        utc = ["30 Nov 2022, 20:00 UTC", "1 Dec 2022, 07:00 UTC"]
        for anchor, local, title in zip(anchors, headings, utc, strict=True):
            heading = page.locator(f"h3[id='{anchor}'] time")
            assert heading.inner_text() == local
            assert heading.get_attribute("title") == title
            toc = page.locator(f".md-sidebar--secondary a.md-nav__link[href='#{anchor}']")
            assert toc.inner_text().strip() == local
        # The first "When" line below the heading says the same local time.
        when = page.locator("#session-evening ~ p").first.inner_text()
        assert f" at {headings[0].split(', ')[1]} (" in when
        page.locator(f".md-sidebar--secondary a.md-nav__link[href='#{anchors[1]}']").click()
        page.wait_for_function(f"location.hash === '#{anchors[1]}'")
        assert page.locator(f"h3[id='{anchors[1]}']").is_visible()
        watch.check()
    finally:
        context.close()


def test_without_javascript_times_stay_in_utc(browser: Any, base_url: str) -> None:
    context = browser.new_context(
        timezone_id="Asia/Tokyo", locale="en-GB", java_script_enabled=False
    )
    try:
        page, watch = open_page(context, base_url + SEED_PAGE)
        shown = times(page)
        assert shown[:2] == ["Wednesday, 23 November 2022, 14:00 UTC", "15:00 UTC"]
        assert page.locator("time[data-ss-local]").count() == 0
        watch.check()
    finally:
        context.close()


def test_tricky_names_show_as_text_and_fire_nothing(browser: Any, base_url: str) -> None:
    context = browser.new_context(timezone_id="Europe/Vienna", locale="en-GB")
    try:
        page, watch = open_page(context, base_url + "events/tricky/")
        cells = page.locator(".ss-sheet td:nth-child(2)").all_inner_texts()
        assert cells[:2] == ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
        assert "[x](javascript:alert(1))" in page.locator(".ss-sheet").first.inner_text()
        assert page.locator(".ss-sheet img, .ss-sheet script, .ss-sheet svg").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        page.wait_for_timeout(300)  # an onerror handler would have run by now
        watch.check()
    finally:
        context.close()


def test_description_html_fires_nothing(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = make_mkdocs_site(tmp_path_factory.mktemp("hostile"), {"hostile": HOSTILE_DESCRIPTION})
    built = build(root, strict=False)  # `<img src=x>` is a broken link to MkDocs
    assert built.result.returncode == 0, built.result.stderr
    context = browser.new_context(locale="en-GB")
    try:
        with served(built.site) as base:
            page, watch = open_page(context, base + "events/hostile/")
            for link in ("bad link", "bad anchor"):
                page.get_by_text(link).click()  # a script link would run on a click
            page.wait_for_timeout(300)  # an onerror handler would have run by now
            assert watch.dialogs == []
            about = page.locator(".ss-description")
            assert about.locator("strong").inner_text() == "Markdown"
            assert about.locator("script, img").count() == 0
            watch.check()
    finally:
        context.close()


def test_the_watch_sees_dialogs_and_errors(browser: Any, base_url: str) -> None:
    """The control for the test above: a dialog or an exception on a page is caught."""
    context = browser.new_context(locale="en-GB")
    try:
        page, watch = open_page(context, base_url)
        page.evaluate("setTimeout(() => alert(1)); setTimeout(() => { throw new Error('x'); })")
        page.wait_for_timeout(300)
        assert watch.dialogs == ["1"]
        assert any("page error" in problem for problem in watch.problems)
    finally:
        context.close()


def test_register_button_opens_the_issue_form(browser: Any, base_url: str) -> None:
    context = browser.new_context(locale="en-GB")
    try:
        page, watch = open_page(context, base_url + SEED_PAGE)
        register = page.get_by_role("link", name="Register", exact=True)
        href = register.get_attribute("href")
        assert href.startswith("https://github.com/signupsheet/signupsheet/issues/new?")
        assert "template=register.yml" in href and f"event={SEED_ID}" in href
        assert "session=main" in href
        watch.check()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", SEED_PAGE, TRICKY_PAGE, "registering/", "404.html"])
def test_pages_load_nothing_from_third_parties(browser: Any, base_url: str, path: str) -> None:
    """Every request a page makes stays on the site: the repository link in the header is a
    plain link, and Material's script does not ask GitHub's API for its stars and forks."""
    context = browser.new_context(locale="en-GB")
    try:
        page, watch = open_page(context, base_url + path)
        page.wait_for_timeout(500)  # Material asks for the facts once the page is shown
        assert watch.requests and all(url.startswith(base_url) for url in watch.requests)
        link = page.locator("a.md-source").first
        assert page.locator("[data-md-component=source]").count() == 0
        assert link.get_attribute("href") == "https://github.com/signupsheet/signupsheet"
        assert link.inner_text().strip() == "GitHub"
        if path == "404.html":
            # Served at any depth, it names its files from the site's root (/signupsheet/),
            # which this local server does not have: only stray requests matter here.
            watch.problems = [p for p in watch.problems if "404 (File not found)" not in p]
        watch.check()
    finally:
        context.close()


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
SCREENSHOTS = REPO / "build" / "screenshots"


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("path", ["", SEED_PAGE, TRICKY_PAGE, "policies/safe-space/"])
def test_no_serious_accessibility_violations(
    browser: Any, base_url: str, path: str, size: str
) -> None:
    context = browser.new_context(locale="en-GB", viewport=VIEWPORTS[size])
    try:
        page, watch = open_page(context, base_url + path)
        results = axe_module.Axe().run(page)
        serious = [
            (violation["id"], violation["impact"], [node["html"] for node in violation["nodes"]])
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert serious == []
        watch.check()
    finally:
        context.close()


# Words of a name or note split over two lines: the text of every word must lie on one line.
_BROKEN_WORDS = """
(cells) => cells.flatMap((cell) => {
  const broken = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      if (tops.size > 1) { broken.push(match[0]); }
    }
  }
  return broken;
})
"""


def test_sheet_columns_fit_their_content_at_desktop_width(browser: Any, base_url: str) -> None:
    context = browser.new_context(locale="en-GB", viewport=DESKTOP, timezone_id="Europe/Vienna")
    try:
        page, watch = open_page(context, base_url + SEED_PAGE)
        number = page.locator(".ss-sheet th").first.bounding_box()
        assert number["width"] < 40  # "#" is as wide as its numbers, not Material's 5rem
        cells = page.locator(".ss-sheet td:nth-child(2), .ss-sheet td:nth-child(5)")
        assert cells.count() > 30
        assert cells.evaluate_all(_BROKEN_WORDS) == []
        watch.check()
    finally:
        context.close()


def test_phone_width(browser: Any, base_url: str) -> None:
    """At 390 px: nothing but the sheet scrolls sideways, the way to register is on the first
    screen, and no clock is parted from its zone."""
    context = browser.new_context(locale="en-GB", viewport=PHONE, timezone_id="Asia/Tokyo")
    try:
        for path in (SEED_PAGE, TRICKY_PAGE):
            page, watch = open_page(context, base_url + path)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"], path
            if path == TRICKY_PAGE:  # two sessions: their sheets come before the second's button
                register = page.get_by_role("link", name=re.compile("^register$", re.I)).first
                assert register.bounding_box()["y"] < PHONE["height"]
            lines = page.locator(".ss-nowrap").evaluate_all(
                "(spans) => spans.map((span) => span.getClientRects().length)"
            )
            assert lines and set(lines) == {1}, path
            # When each person signed up: the local time on one line, the UTC time on the next.
            signed = page.locator(".ss-sheet td time").evaluate_all(
                "(times) => times.map((time) => [...time.children].map((part) => new Set("
                "[...part.getClientRects()].map((rect) => Math.round(rect.top))).size))"
            )
            assert signed and {tuple(parts) for parts in signed} == {(1, 1)}, path
            assert page.locator('.ss-sheet[tabindex="0"][role="region"]').count() >= 1
            watch.check()
            page.close()
    finally:
        context.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_screenshots_for_a_person_to_look_at(browser: Any, base_url: str, size: str) -> None:
    """build/screenshots/ (ignored by git): the pages a registrant sees, to be looked at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="en-GB", viewport=VIEWPORTS[size], timezone_id="Europe/Vienna"
    )
    try:
        for name, path in (("home", ""), ("event", TRICKY_PAGE), ("registering", "registering/")):
            page, watch = open_page(context, base_url + path)
            target = SCREENSHOTS / f"{name}-{size}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            watch.check()
            page.close()
    finally:
        context.close()
