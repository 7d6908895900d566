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


def test_similar_lists_are_cached_beside_the_index_until_the_content_changes(tmp_path: Path) -> None:
    import json
    import os
    import shutil

    from kb.site.similar import CACHE_FILE, similar_elsewhere_ids

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "search" / "content", content)
    index = tmp_path / "index"
    first = similar_elsewhere_ids(content, index, ["ph-savings-club", "vn-job-support"])
    assert first["ph-savings-club"] and not any(i in ("ph-savings-club", "ph-livelihood-loans") for i in first["ph-savings-club"])
    cache = json.loads((index / CACHE_FILE).read_text(encoding="utf-8"))
    cache["lists"]["ph-savings-club"] = ["marker"]
    (index / CACHE_FILE).write_text(json.dumps(cache), encoding="utf-8")
    assert similar_elsewhere_ids(content, index, ["ph-savings-club", "vn-job-support"])["ph-savings-club"] == ["marker"]  # reused
    path = content / "programs" / "vn" / "vn-job-support.yaml"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert similar_elsewhere_ids(content, index, ["ph-savings-club", "vn-job-support"]) == first  # content changed: computed again
    assert similar_elsewhere_ids(content, None, ["ph-savings-club"])["ph-savings-club"] == first["ph-savings-club"]  # throwaway index


def test_serve_keeps_stale_lists_and_queries_only_new_entries(tmp_path: Path) -> None:
    import json
    import shutil

    from kb.site.similar import CACHE_FILE, similar_elsewhere_ids

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "search" / "content", content)
    index = tmp_path / "index"
    similar_elsewhere_ids(content, index, ["ph-savings-club"])
    cache = json.loads((index / CACHE_FILE).read_text(encoding="utf-8"))
    cache["key"], cache["lists"]["ph-savings-club"] = "stale", ["marker"]
    (index / CACHE_FILE).write_text(json.dumps(cache), encoding="utf-8")
    served = similar_elsewhere_ids(content, index, ["ph-savings-club", "vn-job-support"], reuse_stale=True)
    assert served["ph-savings-club"] == ["marker"] and served["vn-job-support"]  # kept, and the new one queried
    assert similar_elsewhere_ids(content, index, ["ph-savings-club", "vn-job-support"])["ph-savings-club"] != ["marker"]  # a build recomputes
