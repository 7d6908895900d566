"""Time the "similar elsewhere" lists a site build computes (one `kb similar` query per programme and practice).

Usage: python benchmarks/bench_similar.py [N ...]   (default: 300 1000; "shipped" is always measured)

Prints, per content tree: programmes and practices, the seconds to build a fresh index, the seconds for
all the lists, the milliseconds per entry, and the seconds of a second build that reuses the cached lists.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, generate  # noqa: E402

from kb.content.load import load  # noqa: E402
from kb.search.build import ensure_index  # noqa: E402
from kb.site.similar import similar_elsewhere_ids  # noqa: E402


def report(name: str, content: Path) -> None:
    ids = [e.id for e in load(content, validate=False).kb if e.kind in ("program", "practice")]
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        start = time.perf_counter()
        ensure_index(content, index)
        indexed = time.perf_counter() - start
        start = time.perf_counter()
        similar_elsewhere_ids(content, index, ids)
        lists = time.perf_counter() - start
        start = time.perf_counter()
        similar_elsewhere_ids(content, index, ids)
        cached = time.perf_counter() - start
    print(f"{name:>10} {len(ids):>8} {indexed:>9.1f} {lists:>8.1f} {1000 * lists / max(1, len(ids)):>9.0f} {cached:>9.2f}", flush=True)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [300, 1000]
    print(f"{'content':>10} {'entries':>8} {'index s':>9} {'lists s':>8} {'ms/entry':>9} {'cached s':>9}")
    report("shipped", REPO / "content")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            report(str(n), generate(Path(tmp) / "content", n))


if __name__ == "__main__":
    main()
