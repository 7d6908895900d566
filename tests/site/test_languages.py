"""One site per language, built by a real `mkdocs build --strict` of the fixture content."""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb.site.i18n import translations
from tests.site.conftest import DESKTOP, PHONE, REPO, build_site, open_page, serve

CONTENT = REPO / "tests" / "fixtures" / "site" / "content"
LANGUAGES = "en,id,fil,vi"
PRACTICE = "practices/ph-hostile-practice.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(CONTENT, tmp_path_factory.mktemp("languages") / "site", KB_LANGUAGES=LANGUAGES)


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_each_language_has_the_same_pages_under_its_folder(site: Path):
    english = {p.relative_to(site).as_posix() for p in site.glob("**/*.html") if p.relative_to(site).parts[0] not in ("id", "fil", "vi")}
    for code in ("id", "fil", "vi"):
        assert {p.relative_to(site / code).as_posix() for p in (site / code).glob("**/*.html")} == english, code
    assert not (site / "ms").exists()  # only the languages asked for


def test_html_lang_and_materials_interface_follow_the_language(site: Path):
    for code, html in (("en", "en"), ("id", "id"), ("fil", "fil"), ("vi", "vi")):
        page = _read(site, PRACTICE if code == "en" else f"{code}/{PRACTICE}")
        assert re.search(rf'<html lang="{html}"', page), code
    assert "Lewati ke isi" in _read(site, "id/index.html")  # Material's own Indonesian "skip to content"


def test_every_hreflang_link_leads_to_the_same_page_in_that_language(site: Path):
    checked = 0
    for page in site.glob("**/*.html"):
        relative = page.relative_to(site).as_posix()
        if relative == "404.html" or relative.endswith("/404.html"):
            continue
        inside = relative.split("/", 1)[1] if relative.split("/", 1)[0] in ("id", "fil", "vi") else relative
        links = dict(re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([a-z]+)"', page.read_text(encoding="utf-8")))
        links = {lang: href for href, lang in links.items()}
        assert set(links) == {"en", "id", "fil", "vi"}, relative
        for lang, href in links.items():
            target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), href))
            assert target == (inside if lang == "en" else f"{lang}/{inside}"), (relative, lang, href)
            assert (site / target).is_file()
            checked += 1
    assert checked > 100


def test_a_translated_entry_shows_its_title_summary_and_a_draft_notice(site: Path):
    page = _read(site, f"id/{PRACTICE}")
    assert re.search(r"<h1[^>]*>Kelompok tabungan purna pekerja migran", page)
    assert "Purna pekerja migran menabung bersama" in page and "<script>window.__kbxss" not in page
    notice = translations(REPO / "locale", "id").gettext("Draft translation")
    assert notice != "Draft translation" and f'admonition-title">{notice}' in page
    assert 'href="../contribute/index.html"' in page  # the way to suggest a correction
    assert '<p class="kb-original" lang="en">' in page  # the English original, marked as English
    assert '<div class="kb-prose" lang="en">' in page  # the details stay English, and say so


def test_an_untranslated_entry_shows_the_english_with_a_note(site: Path):
    page = _read(site, f"fil/{PRACTICE}")
    note = translations(REPO / "locale", "fil").gettext("Not translated yet")
    assert note != "Not translated yet" and f'admonition-title">{note}' in page
    assert "Savings groups" in page


def test_headings_navigation_and_lists_speak_the_language(site: Path):
    vi = translations(REPO / "locale", "vi")
    page = _read(site, f"vi/{PRACTICE}")
    for heading in ("Details", "Sources"):
        assert f">{vi.gettext(heading)}<" in page or f">{vi.gettext(heading)} " in page, heading
    assert vi.gettext("Frameworks") in _read(site, "vi/index.html")  # the navigation tab
    listing = _read(site, "vi/practices/index.html")
    assert "Nhóm tiết kiệm của người lao động về nước" in listing  # the list shows the translated title


def test_hand_written_pages_use_their_translation(site: Path):
    for code in ("id", "fil", "vi"):
        for page in ("index.html", "about.html", "contribute/index.html"):
            html = _read(site, f"{code}/{page}")
            assert f'<html lang="{code}"' in html and "This page has not been translated" not in html, (code, page)
    assert not list(site.glob("**/*.id.html")) and not list(site.glob("**/*.vi.html"))


def test_a_hand_written_page_without_translation_is_english_with_a_note():
    from kb.site.languages import hand_written, untranslated

    uris = ["index.md", "index.id.md", "about.md", "about.vi.md", "guide/x.md", "stylesheets/a.css", "notes.xx.md"]
    translated, suffixed, missing = hand_written(uris, "id")
    assert translated == {"index.md": "index.id.md"} and suffixed == {"index.id.md", "about.vi.md"}
    assert missing == {"about.md", "guide/x.md", "notes.xx.md"}  # .xx is no site language: an ordinary page
    assert hand_written(uris, "en")[2] == set()
    page = untranslated("# Guide", "Belum diterjemahkan.")
    assert page.startswith('!!! note ""\n    Belum diterjemahkan.') and '<div lang="en" markdown>\n\n# Guide' in page


def test_search_data_and_ui_strings_exist_in_every_language(site: Path):
    search = sorted(p.relative_to(site) for p in (site / "assets" / "kb-search").iterdir())
    assert Path("assets/kb-search/core.js") in search
    for code in ("id", "fil", "vi"):
        # The English build writes the search data while the languages build, then gives each language the same files.
        assert sorted(p.relative_to(site / code) for p in (site / code / "assets" / "kb-search").iterdir()) == search
        assert all((site / code / path).read_bytes() == (site / path).read_bytes() for path in search)
        strings = _read(site, f"{code}/assets/kb-strings.js")
        assert strings.startswith("window.KB_STRINGS = {") and '"1 result"' in strings


def test_the_offline_zip_holds_every_file_of_every_language(site: Path):
    import zipfile

    target = site / "downloads" / "asean-reintegration-kb-offline.zip"
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
    files = {f"asean-reintegration-kb/{p.relative_to(site).as_posix()}" for p in site.rglob("*") if p.is_file() and p.name != target.name}
    assert names == files
    assert {"asean-reintegration-kb/vi/assets/kb-search/core.js", "asean-reintegration-kb/id/" + PRACTICE} <= names
    for code in ("id", "fil", "vi"):  # each language's Data page links the same zip
        assert (site / code / "downloads" / target.name).stat().st_ino == target.stat().st_ino
    assert not list(site.rglob("*.tmp"))


def test_an_unknown_language_is_one_clear_error(tmp_path: Path):
    import os

    env = {**os.environ, "KB_CONTENT": str(CONTENT), "NO_MKDOCS_2_WARNING": "1", "KB_LANGUAGES": "en,xx"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "s")], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "unknown site language(s) xx" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_read_a_philippine_practice_in_indonesian_then_switch_to_vietnamese(site: Path, browser, viewport):
    draft = translations(REPO / "locale", "id").gettext("Draft translation")
    with serve(site) as base:
        page, errors = open_page(browser, viewport)
        page.goto(base + f"id/{PRACTICE}")
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.locator("h1").inner_text().replace("¶", "").strip() == "Kelompok tabungan purna pekerja migran"
        assert page.locator("article p", has_text="Purna pekerja migran menabung bersama").first.is_visible()
        assert page.locator(".admonition-title", has_text=draft).is_visible()
        assert page.evaluate("window.__kbxss") is None
        switch = page.locator(".md-header .md-select a[hreflang='vi']")
        page.locator(".md-header button[aria-label]").filter(has=page.locator("svg")).last.hover()
        switch.click()
        page.wait_for_url(f"**/vi/{PRACTICE}")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator("h1").inner_text().replace("¶", "").strip() == "Nhóm tiết kiệm của người lao động về nước"
        assert errors == []  # (open_page answers Material's sitemap fetches beside each hreflang link)
        page.close()
