"""kb.site.offline: the zip packed folder by folder, replacing the old one only when complete; shared files linked."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kb.site.offline import ZipPacker, link_shared_files

ZIP = "downloads/site.zip"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, text in {"index.html": "en", "assets/kb-search/core.js": "core", "id/index.html": "id",
                       "id/downloads/site.zip": "stand-in", ZIP: "old zip"}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    return site


def test_packs_the_root_then_a_language_leaving_out_every_copy_of_the_zip(tmp_path: Path) -> None:
    site = _site(tmp_path)
    packer = ZipPacker(site, site / ZIP)
    packer.add_tree(site, skip_folders={"id"})
    packer.add_tree(site / "id")
    packer.close()
    with zipfile.ZipFile(site / ZIP) as archive:
        assert sorted(archive.namelist()) == ["asean-reintegration-kb/assets/kb-search/core.js", "asean-reintegration-kb/id/index.html",
                                              "asean-reintegration-kb/index.html"]
        assert archive.read("asean-reintegration-kb/id/index.html") == b"id"
    assert not (site / "downloads" / "site.zip.tmp").exists()


def test_a_failure_half_way_keeps_the_previous_zip(tmp_path: Path) -> None:
    site = _site(tmp_path)
    packer = ZipPacker(site, site / ZIP)
    packer.add_tree(site, skip_folders={"id"})
    packer.discard()  # what the plugin does when a language's build fails
    assert (site / ZIP).read_text(encoding="utf-8") == "old zip"
    assert not (site / "downloads" / "site.zip.tmp").exists()


def test_shared_files_are_linked_into_a_language_folder(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "id" / "assets" / "kb-search").mkdir(parents=True)
    (site / "id" / "assets" / "kb-search" / "core.js").write_text("stale", encoding="utf-8")
    link_shared_files(site, "id", ["assets/kb-search/core.js"])
    copy = site / "id" / "assets" / "kb-search" / "core.js"
    assert copy.read_text(encoding="utf-8") == "core" and copy.stat().st_ino == (site / "assets/kb-search/core.js").stat().st_ino
