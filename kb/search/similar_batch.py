"""`kb similar`'s query for every entry at once: the site's "similar elsewhere" lists.

`Searcher.similar` asks Whoosh for each entry; Whoosh then scores every posting of the entry's
key terms again, about 150 ms an entry on 300 generated entries and quadratic in the content.
Here each (field, term) posting list is scored once, with Whoosh's own scorer, and kept as
(document, score) pairs; each entry's query is then a sum of those scores, weighted exactly as
`Searcher.similar` weights its Term queries, plus the same constant for a shared theme. The
ranking is the same: score, then document number.
"""

from __future__ import annotations

from typing import Any

from kb.search.vocab import FIELD_WEIGHTS

THEME_SCORE = 2.0  # Searcher.similar's ConstantScoreQuery for each of the entry's themes


def similar_elsewhere_many(searcher: Any, entry_ids: list[str], limit: int = 5,
                           types: tuple[str, ...] = ("program", "practice")) -> dict[str, list[str]]:
    """{entry id: ids of the programmes and practices most like it that name none of its countries}."""
    whoosh = searcher.searcher
    count = whoosh.doc_count_all()
    reader = whoosh.reader()
    stored = [whoosh.stored_fields(n) if not reader.is_deleted(n) else None for n in range(count)]
    allowed = [s is not None and s.get("type") in types for s in stored]
    countries = [set(filter(None, str(s.get("country", "")).split(","))) if s else set() for s in stored]
    themes: dict[str, list[int]] = {}
    for docnum, fields in enumerate(stored):
        for theme in filter(None, str((fields or {}).get("theme", "")).split(",")):
            themes.setdefault(theme, []).append(docnum)
    postings: dict[tuple[str, str], list[tuple[int, float]]] = {}

    def scored(field: str, term: str) -> list[tuple[int, float]]:
        key = (field, term)
        if key not in postings:
            found: list[tuple[int, float]] = []
            if (field, term) in reader:
                matcher = whoosh.postings(field, term, weighting=whoosh.weighting)
                while matcher.is_active():
                    found.append((matcher.id(), matcher.score()))
                    matcher.next()
            postings[key] = found
        return postings[key]

    result: dict[str, list[str]] = {}
    for entry_id in entry_ids:
        docnum = whoosh.document_number(id=entry_id)
        if docnum is None:
            result[entry_id] = []
            continue
        fields = stored[docnum]
        text = "\n".join(str(fields.get(f, "")) for f in ("title", "names", "summary", "body"))
        totals = [0.0] * count
        hit = [False] * count
        for term, weight in whoosh.key_terms_from_text("body", text, numterms=20):
            for name, field_weight in FIELD_WEIGHTS.items():
                boost = weight * field_weight
                for other, score in scored(name, term):
                    totals[other] += score * boost
                    hit[other] = True
        for theme in filter(None, str(fields.get("theme", "")).split(",")):
            for other in themes.get(theme, ()):
                totals[other] += THEME_SCORE
                hit[other] = True
        own = countries[docnum]
        ranked = sorted((n for n in range(count) if hit[n] and allowed[n] and n != docnum and not (countries[n] & own)),
                        key=lambda n: (-totals[n], n))
        result[entry_id] = [stored[n]["id"] for n in ranked[:limit]]
    return result
