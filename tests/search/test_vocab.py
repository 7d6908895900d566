"""The glossary's split: labels expand a query across languages, `related` terms never do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from kb.content.load import load
from kb.search.engine import search
from kb.search.site_data import site_search_files
from kb.search.vocab import Glossary, Vocab, key

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "base"


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(BASE, root)
    glossary = yaml.safe_load((root / "glossary.yaml").read_text())
    # The base practice is about savings groups: 'kelompok tabungan' names them, 'koperasi' only neighbours them.
    glossary["concepts"].append({"id": "savings-group", "definition": "A group of returnees who save together.",
                                 "labels": {"en": ["savings group"], "id": ["kelompok tabungan"]},
                                 "related": {"id": ["koperasi simpan pinjam"], "th": ["สหกรณ์"]}})
    (root / "glossary.yaml").write_text(yaml.safe_dump(glossary, allow_unicode=True))
    return root


def _ids(content: Path, index_dir: Path, query: str) -> list[str]:
    return [hit.id for hit in search(content, index_dir, query, limit=20).hits]


def test_related_terms_are_known_words_but_never_matched(tmp_path: Path):
    result = load(_tree(tmp_path))
    assert result.errors == []
    glossary = Glossary(Vocab.from_kb(result.kb).concepts)
    assert glossary.find(list(key("kelompok tabungan"))) == [(0, 2, ["savings-group"])]
    assert glossary.find(list(key("koperasi simpan pinjam"))) == []
    assert glossary.find_unspaced("สหกรณ์") == []
    assert {"koperasi", "simpan", "pinjam"} <= glossary.words  # did-you-mean leaves them alone


def test_a_label_finds_the_entry_in_another_language_and_a_related_term_does_not(tmp_path: Path):
    content = _tree(tmp_path)
    assert _ids(content, tmp_path / "index", "kelompok tabungan") == ["test-savings-groups"]
    assert _ids(content, tmp_path / "index", "koperasi simpan pinjam") == []


def test_the_site_search_gets_the_same_split(tmp_path: Path):
    result = load(_tree(tmp_path))
    core = site_search_files(result.kb)["assets/kb-search/core.js"]
    tables = json.loads(core[core.index(",") + 1:core.rindex(")")])["glossary"]
    assert tables["spaced"][" ".join(key("kelompok tabungan"))] == ["savings-group"]
    assert " ".join(key("koperasi simpan pinjam")) not in tables["spaced"]
    assert all("สหกรณ์" != label for label, _ in tables["unspaced"])
