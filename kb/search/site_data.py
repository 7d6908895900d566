"""The site's search data: the index `kb search` builds, computed at build time and shipped as script files.

The browser runs no analyzer of its own. Everything linguistic comes from here, made by the
same code that builds the Whoosh index (kb.search.vocab.document, the index analyzer):

- a fold table (every character the content, the glossary or a keyboard may bring -> its folded
  form, by kb.search.text.fold);
- a lexicon: every folded word of the content and the glossary -> its index terms (English and
  Indonesian stems, nothing for a stop word), its frequency for did-you-mean, and the index terms
  starting with each letter for prefix queries;
- postings per field with term frequencies and field lengths quantized as Whoosh stores them, so
  the browser scores with the same BM25F;
- the glossary's matching tables, for concept expansion across languages.

All of it is loaded by <script> tags (a site opened from file:// cannot fetch): a small core,
then only the lexicon and postings shards a query needs, and the metadata of the hits it shows.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from typing import Any

from whoosh.util.numeric import byte_to_length, length_to_byte

from kb.search.queries import MAX_EXPANSIONS
from kb.search.storage import terms
from kb.search.text import (
    FILTER_FIELDS,
    INVISIBLE_RE,
    MAX_CLAUSES,
    MAX_FUZZY_DIST,
    MAX_PHRASE_WORDS,
    MAX_QUERY_CHARS,
    MIN_PREFIX,
    SPECIAL_FOLDS,
    STOPWORDS,
    UNSPACED,
    fold,
    is_unspaced,
    word_stems,
)
from kb.search.vocab import CONCEPT_WEIGHT, FIELD_WEIGHTS, FILTER_VOCAB, TYPE_ALIASES, TYPES, Glossary, Vocab, document

FORMAT = 1
FOLDER = "assets/kb-search"
TEXT_FIELDS = tuple(FIELD_WEIGHTS)
SCORED_FIELDS = (*TEXT_FIELDS, "concepts")
FACETS = ("country", "type", "theme", "phase", "target_group")
COLUMNS = (*FACETS, "dimension", "level")  # dimensions and levels: for concepts naming them
META_CHUNK = 100  # entries per metadata file: a results page loads the files of the hits it shows
SHARD_BYTES = 120_000  # aim for postings shards about this size
SUMMARY_CHARS = 320
# The word pattern of kb.search.text.WORD_PATTERN in JavaScript's syntax (\w is ASCII-only there).
WORD_PATTERN_JS = f"(?:[\\p{{L}}\\p{{N}}]|[{UNSPACED}])+(?:[.'\u2019](?:[\\p{{L}}\\p{{N}}]|[{UNSPACED}])+)*"
# Characters a reader may type beyond those in the content: Latin with diacritics (Vietnamese too).
_TYPED_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
SPECIAL_FOLDS_KEYS = {chr(k) for k in SPECIAL_FOLDS}  # đ, ß, æ ...: folded by a table, not by Unicode


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over UTF-16 code units, as the browser computes it (kb-search.js, shardOf)."""
    data = term.encode("utf-16-le")
    h = 0x811C9DC5
    for i in range(0, len(data), 2):
        h ^= data[i] | data[i + 1] << 8
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _tokens(text: str, spell: bool = False) -> list[str]:
    return terms(text, stem=not spell)  # the token texts of analyzer(stem=not spell)


def _fold_table(texts: list[str]) -> dict[str, str]:
    chars = set()
    for text in texts:
        chars.update(text)
    for low, high in _TYPED_RANGES:
        chars.update(chr(c) for c in range(low, high + 1))
    chars.update(SPECIAL_FOLDS_KEYS)
    table = {}
    for ch in sorted(chars | {c.upper() for c in chars} | {c.lower() for c in chars}):
        if len(ch) != 1 or ch.isspace():
            continue
        folded = fold(ch)
        if folded != ch:
            table[ch] = folded
    return table



def _js(name: str, payload: Any) -> str:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # "</script" cannot appear in JSON output of ours unchanged; escape "<" so no text ends a script block.
    body = body.replace("<", "\\u003c")
    return f"KBSEARCH.put({json.dumps(name)},{body});\n"


def site_search_files(kb: Any, titles_by_language: bool = True) -> dict[str, str]:
    """Path (under the site root) -> JavaScript text of every search data file."""
    vocab = Vocab.from_kb(kb)
    glossary = Glossary(vocab.concepts)
    docs = [document(entry, vocab, glossary) for entry in kb]
    entries = list(kb)
    n = len(docs)

    postings: dict[str, dict[str, dict[int, int]]] = {f: defaultdict(dict) for f in SCORED_FIELDS}
    lengths: dict[str, list[int]] = {f: [] for f in SCORED_FIELDS}
    totals: dict[str, int] = dict.fromkeys(SCORED_FIELDS, 0)
    spell_cf: Counter[str] = Counter()
    spell_df: Counter[str] = Counter()
    texts: list[str] = []
    for number, doc in enumerate(docs):
        for name in SCORED_FIELDS:
            tokens = doc["concepts"] if name == "concepts" else _tokens(doc[name])
            for term, tf in Counter(tokens).items():
                postings[name][term][number] = tf
            totals[name] += len(tokens)
            lengths[name].append(byte_to_length(length_to_byte(len(tokens))))
        spell_text = "\n".join(doc[f] for f in TEXT_FIELDS)
        texts.append(spell_text)
        words = _tokens(spell_text, spell=True)
        spell_cf.update(words)
        spell_df.update(set(words))

    # The lexicon: folded words of the content and of every glossary label.
    label_words = set(glossary.words)
    lexicon: dict[str, dict[str, list[Any]]] = defaultdict(dict)
    for word in sorted(set(spell_cf) | label_words):
        if not word or is_unspaced(word):
            continue
        terms = [] if word in STOPWORDS else word_stems(word)
        record: list[Any] = [spell_cf.get(word, 0), spell_df.get(word, 0)]
        if terms != [word]:
            record.append(terms)
        lexicon[word[0]][word] = record
    index_terms: dict[str, set[str]] = defaultdict(set)
    for name in TEXT_FIELDS:
        for term in postings[name]:
            if term and not is_unspaced(term):
                index_terms[term[0]].add(term)

    # Postings shards by a hash of the term, sized so that a query loads little.
    raw = sum(len(t) + 8 * len(p) for f in SCORED_FIELDS for t, p in postings[f].items())
    shards = max(1, math.ceil(raw / SHARD_BYTES))
    shard_data: list[dict[str, dict[str, list[int]]]] = [{} for _ in range(shards)]
    for name in SCORED_FIELDS:
        for term, docs_tf in postings[name].items():
            flat = [x for d in sorted(docs_tf) for x in (d, docs_tf[d])]
            shard_data[shard_of(term, shards)].setdefault(name, {})[term] = flat

    columns: dict[str, list[list[int]]] = {}
    values: dict[str, list[str]] = {}
    for facet in COLUMNS:
        seen: dict[str, int] = {}
        column = []
        for doc in docs:
            raw_values = [doc["type"]] if facet == "type" else doc.get(facet) or []
            column.append([seen.setdefault(v, len(seen)) for v in raw_values])
        values[facet] = list(seen)
        columns[facet] = column

    labels = {"country": vocab.labels.get("countries", {}), "type": {t: t for t in TYPES}}
    labels.update({facet: vocab.labels.get(FILTER_VOCAB[facet], {}) for facet in ("theme", "phase", "target_group", "dimension", "level")})
    aliases = {facet: vocab.aliases.get(FILTER_VOCAB[facet], {}) for facet in ("theme", "phase", "target_group")}

    meta_chunks = max(1, math.ceil(n / META_CHUNK))
    core = {
        "format": FORMAT, "n": n, "fields": list(TEXT_FIELDS), "weights": [FIELD_WEIGHTS[f] for f in TEXT_FIELDS],
        "conceptWeight": CONCEPT_WEIGHT, "B": 0.75, "K1": 1.2,
        "avg": {f: (totals[f] / n if n else 1) or 1 for f in SCORED_FIELDS},
        "lengths": lengths,
        "facets": {"values": values, "columns": columns, "labels": labels, "aliases": aliases},
        "shards": shards, "metaChunks": meta_chunks, "metaChunk": META_CHUNK, "lexicon": sorted(lexicon),
        "facetNames": list(FACETS), "filterFields": FILTER_FIELDS, "typeAliases": TYPE_ALIASES,
        "invisible": INVISIBLE_RE.pattern,
        "stop": sorted(STOPWORDS), "fold": _fold_table([*texts, *label_words]),
        "word": WORD_PATTERN_JS, "unspaced": f"[{UNSPACED}]",
        "glossary": {"spaced": glossary.spaced, "lengths": glossary.lengths, "unspaced": glossary.unspaced,
                     "words": sorted(glossary.words), "themes": {c: v.get("theme") for c, v in glossary.concepts.items() if v.get("theme")},
                     "vocabOf": {t: ("target_group" if name == "target_groups" else name.rstrip("s"))
                                 for name in FILTER_VOCAB.values() for t in vocab.labels.get(name, {})}},
        "limits": {"chars": MAX_QUERY_CHARS, "clauses": MAX_CLAUSES, "phraseWords": MAX_PHRASE_WORDS, "prefix": MIN_PREFIX,
                   "fuzzy": MAX_FUZZY_DIST, "expansions": MAX_EXPANSIONS, "suggestBelow": 3},
    }
    files = {f"{FOLDER}/core.js": _js("core", core)}
    for char, words in lexicon.items():
        files[f"{FOLDER}/lex-{_file_key(char)}.js"] = _js(f"lex:{char}", {"w": words, "t": sorted(index_terms.get(char, ()))})
    for number, data in enumerate(shard_data):
        files[f"{FOLDER}/post-{number}.js"] = _js(f"post:{number}", data)
    for chunk in range(meta_chunks):
        rows = []
        for doc, entry in zip(docs[chunk * META_CHUNK:(chunk + 1) * META_CHUNK], entries[chunk * META_CHUNK:(chunk + 1) * META_CHUNK],
                              strict=True):
            rows.append(_meta(doc, entry, titles_by_language))
        files[f"{FOLDER}/meta-{chunk}.js"] = _js(f"meta:{chunk}", rows)
    return files


def _file_key(char: str) -> str:
    """A file-name-safe key for a lexicon letter (its code point)."""
    return f"{ord(char):x}"


def _meta(doc: dict[str, Any], entry: Any, titles_by_language: bool) -> dict[str, Any]:
    summary = " ".join(str(entry.summary or "").split())
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    row: dict[str, Any] = {"id": doc["id"], "type": doc["type"], "title": doc["title"], "url": doc["url"], "summary": summary,
                           "countries": doc["country"], "themes": doc.get("theme") or []}
    data = entry.data
    for key in ("status", "start_year", "end_year"):
        if isinstance(data.get(key), str | int):
            row[key] = data[key]
    translations = data.get("translations") if isinstance(data.get("translations"), dict) else {}
    if titles_by_language and translations:
        row["t"] = {lang: t["title"] for lang, t in translations.items() if isinstance(t, dict) and isinstance(t.get("title"), str)}
    return row
