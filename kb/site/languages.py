"""One site per language: English at the root, the others under /<code>/ with the same paths.

The English `mkdocs build` is the main one. Once it has loaded and rendered the knowledge base,
it starts the other languages' builds in worker processes (forked, so they share what the main
build already loaded) and waits for them before it packs the offline zip. Each language build
is a plain MkDocs build of the same mkdocs.yml with its own site_dir, Material's own language
(`theme.language`; Filipino is `tl` there) and the kb plugin's `language` set.

Hand-written pages translate by suffix: docs/about.id.md is the Indonesian about.md. A page
without one shows the English (the plugin adds a note).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.site.i18n import SITE_LANGUAGES, language_name, theme_language

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.kb")
SUFFIXED = re.compile(r"^(?P<stem>.+)\.(?P<code>[a-z]{2,3})\.md$")
HTML_LANG = {"fil": "fil"}  # <html lang> and hreflang: BCP 47 codes (Material says tl for Filipino)


def suffix_of(src_uri: str, languages: tuple[str, ...] | list[str]) -> tuple[str, str] | None:
    """('about.md', 'id') for 'about.id.md' when id is a site language; None for any other file."""
    match = SUFFIXED.match(src_uri)
    if match and match.group("code") in languages and match.group("code") != "en":
        return f"{match.group('stem')}.md", match.group("code")
    return None


def hand_written(src_uris: list[str], language: str) -> tuple[dict[str, str], set[str], set[str]]:
    """For one language's build: (page -> its translated file, files to leave out, pages with no translation).

    docs/about.id.md is about.md on the Indonesian site; no suffixed file is a page of its own.
    """
    translated: dict[str, str] = {}
    suffixed: set[str] = set()
    for uri in src_uris:
        found = suffix_of(uri, SITE_LANGUAGES)  # every known language, built or not
        if found is not None:
            suffixed.add(uri)
            if found[1] == language:
                translated[found[0]] = uri
    pages = [uri for uri in src_uris if uri not in suffixed and uri.endswith(".md")]
    missing = {uri for uri in pages if language != "en" and uri not in translated}
    return translated, suffixed, missing


def untranslated(markdown: str, note: str) -> str:
    """A hand-written page shown in English on a translated site: a note in the language, the page marked English."""
    return f'!!! note ""\n    {note}\n\n<div lang="en" markdown>\n\n{markdown}\n\n</div>\n'


def root_of(language: str) -> str:
    """A language site's folder below the English root."""
    return "" if language == "en" else f"{language}/"


def alternates(page_url: str, language: str, languages: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    """Material's `extra.alternate` for one page: the same page in every language, relative to the page itself.

    Material passes each link through MkDocs' `url` filter, which cannot climb out of a language's
    folder; `fix_alternates` puts these links back into the written page.
    """
    url = page_url or "index.html"
    up = "../" * url.count("/") + ("" if language == "en" else "../")
    return [{"name": language_name(code), "link": f"{up}{root_of(code)}{url}", "lang": HTML_LANG.get(code, code)}
            for code in languages]


_ALTERNATE_HREF = re.compile(r'href="[^"]*" hreflang="([a-z]{2,3})"')


def fix_alternates(html: str, links: list[dict[str, str]]) -> str:
    """The switcher's and the <head>'s hreflang links, as `alternates` computed them."""
    by_lang = {link["lang"]: link["link"] for link in links}
    return _ALTERNATE_HREF.sub(lambda m: f'href="{by_lang[m.group(1)]}" hreflang="{m.group(1)}"' if m.group(1) in by_lang
                               else m.group(0), html)


def language_config(config: MkDocsConfig, language: str) -> MkDocsConfig:
    """The main build's mkdocs.yml, loaded again for one language."""
    from mkdocs.config import load_config

    overrides: dict[str, Any] = {"site_dir": str(Path(config.site_dir) / language), "strict": config.strict}
    if config.site_url:
        overrides["site_url"] = config.site_url.rstrip("/") + f"/{language}/"
    sub = load_config(config.config_file_path, **overrides)
    sub.theme["language"] = theme_language(language)
    sub.plugins["kb"].config.language = language
    return sub


def _build_language(config_file: str, site_dir: str, site_url: str, strict: bool, language: str) -> tuple[str, str]:
    """Build one language (runs in a worker process): (language, '' or its error)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    try:
        started = time.perf_counter()
        main = load_config(config_file, site_dir=site_dir, site_url=site_url or None, strict=strict)
        build(language_config(main, language))
        log.info("kb: /%s/ built in %.1f s", language, time.perf_counter() - started)
        return language, ""
    except SystemExit as exc:  # MkDocs aborts a strict build this way
        return language, f"{language}: build aborted ({exc})"
    except Exception as exc:  # noqa: BLE001 (reported by the main build, which then fails)
        return language, f"{language}: {type(exc).__name__}: {exc}"


class LanguageBuilds:
    """The other languages' builds, running beside the main one: each worker takes the next language when it is free."""

    def __init__(self, config: MkDocsConfig, languages: list[str], workers: int | None = None) -> None:
        self.languages = [code for code in languages if code != "en"]
        workers = max(1, min(workers or (os.cpu_count() or 1), len(self.languages) or 1))
        context = multiprocessing.get_context("fork")
        self.pool = context.Pool(workers) if self.languages else None
        args = (config.config_file_path, config.site_dir, config.site_url or "", bool(config.strict))
        self.results = self.pool.imap_unordered(functools.partial(_build_language, *args), self.languages, chunksize=1) \
            if self.pool else iter(())

    def completed(self) -> Iterator[tuple[str, str]]:
        """(language, '' or its error) of each language build, as each finishes."""
        if self.pool is None:
            return
        try:
            yield from self.results
        finally:
            self.pool.close()
            self.pool.join()


def known(languages: list[str]) -> list[str]:
    unknown = [code for code in languages if code not in SITE_LANGUAGES]
    if unknown:
        raise ValueError(f"unknown site language(s) {', '.join(unknown)}; use some of: {', '.join(SITE_LANGUAGES)}")
    if not languages or languages[0] != "en":
        raise ValueError("English comes first: it is the site at the root, the others go below it")
    return languages
