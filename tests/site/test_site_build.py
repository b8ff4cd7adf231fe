"""Real MkDocs builds of small sites with the plugin: output, strictness, errors, live reload."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import icalendar
import pytest
import yaml

from paths import SEED_ID
from signupsheet.main import main
from sitekit import HOSTILE_DESCRIPTION, TRICKY, Built, build, make_mkdocs_site, sheet_names
from smtp_server import free_port


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_mkdocs_site(
        tmp_path_factory.mktemp("site"),
        {"tricky": TRICKY},
    )
    return build(root)


def test_strict_build_is_clean(built: Built) -> None:
    assert built.result.returncode == 0, built.result.stderr
    assert "WARNING" not in built.result.stderr


def test_description_html_is_sanitised_and_markdown_kept(tmp_path: Path) -> None:
    # Not strict: `<img src=x>` is a broken link to MkDocs, and the page is what is checked here.
    built = build(make_mkdocs_site(tmp_path, {"hostile": HOSTILE_DESCRIPTION}, seed=False), False)
    assert built.result.returncode == 0, built.result.stderr
    page = built.page("events/hostile/index.html")
    about = page.split('class="ss-description"', 1)[1].split('<h2 id="registration"', 1)[0]
    for hostile in ("<script", "<img", "onerror", "javascript:", "JaVaScRiPt"):
        assert hostile not in about
    assert "<strong>Markdown</strong>" in about
    assert '<a href="https://example.org/programme" rel="noopener noreferrer nofollow">' in about
    assert "<ul>" in about and "<li>" in about and "<code>code &lt;b&gt;</code>" in about
    assert '<h3 id="programme">Programme<a class="headerlink" href="#programme"' in about
    assert "bad link" in about and "bad anchor" in about  # the text stays, the link goes
    assert "<script" not in page.split('<h2 id="registration"', 1)[0].split("<article", 1)[1]


def test_plugin_is_registered_as_an_entry_point() -> None:
    found = entry_points(group="mkdocs.plugins", name="signupsheet")
    assert [ep.value for ep in found] == ["signupsheet.site.plugin:SignupsheetPlugin"]


def test_every_seed_registrant_is_on_the_seed_page(built: Built) -> None:
    page = built.page(f"events/{SEED_ID}/index.html")
    names = sheet_names(page)
    assert len(names) == 33
    assert names[0] == "Raimund Liebert"
    assert names[17] == "aegis maelstrom δ"
    assert names[-1] == "Akwugo"
    assert page.count("signed after the event") == 3


def test_no_placeholder_is_left(built: Built) -> None:
    pages = list(built.site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "data-ss-part" not in text, page


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def broken_links(site: Path) -> list[str]:
    """Every relative `<a href>` of the built site whose target is not in the site.

    The 404 page links from the site's root (`/signupsheet/...`), so it is left out."""
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = urlsplit(href)
            if target.scheme or target.netloc or not target.path:
                continue
            path = (page.parent / unquote(target.path)).resolve()
            if not (path / "index.html" if path.is_dir() else path).is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
    return broken


def data_file_urls(site: Path) -> list[str]:
    """The site addresses in the calendars, the feed and events.json."""
    urls = []
    for calendar in site.rglob("*.ics"):
        for vevent in icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT"):
            urls.append(str(vevent["URL"]))
    feed = ElementTree.fromstring((site / "feed.xml").read_bytes())
    urls += [link.attrib["href"] for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    for event in json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]:
        urls += [event["url"], event["ics"]]
    return urls


def broken_site_urls(built: Built) -> list[str]:
    """Every address of the site in its data files that leads to no file of the built site."""
    config = yaml.safe_load((built.root / "mkdocs.yml").read_text(encoding="utf-8"))
    site_url = config["site_url"].rstrip("/") + "/"
    broken = []
    for url in data_file_urls(built.site):
        assert url.startswith(site_url), url
        path = built.site / unquote(url.removeprefix(site_url))
        if not (path / "index.html" if path.is_dir() else path).is_file():
            broken.append(url)
    return broken


def test_every_link_between_pages_leads_somewhere(built: Built) -> None:
    assert broken_links(built.site) == []
    assert len(data_file_urls(built.site)) > 4
    assert broken_site_urls(built) == []
    seed_page = built.page(f"events/{SEED_ID}/index.html")
    for href in (
        "../../policies/safe-space/",
        "../../series/volunteer-supporters-network-2022/",
        "../../registering/",
        f"../{SEED_ID}.ics",
    ):
        assert f'href="{href}"' in seed_page


def test_links_work_without_directory_urls(tmp_path: Path) -> None:
    root = make_mkdocs_site(tmp_path, {"tricky": TRICKY})
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8"
    )
    flat = build(root)
    assert flat.result.returncode == 0, flat.result.stderr
    assert (flat.site / "events" / f"{SEED_ID}.html").is_file()
    assert broken_links(flat.site) == []
    assert 'href="events/tricky.html"' in flat.page("index.html")
    # Calendars, feed and events.json point to the pages where this site has them.
    assert broken_site_urls(flat) == []
    assert f"/events/{SEED_ID}.html" in flat.page("events.json")


def test_tricky_names_are_text(built: Built) -> None:
    page = built.page("events/tricky/index.html")
    assert sheet_names(page) == [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "Carol",
        "Erin Waiting",
    ]
    assert "Hidden Dave" not in page


def test_generated_files_are_published(built: Built) -> None:
    for path in (
        f"events/{SEED_ID}.ics",
        "events/tricky.ics",
        "calendar.ics",
        "feed.xml",
        "events.json",
        "past/index.html",
        "assets/signupsheet/localtime.js",
        "assets/signupsheet/signupsheet.css",
    ):
        assert (built.site / path).is_file(), path
    data = json.loads(built.page("events.json"))
    assert [event["id"] for event in data["events"]] == [SEED_ID, "tricky"]
    home = built.page("index.html")
    assert 'href="events/tricky/"' in home and f'href="events/{SEED_ID}/"' in home
    assert "assets/signupsheet/localtime.js" in home
    series = built.page("series/volunteer-supporters-network-2022/index.html")
    assert f'href="../../events/{SEED_ID}/"' in series


class _HeadFeeds(HTMLParser):
    """The `href` of each Atom alternate link inside <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.feeds: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_head = self.in_head or tag == "head"
        found = dict(attrs)
        if self.in_head and tag == "link" and found.get("type") == "application/atom+xml":
            assert found.get("rel") == "alternate"
            self.feeds.append(found.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def test_every_page_announces_the_feed(built: Built) -> None:
    site_url = yaml.safe_load((built.root / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    pages = sorted(built.site.rglob("*.html"))
    assert any("events" in page.parts for page in pages)
    for page in pages:
        parser = _HeadFeeds()
        parser.feed(page.read_text(encoding="utf-8"))
        (found,) = parser.feeds
        assert found is not None, page
        if page.name == "404.html":
            assert found == f"{site_url.rstrip('/')}/feed.xml"
        else:
            # Relative, so that the page makes no request to the published site (Material reads
            # the sitemap beside every alternate link).
            assert "://" not in found, page
            assert (page.parent / found).resolve() == (built.site / "feed.xml").resolve(), page


def test_event_pages_are_not_in_the_navigation(built: Built) -> None:
    policy = built.page("policies/safe-space/index.html")
    assert "events/tricky/" not in policy and SEED_ID not in policy


def test_sign_up_sheets_stay_out_of_the_search_index(built: Built) -> None:
    index = built.page("search/search_index.json")
    assert "Let&#x27;s Connect" in index or "Let's Connect" in index
    assert "Paulina Studniczka" not in index and "Erin Waiting" not in index


def test_facts_and_lists_are_in_the_search_index(built: Built) -> None:
    entries = json.loads(built.page("search/search_index.json"))["docs"]
    seed_text = " ".join(
        entry["text"] for entry in entries if entry["location"].startswith(f"events/{SEED_ID}/")
    )
    assert "JStephenson (WMF)" in seed_text  # a speaker, from the facts block
    assert "Safe space policy" in seed_text
    # The notice every event page repeats, and the states, would only crowd the results.
    assert "The meeting link is never published" not in seed_text
    assert "Registration is open" not in seed_text
    home_text = " ".join(entry["text"] for entry in entries if entry["location"].startswith("#"))
    assert "Tricky names" in home_text  # the upcoming list on the home page


def test_a_site_without_the_registering_page_is_refused(tmp_path: Path) -> None:
    root = make_mkdocs_site(tmp_path, {})
    (root / "docs" / "registering.md").unlink()
    result = build(root)
    assert result.result.returncode != 0
    assert "docs/registering.md, which does not exist" in result.result.stderr


def test_invalid_event_fails_the_build_with_validate_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = TRICKY
    bad = bad.replace("mode: online", "mode: online\n  room: 12")
    bad = bad.replace("capacity: 4", "capacity: 0")
    root = make_mkdocs_site(tmp_path, {"broken": bad})
    result = build(root)
    assert result.result.returncode != 0
    assert main(["--root", str(root), "validate"]) == 1
    expected = capsys.readouterr().out.strip().splitlines()
    assert len(expected) == 2
    assert all(line.startswith("events/broken.yaml:") for line in expected)
    for line in expected:
        assert line in result.result.stderr
    assert not (root / "site" / "index.html").exists()


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        text: str = response.read().decode()
        return text


def test_serve_rebuilds_when_an_event_changes(tmp_path: Path) -> None:
    root = make_mkdocs_site(tmp_path, {}, seed=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/signupsheet/events/{SEED_ID}/"
    try:
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline:
            try:
                page = _fetch(url)
                break
            except OSError:
                time.sleep(0.3)
        assert "Raimund Liebert" in page
        event_file = root / "events" / f"{SEED_ID}.yaml"
        text = event_file.read_text(encoding="utf-8")
        event_file.write_text(text.replace("Raimund Liebert", "Raimund L."), encoding="utf-8")
        while time.monotonic() < deadline and "Raimund L.<" not in page:
            time.sleep(0.5)
            page = _fetch(url)
        assert "Raimund L.<" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "repo_url: https://github.com/signupsheet/signupsheet",
            "repo_url: https://gitlab.com/signupsheet/signupsheet",
            "is not a GitHub repository address",
        ),
        (
            'now: "2022-11-20T12:00:00Z"',
            'now: "next tuesday"',
            "option 'now': 'next tuesday' is not",
        ),
    ],
)
def test_configuration_mistakes_fail_the_build(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    root = make_mkdocs_site(tmp_path, {})
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")
    result = build(root)
    assert result.result.returncode != 0
    assert message in result.result.stderr


# A description that starts with a heading, has headings of its own and links to pages of the
# site; and one whose link leads nowhere.
DESCRIBED = TRICKY.replace(
    "  Maintainers write **Markdown** here.\n",
    "  # Programme *today*\n"
    "\n"
    "  Read [how to register](../registering.md) and [its times](../registering.md#times),\n"
    f"  see [the seed event]({SEED_ID}.md) and [past events](../past.md).\n"
    "\n"
    "  ## Part one\n"
    "\n"
    "  Talks.\n",
)
BAD_LINK = TRICKY.replace(
    "  Maintainers write **Markdown** here.\n",
    "  See [the programme](programme.md).\n",
)


def test_description_headings_are_the_pages_own(tmp_path: Path) -> None:
    """No empty "About" above a description that starts with a heading; its headings get an id,
    a permalink and an entry in the table of contents; its links lead to the pages."""
    built = build(make_mkdocs_site(tmp_path, {"tricky": DESCRIBED}))
    assert built.result.returncode == 0, built.result.stderr
    page = built.page("events/tricky/index.html")
    article = page.split("<article", 1)[1]
    assert 'id="about"' not in page
    for level, anchor, text in (
        (2, "programme-today", "Programme today"),
        (3, "part-one", "Part one"),
    ):
        heading = re.search(rf'<h{level} id="{anchor}">(.*?)</h{level}>', article)
        assert heading is not None, anchor
        assert heading.group(1).startswith(text)
        assert f'class="headerlink" href="#{anchor}"' in heading.group(1)
        assert f'<a href="#{anchor}" class="md-nav__link">' in page  # the table of contents
    description = article.split('id="programme-today"', 1)[1].split('id="registration"', 1)[0]
    for href in ("../../registering/", "../../registering/#times", f"../{SEED_ID}/", "../../past/"):
        assert f'href="{href}"' in description
    assert broken_links(built.site) == []


def test_a_bad_link_in_a_description_fails_the_build_at_the_event_file(tmp_path: Path) -> None:
    built = build(make_mkdocs_site(tmp_path, {"tricky": BAD_LINK}))
    assert built.result.returncode == 1
    assert (
        "events/tricky.yaml:5:23: the link 'programme.md' in the description points to "
        "docs/events/programme.md, which does not exist;"
    ) in built.result.stderr
    assert "events/tricky.md" not in built.result.stderr
