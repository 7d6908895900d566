"""Shared pieces of the browser tests: building a site, serving it on localhost, Chromium through Playwright.

Tests using them are marked `browser` (tests/conftest.py skips them on a machine without Chromium).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def build_site(content: Path, out: Path, **env: str) -> Path:
    """`mkdocs build --strict` of content into out (extra environment such as KB_OFFLINE_ZIP; English only unless KB_LANGUAGES)."""
    environ = {**os.environ, "KB_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1", "KB_LANGUAGES": "en", **env}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=REPO, env=environ,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder on a quiet localhost HTTP server; yields its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium chromium-driver (.ci/run does it)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_page(browser: Any, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    """A new page that records console errors, page errors and dialogs."""
    page = browser.new_page(viewport=viewport)
    # Material fetches sitemap.xml beside every <link rel=alternate> to map pages between languages. Our
    # hreflang links name the page itself, as they should, so those fetches miss (Material then keeps the
    # link as it is). Answer them with an empty sitemap, so that a real missing resource still shows as an error.
    page.route(re.compile(r".*/(frameworks|countries|programs|practices|compare|browse|glossary|data|contribute)/sitemap\.xml$"),
               lambda route: route.fulfill(status=200, content_type="application/xml",
                                           body='<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'))
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return page, errors
