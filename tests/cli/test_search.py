"""`kb index`, `kb search`, `kb similar`, `kb eval` through click's CliRunner and a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "content"


@pytest.fixture
def paths(tmp_path: Path) -> list[str]:
    shutil.copytree(FIXTURE, tmp_path / "content")
    return ["--content", str(tmp_path / "content"), "--index", str(tmp_path / "index")]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_search_json_contract(paths):
    result = run("search", "financial literacy for domestic workers", "--json", *paths)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"results", "total", "facets", "suggestion"} <= set(data)
    first = data["results"][0]
    assert {"id", "type", "title", "score", "url", "snippet"} <= set(first)
    assert first["id"] == "ph-savings-club"
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert data["facets"]["country"]["PH"] >= 1


def test_search_text_csv_facets_and_rebuild_message(paths):
    result = run("search", "kasambahay", *paths)
    assert result.exit_code == 0, result.output
    assert "ph-savings-club" in result.stdout and "index rebuilt" in result.stderr
    rows = list(csv.reader(io.StringIO(run("search", "returning", "--csv", "--limit", "2", *paths).stdout)))
    assert rows[0][:3] == ["rank", "id", "type"] and len(rows) == 3
    facets = run("search", "returning", "--facets", "--country", "PH", *paths).stdout
    assert "country: PH" in facets and "type:" in facets


def test_filters_options(paths):
    result = run("search", "*", "--type", "practice", "--target-group", "seafarers", "--json", *paths)
    assert [r["id"] for r in json.loads(result.stdout)["results"]] == ["seafarer-skills"]


@pytest.mark.parametrize(("args", "message"), [
    (["search", "x", "--theme", "entrepreneurshp"], "did you mean 'entrepreneurship'"),
    (["search", "x", "--type", "blog"], "unknown type 'blog'"),
    (["search", "x", "--json", "--csv"], "choose one of --json and --csv"),
    (["similar", "nope"], "no entry 'nope'"),
])
def test_user_errors_are_one_line(paths, args, message):
    result = run(*args, *paths)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_missing_content_folder(tmp_path: Path):
    result = run("search", "x", "--content", str(tmp_path / "nowhere"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and "content folder" in result.output


def test_index_command_and_similar(paths):
    first = run("index", *paths)
    assert first.exit_code == 0 and "index rebuilt: 7 entries" in first.output
    assert "up to date" in run("index", *paths).output
    assert "index rebuilt" in run("index", "--force", *paths).output
    similar = run("similar", "id-village-entrepreneurs", "--limit", "2", "--json", *paths)
    assert len(json.loads(similar.stdout)["results"]) == 2


def test_eval_command(paths, tmp_path: Path):
    queries = tmp_path / "q.yaml"
    # Indonesian for "domestic worker": only the glossary links it to the English entry
    queries.write_text("queries:\n  - query: pekerja rumah tangga\n    relevant: {ph-savings-club: 3}\n", "utf-8")
    result = run("eval", str(queries), "--baseline", "--json", *paths)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["search"]["mrr"] == 1.0 and report["baseline"]["mrr"] == 0.0
    broken = tmp_path / "broken.yaml"
    broken.write_text("queries:\n  - query: x\n    relevant: {a: 9}\n", "utf-8")
    assert "grades must be whole numbers 0-3" in run("eval", str(broken), *paths).output


@pytest.mark.parametrize("query", ["(" * 1000, "\u202e😀\u200b", "x" * 20000, "*", '"'])
def test_hostile_queries_in_a_real_process(paths, query):
    proc = subprocess.run([sys.executable, "-m", "kb", "search", query, *paths], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_search_path_does_not_import_heavy_modules(paths):
    code = ("import sys; from kb.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('yaml', 'jsonschema', 'jinja2', 'mkdocs', 'markdown', 'nh3', 'kb.content.load') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    subprocess.run([sys.executable, "-m", "kb", "index", *paths], check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-c", code, "search", "savings", *paths], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr


def test_unwritable_index_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("search", "training", "--content", str(FIXTURE), "--index", str(blocker / "index"))
    assert result.exit_code == 1
    assert "cannot write the index" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError)


def test_quick_exit_delivers_every_byte_and_the_exit_code(paths):
    """`kb search` ends without interpreter teardown (kb.__main__.run); its output must still be complete."""
    big = subprocess.run([sys.executable, "-m", "kb", "search", "*", "--json", "--limit", "500", *paths],
                         capture_output=True, text=True, timeout=60)
    assert big.returncode == 0, big.stderr
    data = json.loads(big.stdout)  # the whole document arrived
    assert len(data["results"]) == data["total"] > 3
    bad_filter = subprocess.run([sys.executable, "-m", "kb", "search", "x", "--country", "XX", *paths], capture_output=True, text=True, timeout=60)
    assert bad_filter.returncode == 1 and "XX" in bad_filter.stderr and "Traceback" not in bad_filter.stderr
    usage = subprocess.run([sys.executable, "-m", "kb", "search", "x", "--limit", "0", *paths], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "--limit" in usage.stderr


def test_reader_closing_the_pipe_early_is_quiet(paths):
    proc = subprocess.Popen([sys.executable, "-m", "kb", "search", "*", "--csv", "--limit", "500", *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr


@pytest.mark.parametrize(("command", "tears_down"), [(["search", "savings"], False), (["similar", "seafarer-skills"], False),
                                                     (["index"], True)])
def test_only_read_only_queries_skip_interpreter_teardown(paths, command, tears_down):
    code = ("import atexit, sys\natexit.register(lambda: print('TEARDOWN', flush=True))\n"
            "from kb.__main__ import run\nsys.argv = ['kb', *sys.argv[1:]]\nrun()")
    proc = subprocess.run([sys.executable, "-c", code, *command, *paths], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert ("TEARDOWN" in proc.stdout) is tears_down, proc.stdout + proc.stderr


def test_lang_shows_titles_and_summaries_in_that_language_where_they_exist(paths):
    result = run("search", "village entrepreneurs", "--lang", "id", "--json", *paths)
    assert result.exit_code == 0, result.output
    hits = {h["id"]: h for h in json.loads(result.stdout)["results"]}
    hit = hits["id-village-entrepreneurs"]
    assert hit["title"] == "Pelatihan wirausaha desa untuk purna pekerja migran"
    assert hit["snippet"].startswith("Dinas tenaga kerja melatih") and hit["snippet"].endswith("(draft translation)")
    english = json.loads(run("search", "village entrepreneurs", "--json", *paths).stdout)["results"]
    assert next(h for h in english if h["id"] == "id-village-entrepreneurs")["title"] != hit["title"]
    untranslated = [h for h in hits.values() if "id" not in h["translations"]]
    assert all("(draft translation)" not in h["snippet"] for h in untranslated)  # English where there is none
    assert run("search", "x", "--lang", "xx", *paths).exit_code == 2


def test_show_lang_prints_the_translation_and_says_when_there_is_none(paths):
    result = run("show", "id-village-entrepreneurs", "--lang", "id", "--content", paths[1])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Pelatihan wirausaha desa untuk purna pekerja migran"
    assert any(line.startswith("English: ") and "draft translation" in line for line in lines)
    assert "Dinas tenaga kerja melatih" in result.stdout
    result = run("show", "id-village-entrepreneurs", "--lang", "vi", "--content", paths[1])
    assert result.exit_code == 0 and "has no translation into vi" in result.stderr
