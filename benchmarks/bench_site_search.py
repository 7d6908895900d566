"""The site's search in headless Chromium: bytes loaded before the first results, and query times.

Usage: python benchmarks/bench_site_search.py [N ...]      (default: 1000 10000)

For the shipped content and for synthetic corpora of N entries (benchmarks/corpus.py): builds the
search data (kb/search/site_data.py) into a folder with the site's scripts, opens it from file://
in Chromium, and for a query mix prints the bytes of data loaded before the first results (core,
lexicon, postings and the metadata of the hits shown; the page's own scripts and the theme are
not counted), and query times once loaded (median and p95). Targets: at most 1.5 MB before the
first results at 1,000 entries; a query within 50 ms once loaded.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, generate  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from kb.content.load import load  # noqa: E402
from kb.search.site_data import site_search_files  # noqa: E402

ASSETS = REPO / "kb" / "site" / "assets"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
QUERIES = ["returnee savings cooperative", "skills training for women", "village business loan", "counselling hotline",
           '"migrant worker"', "remittance", "country:PH livelihood", "reintegr*", "cooperatve~", "pelatihan kewirausahaan",
           "lao dong ve nuoc", "theme:entrepreneurship capital", "remitance", "desa migran produktif", "x" * 500]
FIRST = """async (q) => { const t0 = performance.now(); const r = await KBSEARCH.search(q);
  await KBSEARCH.meta((r.ranked || []).slice(0, 10).map(x => x[0])); return performance.now() - t0; }"""


def write_site(content: Path, folder: Path) -> int:
    kb = load(content, validate=False).kb
    for name, text in site_search_files(kb).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in ("kb-search.js",):
        (folder / "assets" / name).write_bytes((ASSETS / name).read_bytes())
    (folder / "index.html").write_text('<!doctype html><meta charset="utf-8"><script src="assets/kb-search.js"></script>', "utf-8")
    return len(kb)


def measure(browser: object, folder: Path, label: str) -> None:
    data = folder / "assets" / "kb-search"
    total = sum(p.stat().st_size for p in data.iterdir())
    first_bytes, first_ms, warm = [], [], []
    for query in QUERIES:
        page = browser.new_page()  # type: ignore[attr-defined]
        loaded: list[str] = []
        page.on("requestfinished", lambda r, loaded=loaded: loaded.append(r.url))
        page.goto((folder / "index.html").as_uri())
        first_ms.append(page.evaluate(FIRST, query))
        first_bytes.append(sum((data / Path(url).name).stat().st_size for url in loaded if "/kb-search/" in url))
        for _ in range(3):
            warm.append(page.evaluate(FIRST, query))
        page.close()
    warm.sort()
    print(f"{label}: data {total / 1e6:.2f} MB in {len(list(data.iterdir()))} files; before the first results "
          f"median {statistics.median(first_bytes) / 1e6:.2f} MB, max {max(first_bytes) / 1e6:.2f} MB "
          f"(target 1.5 MB at 1,000); first query {statistics.median(first_ms):.0f} ms median (loading included); "
          f"loaded query median {statistics.median(warm):.1f} ms, p95 {warm[round(0.95 * (len(warm) - 1))]:.1f} ms (target 50)")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="kb-bench-site-search-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        folder = Path(tmp)
        n = write_site(REPO / "content", folder / "shipped")
        measure(browser, folder / "shipped", f"shipped content ({n} entries)")
        for size in sizes:
            content = generate(folder / f"content-{size}", size)
            n = write_site(content, folder / f"site-{size}")
            measure(browser, folder / f"site-{size}", f"{size} entries ({n} with frameworks and countries)")
        browser.close()


if __name__ == "__main__":
    main()
