"""Search and similar-entries as library functions: parse, resolve filters, query the index, suggest.

No Whoosh here (kb.search owns it); the CLI in kb.cli.search is a thin layer over these.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.content.publishing import site_url as published_url
from kb.search.results import Hit, Results, site_url
from kb.search.searcher import with_searcher
from kb.search.storage import UnknownEntry
from kb.search.text import ParsedQuery, clean, parse_query, query_without
from kb.search.vocab import FilterError

SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer results than this


def search(content: Path, index_dir: Path, query: str, filters: dict[str, list[str]] | None = None, *, limit: int = 10,
           facets: bool = False, notify: Callable[[str], None] | None = None) -> Results:
    """Run one query (with optional option filters) against an up-to-date index.

    Raises FilterError for a filter value the taxonomy does not know, IndexFailure/IndexBusy
    when the index cannot be used.
    """
    parsed = parse_query(query)
    for name, values in (filters or {}).items():
        parsed.filters.setdefault(name, []).extend(values)
    base = published_url(content)
    return with_searcher(content, index_dir, lambda searcher: _search(searcher, query, parsed, limit, facets, base), notify)


def _search(searcher: Any, query: str, parsed: ParsedQuery, limit: int, facets: bool, base: str = "") -> Results:
    results = Results(query=clean(query)[:400], notes=list(parsed.notes))
    resolved = {name: sorted({searcher.vocab.resolve(name, v) for v in values}) for name, values in parsed.filters.items()}
    if not parsed.positive and not parsed.match_all and not resolved:
        results.notes.append("nothing to search for: give some words, a quoted phrase, * or a filter")
        return results
    _run(searcher, parsed, resolved, limit, facets, results, base)
    words = parsed.plain_words()
    replacements = searcher.suggest(words) if words else {}
    if replacements:
        results.suggestion = query_without(parsed, replacements)
        # Show the corrected query's results when the query found little, or when at least half
        # of its words are unknown to the index (then its hits rest on the few words left).
        if results.total < SUGGEST_BELOW or 2 * len(replacements) >= len(words):
            original = (results.hits, results.total, results.facets)
            _run(searcher, parse_query(results.suggestion), resolved, limit, facets, results, base)
            results.corrected = results.total > 0
            if not results.corrected:
                results.hits, results.total, results.facets = original
    return results


def _run(searcher: Any, parsed: ParsedQuery, filters: dict[str, list[str]], limit: int, facets: bool, results: Results,
         base: str = "") -> None:
    positive, negative = searcher.build_query(parsed)
    if positive is None and not parsed.match_all and not filters:
        results.hits, results.total = [], 0
        return
    hits, total, counts, timed_out = searcher.run(positive, negative, searcher.filter_query(filters), limit, facets)
    if timed_out:
        results.notes.append("search stopped after its time limit; results may be incomplete")
    results.hits, results.total, results.facets = [_hit(h, base) for h in hits], total, counts


def _hit(stored: dict[str, Any], base: str = "") -> Hit:
    sources = stored.get("sources") if isinstance(stored.get("sources"), list) else []
    return Hit(id=stored["id"], type=stored.get("type", ""), title=clean(str(stored.get("title", ""))), score=round(float(stored["score"]), 4),
               url=site_url(str(stored.get("url", "")), base), snippet=clean(stored.get("snippet", "")),
               countries=[c for c in str(stored.get("country", "")).split(",") if c],
               themes=[t for t in str(stored.get("theme", "")).split(",") if t], path=str(stored.get("path", "")),
               translations=_translations(stored.get("translations")),
               sources=[{k: clean(str(v)) for k, v in s.items()} for s in sources if isinstance(s, dict)])


def _translations(value: Any) -> dict[str, dict[str, str]]:
    import json

    try:
        data = json.loads(value) if isinstance(value, str) else {}
    except ValueError:
        return {}
    return {str(code): {k: clean(str(v)) for k, v in t.items()} for code, t in data.items() if isinstance(t, dict)}


def similar(content: Path, index_dir: Path, entry_id: str, *, limit: int = 10, countries: list[str] | None = None,
            notify: Callable[[str], None] | None = None) -> Results:
    """The entries most like one entry, optionally only those about the given countries (`kb similar ID --country XX`).

    Raises UnknownEntry (a LookupError) for an unknown id, FilterError for a country the taxonomy does not know.
    """
    base = published_url(content)

    codes: list[str] = []

    def work(searcher: Any) -> list[dict[str, Any]]:
        codes[:] = sorted({searcher.vocab.resolve("country", c) for c in countries or []})
        return searcher.similar(entry_id, limit, countries=codes)

    hits = with_searcher(content, index_dir, work, notify)
    query = f"similar:{entry_id}" + "".join(f" country:{c}" for c in codes)
    return Results(query=query, hits=[_hit(h, base) for h in hits], total=len(hits))


def similar_elsewhere(searcher: Any, entry_id: str, limit: int = 5) -> list[Hit]:
    """Programmes and practices most like one entry that name none of its countries (its page's "similar elsewhere").

    The same query as `kb similar`, on an open searcher, so a site build runs it for every entry on one index.
    """
    return [_hit(h) for h in searcher.similar(entry_id, limit, elsewhere=True, types=["program", "practice"])]


__all__ = ["FilterError", "Results", "UnknownEntry", "search", "similar"]
