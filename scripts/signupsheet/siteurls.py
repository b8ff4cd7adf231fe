"""Where each page of the site is served, and the relative link from one page to another.

The site engine rewrites links in Markdown (`[x](../policies/safe-space.md)`) to the address
where the target page ends up. The pages' generated HTML blocks never pass through the Markdown
parser, so their links are written here, by the rules of MkDocs (which ProperDocs and Zensical
follow): `a/b.md` is served at `a/b/` with directory URLs and at `a/b.html` without;
`a/index.md` and `a/README.md` at `a/`; any other file where it is.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote


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
