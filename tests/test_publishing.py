"""Publishing (issue 13): site_url as the one setting, the content licence, CITATION.cff and the publish workflow."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.content.load import load
from kb.content.publishing import dataset_version, generated_date, read_site_url, site_url

REPO = Path(__file__).resolve().parents[1]


def test_site_url_is_set_once_and_documented() -> None:
    url = read_site_url(REPO / "mkdocs.yml")
    assert url == yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))["site_url"]
    assert url.startswith("https://") and url.endswith("/")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`site_url` in `mkdocs.yml` is the one setting a publisher changes" in readme


@pytest.mark.parametrize(("text", "expected"), [
    ("site_url: https://a.example/kb/\n", "https://a.example/kb/"),
    ("site_name: x\nsite_url: 'https://a.example' # where it lives\n", "https://a.example"),
    ('site_url: "http://a.example/x"\n', "http://a.example/x"),
    ("# site_url: https://commented.example/\n", ""),
    ("  site_url: https://nested.example/\n", ""),
    ("site_url: javascript:alert(1)\n", ""),
    ("site_url:\n", ""),
])
def test_read_site_url(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert read_site_url(tmp_path / "mkdocs.yml") == expected
    (tmp_path / "content").mkdir()
    assert site_url(tmp_path / "content") == (expected.rstrip("/") + "/" if expected else "")


def test_site_url_environment_wins_and_missing_file_is_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_site_url(tmp_path / "missing.yml") == ""
    monkeypatch.setenv("KB_SITE_URL", "https://env.example/kb")
    assert site_url(tmp_path) == "https://env.example/kb/"


def test_generated_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("KB_DATASET_VERSION", raising=False)
    assert generated_date() == "2023-11-14" and dataset_version("2023-11-14") == "2023-11-14"
    monkeypatch.setenv("KB_DATASET_VERSION", "v1.2.0")
    assert dataset_version("2023-11-14") == "v1.2.0"


def test_content_is_cc_by_and_the_loader_ignores_the_licence_files() -> None:
    licence = (REPO / "content" / "LICENSE").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International" in licence and "MIT" in licence
    assert "CC BY 4.0" in (REPO / "content" / "README.md").read_text(encoding="utf-8")
    result = load(REPO / "content")
    assert not any(p.path.endswith(("LICENSE", "README.md")) for p in result.problems)
    assert "CC BY 4.0" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")  # the footer of every page


def test_citation_cff_names_the_dataset_licence_and_address() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    assert cff["title"] == "ASEAN Return and Reintegration Knowledge Base" and cff["authors"]
    assert cff["url"] == read_site_url(REPO / "mkdocs.yml")


def test_publish_workflow_builds_deploys_and_attaches_the_dataset() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and triggers["push"]["tags"] == ["v*"]
    build = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in build]
    assert any(r.strip() == "kb build" for r in runs)
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") and s["with"]["path"] == "site" for s in build)
    assert any("kb export" in r and "date -u +%Y-%m-%d" in r and "zip" in r for r in runs)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.ref == 'refs/heads/main'" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    release = workflow["jobs"]["release"]
    assert release["if"].startswith("startsWith(github.ref, 'refs/tags/')") and release["permissions"] == {"contents": "write"}
    assert any("gh release upload" in s.get("run", "") for s in release["steps"])
