"""Whoosh query classes the searcher builds its queries from."""

from __future__ import annotations

from typing import Any

from whoosh import query as Q
from whoosh.matching import ArrayUnionMatcher

from kb.search.vocab import FIELD_WEIGHTS

MAX_EXPANSIONS = 40  # index terms one wildcard or fuzzy word may expand to
SEARCH_SECONDS = 2.0
TEXT_FIELDS = tuple(FIELD_WEIGHTS)


class AnyOf(Q.Or):
    """Whoosh's Or, matched by adding its scores into an array as long as the index (or 8,192 slots).

    On an index under 5,000 documents Whoosh does this itself, but with an array of 2,048 slots
    that it fills and clears slot by slot in Python, twice per Or: on the shipped content (117
    documents) a quarter of the time Whoosh spends matching a query. On larger indexes it walks
    a tree of union matchers document by document, which is slower when most documents match
    (a third faster with arrays on 10,000 generated entries) and faster when a filter leaves few
    to visit: there, `sparse` hands the choice back to Whoosh. The scores are the same sums.
    """

    PRELOAD_LIMIT = 8192
    SPARSE_MIN_DOCS = 2048  # below this, arrays win even when a filter leaves few documents
    sparse = False  # set on the Ors of a filtered query (see Searcher.run)

    def _matcher(self, subs: list[Q.Query], searcher: Any, context: Any) -> Any:
        doccount = searcher.doc_count_all()
        needs_current = context.needs_current if context else True
        if (not 2 < len(subs) < self.TOO_MANY_CLAUSES or not doccount or needs_current or self.scale
                or (self.sparse and doccount >= self.SPARSE_MIN_DOCS)):
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True
        return ArrayUnionMatcher([sub.matcher(searcher, context) for sub in subs], doccount, boost=self.boost,
                                 scored=scored, partsize=min(doccount, self.PRELOAD_LIMIT))


def mark_sparse(query: Q.Query) -> None:
    if isinstance(query, AnyOf):
        query.sparse = True
    for child in query.children():
        mark_sparse(child)


