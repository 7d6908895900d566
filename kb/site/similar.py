"""The "similar elsewhere" lists of entry pages, computed at build time by `kb similar`'s own query.

The site build asks the search index (kb.search, which alone imports Whoosh) once per programme
and practice; the renderer receives plain lists of ids and stays a pure function of its inputs.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.kb")
SIMILAR_LIMIT = 5


def similar_elsewhere_ids(content: Path, index_dir: Path | None, ids: list[str], limit: int = SIMILAR_LIMIT) -> dict[str, list[str]]:
    """{entry id: ids of the programmes and practices most like it in other countries}, for the given ids.

    index_dir None: a throwaway index in a temporary folder (another content tree must not replace the
    project's own index). The index is brought up to date first, as `kb search` does.
    """
    if index_dir is None:
        with tempfile.TemporaryDirectory(prefix="kb-site-index-") as folder:
            return _similar(content, Path(folder), ids, limit)
    return _similar(content, index_dir, ids, limit)


def _similar(content: Path, index_dir: Path, ids: list[str], limit: int) -> dict[str, list[str]]:
    from kb.search.engine import similar_elsewhere
    from kb.search.searcher import open_searcher
    from kb.search.storage import UnknownEntry

    started = time.perf_counter()
    found: dict[str, list[str]] = {}
    with open_searcher(content, index_dir) as searcher:
        for entry_id in ids:
            try:
                found[entry_id] = [hit.id for hit in similar_elsewhere(searcher, entry_id, limit)]
            except UnknownEntry:  # a file the index skipped: no list, the page still builds
                found[entry_id] = []
    log.info("kb: similar entries elsewhere for %d entries in %.1fs", len(ids), time.perf_counter() - started)
    return found
