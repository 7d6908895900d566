"""The knowledge base as a dataset: one JSON file and three CSV files.

The site offers these for download (the MkDocs plugin adds them at build time) and
`kb export` writes the same bytes to a folder.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from kb.content.layout import LANGUAGES, valid_id
from kb.content.model import KnowledgeBase

# Names are fixed: paths never come from content.
FILES = {"json": ("knowledge-base.json",), "csv": ("entries.csv", "sources.csv", "glossary.csv")}
ENTRY_COLUMNS = ["id", "type", "title", "summary", "countries", "themes", "phases", "target_groups", "dimensions", "levels",
                 "frameworks", "related", "agency", "legal_basis", "status", "start_year", "end_year", "local_name",
                 "reviewed", "url", "source_urls"]
# The site's other languages: each gets a title, a summary and a status column (draft or reviewed).
TRANSLATED = ("id", "ms", "fil", "vi", "th")
TRANSLATION_COLUMNS = [f"{field}_{code}" for code in TRANSLATED for field in ("title", "summary", "translation_status")]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _entries(kb: KnowledgeBase) -> list[Any]:
    kinds = ("framework", "country", "program", "practice")
    return sorted((e for e in kb if valid_id(e.id)), key=lambda e: (kinds.index(e.kind), e.id))


def dataset(kb: KnowledgeBase) -> dict[str, Any]:
    """Everything as one JSON-ready object: entries (with type and site url), taxonomy, glossary."""
    entries = _entries(kb)
    return {
        "entries": [{"type": e.kind, "url": e.url, **e.data} for e in entries],
        "taxonomy": kb.taxonomy.vocabularies,
        "glossary": kb.concepts,
        "counts": {kind: sum(e.kind == kind for e in entries) for kind in ("framework", "country", "program", "practice")},
    }


def cell(value: Any) -> str:
    """A CSV cell: lists joined with '; ', and text that a spreadsheet would run as a formula kept as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value if not isinstance(v, dict | list))
    text = str(value)
    if text.startswith(_FORMULA_START) and not isinstance(value, int | float):
        text = "'" + text
    return text


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    # A BOM so that spreadsheets open the UTF-8 (Thai, Khmer, Burmese ...) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_files(kb: KnowledgeBase, formats: tuple[str, ...] = ("json", "csv")) -> dict[str, bytes]:
    """{file name: bytes} of the dataset in the given formats."""
    files: dict[str, bytes] = {}
    if "json" in formats:
        files["knowledge-base.json"] = (json.dumps(dataset(kb), ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
    if "csv" in formats:
        entries = [ENTRY_COLUMNS + TRANSLATION_COLUMNS]
        sources = [["entry_id", "entry_type", "title", "url", "publisher", "date", "accessed"]]
        for e in _entries(kb):
            data = e.data
            srcs = [s for s in data.get("sources") or [] if isinstance(s, dict)]
            row = {"id": e.id, "type": e.kind, "title": e.title, "summary": e.summary, "countries": e.countries,
                   "url": e.url, "source_urls": [s.get("url") for s in srcs]}
            translations = data.get("translations") if isinstance(data.get("translations"), dict) else {}
            for code in TRANSLATED:
                found = translations.get(code) if isinstance(translations.get(code), dict) else {}
                row.update({f"title_{code}": found.get("title"), f"summary_{code}": found.get("summary"),
                            f"translation_status_{code}": (found.get("status") or "draft") if found else None})
            entries.append([row[c] if c in row else data.get(c) for c in ENTRY_COLUMNS + TRANSLATION_COLUMNS])
            sources += [[e.id, e.kind, s.get("title"), s.get("url"), s.get("publisher"), s.get("date"), s.get("accessed")] for s in srcs]
        # `kind` tells a concept's labels (which name it) from its related terms (which only neighbour it).
        glossary = [["concept_id", "language", "language_name", "label", "definition", "kind"]]
        for concept in kb.concepts:
            for kind in ("labels", "related"):
                terms = concept.get(kind) if isinstance(concept.get(kind), dict) else {}
                for code, value in terms.items():
                    for label in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                        glossary.append([concept.get("id"), code, LANGUAGES.get(code, code), label, concept.get("definition"),
                                         kind.rstrip("s")])
        files.update({"entries.csv": _csv(entries), "sources.csv": _csv(sources), "glossary.csv": _csv(glossary)})
    return files


def write_export(kb: KnowledgeBase, out: Path, formats: tuple[str, ...] = ("json", "csv")) -> list[Path]:
    """Write the dataset files into out (created if needed); each file is replaced whole, never half-written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, payload in export_files(kb, formats).items():
        target = out / name
        temporary = out / f".{name}.tmp"
        temporary.write_bytes(payload)
        temporary.replace(target)
        written.append(target)
    return written
