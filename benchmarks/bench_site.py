"""Time `mkdocs build --strict` of the whole multilingual site and weigh it: shipped content and generated corpora.

Usage: python benchmarks/bench_site.py [N ...]   (default: 100 1000; "shipped" is always measured)

Prints, per content tree: entries, build seconds (whole process, every language of mkdocs.yml, median
of 3), pages, site size, the search core file, the offline zip, and the mean and largest entry-page
HTML (English and /th/), so that one can see the page weight stays flat as entries are added.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, generate  # noqa: E402

SECTIONS = ("programs", "practices", "frameworks", "countries")


def build(content: Path, site: Path, runs: int = 3) -> float:
    env = {**os.environ, "KB_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=REPO, env=env,
                              capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode:
            raise SystemExit(f"build failed for {content}:\n{proc.stderr[-3000:]}")
    return statistics.median(times)


def weigh(site: Path) -> dict[str, float]:
    files = [p for p in site.rglob("*") if p.is_file()]
    zip_file = next(site.glob("downloads/*.zip"))
    entry_pages = [p for root in (site, site / "th") for s in SECTIONS for p in (root / s).glob("*.html") if p.name != "index.html"]
    sizes = sorted(p.stat().st_size for p in entry_pages)
    return {"pages": sum(p.suffix == ".html" for p in files), "site_mb": sum(p.stat().st_size for p in files if p.suffix != ".zip") / 1e6,  # each language links the one zip
            "search_kb": (site / "assets" / "kb-search" / "core.js").stat().st_size / 1e3, "zip_mb": zip_file.stat().st_size / 1e6,
            "entry_mean_kb": statistics.mean(sizes) / 1e3, "entry_max_kb": sizes[-1] / 1e3,
            "compare_kb": (site / "compare" / "index.html").stat().st_size / 1e3}


def report(name: str, content: Path, entries: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seconds = build(content, Path(tmp) / "site")
        w = weigh(Path(tmp) / "site")
    print(f"{name:>10} {entries:>7} {seconds:>8.1f} {w['pages']:>6} {w['site_mb']:>8.1f} {w['search_kb']:>10.0f} {w['zip_mb']:>7.1f}"
          f" {w['entry_mean_kb']:>10.1f} {w['entry_max_kb']:>9.1f} {w['compare_kb']:>10.0f}", flush=True)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    print(f"{'content':>10} {'entries':>7} {'build s':>8} {'pages':>6} {'site MB':>8} {'core KB':>10} {'zip MB':>7}"
          f" {'entry KB':>10} {'max KB':>9} {'compare KB':>10}")
    print(f"languages: {os.environ.get('KB_LANGUAGES', 'all of mkdocs.yml')}")
    from kb.content.load import load

    report("shipped", REPO / "content", len(load(REPO / "content", validate=False).kb))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = generate(Path(tmp) / "content", n)
            report("generated", root, len(load(root, validate=False).kb))


if __name__ == "__main__":
    main()
