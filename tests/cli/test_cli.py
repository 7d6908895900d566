"""The core `kb` commands through click's CliRunner: validate, show, stats."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from kb.cli.main import main


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_validate_clean_tree_exits_0(base_tree: Path) -> None:
    result = run("validate", "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_validate_reports_every_file_and_exits_1_without_writing(base_tree: Path) -> None:
    (base_tree / "practices" / "a.yaml").write_text("id: a\nthemes: [gendr]\n")
    (base_tree / "practices" / "b.yaml").write_bytes(b"id: b\x00\n")
    (base_tree / "practices" / "c.yaml").write_text("- not a mapping\n")
    before = snapshot(base_tree.parent)
    result = run("validate", "--content", str(base_tree))
    assert result.exit_code == 1
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert any("a.yaml:2:10: error: 'gendr' is not a theme; did you mean 'gender'? [taxonomy]" in line for line in lines)
    assert any("b.yaml:1:6: error:" in line and "[control-char]" in line for line in lines)
    assert any("c.yaml:1:1: error:" in line and "[not-mapping]" in line for line in lines)
    assert snapshot(base_tree.parent) == before


def test_validate_paths_limits_the_report(base_tree: Path) -> None:
    bad = base_tree / "practices" / "a.yaml"
    bad.write_text("id: a\n")
    other = base_tree / "practices" / "test-savings-groups.yaml"
    result = run("validate", "--content", str(base_tree), str(other))
    assert result.exit_code == 0, result.output
    result = run("validate", "--content", str(base_tree), str(bad))
    assert result.exit_code == 1
    assert "a.yaml" in result.output


def test_validate_json_format(base_tree: Path) -> None:
    (base_tree / "practices" / "a.yaml").write_text("id: a\n")
    result = run("validate", "--content", str(base_tree), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] >= 1
    assert {"path", "line", "column", "level", "message", "rule"} <= set(data["problems"][0])


def test_validate_github_annotations(base_tree: Path) -> None:
    (base_tree / "practices" / "a.yaml").write_text("id: a\nthemes: [gendr]\n")
    result = run("validate", "--content", str(base_tree), "--format", "github")
    assert result.exit_code == 1
    assert any(line.startswith("::error file=") and ",line=2,col=10,title=taxonomy::" in line for line in result.output.splitlines())


def test_stale_is_a_warning_and_strict_fails(base_tree: Path) -> None:
    path = base_tree / "practices" / "test-savings-groups.yaml"
    path.write_text(path.read_text().replace('reviewed: "2026-11-01"', 'reviewed: "2019-01-01"'))
    result = run("validate", "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "[stale]" in result.output
    assert run("validate", "--content", str(base_tree), "--strict").exit_code == 1
    assert "[stale]" not in run("validate", "--content", str(base_tree), "--stale-days", "100000").output


def test_missing_content_folder_is_one_line(tmp_path: Path) -> None:
    result = run("validate", "--content", str(tmp_path / "nope"))
    assert result.exit_code != 0
    assert "not found" in result.output
    assert "Traceback" not in result.output


def test_symlink_is_refused(base_tree: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n")
    os.symlink(secret, base_tree / "practices" / "secret.yaml")
    result = run("validate", "--content", str(base_tree))
    assert result.exit_code == 1
    assert "symbolic links are not allowed" in result.output


def test_show_prints_entry(base_tree: Path) -> None:
    result = run("show", "ph-test-centre", "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    assert "Test reintegration centre" in result.output
    assert "Philippines (PH)" in result.output
    assert "https://www.ilo.org/centre" in result.output


def test_show_unknown_id_suggests(base_tree: Path) -> None:
    result = run("show", "ph-test-centr", "--content", str(base_tree))
    assert result.exit_code == 1
    assert "did you mean 'ph-test-centre'" in result.output


def test_show_json(base_tree: Path) -> None:
    result = run("show", "test-savings-groups", "--json", "--content", str(base_tree))
    assert json.loads(result.output)["countries"] == ["PH"]


def test_stats_counts(base_tree: Path) -> None:
    result = run("stats", "--json", "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["types"] == {"country": 2, "framework": 1, "practice": 1, "program": 1}
    assert counts["countries"] == {"PH": 2}
    assert counts["themes"]["entrepreneurship"] == 1
    assert counts["concepts"] == 1


def test_filesystem_errors_are_one_line(base_tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("new", "practice", "--title", "Savings groups", "--country", "PH", "--content", str(blocker / "content"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert not isinstance(result.exception, OSError)
