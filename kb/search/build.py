"""Building and updating the index: a full build into a new generation, or a one-file update in place."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from whoosh.index import create_in, open_dir

from kb.content.layout import SECTION, SHARED_FILES
from kb.search.freshness import Changes, compare, read_manifest, scan, write_manifest
from kb.search.storage import (
    _GEN_RE,
    LOCK_WAIT,
    WRITER_OPTIONS,
    IndexFailure,
    _next_generation,
    _whoosh_doc,
    _write_lock,
    current_generation,
    entry_sources,
    schema,
)
from kb.search.vocab import Glossary, Vocab, document


def ensure_index(content: Path, index_dir: Path, *, force: bool = False, wait: float = LOCK_WAIT) -> dict[str, Any]:
    """Build the index, or bring it up to date with the content (incrementally where it can).

    Returns stats: entries, rebuilt (bool), updated (entries added, changed or removed),
    seconds, and reason (why it was rebuilt or updated, or "up to date"). Raises IndexBusy
    when another process holds the index, IndexFailure when the content cannot be read or
    the index folder cannot be written.
    """
    return ensure_index_state(content, index_dir, force=force, wait=wait)[0]


def ensure_index_state(content: Path, index_dir: Path, *, force: bool = False, wait: float = LOCK_WAIT,
                       failed: Path | None = None) -> tuple[dict[str, Any], Path | None, dict[str, Any] | None]:
    """ensure_index's stats, plus the generation it left current and that generation's manifest (so a
    searcher need not read and parse the manifest a second time).

    Args:
        failed: with force, the generation a searcher found damaged. If another process has
            already replaced it (a racing `kb index --force`, or another repair), nothing is
            rebuilt a second time.
    """
    try:
        return _ensure_index(content, index_dir, force=force, wait=wait, failed=failed)
    except OSError as exc:  # a read-only or missing parent folder, a full disk: one line, not a traceback
        raise IndexFailure(f"cannot write the index in {index_dir}: {exc.strerror or exc}") from None


def _ensure_index(content: Path, index_dir: Path, *, force: bool, wait: float,
                  failed: Path | None = None) -> tuple[dict[str, Any], Path | None, dict[str, Any] | None]:
    started = time.perf_counter()
    content, index_dir = Path(content), Path(index_dir)
    if not content.is_dir():
        raise IndexFailure(f"content folder '{content}' not found; run from the project folder or pass --content")
    if not force:
        generation, manifest, changes = _state(content, index_dir)
        if changes is not None and not changes:
            clean_abandoned(index_dir)
            return _stats(manifest, False, 0, started, "up to date"), generation, manifest
    with _write_lock(index_dir, wait):
        _remove_abandoned(index_dir)
        generation, manifest, changes = _state(content, index_dir)  # again: another writer may have just finished
        if force and failed is not None and generation != failed:
            force = False  # another process already replaced the damaged generation
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


def _abandoned(index_dir: Path) -> list[Path]:
    try:
        return [p for p in index_dir.iterdir() if p.name.endswith(".building") and _GEN_RE.match(p.name.split(".")[0])]
    except OSError:
        return []


def _remove_abandoned(index_dir: Path) -> None:
    """Delete build folders left by killed builds (the caller holds the write lock, so none is in use)."""
    for folder in _abandoned(index_dir):
        shutil.rmtree(folder, ignore_errors=True)


def clean_abandoned(index_dir: Path) -> None:
    """Delete leftover `gNNNNNN.building` folders if no other process is writing; never waits."""
    if _abandoned(index_dir):
        try:
            with _write_lock(index_dir, 0):
                _remove_abandoned(index_dir)
        except (IndexFailure, OSError):
            pass  # a build is running (its folder is in use) or the folder is read-only: leave it


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
    from kb.content.load import load  # only a stale index pays for YAML parsing

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
        writer.add_document(**_whoosh_doc({**document(entry, vocab, glossary), "sources": entry_sources(entry)}))
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
    from kb.content.load import entry_from, read_file

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
            writer.update_document(**_whoosh_doc({**document(entry, vocab, glossary), "sources": entry_sources(entry)}))
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


