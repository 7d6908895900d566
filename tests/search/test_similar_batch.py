"""The batch "similar elsewhere" lists rank exactly as `Searcher.similar` does, entry by entry."""

from __future__ import annotations

from pathlib import Path

from kb.content.load import load
from kb.search.searcher import open_searcher
from kb.search.similar_batch import similar_elsewhere_many

REPO = Path(__file__).resolve().parents[2]


def test_batch_lists_equal_kb_similar_for_every_shipped_programme_and_practice(tmp_path: Path):
    content = REPO / "content"
    ids = [e.id for e in load(content, validate=False).kb if e.kind in ("program", "practice")]
    with open_searcher(content, tmp_path / "index") as searcher:
        batch = similar_elsewhere_many(searcher, ids, 5)
        for entry_id in ids:
            one = [h["id"] for h in searcher.similar(entry_id, 5, elsewhere=True, types=["program", "practice"])]
            assert batch[entry_id] == one, entry_id
    assert sum(bool(v) for v in batch.values()) > len(ids) * 0.9
