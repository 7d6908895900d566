"""The shape of the content folder and its fixed vocabularies: names every module shares.

Plain constants and one function, no classes: `kb search` reads these and must start fast.
"""

from __future__ import annotations

import re
from typing import Any

# Where things stand under content/: these files feed every entry, these folders hold one kind
# each, and programs/<country code>/ holds programmes. kb.content.load and kb.search.freshness share this.
SHARED_FILES = {"taxonomy.yaml": "taxonomy", "glossary.yaml": "glossary"}
ENTRY_FOLDERS = {"frameworks": "framework", "countries": "country", "practices": "practice"}
ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_ID = 64
# Inline citations in Markdown fields: [^n] is the n-th source (1-based). kb.content.checks, kb.site.markup and kb stats share it.
CITATION_RE = re.compile(r"\[\^(\d+)\]")
COUNTRY_NAMES = {"BN": "Brunei Darussalam", "KH": "Cambodia", "ID": "Indonesia", "LA": "Lao PDR", "MY": "Malaysia",
                 "MM": "Myanmar", "PH": "Philippines", "SG": "Singapore", "TH": "Thailand", "VN": "Viet Nam"}
ENTRY_KINDS = ("framework", "country", "program", "practice")
SECTION = {"framework": "frameworks", "country": "countries", "program": "programs", "practice": "practices"}
VOCABULARIES = ("themes", "phases", "target_groups", "dimensions", "levels")
# The languages the site is built in, English (the source) first; entries are translated into the others.
SITE_LANGUAGES = ("en", "id", "ms", "fil", "vi", "th")
TRANSLATED = SITE_LANGUAGES[1:]
LANGUAGES = {"en": "English", "id": "Indonesian", "ms": "Malay", "fil": "Filipino", "vi": "Vietnamese",
             "th": "Thai", "km": "Khmer", "lo": "Lao", "my": "Burmese"}


def valid_id(value: Any) -> bool:
    """An id as the schema defines it, checked as a full match (safe to build a path from)."""
    return isinstance(value, str) and len(value) <= MAX_ID and ID_RE.fullmatch(value) is not None
