"""Ranking metrics and the queries-file reader."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kb.search.evaluate import EvalError, ndcg, read_queries, recall, reciprocal_rank, scores


def test_ndcg_perfect_and_swapped():
    grades = {"a": 3, "b": 1}
    assert ndcg(["a", "b"], grades) == 1.0
    swapped = (1 / math.log2(2) + 7 / math.log2(3)) / (7 / math.log2(2) + 1 / math.log2(3))
    assert ndcg(["b", "a"], grades) == pytest.approx(swapped)
    assert ndcg(["x", "y"], grades) == 0.0


def test_mrr_and_recall_at_10():
    grades = {"a": 2, "b": 1, "c": 1}
    assert reciprocal_rank(["x", "b", "a"], grades) == 0.5
    assert reciprocal_rank(["x"] * 10 + ["a"], grades) == 0.0  # beyond the cut-off
    assert recall(["a", "x", "c"], grades) == pytest.approx(2 / 3)
    assert scores([["a"], ["x"]], [{"relevant": {"a": 1}}, {"relevant": {"a": 1}}]) == {"ndcg@10": 0.5, "mrr": 0.5, "recall@10": 0.5}


def test_read_queries_validates(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text("queries:\n  - query: x\n    filters: {country: ph}\n    tags: [filtered]\n    relevant: {a: 2}\n", "utf-8")
    assert read_queries(good) == [{"query": "x", "filters": {"country": ["ph"]}, "relevant": {"a": 2}, "tags": ["filtered"]}]
    for text, message in [("queries: []\n", "expected a list"), ("queries:\n  - query: x\n", "needs `query`"),
                          ("queries:\n  - query: x\n    relevant: {a: yes}\n", "grades"), ("queries: [\n", r"bad\.yaml:\d+:\d+")]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, "utf-8")
        with pytest.raises(EvalError, match=message):
            read_queries(bad)
    with pytest.raises(EvalError, match="no such file"):
        read_queries(tmp_path / "missing.yaml")
