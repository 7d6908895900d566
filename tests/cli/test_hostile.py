"""Odd files and hostile values through the real commands: located one-line errors, no hang, no traceback."""

from __future__ import annotations

import os
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
