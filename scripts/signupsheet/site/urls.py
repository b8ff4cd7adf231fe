"""Where each page of the site is served, and the relative link from one page to another.

The site engine rewrites links in Markdown (`[x](../policies/safe-space.md)`) to the address
where the target page ends up. The pages' generated HTML blocks never pass through the Markdown
parser, so their links are written here, by the rules of MkDocs (which ProperDocs and Zensical
follow): `a/b.md` is served at `a/b/` with directory URLs and at `a/b.html` without;
`a/index.md` and `a/README.md` at `a/`; any other file where it is. Calendars, feeds, forms
and mails give full addresses: the published site's (`site_url` in mkdocs.yml) and the same rules.

mkdocs.yml is read here and nowhere else (`MkDocsYml`): by the bot and the link delivery for the
published address, and by `signupsheet render`, which writes the configuration back. This module
imports no MkDocs, so the code that needs the address does not either.
"""

from __future__ import annotations

import io
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar

from signupsheet.core.errors import UserError


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


def _reader() -> YAML:
    # Round trip, so that `render` writes the configuration back with its comments and tags
    # (`!ENV`, `!!python/name:` of Material's extensions), which it needs no code for. YAML 1.1,
    # as MkDocs reads it: `use_directory_urls: no` is false.
    yaml = YAML()
    yaml.version = (1, 1)
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _tag(node: Any) -> str | None:
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) else None


@dataclass
class MkDocsYml:
    """mkdocs.yml, read once: the document as written, and the values MkDocs would see."""

    path: Path
    document: Any  # ruamel.yaml's round-trip mapping

    @classmethod
    def read(cls, path: Path) -> MkDocsYml:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise UserError(f"{path}: cannot read the configuration: {error.strerror}") from None
        try:
            document = _reader().load(text)
        except Exception as error:  # ruamel raises many kinds for bad YAML
            raise UserError(f"{path}: not valid YAML: {error}") from None
        if not isinstance(document, Mapping):
            raise UserError(f"{path}: not a MkDocs configuration (a mapping of settings)")
        return cls(path, document)

    def value(self, key: str, default: Any = None) -> Any:
        """A top-level setting as plain Python values, `!ENV` resolved as MkDocs resolves it."""
        return self._plain(self.document[key]) if key in self.document else default

    def plugin_options(self, name: str) -> dict[str, Any] | None:
        """The options of plugin `name` (empty when it has none), or None when it is not used."""
        for entry in self.value("plugins") or []:
            if entry == name:
                return {}
            if isinstance(entry, dict) and name in entry:
                return dict(entry[name] or {})
        return None

    def published_site(self) -> PublishedSite | None:
        url = self.value("site_url")
        if not isinstance(url, str) or not url.startswith("https://"):
            return None
        return PublishedSite(url, directory_urls=self.value("use_directory_urls") is not False)

    def text(self) -> str:
        """The document, as edited since, as YAML; comments and tags stay as they were."""
        writer = YAML()  # no `%YAML 1.1` line: the same text MkDocs and others read
        writer.preserve_quotes = True
        writer.width = 4096
        out = io.StringIO()
        writer.dump(self.document, out)
        return out.getvalue()

    def _plain(self, node: Any) -> Any:
        tag = _tag(node)
        if tag == "!ENV":
            return self._environment(node)
        if isinstance(node, TaggedScalar):
            return node.value  # !relative, !!python/name:...: meanings only MkDocs has
        if isinstance(node, Mapping):
            return {str(key): self._plain(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self._plain(value) for value in node]
        for kind in (bool, int, float, str):  # ruamel's subclasses keep formatting details
            if isinstance(node, kind):
                return kind(node)
        return node

    def _environment(self, node: Any) -> Any:
        """`!ENV NAME` or `!ENV [NAME, ..., default]`: the first variable set, else the default
        (pyyaml_env_tag's rules, which MkDocs uses)."""
        if isinstance(node, TaggedScalar):
            names, default = [node.value], None
        else:
            items = list(node)
            names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
        for name in names:
            if isinstance(name, str) and name in os.environ:
                value = _reader().load(os.environ[name])
                # An environment variable is a scalar: text that looks like a list stays text.
                return value if not isinstance(value, Mapping | list) else os.environ[name]
        return self._plain(default)


def published_site(root: Path) -> PublishedSite | None:
    """Where the site in `root` is published, from its mkdocs.yml; None without one."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return None
    return MkDocsYml.read(config).published_site()
