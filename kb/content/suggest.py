"""Suggestions for a mistyped value: the closest few choices, or the allowed ones when none is close.

Plain string matching, no third-party library: `kb new`, the validator and `kb intake` share it.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

MAX_LISTED = 12  # list every allowed value up to this many; beyond, only the closest few


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case without accents, for comparing what people type with ids and labels."""
    if text.isascii():
        return text.casefold().strip()
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=4096)
def _parts(value: str) -> tuple[str, ...]:
    return tuple(p for p in fold(value).replace("_", "-").replace(" ", "-").split("-") if p)


def closest(word: str, choices: Iterable[str], labels: Mapping[str, str] | None = None, n: int = 3,
            spelling: bool = True) -> list[str]:
    """The choices most like `word`, best first (at most n).

    A choice matches when `word` is one of its hyphenated parts or its label's words
    (`returnees` -> `distressed-returnees`), when it equals the choice without a prefix
    (`desmigratif` -> `id-desmigratif`), or (with `spelling`) when difflib finds it close enough.
    """
    choices = [str(c) for c in choices]
    labels = labels or {}
    key = fold(word).replace("_", "-").replace(" ", "-")
    if not key:
        return []
    found: list[str] = []

    def add(items: Iterable[str]) -> None:
        for item in items:
            if item not in found:
                found.append(item)

    # The same value with a different prefix or case.
    add(c for c in choices if fold(c) == key or fold(c).split("-", 1)[-1] == key or fold(c).endswith("-" + key)
        or fold(labels.get(c, "")) == fold(word))
    # The word is a part of the id or of its label (singular or plural).
    stems = {key, key.rstrip("s")}
    add(c for c in choices if len(key) > 2 and stems & {p.rstrip("s") for p in _parts(c) + _parts(labels.get(c, ""))})
    if not spelling:  # parts and prefixes only: no near-miss spellings
        return found[:n]
    # Spelling.
    folded = {fold(c): c for c in choices}
    add(folded[m] for m in difflib.get_close_matches(key, list(folded), n=n, cutoff=0.75))
    by_label = {fold(labels[c]): c for c in choices if labels.get(c)}
    add(by_label[m] for m in difflib.get_close_matches(fold(word), list(by_label), n=n, cutoff=0.75))
    # Without a prefix: `desmigratf` -> `id-desmigratif`.
    bare = {fold(c).split("-", 1)[-1]: c for c in choices if "-" in c}
    add(bare[m] for m in difflib.get_close_matches(key, list(bare), n=n, cutoff=0.8))
    # Last resort, the id is a part of the word: `migrant-women` -> `women`.
    word_parts = {p.rstrip("s") for p in _parts(key)}
    if not found:
        add(c for c in choices if len(word_parts) > 1 and _parts(c) and {p.rstrip("s") for p in _parts(c)} <= word_parts)
    return found[:n]


def hint(word: str, choices: Iterable[str], labels: Mapping[str, str] | None = None) -> str:
    """'; did you mean 'a' or 'b'?' with the closest choices, else '; allowed: ...' when the choices are few, else ''."""
    choices = sorted({str(c) for c in choices})
    close = closest(word, choices, labels)
    if close:
        quoted = [f"'{c}'" for c in close]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"; did you mean {listed}?"
    if choices and len(choices) <= MAX_LISTED:
        return "; allowed: " + ", ".join(choices)
    return ""


def allowed(word: str, choices: Iterable[str], labels: Mapping[str, str] | None = None) -> str:
    """Like `hint`, but always names what is allowed: the closest few, else every choice."""
    choices = sorted({str(c) for c in choices})
    text = hint(word, choices, labels)
    if text or not choices:
        return text
    return "; allowed: " + ", ".join(choices)


def short(value: object, limit: int = 60) -> str:
    """A value as a message may quote it: one line, at most `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
