"""Where each page of the site is served, and the relative link from one page to another.

The site engine rewrites links in Markdown (`[x](../policies/safe-space.md)`) to the address
where the target page ends up. The pages' generated HTML blocks never pass through the Markdown
parser, so their links are written here, by the rules of MkDocs (which ProperDocs and Zensical
follow): `a/b.md` is served at `a/b/` with directory URLs and at `a/b.html` without;
`a/index.md` and `a/README.md` at `a/`; any other file where it is. Calendars, feeds, forms
and mails give full addresses: the published site's (`site_url` in mkdocs.yml) and the same rules.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

_SITE_URL = re.compile(r"^site_url:\s*['\"]?(https://[^\s'\"#]+)", re.MULTILINE)
# YAML 1.1 as MkDocs reads it: false, no and off in any case.
_FLAT_URLS = re.compile(
    r"^use_directory_urls:\s*['\"]?(?:false|no|off)\b", re.MULTILINE | re.IGNORECASE
)


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The address of a docs/ file, relative to the site's root."""
    if not src_uri.endswith(".md"):
        return quote(src_uri)
    parent, _, filename = src_uri.rpartition("/")
    stem = filename.removesuffix(".md")
    if stem == "README":
        stem = "index"
    prefix = f"{parent}/" if parent else ""
    if stem == "index":
        url = (prefix or "./") if directory_urls else f"{prefix}index.html"
    else:
        url = f"{prefix}{stem}/" if directory_urls else f"{prefix}{stem}.html"
    return quote(url)


def _parts(url: str) -> list[str]:
    normal = posixpath.normpath("/" + url)[1:]
    return normal.split("/") if normal else []


def relative_url(url: str, base: str) -> str:
    """`url` as seen from the page at `base` (both relative to the site's root)."""
    folder, _, name = base.rpartition("/")
    if "." in name:  # a file such as a/b.html: links are relative to its folder
        base = folder
    base_parts, url_parts = _parts(base), _parts(url)
    common = 0
    for here, there in zip(base_parts, url_parts, strict=False):
        if here != there:
            break
        common += 1
    relative = "/".join([".."] * (len(base_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def href(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The link from the page `from_src` to the file `to_src` (both paths inside docs/)."""
    return relative_url(page_url(to_src, directory_urls), page_url(from_src, directory_urls))


@dataclass(frozen=True)
class PublishedSite:
    """Where the site is published, and whether its pages have directory URLs."""

    url: str
    directory_urls: bool = True

    def page(self, src_uri: str) -> str:
        """The full address of a docs/ file."""
        url = page_url(src_uri, self.directory_urls)
        return f"{self.url.rstrip('/')}/{'' if url == './' else url}"


def published_site(root: Path) -> PublishedSite | None:
    """The site's address from mkdocs.yml, read as text so this core needs no MkDocs (and no
    YAML tags of its extensions)."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return None
    text = config.read_text(encoding="utf-8")
    found = _SITE_URL.search(text)
    if found is None:
        return None
    return PublishedSite(found.group(1), directory_urls=_FLAT_URLS.search(text) is None)
