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

from kb.content.gcm import gcm_objectives
from kb.content.layout import LANGUAGES, TRANSLATED, valid_id
from kb.content.model import KnowledgeBase
from kb.content.publishing import CONTENT_LICENSE, absolute, dataset_version, generated_date

# Names are fixed: paths never come from content.
COMPARE_FILES = {"themes": "compare-themes.csv", "phases": "compare-phases.csv", "target_groups": "compare-target-groups.csv"}
FILES = {"json": ("knowledge-base.json",), "csv": ("entries.csv", "sources.csv", "criteria.csv", "glossary.csv", *COMPARE_FILES.values())}
ENTRY_COLUMNS = ["id", "type", "title", "summary", "countries", "themes", "phases", "target_groups", "dimensions", "levels",
                 "frameworks", "related", "agency", "legal_basis", "status", "start_year", "end_year", "local_name",
                 "gcm_objectives", "gcm_objective_names", "criteria", "reviewed", "url", "source_urls"]
# The site's other languages: each gets a title, a summary and a status column (draft or reviewed).
TRANSLATION_COLUMNS = [f"{field}_{code}" for code in TRANSLATED for field in ("title", "summary", "translation_status")]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _entries(kb: KnowledgeBase) -> list[Any]:
    kinds = ("framework", "country", "program", "practice")
    return sorted((e for e in kb if valid_id(e.id)), key=lambda e: (kinds.index(e.kind), e.id))


def about(site_url: str = "") -> dict[str, Any]:
    """What a citation needs: version, day written, licence, and where the site is published."""
    generated = generated_date()
    return {"title": "ASEAN Return and Reintegration Knowledge Base", "version": dataset_version(generated),
            "generated": generated, "license": CONTENT_LICENSE["id"], "license_name": CONTENT_LICENSE["name"],
            "license_url": CONTENT_LICENSE["url"], "site_url": site_url or None,
            "attribution": "Cite the knowledge base and the sources each entry names."}


def dataset(kb: KnowledgeBase, site_url: str = "") -> dict[str, Any]:
    """Everything as one JSON-ready object: about (version, licence ...), entries (with type and url), taxonomy, glossary.

    With site_url, entry urls are absolute (the permalinks a citation uses); without, relative to the site root.
    """
    entries = _entries(kb)
    return {
        **about(site_url),
        "entries": [{"type": e.kind, "url": absolute(e.url, site_url), **e.data,
                     **({"gcm_objective_names": dict(gcm_objectives(e.data.get("gcm_objectives")))} if e.data.get("gcm_objectives") else {})}
                    for e in entries],
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


def export_files(kb: KnowledgeBase, formats: tuple[str, ...] = ("json", "csv"), site_url: str = "") -> dict[str, bytes]:
    """{file name: bytes} of the dataset in the given formats (entry urls absolute under site_url when given)."""
    files: dict[str, bytes] = {}
    if "json" in formats:
        files["knowledge-base.json"] = (json.dumps(dataset(kb, site_url), ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
    if "csv" in formats:
        entries = [ENTRY_COLUMNS + TRANSLATION_COLUMNS]
        sources = [["entry_id", "entry_type", "number", "title", "url", "publisher", "date", "accessed"]]
        criteria = [["entry_id", "criterion", "label", "evidence"]]
        for e in _entries(kb):
            data = e.data
            srcs = [s for s in data.get("sources") or [] if isinstance(s, dict)]
            evidence = data.get("criteria") if isinstance(data.get("criteria"), dict) else {}
            gcm = gcm_objectives(data.get("gcm_objectives"))
            row = {"id": e.id, "type": e.kind, "title": e.title, "summary": e.summary, "countries": e.countries,
                   "url": absolute(e.url, site_url), "source_urls": [s.get("url") for s in srcs], "criteria": list(evidence),
                   "gcm_objectives": [str(n) for n, _ in gcm], "gcm_objective_names": [f"{n} {name}" for n, name in gcm]}
            translations = data.get("translations") if isinstance(data.get("translations"), dict) else {}
            for code in TRANSLATED:
                found = translations.get(code) if isinstance(translations.get(code), dict) else {}
                row.update({f"title_{code}": found.get("title"), f"summary_{code}": found.get("summary"),
                            f"translation_status_{code}": (found.get("status") or "draft") if found else None})
            entries.append([row[c] if c in row else data.get(c) for c in ENTRY_COLUMNS + TRANSLATION_COLUMNS])
            sources += [[e.id, e.kind, n, s.get("title"), s.get("url"), s.get("publisher"), s.get("date"), s.get("accessed")]
                        for n, s in enumerate(srcs, 1)]
            criteria += [[e.id, key, kb.taxonomy.label("criteria", key), text] for key, text in evidence.items()]
        # `kind` tells a concept's labels (which name it) from its related terms (which only neighbour it).
        glossary = [["concept_id", "language", "language_name", "label", "definition", "kind"]]
        for concept in kb.concepts:
            for kind in ("labels", "related"):
                terms = concept.get(kind) if isinstance(concept.get(kind), dict) else {}
                for code, value in terms.items():
                    for label in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                        glossary.append([concept.get("id"), code, LANGUAGES.get(code, code), label, concept.get("definition"),
                                         kind.rstrip("s")])
        files.update({"entries.csv": _csv(entries), "sources.csv": _csv(sources), "criteria.csv": _csv(criteria),
                      "glossary.csv": _csv(glossary)})
        files.update(compare_files(kb))
    return files


def compare_files(kb: KnowledgeBase) -> dict[str, bytes]:
    """The compare pages' tables as CSV: one row per term, one column per country, how many programmes and practices."""
    from kb.site.context import build_site  # the same rows as the pages

    site = build_site(kb)
    codes = [code for code, _, _ in site.countries()]
    files = {}
    for vocabulary, name in COMPARE_FILES.items():
        rows: list[list[Any]] = [["id", "label", "total", *codes]]
        for row in site.matrix(vocabulary):
            rows.append([row["id"], row["label"], row["total"], *(len(row["cells"][code]) for code in codes)])
        files[name] = _csv(rows)
    return files


def write_export(kb: KnowledgeBase, out: Path, formats: tuple[str, ...] = ("json", "csv"), site_url: str = "") -> list[Path]:
    """Write the dataset files into out (created if needed); each file is replaced whole, never half-written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, payload in export_files(kb, formats, site_url).items():
        target = out / name
        temporary = out / f".{name}.tmp"
        temporary.write_bytes(payload)
        temporary.replace(target)
        written.append(target)
    return written
