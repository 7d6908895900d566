"""kb.site.render: the pure renderer over the fixture tree, hostile entries and bad ids included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from kb.content.load import load
from kb.content.model import Entry, KnowledgeBase
from kb.site.render import RenderError, make_environment, render, render_snippets, write_pages

REPO = Path(__file__).resolve().parents[2]
SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"
TEMPLATES = REPO / "templates"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = load(SITE_CONTENT)
    assert not result.errors, result.errors
    return render(result.kb, TEMPLATES)


def front_matter(text: str) -> dict:
    assert text.startswith("---\n"), text[:80]
    return yaml.safe_load(text.split("---\n")[1])


def test_every_section_and_entry_gets_one_page(pages: dict[str, str]) -> None:
    assert {"frameworks/index.md", "countries/index.md", "programs/index.md", "practices/index.md", "compare/index.md",
            "compare/phases.md", "compare/target-groups.md", "browse/index.md", "browse/phases.md", "browse/target-groups.md",
            "glossary/index.md", "data/index.md", "contribute/fields.md"} <= set(pages)
    assert {"frameworks/guidelines.md", "countries/id.md", "countries/ph.md", "programs/id-village-programme.md",
            "programs/ph-reintegration-centre.md", "practices/ph-hostile-practice.md"} <= set(pages)
    for text in pages.values():
        front_matter(text)  # every page starts with valid YAML front matter


def test_entry_page_shows_fields_tags_translations_and_sources(pages: dict[str, str]) -> None:
    page = pages["programs/id-village-programme.md"]
    meta = front_matter(page)
    assert meta["title"] == "Productive Migrant Village programme"
    assert {"Entrepreneurship", "Cooperatives", "Pre-departure", "Families"} <= set(meta["tags"])
    assert "*Desa Migran Produktif &#40;Desmigratif&#41;*" in page or "*Desa Migran Produktif (Desmigratif)*" in page
    assert '<li><strong>Country:</strong> <a href="../countries/id.html">Indonesia</a></li>' in page
    assert '<h3 id="details-' not in page and "<strong>Four pillars.</strong>" in page
    assert '<a href="../frameworks/guidelines.html#whole-of-government">Whole-of-government approach</a>' in page
    assert '<strong>Indonesian:</strong> <span lang="id">Program Desa Migran Produktif' in page  # marked for screen readers
    assert 'href="https://www.ilo.org/desmigratif"' in page and "*Last reviewed&#58; 2025-06-01.*" in page
    # a backlink: the hostile practice names this programme in `related`
    assert "../practices/ph-hostile-practice.html" in page


def test_framework_page_lists_implementers_under_each_principle(pages: dict[str, str]) -> None:
    page = pages["frameworks/guidelines.md"]
    whole_gov = page.split("{ #whole-of-government }")[1].split("###")[0]
    gender = page.split("{ #gender-responsive }")[1]
    assert "../programs/id-village-programme.html" in whole_gov and "ph-hostile-practice" not in whole_gov
    assert "../practices/ph-hostile-practice.html" in gender
    assert "## Entries that name the framework as a whole" in page and "../programs/ph-reintegration-centre.html" in page


def test_country_page_lists_agencies_laws_figures_and_entries(pages: dict[str, str]) -> None:
    page = pages["countries/id.md"]
    assert "[Ministry of Manpower](https://kemnaker.go.id)" in page
    assert "[Law 18/2017 on the protection of migrant workers](../programs/id-village-programme.md)" in page
    assert "| 283640 | 2018 | [Placement statistics](https://www.ilo.org/stats) |" in page
    assert '## Programmes\n\n\n<!-- kb:html -->\n<ul>\n<li><a href="../programs/id-village-programme.html">Productive Migrant Village programme</a>' in page
    assert "../practices/ph-hostile-practice.html" in page  # a practice spanning PH and ID


def test_compare_matrix_counts_and_links_per_cell(pages: dict[str, str]) -> None:
    page = pages["compare/index.md"]
    assert "<caption>Number of programmes and practices per theme (rows) and country (columns)</caption>" in page
    header = next(line for line in page.splitlines() if line.startswith('<tr><th scope="col">Theme</th>'))
    # each country code comes with its full name: a tooltip, hidden text for screen readers, and the visible key
    codes = re.findall(r'<th scope="col"><abbr title="([^"]+)"><span aria-hidden="true">([A-Z]{2})</span>'
                       r'<span class="kb-visually-hidden">\1</span></abbr></th>', header)
    assert ("Philippines", "PH") in codes and len(codes) == 10
    assert '<strong>PH</strong> Philippines' in page
    row = next(line for line in page.splitlines() if '<th scope="row"><a href="#access-to-finance">Access to finance</a></th>' in line)
    cells = re.findall(r"<td>(.*?)</td>", row)
    by_code = dict(zip([code for _, code in codes], cells, strict=True))
    assert by_code["ID"].startswith('<a href="#access-to-finance-id"') and by_code["ID"].endswith(">1</a>")
    assert by_code["PH"].startswith('<a href="#access-to-finance-ph" title="Philippines: Access to finance">2</a>')
    assert by_code["TH"] == '<span aria-hidden="true">·</span><span class="kb-visually-hidden">none</span>'
    assert "### Philippines { #access-to-finance-ph }" in page
    assert front_matter(page)["search"] == {"exclude": True}


def test_browse_pages_use_the_tags_listing_per_vocabulary(pages: dict[str, str]) -> None:
    listing = re.search(r"<!-- material/tags (.*) -->", pages["browse/phases.md"])
    assert listing and yaml.safe_load(listing.group(1))["include"] == ["Pre-departure", "In employment", "Pre-return", "Return", "Post-return"]


def test_glossary_and_field_reference(pages: dict[str, str]) -> None:
    glossary = pages["glossary/index.md"]
    assert "## returnee { #returnee }" in glossary and '<li><strong>Indonesian:</strong> <span lang="id">purna pekerja migran; purna PMI</span></li>' in glossary
    assert '<li><strong>Thai:</strong> <span lang="th">แรงงานคืนถิ่น</span></li>' in glossary
    fields = pages["contribute/fields.md"]
    assert "| **summary** | yes |" in fields and "| **reviewed** |  | date (YYYY-MM-DD, quoted) |" in fields


def test_hostile_content_never_becomes_markup(pages: dict[str, str]) -> None:
    page = pages["practices/ph-hostile-practice.md"]
    meta = front_matter(page)
    assert not set("<>&\"'") & set(meta["title"]) and all(not set("<>&\"'") & set(t) for t in meta["tags"])
    body = page.split("---\n", 2)[2]
    # Sanitized HTML blocks are checked by test_markup and the built-site test; here, the Markdown around them.
    body = re.sub(r'<div class="kb-prose">.*?</div>', "", body, flags=re.S)
    assert "<script" not in body and "javascript:" not in body and not re.search(r"<[a-z]+[^>]*\sonerror", body)
    assert "{: onclick" not in body and "<img" not in body
    assert "# Hostile &#60;/title&#62;&#60;script&#62;" in body


def test_jinja_syntax_in_content_is_text_not_template(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, root)
    path = root / "programs" / "ph" / "ph-reintegration-centre.yaml"
    text = path.read_text().replace("title: National", 'title: "{{ 7 * 7 }} {% raw %} National').replace("OFWs", 'OFWs"')
    path.write_text(text + 'description: "{{ 6 * 7 }} {% include \'data.md.j2\' %}"\n', encoding="utf-8")
    result = load(root)
    assert not result.errors, result.errors
    page = render(result.kb, TEMPLATES)["programs/ph-reintegration-centre.md"]
    assert "Data and downloads" not in page
    assert "# &#123;&#123; 7 &#42; 7 &#125;&#125; &#123;% raw %&#125; National Reintegration Center for OFWs\n" in page
    assert "<p>{{ 6 * 7 }} {% include 'data.md.j2' %}</p>" in page


def _entry(kind: str, entry_id: str, **data: object) -> Entry:
    return Entry(kind, entry_id, {"id": entry_id, "title": f"Entry {entry_id}", "summary": "A summary of twenty characters.", **data},
                 f"{entry_id}.yaml", Path(f"{entry_id}.yaml"))


def test_output_paths_come_only_from_valid_ids(tmp_path: Path) -> None:
    kb = KnowledgeBase(root=tmp_path)
    good = _entry("practice", "good-one", countries=["PH"], related=["../../etc/passwd", "Bad_ID"])
    kb.entries = {e.id: e for e in [good, _entry("practice", "../../etc/passwd", countries=["PH"]),
                                    _entry("program", "Bad_ID", country="PH"), _entry("program", "a/b", country="PH"),
                                    _entry("framework", "x" * 65)]}
    pages = render(kb, TEMPLATES)
    entry_pages = [p for p in pages if p.split("/")[0] in ("programs", "practices", "frameworks") and not p.endswith("index.md")]
    assert entry_pages == ["practices/good-one.md"]
    assert all(".." not in p and re.fullmatch(r"[a-z0-9/.-]+", p) for p in pages)
    assert "passwd" not in pages["practices/good-one.md"] and "Bad_ID" not in pages["practices/good-one.md"]
    with pytest.raises(RenderError):
        write_pages({"../escape.md": "x"}, tmp_path / "out")
    assert not (tmp_path / "escape.md").exists()


def test_minimal_entries_render_with_only_required_fields(tmp_path: Path) -> None:
    kb = KnowledgeBase(root=tmp_path)
    kb.entries = {"bare": _entry("program", "bare", country="TH", sources=[{"title": "A source", "url": "https://a.org"}])}
    page = render(kb, TEMPLATES)["programs/bare.md"]
    assert "# Entry bare" in page and '<a href="https://a.org">A source</a>' in page


def test_undefined_variables_in_templates_fail_loudly(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "glossary.md.j2").write_text("{{ no_such_variable }}\n", encoding="utf-8")
    with pytest.raises(RenderError, match="no_such_variable"):
        render(load(SITE_CONTENT).kb, templates)
    with pytest.raises(RenderError, match="templates folder"):
        make_environment(tmp_path / "missing")


def test_safe_is_used_only_on_macro_calls() -> None:
    for template in TEMPLATES.glob("*.j2"):
        for expression in re.findall(r"\{\{(.*?)\}\}", template.read_text(encoding="utf-8"), re.S):
            if "safe" in expression:
                assert re.fullmatch(r"\s*(m\.)?[a-z_]+\(.*\)\s*\|\s*safe\s*", expression, re.S), (template.name, expression)


def test_stats_snippet_counts_entries(tmp_path: Path) -> None:
    snippet = render_snippets(load(SITE_CONTENT).kb, TEMPLATES)["<!-- kb:stats -->"]("index.md")
    assert "[**1** frameworks](frameworks/index.md), with 2 principles" in snippet
    assert "[**2** national programmes](programs/index.md)" in snippet and "[**1** good practices](practices/index.md)" in snippet


def test_glossary_shows_related_terms_and_false_friends_apart_from_labels(pages: dict[str, str]) -> None:
    page = pages["glossary/index.md"]
    section = page[page.index("{ #returnee }"):]
    labels, rest = section.split("Related terms", 1)
    assert "purna PMI" in labels and "BP2MI" not in labels
    related, friends = rest.split("False friends", 1)
    assert '<li><strong>Indonesian:</strong> <span lang="id">BP2MI</span></li>' in related
    assert '<li><strong><span lang="fil">balikbayan</span></strong> (Filipino): Any Filipino coming home' in friends
