from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.content.load import load
from kb.content.scaffold import slugify


def test_new_practice_is_valid_and_in_place(base_tree: Path) -> None:
    result = CliRunner().invoke(main, ["new", "practice", "--title", "Savings groups for returnees!", "--country", "PH", "--content", str(base_tree)])
    assert result.exit_code == 0, result.output
    path = base_tree / "practices" / "savings-groups-for-returnees.yaml"
    text = path.read_text()
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / first.split("=", 1)[1]).resolve()
    assert schema.name == "practice.schema.json" and schema.exists()
    result = load(base_tree)
    # The skeleton's only problems are its TODO placeholders: errors, so unfinished work never passes.
    assert {p.rule for p in result.problems} == {"placeholder"}
    assert all(p.is_error for p in result.problems)
    assert len(result.problems) == 3  # summary, source title, source url: one message each
    # `reviewed` is left for the editor to set once the facts are checked.
    assert "\nreviewed:" not in text
    filled = text.replace("TODO: one plain paragraph in your own words: what it is, who runs it, for whom.",
                          "Returnees pool savings in groups that lend to members for small businesses.")
    filled = filled.replace("TODO: title of the page you read", "Savings groups report").replace("https://TODO", "https://www.ilo.org/savings")
    path.write_text(filled)
    assert load(base_tree).problems == []


def test_new_program_and_country(base_tree: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["new", "program", "--title", "Desa Migran Produktif", "--country", "id", "--content", str(base_tree)])
    assert result.exit_code == 0, result.output
    assert (base_tree / "programs" / "id" / "id-desa-migran-produktif.yaml").exists()
    result = runner.invoke(main, ["new", "country", "--country", "VN", "--content", str(base_tree)])
    assert result.exit_code == 0, result.output
    assert (base_tree / "countries" / "vn.yaml").exists()
    assert {p.rule for p in load(base_tree).errors} == {"placeholder"}


def test_new_accepts_country_names_as_search_does(base_tree: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["new", "practice", "--title", "Helpdesk for seafarers", "--country", "Philippines",
                                  "--country", "viet nam", "--content", str(base_tree)])
    assert result.exit_code == 0, result.output
    assert "countries: [PH, VN]" in (base_tree / "practices" / "helpdesk-for-seafarers.yaml").read_text()
    result = runner.invoke(main, ["new", "program", "--title", "Loan window", "--country", "Philipines", "--content", str(base_tree)])
    assert result.exit_code == 1 and "did you mean 'Philippines'?" in result.output


def test_new_warns_of_likely_duplicates(base_tree: Path) -> None:
    result = CliRunner().invoke(main, ["new", "program", "--title", "Test Reintegration Centre of Manila", "--country", "PH", "--content", str(base_tree)])
    assert result.exit_code == 0, result.output
    assert "looks like the same thing" in result.output and "ph-test-centre.yaml" in result.output
    quiet = CliRunner().invoke(main, ["new", "program", "--title", "Seafarers' helpline", "--country", "PH", "--content", str(base_tree)])
    assert "looks like the same thing" not in quiet.output


def test_new_refuses_to_run_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "practice", "--title", "Stray entry", "--country", "PH"])
    assert result.exit_code == 1 and "not a content folder" in result.output
    assert not (tmp_path / "content").exists()


def test_new_refuses_reserved_ids(base_tree: Path) -> None:
    result = CliRunner().invoke(main, ["new", "practice", "--title", "Index", "--country", "PH", "--content", str(base_tree)])
    assert result.exit_code == 1 and "page the site generates" in result.output


def test_new_refuses_to_overwrite(base_tree: Path) -> None:
    path = base_tree / "practices" / "test-savings-groups.yaml"
    before = path.read_text()
    result = CliRunner().invoke(main, ["new", "practice", "--title", "Test savings groups", "--country", "PH", "--content", str(base_tree)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert path.read_text() == before


def test_new_rejects_bad_input(base_tree: Path) -> None:
    runner = CliRunner()
    assert "not an ASEAN country code" in runner.invoke(main, ["new", "practice", "--title", "X y z", "--country", "JP", "--content", str(base_tree)]).output
    result = runner.invoke(main, ["new", "practice", "--title", "x", "--id", "../../etc/passwd", "--country", "PH", "--content", str(base_tree)])
    assert result.exit_code == 1 and "lower-case words" in result.output
    assert "--id" in runner.invoke(main, ["new", "practice", "--title", "ออมทรัพย์", "--country", "TH", "--content", str(base_tree)]).output


def test_slugify() -> None:
    assert slugify("Lao động về nước: hỗ trợ") == "lao-ong-ve-nuoc-ho-tro"
    assert len(slugify("word " * 40)) <= 64
    assert not slugify("word " * 40).endswith("-")
