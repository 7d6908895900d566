"""Time `kb validate` on broken and hostile files, one at a time in the shipped content (target: under 10 s each,
every problem a located one-line message, no traceback).

Usage: python benchmarks/bench_hostile.py   (prints seconds, problem lines and the first line per case)
"""

from __future__ import annotations

import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAD = ("id: {id}\ntitle: Title ok\ncountries: [PH]\nsummary: A summary that is long enough to pass.\n"
        "sources:\n  - {{title: ILO report, url: 'https://www.ilo.org/x'}}\n")
LINE = re.compile(r"^\S.*:\d+:\d+: (error|warning): .+ \[[a-z-]+\]$")


def word() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=12))


CASES = {
    "15000 unknown themes": lambda: HEAD.format(id="case") + "themes:\n" + "".join(f"  - {word()}\n" for _ in range(15000)),
    "15000 unknown frameworks": lambda: HEAD.format(id="case") + "frameworks:\n" + "".join(f"  - {word()}\n" for _ in range(15000)),
    "100000 open brackets": lambda: HEAD.format(id="case") + "description: " + "[" * 100000 + "\n",
    "20000 bidi caveats": lambda: HEAD.format(id="case") + "caveats: [" + ", ".join('"\\u202e x"' for _ in range(20000)) + "]\n",
    "200000-character status": lambda: HEAD.format(id="case") + "status: " + "x" * 200000 + "\n",
    "escaped controls": lambda: HEAD.format(id="case").replace("Title ok", '"\\e[31m\\a\\x85\\0"'),
    "indentation slip": lambda: HEAD.format(id="case") + "themes:\n  - gender\n - health\n",
}


def main() -> None:
    random.seed(1)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(REPO / "content", content)
        for name, make in CASES.items():
            target = content / "practices" / "case.yaml"
            target.write_text(make(), encoding="utf-8")
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "kb", "validate", "--content", str(content)], capture_output=True, text=True)
            seconds = time.perf_counter() - start
            lines = proc.stdout.splitlines()
            bad = [line for line in lines if not LINE.match(line)] + (["Traceback"] if "Traceback" in proc.stderr else [])
            first = lines[0][:110] if lines else "(none)"
            print(f"{name:<28} {seconds:6.2f}s  {len(lines):>6} line(s)  {'ok' if not bad else 'BAD ' + bad[0][:60]}  {first}")
            target.unlink()


if __name__ == "__main__":
    main()
