"""A plain Whoosh index and parser, the baseline that `kb eval --baseline` compares the ranking with."""

from __future__ import annotations

from pathlib import Path

from whoosh import query as Q
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.index import create_in

from kb.search.queries import TEXT_FIELDS
from kb.search.storage import (
    FILTER_FIELDS,
)
from kb.search.vocab import Glossary, Vocab, document


def baseline_rankings(content: Path, queries: list[tuple[str, dict[str, list[str]]]], limit: int = 10) -> list[list[str]]:
    """Rankings from a plain Whoosh index, for comparison in `kb eval`: one text field with the default
    analyzer and the default QueryParser (filters on keyword fields, as they do not rank)."""
    import tempfile

    from whoosh.analysis import StandardAnalyzer
    from whoosh.qparser import QueryParser

    from kb.content.load import load

    kb = load(content, validate=False).kb
    vocab = Vocab.from_kb(kb)
    glossary = Glossary([])
    with tempfile.TemporaryDirectory(prefix="kb-baseline-") as folder:
        plain = Schema(id=ID(stored=True, unique=True), content=TEXT(analyzer=StandardAnalyzer()),
                       **{name: KEYWORD(commas=True) for name in ("country", "type", *FILTER_FIELDS[2:])})
        ix = create_in(folder, plain)
        writer = ix.writer()
        for entry in kb:
            doc = document(entry, vocab, glossary)
            writer.add_document(id=doc["id"], content="\n".join(doc[f] for f in TEXT_FIELDS if f != "tags"), type=doc["type"],
                                **{name: ",".join(doc.get(name) or []) for name in ("country", *FILTER_FIELDS[2:])})
        writer.commit()
        rankings = []
        with ix.searcher() as searcher:
            parser = QueryParser("content", plain)
            for text, filters in queries:
                flt = Q.And([Q.Or([Q.Term(k, v) for v in vs]) for k, vs in filters.items() if vs]) if filters else None
                try:
                    hits = searcher.search(parser.parse(text), limit=None, filter=flt)  # see Searcher.run on limits
                    rankings.append([hit["id"] for hit in list(hits)[:limit]])
                except Exception:  # the plain parser fails on some inputs: an empty ranking
                    rankings.append([])
        ix.close()
    return rankings
