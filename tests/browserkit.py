"""A real browser on the built site: Debian's Chromium driven by Playwright, and a local server.

Every page opened with `open_page` is watched: console errors and warnings, uncaught exceptions,
dialogs and every request that would leave the local server are collected for `Watch.check`:
pages load nothing from third parties (Material's request for the repository's stars included).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, as GitHub Pages would serve it."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, launched by Playwright (which must be installed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watch:
    """What went wrong on a page: console errors, exceptions, dialogs, stray requests."""

    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every request the page made

    def check(self) -> None:
        assert self.dialogs == []
        assert self.problems == []


def open_page(context: Any, url: str) -> tuple[Any, Watch]:
    watch = Watch()
    page = context.new_page()

    def on_console(message: Any) -> None:
        if message.type in ("error", "warning"):
            watch.problems.append(f"console {message.type}: {message.text}")

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    site = url.split("/", 3)[:3]  # scheme, "", host:port

    def on_request(request: Any) -> None:
        watch.requests.append(request.url)
        if request.url.split("/", 3)[:3] != site and not request.url.startswith("data:"):
            watch.problems.append(f"request to {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.problems.append(f"page error: {error}"))
    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.goto(url, wait_until="networkidle")
    return page, watch
