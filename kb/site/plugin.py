"""A thin MkDocs plugin over the pure renderer: content/ YAML in, generated pages and data files out.

`mkdocs build` and `mkdocs serve` work straight from content/: the plugin loads the
knowledge base (refusing to build while it has errors), adds the rendered pages and the
dataset as generated files, watches content/ and templates/ for live reload, and after
the build packs the site into one zip for offline use.
"""

from __future__ import annotations

import logging
import os
import zipfile
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
SEARCH_SCRIPTS = ("assets/kb-search.js", "assets/kb-search-ui.js")
SEARCH_STYLE = "assets/kb-search.css"
SECTION_INDEXES = {"frameworks/index.md", "countries/index.md", "programs/index.md", "practices/index.md"}


class KnowledgeBaseConfig(Config):
    enabled = c.Type(bool, default=True)
    content = c.Type(str, default="content")
    templates = c.Type(str, default="templates")
    offline_zip = c.Type(bool, default=True)
    max_errors_shown = c.Type(int, default=50)
    # The search index that "similar elsewhere" on entry pages is computed from (`kb similar`'s query).
    # Empty: .kb/index beside mkdocs.yml for the project's own content/, a throwaway one for any other folder.
    index = c.Type(str, default="")
    similar = c.Type(bool, default=True)


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """Render content/ into the site (see kb.site.render)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.snippets: dict[str, Any] = {}
        self.generated: set[str] = set()

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
        if "search" in config.plugins or "material/search" in config.plugins:
            raise PluginError("kb: the site has its own search; remove the `search` plugin from mkdocs.yml")
        for script in SEARCH_SCRIPTS:
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        if SEARCH_STYLE not in config.extra_css:
            config.extra_css.append(SEARCH_STYLE)
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

        kb = self._load(config)
        site_url = config.site_url.rstrip("/") + "/" if config.site_url else ""
        similar = self._similar(config, kb) if self.config.similar else {}
        try:
            env = make_environment(self._path(config, self.config.templates))
            pages = render(kb, env=env, similar=similar, site_url=site_url)
            self.snippets = render_snippets(kb, env=env)
        except RenderError as exc:
            raise PluginError(f"kb: {exc}") from None
        from kb.search.site_data import site_search_files

        data = export_files(kb, site_url=site_url)
        extra: dict[str, str | bytes] = dict(pages)
        extra.update(site_search_files(kb))
        if config.site_url:  # published schemas, for editors outside a checkout: $ids where they are really served
            from kb.content.editor_schemas import editor_schemas, render as render_schema

            base = config.site_url.rstrip("/") + "/schemas/"
            extra.update({f"schemas/{name}": render_schema(schema) for name, schema in editor_schemas(kb, base_id=base).items()})
        for name in (*SEARCH_SCRIPTS, SEARCH_STYLE):
            extra[name] = (ASSETS / Path(name).name).read_bytes()
        extra.update({f"{Path(DATA_FILES['json']).parent.as_posix()}/{name}": payload for name, payload in data.items()})
        # The zip is packed after the build; this stand-in lets the Data page link to it.
        extra[OFFLINE_ZIP] = b"The offline zip is written by `mkdocs build` (not by `mkdocs serve`).\n"
        self.generated = set(extra)
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

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        for marker, snippet in self.snippets.items():
            if marker in markdown and page.file.src_uri not in self.generated:
                markdown = markdown.replace(marker, snippet(page.file.src_uri))
        return markdown

    @event_priority(-150)  # after the search and offline plugins have written the search index
    def _pack_offline_zip(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or not self.config.offline_zip or self.command == "serve":
            return
        from kb.site.render import OFFLINE_ZIP

        site = Path(config.site_dir)
        write_zip(site, site / OFFLINE_ZIP)

    on_post_build = _pack_offline_zip


def write_zip(site: Path, target: Path) -> Path:
    """Pack the built site into target (itself left out), replacing it only once complete."""
    temporary = target.with_name(target.name + ".tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    skip = {target.resolve(), temporary.resolve()}
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for folder, dirs, names in os.walk(site):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder, name)
                if path.resolve() in skip or path.is_symlink():
                    continue
                archive.write(path, Path("asean-reintegration-kb", path.relative_to(site)).as_posix())
    temporary.replace(target)
    log.info("kb: offline zip written to %s (%.1f MB)", target, target.stat().st_size / 1e6)
    return target
