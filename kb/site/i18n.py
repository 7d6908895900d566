"""The site's languages: which sites are built, and the gettext catalogues of the templates' own words.

Catalogues live in `locale/<code>/LC_MESSAGES/messages.po` beside `templates/`, with the
template `locale/messages.pot`. The standard Babel workflow keeps them in step:

    kb i18n extract   templates, mkdocs.yml's nav and the taxonomy's labels -> messages.pot
    kb i18n update    messages.pot -> every messages.po (new messages empty, old ones kept)
    kb i18n compile   messages.po -> messages.mo (a build compiles in memory; this is for other tools)
    kb i18n check     fails, naming each message, when a catalogue is stale or leaves one untranslated

Content words (entry titles and summaries) are not here: they are the entries' `translations`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

from kb.content.layout import COUNTRY_NAMES, LANGUAGES, SITE_LANGUAGES, VOCABULARIES

# Material's own language code where it differs from ours (it calls Filipino `tl`).
THEME_LANGUAGE = {"fil": "tl"}
DOMAIN = "messages"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def theme_language(code: str) -> str:
    return THEME_LANGUAGE.get(code, code)


def language_name(code: str) -> str:
    """A language's name in that language (for the switcher)."""
    return ENDONYMS.get(code, LANGUAGES.get(code, code))


ENDONYMS = {"en": "English", "id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "fil": "Filipino", "vi": "Tiếng Việt", "th": "ไทย"}


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


# The search scripts' words (kb/site/assets/kb-search-ui.js looks them up in window.KB_STRINGS).
UI_STRINGS = (N_("Framework"), N_("Country profile"), N_("Programme"), N_("Good practice"), N_("Search"),
              N_("Search the knowledge base"), N_("Search is unavailable: %(reason)s"), N_("Instant results"),
              N_("Did you mean: %(query)s"), N_("All results (%(count)s)"), N_("Type words to search, or pick a filter."),
              N_("1 result"), N_("%(count)s results"), N_("Showing results for %(query)s (no results for what you typed)"),
              N_("Did you mean %(query)s?"), N_("%(visible)s of %(count)s shown"))


def ui_strings_js(catalogue: NullTranslations) -> str:
    """assets/kb-strings.js for one language: each UI message and its translation, as JSON."""
    import json

    table = {message: catalogue.gettext(message) for message in UI_STRINGS if catalogue.gettext(message) != message}
    body = json.dumps(table, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.KB_STRINGS = {body};\n"


# --- loading --------------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _compiled(po_path: str, mtime: float) -> Translations:
    with open(po_path, "rb") as handle:
        catalog = read_po(handle, locale=None, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translations(locale_dir: Path, code: str) -> NullTranslations:
    """The compiled catalogue of one language (English, or no catalogue: the messages themselves)."""
    po = locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == "en" or not po.is_file():
        return NullTranslations()
    return _compiled(str(po), po.stat().st_mtime)


# --- the workflow ---------------------------------------------------------------------------------

@dataclass
class CatalogProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _template_messages(templates: Path) -> Iterable[tuple[str, int, str]]:
    options = {"trim_blocks": "true", "lstrip_blocks": "true", "extensions": ""}
    for path in sorted(templates.rglob("*.j2")):
        for lineno, message, _comments, _context in extract_from_file("jinja2", str(path), keywords=KEYWORDS, options=options):
            if isinstance(message, str):
                yield path.relative_to(templates.parent).as_posix(), lineno, message


def _python_messages(package: Path) -> Iterable[tuple[str, int, str]]:
    for path in sorted(package.rglob("*.py")):
        for lineno, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            if isinstance(message, str):
                yield f"kb/{path.relative_to(package).as_posix()}", lineno, message


def _nav_titles(nav: Any) -> Iterable[str]:
    if isinstance(nav, list):
        for item in nav:
            yield from _nav_titles(item)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            yield str(title)
            yield from _nav_titles(value)


def extract(templates: Path, mkdocs_yml: Path, taxonomy: dict[str, Any]) -> Catalog:
    """Every message the site shows that is not content: templates, the site code, nav titles, taxonomy labels."""
    from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml as MkDocs does (!ENV tags and all)

    catalog = Catalog(project="asean-reintegration-kb", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for path, lineno, message in _template_messages(templates):
        catalog.add(message, locations=[(path, lineno)])
    for path, lineno, message in _python_messages(Path(__file__).resolve().parent):
        catalog.add(message, locations=[(path, lineno)])

    with open(mkdocs_yml, encoding="utf-8") as handle:
        config = yaml_load(handle) or {}
    if isinstance(config.get("copyright"), str):  # the footer line; its HTML link stays as it is
        catalog.add(config["copyright"].strip(), locations=[("mkdocs.yml", 0)], auto_comments=["footer: keep the <a ...> tag unchanged"])
    for title in _nav_titles(config.get("nav")):
        catalog.add(title, locations=[("mkdocs.yml", 0)], auto_comments=["navigation title"])
    for name in VOCABULARIES:
        for term in taxonomy.get(name) or []:
            if isinstance(term, dict) and isinstance(term.get("label"), str):
                catalog.add(term["label"], locations=[("content/taxonomy.yaml", 0)], auto_comments=[f"taxonomy: {name}"])
    for term in taxonomy.get("criteria") or []:
        if isinstance(term, dict) and isinstance(term.get("label"), str):
            catalog.add(term["label"], locations=[("content/taxonomy.yaml", 0)], auto_comments=["taxonomy: criteria"])
    from kb.content.gcm import GCM_OBJECTIVES

    for name in GCM_OBJECTIVES.values():
        catalog.add(name, locations=[("kb/content/gcm.py", 0)], auto_comments=["short name of a GCM objective"])
    for name in (*COUNTRY_NAMES.values(), *LANGUAGES.values()):
        catalog.add(name, locations=[("kb/content/layout.py", 0)], auto_comments=["country or language name"])
    return catalog


def _po_path(locale_dir: Path, code: str) -> Path:
    return locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(path)


def read_catalog(path: Path, code: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def update(locale_dir: Path, template: Catalog, languages: Iterable[str]) -> list[Path]:
    """Merge the template into each language's catalogue: new messages empty, obsolete ones dropped."""
    written = []
    for code in languages:
        if code == "en":
            continue
        path = _po_path(locale_dir, code)
        catalog = read_catalog(path, theme_language(code)) if path.is_file() else Catalog(locale=theme_language(code), domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write_catalog(catalog, path)
        written.append(path)
    return written


def compile_all(locale_dir: Path, languages: Iterable[str]) -> list[Path]:
    written = []
    for code in languages:
        path = _po_path(locale_dir, code)
        if code == "en" or not path.is_file():
            continue
        target = path.with_suffix(".mo")
        with open(target, "wb") as handle:
            write_mo(handle, read_catalog(path, theme_language(code)), use_fuzzy=False)
        written.append(target)
    return written


def check(locale_dir: Path, template: Catalog, languages: Iterable[str]) -> list[CatalogProblem]:
    """Every message that is missing, untranslated, fuzzy or whose placeholders differ, per language."""
    problems: list[CatalogProblem] = []
    pot = locale_dir / f"{DOMAIN}.pot"
    wanted = {m.id for m in template if m.id}
    if not pot.is_file():
        problems.append(CatalogProblem(str(pot), "missing; run `kb i18n extract`"))
    else:
        stored = {m.id for m in read_catalog(pot) if m.id}
        for message in sorted(wanted - stored):
            problems.append(CatalogProblem(str(pot), f"stale: {message!r} is shown but not extracted; run `kb i18n extract`"))
        for message in sorted(stored - wanted):
            problems.append(CatalogProblem(str(pot), f"stale: {message!r} is no longer shown; run `kb i18n extract`"))
    for code in languages:
        if code == "en":
            continue
        path = _po_path(locale_dir, code)
        if not path.is_file():
            problems.append(CatalogProblem(str(path), "missing; run `kb i18n update`"))
            continue
        catalog = read_catalog(path, theme_language(code))
        have = {m.id: m for m in catalog if m.id}
        for message in sorted(wanted):
            entry = have.get(message)
            if entry is None:
                problems.append(CatalogProblem(str(path), f"{message!r} is missing; run `kb i18n update`, then translate it"))
            elif not entry.string:
                problems.append(CatalogProblem(str(path), f"{message!r} is not translated"))
            elif entry.fuzzy:
                problems.append(CatalogProblem(str(path), f"{message!r} is marked fuzzy; check the translation and remove the flag"))
            elif sorted(PLACEHOLDER.findall(message)) != sorted(PLACEHOLDER.findall(str(entry.string))):
                problems.append(CatalogProblem(str(path), f"{message!r}: the translation's placeholders differ from the message's"))
    return problems
