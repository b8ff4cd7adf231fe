"""The event page's "E-mail for the meeting link": sealed in real Chromium with the vendored
libsodium.js, handed to the issue form, and opened by the real sweep with the private key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from formbodies import register_body
from githubdouble import GitHubDouble
from gitkit import clone
from signupsheet.core.sealed_contact import KeyPair, Opened, new_key_pair, open_sealed
from sitekit import build, make_mkdocs_site
from sweepkit import EVENT, EVENT_ID, NOW, created, make_remote, remote_file, run_sweep

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
from browserkit import chromium, served  # noqa: E402

ADDRESS = "browser.sealer@mail.example.net"
LOGIN = "Sealer"
PAGE = f"events/{EVENT_ID}/"
KEYS: KeyPair = new_key_pair()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_mkdocs_site(
        tmp_path_factory.mktemp("seal-site"), {EVENT_ID: EVENT.format(capacity=5)}, now=NOW
    )
    (root / "contact-key.pub").write_text(KEYS.public + "\n", encoding="utf-8")
    built = build(root)
    assert built.result.returncode == 0, built.result.stderr
    assert ADDRESS not in built.page(f"{PAGE}index.html")
    with served(built.site) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Visit:
    """A page in its own context: every request it made, and the issue form it opened."""

    def __init__(self, browser: Any, url: str, **options: Any) -> None:
        self.context = browser.new_context(locale="en-GB", **options)
        self.requests: list[str] = []
        self.opened: list[str] = []
        self.problems: list[str] = []
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.problems.append(message.text),
        )
        self.page.route("https://api.github.com/**", lambda route: route.fulfill(body="{}"))
        self.page.route("https://github.com/**", self._issue_form)
        self.page.goto(url, wait_until="networkidle")

    def _issue_form(self, route: Any) -> None:
        self.opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>issue form</title>")

    def seal(self, address: str, login: str) -> None:
        self.page.get_by_label("E-mail for the meeting link").first.fill(address)
        self.page.get_by_label("Your GitHub login").first.fill(login)
        self.page.get_by_role("button", name="Seal and register").first.click()

    def close(self) -> None:
        self.context.close()


def _sealed_in(url: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.netloc == "github.com" and parts.path.endswith("/issues/new")
    assert query["template"] == ["register.yml"] and query["event"] == [EVENT_ID]
    assert len(url) < 2000  # well within what browsers and GitHub take
    (sealed,) = query["contact"]
    return sealed


def test_the_page_seals_the_address_and_the_sweep_opens_that_exact_seal(
    browser: Any, site_url: str, tmp_path: Path, double: GitHubDouble, monkeypatch: Any
) -> None:
    visit = Visit(browser, site_url + PAGE)
    try:
        visit.seal(ADDRESS, LOGIN)
        visit.page.wait_for_url("https://github.com/**")
    finally:
        visit.close()
    assert visit.problems == []
    (url,) = visit.opened
    sealed = _sealed_in(url)
    assert ADDRESS not in url
    assert open_sealed(KEYS.private, sealed, login=LOGIN, event=EVENT_ID) == Opened(
        ADDRESS, LOGIN, EVENT_ID
    )
    # Nothing from third parties: every script, the libsodium build included, is the site's own.
    site = site_url.rstrip("/")
    own = [request for request in visit.requests if request.startswith(site)]
    assert any(request.endswith("/libsodium.js") for request in own)
    assert any(request.endswith("/libsodium-wrappers.js") for request in own)
    foreign = [
        request
        for request in visit.requests
        if not request.startswith((site, "data:", "https://api.github.com/")) and request != url
    ]
    assert foreign == []

    # The issue the person then submits, as GitHub's form writes it, through the real sweep.
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    body = register_body(EVENT_ID, contact=sealed)
    double.add_issue(2, LOGIN, body, ["registration"], created=created(2))
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", KEYS.private)
    monkeypatch.delenv("SIGNUPSHEET_SMTP_URL", raising=False)
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    text = remote_file(remote)
    assert f"contact: {sealed}" in text and ADDRESS not in text
    (reply,) = double.bot_comments(2)
    assert "sealed e-mail is stored" in reply and ADDRESS not in reply


def test_a_wrong_address_or_login_is_said_in_text_and_nothing_is_opened(
    browser: Any, site_url: str
) -> None:
    visit = Visit(browser, site_url + PAGE)
    try:
        visit.seal("Ada <ada@example.org>", LOGIN)
        alert = visit.page.get_by_role("alert").first
        assert "one address, like name@example.org" in alert.inner_text()
        visit.seal(ADDRESS, "not a login!")
        assert "Your GitHub login" in alert.inner_text()
        assert visit.opened == [] and visit.problems == []
    finally:
        visit.close()


def test_without_javascript_the_command_is_explained(browser: Any, site_url: str) -> None:
    visit = Visit(browser, site_url + PAGE, java_script_enabled=False)
    try:
        assert not visit.page.get_by_label("E-mail for the meeting link").first.is_visible()
        note = visit.page.locator(".ss-seal-nojs").first
        assert note.is_visible() and "signupsheet seal-contact" in note.inner_text()
    finally:
        visit.close()


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
)
def test_the_form_is_accessible_and_fits_a_phone(
    browser: Any, site_url: str, viewport: dict[str, int]
) -> None:
    visit = Visit(browser, site_url + PAGE, viewport=viewport)
    try:
        field = visit.page.get_by_label("E-mail for the meeting link").first
        assert field.is_visible()
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        results = axe_module.Axe().run(visit.page)
        assert [violation["id"] for violation in results.response["violations"]] == []
        assert visit.problems == []
    finally:
        visit.close()
