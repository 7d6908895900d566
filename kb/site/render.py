"""The pure renderer: KnowledgeBase -> {relative path: Markdown page text}.

The MkDocs plugin and `kb render --out DIR` share it. Templates come only from the
templates folder (never from content) and run with ``StrictUndefined``. Every value a
template prints is escaped for Markdown unless it is already ``Markup`` made by the
helpers below (sanitized HTML, links to validated paths): content cannot add markup by
forgetting a filter. The one use of ``| safe`` is on calls of the macros in
``_macros.md.j2``, whose own output was escaped piece by piece (tests/test_render.py checks it).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from kb.content.layout import LANGUAGES, valid_id
from kb.content.gcm import GCM_OBJECTIVES
from kb.content.publishing import CONTENT_LICENSE
from kb.site import extras
from kb.content.model import KnowledgeBase
from kb.site.export import COMPARE_FILES as COMPARE_CSV
from kb.site.html_blocks import block as html_block
from kb.site.i18n import PLACEHOLDER
from kb.site.context import BROWSE_PAGES, COMPARE_VOCABULARIES, Site, build_site, concept_labels, field_reference, page_of
from kb.site.markup import attr_text, inline_html, markdown_html, md_inline, safe_url

DEFAULT_TEMPLATES = Path("templates")
STATS_MARKER = "<!-- kb:stats -->"
DATA_FILES = {"json": "data/knowledge-base.json", "entries": "data/entries.csv", "sources": "data/sources.csv",
              "criteria": "data/criteria.csv", "glossary": "data/glossary.csv"}
COMPARE_FILES = {vocabulary: f"data/{name}" for vocabulary, name in COMPARE_CSV.items()}
OFFLINE_ZIP = "downloads/asean-reintegration-kb-offline.zip"


class RenderError(RuntimeError):
    """A template is missing or broken (a bug in templates/, not in content)."""


def _finalize(value: Any) -> Any:
    # Jinja calls this on every {{ }} output: plain values become literal Markdown text.
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return md_inline(value)


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in memory, keyed by name and source checksum (an edited template compiles again)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# Shared by every language's environment: a language build forks from the English one and finds them compiled.
_BYTECODE = _MemoryBytecodeCache()


def make_gettext(catalogue: Any) -> Callable[..., Markup]:
    """`_("Text with %(name)s", name=value)` for templates: the translated message, escaped for Markdown.

    The message's own words are escaped like any text (a translation cannot add markup); a value
    that is already Markup (a link made by Links) goes in as it is, any other value is escaped.
    """
    def gettext(message: str, **values: Any) -> Markup:
        translated = catalogue.gettext(message) if catalogue is not None else message
        parts = PLACEHOLDER.split(translated)
        out = [md_inline(parts[0])]
        for index in range(1, len(parts), 2):
            value = values.get(parts[index], "")
            out.append(value if isinstance(value, Markup) else md_inline(value))
            out.append(md_inline(parts[index + 1]))
        return Markup("".join(out))

    return gettext


def make_environment(templates: Path | str = DEFAULT_TEMPLATES, catalogue: Any = None) -> jinja2.Environment:
    """The Jinja2 environment over the templates folder, speaking the catalogue's language (None: English)."""
    folder = Path(templates)
    if not folder.is_dir():
        raise RenderError(f"templates folder '{folder}' not found; run from the project folder or pass --templates")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined, bytecode_cache=_BYTECODE,
                             autoescape=False, finalize=_finalize, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(html=lambda text, prefix="md": markdown_html(text, id_prefix=prefix), attr=attr_text,
                       json=lambda value: Markup(json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")),
                       # Raw HTML blocks (filterable lists, the search page): text escaped for HTML, not Markdown.
                       h=lambda value: escape("" if value is None else value),
                       zip_labels=lambda values, labels: list(zip(values, labels, strict=False)),
                       inline_html=inline_html, entry_links=extras.entry_code_links, block=html_block,
                       term_options=lambda terms: [(t["id"], t.get("label") or t["id"]) for t in terms])
    env.globals["_"] = make_gettext(catalogue)
    # Plain translated text, for places that escape for themselves (HTML attributes, front matter, JSON).
    env.globals["gettext"] = catalogue.gettext if catalogue is not None else (lambda message: message)
    return env


class Links:
    """Links from one page to the others, relative so they work from a folder (file://) too."""

    def __init__(self, page: str, site: Site) -> None:
        self.page, self.site = page, site

    def to(self, target: str, anchor: str = "") -> str:
        rel = posixpath.relpath(target, posixpath.dirname(self.page) or ".")
        return rel + (f"#{anchor}" if anchor and valid_id(anchor) else "")

    def html(self, target: str) -> str:
        """A relative address for raw HTML, which MkDocs leaves alone: the built page (.html), not its source (.md)."""
        rel = self.to(target)
        return rel[:-3] + ".html" if rel.endswith(".md") else rel

    # Each link comes in two forms: Markdown (checked by MkDocs) and, with html=True (the *_a names), an <a> to
    # the built page for finished HTML blocks (kb.site.html_blocks), its text escaped for HTML.

    def page_link(self, text: Any, target: str, anchor: str = "", html: bool = False) -> Markup:
        if html:
            href = self.html(target) + (f"#{anchor}" if anchor and valid_id(anchor) else "")
            return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')
        return Markup(f"[{md_inline(text)}]({self.to(target, anchor)})")

    def entry(self, entry: Any, text: Any = None, html: bool = False) -> Markup:
        if entry is None or entry.id not in self.site.entries:
            return (escape(text) if html else md_inline(text)) if text else Markup("")
        return self.page_link(text if text is not None else self.site.title(entry), page_of(entry), html=html)

    def principle(self, framework: Any, principle: Any = None, html: bool = False) -> Markup:
        if principle is None:
            return self.entry(framework, html=html)
        return self.page_link(principle.get("title") or principle.get("id"), page_of(framework), principle.get("id", ""), html=html)

    def country(self, code: str, html: bool = False) -> Markup:
        profile = self.site.get(str(code).lower())
        name = self.site.country_name(code)
        if profile is not None and profile.kind == "country":
            return self.entry(profile, name, html=html)
        return escape(name) if html else md_inline(name)

    def entry_a(self, entry: Any, text: Any = None) -> Markup:
        return self.entry(entry, text, html=True)

    def principle_a(self, framework: Any, principle: Any = None) -> Markup:
        return self.principle(framework, principle, html=True)

    def country_a(self, code: str) -> Markup:
        return self.country(code, html=True)

    def url(self, text: Any, url: Any) -> Markup:
        """An outside link if the address is http(s), else the text alone."""
        href = safe_url(url)
        return Markup(f"[{md_inline(text)}]({href})") if href else md_inline(text)

    def a(self, text: Any, url: Any) -> Markup:
        """`url` for raw HTML: an <a> if the address is http(s), else the text alone, escaped for HTML."""
        href = safe_url(url)
        return Markup(f'<a href="{escape(href)}">{escape(text)}</a>') if href else escape(text)

    def term_a(self, vocabulary: str, term: str) -> Markup:
        """A taxonomy term, linked to its section of its browse page (the tags plugin lists entries per term there).

        Raw HTML only: MkDocs checks anchors before the tags plugin writes the listing's headings, so a Markdown
        link to "#tag:..." would fail the strict build although the built page has the anchor.
        """
        anchor = extras.tag_anchor(self.site, vocabulary, term)
        href = self.html(BROWSE_PAGES[vocabulary]) + (f"#{anchor}" if anchor else "")
        return Markup(f'<a href="{escape(href)}">{escape(self.site.label(vocabulary, term))}</a>')


def _pages(site: Site) -> list[tuple[str, str, dict[str, Any]]]:
    """(output path, template, context) for every generated page."""
    pages: list[tuple[str, str, dict[str, Any]]] = [
        ("frameworks/index.md", "frameworks_index.md.j2", {}),
        ("countries/index.md", "countries_index.md.j2", {}),
        ("programs/index.md", "programs_index.md.j2", {}),
        ("practices/index.md", "practices_index.md.j2", {}),
        ("glossary/index.md", "glossary.md.j2", {}),
        ("data/index.md", "data.md.j2", {}),
        ("search.md", "search.md.j2", {}),
        ("contribute/fields.md", "fields.md.j2", {"kinds": field_reference(site.kb)}),
        ("contribute/propose.md", "propose.md.j2", {}),
    ]
    for vocabulary, (path, singular) in COMPARE_VOCABULARIES.items():
        pages.append((path, "compare.md.j2", {"vocabulary": vocabulary, "singular": singular}))
    for vocabulary, path in BROWSE_PAGES.items():
        pages.append((path, "browse.md.j2", {"vocabulary": vocabulary, "singular": COMPARE_VOCABULARIES[vocabulary][1]}))
    templates = {"framework": "framework.md.j2", "country": "country.md.j2", "program": "entry.md.j2", "practice": "entry.md.j2"}
    for entry in site.entries.values():
        pages.append((page_of(entry), templates[entry.kind], {"entry": entry}))
    return pages


def _common(site: Site, similar: dict[str, list[str]] | None = None, site_url: str = "") -> dict[str, Any]:
    similar = similar or {}
    return {"site": site, "kb": site.kb, "counts": site.counts(), "languages": LANGUAGES, "lang": site.language, "data_files": DATA_FILES,
            "offline_zip": OFFLINE_ZIP, "compare_pages": COMPARE_VOCABULARIES, "browse_pages": BROWSE_PAGES,
            "concept_labels": concept_labels, "page_of": page_of, "site_url": site_url, "compare_files": COMPARE_FILES,
            "language_name": lambda code: LANGUAGES.get(code, code),
            "criteria_of": lambda entry: extras.criteria(site, entry), "gcm_of": extras.gcm,
            "citation_of": lambda entry: extras.citation(site, entry, site_url),
            "similar_of": lambda entry: extras.similar_elsewhere(site, similar, entry),
            "glossary_uses": lambda: extras.glossary_uses(site), "glossary_initials": lambda: extras.initials(site),
            "license": CONTENT_LICENSE, "gcm_names": list(GCM_OBJECTIVES.items()),
            # An address on the published site (a link target, already safe), or None when site_url is unknown.
            "published": lambda path: Markup(safe_url(site_url + path) or "") if site_url and safe_url(site_url + path) else None}


def render(kb: KnowledgeBase, templates: Path | str = DEFAULT_TEMPLATES, *, env: jinja2.Environment | None = None,
           similar: dict[str, list[str]] | None = None, site_url: str = "", language: str = "en") -> dict[str, str]:
    """Every generated page of the site, as {path relative to docs/: Markdown text}, in one language.

    similar: {entry id: ids of similar entries elsewhere} (kb.site.similar); site_url: the published address
    (permalinks in "Cite this page"), "" when unknown. The environment's catalogue gives the templates'
    own words; entries give their translated title and summary (kb.site.context.Site.translation).
    """
    env = env or make_environment(templates)
    site = build_site(kb, language, env.globals["gettext"])
    common = _common(site, similar, site_url)
    output: dict[str, str] = {}
    for path, template_name, context in _pages(site):
        output[path] = _render_one(env, template_name, {**common, **context, "page": path, "links": Links(path, site)})
    return output


def render_snippets(kb: KnowledgeBase, templates: Path | str = DEFAULT_TEMPLATES, *,
                    env: jinja2.Environment | None = None, language: str = "en") -> dict[str, Callable[[str], str]]:
    """Snippets hand-written pages can include with a marker, as marker -> function(page path) -> Markdown."""
    env = env or make_environment(templates)
    site = build_site(kb, language, env.globals["gettext"])
    common = _common(site)

    def stats(page: str) -> str:
        return _render_one(env, "stats.md.j2", {**common, "page": page, "links": Links(page, site)})

    return {STATS_MARKER: stats}


def _render_one(env: jinja2.Environment, template_name: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(template_name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template '{exc.name}' not found in {env.loader.searchpath}") from None  # type: ignore[union-attr]
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or template_name
        raise RenderError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{_template_where(exc, template_name)}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"{template_name}: template error: {exc.message or exc}") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, RecursionError) as exc:
        # A template bug at run time: one line naming the template line, not a Python traceback.
        raise RenderError(f"{_template_where(exc, template_name)}: template error: {type(exc).__name__}: {exc}") from None


def _template_where(exc: BaseException, template_name: str) -> str:
    """path:line of the innermost template frame of an exception (Jinja2 maps its frames to template lines)."""
    found = f"{template_name}:1"
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def write_pages(pages: dict[str, str], out: Path) -> list[Path]:
    """Write rendered pages below out; paths come from the renderer, checked again to stay inside."""
    out = out.resolve()
    written = []
    for relative, text in sorted(pages.items()):
        target = (out / relative).resolve()
        if out not in target.parents:
            raise RenderError(f"refusing to write outside {out}: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
