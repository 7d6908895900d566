"""Glossary checks that no schema can see: a label must name one concept, and never be its own false friend.

A query word matching a label searches all the concept's other labels, in every language, so a
label shared by two concepts or contradicted by a false friend turns into wrong results.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from kb.content.model import KnowledgeBase
from kb.content.problems import Problem


def normal(term: str) -> str:
    """How labels are compared: case, width and spacing ignored (the index folds the same way, and more)."""
    return " ".join(unicodedata.normalize("NFKC", term).casefold().split())


def _terms(value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    """(path below the language key, term) for a label given as a string or a list."""
    if isinstance(value, str):
        yield (), value
    elif isinstance(value, list):
        yield from (((i,), v) for i, v in enumerate(value) if isinstance(v, str))


def _mapping(concept: dict[str, Any], field: str) -> Iterable[tuple[str, tuple[Any, ...], str]]:
    value = concept.get(field)
    if isinstance(value, dict):
        for lang, terms in value.items():
            for sub, term in _terms(terms):
                yield str(lang), (field, lang, *sub), term


def check_glossary_labels(kb: KnowledgeBase) -> Iterable[Problem]:
    parsed, path = kb.glossary, kb.glossary_path
    if parsed is None:
        return
    owner: dict[tuple[str, str], str] = {}  # (language, normal label) -> the first concept naming it
    for index, concept in enumerate(kb.concepts):
        cid = concept.get("id")
        if not isinstance(cid, str):
            continue
        friends = {(str(f.get("lang")), normal(f["term"])) for f in concept.get("false_friends") or []
                   if isinstance(f, dict) and isinstance(f.get("term"), str)}
        related = {(lang, normal(term)) for lang, _, term in _mapping(concept, "related")}
        mine: set[tuple[str, str]] = set()
        for lang, sub, term in _mapping(concept, "labels"):
            key = (lang, normal(term))
            line, col = parsed.position(("concepts", index, *sub))
            if key in friends:
                yield Problem(path, line, col, "error", f"'{term}' ({lang}) is both a label and a false friend of concept "
                              f"'{cid}'; keep it in one place: a label names the concept, a false friend only looks like it", "glossary-label")
            if key in related:
                yield Problem(path, line, col, "error", f"'{term}' ({lang}) is both a label and a related term of concept '{cid}'; "
                              "drop it from one of the two", "glossary-label")
            if key in mine:
                continue
            mine.add(key)
            first = owner.setdefault(key, cid)
            if first != cid:
                yield Problem(path, line, col, "error", f"'{term}' ({lang}) is a label of both '{first}' and '{cid}'; a label names "
                              "one concept: keep it where it names the concept and move it to `related` in the other", "glossary-label")
