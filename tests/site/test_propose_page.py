"""The propose page without a browser: its fields, its data from the schemas and taxonomy, the contribute page's order."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

from kb.content.load import load
from kb.content.schema import load_schema
from kb.site.plugin import content_edit_url
from kb.site.propose import data_script, propose_data
from kb.site.render import render
from tests.conftest import FIXTURES, REPO

SITE_CONTENT = FIXTURES / "site" / "content"


def test_page_has_the_contract_labels_and_the_preview() -> None:
    page = render(load(SITE_CONTENT).kb, REPO / "templates")["contribute/propose.md"]
    labels = dict(re.findall(r'<label for="([^"]+)">([^<]+)</label>', page))
    assert {"Title", "Summary", "Countries", "Source title", "Source URL"} <= set(labels.values())
    assert "data-kb-yaml" in page
    # Taxonomy labels as choices, scripts by relative path (file:// works).
    assert ">Skills training" in page or "> Skills training" in page
    assert '<script src="../assets/kb-propose-data.js">' in page and '<script src="../assets/kb-propose.js">' in page
    messages = json.loads(page.split("data-kb-propose-messages>")[1].split("</script>")[0])
    assert "too_long" in messages and "{n}" in messages["too_long"]


def test_data_comes_from_the_schemas_and_the_taxonomy() -> None:
    kb = load(SITE_CONTENT).kb
    data = propose_data(kb, repo_url="https://github.com/asean-kb/kb/", contact="")
    assert data["rules"]["title"] == {"min": load_schema("common")["$defs"]["title"]["minLength"],
                                      "max": load_schema("common")["$defs"]["title"]["maxLength"]}
    assert data["rules"]["status"] == load_schema("practice")["properties"]["status"]["enum"]
    assert ["skills-training", "Skills training"] in data["vocabularies"]["themes"]
    assert "index" in data["reserved"] and data["repo_url"] == "https://github.com/asean-kb/kb"
    assert {e[0] for e in data["entries"]} == {e.id for e in kb if e.kind in ("program", "practice")}
    script = data_script(data)
    assert "</script" not in script.lower() and "<" not in script  # a hostile title cannot close the script tag
    assert json.loads(script[len("window.KB_PROPOSE = "):-2])["entries"]


def test_edit_url_points_at_the_entry_file() -> None:
    config = SimpleNamespace(repo_url="https://github.com/asean-kb/kb", edit_uri="edit/main/docs/", docs_dir="/x/docs")
    assert content_edit_url(config, "content/practices/a.yaml") == "https://github.com/asean-kb/kb/edit/main/content/practices/a.yaml"
    assert content_edit_url(SimpleNamespace(repo_url=None, edit_uri="", docs_dir="docs"), "content/a.yaml") is None


def test_contribute_page_leads_with_the_form_then_the_issue_then_git() -> None:
    text = (REPO / "docs" / "contribute" / "index.md").read_text(encoding="utf-8")
    assert "need to know programming" not in text
    form, issue, git = text.index("propose.md"), text.index("New issue"), text.index("pip install")
    assert form < issue < git
    assert (REPO / "mkdocs.yml").read_text(encoding="utf-8").count("contribute/propose.md") == 1
