"""Running MkDocs for `kb build` and `kb serve`: load the config with the kb plugin, build, serve.

The CLI stays free of MkDocs imports; every MkDocs failure comes back as one SiteError line.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class SiteError(Exception):
    """A site build or preview that cannot go on: one line for the user."""


def mkdocs_config(config_file: Path, content: Path, offline_zip: bool, index_dir: Path | None = None, **overrides: Any) -> Any:
    """MkDocs' config from config_file, with the kb plugin pointed at content."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise SiteError(f"{config_file} not found; run from the project folder or pass --config-file")
    try:
        config = load_config(str(config_file), **overrides)
    except ConfigurationError as exc:
        raise SiteError(f"{config_file}: {exc}") from None
    plugin = config.plugins.get("kb")
    if plugin is None:
        raise SiteError(f"{config_file} does not enable the kb plugin; add `- kb` under plugins")
    plugin.config["content"] = str(content.resolve())
    plugin.config["offline_zip"] = plugin.config["offline_zip"] and offline_zip
    if index_dir is not None:
        plugin.config["index"] = str(index_dir.resolve())
    return config


def show_mkdocs_log(level: int | None = None) -> None:
    """MkDocs' warnings (broken links, anchors) and the plugin's notes, on stderr as `mkdocs build` prints them."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_kb", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.setLevel(level or logging.WARNING)
        # The plugin's own errors (a broken template ...) come back as the command's one error line instead.
        handler.addFilter(lambda record: not (record.levelno >= logging.ERROR and record.getMessage().startswith("kb: ")))
        handler._kb = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@contextmanager
def _plugin_errors() -> Iterator[list[str]]:
    """The kb plugin's error messages logged while the block runs (MkDocs logs them, then aborts)."""
    captured: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR and record.getMessage().startswith("kb: "):
                captured.append(record.getMessage()[4:])

    capture = Capture()
    logging.getLogger("mkdocs").addHandler(capture)
    try:
        yield captured
    finally:
        logging.getLogger("mkdocs").removeHandler(capture)


def build_site(config: Any) -> None:
    """mkdocs build with a loaded config."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    with _plugin_errors() as captured:
        try:
            build(config)
        except (Abort, MkDocsException) as exc:
            # MkDocs logs a plugin's error, then aborts with a message of its own: keep the one that says what is wrong.
            raise SiteError(captured[-1] if captured else f"site build failed: {exc}") from None


def serve_site(config_file: Path, dev_addr: str, open_in_browser: bool) -> None:
    """mkdocs serve with live reload, until interrupted."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        with _plugin_errors() as captured:
            try:
                serve(config_file=str(config_file), dev_addr=dev_addr, open_in_browser=open_in_browser, livereload=True)
            except (Abort, MkDocsException) as exc:
                raise SiteError(captured[-1] if captured else str(exc)) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SiteError(f"{dev_addr} is already in use; pass another, e.g. --dev-addr 127.0.0.1:8001") from None
        raise
