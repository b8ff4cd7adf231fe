"""Links between generated pages land where MkDocs serves the pages."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File

from signupsheet.site.urls import PublishedSite, href, page_url

PATHS = [
    "index.md",
    "past.md",
    "registering.md",
    "README.md",
    "events/2022-11-23-vsn-training-lets-connect.md",
    "events/2022-11-23-vsn-training-lets-connect.ics",
    "events/index.md",
    "policies/safe-space.md",
    "series/volunteer-supporters-network-2022.md",
    "a/b/c/deep.md",
    "calendar.ics",
    "with space/page one.md",
]


def mkdocs_file(src_uri: str, directory_urls: bool) -> File:
    return File(src_uri, src_dir="/docs", dest_dir="/site", use_directory_urls=directory_urls)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_addresses_and_links_agree_with_mkdocs(directory_urls: bool) -> None:
    for target in PATHS:
        theirs = mkdocs_file(target, directory_urls)
        assert page_url(target, directory_urls) == theirs.url, target
        for source in PATHS:
            if not source.endswith(".md"):
                continue
            expected = theirs.url_relative_to(mkdocs_file(source, directory_urls))
            assert href(source, target, directory_urls) == expected, (source, target)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_full_addresses_agree_with_mkdocs(directory_urls: bool) -> None:
    for site_url in ("https://example.org/events", "https://example.org/events/"):
        for target in PATHS:
            theirs = mkdocs_file(target, directory_urls).url
            expected = "https://example.org/events/" + ("" if theirs == "./" else theirs)
            assert PublishedSite(site_url, directory_urls).page(target) == expected, target


def test_a_few_links_by_hand() -> None:
    assert href("events/x.md", "policies/safe-space.md") == "../../policies/safe-space/"
    assert href("events/x.md", "events/x.ics") == "../x.ics"
    assert href("index.md", "events/x.md") == "events/x/"
    assert href("events/x.md", "index.md") == "../../"
    assert href("events/x.md", "policies/safe-space.md", False) == "../policies/safe-space.html"
