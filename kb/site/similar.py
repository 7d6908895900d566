"""The "similar elsewhere" lists of entry pages, computed at build time by `kb similar`'s own query.

The site build asks the search index (kb.search, which alone imports Whoosh) once per programme
and practice; the renderer receives plain lists of ids and stays a pure function of its inputs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.kb")
SIMILAR_LIMIT = 5
# Beside the index generation: the lists of the last build, reused while the content files are unchanged
# (each list costs a query, about 10 s for the shipped content; `kb serve` rebuilds on every save).
CACHE_FILE = "similar-elsewhere.json"


def similar_elsewhere_ids(content: Path, index_dir: Path | None, ids: list[str], limit: int = SIMILAR_LIMIT, *,
                          reuse_stale: bool = False) -> dict[str, list[str]]:
    """{entry id: ids of the programmes and practices most like it in other countries}, for the given ids.

    index_dir None: a throwaway index in a temporary folder (another content tree must not replace the
    project's own index). The index is brought up to date first, as `kb search` does. reuse_stale (for
    `kb serve`): keep the cached lists of the last build after a change and query only for new entries,
    so a save in the editor does not wait for every list; `kb build` always computes them afresh.
    """
    if index_dir is None:
        with tempfile.TemporaryDirectory(prefix="kb-site-index-") as folder:
            return _similar(content, Path(folder), ids, limit, False)
    return _similar(content, index_dir, ids, limit, reuse_stale)


def _similar(content: Path, index_dir: Path, ids: list[str], limit: int, reuse_stale: bool) -> dict[str, list[str]]:
    from kb.search.similar_batch import similar_elsewhere_many
    from kb.search.freshness import FORMAT
    from kb.search.searcher import open_searcher

    started = time.perf_counter()
    with open_searcher(content, index_dir) as searcher:
        key = hashlib.sha256(json.dumps([searcher.manifest.get("files"), FORMAT, limit, sorted(ids)],
                                        sort_keys=True).encode("utf-8")).hexdigest()
        cached = _read_cache(index_dir, key)
        if cached is not None:
            return cached
        stale = _read_cache(index_dir, None) if reuse_stale else None
        found = {i: v for i, v in (stale or {}).items() if i in set(ids)}
        reused = bool(found)
        # All at once: each posting list is scored once (kb.search.similar_batch), the ranking as kb similar's.
        found.update(similar_elsewhere_many(searcher, [i for i in ids if i not in found], limit))
    # Lists kept from an earlier state are not this state's: only a complete computation earns the key.
    _write_cache(index_dir, key if not reused else "stale", found)
    log.info("kb: similar entries elsewhere for %d entries in %.1fs", len(ids), time.perf_counter() - started)
    return found


def _read_cache(index_dir: Path, key: str | None) -> dict[str, list[str]] | None:
    """The cached lists if they were computed for this key (any key when key is None)."""
    try:
        data = json.loads((index_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    lists = data.get("lists") if isinstance(data, dict) and (key is None or data.get("key") == key) else None
    if not isinstance(lists, dict) or not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists.values()):
        return None
    return lists


def _write_cache(index_dir: Path, key: str, lists: dict[str, list[str]]) -> None:
    temporary = index_dir / f".{CACHE_FILE}.{os.getpid()}"
    try:
        temporary.write_text(json.dumps({"key": key, "lists": lists}), encoding="utf-8")
        os.replace(temporary, index_dir / CACHE_FILE)
    except OSError:  # a read-only index folder: no cache, the next build computes again
        temporary.unlink(missing_ok=True)
