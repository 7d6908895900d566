"""Searches racing a full rebuild in another process, and builds killed half-way."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.search import build as kb_build
from kb.search.build import ensure_index
from kb.search.engine import search
from kb.search.searcher import Searcher
from kb.search.storage import current_generation


def test_generation_replaced_mid_search_is_searched_again_silently(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild elsewhere deletes the generation a search is reading: no 'unreadable', no second rebuild."""
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    builds: list[int] = []
    real_build, real_run = kb_build._build, Searcher.run
    monkeypatch.setattr(kb_build, "_build", lambda *a: builds.append(1) or real_build(*a))
    calls = {"n": 0}

    def run_during_rebuild(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:  # another process's `kb index --force` lands now, deleting this generation
            ensure_index(tree, index_dir, force=True)
            raise FileNotFoundError(2, "No such file or directory", str(self.generation / "x.pst"))
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(Searcher, "run", run_during_rebuild)
    messages: list[str] = []
    results = search(tree, index_dir, "training", notify=messages.append)
    assert results.total > 0
    assert messages == [] and len(builds) == 1  # the racing rebuild only, never a repair


def test_damage_repaired_once_even_if_another_process_repaired_first(tree: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    damaged = current_generation(index_dir)
    ensure_index(tree, index_dir, force=True)  # someone else already rebuilt
    replaced = current_generation(index_dir)
    stats, generation, _ = kb_build.ensure_index_state(tree, index_dir, force=True, failed=damaged)
    assert not stats["rebuilt"] and generation == replaced


def test_searches_racing_kb_index_force_never_report_unreadable(tree: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    code = ("import sys, time\nfrom pathlib import Path\nfrom kb.search.build import ensure_index\n"
            "end = time.time() + 4\nwhile time.time() < end:\n    ensure_index(Path(sys.argv[1]), Path(sys.argv[2]), force=True)\n")
    rebuilder = subprocess.Popen([sys.executable, "-c", code, str(tree), str(index_dir)])
    messages: list[str] = []
    searches = 0
    try:
        time.sleep(0.3)
        while rebuilder.poll() is None:
            assert search(tree, index_dir, "training", notify=messages.append).total > 0
            searches += 1
    finally:
        rebuilder.kill()
        rebuilder.wait()
    assert searches > 10
    assert not [m for m in messages if "unreadable" in m], messages


def test_a_pointer_swapped_just_after_reading_it_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CURRENT read just before another process's swap names a generation deleted a moment later: not 'no index'."""
    (tmp_path / "g000002").mkdir()
    (tmp_path / "CURRENT").write_text("g000002\n", encoding="ascii")
    stale = iter(["g000001\n"])  # the first read sees the old pointer; g000001 is gone by the time it is checked
    real_read = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "CURRENT":
            for value in stale:
                return value
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    assert current_generation(tmp_path) == tmp_path / "g000002"


def test_leftover_building_folders_are_cleaned(tree: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    killed = index_dir / "g000099.building"
    killed.mkdir()
    (killed / "half-written.seg").write_bytes(b"x")
    stats = ensure_index(tree, index_dir)  # up to date: no rebuild, but the leftover goes
    assert stats["reason"] == "up to date"
    assert not killed.exists()
