"""The event page's "E-mail for the meeting link": sealed in real Chromium with the vendored
libsodium.js, handed to the issue form, and opened by the real sweep with the private key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from formbodies import body, form, register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from signupsheet.core.sealed_contact import KeyPair, Opened, new_key_pair, open_sealed
from sitekit import build, make_mkdocs_site
from smtp_server import Recorder, smtp_server
from sweepkit import EVENT, EVENT_ID, NOW, created, make_remote, remote_file, run_sweep

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
from browserkit import chromium, served  # noqa: E402

ADDRESS = "browser.sealer@mail.example.net"
IN_WINDOW = "2026-12-03T13:30:00Z"
LINK = "https://meet.example.net/room-browser-77"  # a test value: not a real meeting
LOGIN = "Sealer"
PAGE = f"events/{EVENT_ID}/"
KEYS: KeyPair = new_key_pair()


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The site's address and its build folder."""
    root = make_mkdocs_site(
        tmp_path_factory.mktemp("seal-site"), {EVENT_ID: EVENT.format(capacity=5)}, now=NOW
    )
    (root / "contact-key.pub").write_text(KEYS.public + "\n", encoding="utf-8")
    built = build(root)
    assert built.result.returncode == 0, built.result.stderr
    assert ADDRESS not in built.page(f"{PAGE}index.html")
    with served(built.site) as base:
        yield base, built.site


@pytest.fixture(scope="module")
def site_url(built_site: tuple[str, Path]) -> str:
    return built_site[0]


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
    # Prefilled from the URL's query as GitHub does, by field id; the person ticks the policy box.
    register = form("register")
    prefilled = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert {field.id for field in register.fields} >= {"event", "contact"}
    issue_body = body(register, {**prefilled, "policy": True})
    assert sealed in issue_body
    double.add_issue(2, LOGIN, issue_body, ["registration"], created=created(2))
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


def _run(root: Path, env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "signupsheet", "--root", str(root), *argv]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_full_run_the_address_reaches_the_mails_and_nothing_else(
    browser: Any,
    built_site: tuple[str, Path],
    tmp_path: Path,
    double: GitHubDouble,
    monkeypatch: Any,
) -> None:
    """Sign-up on the event page, the sweep (no mail settings), the deliver job's confirmation,
    then the link at send time: the address is in the two mails and nowhere else."""
    site_url, site_dir = built_site
    visit = Visit(browser, site_url + PAGE)
    try:
        visit.seal(ADDRESS, LOGIN)
        visit.page.wait_for_url("https://github.com/**")
    finally:
        visit.close()
    (url,) = visit.opened
    sealed = _sealed_in(url)
    remote = make_remote(tmp_path, capacity=5)
    work = clone(remote, tmp_path / "work")
    double.add_issue(
        2, LOGIN, register_body(EVENT_ID, contact=sealed), ["registration"], created=created(2)
    )
    monkeypatch.setenv("SIGNUPSHEET_CONTACT_KEY", KEYS.private)
    for name in ("SIGNUPSHEET_SMTP_URL", "SIGNUPSHEET_CONTACTS", "SIGNUPSHEET_MEETING_LINKS"):
        monkeypatch.delenv(name, raising=False)
    output = tmp_path / "sweep-output"
    swept = run_sweep(double, work, output=output)
    assert swept.returncode == 0, swept.stderr
    confirmed = dict(line.split("=", 1) for line in output.read_text().splitlines())["confirmed"]
    recorder = Recorder()
    summaries = [tmp_path / "summary-deliver.md", tmp_path / "summary-scheduled.md"]
    runs = []
    with smtp_server(recorder) as port:
        mail = {
            **os.environ,
            "SIGNUPSHEET_MAIL_FROM": "events@example.net",
            "SIGNUPSHEET_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "SIGNUPSHEET_MEETING_LINKS": json.dumps({EVENT_ID: LINK}),
            "GITHUB_TOKEN": "test-token-not-secret",
            "GITHUB_REPOSITORY": double.repo,
            "GITHUB_API_URL": double.base_url,
        }
        deliver = clone(remote, tmp_path / "deliver")
        env = {**mail, "SIGNUPSHEET_CONFIRMED": confirmed, "GITHUB_STEP_SUMMARY": str(summaries[0])}
        runs.append(_run(deliver, env, "send-links", "--push", "--only-confirmed", "--now", NOW))
        scheduled = clone(remote, tmp_path / "scheduled")
        env = {**mail, "GITHUB_STEP_SUMMARY": str(summaries[1])}
        runs.append(_run(scheduled, env, "send-links", "--push", "--now", IN_WINDOW))
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    confirmation, link = recorder.to(ADDRESS)
    assert LINK not in str(confirmation.message) and LINK in str(link.message)

    # The site as the deploy job rebuilds it after the runs: the sheet now holds the entry.
    rebuilt_root = make_mkdocs_site(tmp_path / "rebuilt", {EVENT_ID: remote_file(remote)}, now=NOW)
    (rebuilt_root / "contact-key.pub").write_text(KEYS.public + "\n", encoding="utf-8")
    rebuilt = build(rebuilt_root)
    assert rebuilt.result.returncode == 0, rebuilt.result.stderr
    assert LOGIN in rebuilt.page(f"{PAGE}index.html")

    places: dict[str, str] = {
        "history": git(remote, "log", "-p", "--all", "--format=%B%n%an %ae"),
        "issues": json.dumps(double.issues) + json.dumps(list(double.comments.values())),
        "sweep": swept.stdout + swept.stderr,
        "send-links": "".join(run.stdout + run.stderr for run in runs),
    }
    for summary in summaries:
        places[summary.name] = summary.read_text(encoding="utf-8")
    places["build"] = rebuilt.result.stdout + rebuilt.result.stderr
    for folder in (work, deliver, scheduled, site_dir, rebuilt.site):
        for path in folder.rglob("*"):
            if path.is_file() and ".git" not in path.relative_to(folder).parts:
                places[str(path)] = path.read_bytes().decode("utf-8", "replace")
    # The scan sees what it should: the seal in the history, the built pages, both summaries.
    assert f"contact: {sealed}" in places["history"]
    assert any(name.endswith(f"{EVENT_ID}/index.html") for name in places)
    assert "Meeting links" in places["summary-scheduled.md"]
    for needle in (ADDRESS, ADDRESS.split("@")[0]):
        assert [name for name, text in places.items() if needle in text] == []
