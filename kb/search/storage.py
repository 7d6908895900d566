"""The search index on disk: its schema and analyzer, generations, the write lock, and reading it.

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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh.analysis import Filter, RegexTokenizer, SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from kb.search.text import STOPWORDS, WORD_RE, bigrams, fold, is_unspaced, word_stems

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


@lru_cache(maxsize=200_000)
def _word_terms(word: str, stem: bool) -> tuple[str, ...]:
    """What FoldStemFilter makes of one token, remembered: a text repeats most of its words."""
    text = fold(word)
    if is_unspaced(text):
        return tuple(bigrams(text))
    if stem and text in STOPWORDS:
        return ()
    return tuple(word_stems(text)) if stem else (text,)


def terms(text: str, stem: bool = True) -> list[str]:
    """The texts of the tokens `analyzer(stem)` yields for text, in order, without Whoosh's token objects.

    The site's search data analyses every entry twice; this is the same analysis several times faster
    (tests/search/test_storage.py checks it equals the analyzer on the shipped content).
    """
    return [term for word in WORD_RE.findall(text) for term in _word_terms(word, stem)]


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
        url=STORED, path=STORED, translations=STORED, sources=STORED,
    )


def entry_sources(entry: Any) -> list[dict[str, str]]:
    """An entry's numbered sources as `kb search --json` gives them (title, url, publisher, date, accessed)."""
    found = []
    for source in entry.data.get("sources") or []:
        if isinstance(source, dict):
            found.append({k: str(source[k]) for k in ("title", "url", "publisher", "date", "accessed") if source.get(k) is not None})
    return found


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
    """The generation CURRENT names, or None when there is none (or it is damaged)."""
    for _ in range(5):
        try:
            name = (index_dir / "CURRENT").read_text(encoding="ascii").strip()
        except (OSError, UnicodeError):
            return None
        if not _GEN_RE.match(name):
            return None
        if (index_dir / name).is_dir():
            return index_dir / name
        # The generation read was deleted just after: another process swapped in a new one and removed
        # the old. Read the pointer again rather than take the index for damaged (a false "unreadable").
    return None


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


