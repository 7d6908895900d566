"""What the site's pages show, computed from the knowledge base (no text formatting here).

Every output path is derived from an entry id that matches the id pattern; an entry
whose id does not (the loader reports it as an error) gets no page and no links.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb.content.layout import LANGUAGES, SECTION, valid_id
from kb.content.model import Entry, KnowledgeBase
from kb.content.schema import load_schema
from kb.site.markup import attr_text

COUNTRY = re.compile(r"^[A-Z]{2}$")
COMPARE_VOCABULARIES = {"themes": ("compare/index.md", "theme"), "phases": ("compare/phases.md", "phase"),
                        "target_groups": ("compare/target-groups.md", "target group")}
BROWSE_PAGES = {"themes": "browse/index.md", "phases": "browse/phases.md", "target_groups": "browse/target-groups.md"}
TAGGED_VOCABULARIES = ("themes", "phases", "target_groups")
FIELD_KINDS = ("program", "practice", "country", "framework", "glossary")


def page_of(entry: Entry) -> str:
    """The Markdown file of an entry's page, relative to the docs folder."""
    if not valid_id(entry.id):
        raise ValueError(f"refusing to derive a path from the id {entry.id!r}")
    return f"{SECTION[entry.kind]}/{entry.id}.md"


class Fields(dict):
    """An entry's fields for templates: an optional field that is absent reads as None.

    StrictUndefined still catches misspelled variables and attributes of objects; only
    lookups in content mappings, where absence is normal, answer None.
    """

    def __missing__(self, key: Any) -> None:
        return None


def as_fields(value: Any) -> Any:
    if isinstance(value, dict):
        return Fields({k: as_fields(v) for k, v in value.items()})
    if isinstance(value, list):
        return [as_fields(v) for v in value]
    return value


@dataclass
class Site:
    """The knowledge base as the pages see it: only entries with valid ids, plus the computed relations."""

    kb: KnowledgeBase
    entries: dict[str, Entry] = field(default_factory=dict)
    backlinks: dict[str, list[Entry]] = field(default_factory=dict)  # id -> entries that name it in `related`
    implementers: dict[str, list[Entry]] = field(default_factory=dict)  # framework ref -> entries naming it
    tag_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (vocabulary, term) -> tag name
    language: str = "en"  # the language of the pages being rendered
    gettext: Callable[[str], str] = field(default=lambda message: message, repr=False)  # the catalogue's, for labels
    _by_kind: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _by_country: dict[tuple[str, str], list[Entry]] = field(default_factory=dict, repr=False)

    def data(self, entry: Entry) -> Fields:
        """The entry's fields, absent ones reading as None."""
        return as_fields(entry.data)

    def translation(self, entry: Entry) -> Fields | None:
        """The entry's title and summary in the site's language (None in English, or where there is none)."""
        if self.language == "en":
            return None
        translations = entry.data.get("translations")
        found = translations.get(self.language) if isinstance(translations, dict) else None
        if isinstance(found, dict) and isinstance(found.get("title"), str) and isinstance(found.get("summary"), str):
            return as_fields({"status": "draft", **found})
        return None

    def title(self, entry: Entry) -> str:
        found = self.translation(entry)
        return found["title"] if found else entry.title

    def summary(self, entry: Entry) -> str:
        found = self.translation(entry)
        return found["summary"] if found else entry.summary

    def source_path(self, entry: Entry) -> str:
        """Where the entry's file stands, as content/..., whatever the working folder."""
        try:
            return "content/" + entry.file.resolve().relative_to(self.kb.root.resolve()).as_posix()
        except ValueError:
            return entry.file.name

    def of_kind(self, kind: str) -> list[Entry]:
        # Pages ask for these lists many times; the knowledge base does not change while rendering.
        if kind not in self._by_kind:
            self._by_kind[kind] = [e for e in self.kb.of_kind(kind) if e.id in self.entries]
        return self._by_kind[kind]

    def get(self, entry_id: Any) -> Entry | None:
        return self.entries.get(entry_id) if isinstance(entry_id, str) else None

    @property
    def initiatives(self) -> list[Entry]:
        """Programmes and practices: what the compare and browse pages are about."""
        return sorted(self.of_kind("program") + self.of_kind("practice"), key=lambda e: e.title.casefold())

    def countries(self) -> list[tuple[str, str, Entry | None]]:
        """(code, name, profile entry or None) for every member state in the taxonomy, in taxonomy order."""
        codes = [t["id"] for t in self.kb.taxonomy.terms("countries") if isinstance(t.get("id"), str) and COUNTRY.match(t["id"])]
        for entry in self.of_kind("country"):
            if entry.countries and entry.countries[0] not in codes and COUNTRY.match(entry.countries[0]):
                codes.append(entry.countries[0])
        result = []
        for code in codes:
            profile = self.get(code.lower())
            result.append((code, self.country_name(code), profile if profile and profile.kind == "country" else None))
        return result

    def country_entries(self, code: str, kind: str) -> list[Entry]:
        if (code, kind) not in self._by_country:
            self._by_country[(code, kind)] = [e for e in self.of_kind(kind) if code in e.countries]
        return self._by_country[(code, kind)]

    def terms(self, vocabulary: str) -> list[dict[str, Any]]:
        return [t for t in self.kb.taxonomy.terms(vocabulary) if valid_id(t.get("id"))]

    def label(self, vocabulary: str, term: str) -> str:
        return self.gettext(self.kb.taxonomy.label(vocabulary, term))

    def term_options(self, vocabulary: str) -> list[tuple[str, str]]:
        """(id, label in the site's language) of a vocabulary's terms, for filter menus."""
        return [(t["id"], self.label(vocabulary, t["id"])) for t in self.terms(vocabulary)]

    def country_name(self, code: str) -> str:
        """A member state's name in the site's language: its profile's translated title, else the catalogue's."""
        profile = self.get(code.lower()) if isinstance(code, str) else None
        if profile is not None and profile.kind == "country" and self.translation(profile):
            return self.title(profile)
        return self.gettext(self.kb.country_name(code))

    def tags(self, entry: Entry) -> list[str]:
        return [self.tag_names[(v, t)] for v in TAGGED_VOCABULARIES for t in entry.terms(v) if (v, t) in self.tag_names]

    def principle_refs(self, entry: Entry) -> list[tuple[Entry, dict[str, Any] | None]]:
        """The frameworks and principles an entry names, resolved."""
        resolved = []
        for ref in entry.data.get("frameworks") or []:
            found = self.kb.principle(ref) if isinstance(ref, str) else None
            if found and found[0].id in self.entries and (found[1] is None or valid_id(found[1].get("id"))):
                resolved.append(found)
        return resolved

    def related(self, entry: Entry) -> list[Entry]:
        return [e for e in (self.get(r) for r in entry.data.get("related") or []) if e is not None and e is not entry]

    def matrix(self, vocabulary: str) -> list[dict[str, Any]]:
        """Rows of the compare page: per term, per country, the programmes and practices."""
        codes = [code for code, _, _ in self.countries()]
        found: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in self.initiatives:
            for term in entry.terms(vocabulary):
                for code in entry.countries:
                    found[(term, code)].append(entry)
        rows = []
        for term in self.terms(vocabulary):
            cells = {code: found.get((term["id"], code), []) for code in codes}
            rows.append({"id": term["id"], "label": self.label(vocabulary, term["id"]), "cells": cells,
                         "total": len({e.id for es in cells.values() for e in es})})
        return rows

    def counts(self) -> dict[str, int]:
        covered = {c for e in self.initiatives for c in e.countries}
        return {"frameworks": len(self.of_kind("framework")), "countries": len(self.of_kind("country")),
                "programs": len(self.of_kind("program")), "practices": len(self.of_kind("practice")),
                "principles": sum(len(self.principles(f)) for f in self.of_kind("framework")),
                "concepts": len(self.concepts()), "countries_covered": len(covered),
                "sources": sum(len(self.sources(e)) for e in self.entries.values())}

    @staticmethod
    def principles(framework: Entry) -> list[Fields]:
        return [as_fields(p) for p in framework.data.get("principles") or [] if isinstance(p, dict) and valid_id(p.get("id"))]

    @staticmethod
    def sources(entry_or_item: Entry | dict[str, Any]) -> list[Fields]:
        data = entry_or_item.data if isinstance(entry_or_item, Entry) else entry_or_item
        return [as_fields(s) for s in data.get("sources") or [] if isinstance(s, dict)]

    def concepts(self) -> list[Fields]:
        concepts = [as_fields(c) for c in self.kb.concepts if valid_id(c.get("id"))]
        return sorted(concepts, key=lambda c: str(first_label(c, "en") or c["id"]).casefold())


def first_label(concept: dict[str, Any], language: str) -> str | None:
    labels = concept.get("labels") if isinstance(concept.get("labels"), dict) else {}
    value = labels.get(language)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def concept_labels(concept: dict[str, Any], field: str = "labels") -> list[tuple[str, str, list[str]]]:
    """(language code, language name, terms) of a concept's `labels` (or `related`) in the order of LANGUAGES; the code is for `lang`."""
    labels = concept.get(field) if isinstance(concept.get(field), dict) else {}
    result = []
    for code, name in LANGUAGES.items():
        value = labels.get(code)
        items = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        if items:
            result.append((code, name, items))
    return result


def build_site(kb: KnowledgeBase, language: str = "en", gettext: Callable[[str], str] | None = None) -> Site:
    """Index the knowledge base for rendering: valid entries, backlinks, framework implementers, tag names."""
    site = Site(kb, {e.id: e for e in kb if valid_id(e.id) and e.kind in SECTION}, language=language)
    if gettext is not None:
        site.gettext = gettext
    backlinks: dict[str, list[Entry]] = defaultdict(list)
    implementers: dict[str, list[Entry]] = defaultdict(list)
    for entry in sorted(site.entries.values(), key=lambda e: e.title.casefold()):
        for ref in entry.data.get("related") or []:
            if isinstance(ref, str) and ref in site.entries and ref != entry.id:
                backlinks[ref].append(entry)
        for ref in entry.data.get("frameworks") or []:
            if isinstance(ref, str):
                implementers[ref].append(entry)
    site.backlinks, site.implementers = dict(backlinks), dict(implementers)
    # Tag names must be unique across vocabularies: the tags plugin knows names only.
    seen: dict[str, int] = defaultdict(int)
    for vocabulary in TAGGED_VOCABULARIES:
        for term in site.terms(vocabulary):
            seen[(attr_text(site.label(vocabulary, term["id"]), 80) or term["id"]).casefold()] += 1
    for vocabulary in TAGGED_VOCABULARIES:
        singular = COMPARE_VOCABULARIES[vocabulary][1]
        for term in site.terms(vocabulary):
            label = attr_text(site.label(vocabulary, term["id"]), 80) or term["id"]
            site.tag_names[(vocabulary, term["id"])] = label if seen[label.casefold()] == 1 else f"{label} ({singular})"
    return site


def _resolve(schema: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(("common.schema.json#/$defs/", "#/$defs/")):
        resolved = dict(common["$defs"].get(ref.rsplit("/", 1)[1], {}))
        return {**_resolve(resolved, common), **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _type_of(schema: dict[str, Any], common: dict[str, Any]) -> str:
    schema = _resolve(schema, common)
    if "enum" in schema:
        return "one of: " + ", ".join(map(str, schema["enum"]))
    kind = schema.get("type")
    if kind == "array":
        item = _resolve(schema.get("items", {}), common)
        return f"list of {_type_of(item, common)}" if item else "list"
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "string" and schema.get("format") == "date":
        return "date (YYYY-MM-DD, quoted)"
    if kind == "object" and "properties" in schema:
        return "mapping of " + ", ".join(schema["properties"])
    if kind == "object" and isinstance(schema.get("propertyNames"), dict) and "enum" in schema["propertyNames"]:
        return "mapping from one of: " + ", ".join(map(str, schema["propertyNames"]["enum"])) + " to a sentence"
    return str(kind or "any")


def field_reference(kb: KnowledgeBase | None = None) -> list[dict[str, Any]]:
    """Per kind of file, its fields from the JSON Schema: name, required, type (with the allowed values) and description.

    With the knowledge base, from the editor schemas, which carry the taxonomy's values as enums.
    """
    from kb.content.editor_schemas import editor_schemas

    editor = editor_schemas(kb) if kb is not None else None
    kinds = []
    for kind in FIELD_KINDS:
        schema = editor[f"{kind}.schema.json"] if editor else load_schema(kind)
        common = schema if editor else load_schema("common")
        required = set(schema.get("required", []))
        properties = schema.get("properties", {})
        if kind == "glossary":
            item = schema["properties"]["concepts"]["items"]
            required, properties = set(item.get("required", [])), item.get("properties", {})
        fields = []
        for name, spec in properties.items():
            resolved = _resolve(spec, common)
            fields.append({"name": name, "required": name in required, "type": _type_of(spec, common),
                           "description": str(spec.get("description") or resolved.get("description") or "")})
        fields.sort(key=lambda f: (not f["required"], f["name"] != "id", f["name"]))
        kinds.append({"kind": kind, "title": schema.get("title", kind), "description": schema.get("description", ""), "fields": fields})
    return kinds
