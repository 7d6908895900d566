"""A real browser follows an entry page's theme link to its section of Browse, and an entry-id link (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site.conftest import DESKTOP, build_site, open_page, serve

pytestmark = pytest.mark.browser
SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_site(SITE_CONTENT, tmp_path_factory.mktemp("links") / "site", KB_OFFLINE_ZIP="false")
    with serve(site) as url:
        yield url


def test_theme_link_lands_on_its_section_of_browse(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url + "programs/ph-reintegration-centre.html")
    page.get_by_role("link", name="Access to finance", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("browse/index.html#tag:access-to-finance")
    top = page.evaluate("() => document.getElementById('tag:access-to-finance').getBoundingClientRect().top")
    assert 0 <= top < 200  # scrolled to the section, not left at the top of the page
    listed = page.evaluate("() => [...document.getElementById('tag:access-to-finance').nextElementSibling.querySelectorAll('a')].map(a => a.textContent)")
    assert any("National Reintegration Center" in text for text in listed)
    assert not errors, errors
    page.close()


def test_cite_block_and_similar_list_are_on_the_page(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url + "programs/ph-reintegration-centre.html")
    cite = page.locator(".kb-cite")
    assert "Permalink:" in cite.inner_text() and "Last reviewed:" in cite.inner_text()
    assert page.locator("#similar-elsewhere").count() == 1
    page.locator("#similar-elsewhere + ul a").first.click()
    page.wait_for_load_state()
    assert "/programs/id-" in page.url or "/practices/" in page.url
    assert not errors, errors
    page.close()
