"""The site's own search in a real browser (Chromium via Playwright) on the shipped content.

The parity test runs tests/queries.yaml through `kb search` (in process) and through the
site's engine in the page, and fails when their rankings drift apart.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from kb.search.build import ensure_index
from kb.search.engine import search as cli_search
from kb.search.evaluate import ndcg, read_queries
from tests.site.conftest import DESKTOP, PHONE, build_site, open_page, serve

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
QUERIES = REPO / "tests" / "queries.yaml"
# Agreement thresholds: the site's nDCG@10 at least 0.97 x the CLI's, the same first hit on 90 % of
# the queries, and 85 % of the CLI's top ten among the site's top ten on average. Measured: 1.00,
# 0.98 and 1.00 on the shipped content; the gap left covers phrases (the browser has no positions).
MIN_NDCG_RATIO, MIN_TOP1, MIN_OVERLAP = 0.97, 0.90, 0.85
RANK = """async ([q, f]) => { const r = await KBSEARCH.search(q, f);
  const ms = await KBSEARCH.meta((r.ranked || []).slice(0, 10).map(x => x[0])); return ms.map(m => m.id); }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(CONTENT, tmp_path_factory.mktemp("site-search") / "site", KB_OFFLINE_ZIP="false")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def results_page(page: Any, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector("[data-kb-results-done]", state="attached", timeout=15000)
    return page.eval_on_selector_all("[data-kb-result]", "els => els.map(e => e.dataset.kbResult)")


def test_site_search_agrees_with_kb_search(browser: Any, site: Path, tmp_path: Path) -> None:
    judged = read_queries(QUERIES)
    index = tmp_path / "index"
    ensure_index(CONTENT, index)
    cli = [[h.id for h in cli_search(CONTENT, index, q["query"], q["filters"], limit=10).hits] for q in judged]
    page, errors = open_page(browser, DESKTOP)
    page.goto((site / "search.html").as_uri())
    page.wait_for_selector("[data-kb-results-done]", state="attached")
    web = [page.evaluate(RANK, [q["query"], q["filters"]]) for q in judged]
    page.close()
    n = len(judged)
    cli_ndcg = sum(ndcg(r, q["relevant"]) for r, q in zip(cli, judged, strict=True)) / n
    web_ndcg = sum(ndcg(r, q["relevant"]) for r, q in zip(web, judged, strict=True)) / n
    top1 = sum(a[:1] == b[:1] for a, b in zip(cli, web, strict=True)) / n
    overlap = sum(len(set(a) & set(b)) / max(1, len(a)) for a, b in zip(cli, web, strict=True)) / n
    drift = [(q["query"], a[:3], b[:3]) for q, a, b in zip(judged, cli, web, strict=True) if a[:1] != b[:1]]
    assert web_ndcg >= MIN_NDCG_RATIO * cli_ndcg, (web_ndcg, cli_ndcg, drift)
    assert top1 >= MIN_TOP1, drift
    assert overlap >= MIN_OVERLAP, (overlap, drift)
    assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("where", ["http", "file"])
def test_results_page_reads_well(browser: Any, site: Path, base_url: str, viewport: dict[str, int], where: str) -> None:
    page, errors = open_page(browser, viewport)
    root = base_url if where == "http" else site.as_uri() + "/"
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    ids = results_page(page, root + "search.html?q=" + quote("desa migran produktif"))
    assert ids[0] == "id-desmigratif"
    first = page.locator("[data-kb-result]").first
    assert first.locator("a").first.get_attribute("href").endswith("programs/id-desmigratif.html")
    assert first.locator(".kb-result__type").inner_text() == "Programme"
    assert "Indonesia" in first.locator(".kb-result__meta").inner_text()
    assert first.locator(".kb-result__snippet mark").count() >= 1
    assert page.locator(".kb-result").first.locator(".kb-tag").count() <= 3
    assert "results" in page.locator("[data-kb-status]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    first.locator("a").first.click()
    page.wait_for_url("**/id-desmigratif.html")
    if where == "file":
        assert [r for r in requests if not r.startswith(("file:", "data:", "blob:", "about:"))] == []
    page.close()
    assert errors == []


def test_cross_lingual_typos_accents_and_thai(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    assert "ph-atikha-financial-literacy-reintegration" in results_page(page, base_url + "search.html?q=literasi+keuangan")[:5]
    ids = results_page(page, base_url + "search.html?q=Desmigratf")
    assert ids[0] == "id-desmigratif" and "desmigratif" in page.locator("[data-kb-suggest]").inner_text().lower()
    assert results_page(page, base_url + "search.html?q=kewirausahan")  # corrected, not empty
    assert all(i.startswith("vn") for i in results_page(page, base_url + "search.html?q=nuoc")[:3])
    assert any(i.startswith("th-") for i in results_page(page, base_url + "search.html?q=" + quote("การค้ามนุษย์"))[:3])
    page.close()
    assert errors == []


def test_filters_and_counts_on_the_results_page(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    ids = results_page(page, base_url + "search.html?q=training&country=PH&type=program")
    assert ids and all(i.startswith("ph-") for i in ids)
    assert page.locator("#kb-search-country").input_value() == "PH"
    option = page.locator("#kb-search-type option[value=practice]").inner_text()
    assert option.startswith("Good practice (") and option.endswith(")")
    page.select_option("#kb-search-country", "VN")
    page.wait_for_selector("[data-kb-results-done]", state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('[data-kb-result]')].every(e => e.dataset.kbResult.startsWith('vn'))")
    assert "country=VN" in page.url
    page.close()
    assert errors == []


def test_programme_and_practice_lists_filter_with_the_state_in_the_url(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, PHONE)
    page.goto(base_url + "practices/index.html")
    page.wait_for_selector("[data-kb-filtered]", state="attached")
    total = page.locator("[data-kb-item]").count()
    page.select_option("#kb-list-country", "PH")
    visible = page.eval_on_selector_all("[data-kb-item]:not([hidden])", "els => els.map(e => e.dataset.country)")
    assert 0 < len(visible) < total and all("PH" in c.split() for c in visible)
    assert "country=PH" in page.url
    page.goto(base_url + "programs/index.html?country=VN&theme=job-placement")
    page.wait_for_selector("[data-kb-filtered]", state="attached")
    shown = page.eval_on_selector_all("[data-kb-item]:not([hidden])", "els => els.map(e => [e.dataset.country, e.dataset.theme])")
    assert shown and all("VN" in c.split() and "job-placement" in t.split() for c, t in shown)
    assert page.locator("[data-kb-item]:not([hidden]) .kb-list__summary").first.inner_text()
    page.close()
    assert errors == []


def test_keyboard_alone_and_the_live_region(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url)
    page.locator("#kb-q").focus()
    page.keyboard.type("Desmigratif", delay=20)
    page.wait_for_selector("#kb-instant [role=option]")
    assert page.locator("#kb-q").get_attribute("aria-expanded") == "true"
    assert "results" in page.locator(".kb-search-box [role=status]").inner_text()
    page.keyboard.press("ArrowDown")
    assert page.locator("#kb-q").get_attribute("aria-activedescendant") == "kb-opt-0"
    page.keyboard.press("Enter")
    page.wait_for_url("**/id-desmigratif.html")
    page.locator("#kb-q").focus()
    page.keyboard.type("returnee cooperative", delay=10)
    page.wait_for_selector("#kb-instant [role=option]")
    page.keyboard.press("Enter")  # no option chosen: the results page
    page.wait_for_selector("[data-kb-results-done]", state="attached")
    assert "search.html?q=returnee" in page.url and page.locator("[data-kb-result]").count() > 0
    assert page.locator("label[for=kb-page-q]").count() == 1 and page.locator("label[for=kb-search-theme]").count() == 1
    page.close()
    assert errors == []


def test_hostile_queries_run_nothing_and_stay_bounded(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    attack = "<img src=x onerror=window.__kbxss=1>"
    results_page(page, base_url + "search.html?q=" + quote(attack))
    assert page.evaluate("typeof window.__kbxss") == "undefined"
    assert page.locator("#kb-page-q").input_value() == attack
    assert page.locator(".kb-results img").count() == 0
    for query in ("x" * 20000, "*" * 3000, "(" * 5000 + "a", "a* " * 2000, "re~2 " * 500, '"' * 999):
        started = time.perf_counter()
        results_page(page, base_url + "search.html?q=" + quote(query))
        assert time.perf_counter() - started < 5, query[:20]
    assert page.evaluate("1 + 1") == 2  # the page still answers
    page.close()
    assert errors == []


def test_a_citation_marker_leads_to_its_source(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, PHONE)
    page.goto(base_url + "practices/ph-atikha-financial-literacy-reintegration.html")
    marker = page.locator("article sup a[href^='#source-']").first
    target = marker.get_attribute("href")
    marker.click()
    assert page.evaluate("location.hash") == target
    item = page.locator(f"li:has({target})")
    assert item.locator("a[href^='http']").count() == 1  # the numbered source, with its link
    page.close()
    assert errors == []
