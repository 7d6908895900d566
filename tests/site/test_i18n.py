"""The site's own words: catalogues complete and in step with the templates, translations escaped."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from markupsafe import Markup

from kb.cli.main import main
from kb.content.load import load
from kb.site.i18n import SITE_LANGUAGES, check, extract, read_catalog, translations, write_catalog
from kb.site.render import make_gettext

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "locale"


def _template():
    return extract(REPO / "templates", REPO / "mkdocs.yml", load(REPO / "content").kb.taxonomy.vocabularies)


def test_shipped_catalogues_are_complete_and_in_step_with_the_templates():
    assert check(LOCALE, _template(), SITE_LANGUAGES) == []


def test_every_language_translates_the_headings():
    for code in SITE_LANGUAGES[1:]:
        catalogue = translations(LOCALE, code)
        for message in ("Details", "Results", "Lessons", "Sources", "Caveats", "Programmes", "Good practices", "Search"):
            assert catalogue.gettext(message) not in ("", message), (code, message)


def test_check_names_an_untranslated_a_fuzzy_and_a_missing_message(tmp_path: Path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    before = {str(p) for p in check(locale, _template(), SITE_LANGUAGES)}
    path = locale / "vi" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(path, "vi")
    catalog["Lessons"].string = ""
    catalog["Results"].flags.add("fuzzy")
    catalog.delete("Sources")
    write_catalog(catalog, path)
    found = [str(p) for p in check(locale, _template(), SITE_LANGUAGES) if str(p) not in before]
    assert any("'Lessons' is not translated" in p and "vi" in p for p in found)
    assert any("'Results' is marked fuzzy" in p for p in found)
    assert any("'Sources' is missing" in p for p in found)
    assert len(found) == 3, found


def test_check_command_fails_on_a_stale_template_and_update_fills_the_catalogues(tmp_path: Path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    (locale / "messages.pot").write_text('msgid ""\nmsgstr ""\n\nmsgid "Gone"\nmsgstr ""\n', encoding="utf-8")
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    result = runner.invoke(main, ["i18n", "check", "--locale", str(locale)])
    assert result.exit_code == 1 and "stale: 'Gone' is no longer shown" in result.output and "Traceback" not in result.output
    assert runner.invoke(main, ["i18n", "extract", "--locale", str(locale)]).exit_code == 0
    (locale / "th" / "LC_MESSAGES" / "messages.po").unlink()
    result = runner.invoke(main, ["i18n", "update", "--locale", str(locale)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["i18n", "check", "--locale", str(locale)])
    assert result.exit_code == 1 and "th" in result.output and "'Lessons' is not translated" in result.output


def test_a_translation_cannot_add_markup_but_a_link_value_stays_a_link():
    class Catalogue:
        @staticmethod
        def gettext(message: str) -> str:
            return "**Lihat** <b>%(link)s</b> [x](javascript:alert(1))"

    text = make_gettext(Catalogue())("See %(link)s", link=Markup("[page](page.md)"))
    assert "[page](page.md)" in text
    assert "**" not in text and "<b>" not in text and "](javascript" not in text
