"""kb.search.storage.terms: the analyzer's token texts without Whoosh's token objects (the site's search data uses it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.content.load import load
from kb.search.storage import analyzer, terms
from kb.search.vocab import FIELD_WEIGHTS, Glossary, Vocab, document

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("stem", [True, False])
def test_terms_equal_the_analyzer_on_every_shipped_text(stem: bool):
    kb = load(REPO / "content").kb
    vocab = Vocab.from_kb(kb)
    glossary = Glossary(vocab.concepts)
    chain = analyzer(stem=stem)
    texts = [doc[field] for doc in (document(entry, vocab, glossary) for entry in kb) for field in FIELD_WEIGHTS]
    assert len(texts) > 500
    for text in texts:
        assert terms(text, stem=stem) == [t.text for t in chain(text)], text[:80]


@pytest.mark.parametrize("text", ["The returnees' training", "pelatihan kewirausahaan", "Lao Cai: 103 victims in 2017",
                                  "Đào tạo lại", "แรงงานที่กลับจากต่างประเทศ", "the of and", "ĐỒNG Việt", "x", ""])
def test_terms_equal_the_analyzer_on_odd_texts(text: str):
    for stem in (True, False):
        assert terms(text, stem=stem) == [t.text for t in analyzer(stem=stem)(text)]
