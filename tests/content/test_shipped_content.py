"""The content we ship must always validate: the foundation of every other output."""

from __future__ import annotations

from kb.content.load import load
from tests.conftest import REPO


def test_shipped_content_has_no_errors() -> None:
    result = load(REPO / "content")
    assert result.errors == [], "\n".join(f"{p.path}:{p.line}:{p.column}: {p.message} [{p.rule}]" for p in result.errors[:20])


def test_shipped_content_is_not_empty() -> None:
    kb = load(REPO / "content").kb
    kinds = {e.kind for e in kb}
    assert {"framework", "country", "program", "practice"} <= kinds
    assert kb.get("id-desmigratif") is not None
    assert kb.get("id-law-18-2017") is not None
    assert kb.get("id") is not None
    assert len(kb.concepts) > 0
