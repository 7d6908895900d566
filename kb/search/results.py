"""Search results as plain data, and their text, JSON and CSV forms (no Whoosh, no click)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

MARK_OPEN, MARK_CLOSE = "**", "**"  # matched words in snippets (Markdown bold)


@dataclass
class Hit:
    id: str
    type: str
    title: str
    score: float
    url: str
    snippet: str
    countries: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    path: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> title, summary, status
    sources: list[dict[str, str]] = field(default_factory=list)  # the entry's numbered sources, in order

    def in_language(self, code: str) -> Hit:
        """The hit with its title, and its summary as the snippet, in that language where it has them."""
        found = self.translations.get(code)
        if not found:
            return self
        draft = " (draft translation)" if found.get("status", "draft") == "draft" else ""
        return Hit(**{**asdict(self), "title": found["title"], "snippet": found["summary"] + draft})


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    corrected: bool = False  # hits are for `suggestion`, the query itself found nothing
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "results": [asdict(h) for h in self.hits], "facets": self.facets,
                "suggestion": self.suggestion, "corrected": self.corrected, "notes": self.notes}


def site_url(relative: str, base: str = "") -> str:
    """The entry's page: relative to the site root, or absolute under base (kb.content.publishing.site_url)."""
    return f"{base.rstrip('/')}/{relative}" if base else relative


def format_json(results: Results) -> str:
    return json.dumps(results.to_json(), ensure_ascii=False, indent=2)


def format_csv(results: Results) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "id", "type", "title", "countries", "score", "url", "snippet"])
    for rank, hit in enumerate(results.hits, 1):
        row = [rank, hit.id, hit.type, hit.title, " ".join(hit.countries), f"{hit.score:.3f}", hit.url, plain(hit.snippet)]
        # A cell starting with = + - @ is a formula to spreadsheets: entries are untrusted.
        writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in "=+-@\t\r" else c for c in row])
    return out.getvalue()


def plain(snippet: str) -> str:
    return snippet.replace(MARK_OPEN, "")


def format_text(results: Results, bold: Any = None) -> str:
    """Readable results; `bold` styles matched words (click.style on a terminal)."""
    lines: list[str] = []
    if results.corrected and results.suggestion:
        lines.append(f"no results for '{results.query}'; showing results for '{results.suggestion}'")
    elif results.suggestion:
        lines.append(f"did you mean: {results.suggestion}")
    if not results.hits:
        lines.append("no results" + ("" if results.suggestion else "; try fewer or other words, or drop a filter"))
    for rank, hit in enumerate(results.hits, 1):
        where = ", ".join(hit.countries)
        lines.append(f"{rank:>2}. {hit.title}  [{hit.type}{' · ' + where if where else ''}]  {hit.score:.2f}")
        lines.append(f"    {hit.url}  ({hit.id})")
        snippet = hit.snippet
        if bold:
            snippet = re.sub(re.escape(MARK_OPEN) + "(.+?)" + re.escape(MARK_CLOSE), lambda m: bold(m[1]), snippet)
        else:
            snippet = plain(snippet)
        if snippet:
            lines.append(f"    {snippet}")
    if results.hits and results.total > len(results.hits):
        lines.append(f"({len(results.hits)} of {results.total} results; --limit for more)")
    for name, counts in results.facets.items():
        if counts:
            lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines)
