"""Issue 13 on the built site: permalinks and licence, "Cite this page", compare CSVs, criteria and GCM objectives,
"similar elsewhere" (the same query as `kb similar`), the framework's text link, and the small breakages
(theme anchors, entry ids in backticks, caveats, the offline zip's link, the glossary's A-Z and uses).

One real `mkdocs build --strict` of the site fixture plus a practice and a framework text link added here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.content.load import load
from kb.content.publishing import read_site_url
from tests.site.conftest import REPO, build_site

SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"
SITE_URL = read_site_url(REPO / "mkdocs.yml")
CRITERIA = """
criteria:
  - id: effectiveness
    label: Effectiveness
    description: A source documents a result.
    origin: "ILO good-practice criteria: effectiveness"
  - id: partnership
    label: Partnership
    description: Several kinds of bodies work together.
    origin: "GCM guiding principles: whole-of-society"
"""
PRACTICE = """id: id-savings-groups
title: Savings groups for returned domestic workers
countries: [ID]
summary: Returned domestic workers save together, learn financial literacy and get training and loans for small businesses.
description: |
  Groups meet every month; a trainer teaches saving and bookkeeping.[^1] It copies the model of
  `ph-reintegration-centre`, and `not-an-entry` stays code.
themes: [access-to-finance, skills-training]
phases: [post-return]
target_groups: [domestic-workers]
gcm_objectives: [21, 20]
criteria:
  effectiveness: "An evaluation counted 300 members who saved every month.[^2]"
  partnership: "A bank, a union and the village government run it together.[^1]"
caveats:
  - "The `members` count is from one district; *other districts* were not checked."
reviewed: "2026-01-15"
sources:
  - title: Fixture source on the groups
    url: https://www.ilo.org/groups
    publisher: Example Foundation
    date: "2024-03"
    accessed: "2026-01-15"
  - title: Fixture evaluation
    url: https://www.ilo.org/evaluation
"""


class Anchors(HTMLParser):
    """Every id and every link of a page, and the text of the Similar elsewhere section."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a":
            self._href, self._text = values.get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def parse(path: Path) -> Anchors:
    parser = Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def section(html: str, heading_id: str) -> str:
    """The HTML from a heading to the next h2."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start:end if end != -1 else len(html)]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("citable") / "content"
    shutil.copytree(SITE_CONTENT, root)
    (root / "taxonomy.yaml").write_text((root / "taxonomy.yaml").read_text(encoding="utf-8") + CRITERIA, encoding="utf-8")
    (root / "practices" / "id-savings-groups.yaml").write_text(PRACTICE, encoding="utf-8")
    framework = root / "frameworks" / "guidelines.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace("binding: false\n", "binding: false\ntext_url: https://asean.org/guidelines\n"),
                         encoding="utf-8")
    (root / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    (root / "README.md").write_text("# content\n", encoding="utf-8")
    result = load(root)
    assert not result.problems, result.problems  # LICENSE and README.md are not content
    return root


@pytest.fixture(scope="module")
def site(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(content, tmp_path_factory.mktemp("citable-site") / "site")


def test_site_url_makes_the_sitemap_and_the_dataset_absolute(site: Path) -> None:
    assert SITE_URL.startswith("https://") and SITE_URL.endswith("/")
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert f"{SITE_URL}practices/id-savings-groups.html" in locations and all(loc.startswith(SITE_URL) for loc in locations)
    data = json.loads((site / "data" / "knowledge-base.json").read_text(encoding="utf-8"))
    assert data["license"] == "CC-BY-4.0" and data["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["generated"]) and data["version"] and data["site_url"] == SITE_URL
    practice = next(e for e in data["entries"] if e["id"] == "id-savings-groups")
    assert practice["url"] == f"{SITE_URL}practices/id-savings-groups.html"
    assert practice["gcm_objective_names"]["21"].startswith("Safe and dignified return")


def test_every_entry_page_has_a_cite_block_with_permalink_and_review_date(site: Path, content: Path) -> None:
    kb = load(content).kb
    for entry in kb:
        html = (site / entry.url).read_text(encoding="utf-8")
        block = section(html, "cite-this-page")
        assert f'href="{SITE_URL}{entry.url}"' in block, entry.id
        assert f"Last reviewed: {entry.data.get('reviewed') or 'not yet'}" in block, entry.id
        assert "https://creativecommons.org/licenses/by/4.0/" in block
    block = section((site / "practices/id-savings-groups.html").read_text(encoding="utf-8"), "cite-this-page")
    assert "Savings groups for returned domestic workers" in block and "Last reviewed 2026-01-15" in block


def test_licence_is_stated_in_the_footer_and_on_the_data_page(site: Path) -> None:
    for page in ("index.html", "practices/id-savings-groups.html", "data/index.html"):
        assert "CC BY 4.0" in (site / page).read_text(encoding="utf-8"), page
    assert "Creative Commons Attribution 4.0 International" in (site / "data/index.html").read_text(encoding="utf-8")


def test_compare_tables_download_as_csv_with_the_page_counts(site: Path, content: Path) -> None:
    for page, name in (("compare/index.html", "compare-themes.csv"), ("compare/phases.html", "compare-phases.csv"),
                       ("compare/target-groups.html", "compare-target-groups.csv")):
        assert f"../data/{name}" in [href for href, _ in parse(site / page).links], page
        rows = list(csv.DictReader(io.StringIO((site / "data" / name).read_text(encoding="utf-8-sig"))))
        assert rows and set(rows[0]) >= {"id", "label", "total", "ID", "PH"}
    themes = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "data/compare-themes.csv").read_text(encoding="utf-8-sig")))}
    kb = load(content).kb
    initiatives = [e for e in kb if e.kind in ("program", "practice")]
    for code in ("ID", "PH", "VN"):
        expected = sum("access-to-finance" in e.terms("themes") and code in e.countries for e in initiatives)
        assert themes["access-to-finance"][code] == str(expected), code
    assert themes["access-to-finance"]["ID"] != "0"  # the savings groups at least
    html = (site / "compare/index.html").read_text(encoding="utf-8")
    assert f'href="#access-to-finance-id" title="Indonesia: Access to finance">{themes["access-to-finance"]["ID"]}</a>' in html


def test_criteria_and_gcm_objectives_show_with_labels_evidence_and_citations(site: Path) -> None:
    html = (site / "practices/id-savings-groups.html").read_text(encoding="utf-8")
    assert "GCM objectives:</strong> 21. Safe and dignified return and sustainable reintegration; 20. Remittances and financial inclusion" in html
    criteria = html[html.index('class="kb-criteria"'):html.index("</dl>")]
    assert 'id="criterion-effectiveness"' in criteria and ">Effectiveness</abbr>" in criteria and ">Partnership</abbr>" in criteria
    assert "An evaluation counted 300 members who saved every month." in criteria
    assert 'href="#source-2"' in criteria and 'href="#source-1"' in criteria  # [^n] became links to the numbered sources
    assert {"source-1", "source-2"} <= parse(site / "practices/id-savings-groups.html").ids
    fields = (site / "contribute/fields.html").read_text(encoding="utf-8")
    assert "Safe and dignified return and sustainable reintegration" in fields and "ILO good-practice criteria&#58; effectiveness" in fields


def test_export_csv_has_criteria_and_gcm_objectives(content: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--content", str(content), "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    entries = {r["id"]: r for r in csv.DictReader(io.StringIO((tmp_path / "entries.csv").read_text(encoding="utf-8-sig")))}
    assert entries["id-savings-groups"]["gcm_objectives"] == "21; 20" and entries["id-savings-groups"]["criteria"] == "effectiveness; partnership"
    assert entries["id-savings-groups"]["url"] == "practices/id-savings-groups.html"  # no mkdocs.yml beside this content
    rows = list(csv.DictReader(io.StringIO((tmp_path / "criteria.csv").read_text(encoding="utf-8-sig"))))
    assert {"entry_id": "id-savings-groups", "criterion": "partnership", "label": "Partnership"}.items() <= rows[-1].items()
    result = CliRunner().invoke(main, ["export", "--content", str(content), "--format", "json", "--out", str(tmp_path),
                                       "--site-url", "https://example.org/kb"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "knowledge-base.json").read_text(encoding="utf-8"))
    assert data["site_url"] == "https://example.org/kb/" and data["entries"][0]["url"].startswith("https://example.org/kb/frameworks/")


def test_similar_elsewhere_is_kb_similar_without_the_entry_countries(site: Path, content: Path, tmp_path: Path) -> None:
    html = (site / "practices/id-savings-groups.html").read_text(encoding="utf-8")
    shown = [href for href, _ in Anchors.links_of(section(html, "similar-elsewhere")) if not href.startswith("#")]
    result = CliRunner().invoke(main, ["similar", "id-savings-groups", "--json", "--limit", "50", "--content", str(content),
                                       "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    kb = load(content).kb
    expected = [f"../{h['url']}" for h in json.loads(result.stdout)["results"]
                if h["type"] in ("program", "practice") and not set(h["countries"]) & set(kb.get("id-savings-groups").countries)][:5]
    assert shown == expected and "../programs/ph-reintegration-centre.html" in shown


def test_theme_links_land_on_their_section_of_browse(site: Path) -> None:
    page = parse(site / "practices/id-savings-groups.html")
    term_links = [href for href, _ in page.links if "/browse/" in href and "#" in href]
    assert len(term_links) >= 4  # two themes, one phase, one target group
    for href in term_links:
        path, anchor = href.split("#")
        assert anchor in parse((site / "practices" / path).resolve()).ids, href


def test_entry_ids_in_backticks_link_to_the_entry_and_caveats_render_markdown(site: Path) -> None:
    html = (site / "practices/id-savings-groups.html").read_text(encoding="utf-8")
    assert '<a href="../programs/ph-reintegration-centre.html">National Reintegration Center for OFWs</a>' in html
    assert "<code>not-an-entry</code>" in html
    caveats = html[html.index("admonition warning"):]
    caveats = caveats[:caveats.index("</div>")]
    assert "<code>members</code>" in caveats and "<em>other districts</em>" in caveats and "`" not in caveats
    hostile = (site / "practices/ph-hostile-practice.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" in hostile and "<code>code</code>" in hostile  # allowed inline markup, sanitised like the description


def test_framework_page_links_its_text_first_and_every_framework_lists_its_entries(site: Path) -> None:
    html = (site / "frameworks/guidelines.html").read_text(encoding="utf-8")
    body = html[html.index("<h1"):]
    assert body.index('href="https://asean.org/guidelines"') < body.index("Fixture guidelines with two principles")
    for href, _ in parse(site / "frameworks/index.html").links:
        if href.endswith(".html") and "/" not in href and href != "index.html":
            page = (site / "frameworks" / href).read_text(encoding="utf-8")
            assert "Put into practice by" in page or "Programmes and practices that put it into practice" in page \
                or "Entries that name the framework as a whole" in page, href
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "where a framework has\n  principles" in home or "where a framework has principles" in home


def test_glossary_has_an_a_to_z_index_and_links_concepts_to_entries(site: Path) -> None:
    page = parse(site / "glossary/index.html")
    html = (site / "glossary/index.html").read_text(encoding="utf-8")
    az = html[html.index('class="kb-az"'):html.index("</nav>", html.index('class="kb-az"'))]
    letters = re.findall(r'<a href="#([a-z0-9-]+)">([A-Z#])</a>', az)
    assert [letter for _, letter in letters] == ["R"] and all(target in page.ids for target, _ in letters)
    reintegration = section(html, "reintegration")
    assert "Used in" in reintegration and "../programs/ph-reintegration-centre.html" in reintegration  # "National Reintegration Center"
    assert "../programs/id-village-programme.html" in section(html, "returnee")  # "returnees": plurals count


def test_offline_zip_link_works_inside_the_unpacked_copy(content: Path, tmp_path: Path) -> None:
    site = build_site(content, tmp_path / "site", KB_OFFLINE_ZIP="true")
    with zipfile.ZipFile(site / "downloads/asean-reintegration-kb-offline.zip") as archive:
        data_page = archive.read("asean-reintegration-kb/data/index.html").decode("utf-8")
    assert f'href="{SITE_URL}downloads/asean-reintegration-kb-offline.zip"' in data_page
    assert "you already have the whole site" in data_page


def _links_of(html: str) -> list[tuple[str, str]]:
    parser = Anchors()
    parser.feed(html)
    return parser.links


Anchors.links_of = staticmethod(_links_of)  # type: ignore[attr-defined]
