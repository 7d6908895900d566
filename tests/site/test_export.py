"""kb.site.export and `kb export`: the dataset files the site offers for download."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from kb.cli.main import main
from kb.content.load import load
from kb.site.export import cell, export_files

SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"


def _rows(payload: bytes) -> list[dict[str, str]]:
    text = payload.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_json_holds_every_entry_with_type_url_taxonomy_and_glossary() -> None:
    data = json.loads(export_files(load(SITE_CONTENT).kb, ("json",))["knowledge-base.json"])
    ids = {e["id"]: e for e in data["entries"]}
    assert set(ids) == {"guidelines", "id", "ph", "id-village-programme", "ph-reintegration-centre", "ph-hostile-practice"}
    assert ids["id-village-programme"]["type"] == "program" and ids["id-village-programme"]["url"] == "programs/id-village-programme.html"
    assert ids["id-village-programme"]["translations"]["id"]["title"] == "Program Desa Migran Produktif"
    assert data["counts"] == {"framework": 1, "country": 2, "program": 2, "practice": 1}
    assert {t["id"] for t in data["taxonomy"]["phases"]} >= {"return", "post-return"}
    assert [c["id"] for c in data["glossary"]] == ["returnee", "reintegration"]


def test_csv_files_have_one_row_per_entry_source_and_label() -> None:
    files = export_files(load(SITE_CONTENT).kb, ("csv",))
    assert set(files) == {"entries.csv", "sources.csv", "criteria.csv", "glossary.csv", "compare-themes.csv", "compare-phases.csv",
                          "compare-target-groups.csv"}
    entries = {r["id"]: r for r in _rows(files["entries.csv"])}
    assert len(entries) == 6
    assert entries["ph-hostile-practice"]["countries"] == "PH; ID"
    assert entries["id-village-programme"]["themes"] == "entrepreneurship; cooperatives; community-engagement; health"
    sources = _rows(files["sources.csv"])
    assert len(sources) == 7 and {"entry_id": "id-village-programme", "publisher": "Suara.com"}.items() <= next(
        s for s in sources if s["entry_id"] == "id-village-programme").items()
    glossary = _rows(files["glossary.csv"])
    assert {"concept_id": "returnee", "language": "th", "language_name": "Thai", "label": "แรงงานคืนถิ่น"}.items() <= next(
        g for g in glossary if g["language"] == "th").items()
    assert sum(g["concept_id"] == "returnee" and g["kind"] == "label" for g in glossary) == 7
    assert [(g["label"], g["kind"]) for g in glossary if g["concept_id"] == "returnee" and g["kind"] != "label"] == [("BP2MI", "related")]


def test_spreadsheet_formulas_are_kept_as_text() -> None:
    assert cell("=HYPERLINK(\"https://evil\")") == "'=HYPERLINK(\"https://evil\")"
    assert cell("+1") == "'+1" and cell("@SUM(A1)") == "'@SUM(A1)" and cell("-x") == "'-x"
    assert cell(-5) == "-5" and cell(["a", "b"]) == "a; b" and cell(None) == "" and cell(True) == "true"


def test_cli_export_writes_the_chosen_formats(tmp_path: Path) -> None:
    out = tmp_path / "data"
    result = CliRunner().invoke(main, ["export", "--content", str(SITE_CONTENT), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["compare-phases.csv", "compare-target-groups.csv", "compare-themes.csv", "criteria.csv",
                                                     "entries.csv", "glossary.csv", "sources.csv"]
    result = CliRunner().invoke(main, ["export", "--content", str(SITE_CONTENT), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "knowledge-base.json").read_bytes() == export_files(load(SITE_CONTENT).kb, ("json",))["knowledge-base.json"]


def test_cli_export_refuses_content_with_errors_and_keeps_old_files(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, root)
    (root / "practices" / "broken.yaml").write_text("id: broken\ntitle: x\n", encoding="utf-8")
    out = tmp_path / "data"
    out.mkdir()
    (out / "entries.csv").write_text("old", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--content", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "error(s)" in result.output and "Traceback" not in result.output
    assert (out / "entries.csv").read_text(encoding="utf-8") == "old"


def test_entries_csv_has_a_title_summary_and_status_column_per_language() -> None:
    from kb.site.export import TRANSLATED

    files = export_files(load(SITE_CONTENT).kb)
    rows = {r["id"]: r for r in _rows(files["entries.csv"])}
    practice = rows["ph-hostile-practice"]
    assert practice["title_id"] == "Kelompok tabungan purna pekerja migran" and practice["translation_status_id"] == "draft"
    assert practice["title_vi"].startswith("Nhóm tiết kiệm") and practice["title_th"] == "" and practice["translation_status_th"] == ""
    assert all(f"summary_{code}" in practice for code in TRANSLATED)
