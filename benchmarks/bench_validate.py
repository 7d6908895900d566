"""Time `kb validate` as a whole process: on 1,000 generated entries and on the shipped content.

Usage: python benchmarks/bench_validate.py [N]   (prints median of 5 runs in seconds)
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


def time_validate(content: Path, runs: int = 5) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "kb", "validate", "--content", str(content)], capture_output=True)
        times.append(time.perf_counter() - start)
        code = proc.returncode
    return statistics.median(times), code


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "content", n)
        seconds, code = time_validate(root)
        print(f"kb validate, {n} generated entries: {seconds:.2f} s (exit {code})")
        bad = root / "practices" / "bad.yaml"
        bad.write_text("id: bad\nthemes: [gendr]\n" + "x: " + "[" * 1000 + "]" * 1000 + "\n")
        seconds, code = time_validate(root)
        print(f"kb validate, {n} entries + 1 hostile file: {seconds:.2f} s (exit {code})")
    seconds, code = time_validate(REPO / "content")
    count = sum(1 for _ in (REPO / "content").rglob("*.yaml"))
    print(f"kb validate, shipped content ({count} files): {seconds:.2f} s (exit {code})")


if __name__ == "__main__":
    main()
