"""Cheap staleness check: compare the sizes and mtimes of content files with those recorded at the last build.

Only os.stat: no file is read, so `kb search` on an up-to-date index never pays for parsing.
The manifest is JSON beside the index; it records, per content file, its size, mtime and the
id of the entry it produced (so a deleted file can be removed from the index).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

from kb.content.layout import ENTRY_FOLDERS, SHARED_FILES  # a change in a shared file changes every document

FORMAT = 10  # bump when the schema, analyzers or documents change: forces a rebuild
MANIFEST = "kb-manifest.json"


def scan(content: Path) -> dict[str, list[int]]:
    """Relative path -> [size, mtime_ns] of every file kb.content.load would read as content."""
    found: dict[str, list[int]] = {}

    def add(path: str, rel: str) -> None:
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            return
        if S_ISREG(st.st_mode):  # lstat: a symlink is not a regular file, so it is skipped as kb.content.load skips it
            found[rel] = [st.st_size, st.st_mtime_ns]

    root = str(content)
    for name in SHARED_FILES:
        add(os.path.join(root, name), name)
    for folder in ENTRY_FOLDERS:
        _scan_folder(os.path.join(root, folder), folder, add)
    programs = os.path.join(root, "programs")
    try:
        countries = sorted(e.name for e in os.scandir(programs) if e.is_dir(follow_symlinks=False) and not e.name.startswith("."))
    except OSError:
        countries = []
    for country in countries:
        _scan_folder(os.path.join(programs, country), f"programs/{country}", add)
    return found


def _scan_folder(folder: str, rel: str, add: Any) -> None:
    try:
        names = sorted(e.name for e in os.scandir(folder))
    except OSError:
        return
    for name in names:
        # A name with control characters or bytes that are not UTF-8 is refused by kb.content.load (and
        # could not be written to the JSON manifest): skipped here too.
        if name.endswith(".yaml") and not name.startswith(".") and name.isprintable():
            add(os.path.join(folder, name), f"{rel}/{name}")


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def shared(self) -> bool:
        """Whether the taxonomy or glossary changed (every document depends on them)."""
        return any(p in SHARED_FILES for p in self.added + self.changed + self.removed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def compare(recorded: dict[str, Any], current: dict[str, list[int]]) -> Changes:
    """What changed between the recorded file stats and the current ones."""
    changes = Changes()
    for rel, stat in current.items():
        old = recorded.get(rel)
        if old is None:
            changes.added.append(rel)
        elif list(old.get("stat", [])) != stat:
            changes.changed.append(rel)
    changes.removed = sorted(set(recorded) - set(current))
    return changes


_CACHE: dict[str, tuple[tuple[int, int], Any]] = {}  # path -> ((size, mtime_ns), data): one read per process


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an index generation, or None when missing, unreadable or of another format."""
    path = str(folder / MANIFEST)
    try:
        st = os.stat(path)
        cached = _CACHE.get(path)
        if cached and cached[0] == (st.st_size, st.st_mtime_ns):
            data = cached[1]
        else:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            _CACHE[path] = ((st.st_size, st.st_mtime_ns), data)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
        return None
    return data


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (a crash leaves the old one or the new one, never half)."""
    manifest = {**manifest, "format": FORMAT}
    tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False)
    os.replace(tmp, folder / MANIFEST)
