"""axe-core (bundled by axe-playwright-python) on one page of every kind of the real site, at desktop and phone size.

Any WCAG 2.0/2.1 A or AA violation (or a broken landmark, h1 or skip link) fails, with its rule, the elements (CSS targets) and axe's help.
The site is the shipped content/, the only tree with every kind of page and field (translations,
local names, citations, long tables). A page in another language (`<lang>/<path>`) is audited too
whenever the build has it; rows marked optional are audited once the build has them.
Set KB_AXE_REPORT=file.json to write the "incomplete" results (axe: needs a human) per page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.site.conftest import DESKTOP, PHONE, REPO, build_site, open_page, serve

browser_test = pytest.mark.browser
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Beyond WCAG's tags, axe's best-practice rules for landmarks, the h1 and the skip link's target.
STRUCTURE_RULES = ["region", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner", "landmark-no-duplicate-main",
                   "landmark-no-duplicate-contentinfo", "landmark-banner-is-top-level", "landmark-main-is-top-level",
                   "landmark-contentinfo-is-top-level", "page-has-heading-one", "skip-link"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {rule: {"enabled": True} for rule in STRUCTURE_RULES},
               "resultTypes": ["violations", "incomplete"]}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# Language versions, audited when the build has them (one line per language). English and Thai (another
# script, long unspaced words) get every row; the other languages, whose pages differ from these only in
# their words, get the rows in EVERY_LANGUAGE, so the audit stays a few minutes long.
LANGUAGES = ("", "id/", "ms/", "fil/", "vi/", "th/")
FULL_LANGUAGES = ("", "th/")
EVERY_LANGUAGE = {"home", "practice", "programmes list, filtered", "compare by theme", "glossary", "data", "search results"}


class Row(NamedTuple):
    name: str
    path: str  # relative to the site root (and to each language's root), query string allowed
    ready: str = "body"  # selector present once the page's script has finished
    action: str = ""  # "instant:<words>": type into the header box, audit with the results open; "drawer": open the menu
    optional: bool = False  # audited only once the build has the page


PAGES = [
    Row("home", "index.html"),
    Row("framework", "frameworks/asean-return-reintegration-guidelines.html"),
    Row("frameworks hub", "frameworks/index.html"),
    Row("country", "countries/id.html"),
    Row("countries hub", "countries/index.html"),
    Row("programme", "programs/id-desmigratif.html"),
    Row("programmes list, filtered", "programs/index.html?country=ID", "[data-kb-filtered]"),
    Row("practice", "practices/id-desbumi-migrant-care.html"),
    Row("practices list", "practices/index.html", "[data-kb-filtered]"),
    Row("compare by theme", "compare/index.html"),
    Row("compare by target group", "compare/target-groups.html"),
    Row("browse", "browse/index.html"),
    Row("glossary", "glossary/index.html"),
    Row("data", "data/index.html"),
    Row("contribute", "contribute/index.html"),
    Row("field reference", "contribute/fields.html"),
    Row("about", "about.html"),
    Row("not found", "404.html"),
    Row("search results", "search.html?q=skills+training&country=ID", "[data-kb-results-done]"),
    Row("search, no result", "search.html?q=zzzqqxx", "[data-kb-results-done]"),
    Row("header search, instant results open", "index.html", action="instant:remittances"),
    Row("menu drawer open (phone)", "programs/id-desmigratif.html", action="drawer"),
    Row("propose form", "contribute/propose.html", optional=True),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO / "content", tmp_path_factory.mktemp("a11y") / "site", KB_OFFLINE_ZIP="false",
                      KB_LANGUAGES="en,id,ms,fil,vi,th")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def audit(page: Any) -> dict[str, list[dict[str, Any]]]:
    """axe-core's WCAG A/AA (and STRUCTURE_RULES) results on the page as it is now: {"violations": [...], "incomplete": [...]}."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page, options=AXE_OPTIONS).response
    return {"violations": response["violations"], "incomplete": response["incomplete"]}


def describe(violations: list[dict[str, Any]]) -> str:
    """One block per rule: id, impact, help and link, then each element's target and axe's summary."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule.get('impact')}): {rule['help']} <{rule.get('helpUrl', '')}>")
        for node in rule["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


def load(page: Any, url: str, row: Row) -> None:
    page.goto(url)
    page.wait_for_selector(row.ready, state="attached", timeout=15000)
    if row.action.startswith("instant:"):
        box = page.locator("#kb-q")
        box.click()
        box.press_sequentially(row.action.partition(":")[2], delay=10)
        page.wait_for_selector("#kb-instant [role=option]", timeout=15000)
    elif row.action == "drawer":
        page.evaluate("() => { const t = document.getElementById('__drawer'); t.checked = true; t.dispatchEvent(new Event('change')); }")
        page.wait_for_timeout(400)  # Material slides it in


def versions(site: Path, row: Row) -> list[str]:
    """The language prefixes ("" for English) under which the built site has the row's page."""
    return [lang for lang in LANGUAGES if (site / (lang + row.path).partition("?")[0]).is_file()
            and (lang in FULL_LANGUAGES or row.name in EVERY_LANGUAGE)]


def test_language_versions_and_optional_pages_join_when_built(tmp_path: Path) -> None:
    for path in ("compare/index.html", "id/compare/index.html", "th/index.html"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("<html></html>")
    assert versions(tmp_path, Row("compare by theme", "compare/index.html")) == ["", "id/"]
    assert versions(tmp_path, Row("compare", "compare/index.html")) == [""]  # not a row every language gets
    assert versions(tmp_path, Row("search", "search.html?q=x")) == []
    assert versions(tmp_path, Row("home", "index.html")) == ["th/"]


@browser_test
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("row", PAGES, ids=[row.name for row in PAGES])
def test_no_wcag_violation(browser: Any, site: Path, base_url: str, row: Row, viewport: str) -> None:
    present = versions(site, row)
    if not present and row.optional:
        pytest.skip(f"{row.path} is not in the build yet")
    assert "" in present, f"{row.path} is missing from the build; update PAGES in this test"
    failures, incomplete = [], {}
    for lang in present:
        page, errors = open_page(browser, VIEWPORTS[viewport])
        load(page, base_url + lang + row.path, row)
        results = audit(page)
        # WCAG 1.4.10 (reflow), which axe leaves out: the page itself never scrolls sideways; wide tables scroll in their box
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"]:
            failures.append(f"/{lang}{row.path} at {viewport} size: the page is {width}px wide (reflow)")
        page.close()
        if results["violations"]:
            failures.append(f"/{lang}{row.path} at {viewport} size:\n{describe(results['violations'])}")
        incomplete[f"{row.name}: /{lang}{row.path} at {viewport} size"] = [
            {"rule": r["id"], "help": r["help"], "targets": [" ".join(map(str, n["target"])) for n in r["nodes"]]}
            for r in results["incomplete"]]
        assert errors == [], errors
    _report(incomplete)
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(failures)


def _report(incomplete: dict[str, Any]) -> None:
    target = os.environ.get("KB_AXE_REPORT")
    if not target:
        return
    path = Path(target)
    known = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    known.update(incomplete)
    path.write_text(json.dumps(known, indent=1, ensure_ascii=False), "utf-8")


BAD_PAGE = """<!doctype html><html><head><title>bad</title></head><body><main>
<p style="color:#999;background:#fff">Grey on white.</p>
<p style="color:#222">Text with <a href="#x" style="color:#333;text-decoration:none">a link told apart by nothing</a> in it.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>"""


@browser_test
def test_the_audit_fails_on_a_bad_page(browser: Any) -> None:
    """The check can fail: a page with low contrast, a bare link and an image without alt has violations, described."""
    page, _ = open_page(browser, DESKTOP)
    page.set_content(BAD_PAGE)
    violations = audit(page)["violations"]
    page.close()
    assert {"color-contrast", "image-alt"} <= {rule["id"] for rule in violations}
    text = describe(violations)
    assert "color-contrast (serious): Elements must meet minimum color contrast ratio thresholds" in text
    assert "    img:" in text and "https://dequeuniversity.com/" in text


@browser_test
def test_the_audit_fails_on_a_page_without_landmarks(browser: Any) -> None:
    page, _ = open_page(browser, DESKTOP)
    page.set_content("<!doctype html><html lang='en'><head><title>t</title></head><body><p>Loose text.</p><h2>No h1</h2></body></html>")
    found = {rule["id"] for rule in audit(page)["violations"]}
    page.close()
    assert {"landmark-one-main", "page-has-heading-one", "region"} <= found


# --- keyboard and screen readers ------------------------------------------------------------------

FOCUS_STYLE = """() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {tag: e.tagName, cls: String(e.className), text: e.textContent.trim().slice(0, 40), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), opacity: s.opacity, inView: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight,
          inContent: !!e.closest(".md-content"), hash: location.hash}; }"""


@browser_test
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_skip_link_shows_on_focus_and_skips_to_the_content(browser: Any, base_url: str, viewport: str) -> None:
    page, errors = open_page(browser, VIEWPORTS[viewport])
    page.goto(base_url + "programs/id-desmigratif.html")
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)  # Material slides it in
    first = page.evaluate(FOCUS_STYLE)
    assert first["text"] == "Skip to content" and "md-skip" in first["cls"], first
    assert first["inView"] and first["opacity"] == "1" and first["style"] != "none", first
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUS_STYLE)
    assert after["hash"] and after["inContent"], after  # the next stop is in the page's content, past header and menus
    page.close()
    assert errors == []


@browser_test
def test_focus_is_visible_on_every_stop(browser: Any, base_url: str) -> None:
    """Tabbing through a page's first stops (skip link, header, search, tabs, menus, content links): each has a 2px outline."""
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url + "compare/index.html")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_STYLE))
    page.close()
    weak = [s for s in stops if s["style"] in ("none", "hidden") or s["width"] < 2]
    assert not weak, weak
    assert any(s["inContent"] for s in stops) and errors == []


@browser_test
def test_compare_matrix_has_caption_headers_and_country_names(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, PHONE)
    page.goto(base_url + "compare/index.html")
    table = page.get_by_role("table", name="Number of programmes and practices per theme (rows) and country (columns)")
    assert table.count() == 1
    # full names are what a screen reader hears for the country columns, and printed in the key for everyone
    for name in ("Philippines", "Viet Nam", "Lao PDR"):
        assert table.get_by_role("columnheader", name=name, exact=True).count() == 1, name
        assert page.locator(".kb-key").get_by_text(name).count() == 1, name
    assert table.get_by_role("rowheader", name="Access to finance").count() == 1
    # wider than a phone: the scrolling region is reachable by keyboard and named after the table
    region = page.get_by_role("region", name="Number of programmes and practices per theme (rows) and country (columns)")
    assert region.get_attribute("tabindex") == "0"
    page.close()
    assert errors == []


@browser_test
def test_foreign_language_phrases_carry_their_language(browser: Any, base_url: str) -> None:
    page, errors = open_page(browser, DESKTOP)
    page.goto(base_url + "glossary/index.html")
    langs = page.eval_on_selector_all("article [lang]", "els => els.map(e => e.getAttribute('lang'))")
    assert {"id", "ms", "fil", "vi", "th"} <= set(langs)
    thai = page.eval_on_selector_all("article [lang=th]", "els => els.map(e => e.textContent)")
    assert thai and all(any("\u0e00" <= ch <= "\u0e7f" for ch in text) for text in thai)
    page.goto(base_url + "programs/id-desmigratif.html")
    assert page.locator("article [lang=id]").count() >= 1  # the Indonesian translation
    page.close()
    assert errors == []
