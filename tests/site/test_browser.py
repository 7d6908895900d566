"""A real browser on the built fixture site: Playwright driving Debian's Chromium (installed by .ci/run).

Screenshots go to tmp_path, or to $KB_SCREENSHOTS when set, to be looked at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site.conftest import DESKTOP, PHONE, build_site, open_page, serve

pytestmark = pytest.mark.browser
SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITE_CONTENT, tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def search(page: Any, text: str) -> None:
    """Type into the header box and wait for the instant results."""
    box = page.locator("#kb-q")
    box.click()
    box.fill("")
    box.press_sequentially(text, delay=20)
    page.wait_for_selector("#kb-instant [role=option]", timeout=15000)


def test_search_finds_an_entry_and_follows_it(browser: Any, base_url: str, shots: Path) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url)
    assert "Knowledge Base" in page.title()
    assert page.locator(".kb-counts").inner_text().count("national programmes") == 1
    page.screenshot(path=str(shots / "home-desktop.png"))
    search(page, "Desmigratif")
    page.screenshot(path=str(shots / "search-desktop.png"))
    result = page.locator("#kb-instant a[href*='id-village-programme']").first
    result.click()
    page.wait_for_url("**/programs/id-village-programme.html*")
    assert page.locator("h1").first.inner_text().startswith("Productive Migrant Village programme")
    # search by a word from the content, not the title
    search(page, "cooperative")
    assert page.locator("#kb-instant a[href*='id-village-programme']").count() >= 1
    page.close()
    assert errors == []


def test_compare_matrix_links_resolve(browser: Any, base_url: str, shots: Path) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url + "compare/index.html")
    page.screenshot(path=str(shots / "compare-desktop.png"))
    anchors = page.eval_on_selector_all("article table a[href^='#']", "els => els.map(e => e.getAttribute('href').slice(1))")
    assert "access-to-finance-ph" in anchors and len(anchors) > 22
    missing = page.evaluate("ids => ids.filter(id => !document.getElementById(id))", anchors)
    assert missing == []
    page.locator("article table a[href='#access-to-finance-ph']").click()
    assert page.evaluate("location.hash") == "#access-to-finance-ph"
    entries = page.eval_on_selector_all("article li a[href$='.html']", "els => els.map(e => e.href)")
    assert any("ph-hostile-practice" in href for href in entries)
    for href in sorted(set(entries)):
        assert page.request.get(href).status == 200, href
    page.close()
    assert errors == []


def test_hostile_entry_runs_nothing(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url + "practices/ph-hostile-practice.html")
    page.wait_for_timeout(300)
    page.mouse.move(200, 400)
    assert page.evaluate("typeof window.__kbxss") == "undefined"
    assert "</title><script>" in page.locator("h1").first.inner_text()  # shown as text
    search(page, "hostile")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__kbxss") == "undefined"
    page.close()
    assert errors == []


def test_readable_on_a_phone(browser: Any, base_url: str, shots: Path) -> None:
    page, errors = open_page(browser, PHONE)
    for name, path in (("home", ""), ("entry", "programs/id-village-programme.html"), ("compare", "compare/index.html"),
                       ("country", "countries/id.html")):
        page.goto(base_url + path)
        page.screenshot(path=str(shots / f"{name}-phone.png"))
        # the page never scrolls sideways (wide tables scroll inside their own box)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
        assert size >= 14, (name, size)
    page.close()
    assert errors == []


def test_offline_copy_works_from_a_folder(browser: Any, site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "usb" / "site"
    shutil.copytree(site, copy)
    page, errors = open_page(browser, DESKTOP)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((copy / "index.html").as_uri())
    page.locator("a[href='programs/index.html']").first.click()
    page.wait_for_url("**/programs/index.html")
    page.locator("a[href$='id-village-programme.html']").first.click()
    assert page.locator("h1").first.inner_text().startswith("Productive Migrant Village programme")
    search(page, "Desmigratif")
    assert page.locator("#kb-instant a[href*='id-village-programme']").count() >= 1
    page.close()
    assert [r for r in requests if not r.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert errors == []
