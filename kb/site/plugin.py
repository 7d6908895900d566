"""A thin MkDocs plugin over the pure renderer: content/ YAML in, generated pages and data files out.

`mkdocs build` and `mkdocs serve` work straight from content/: the plugin loads the
knowledge base (refusing to build while it has errors), adds the rendered pages and the
dataset as generated files, watches content/ and templates/ for live reload, and after
the build packs the site into one zip for offline use.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kb")
# Material's offline plugin loads this shim from unpkg.com; a site read from a USB stick has no network.
REMOTE_SHIM = "https://unpkg.com/iframe-worker/shim"
LOCAL_SHIM = "assets/javascripts/iframe-worker-shim.js"
# The site's own search (kb/search/site_data.py computes its data; these scripts run it) replaces Material's.
ASSETS = Path(__file__).parent / "assets"
STRINGS_SCRIPT = "assets/kb-strings.js"  # the search scripts' words in the page's language (kb.site.i18n)
SEARCH_SCRIPTS = (STRINGS_SCRIPT, "assets/kb-search.js", "assets/kb-search-ui.js")
SEARCH_STYLE = "assets/kb-search.css"
_SHARED: dict[str, dict[str, Any]] = {}  # content folder -> what the English build loaded; its language builds fork with it
DEFAULT_EDIT_URI = "edit/main/docs/"
PROPOSE_ASSETS = ("assets/kb-propose.js", "assets/kb-propose.css")
SECTION_INDEXES = {"frameworks/index.md", "countries/index.md", "programs/index.md", "practices/index.md"}


class KnowledgeBaseConfig(Config):
    enabled = c.Type(bool, default=True)
    content = c.Type(str, default="content")
    templates = c.Type(str, default="templates")
    offline_zip = c.Type(bool, default=True)
    max_errors_shown = c.Type(int, default=50)
    # The site's languages, English first; each but English is built under /<code>/ (kb.site.languages).
    # A list, or "en,id" from the KB_LANGUAGES environment variable (mkdocs.yml's !ENV gives a string).
    languages = c.Type((list, str), default=["en"])
    locale = c.Type(str, default="locale")  # the gettext catalogues (kb.site.i18n)
    language = c.Type(str, default="en")  # set by the main build for each language's own build
    # The search index that "similar elsewhere" on entry pages is computed from (`kb similar`'s query).
    # Empty: .kb/index beside mkdocs.yml for the project's own content/, a throwaway one for any other folder.
    index = c.Type(str, default="")
    similar = c.Type(bool, default=True)
    # Where the propose page sends entries when mkdocs.yml has no repo_url (an e-mail address).
    contact = c.Type(str, default="")


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """Render content/ into the site (see kb.site.render)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.snippets: dict[str, Any] = {}
        self.generated: set[str] = set()
        self.builds: Any = None  # the other languages' builds, started by the English one
        self.missing_translation: set[str] = set()  # hand-written pages shown in English on a translated site
        self.sources: dict[str, str] = {}
        self.html_blocks: Any = None  # kb.site.html_blocks.Stash of this build

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return (base / value).resolve()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @event_priority(-100)  # after material's offline plugin has added its polyfill
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        for folder in (self.config.content, self.config.templates):
            path = str(self._path(config, folder))
            if path not in config.watch:
                config.watch.append(path)
        from kb.site.languages import known

        if self.config.language != "en" and config.copyright:
            from kb.site.i18n import translations

            config.copyright = translations(self._path(config, self.config.locale), self.config.language).gettext(config.copyright.strip())
        if isinstance(self.config.languages, str):
            self.config.languages = [code for code in re.split(r"[\s,]+", self.config.languages) if code]
        try:
            known(self.config.languages)
        except ValueError as exc:
            raise PluginError(f"kb: plugin option 'languages': {exc}") from None
        if "search" in config.plugins or "material/search" in config.plugins:
            raise PluginError("kb: the site has its own search; remove the `search` plugin from mkdocs.yml")
        for script in SEARCH_SCRIPTS:
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        if SEARCH_STYLE not in config.extra_css:
            config.extra_css.append(SEARCH_STYLE)
        if config.repo_url and not config.edit_uri:  # left empty in mkdocs.yml so a site without repo_url builds strict
            config.edit_uri = DEFAULT_EDIT_URI
        polyfills = config.extra.get("polyfills")
        if isinstance(polyfills, list):
            config.extra["polyfills"] = [LOCAL_SHIM if p == REMOTE_SHIM else p for p in polyfills]
        return config

    def _load(self, config: MkDocsConfig) -> Any:
        from kb.content.load import load
        from kb.content.problems import format_text

        content = self._path(config, self.config.content)
        if not content.is_dir():
            raise PluginError(f"kb: content folder '{content}' not found (plugin option 'content')")
        result = load(content)
        if result.errors:
            from kb.site.serve_errors import record

            record(format_text(result.errors).splitlines())  # all of them, for kb serve's error page
            shown = result.errors[: self.config.max_errors_shown]
            more = len(result.errors) - len(shown)
            # MkDocs prints PluginError's message without a traceback.
            raise PluginError(f"kb: the content has {len(result.errors)} error(s); fix them (run `kb validate`):\n"
                              + format_text(shown) + (f"\n... and {more} more" if more else ""))
        for warning in result.warnings[:10]:
            log.info("%s:%s: %s [%s]", warning.path, warning.line, warning.message, warning.rule)
        return result.kb

    @event_priority(50)  # before the tags and search plugins read the files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        from kb.site.export import export_files
        from kb.site.render import DATA_FILES, OFFLINE_ZIP, RenderError, make_environment, render, render_snippets

        from kb.site.i18n import translations

        language = self.config.language
        content = self._path(config, self.config.content)
        site_url = config.site_url.rstrip("/") + "/" if config.site_url else ""
        # A language build uses what the English build (its parent, forked) loaded; the English build
        # always loads afresh, so that `kb serve` sees every change.
        inherited = language != "en" and str(content) in _SHARED
        shared = _SHARED[str(content)] if inherited else None
        if shared is None:
            kb = self._load(config)
            shared = _SHARED[str(content)] = {"kb": kb, "data": export_files(kb, site_url=site_url),
                                              "similar": self._similar(config, kb) if self.config.similar else {}}
            if len(self.config.languages) > 1:  # what every language's glossary shows, once before the builds fork
                from kb.site.context import build_site
                from kb.site.extras import glossary_uses

                glossary_uses(build_site(kb, "en", lambda message: message))
        kb = shared["kb"]
        if language == "en" and len(self.config.languages) > 1 and self.command == "build":
            from kb.site.languages import LanguageBuilds

            # Started now, beside the English pages: the workers fork with the loaded content. They leave
            # out the search data, which no page links to: the English build computes it meanwhile, and
            # links its files into each language's folder when the languages are done (_pack_offline_zip).
            self.builds = LanguageBuilds(config, self.config.languages)
        if "search" not in shared and not inherited:
            from kb.search.site_data import site_search_files

            shared["search"] = site_search_files(kb)
        catalogue = translations(self._path(config, self.config.locale), language)
        try:
            env = make_environment(self._path(config, self.config.templates), catalogue)
            pages = render(kb, env=env, similar=shared["similar"], site_url=site_url, language=language)
            self.snippets = render_snippets(kb, env=env, language=language)
        except RenderError as exc:
            from kb.site.serve_errors import record

            record([str(exc)])
            raise PluginError(f"kb: {exc}") from None
        files = self._hand_written(files, config, language)
        data = shared["data"]
        extra: dict[str, str | bytes] = dict(pages)
        extra.update(shared.get("search", {}))
        if config.site_url:  # published schemas, for editors outside a checkout: $ids where they are really served
            from kb.content.editor_schemas import editor_schemas
            from kb.content.editor_schemas import render as render_schema

            base = config.site_url.rstrip("/") + "/schemas/"
            extra.update({f"schemas/{name}": render_schema(schema) for name, schema in editor_schemas(kb, base_id=base).items()})
        for name in (*SEARCH_SCRIPTS, SEARCH_STYLE, *PROPOSE_ASSETS):
            if name != STRINGS_SCRIPT:
                extra[name] = (ASSETS / Path(name).name).read_bytes()
        from kb.site.i18n import ui_strings_js
        from kb.site.propose import DATA_FILE, data_script, propose_data

        extra[STRINGS_SCRIPT] = ui_strings_js(catalogue)
        extra[DATA_FILE] = data_script(propose_data(kb, repo_url=config.repo_url, contact=self.config.contact,
                                                    gettext=catalogue.gettext))
        extra.update({f"{Path(DATA_FILES['json']).parent.as_posix()}/{name}": payload for name, payload in data.items()})
        # The zip is packed after the build; this stand-in lets the Data page link to it.
        extra[OFFLINE_ZIP] = b"The offline zip is written by `mkdocs build` (not by `mkdocs serve`).\n"
        self.generated = set(extra)
        from kb.site.html_blocks import Stash

        self.html_blocks = Stash()
        config_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.sources = {}
        for entry in kb:  # the YAML file behind each entry page, for its "edit this page" link
            try:
                self.sources[f"{entry.url[:-5]}.md"] = entry.file.resolve().relative_to(config_dir.resolve()).as_posix()
            except ValueError:
                continue
        for path, payload in extra.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"kb: docs/{path} is hand-written but the site generates that page; rename or remove it")
            entry_page = path.endswith(".md") and "/" in path and path.split("/")[0] in {"frameworks", "countries", "programs", "practices"} \
                and path not in SECTION_INDEXES
            # Entry pages stay out of the navigation: a nav item per page makes large builds slow.
            inclusion = InclusionLevel.NOT_IN_NAV if entry_page else InclusionLevel.UNDEFINED
            file = File.generated(config, path, content=payload, inclusion=inclusion)
            files.append(file)
        log.info("kb: %d pages generated from %d entries", len(pages), len(kb))
        return files

    def _hand_written(self, files: Files, config: MkDocsConfig, language: str) -> Files:
        """docs/about.id.md is about.md on the Indonesian site; no suffixed file is a page of its own."""
        from mkdocs.structure.files import Files as FileList

        from kb.site.languages import hand_written

        translated, suffixed, self.missing_translation = hand_written([f.src_uri for f in files], language)
        by_uri = {f.src_uri: f for f in files}
        result = []
        for file in files:
            if file.src_uri in suffixed:
                continue
            source = by_uri.get(translated.get(file.src_uri, ""))
            result.append(File.generated(config, file.src_uri, abs_src_path=source.abs_src_path, inclusion=file.inclusion)
                          if source is not None else file)
        return FileList(result)

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.config.language == "en":
            return nav
        from kb.site.i18n import translations

        catalogue = translations(self._path(config, self.config.locale), self.config.language)

        def walk(items: list[Any]) -> None:
            for item in items:
                if getattr(item, "title", None):
                    item.title = catalogue.gettext(item.title)
                if getattr(item, "children", None):
                    walk(item.children)

        walk(nav.items)
        return nav

    def _similar(self, config: MkDocsConfig, kb: Any) -> dict[str, list[str]]:
        from kb.search.storage import IndexFailure
        from kb.site.similar import similar_elsewhere_ids

        content = self._path(config, self.config.content)
        if self.config.index:
            index_dir: Path | None = self._path(config, self.config.index)
        elif content == self._path(config, "content"):
            index_dir = self._path(config, os.environ.get("KB_INDEX") or ".kb/index")
        else:
            index_dir = None
        ids = [e.id for e in kb if e.kind in ("program", "practice")]
        try:
            return similar_elsewhere_ids(content, index_dir, ids, reuse_stale=self.command == "serve")
        except IndexFailure as exc:  # busy or unwritable: the pages build without the lists
            log.info("kb: no 'similar elsewhere' lists: %s", exc)
            return {}

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """A failed rebuild shows its problems in the browser, and no request waits for a fix (kb.site.serve_errors)."""
        from kb.site.serve_errors import install

        return install(server)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if page.file.src_uri in self.generated:
            # MkDocs would point "edit this page" at docs/<page>.md, which does not exist: an entry's
            # page edits its YAML file instead, and other generated pages have no such link.
            page.edit_url = content_edit_url(config, self.sources.get(page.file.src_uri))
            markdown = self.html_blocks.take(markdown)
        for marker, snippet in self.snippets.items():
            if marker in markdown and page.file.src_uri not in self.generated:
                markdown = markdown.replace(marker, snippet(page.file.src_uri))
        if page.file.src_uri in self.missing_translation:
            from kb.site.i18n import translations

            catalogue = translations(self._path(config, self.config.locale), self.config.language)
            from kb.site.languages import untranslated

            markdown = untranslated(markdown, catalogue.gettext("This page has not been translated yet; it is shown in English."))
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        return self.html_blocks.put_back(html) if self.html_blocks is not None else html

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        if len(self.config.languages) > 1:
            from kb.site.languages import alternates

            # Material renders the language switcher and the hreflang links from extra.alternate;
            # set per page, so that each leads to this same page in the other languages.
            config.extra["alternate"] = alternates(page.url, self.config.language, self.config.languages)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if len(self.config.languages) < 2:
            return output
        from kb.site.languages import HTML_LANG, alternates, fix_alternates

        code = HTML_LANG.get(self.config.language)
        if code:  # Material says <html lang="tl"> for Filipino; BCP 47 has fil
            output = output.replace('<html lang="tl"', f'<html lang="{code}"', 1)
        return fix_alternates(output, alternates(page.url, self.config.language, self.config.languages))

    @event_priority(-150)  # after the search and offline plugins have written the search index
    def _pack_offline_zip(self, *, config: MkDocsConfig) -> None:
        """Wait for the language builds and pack the offline zip of the whole site, each language as it is done."""
        builds, self.builds = self.builds, None
        zipping = self.config.enabled and self.config.offline_zip and self.command != "serve" and self.config.language == "en"
        if builds is None and not zipping:
            return
        from kb.site.render import OFFLINE_ZIP

        site = Path(config.site_dir)
        shared = _SHARED.get(str(self._path(config, self.config.content)), {})
        others = [code for code in self.config.languages if code != "en"]
        from kb.site.offline import ZipPacker, link_shared_files

        packer = ZipPacker(site, site / OFFLINE_ZIP) if zipping else None
        errors: list[str] = []
        try:
            if packer is not None:
                packer.add_tree(site, skip_folders=set(others))
            for code, error in builds.completed() if builds is not None else ():
                if error:
                    errors.append(error)
                    continue
                link_shared_files(site, code, shared.get("search", {}))
                if packer is not None:
                    packer.add_tree(site / code)
            if errors:
                raise PluginError("kb: a language's site was not built: " + "; ".join(errors))
            if packer is not None:
                packer.close()
        except BaseException:
            if packer is not None:
                packer.discard()
            raise
        if packer is not None:
            # Every language's Data page offers the one zip of the whole multilingual site.
            for code in others:
                if (site / code / OFFLINE_ZIP).parent.is_dir():
                    copy = site / code / OFFLINE_ZIP
                    copy.unlink(missing_ok=True)
                    os.link(site / OFFLINE_ZIP, copy)

    on_post_build = _pack_offline_zip

    def on_build_error(self, *, error: Exception) -> None:
        if self.builds is not None:
            self.builds.pool.terminate()
            self.builds = None


def content_edit_url(config: Any, source: str | None) -> str | None:
    """The repository's edit address of a file under the project folder, from repo_url and edit_uri."""
    if not source or not config.repo_url:
        return None
    from urllib.parse import urljoin

    edit_uri = (config.edit_uri or "").strip("/")
    docs_name = Path(config.docs_dir).name
    if edit_uri.endswith(docs_name):  # edit/main/docs -> edit/main
        edit_uri = edit_uri[: -len(docs_name)].rstrip("/")
    return urljoin(config.repo_url.rstrip("/") + "/", (edit_uri + "/" if edit_uri else "") + source)
