"""Search benchmarks: full build, one-entry incremental update, query latency, and `kb search` as a process.

Usage: python benchmarks/bench_search.py [N ...]      (default: 1000 10000)

For each synthetic corpus of N entries (benchmarks/corpus.py): full index build, incremental
update after one entry changed, in-process query latency (median and p95 over a query mix).
Then, on the shipped content: `kb search` as a fresh process against the floor
`python -c "import whoosh.index, whoosh.qparser"`, both measured here, medians of 15 runs.
Targets: incremental update < 0.5 s at 1,000 entries; `kb search` within 1.25x the floor.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, generate  # noqa: E402

from kb.search.build import ensure_index  # noqa: E402
from kb.search.engine import search  # noqa: E402

QUERIES = ["returnee savings cooperative", "skills training for women", "village business loan", "counselling hotline",
           '"migrant worker"', "remittance", "country:PH livelihood", "reintegr*", "cooperatve~", "pelatihan kewirausahaan",
           "lao dong ve nuoc", "theme:entrepreneurship capital", "*", "(((", "x" * 5000]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_corpus(n: int, folder: Path) -> None:
    content = generate(folder / f"content-{n}", n)
    index_dir = folder / f"index-{n}"
    start = time.perf_counter()
    stats = ensure_index(content, index_dir)
    build = time.perf_counter() - start
    updates = []
    victim = next((content / "programs").rglob("*.yaml"))
    for i in range(5):
        victim.write_text(victim.read_text("utf-8").replace("summary:", f"summary: Changed{i}", 1), "utf-8")
        start = time.perf_counter()
        result = ensure_index(content, index_dir)
        updates.append(time.perf_counter() - start)
        assert result["updated"] == 1 and not result["rebuilt"], result
    latencies = []
    for _ in range(3):
        for query in QUERIES:
            start = time.perf_counter()
            search(content, index_dir, query)
            latencies.append(time.perf_counter() - start)
    print(f"{n:>6} entries: full build {build:6.2f} s ({stats['entries']} indexed); one-entry update median "
          f"{statistics.median(updates):.3f} s (max {max(updates):.3f}); query latency median "
          f"{statistics.median(latencies) * 1000:.1f} ms, p95 {p95(latencies) * 1000:.1f} ms")


def process_times(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True, cwd=REPO)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_process(folder: Path, runs: int = 15) -> None:
    content, index_dir = REPO / "content", folder / "index-shipped"
    stats = ensure_index(content, index_dir)
    search_args = [sys.executable, "-m", "kb", "search", "financial literacy for domestic workers",
                   "--content", str(content), "--index", str(index_dir)]
    floor_args = [sys.executable, "-c", "import whoosh.index, whoosh.qparser"]
    # An installed package has bytecode; write it here too, even when PYTHONDONTWRITEBYTECODE is set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "kb")], check=True)
    process_times(search_args, 2)  # warm the OS cache
    floor = process_times(floor_args, runs)
    whole = process_times(search_args, runs)
    floor_again = process_times(floor_args, runs)
    floor = min(floor, floor_again)
    print(f"shipped content ({stats['entries']} entries): `kb search` process {whole * 1000:.0f} ms, floor "
          f"`import whoosh.index, whoosh.qparser` {floor * 1000:.0f} ms, ratio {whole / floor:.2f} (target 1.25)")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        folder = Path(tmp)
        bench_process(folder)
        for n in sizes:
            bench_corpus(n, folder)


if __name__ == "__main__":
    main()
