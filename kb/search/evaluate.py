"""`kb eval`: ranking quality on judged queries (nDCG@10, MRR, recall@10), optionally next to a plain baseline."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

K = 10


class EvalError(ValueError):
    """The queries file is unusable; the message is one line."""


def ndcg(ranking: list[str], grades: dict[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain with graded gains 2^g - 1."""
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranking[:k]))
    ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(grades.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int], k: int = K) -> float:
    return next((1.0 / (i + 1) for i, doc in enumerate(ranking[:k]) if grades.get(doc, 0) > 0), 0.0)


def recall(ranking: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {d for d, g in grades.items() if g > 0}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def scores(rankings: list[list[str]], judged: list[dict[str, Any]]) -> dict[str, float]:
    """Mean nDCG@10, MRR and recall@10 over queries."""
    n = len(judged) or 1
    return {"ndcg@10": round(sum(ndcg(r, q["relevant"]) for r, q in zip(rankings, judged, strict=True)) / n, 4),
            "mrr": round(sum(reciprocal_rank(r, q["relevant"]) for r, q in zip(rankings, judged, strict=True)) / n, 4),
            "recall@10": round(sum(recall(r, q["relevant"]) for r, q in zip(rankings, judged, strict=True)) / n, 4)}


def read_queries(path: Path) -> list[dict[str, Any]]:
    """Judged queries from YAML: [{query, filters?, tags?, relevant: {id: grade}}]. Raises EvalError."""
    from kb.content.yaml_strict import parse_file

    if not path.is_file():
        raise EvalError(f"{path}: no such file")
    parsed = parse_file(path, str(path))
    errors = [p for p in parsed.problems if p.is_error]
    if errors:
        raise EvalError(f"{errors[0].path}:{errors[0].line}:{errors[0].column}: {errors[0].message}")
    data = parsed.data
    items = data.get("queries") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise EvalError(f"{path}: expected a list `queries` of {{query, relevant}} mappings")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("query"), str) or not isinstance(item.get("relevant"), dict):
            raise EvalError(f"{path}: query {n} needs `query` (text) and `relevant` (id: grade)")
        grades = item["relevant"]
        if not grades or not all(isinstance(g, int) and not isinstance(g, bool) and 0 <= g <= 3 for g in grades.values()):
            raise EvalError(f"{path}: query {n} ({item['query']!r}): grades must be whole numbers 0-3")
        filters = item.get("filters") or {}
        if not isinstance(filters, dict):
            raise EvalError(f"{path}: query {n}: `filters` must map a field to a value or list")
        filters = {str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in filters.items()}
        out.append({"query": item["query"], "filters": filters, "relevant": {str(k): v for k, v in grades.items()},
                    "tags": [str(t) for t in item.get("tags") or []]})
    return out


def evaluate(content: Path, index_dir: Path, queries_file: Path, *, baseline: bool = False,
             notify: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Figures for the search (and a plain Whoosh baseline) over the judged queries."""
    from kb.search.engine import search

    judged = read_queries(queries_file)
    rankings = []
    for q in judged:
        results = search(content, index_dir, q["query"], q["filters"], limit=K, notify=notify)
        rankings.append([h.id for h in results.hits])
    report: dict[str, Any] = {"queries": len(judged), "search": scores(rankings, judged)}
    tags = sorted({t for q in judged for t in q["tags"]})
    report["by_tag"] = {t: {"queries": sum(t in q["tags"] for q in judged),
                            **scores([r for r, q in zip(rankings, judged, strict=True) if t in q["tags"]], [q for q in judged if t in q["tags"]])}
                        for t in tags}
    if baseline:
        from kb.search.baseline import baseline_rankings

        base = baseline_rankings(content, [(q["query"], _resolved(q["filters"])) for q in judged])
        report["baseline"] = scores(base, judged)
        report["baseline_by_tag"] = {t: scores([r for r, q in zip(base, judged, strict=True) if t in q["tags"]],
                                               [q for q in judged if t in q["tags"]]) for t in tags}
    report["per_query"] = [{"query": q["query"], "ndcg@10": round(ndcg(r, q["relevant"]), 3), "rr": round(reciprocal_rank(r, q["relevant"]), 3),
                            "recall@10": round(recall(r, q["relevant"]), 3), "top": r[:3]} for r, q in zip(rankings, judged, strict=True)]
    return report


def _resolved(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Filter values as indexed (country codes upper case, taxonomy ids), for the baseline."""
    return {("target_group" if k in ("target", "target-group") else k): [v.upper() if k == "country" else v for v in vs] for k, vs in filters.items()}


def format_report(report: dict[str, Any], verbose: bool = False) -> str:
    lines = [f"{report['queries']} judged queries      nDCG@10   MRR      recall@10"]

    def row(name: str, s: dict[str, float]) -> str:
        return f"  {name:<24} {s['ndcg@10']:.3f}     {s['mrr']:.3f}    {s['recall@10']:.3f}"

    lines.append(row("kb search", report["search"]))
    if "baseline" in report:
        lines.append(row("plain Whoosh baseline", report["baseline"]))
    for tag, s in report["by_tag"].items():
        lines.append(row(f"{tag} ({s['queries']})", s) + (f"   baseline {report['baseline_by_tag'][tag]['ndcg@10']:.3f}" if "baseline_by_tag" in report else ""))
    if verbose:
        for q in report["per_query"]:
            lines.append(f"  {q['ndcg@10']:.2f} {q['rr']:.2f} {q['recall@10']:.2f}  {q['query']}  -> {', '.join(q['top'])}")
    return "\n".join(lines)
