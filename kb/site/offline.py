"""The offline zip of the whole multilingual site, and the files every language shares.

Used by the plugin once the English pages are written: the zip takes the English site first, then each
language's folder as that language's build finishes (kb.site.languages), so that little is left to pack
when the last language is done.
"""

from __future__ import annotations

import logging
import os
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.kb")
TOP_FOLDER = "asean-reintegration-kb"  # what the zip unpacks to


def link_shared_files(site: Path, language: str, paths: Iterable[str]) -> None:
    """The English build's copies of files every language has (the search data) into a language's folder."""
    for path in paths:
        source, copy = site / path, site / language / path
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.unlink(missing_ok=True)
        try:
            os.link(source, copy)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, copy)


class ZipPacker:
    """The offline zip, written folder by folder into a temporary file that replaces the target only once complete."""

    def __init__(self, site: Path, target: Path) -> None:
        self.root, self.target = site, target
        self.temporary = target.with_name(target.name + ".tmp")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.archive = zipfile.ZipFile(self.temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)

    def add_tree(self, folder: Path, skip_folders: Iterable[str] = ()) -> None:
        """Every file below folder (the zip itself, its copies and symlinks left out; skip_folders: top-level folders left out)."""
        skipped = set(skip_folders)
        for current, dirs, names in os.walk(folder):
            if Path(current) == folder:
                dirs[:] = [d for d in dirs if d not in skipped]
            dirs.sort()
            for name in sorted(names):
                path = Path(current, name)
                if name in (self.target.name, self.temporary.name) or path.is_symlink():
                    continue
                self.archive.write(path, Path(TOP_FOLDER, path.relative_to(self.root)).as_posix())

    def close(self) -> Path:
        self.archive.close()
        self.temporary.replace(self.target)
        log.info("kb: offline zip written to %s (%.1f MB)", self.target, self.target.stat().st_size / 1e6)
        return self.target

    def discard(self) -> None:
        self.archive.close()
        self.temporary.unlink(missing_ok=True)

