"""The search index: the only module that imports Whoosh.

Layout of the index folder (build output, default .kb/index):

    CURRENT           name of the live generation, replaced atomically (os.replace)
    write.lock        held (flock) by the one process that writes
    g000007/          a Whoosh index plus kb-manifest.json (file stats, taxonomy, glossary)

A full build writes a new generation folder and then points CURRENT at it, so a crash mid-build
leaves the previous generation in use. A one-file change is applied in place with Whoosh's own
transactional commit (its table of contents is renamed into place last).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as Q
from whoosh.analysis import Filter, RegexTokenizer, SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import create_in, open_dir
from whoosh.matching import ArrayUnionMatcher

from kb.freshness import Changes, compare, read_manifest, scan, write_manifest
from kb.layout import SECTION, SHARED_FILES
from kb.search_text import STOPWORDS, WORD_RE, bigrams, fold, is_unspaced, word_stems
from kb.search_vocab import CONCEPT_WEIGHT, FIELD_WEIGHTS, FilterError, Glossary, Vocab, document
from kb.snippets import query_terms
from kb.snippets import snippet as best_passages

T = TypeVar("T")
DEFAULT_INDEX = Path(".kb/index")
INDEX_ENV = "KB_INDEX"
LOCK_WAIT = float(os.environ.get("KB_INDEX_WAIT", "5"))
# Segments are written as separate files: Whoosh opens a compound segment by copying every part
# of it into memory (3.7 MB for the shipped content, about 4 ms per search), while separate
# files are read only where a query looks.
WRITER_OPTIONS = {"compound": False}
_GEN_RE = re.compile(r"^g\d{6}$")
FILTER_FIELDS = ("country", "type", "theme", "phase", "target_group", "dimension", "level")


class IndexFailure(Exception):
    """The index cannot be built or opened; the message is one line for the user."""


class IndexBusy(IndexFailure):
    """Another process is writing the index."""


class UnknownEntry(LookupError):
    """No entry with this id in the index."""


# --- analysis ------------------------------------------------------------------------------------

class FoldStemFilter(Filter):
    """Fold case and Latin diacritics, drop English stop words, stem (English + Indonesian), and
    split Thai/Lao/Khmer/Burmese runs into character pairs; positions are renumbered.

    A module-level class calling module-level functions, so that Whoosh can pickle it in the schema.
    """

    def __init__(self, stem: bool = True):
        self.stem = stem

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldStemFilter) and other.stem == self.stem

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        pos = 0
        for t in tokens:
            text = fold(t.text)
            if is_unspaced(text):
                start = getattr(t, "startchar", 0)
                for i, pair in enumerate(bigrams(text)):
                    t.text, t.pos = pair, pos
                    if hasattr(t, "startchar"):
                        t.startchar, t.endchar = start + i, start + i + len(pair)
                    pos += 1
                    yield t
                continue
            if t.stopped if hasattr(t, "stopped") else False:
                continue
            if text in STOPWORDS and self.stem:
                continue
            t.pos = pos
            pos += 1
            for form in word_stems(text) if self.stem else [text]:
                t.text = form
                yield t


def analyzer(stem: bool = True) -> Any:
    return RegexTokenizer(WORD_RE) | FoldStemFilter(stem)


ANALYZER = analyzer()


def schema() -> Schema:
    text = ANALYZER
    return Schema(
        id=ID(stored=True, unique=True), type=ID(stored=True),
        title=TEXT(analyzer=text, stored=True), names=TEXT(analyzer=text, stored=True),
        summary=TEXT(analyzer=text, stored=True), tags=TEXT(analyzer=text), body=TEXT(analyzer=text, stored=True),
        spell=TEXT(analyzer=analyzer(stem=False), phrase=False),
        concepts=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
        country=KEYWORD(stored=True, commas=True), theme=KEYWORD(stored=True, commas=True), phase=KEYWORD(commas=True),
        target_group=KEYWORD(commas=True), dimension=KEYWORD(commas=True), level=KEYWORD(commas=True),
        url=STORED, path=STORED,
    )


def _whoosh_doc(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k not in FILTER_FIELDS[2:] and k != "country"}
    for name in ("country", *FILTER_FIELDS[2:]):
        out[name] = ",".join(doc.get(name) or [])
    out["concepts"] = " ".join(doc.get("concepts") or [])
    out["spell"] = "\n".join(doc[f] for f in ("title", "names", "summary", "tags", "body"))
    return out


# --- generations, locking ---------------------------------------------------------------------------

def default_index() -> Path:
    return Path(os.environ.get(INDEX_ENV) or DEFAULT_INDEX)


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / "CURRENT").read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return None
    return index_dir / name if _GEN_RE.match(name) and (index_dir / name).is_dir() else None


@contextmanager
def _write_lock(index_dir: Path, wait: float) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise IndexBusy(f"the index {index_dir} is busy: another kb process is updating it; try again in a moment")
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False


def _next_generation(index_dir: Path) -> str:
    stems = [p.name.split(".")[0] for p in index_dir.iterdir()]
    numbers = [int(stem[1:]) for stem in stems if _GEN_RE.match(stem)]
    return f"g{max(numbers, default=0) + 1:06d}"


# --- building -------------------------------------------------------------------------------------

def ensure_index(content: Path, index_dir: Path, *, force: bool = False, wait: float = LOCK_WAIT) -> dict[str, Any]:
    """Build the index, or bring it up to date with the content (incrementally where it can).

    Returns stats: entries, rebuilt (bool), updated (entries added, changed or removed),
    seconds, and reason (why it was rebuilt or updated, or "up to date"). Raises IndexBusy
    when another process holds the index, IndexFailure when the content cannot be read or
    the index folder cannot be written.
    """
    return _ensure(content, index_dir, force=force, wait=wait)[0]


def _ensure(content: Path, index_dir: Path, *, force: bool = False, wait: float = LOCK_WAIT) -> tuple[dict[str, Any], Path | None, dict[str, Any] | None]:
    """ensure_index's stats, plus the generation it left current and that generation's manifest (so a
    searcher need not read and parse the manifest a second time)."""
    try:
        return _ensure_index(content, index_dir, force=force, wait=wait)
    except OSError as exc:  # a read-only or missing parent folder, a full disk: one line, not a traceback
        raise IndexFailure(f"cannot write the index in {index_dir}: {exc.strerror or exc}") from None


def _ensure_index(content: Path, index_dir: Path, *, force: bool, wait: float) -> tuple[dict[str, Any], Path | None, dict[str, Any] | None]:
    started = time.perf_counter()
    content, index_dir = Path(content), Path(index_dir)
    if not content.is_dir():
        raise IndexFailure(f"content folder '{content}' not found; run from the project folder or pass --content")
    if not force:
        generation, manifest, changes = _state(content, index_dir)
        if changes is not None and not changes:
            return _stats(manifest, False, 0, started, "up to date"), generation, manifest
    with _write_lock(index_dir, wait):
        generation, manifest, changes = _state(content, index_dir)  # again: another writer may have just finished
        if not force and changes is not None and not changes:
            return _stats(manifest, False, 0, started, "up to date"), generation, manifest
        if not force and generation and manifest and changes and not changes.shared and changes.count <= max(20, len(manifest["files"]) // 4):
            try:
                manifest, updated = _update(content, generation, manifest, changes)
                return _stats(manifest, False, updated, started, f"{changes.count} changed file(s)"), generation, manifest
            except Exception as exc:  # a corrupt index: rebuild below
                reason = f"index unreadable ({type(exc).__name__}), rebuilt"
        else:
            reason = "forced" if force else ("no index yet" if generation is None else
                                             "index unreadable or from another version" if manifest is None else
                                             "content folder moved" if changes is None else
                                             "taxonomy or glossary changed" if changes.shared else "many files changed")
        generation, manifest = _build(content, index_dir)
        return _stats(manifest, True, len(manifest["ids"]), started, reason), generation, manifest


def _state(content: Path, index_dir: Path) -> tuple[Path | None, dict[str, Any] | None, Changes | None]:
    generation = current_generation(index_dir)
    manifest = read_manifest(generation) if generation else None
    if manifest is None or manifest.get("content") != str(content.resolve()):
        return generation, manifest, None
    return generation, manifest, compare(manifest["files"], scan(content))


def _stats(manifest: dict[str, Any] | None, rebuilt: bool, updated: int, started: float, reason: str) -> dict[str, Any]:
    return {"entries": len(manifest["ids"]) if manifest else 0, "rebuilt": rebuilt, "updated": updated,
            "seconds": round(time.perf_counter() - started, 3), "reason": reason,
            "skipped": sorted(rel for rel, f in (manifest or {}).get("files", {}).items() if f.get("failed"))}


def _build(content: Path, index_dir: Path) -> tuple[Path, dict[str, Any]]:
    from kb.load import load  # only a stale index pays for YAML parsing

    stats = scan(content)
    kb = load(content, validate=False).kb
    vocab = Vocab.from_kb(kb)
    glossary = Glossary(vocab.concepts)
    name = _next_generation(index_dir)
    building = index_dir / f"{name}.building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    writer = create_in(str(building), schema()).writer(**WRITER_OPTIONS)
    files: dict[str, dict[str, Any]] = {rel: {"stat": stat, "id": None} for rel, stat in stats.items()}
    for entry in kb:
        writer.add_document(**_whoosh_doc(document(entry, vocab, glossary)))
        rel = Path(os.path.relpath(entry.file, content)).as_posix()
        if rel in files:
            files[rel]["id"] = entry.id
    writer.commit()
    for rel, record in files.items():
        record["failed"] = record["id"] is None and rel not in SHARED_FILES
    manifest = {"content": str(content.resolve()), "files": files, "vocab": vocab.to_json(), "glossary": glossary.to_json(),
                "ids": sorted(kb.entries)}
    write_manifest(building, manifest)
    os.replace(building, index_dir / name)
    pointer = index_dir / f".CURRENT.{os.getpid()}"
    pointer.write_text(name + "\n", encoding="ascii")
    os.replace(pointer, index_dir / "CURRENT")
    for old in index_dir.iterdir():  # earlier generations and abandoned builds
        if old.is_dir() and old.name != name and _GEN_RE.match(old.name.split(".")[0]):
            shutil.rmtree(old, ignore_errors=True)
    return index_dir / name, manifest


def _update(content: Path, generation: Path, manifest: dict[str, Any], changes: Changes) -> tuple[dict[str, Any], int]:
    """Apply added, changed and removed entry files to the live generation (one Whoosh commit)."""
    from kb.load import entry_from, read_file

    vocab = Vocab.from_json(manifest["vocab"])
    glossary = Glossary.from_json(manifest["glossary"])
    files = {rel: dict(record) for rel, record in manifest["files"].items()}
    ids = set(manifest["ids"])
    current = scan(content)
    writer = open_dir(str(generation)).writer(timeout=LOCK_WAIT, **WRITER_OPTIONS)
    updated = 0
    try:
        for rel in changes.removed:
            old = files.pop(rel, {}).get("id")
            if old:
                writer.delete_by_term("id", old)
                ids.discard(old)
                updated += 1
        for rel in changes.added + changes.changed:
            path = content / rel
            record = files.setdefault(rel, {"id": None})
            record["stat"] = current.get(rel, record.get("stat"))
            kind, parsed, _ = read_file(content, path, validate=False)
            entry = entry_from(kind, path, parsed) if kind in SECTION and parsed.data is not None else None
            if entry is None or any(r.get("id") == entry.id for other, r in files.items() if other != rel):
                record["failed"] = True  # keep the last good document of this file, if any
                continue
            new_id = entry.id
            if record.get("id") and record["id"] != new_id:
                writer.delete_by_term("id", record["id"])
                ids.discard(record["id"])
            writer.update_document(**_whoosh_doc(document(entry, vocab, glossary)))
            record.update(id=new_id, failed=False)
            ids.add(new_id)
            updated += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    manifest = {**manifest, "files": files, "ids": sorted(ids)}
    write_manifest(generation, manifest)
    return manifest, updated


# --- searching ------------------------------------------------------------------------------------

MAX_EXPANSIONS = 40  # index terms one wildcard or fuzzy word may expand to
SEARCH_SECONDS = 2.0
TEXT_FIELDS = tuple(FIELD_WEIGHTS)


class AnyOf(Q.Or):
    """Whoosh's Or, matched by adding its scores into an array as long as the index (or 8,192 slots).

    On an index under 5,000 documents Whoosh does this itself, but with an array of 2,048 slots
    that it fills and clears slot by slot in Python, twice per Or: on the shipped content (117
    documents) a quarter of the time Whoosh spends matching a query. On larger indexes it walks
    a tree of union matchers document by document, which is slower when most documents match
    (a third faster with arrays on 10,000 generated entries) and faster when a filter leaves few
    to visit: there, `sparse` hands the choice back to Whoosh. The scores are the same sums.
    """

    PRELOAD_LIMIT = 8192
    SPARSE_MIN_DOCS = 2048  # below this, arrays win even when a filter leaves few documents
    sparse = False  # set on the Ors of a filtered query (see Searcher.run)

    def _matcher(self, subs: list[Q.Query], searcher: Any, context: Any) -> Any:
        doccount = searcher.doc_count_all()
        needs_current = context.needs_current if context else True
        if (not 2 < len(subs) < self.TOO_MANY_CLAUSES or not doccount or needs_current or self.scale
                or (self.sparse and doccount >= self.SPARSE_MIN_DOCS)):
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True
        return ArrayUnionMatcher([sub.matcher(searcher, context) for sub in subs], doccount, boost=self.boost,
                                 scored=scored, partsize=min(doccount, self.PRELOAD_LIMIT))


def _mark_sparse(query: Q.Query) -> None:
    if isinstance(query, AnyOf):
        query.sparse = True
    for child in query.children():
        _mark_sparse(child)


class TermsInMemory(FileStorage):
    """Whoosh's file storage for searching, with each segment's term table read whole at open.

    A term is found by a binary search over that table; a did-you-mean suggestion looks up
    thousands of terms, and from the file each step is a seek and a read (25 ms for two
    misspelled words on the shipped content, 10 ms from memory). The table is a third of the
    index and is read in about a millisecond; postings and stored fields stay on disk
    and are read only where a query looks.
    """

    def open_file(self, name: str, **kwargs: Any) -> Any:
        if name.endswith(".trm"):
            with open(os.path.join(self.folder, name), "rb") as handle:
                return BufferFile(handle.read(), name=name)
        return super().open_file(name, **kwargs)


class Searcher:
    """An open index generation with its vocabulary; use as a context manager."""

    def __init__(self, generation: Path, manifest: dict[str, Any] | None = None):
        manifest = manifest or read_manifest(generation)
        if manifest is None:
            raise IndexFailure(f"the index {generation} has no readable manifest")
        self.manifest = manifest
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
            _mark_sparse(query)
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

    def similar(self, entry_id: str, limit: int) -> list[dict[str, Any]]:
        """Entries most like one entry: its key terms and its themes, without itself."""
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
        results = self.searcher.search(AnyOf(subs), limit=limit, mask=Q.Term("id", entry_id))
        return [self._hit(hit, frozenset()) for hit in results]


@contextmanager
def open_searcher(content: Path, index_dir: Path, notify: Any = None) -> Iterator[Searcher]:
    """An up-to-date searcher: updates a stale index, rebuilds a missing or unreadable one (telling `notify`)."""
    stats, known, manifest = _ensure(content, index_dir)
    if notify and (stats["rebuilt"] or stats["updated"]):
        notify(f"index {'rebuilt' if stats['rebuilt'] else 'updated'} ({stats['reason']}, {stats['entries']} entries, {stats['seconds']:.2f}s)")
    for attempt in range(3):
        generation = current_generation(index_dir)
        try:
            if generation is None:
                raise IndexFailure("no index generation")
            searcher = Searcher(generation, manifest if generation == known else None)
            break
        except Exception as exc:
            if attempt == 2:
                raise IndexFailure(f"the index {index_dir} cannot be opened ({type(exc).__name__}); delete the folder and run `kb index`") from None
            if notify:
                notify(f"index {index_dir} unreadable ({type(exc).__name__}); rebuilding")
            if attempt == 0 and generation is not None and current_generation(index_dir) != generation:
                continue  # another process swapped generations under us: just reopen
            _, known, manifest = _ensure(content, index_dir, force=True)
    with searcher:
        yield searcher


def with_searcher(content: Path, index_dir: Path, work: Callable[[Searcher], T], notify: Any = None) -> T:
    """work(searcher) on an up-to-date index, repairing an index whose files turn out corrupt.

    Whoosh reads postings and stored fields only when a query needs them, so a damaged file can
    surface in the middle of a search rather than when the index opens. Then the index is
    rebuilt (telling `notify`) and the work runs once more; if it fails again the index was not
    the cause, and the error shows as it is.
    """
    try:
        with open_searcher(content, index_dir, notify) as searcher:
            return work(searcher)
    except (IndexFailure, FilterError, UnknownEntry):
        raise
    except Exception as exc:
        if notify:
            notify(f"index {index_dir} unreadable ({type(exc).__name__}); rebuilding")
        ensure_index(content, index_dir, force=True)
    with open_searcher(content, index_dir, notify) as searcher:
        return work(searcher)


def baseline_rankings(content: Path, queries: list[tuple[str, dict[str, list[str]]]], limit: int = 10) -> list[list[str]]:
    """Rankings from a plain Whoosh index, for comparison in `kb eval`: one text field with the default
    analyzer and the default QueryParser (filters on keyword fields, as they do not rank)."""
    import tempfile

    from whoosh.analysis import StandardAnalyzer
    from whoosh.qparser import QueryParser

    from kb.load import load

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
