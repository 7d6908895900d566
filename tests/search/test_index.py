"""The index on disk: builds, incremental updates, atomic swaps, locking, corruption."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kb.search import build as kb_build
from kb.search import queries as kb_queries
from kb.search import storage as kb_storage
from kb.search.build import ensure_index
from kb.search.freshness import read_manifest
from kb.search.searcher import Searcher, open_searcher
from kb.search.storage import IndexBusy, current_generation
from kb.search.text import parse_query


def ids_for(index_dir: Path, query: str) -> list[str]:
    with Searcher(current_generation(index_dir)) as searcher:
        positive, negative = searcher.build_query(parse_query(query))
        hits, _, _, _ = searcher.run(positive, negative, None, 20, False)
    return [h["id"] for h in hits]


def test_build_then_up_to_date(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    first = ensure_index(tree, index_dir)
    assert first["rebuilt"] and first["entries"] == 7 and first["reason"] == "no index yet"
    second = ensure_index(tree, index_dir)
    assert not second["rebuilt"] and second["updated"] == 0 and second["reason"] == "up to date"
    assert "ph-savings-club" in ids_for(index_dir, "savings")


def test_one_changed_file_is_updated_in_place(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    generation = current_generation(index_dir)
    path = tree / "programs" / "ph" / "ph-livelihood-loans.yaml"
    path.write_text(path.read_text("utf-8").replace("Starter kits", "Sewing machines"), "utf-8")
    stats = ensure_index(tree, index_dir)
    assert (stats["rebuilt"], stats["updated"]) == (False, 1)
    assert current_generation(index_dir) == generation
    assert ids_for(index_dir, "sewing") == ["ph-livelihood-loans"]


def test_added_and_removed_files(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    (tree / "practices" / "seafarer-skills.yaml").unlink()
    new = tree / "programs" / "ph" / "ph-hotline.yaml"
    new.write_text(textwrap.dedent("""\
        id: ph-hotline
        title: Hotline for distressed overseas workers
        country: PH
        summary: A telephone hotline answers workers in distress, day and night.
        sources:
          - title: Hotline page
            url: https://www.ilo.org/hotline
        """), "utf-8")
    stats = ensure_index(tree, index_dir)
    assert stats["updated"] == 2 and stats["entries"] == 7
    assert ids_for(index_dir, "hotline") == ["ph-hotline"]
    assert ids_for(index_dir, "seafarers") == []


def test_broken_file_keeps_its_last_good_document(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    (tree / "programs" / "vn" / "vn-job-support.yaml").write_text("id: [unclosed\n", "utf-8")
    stats = ensure_index(tree, index_dir)
    assert stats["skipped"] == ["programs/vn/vn-job-support.yaml"]
    assert "vn-job-support" in ids_for(index_dir, "vouchers")


def test_glossary_change_rebuilds_into_a_new_generation(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    old = current_generation(index_dir)
    with open(tree / "glossary.yaml", "a", encoding="utf-8") as handle:
        handle.write("  - id: hotline\n    definition: A telephone help line.\n    labels:\n      en: hotline\n      id: layanan pengaduan\n")
    stats = ensure_index(tree, index_dir)
    assert stats["rebuilt"] and stats["reason"] == "taxonomy or glossary changed"
    assert current_generation(index_dir) != old and not old.exists()


def test_crash_mid_build_leaves_previous_index_usable(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    old = current_generation(index_dir)

    def explode(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(kb_build, "document", explode)
    with pytest.raises(RuntimeError):
        ensure_index(tree, index_dir, force=True)
    monkeypatch.undo()
    assert current_generation(index_dir) == old
    assert "ph-savings-club" in ids_for(index_dir, "savings")
    ensure_index(tree, index_dir, force=True)  # the abandoned build folder is cleaned up
    assert [p.name for p in index_dir.iterdir() if p.is_dir()] == [current_generation(index_dir).name]


def test_corrupt_index_is_rebuilt_with_a_message(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    for toc in current_generation(index_dir).glob("*.toc"):
        toc.write_bytes(b"not a pickle")
    messages: list[str] = []
    with open_searcher(tree, index_dir, messages.append) as searcher:
        assert searcher.reader.doc_count() == 7
    assert any("unreadable" in m for m in messages)


def test_missing_pointer_or_manifest_rebuilds(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    (current_generation(index_dir) / "kb-manifest.json").write_text("{", "utf-8")
    assert ensure_index(tree, index_dir)["rebuilt"]
    (index_dir / "CURRENT").write_text("../../etc\n", "ascii")  # never followed outside the index folder
    assert current_generation(index_dir) is None
    assert ensure_index(tree, index_dir)["reason"] == "no index yet"


def test_second_writer_waits_then_reports_busy(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(index_dir / 'write.lock')!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy, match="busy"):
            ensure_index(tree, index_dir, wait=0.3)
    finally:
        holder.kill()
        holder.wait()
    assert ensure_index(tree, index_dir, wait=0.3)["rebuilt"]


def test_schema_and_analyzer_pickle(tree: Path, tmp_path: Path):
    schema = kb_storage.schema()
    restored = pickle.loads(pickle.dumps(schema))
    tokens = [t.text for t in restored["title"].analyzer("Pelatihan kewirausahaan")]
    assert tokens == ["pelatihan", "latih", "kewirausahaan", "wirausaha"]


def test_manifest_records_stats_not_contents(tree: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    manifest = read_manifest(current_generation(index_dir))
    record = manifest["files"]["programs/ph/ph-savings-club.yaml"]
    assert record["id"] == "ph-savings-club"
    assert record["stat"][0] == os.stat(tree / "programs/ph/ph-savings-club.yaml").st_size


def test_any_of_scores_exactly_like_whoosh_or_with_an_index_sized_array(tree: Path, tmp_path: Path):
    from whoosh import query as Q
    from whoosh.matching import ArrayUnionMatcher

    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    words = ["skills", "counsel", "seafar", "loan", "train"]
    subs = [Q.Term(field, word) for field in ("title", "summary", "body") for word in words]
    with Searcher(current_generation(index_dir)) as searcher:
        ours = searcher.searcher.search(kb_queries.AnyOf(subs), limit=None)
        theirs = searcher.searcher.search(Q.Or(subs), limit=None)
        assert len(ours) > 1
        assert [(h.docnum, h.score) for h in ours] == [(h.docnum, h.score) for h in theirs]
        matcher = kb_queries.AnyOf(subs).matcher(searcher.searcher, searcher.searcher.context())  # scored, as a search uses it
        assert isinstance(matcher, ArrayUnionMatcher) and matcher._partsize == searcher.searcher.doc_count_all()


def test_any_of_under_a_filter_leaves_large_indexes_to_whoosh(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from whoosh import query as Q
    from whoosh.matching import ArrayUnionMatcher

    monkeypatch.setattr(kb_queries.AnyOf, "SPARSE_MIN_DOCS", 1)  # the fixture index stands in for a large one
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    subs = [Q.Term("body", word) for word in ("skills", "counsel", "loan", "train")]
    with Searcher(current_generation(index_dir)) as searcher:
        context = searcher.searcher.context()
        dense, sparse = kb_queries.AnyOf(subs), kb_queries.AnyOf(subs)
        kb_queries.mark_sparse(Q.And([Q.Every(), sparse]))
        ours = dense.matcher(searcher.searcher, context)
        assert isinstance(ours, ArrayUnionMatcher) and ours._partsize == searcher.searcher.doc_count_all()
        handed_back, whooshs = sparse.matcher(searcher.searcher, context), Q.Or(subs).matcher(searcher.searcher, context)
        assert type(handed_back) is type(whooshs) and handed_back._partsize == whooshs._partsize != ours._partsize
        assert [(h.docnum, h.score) for h in searcher.searcher.search(sparse, limit=None)] == \
               [(h.docnum, h.score) for h in searcher.searcher.search(dense, limit=None)]
        hits, total, _, _ = searcher.run(dense, None, searcher.filter_query({"country": ["PH"]}), 10, False)
        assert dense.sparse and total == len(hits) > 0  # a filtered search marks its Ors


def test_segments_are_separate_files(tree: Path, tmp_path: Path):
    """A compound segment is copied into memory on every open (see kb.search)."""
    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    (tree / "practices" / "seafarer-skills.yaml").write_text(
        (tree / "practices" / "seafarer-skills.yaml").read_text("utf-8").replace("summary:", "summary: Changed.", 1), "utf-8")
    assert ensure_index(tree, index_dir)["updated"] == 1
    generation = current_generation(index_dir)
    assert not list(generation.glob("*.seg")) and list(generation.glob("*.pst"))


def test_searcher_reads_term_tables_whole_and_leaves_the_rest_on_disk(tree: Path, tmp_path: Path):
    from whoosh.filedb.structfile import BufferFile

    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    generation = current_generation(index_dir)
    storage = kb_storage.TermsInMemory(str(generation), readonly=True)
    terms = next(p.name for p in generation.iterdir() if p.suffix == ".trm")
    postings = next(p.name for p in generation.iterdir() if p.suffix == ".pst")
    in_memory, on_disk = storage.open_file(terms), storage.open_file(postings)
    assert isinstance(in_memory, BufferFile) and not isinstance(on_disk, BufferFile)
    assert in_memory.get(0, 16) == (generation / terms).read_bytes()[:16]
    on_disk.close()
    with Searcher(generation) as searcher:
        assert searcher.suggest(["counseling"]) == {"counseling": "counselling"}


@pytest.mark.parametrize("suffix", [".pst", "_stored.col"])
def test_file_found_damaged_mid_search_is_rebuilt_with_a_message(tree: Path, tmp_path: Path, suffix: str):
    """Postings and stored fields are read only when a query needs them, after the index opened fine."""
    from kb.search.engine import search

    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)
    for damaged in current_generation(index_dir).glob(f"*{suffix}"):
        damaged.write_bytes(damaged.read_bytes()[:200])
    messages: list[str] = []
    results = search(tree, index_dir, "training", notify=messages.append)
    assert results.total > 0 and results.hits[0].snippet
    assert any("unreadable" in m and "rebuilding" in m for m in messages)


def test_an_error_that_survives_a_rebuild_is_not_hidden(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from kb.search.engine import search

    index_dir = tmp_path / "index"
    ensure_index(tree, index_dir)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug, not a damaged index")

    monkeypatch.setattr(Searcher, "run", broken)
    messages: list[str] = []
    with pytest.raises(ZeroDivisionError):
        search(tree, index_dir, "training", notify=messages.append)
    assert sum("rebuilding" in m for m in messages) == 1  # one repair attempt, then the error as it is
