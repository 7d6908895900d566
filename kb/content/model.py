"""The in-memory knowledge base: entries, taxonomy and glossary, as loaded from content/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.content.layout import SECTION

if TYPE_CHECKING:  # no YAML at runtime: the site renderer and the exporter use this module too
    from kb.content.yaml_strict import ParsedYaml


@dataclass
class Entry:
    """One framework, country profile, programme or practice."""

    kind: str
    id: str
    data: dict[str, Any]
    path: str  # as shown to users
    file: Path
    parsed: ParsedYaml | None = None

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.data.get("name") or self.id)

    @property
    def summary(self) -> str:
        return str(self.data.get("summary") or "")

    @property
    def countries(self) -> list[str]:
        """Upper-case country codes the entry is about."""
        if self.kind == "program":
            return [self.data["country"]] if isinstance(self.data.get("country"), str) else []
        if self.kind == "country":
            return [self.data["code"]] if isinstance(self.data.get("code"), str) else []
        value = self.data.get("countries")
        return [c for c in value if isinstance(c, str)] if isinstance(value, list) else []

    def terms(self, vocabulary: str) -> list[str]:
        value = self.data.get(vocabulary)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    @property
    def url(self) -> str:
        """Path of the entry's page on the site, relative to the site root.

        The offline plugin turns directory URLs off, so pages are `<section>/<id>.html`.
        """
        return f"{SECTION[self.kind]}/{self.id}.html"


@dataclass
class Taxonomy:
    """Controlled vocabularies: name -> list of {id, label, description, aliases}."""

    vocabularies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def ids(self, vocabulary: str) -> set[str]:
        return {t["id"] for t in self.vocabularies.get(vocabulary, []) if isinstance(t, dict) and "id" in t}

    def aliases(self, vocabulary: str) -> dict[str, str]:
        return {a: t["id"] for t in self.vocabularies.get(vocabulary, []) if isinstance(t, dict)
                for a in t.get("aliases", []) or []}

    def label(self, vocabulary: str, term_id: str) -> str:
        for term in self.vocabularies.get(vocabulary, []):
            if isinstance(term, dict) and term.get("id") == term_id:
                return str(term.get("label", term_id))
        return term_id

    def terms(self, vocabulary: str) -> list[dict[str, Any]]:
        return [t for t in self.vocabularies.get(vocabulary, []) if isinstance(t, dict)]


@dataclass
class KnowledgeBase:
    """Everything under content/, keyed by id."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    concepts: list[dict[str, Any]] = field(default_factory=list)
    glossary: ParsedYaml | None = None  # kept for the positions of glossary problems
    glossary_path: str = "content/glossary.yaml"

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def of_kind(self, kind: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.kind == kind), key=lambda e: e.title.casefold())

    def country(self, code: str) -> Entry | None:
        return self.entries.get(code.lower()) if code else None

    def country_name(self, code: str) -> str:
        entry = self.country(code)
        if entry is not None and entry.kind == "country":
            return entry.title
        return self.taxonomy.label("countries", code)

    def principle(self, ref: str) -> tuple[Entry, dict[str, Any] | None] | None:
        """Resolve 'framework-id' or 'framework-id/principle-id'."""
        framework_id, _, principle_id = ref.partition("/")
        framework = self.entries.get(framework_id)
        if framework is None or framework.kind != "framework":
            return None
        if not principle_id:
            return framework, None
        for principle in framework.data.get("principles", []) or []:
            if isinstance(principle, dict) and principle.get("id") == principle_id:
                return framework, principle
        return None

    def implementers_of(self, ref: str) -> list[Entry]:
        """Entries whose `frameworks` name this framework or principle (backlinks)."""
        return [e for e in self.entries.values() if ref in (e.data.get("frameworks") or [])]
