"""What entry, framework and glossary pages show beyond the entry's own fields: criteria with their
labels, GCM objectives, the citation block, "similar elsewhere", anchors into Browse, glossary uses.

Plain functions over the Site (kb.site.context), offered to the templates by kb.site.render.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from pymdownx.slugs import slugify

from kb.content.gcm import gcm_objectives
from kb.content.model import Entry
from kb.content.publishing import CONTENT_LICENSE, absolute
from kb.site.context import BROWSE_PAGES, Site

# Material's tags plugin: headings of a tags listing get the id "tag:" + this slug of the tag name.
_TAG_SLUG = slugify(case="lower")
GLOSSARY_SHOWN = 12
_TEXT_FIELDS = ("title", "summary", "description", "results", "lessons")


def tag_anchor(site: Site, vocabulary: str, term: str) -> str | None:
    """The anchor of a term's section on its Browse page, as the tags plugin writes it (None if untagged)."""
    name = site.tag_names.get((vocabulary, term))
    return f"tag:{_TAG_SLUG(name, '-')}" if name and vocabulary in BROWSE_PAGES else None


def criteria(site: Site, entry: Entry) -> list[dict[str, str]]:
    """The entry's good-practice criteria: id, label and description from the taxonomy, and the evidence sentence."""
    value = entry.data.get("criteria")
    if not isinstance(value, dict):
        return []
    known = {t.get("id"): t for t in site.kb.taxonomy.terms("criteria")}
    return [{"id": key, "label": str(known.get(key, {}).get("label") or key), "description": str(known.get(key, {}).get("description") or ""),
             "evidence": text} for key, text in value.items() if isinstance(key, str) and isinstance(text, str)]


def gcm(entry: Entry) -> list[tuple[int, str]]:
    """(number, short name) of the GCM objectives the entry serves."""
    return gcm_objectives(entry.data.get("gcm_objectives"))


def citation(site: Site, entry: Entry, site_url: str) -> dict[str, Any]:
    """What the "Cite this page" block shows: the text of a citation, the permalink, the review date, the licence."""
    reviewed = entry.data.get("reviewed")
    permalink = absolute(entry.url, site_url) if site_url else ""
    parts = [f"“{entry.title}”", "ASEAN Return and Reintegration Knowledge Base"]
    if isinstance(reviewed, str) and reviewed:
        parts.append(f"Last reviewed {reviewed}")
    if permalink:
        parts.append(permalink)
    return {"text": ". ".join(parts) + ".", "permalink": permalink, "reviewed": reviewed if isinstance(reviewed, str) else None,
            "license": CONTENT_LICENSE}


def similar_elsewhere(site: Site, similar: dict[str, list[str]], entry: Entry) -> list[Entry]:
    """The entries most like this one in other countries (computed at build time by `kb similar`'s query)."""
    return [e for e in (site.get(i) for i in similar.get(entry.id, [])) if e is not None and e is not entry]


def glossary_uses(site: Site) -> dict[str, list[Entry]]:
    """{concept id: programmes, practices and frameworks that use it}: tagged with the concept's taxonomy term,
    or naming one of its English labels (whole words, any case, also with a plural -s) in their title, summary or text."""
    global _USES
    kb_ref, entry_ids, ids = _USES
    if kb_ref() is not site.kb or entry_ids != list(site.entries):
        ids = _glossary_use_ids(site)
        _USES = (weakref.ref(site.kb), list(site.entries), ids)
    return {concept: [site.entries[i] for i in used] for concept, used in ids.items()}


# The same in every language: computed once for the loaded knowledge base (the language builds fork with it).
_USES: tuple[Any, list[str], dict[str, list[str]]] = (lambda: None, [], {})


def _glossary_use_ids(site: Site) -> dict[str, list[str]]:
    texts = {e.id: " ".join(str(e.data.get(f) or "") for f in _TEXT_FIELDS).casefold() for e in site.entries.values()}
    entries = sorted((e for e in site.entries.values() if e.kind in ("program", "practice", "framework")), key=lambda e: e.title.casefold())
    uses: dict[str, list[str]] = {}
    for concept in site.concepts():
        en = (concept.get("labels") or {}).get("en") if isinstance(concept.get("labels"), dict) else None
        labels = [en] if isinstance(en, str) else [v for v in en or [] if isinstance(v, str)]
        folded = [label.casefold() for label in labels if label.strip()]
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(label) for label in folded) + r")(?:s|es)?\b") if folded else None
        term = concept.get("theme")
        # A text holding none of the labels cannot match the pattern: the cheap substring test first.
        uses[concept["id"]] = [e.id for e in entries if (isinstance(term, str) and any(term in e.terms(v) for v in BROWSE_PAGES))
                               or (pattern is not None and any(label in texts[e.id] for label in folded) and pattern.search(texts[e.id]))]
    return uses


def initials(site: Site) -> list[tuple[str, str]]:
    """(letter, id of the first concept under it) for the glossary's A–Z index, in page order."""
    from kb.site.context import first_label

    seen: dict[str, str] = {}
    for concept in site.concepts():
        label = first_label(concept, "en") or concept["id"]
        letter = label[:1].upper() if label[:1].isalpha() else "#"
        seen.setdefault(letter, concept["id"])
    return list(seen.items())


_CODE_SPAN = re.compile(r"<code>([a-z0-9]+(?:-[a-z0-9]+)*)</code>")


def entry_code_links(html: Any, links: Any) -> Any:
    """Sanitized HTML in which a code span holding exactly an existing entry's id becomes a link to its page.

    The href comes from the validated id (links.html of its page path) and the title is escaped, so no
    content text reaches an attribute.
    """
    from markupsafe import Markup, escape

    if not html:
        return html

    def replace(match: re.Match[str]) -> str:
        found = links.site.get(match.group(1))
        if found is None:
            return match.group(0)
        from kb.site.context import page_of

        return f'<a href="{escape(links.html(page_of(found)))}">{escape(found.title)}</a>'

    return Markup(_CODE_SPAN.sub(replace, str(html)))
