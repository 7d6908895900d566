"""kb.site.extras and markup.inline_html on hostile input: entry-id links, caveats, tag anchors, citations."""

from __future__ import annotations

from pathlib import Path

from kb.content.load import load
from kb.site.context import build_site
from kb.site.extras import citation, entry_code_links, tag_anchor
from kb.site.markup import inline_html, markdown_html
from kb.site.render import Links

SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"


def test_inline_html_keeps_inline_markdown_and_drops_markup() -> None:
    assert inline_html("The `adopted` date is *inferred*.") == "The <code>adopted</code> date is <em>inferred</em>."
    hostile = str(inline_html('x <script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))'))
    assert "<script" not in hostile and "<img" not in hostile and 'href="javascript' not in hostile
    assert inline_html(None) == "" and inline_html("one\n\ntwo").count("<p>") == 2


def test_code_spans_naming_entries_become_links_and_nothing_else() -> None:
    kb = load(SITE_CONTENT).kb
    links = Links("practices/x.md", build_site(kb))
    html = markdown_html("See `ph-reintegration-centre`, `ph-hostile-practice`, `nope` and `<b>`.")
    out = str(entry_code_links(html, links))
    assert '<a href="../programs/ph-reintegration-centre.html">National Reintegration Center for OFWs</a>' in out
    hostile = out.split('href="ph-hostile-practice.html">')[1].split("</a>")[0]
    assert "<" not in hostile and "&lt;" in hostile  # the hostile title is escaped text
    assert "<code>nope</code>" in out and "<code>&lt;b&gt;</code>" in out


def test_tag_anchor_follows_the_tag_name_and_citation_without_site_url() -> None:
    kb = load(SITE_CONTENT).kb
    site = build_site(kb)
    assert tag_anchor(site, "themes", "access-to-finance") == "tag:access-to-finance"
    assert tag_anchor(site, "dimensions", "economic") is None
    entry = kb.get("ph-reintegration-centre")
    cite = citation(site, entry, "")
    assert cite["permalink"] == "" and cite["license"]["id"] == "CC-BY-4.0" and entry.title in cite["text"]
    assert citation(site, entry, "https://x.example/")["permalink"] == "https://x.example/programs/ph-reintegration-centre.html"
