"""Pure text helpers for search: cleaning, diacritics folding, stemming, query parsing, glossary expansion.

Nothing here imports Whoosh (only kb.search does), so these rules can be tested on their own
and reused by the analyzers that kb.search pickles into the index schema. Every function that
an analyzer calls is a module-level function: Whoosh pickles its schema, and bound methods of
PyStemmer's C objects cannot be pickled.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Hostile-query bounds: a query is at most this many characters, words and phrases, and
# wildcards and fuzzy terms expand to a bounded number of index terms (see kb.search).
MAX_QUERY_CHARS = 400
MAX_CLAUSES = 24
MAX_PHRASE_WORDS = 12
MIN_PREFIX = 2
MAX_FUZZY_DIST = 2

# Scripts written without spaces between words: indexed as overlapping character pairs.
UNSPACED = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
UNSPACED_RE = re.compile(f"[{UNSPACED}]")
# Word characters plus the combining vowel and tone marks of the unspaced scripts, which \w misses.
WORD_PATTERN = rf"(?:[^\W_]|[{UNSPACED}])+(?:[.'’](?:[^\W_]|[{UNSPACED}])+)*"
# re.UNICODE spelled out: the analyzer pickled in the index recompiles with these flags and hits re's cache.
WORD_RE = re.compile(WORD_PATTERN, re.UNICODE)

# Control characters, NUL, zero-width and bidirectional marks: stripped from queries and text.
INVISIBLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufe00-\ufe0f]")
SPECIAL_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})

STOPWORDS = frozenset("""a an and are as at be by for from has have in into is it its of on or that the their
this to was were will with within without""".split())

FILTER_FIELDS = {
    "country": "country", "countries": "country", "type": "type", "kind": "type",
    "theme": "theme", "themes": "theme", "phase": "phase", "phases": "phase",
    "target": "target_group", "target_group": "target_group", "target-group": "target_group", "group": "target_group",
    "dimension": "dimension", "level": "level",
}


def clean(text: str) -> str:
    """Text without NUL, control characters, zero-width or bidi marks, in NFC."""
    return unicodedata.normalize("NFC", INVISIBLE_RE.sub(" ", text))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without Latin diacritics: 'Lao động về nước' -> 'lao dong ve nuoc'.

    Marks are dropped only after Latin letters, so Thai, Lao, Khmer and Burmese vowel and
    tone marks (also combining characters) survive.
    """
    text = text.casefold().translate(SPECIAL_FOLDS)
    if text.isascii():
        return text
    out: list[str] = []
    latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not latin:
                out.append(ch)
            continue
        latin = ch < "\u0250"
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def is_unspaced(word: str) -> bool:
    return bool(UNSPACED_RE.search(word))


def bigrams(word: str) -> list[str]:
    """Overlapping character pairs of a word in an unspaced script (a single character stays)."""
    chars = list(word)
    if len(chars) < 2:
        return chars
    return ["".join(chars[i:i + 2]) for i in range(len(chars) - 1)]


_STEMMERS: dict[str, Any] = {}


def _stemmer(language: str) -> Any:
    stemmer = _STEMMERS.get(language)
    if stemmer is None:
        import Stemmer  # PyStemmer: C Snowball stemmers, imported on first use

        stemmer = _STEMMERS[language] = Stemmer.Stemmer(language)
    return stemmer


@lru_cache(maxsize=65536)
def stem_en(word: str) -> str:
    """English Snowball stem: training, trained, trains -> train."""
    return _stemmer("english").stemWord(word)


@lru_cache(maxsize=65536)
def stem_id(word: str) -> str:
    """Indonesian (and largely Malay) Snowball stem: pelatihan, melatih, latihan -> latih."""
    return _stemmer("indonesian").stemWord(word)


def word_stems(word: str) -> list[str]:
    """The index terms of one folded Latin-script word: its English stem, plus its Indonesian stem if that differs.

    Both stems sit at the same position, so 'kewirausahaan' meets 'wirausaha' while 'training'
    meets 'trained'. The Indonesian stemmer leaves almost all English words alone.
    """
    if len(word) < 3 or not word.isalpha():
        return [word]
    english = stem_en(word)
    indonesian = stem_id(word)
    return [english] if indonesian in (english, word) or len(indonesian) < 3 else [english, indonesian]


def words(text: str) -> list[str]:
    """Folded words of a text, in order (unspaced scripts stay whole runs)."""
    return [fold(w) for w in WORD_RE.findall(text)]


# ---------------------------------------------------------------------------------------------
# Query parsing. We parse queries ourselves instead of with Whoosh's QueryParser: the grammar is
# flat (no nesting at all), so a thousand parentheses or 20,000 characters cannot blow it up.

@dataclass
class Clause:
    """One part of a query: a word, a "phrase", a prefix* or a fuzzy~ term; `negated` for -word."""

    kind: str  # word | phrase | prefix | fuzzy
    text: str
    negated: bool = False
    maxdist: int = 0

    @property
    def words(self) -> list[str]:
        return words(self.text)


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    match_all: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    def plain_words(self) -> list[str]:
        """Words of the positive word clauses, for spelling suggestions."""
        return [w for c in self.positive if c.kind == "word" for w in c.words]


_TOKEN_RE = re.compile(r'(?P<neg>[-!]?)(?:(?P<field>[A-Za-z_-]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


def parse_query(text: str) -> ParsedQuery:
    """Parse a query string into clauses and field filters; never raises.

    Supported: words, "phrases", field:value and field:"two words" filters, -word or NOT word,
    word* (prefix), word~ and word~2 (fuzzy); AND/OR/parentheses are accepted and ignored
    (all words are optional, documents matching more of them rank higher).
    """
    parsed = ParsedQuery()
    text = clean(text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notes.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
    text = text.replace("“", '"').replace("”", '"').replace("„", '"')
    text = re.sub(r"[()\[\]{}^]", " ", text)
    negate_next = star = False
    for match in _TOKEN_RE.finditer(text):
        negated = bool(match["neg"]) or negate_next
        negate_next = False
        name = (match["field"] or "").lower()
        value = match["phrase"] if match["phrase"] is not None else match["word"]
        if name and name in FILTER_FIELDS:
            values = [v for v in re.split(r"[,|]", value.strip()) if v.strip()]
            if values:
                parsed.filters.setdefault(FILTER_FIELDS[name], []).extend(v.strip() for v in values)
            continue
        if name:  # an unknown "field:" is just text (URLs, "note:")
            value = f"{name} {value}"
        if match["phrase"] is not None:
            if words(value):
                _add(parsed, Clause("phrase", " ".join(words(value)[:MAX_PHRASE_WORDS]), negated))
            continue
        if value in ("AND", "OR", "&&", "||"):
            continue
        if not value.strip("*?"):
            star = True
            continue
        if value == "NOT":
            negate_next = True
            continue
        _add_word(parsed, value, negated)
    parsed.match_all = star and not parsed.positive
    return parsed


def _add(parsed: ParsedQuery, clause: Clause) -> None:
    if len(parsed.clauses) >= MAX_CLAUSES:
        if "too many words" not in " ".join(parsed.notes):
            parsed.notes.append(f"too many words: only the first {MAX_CLAUSES} are searched")
        return
    parsed.clauses.append(clause)


def _add_word(parsed: ParsedQuery, value: str, negated: bool) -> None:
    fuzzy = re.fullmatch(r"(.+?)~(\d*)", value)
    if fuzzy:
        distance = min(int(fuzzy[2] or 1), MAX_FUZZY_DIST) if fuzzy[2][:3].isdigit() else 1
        base = words(fuzzy[1])
        if len(base) == 1 and not negated:
            _add(parsed, Clause("fuzzy", base[0], False, max(distance, 1)))
            return
        value = fuzzy[1]
    stripped = value.lstrip("*?")
    if stripped != value and stripped.strip("*?"):
        parsed.notes.append("leading wildcards are not supported; searched without them")
    if re.fullmatch(r"[^*?]+\*", stripped):
        base = words(stripped[:-1])
        if len(base) == 1 and len(base[0]) >= MIN_PREFIX and not negated:
            _add(parsed, Clause("prefix", base[0]))
            return
        if len(base) == 1 and len(base[0]) < MIN_PREFIX:
            parsed.notes.append(f"wildcards need at least {MIN_PREFIX} letters before the *")
    found = words(stripped)
    if len(found) > 1:  # "e-learning", "t.v" split by the tokenizer: keep them together
        _add(parsed, Clause("phrase", " ".join(found[:MAX_PHRASE_WORDS]), negated))
    elif found:
        _add(parsed, Clause("word", found[0], negated))


def query_without(parsed: ParsedQuery, replacements: dict[str, str]) -> str:
    """The query's words with some replaced (for 'did you mean'), as a string a user can type."""
    parts = []
    for clause in parsed.clauses:
        if clause.kind == "phrase":
            parts.append(('-' if clause.negated else '') + f'"{clause.text}"')
        elif clause.kind == "word":
            parts.append(('-' if clause.negated else '') + replacements.get(clause.text, clause.text))
        elif clause.kind == "prefix":
            parts.append(clause.text + "*")
        else:
            parts.append(replacements.get(clause.text, clause.text))
    for name, values in parsed.filters.items():
        parts += [f"{name}:{v}" if " " not in v else f'{name}:"{v}"' for v in values]
    return " ".join(parts)
