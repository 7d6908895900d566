"""The MkDocs plugin and `kb build`/`kb render`: real `mkdocs build --strict` runs on the fixture tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.content.load import load
from kb.content.publishing import read_site_url
from kb.site.export import export_files

REPO = Path(__file__).resolve().parents[2]
SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"


def mkdocs_build(content: Path, site: Path, config: Path = REPO / "mkdocs.yml", languages: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1", "KB_LANGUAGES": languages}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(SITE_CONTENT, out, languages="en,id,ms,fil,vi,th")  # every language: hostile content too
    assert result.returncode == 0, result.stderr
    return out


class Scan(HTMLParser):
    """Every element with its attributes, and the text inside script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_build_writes_entry_pages_data_files_and_offline_zip(site: Path) -> None:
    for page in ("index.html", "frameworks/guidelines.html", "countries/id.html", "programs/id-village-programme.html",
                 "practices/ph-hostile-practice.html", "compare/index.html", "browse/index.html", "glossary/index.html",
                 "contribute/fields.html", "data/index.html"):
        assert (site / page).is_file(), page
    kb = load(SITE_CONTENT).kb
    published = read_site_url(REPO / "mkdocs.yml")
    assert published.startswith("https://")
    for name, payload in export_files(kb, site_url=published).items():
        assert (site / "data" / name).read_bytes() == payload  # the same files `kb export --site-url` writes
    with zipfile.ZipFile(site / "downloads" / "asean-reintegration-kb-offline.zip") as archive:
        names = set(archive.namelist())
    assert "asean-reintegration-kb/index.html" in names and "asean-reintegration-kb/assets/kb-search/core.js" in names and "asean-reintegration-kb/search.html" in names
    assert not any(n.endswith(".zip") for n in names)


def test_every_entry_url_is_a_page_of_the_site(site: Path) -> None:
    """The URL that `kb search`, `kb show --json` and the dataset give for an entry is where the site puts it."""
    kb = load(SITE_CONTENT).kb
    assert len(kb) > 3
    for entry in kb:
        assert (site / entry.url).is_file(), entry.url


def test_home_page_counts_come_from_the_content(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<strong>2</strong> national programmes" in home and "<strong>1</strong> good practices" in home
    assert "kb:stats" not in home


def test_navigation_stays_small_entry_pages_are_not_in_it(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="programs/index.html"' in home
    assert "id-village-programme" not in home and "ph-hostile-practice" not in home


def _search_data(site: Path, name: str) -> object:
    text = (site / "assets" / "kb-search" / name).read_text(encoding="utf-8")
    assert text.startswith("KBSEARCH.put(") and "<" not in text  # no text in the data can end a script block
    return json.loads(text[text.index(",") + 1:-3])


def test_search_data_has_every_entry_and_no_listing_page(site: Path) -> None:
    core = _search_data(site, "core.js")
    metas = [row for chunk in range(core["metaChunks"]) for row in _search_data(site, f"meta-{chunk}.js")]
    urls = {m["url"] for m in metas}
    assert "programs/id-village-programme.html" in urls and len(metas) == core["n"]
    assert not {"compare/index.html", "browse/index.html", "programs/index.html", "data/index.html"} & urls
    village = next(m for m in metas if m["id"] == "id-village-programme")
    assert village["title"].startswith("Productive Migrant Village programme") and "entrepreneurship" in village["themes"]
    assert not (site / "search" / "search_index.json").exists()  # Material's lunr search is replaced, not run beside


def test_no_page_carries_live_content_markup(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        scan = Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in scan.elements:
            for name, value in attrs.items():
                assert not (name.startswith("on") and "kbxss" in value), (page, tag, attrs)
                if name in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (page, tag, attrs)
            assert tag not in ("iframe", "object", "embed"), (page, tag)
            assert tag != "form" or attrs.get("class") in ("kb-search-form", "kb-filters", "kb-propose__form"), (page, attrs)  # the site's search and filters only
            if tag == "img":
                assert "kbxss" not in " ".join(attrs.values()), (page, attrs)
        assert not any("kbxss" in s for s in scan.scripts), page
    title = (site / "practices" / "ph-hostile-practice.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
    assert "<" not in title and ">" not in title


def test_content_errors_stop_the_build_and_are_listed(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, root)
    (root / "practices" / "broken.yaml").write_text("id: broken\ntitle: A broken practice\n", encoding="utf-8")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "broken.yaml:1:1: error: missing required field 'summary'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_hand_written_page_cannot_shadow_a_generated_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    (docs / "glossary").mkdir()
    (docs / "glossary" / "index.md").write_text("# Mine\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {docs}")
                      .replace("templates: templates", f"templates: {REPO / 'templates'}"), encoding="utf-8")
    result = mkdocs_build(SITE_CONTENT, tmp_path / "site", config)
    assert result.returncode != 0 and "glossary/index.md is hand-written but the site generates that page" in result.stderr


def test_serve_watches_content_and_templates() -> None:
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    assert str((REPO / "content").resolve()) in config.watch and str((REPO / "templates").resolve()) in config.watch
    assert "assets/javascripts/iframe-worker-shim.js" in config.extra["polyfills"]
    assert not any("unpkg.com" in str(p) for p in config.extra["polyfills"])  # offline: no network scripts


def test_kb_build_validates_indexes_and_builds(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--content", str(SITE_CONTENT), "--site-dir", str(tmp_path / "site"),
                                       "--index", str(tmp_path / "index"), "--no-zip"])
    assert result.exit_code == 0, result.output
    assert "search index rebuilt: 6 entries" in result.output or "search index not available" in result.output
    assert (tmp_path / "site" / "programs" / "id-village-programme.html").is_file()
    assert not (tmp_path / "site" / "downloads" / "asean-reintegration-kb-offline.zip").stat().st_size > 1000


def test_kb_build_lists_every_error_and_builds_nothing(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, root)
    (root / "practices" / "broken.yaml").write_text("id: broken\ntitle: A broken practice\n", encoding="utf-8")
    (root / "practices" / "worse.yaml").write_text("id: worse\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--content", str(root), "--site-dir", str(tmp_path / "site"), "--no-index"])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "worse.yaml" in result.output and "nothing was built" in result.output
    assert not (tmp_path / "site").exists()


def test_kb_render_writes_the_markdown_pages(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", "--content", str(SITE_CONTENT), "--out", str(tmp_path / "pages"),
                                       "--templates", str(REPO / "templates")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pages" / "programs" / "id-village-programme.md").read_text(encoding="utf-8").startswith("---\ntitle:")
    assert len(list((tmp_path / "pages").rglob("*.md"))) == 21  # with contribute/propose.md
