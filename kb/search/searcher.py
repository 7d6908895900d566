"""Searching an index generation: queries from parsed text, filters, suggestions, similar entries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as Q

from kb.search.build import ensure_index_state
from kb.search.freshness import read_manifest
from kb.search.queries import MAX_EXPANSIONS, SEARCH_SECONDS, TEXT_FIELDS, AnyOf, mark_sparse
from kb.search.snippets import query_terms
from kb.search.snippets import snippet as best_passages
from kb.search.storage import (
    ANALYZER,
    IndexFailure,
    TermsInMemory,
    UnknownEntry,
    current_generation,
)
from kb.search.text import STOPWORDS, is_unspaced, word_stems
from kb.search.vocab import CONCEPT_WEIGHT, FIELD_WEIGHTS, FilterError, Glossary, Vocab

T = TypeVar("T")


class Searcher:
    """An open index generation with its vocabulary; use as a context manager."""

    def __init__(self, generation: Path, manifest: dict[str, Any] | None = None):
        manifest = manifest or read_manifest(generation)
        if manifest is None:
            raise IndexFailure(f"the index {generation} has no readable manifest")
        self.manifest = manifest
        self.generation = generation
        self.vocab = Vocab.from_json(manifest.get("vocab", {}))
        self.glossary = Glossary.from_json(manifest.get("glossary", {}))
        self.index = TermsInMemory(str(generation), readonly=True).open_index()
        self.searcher = self.index.searcher()
        self.reader = self.searcher.reader()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.searcher.close()
        self.index.close()

    # query building
    def _positions(self, text: str) -> list[list[str]]:
        slots: dict[int, list[str]] = {}
        for token in ANALYZER(text, mode="query"):
            slots.setdefault(token.pos, []).append(token.text)
        return [slots[p] for p in sorted(slots)]

    def _text_query(self, text: str, boost: float = 1.0) -> Q.Query | None:
        """A word or phrase over every text field, weighted per field."""
        positions = self._positions(text)
        if not positions:
            return None
        subs: list[Q.Query] = []
        for name, weight in FIELD_WEIGHTS.items():
            # Terms absent from a field are left out: glossary expansion adds dozens of labels in
            # languages the content does not use, and each would cost a (slow) phrase matcher.
            if len(positions) == 1:
                subs += [Q.Term(name, form, boost=weight * boost) for form in positions[0] if (name, form) in self.reader]
            elif all((name, forms[0]) in self.reader for forms in positions):
                subs.append(Q.Phrase(name, [forms[0] for forms in positions], boost=weight * boost))
        return AnyOf(subs) if subs else None

    def _expanded(self, clause: Any) -> Q.Query | None:
        """Prefix and fuzzy words, expanded to at most MAX_EXPANSIONS index terms per field."""
        subs: list[Q.Query] = []
        fuzzy: list[str] = []
        if clause.kind == "fuzzy":  # edit distance on whole words (the spell field), then their stems
            within = self.reader.terms_within("spell", clause.text, clause.maxdist, prefix=1)
            fuzzy = sorted(within, key=lambda t: -self.reader.doc_frequency("spell", t))[:MAX_EXPANSIONS]
        for name, weight in FIELD_WEIGHTS.items():
            found = self.reader.expand_prefix(name, clause.text) if clause.kind == "prefix" else fuzzy
            for n, term in enumerate(found):
                if n >= MAX_EXPANSIONS:
                    break
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                subs += [Q.Term(name, form, boost=weight * 0.8) for form in (word_stems(term) if clause.kind == "fuzzy" else [term])]
        return AnyOf(subs) if subs else None

    def _concept_query(self, concept_ids: set[str] | list[str], original: Q.Query | None) -> Q.Query:
        """The words as typed, or any label of their glossary concepts (by id), or the taxonomy term a concept names."""
        subs = [original] if original is not None else []
        subs += [Q.Term("concepts", cid, boost=CONCEPT_WEIGHT) for cid in sorted(set(concept_ids)) if ("concepts", cid) in self.reader]
        for term in self.glossary.themes(set(concept_ids)):
            vocabulary = self.vocab.vocabulary_of(term)
            if vocabulary:
                field = "target_group" if vocabulary == "target_groups" else vocabulary.rstrip("s")
                subs.append(Q.ConstantScoreQuery(Q.Term(field, term), score=1.0))
        return AnyOf(subs)

    def build_query(self, parsed: Any) -> tuple[Q.Query | None, Q.Query | None]:
        """(positive query, negative query) for a parsed query; glossary labels expand across languages."""
        groups: list[Q.Query] = []
        plain = [c for c in parsed.positive if c.kind == "word" and c.text not in STOPWORDS]
        spaced = [i for i, c in enumerate(plain) if not is_unspaced(c.text)]
        spans = self.glossary.find([word_stems(plain[i].text)[0] for i in spaced])
        covered = set()
        for start, end, ids in spans:
            members = [plain[i] for i in spaced[start:end]]
            covered.update(id(c) for c in members)
            # The words one by one; the label as a phrase is already the concept term (labels are
            # found as phrases when documents are indexed), so no costly phrase matcher is needed.
            singles = [q for q in (self._text_query(c.text, boost=0.7 if len(members) == 1 else 0.4) for c in members) if q is not None]
            groups.append(self._concept_query(ids, AnyOf(singles) if singles else None))
        for clause in plain:
            if id(clause) in covered:
                continue
            query = self._text_query(clause.text)
            ids = self.glossary.find_unspaced(clause.text) if is_unspaced(clause.text) else []
            if ids:
                query = self._concept_query(ids, query)
            if query is not None:
                groups.append(query)
        for clause in parsed.positive:
            if clause.kind == "phrase":
                found = self.glossary.find([word_stems(w)[0] for w in clause.words if w not in STOPWORDS])
                query = self._text_query(clause.text, boost=1.5)
                if len(found) == 1 and found[0][1] - found[0][0] == len([w for w in clause.words if w not in STOPWORDS]):
                    query = self._concept_query(found[0][2], query)
            elif clause.kind in ("prefix", "fuzzy"):
                query = self._expanded(clause)
            else:
                continue
            if query is not None:
                groups.append(query)
        negative = [q for q in (self._text_query(c.text) for c in parsed.clauses if c.negated) if q is not None]
        positive = AnyOf(groups) if len(groups) > 1 else (groups[0] if groups else None)
        return positive, (AnyOf(negative) if negative else None)

    def filter_query(self, filters: dict[str, list[str]]) -> Q.Query | None:
        """AND across fields, OR within one field; values must already be resolved (Vocab.resolve)."""
        parts = [AnyOf([Q.Term(name, v) for v in values]) for name, values in filters.items() if values]
        return Q.And(parts) if parts else None

    # running
    def run(self, positive: Q.Query | None, negative: Q.Query | None, filters: Q.Query | None, limit: int,
            facets: bool) -> tuple[list[Any], int, dict[str, dict[str, int]], bool]:
        """Hits (as dicts with score and snippet), total, facet counts, and whether time ran out."""
        from whoosh import sorting
        from whoosh.collectors import TimeLimit, TimeLimitCollector

        query = positive if positive is not None else Q.Every()
        if negative is not None:
            query = Q.AndNot(query, negative)
        if filters is not None:
            mark_sparse(query)
            # In the query, not as the collector's filter: TimeLimitCollector bypasses FilterCollector.
            query = Q.And([query, Q.ConstantScoreQuery(filters, score=0.0)])
        groupedby = {"country": sorting.FieldFacet("country", allow_overlap=True), "type": sorting.FieldFacet("type"),
                     "theme": sorting.FieldFacet("theme", allow_overlap=True)} if facets else None
        # optimize=False: count every match in the same pass (block skipping would need a second one)
        # limit=None: Whoosh's TopCollector (used with a limit) misses top documents of these nested Or
        # queries (a block-skipping bug: 'livelihood support for women returnees' lost its best hit), so
        # every match is scored and sorted, and the top `limit` kept. No terms=True: recording matched
        # terms per document costs more than highlighting all query terms.
        collector = self.searcher.collector(limit=None, groupedby=groupedby)
        timed = TimeLimitCollector(collector, timelimit=SEARCH_SECONDS)
        timed_out = False
        try:
            self.searcher.search_with_collector(query, timed)
        except TimeLimit:
            timed_out = True
        results = timed.results()
        counts: dict[str, dict[str, int]] = {}
        if facets and not timed_out:
            for name in groupedby or {}:
                groups = results.groups(name)
                counts[name] = dict(sorted(((str(k), len(v)) for k, v in groups.items() if k), key=lambda kv: (-kv[1], kv[0])))
        terms = query_terms(positive.iter_all_terms(), TEXT_FIELDS) if positive is not None else frozenset()
        hits = [self._hit(results[i], terms) for i in range(min(limit, results.scored_length()))]
        return hits, len(results), counts, timed_out

    def _hit(self, hit: Any, terms: frozenset[str]) -> dict[str, Any]:
        stored = hit.fields()
        snippet = ""
        for name in ("summary", "body", "names", "title") if terms else ():
            if stored.get(name):  # the first 4,000 characters are enough for a snippet
                snippet = best_passages(str(stored[name])[:4000], terms)
                if snippet:
                    break
        if not snippet:
            summary = " ".join(str(stored.get("summary", "")).split())
            snippet = summary if len(summary) <= 240 else summary[:240].rsplit(" ", 1)[0] + " …"
        return {**stored, "score": hit.score or 0.0, "snippet": " ".join(snippet.split())}

    def suggest(self, words: list[str]) -> dict[str, str]:
        """Replacements for words the index does not know (within edit distance 1 or 2)."""
        corrector = None  # made (and whoosh.spelling imported) only when a word is unknown
        out: dict[str, str] = {}
        for word in words:
            if len(word) < 3 or word in STOPWORDS or word in self.glossary.words or self.reader.doc_frequency("spell", word):
                continue
            corrector = corrector or self.searcher.corrector("spell")
            found = corrector.suggest(word, limit=1, maxdist=2 if len(word) > 5 else 1, prefix=1)
            if found:
                out[word] = found[0]
        return out

    def similar(self, entry_id: str, limit: int, *, countries: list[str] | None = None, elsewhere: bool = False,
                types: list[str] | None = None) -> list[dict[str, Any]]:
        """Entries most like one entry: its key terms and its themes, without itself.

        countries: only entries about one of these (resolved codes); elsewhere: only entries naming none
        of the entry's own countries; types: only entries of these types.
        """
        docnum = self.searcher.document_number(id=entry_id)
        if docnum is None:
            raise UnknownEntry(entry_id)
        stored = self.searcher.stored_fields(docnum)
        text = "\n".join(str(stored.get(f, "")) for f in ("title", "names", "summary", "body"))
        subs: list[Q.Query] = []
        for term, weight in self.searcher.key_terms_from_text("body", text, numterms=20):
            subs += [Q.Term(name, term, boost=weight * field_weight) for name, field_weight in FIELD_WEIGHTS.items()]
        for theme in filter(None, str(stored.get("theme", "")).split(",")):
            subs.append(Q.ConstantScoreQuery(Q.Term("theme", theme), score=2.0))
        if not subs:
            return []
        mask: list[Q.Query] = [Q.Term("id", entry_id)]
        if elsewhere:
            mask += [Q.Term("country", c) for c in filter(None, str(stored.get("country", "")).split(","))]
        allow = self.filter_query({"country": countries or [], "type": types or []})
        # limit=None, as in run(): Whoosh's top-N collector can miss top documents of these Or queries.
        results = self.searcher.search(AnyOf(subs), limit=None, mask=AnyOf(mask) if len(mask) > 1 else mask[0], filter=allow)
        return [self._hit(results[i], frozenset()) for i in range(min(limit, results.scored_length()))]


@contextmanager
def open_searcher(content: Path, index_dir: Path, notify: Any = None) -> Iterator[Searcher]:
    """An up-to-date searcher: updates a stale index, rebuilds a missing or unreadable one (telling `notify`)."""
    stats, known, manifest = ensure_index_state(content, index_dir)
    if notify and (stats["rebuilt"] or stats["updated"]):
        notify(f"index {'rebuilt' if stats['rebuilt'] else 'updated'} ({stats['reason']}, {stats['entries']} entries, {stats['seconds']:.2f}s)")
    swaps = repairs = 0
    while True:
        generation = current_generation(index_dir)
        try:
            if generation is None:
                raise IndexFailure("no index generation")
            searcher = Searcher(generation, manifest if generation == known else None)
            break
        except Exception as exc:
            if generation is not None and current_generation(index_dir) != generation and swaps < 20:
                swaps += 1  # another process swapped generations under us (kb index --force): just reopen
                continue
            if repairs == 2:
                raise IndexFailure(f"the index {index_dir} cannot be opened ({type(exc).__name__}); delete the folder and run `kb index`") from None
            repairs += 1
            if notify:
                notify(f"index {index_dir} unreadable ({type(exc).__name__}); rebuilding")
            _, known, manifest = ensure_index_state(content, index_dir, force=True, failed=generation)
    with searcher:
        yield searcher


def with_searcher(content: Path, index_dir: Path, work: Callable[[Searcher], T], notify: Any = None) -> T:
    """work(searcher) on an up-to-date index, repairing an index whose files turn out corrupt.

    Whoosh reads postings and stored fields only when a query needs them, so a damaged file can
    surface in the middle of a search rather than when the index opens. Then the index is
    rebuilt (telling `notify`) and the work runs once more; if it fails again the index was not
    the cause, and the error shows as it is. When the generation was replaced meanwhile by a
    full rebuild in another process (its files deleted under us), the work simply runs again on
    the new one: nothing was damaged, so nothing is reported or rebuilt.
    """
    used: Path | None = None
    for _ in range(5):
        try:
            with open_searcher(content, index_dir, notify) as searcher:
                used = searcher.generation
                return work(searcher)
        except (IndexFailure, FilterError, UnknownEntry):
            raise
        except Exception as exc:
            if used is not None and current_generation(index_dir) not in (None, used):
                continue  # replaced mid-search by another process's rebuild: search again
            if notify:
                notify(f"index {index_dir} unreadable ({type(exc).__name__}); rebuilding")
            ensure_index_state(content, index_dir, force=True, failed=used)
            break
    with open_searcher(content, index_dir, notify) as searcher:
        return work(searcher)
