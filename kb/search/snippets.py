"""Snippets: the one or two passages of a stored text that hold the most of the words a query matched.

Whoosh's highlighter re-runs the index analyzer over each hit's text and builds a token object per
word; `kb search` as a fresh process spent a fifth of its run time there. This matches words by the
same rules as the index (kb.search.text: folding, stop words, English and Indonesian stems,
character pairs for unspaced scripts) in one plain loop. No Whoosh here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from kb.search.results import MARK_CLOSE, MARK_OPEN
from kb.search.text import STOPWORDS, WORD_RE, bigrams, fold, is_unspaced, word_stems

MAX_CHARS = 260  # one passage at most
SURROUND = 80  # context kept on each side of the matched words
PASSAGES = 2
BETWEEN = " "  # passages already end and start with … where they cut the text

Span = tuple[int, int, str]  # start, end, the index term it matched


def matched_spans(text: str, terms: frozenset[str]) -> list[Span]:
    """Where the words of `text` match index terms, in order; overlapping pairs of unspaced scripts merged."""
    spans: list[Span] = []
    min_run = _min_run(terms)
    for match in WORD_RE.finditer(text):
        word = fold(match.group())
        start = match.start()
        if is_unspaced(word):
            # Folding keeps the marks of these scripts, so character i of the word is at start + i.
            run: list[int] = []
            for i, pair in enumerate([*bigrams(word), ""]):
                if pair in terms and pair:
                    run.append(i)
                    continue
                if len(run) >= min_run:
                    spans.append((start + run[0], start + run[-1] + 2, word[run[0]:run[-1] + 2]))
                run = []
            continue
        if word in STOPWORDS:
            continue
        for form in word_stems(word):
            if form in terms:
                spans.append((start, match.end(), form))
                break
    return spans


@lru_cache(maxsize=4)  # one query's terms serve every field of every hit
def _min_run(terms: frozenset[str]) -> int:
    """A lone matching pair inside a Thai word is mostly chance (the pair "าน" of "แรงงาน" is in "บ้าน"):
    mark runs of two or more pairs, unless the query gave a single pair."""
    return 2 if sum(1 for t in terms if is_unspaced(t)) > 1 else 1


def _groups(spans: list[Span]) -> list[list[Span]]:
    """Consecutive matches that fit in one passage with some context."""
    groups: list[list[Span]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= MAX_CHARS - SURROUND:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _bounds(text: str, group: list[Span]) -> tuple[int, int]:
    """The passage around a group: context on both sides, cut at spaces, at most MAX_CHARS."""
    first, last = group[0][0], group[-1][1]
    room = max(0, MAX_CHARS - (last - first))
    start = max(0, first - min(SURROUND, room // 2))
    end = min(len(text), last + (room - (first - start)))
    if start > 0:
        sentence = text.rfind(". ", start, first)  # start at a sentence if one starts in the context
        space = sentence + 1 if sentence >= 0 else text.find(" ", start, first)
        start = space + 1 if space >= 0 else first
    if end < len(text):
        space = text.rfind(" ", last, end)
        end = space if space >= 0 else last
    return start, end


def _render(text: str, start: int, end: int, group: list[Span]) -> str:
    marked: list[tuple[int, int]] = []
    for begin, stop, _ in group:
        if marked and (begin <= marked[-1][1] or text[marked[-1][1]:begin].isspace()):
            marked[-1] = (marked[-1][0], max(stop, marked[-1][1]))  # "**domestic workers**", not two marks
        else:
            marked.append((begin, stop))
    out: list[str] = []
    at = start
    for begin, stop in marked:
        out += [text[at:begin], MARK_OPEN, text[begin:stop], MARK_CLOSE]
        at = stop
    out.append(text[at:end])
    # Markdown asterisks in the content would unbalance the ** marks around matched words.
    passage = "".join(part if i % 2 else part.replace("*", "") for i, part in enumerate(out))  # odd parts: the marks
    before = text[:start].rstrip()
    return ("… " if before and before[-1] not in ".!?" else "") + passage.strip() + (" …" if text[end:].strip() else "")


def snippet(text: str, terms: frozenset[str]) -> str:
    """The best passages of `text` with the matched words between ** marks; "" when nothing matches."""
    spans = matched_spans(text, terms)
    if not spans:
        return ""
    groups = _groups(spans)
    # Most distinct terms first, then most matches, then the earliest; shown in text order.
    best = sorted(range(len(groups)), key=lambda i: (-len({s[2] for s in groups[i]}), -len(groups[i]), i))[:PASSAGES]
    passages: list[tuple[int, int, list[Span]]] = []
    for i in sorted(best):
        start, end = _bounds(text, groups[i])
        if passages and start <= passages[-1][1]:  # overlapping contexts: one passage
            passages[-1] = (passages[-1][0], max(end, passages[-1][1]), passages[-1][2] + groups[i])
        else:
            passages.append((start, end, groups[i]))
    return BETWEEN.join(_render(text, *passage) for passage in passages)


def query_terms(pairs: Iterable[tuple[str, object]], fields: Iterable[str]) -> frozenset[str]:
    """The text terms of a query's (field, term) pairs that belong to the given fields."""
    wanted = set(fields)
    return frozenset(term.decode("utf-8") if isinstance(term, bytes) else str(term) for name, term in pairs if name in wanted)
