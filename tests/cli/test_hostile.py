"""Odd files and hostile values through the real commands: located one-line errors, no hang, no traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "tests" / "fixtures" / "validate" / "base"


def _kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    env.pop("KB_CONTENT", None)
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=30)


def test_fifo_under_content_never_hangs_validate_or_search(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "content")
    os.mkfifo(tmp_path / "content" / "practices" / "pipe.yaml")
    result = _kb("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/practices/pipe.yaml:1:1: error: not a regular file" in result.stdout
    result = _kb("search", "savings", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_kb_show_never_prints_terminal_escapes(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "content")
    (tmp_path / "content" / "practices" / "red.yaml").write_text(
        'id: red\ntitle: "Red \\e[31m alert"\ncountries: [PH]\nsummary: "Returnees pool savings in groups \\a that lend."\n'
        'sources:\n  - {title: ILO report, url: "https://www.ilo.org/x"}\n')
    result = _kb("validate", cwd=tmp_path)
    assert result.returncode == 1 and "red.yaml:2:8: error: control character U+001B" in result.stdout
    shown = _kb("show", "red", cwd=tmp_path)
    assert "\x1b" not in shown.stdout + shown.stderr and "\x07" not in shown.stdout + shown.stderr


def test_validating_one_file_still_reports_a_broken_taxonomy_first(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "content")
    (tmp_path / "content" / "taxonomy.yaml").write_text("themes:\n  - id: a\n   label: b\n", encoding="utf-8")
    result = _kb("validate", "content/practices/test-savings-groups.yaml", cwd=tmp_path)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("content/taxonomy.yaml:3:") and "[syntax]" in first


def test_odd_file_names_and_keys_give_one_line_each(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "content")
    practices = tmp_path / "content" / "practices"
    head = ("id: {}\ntitle: Title ok\ncountries: [PH]\nsummary: A summary that is long enough to pass.\n"
            "sources:\n  - {{title: ILO report, url: 'https://www.ilo.org/x'}}\n")
    (practices / "k2.yaml").write_text(head.format("k2") + 'translations:\n  "a\\nb": {title: x, summary: y}\n', encoding="utf-8")
    (practices / "k3.yaml").write_text(head.format("k3") + '"dup\\nkey": 1\n"dup\\nkey": 2\n', encoding="utf-8")
    (practices / "k4.yaml").write_text(head.format("k4") + "x" * 3000 + ": 1\n", encoding="utf-8")
    os.mkdir(practices / "folder.yaml")
    with open(os.path.join(os.fsencode(practices), b"bad\nname.yaml"), "w", encoding="utf-8") as handle:
        handle.write(head.format("bad"))
    with open(os.path.join(os.fsencode(practices), b"\xff\xfe.yaml"), "w", encoding="utf-8") as handle:
        handle.write(head.format("latin"))
    result = _kb("validate", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert all(re.match(r"^content/\S+:\d+:\d+: (error|warning): .+ \[[a-z-]+\]$", line) and len(line) < 400 for line in lines), lines
    assert sum("file name has invisible or non-UTF-8 characters" in line for line in lines) == 2
    assert {line.split(":")[0].rsplit("/", 1)[-1] for line in lines} >= {"k2.yaml", "k3.yaml", "k4.yaml"}
    search = _kb("search", "savings", "--json", cwd=tmp_path)
    assert search.returncode == 0 and "Traceback" not in search.stderr, search.stderr
