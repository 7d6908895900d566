"""What makes the dataset citable: the content's licence, the publisher's address, the dataset's version.

Standard library only: `kb search` reads the address from here and must start fast, so
mkdocs.yml is not parsed as YAML; its one top-level `site_url:` line is read as text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

CONTENT_LICENSE = {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0 International",
                   "url": "https://creativecommons.org/licenses/by/4.0/"}
CODE_LICENSE = "MIT"
SITE_URL_ENV = "KB_SITE_URL"
_SITE_URL_LINE = re.compile(r"^site_url:[ \t]*['\"]?(https?://[^\s'\"#]+)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


def read_site_url(config_file: Path) -> str:
    """The `site_url` of an mkdocs.yml, or "" when the file or the setting is missing (or not http(s))."""
    try:
        text = config_file.read_text(encoding="utf-8", errors="replace")[:100_000]
    except OSError:
        return ""
    found = _SITE_URL_LINE.search(text)
    return found.group(1) if found else ""


def site_url(content: Path | None = None) -> str:
    """The published site's address, ending in "/", or "" when unknown.

    $KB_SITE_URL wins; else the `site_url` of the mkdocs.yml beside the content folder (the project's own),
    so another content tree (a test fixture, a fork's draft) never borrows the project's address.
    """
    value = os.environ.get(SITE_URL_ENV, "").strip()
    if not value and content is not None:
        value = read_site_url(Path(content).resolve().parent / "mkdocs.yml")
    return value.rstrip("/") + "/" if value else ""


def absolute(relative: str, base: str) -> str:
    """A site-relative path made absolute under base (left relative when base is "")."""
    return base + relative.lstrip("/") if base else relative


def generated_date() -> str:
    """The day the dataset is written (UTC, YYYY-MM-DD); $SOURCE_DATE_EPOCH fixes it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def dataset_version(generated: str) -> str:
    """The dataset's version: $KB_DATASET_VERSION (a release tag), else the day it was written."""
    return os.environ.get("KB_DATASET_VERSION", "").strip() or generated
