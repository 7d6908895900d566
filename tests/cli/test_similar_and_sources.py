"""`kb search --json` with sources and absolute urls, `kb similar ID --country XX` (issue 13), through CliRunner."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.content.load import load

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "content"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path


def run(project: Path, *args: str, **env: str):
    return CliRunner().invoke(main, [*args, "--content", str(project / "content"), "--index", str(project / "index")], env=env or None)


def test_search_json_gives_each_result_its_numbered_sources(project: Path) -> None:
    result = run(project, "search", "savings", "--json")
    assert result.exit_code == 0, result.output
    kb = load(project / "content").kb
    hits = json.loads(result.stdout)["results"]
    assert hits
    for hit in hits:
        expected = [{k: str(v) for k, v in s.items() if k in ("title", "url", "publisher", "date", "accessed")} for s in kb.get(hit["id"]).data["sources"]]
        assert hit["sources"] == expected, hit["id"]
    assert hits[0]["sources"][0]["url"].startswith("https://")


def test_search_urls_are_absolute_under_the_site_url_of_the_project(project: Path) -> None:
    result = run(project, "search", "savings", "--json")
    assert json.loads(result.stdout)["results"][0]["url"].startswith("programs/")  # no mkdocs.yml: relative
    (project / "mkdocs.yml").write_text("site_name: x\nsite_url: https://kb.example.org/sub/  # the publisher's address\n", encoding="utf-8")
    result = run(project, "search", "savings", "--json")
    first = json.loads(result.stdout)["results"][0]
    assert first["url"] == f"https://kb.example.org/sub/programs/{first['id']}.html"
    result = run(project, "search", "savings", "--json", KB_SITE_URL="https://mirror.example.net")
    assert json.loads(result.stdout)["results"][0]["url"].startswith("https://mirror.example.net/programs/")
    result = run(project, "similar", "ph-savings-club", "--json")
    assert all(h["url"].startswith("https://kb.example.org/sub/") for h in json.loads(result.stdout)["results"])


def test_similar_country_keeps_the_ranking_and_only_that_country(project: Path) -> None:
    every = run(project, "similar", "ph-savings-club", "--json", "--limit", "50")
    assert every.exit_code == 0, every.output
    ranked = json.loads(every.stdout)["results"]
    for code in ("ID", "TH"):
        result = run(project, "similar", "ph-savings-club", "--country", code.lower(), "--json", "--limit", "50")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        ids = [h["id"] for h in data["results"]]
        assert ids, code
        assert ids == [h["id"] for h in ranked if code in h["countries"]], code  # same query, same order, filtered
        assert f"country:{code}" in data["query"]
    result = run(project, "similar", "ph-savings-club", "--country", "ID", "--country", "VN", "--json", "--limit", "50")
    assert {c for h in json.loads(result.stdout)["results"] for c in h["countries"]} & {"ID", "VN"}


def test_similar_unknown_country_or_entry_is_one_line(project: Path) -> None:
    result = run(project, "similar", "ph-savings-club", "--country", "XX")
    assert result.exit_code == 1 and "unknown country 'XX'" in result.output and "Traceback" not in result.output
    result = run(project, "similar", "no-such-entry", "--country", "PH")
    assert result.exit_code == 1 and "no entry 'no-such-entry'" in result.output


def test_search_path_stays_light_with_site_url_and_sources(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_url: https://kb.example.org/\n", encoding="utf-8")
    paths = ["--content", str(project / "content"), "--index", str(project / "index")]
    code = ("import sys; from kb.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('yaml', 'jsonschema', 'jinja2', 'mkdocs', 'markdown', 'nh3', 'kb.content.load') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    subprocess.run([sys.executable, "-m", "kb", "index", *paths], check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-c", code, "search", "savings", "--json", *paths], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in proc.stdout and "https://kb.example.org/programs/" in proc.stdout, proc.stdout + proc.stderr
