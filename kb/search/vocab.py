"""What search knows besides the index: taxonomy labels, glossary concepts, and entry -> document fields.

A `Vocab` is built from the loaded knowledge base when the index is built and stored as JSON
beside it, so that `kb search` can expand queries and check filter values without parsing a
single YAML file. No Whoosh here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kb.search.text import STOPWORDS, fold, is_unspaced, word_stems, words

VOCABS = ("themes", "phases", "target_groups", "dimensions", "levels")
FILTER_VOCAB = {"theme": "themes", "phase": "phases", "target_group": "target_groups", "dimension": "dimensions", "level": "levels"}
TYPES = ("framework", "country", "program", "practice")
TYPE_ALIASES = {"programme": "program", "programs": "program", "programmes": "program", "practices": "practice",
                "frameworks": "framework", "countries": "country", "law": "program", "scheme": "program"}
# Text fields and what goes in them; weights are query-time boosts (title above summary above body).
FIELD_WEIGHTS = {"title": 4.0, "names": 3.0, "summary": 2.0, "tags": 1.5, "body": 1.0}
CONCEPT_WEIGHT = 3.0  # a glossary concept matched in a query, searched by id in the concepts field


class FilterError(ValueError):
    """A filter value that names nothing in the taxonomy."""


@dataclass
class Vocab:
    """Taxonomy terms (id -> label, alias -> id) and glossary concepts, as plain JSON-able data."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary -> id -> label
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary -> alias -> id
    concepts: list[dict[str, Any]] = field(default_factory=list)  # {id, labels: {lang: [..]}, theme}

    @classmethod
    def from_kb(cls, kb: Any) -> Vocab:
        vocab = cls()
        for name in (*VOCABS, "countries"):
            vocab.labels[name] = {str(t["id"]): str(t.get("label") or t["id"]) for t in kb.taxonomy.terms(name) if "id" in t}
            vocab.aliases[name] = {str(a): str(i) for a, i in kb.taxonomy.aliases(name).items()}
        for concept in kb.concepts:
            labels = concept.get("labels")
            if not isinstance(labels, dict) or not isinstance(concept.get("id"), str):
                continue
            theme = concept.get("theme")
            vocab.concepts.append({"id": concept["id"], "labels": term_lists(labels), "related": term_lists(concept.get("related")),
                                   "theme": theme if isinstance(theme, str) else None})
        return vocab

    def to_json(self) -> dict[str, Any]:
        """Labels and aliases; not the concepts, which only a full build reads (the manifest keeps the Glossary's tables)."""
        return {"labels": self.labels, "aliases": self.aliases}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Vocab:
        return cls(data.get("labels", {}), data.get("aliases", {}))

    def label(self, vocabulary: str, term: str) -> str:
        return self.labels.get(vocabulary, {}).get(term, term)

    def vocabulary_of(self, term: str) -> str | None:
        """Which vocabulary a glossary concept's `theme` belongs to."""
        return next((name for name in VOCABS if term in self.labels.get(name, {})), None)

    def resolve(self, name: str, value: str) -> str:
        """The indexed value for a filter: 'ph' -> 'PH', 'Skills training' -> 'skills-training'. Raises FilterError."""
        value = value.strip()
        if name == "country":
            code = value.upper()
            countries = self.labels.get("countries", {})
            by_name = {fold(label): cid for cid, label in countries.items()}
            if code in countries or not countries:
                return code
            if fold(value) in by_name:
                return by_name[fold(value)]
            raise FilterError(f"unknown country '{value}'{_hint(value, list(countries) + list(countries.values()))}")
        if name == "type":
            kind = TYPE_ALIASES.get(value.lower(), value.lower())
            if kind not in TYPES:
                raise FilterError(f"unknown type '{value}'{_hint(value, TYPES)}; use one of: {', '.join(TYPES)}")
            return kind
        vocabulary = FILTER_VOCAB[name]
        ids = self.labels.get(vocabulary, {})
        slug = "-".join(fold(value).replace("_", " ").split())
        if slug in ids or not ids:
            return slug
        for alias, term in self.aliases.get(vocabulary, {}).items():
            if fold(alias) in (slug, fold(value)):
                return term
        for term, label in ids.items():
            if fold(label) == fold(value):
                return term
        raise FilterError(f"unknown {name.replace('_', ' ')} '{value}'{_hint(slug, ids)}")


def term_lists(value: Any) -> dict[str, list[str]]:
    """A glossary `labels` or `related` mapping as language -> list of non-empty strings."""
    if not isinstance(value, dict):
        return {}
    return {str(lang): [v for v in (terms if isinstance(terms, list) else [terms]) if isinstance(v, str) and v.strip()]
            for lang, terms in value.items()}


def _hint(value: str, choices: Any) -> str:
    import difflib  # only for a filter value nobody knows

    close = difflib.get_close_matches(value, [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Glossary:
    """Finds glossary labels in a query or a document, in any language, by their stemmed words.

    Matching is on the primary (English Snowball) stem of each folded word, stop words left out,
    so 'returnees' meets the label 'returnee' and 'lao dong ve nuoc' meets 'lao động về nước'.
    Thai, Lao, Khmer and Burmese labels (no spaces) are found as substrings.

    Only `labels` expand a query. A concept's `related` terms (an institution, an outcome, a
    broader term) are not matched at all: counted as labels they scored nDCG@10 0.777 on
    tests/queries.yaml against 0.774 without them (one query's worth), while an independent
    check found them to be wrong matches; a weaker hint can only land between the two. Their
    words are known, so did-you-mean never "corrects" them.
    """

    def __init__(self, concepts: list[dict[str, Any]]):
        self.concepts = {c["id"]: {"theme": c.get("theme")} for c in concepts}
        # The stems of a label, joined by spaces (stems hold none) -> its concept ids. Plain JSON
        # types throughout, so that a search loads the tables from the manifest as they are.
        self.spaced: dict[str, list[str]] = {}
        self.unspaced: list[list[str]] = []  # [folded label, concept id] for Thai, Lao, Khmer, Burmese; longest first
        self.words: set[str] = set()  # every folded word of every label (never "corrected" by did-you-mean)
        for concept in concepts:
            for values in concept["labels"].values():
                for label in values:
                    self.words.update(words(label))
                    stems = key(label)
                    if is_unspaced(label):
                        self.unspaced.append(["".join(words(label)), concept["id"]])
                    elif stems:
                        ids = self.spaced.setdefault(" ".join(stems), [])
                        if concept["id"] not in ids:
                            ids.append(concept["id"])
            for values in concept.get("related", {}).values():
                for term in values:
                    self.words.update(words(term))
        self.lengths: dict[str, list[int]] = {}  # first stem -> lengths of the labels starting with it, longest first
        for label_key in self.spaced:
            stems = label_key.split(" ")
            self.lengths.setdefault(stems[0], []).append(len(stems))
        for lengths in self.lengths.values():
            lengths.sort(reverse=True)
        self.unspaced.sort(key=lambda item: -len(item[0]))

    def to_json(self) -> dict[str, Any]:
        """The matching tables, stored beside the index so that a search never re-stems the glossary."""
        return {"concepts": self.concepts, "spaced": {k: sorted(v) for k, v in self.spaced.items()}, "lengths": self.lengths,
                "unspaced": self.unspaced, "words": sorted(self.words)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Glossary:
        glossary = cls([])
        glossary.concepts = data.get("concepts", {})
        glossary.spaced = data.get("spaced", {})
        glossary.lengths = data.get("lengths", {})
        glossary.unspaced = data.get("unspaced", [])
        glossary.words = set(data.get("words", []))
        return glossary

    def find(self, sequence: list[str]) -> list[tuple[int, int, list[str]]]:
        """Greedy longest matches of labels in a sequence of stems (see `key`): (start, end, concept ids)."""
        found = []
        i = 0
        while i < len(sequence):
            for n in self.lengths.get(sequence[i], ()):
                ids = self.spaced.get(" ".join(sequence[i:i + n]))
                if ids:
                    found.append((i, i + n, ids))
                    i += n
                    break
            else:
                i += 1
        return found

    def find_unspaced(self, word: str) -> list[str]:
        """Concepts whose Thai/Lao/Khmer/Burmese label occurs inside a run of such text (once per occurrence)."""
        ids: list[str] = []
        for label, cid in self.unspaced:
            count = word.count(label)
            if count:
                ids += [cid] * count
                word = word.replace(label, " ")
        return ids

    def mentions(self, text: str) -> list[str]:
        """Concept ids of every label occurrence in a text (a document's 'concepts' field)."""
        if not self.concepts:
            return []
        sequence: list[str] = []
        found: list[str] = []
        for word in words(text):
            if is_unspaced(word):
                found += self.find_unspaced(word)
            elif word not in STOPWORDS:
                sequence.append(word_stems(word)[0])
        return found + [cid for _, _, ids in self.find(sequence) for cid in sorted(ids)]

    def themes(self, concept_ids: set[str]) -> set[str]:
        return {self.concepts[c]["theme"] for c in concept_ids if self.concepts[c].get("theme")}


def key(text: str) -> tuple[str, ...]:
    """The stems a glossary label is matched by: primary stems of its folded words, stop words left out."""
    return tuple(word_stems(w)[0] for w in words(text) if w not in STOPWORDS)


def _text(value: Any) -> str:
    """All strings inside a value (strings, lists, mappings), joined by blank lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n\n".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return "\n\n".join(t for t in (_text(v) for k, v in value.items() if k not in ("url", "id")) if t)
    return ""


BODY_FIELDS = ("description", "agency", "legal_basis", "implementers", "results", "lessons", "principles", "caveats",
               "issuer", "role", "overview", "context", "institutions", "challenges")


def document(entry: Any, vocab: Vocab, glossary: Glossary) -> dict[str, Any]:
    """The index fields of one entry (plain strings and lists; kb.search turns them into a Whoosh document)."""
    data = entry.data
    translations = data.get("translations") if isinstance(data.get("translations"), dict) else {}
    names = [data.get("local_name"), data.get("name") if data.get("name") != entry.title else None]
    names += [t.get("title") for t in translations.values() if isinstance(t, dict)]
    summaries = [entry.summary] + [t.get("summary") for t in translations.values() if isinstance(t, dict)]
    terms = {name: entry.terms(name) for name in VOCABS}
    tags = [vocab.label(name, t) for name, values in terms.items() for t in values]
    tags += [vocab.label("countries", c) for c in entry.countries]
    body = [_text(data.get(name)) for name in BODY_FIELDS]
    body += [_text({k: v for k, v in data.items() if k not in BODY_FIELDS and k not in _SKIP_BODY})]
    # Glossary concepts the entry mentions, in any language (title mentions count twice), plus the
    # concepts naming its taxonomy terms: a query in Indonesian or Thai then matches by concept id.
    names_text = "\n".join(n for n in names if isinstance(n, str))
    concepts = glossary.mentions(f"{entry.title}\n{names_text}") * 2
    concepts += glossary.mentions("\n".join([*(s for s in summaries if isinstance(s, str)), *body]))
    entry_terms = {t for values in terms.values() for t in values}
    concepts += [cid for cid, concept in glossary.concepts.items() if concept.get("theme") in entry_terms]
    return {
        "id": entry.id,
        "type": entry.kind,
        "title": entry.title,
        "names": "\n".join(n for n in names if isinstance(n, str) and n),
        "summary": "\n\n".join(s for s in summaries if isinstance(s, str) and s),
        "tags": "\n".join(tags),
        "body": "\n\n".join(b for b in body if b),
        "concepts": concepts,
        "country": entry.countries,
        **{name.rstrip("s") if name != "target_groups" else "target_group": values for name, values in terms.items()},
        "url": entry.url,
        "path": entry.path,
        # Titles and summaries per language, stored for `kb search --lang` (not searched from here:
        # `names` and `summary` above hold them for that).
        "translations": json.dumps({code: {"title": t["title"], "summary": t["summary"], "status": t.get("status") or "draft"}
                                    for code, t in translations.items()
                                    if isinstance(t, dict) and isinstance(t.get("title"), str) and isinstance(t.get("summary"), str)},
                                   ensure_ascii=False, sort_keys=True),
    }


# Fields already indexed elsewhere, or not worth searching (sources are searched: titles of laws help).
_SKIP_BODY = {"id", "title", "name", "summary", "local_name", "translations", "themes", "phases", "target_groups", "dimensions",
              "levels", "country", "countries", "code", "related", "frameworks", "reviewed", "status", "kind", "start_year", "end_year"}
