"""Knowledge-base checks: what no single file's schema can see (ids, taxonomy, references, age)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from kb.content import suggest
from kb.content.glossary_checks import check_glossary_labels
from kb.content.layout import CITATION_RE, COUNTRY_NAMES, VOCABULARIES, valid_id
from kb.content.model import Entry, KnowledgeBase
from kb.content.problems import Problem
from kb.content.schema import did_you_mean
from kb.content.values import check_values


def _at(entry: Entry, path: tuple[Any, ...], level: str, message: str, rule: str, key: bool = False) -> Problem:
    line, col = entry.parsed.position(path, prefer_key=key) if entry.parsed else (1, 1)
    return Problem(entry.path, line, col, level, message, rule)


def check_identity(kb: KnowledgeBase, entry: Entry) -> list[Problem]:
    """The id equals the file name, is unique, and the file stands in the right folder."""
    problems = []
    data_id = entry.data.get("id")
    if isinstance(data_id, str) and data_id != entry.file.stem and valid_id(data_id):  # a malformed id is reported once, by the schema
        problems.append(_at(entry, ("id",), "error", f"id '{data_id}' differs from the file name '{entry.file.stem}.yaml'; rename one of them", "id-filename"))
    if entry.id in kb.entries:
        other = kb.entries[entry.id]
        problems.append(_at(entry, ("id",), "error", f"id '{suggest.short(entry.id)}' is already used by {other.path}; ids are unique across all entries", "duplicate-id"))
    if entry.kind == "program":
        country = entry.data.get("country")
        if isinstance(country, str) and country in COUNTRY_NAMES and entry.file.parent.name != country.lower():
            problems.append(_at(entry, ("country",), "error", f"a programme of {country} belongs in programs/{country.lower()}/, not programs/{entry.file.parent.name}/", "path"))
    if entry.kind == "country":
        code = entry.data.get("code")
        if isinstance(code, str) and code in COUNTRY_NAMES and code.lower() != entry.file.stem:
            problems.append(_at(entry, ("code",), "error", f"the profile of {code} belongs in countries/{code.lower()}.yaml", "path"))
    return problems


HINTED = 20  # unknown values per field that get suggestions; a hostile file with thousands stays fast


def _check_terms(kb: KnowledgeBase, entry: Entry) -> Iterable[Problem]:
    ids = {vocabulary: kb.taxonomy.ids(vocabulary) for vocabulary in VOCABULARIES}
    for vocabulary in VOCABULARIES:
        known = ids[vocabulary]
        aliases = kb.taxonomy.aliases(vocabulary)
        labels = {t["id"]: str(t.get("label", "")) for t in kb.taxonomy.terms(vocabulary) if "id" in t}
        singular = vocabulary.rstrip("s").replace("_", " ")
        unknown = 0
        for index, term in enumerate(entry.terms(vocabulary)):
            if term in known:
                continue
            if term in aliases:
                yield _at(entry, (vocabulary, index), "warning", f"'{term}' was renamed; write '{aliases[term]}'", "taxonomy")
                continue
            unknown += 1
            elsewhere = next((v for v in VOCABULARIES if v != vocabulary and term in ids[v]), None)
            if elsewhere:
                hint = f"; it is one of the {elsewhere.replace('_', ' ')}: move it there"
            elif unknown <= HINTED:
                hint = suggest.hint(term, known, labels)
                other = [(v, c) for v in VOCABULARIES if v != vocabulary for c in suggest.closest(term, ids[v], n=1, spelling=False)]
                if not hint.startswith("; did") and other:  # `returnees` as a theme: a target group is meant
                    hint = f"; '{other[0][1]}' is one of the {other[0][0].replace('_', ' ')}: move it there"
                elif not hint:
                    hint = suggest.allowed(term, known, labels)
            else:
                hint = ""
            yield _at(entry, (vocabulary, index), "error", f"'{suggest.short(term)}' is not a {singular}{hint}", "taxonomy")


def _check_references(kb: KnowledgeBase, entry: Entry, unreadable: Collection[str] = ()) -> Iterable[Problem]:
    budget = [HINTED]

    def hinted(word: str, choices: Any) -> str:  # suggestions for the first few only
        budget[0] -= 1
        return did_you_mean(word, choices) if budget[0] >= 0 else ""

    for index, ref in enumerate(entry.data.get("related") or []):
        if not isinstance(ref, str):
            continue
        if ref == entry.id:
            yield _at(entry, ("related", index), "error", "an entry cannot be related to itself", "reference")
        elif ref not in kb.entries and ref not in unreadable:
            yield _at(entry, ("related", index), "error", f"related entry '{suggest.short(ref)}' does not exist{hinted(ref, kb.entries)}", "reference")
    choices: list[str] | None = None
    for index, ref in enumerate(entry.data.get("frameworks") or []):
        if isinstance(ref, str) and kb.principle(ref) is None:
            if choices is None:
                choices = [e.id for e in kb.of_kind("framework")] + [
                    f"{e.id}/{p.get('id')}" for e in kb.of_kind("framework") for p in e.data.get("principles") or [] if isinstance(p, dict)]
            yield _at(entry, ("frameworks", index), "error", f"framework or principle '{suggest.short(ref)}' does not exist{hinted(ref, choices)}", "reference")
    for index, law in enumerate(entry.data.get("laws") or []):
        if isinstance(law, dict) and isinstance(law.get("entry"), str) and law["entry"] not in kb.entries and law["entry"] not in unreadable:
            yield _at(entry, ("laws", index, "entry"), "error", f"entry '{law['entry']}' does not exist{hinted(law['entry'], kb.entries)}", "reference")
    # The schema limits codes to the ten member states; here each must also have a profile.
    field = "countries" if entry.kind == "practice" else "country" if entry.kind == "program" else None
    if field and kb.of_kind("country"):
        for index, code in enumerate(entry.countries):
            if code in COUNTRY_NAMES and kb.country(code) is None:
                path = (field, index) if field == "countries" else (field,)
                yield _at(entry, path, "error", f"country {code} has no profile; add countries/{code.lower()}.yaml", "reference")


CITING_FIELDS = ("description", "results", "lessons")


def _check_citations(entry: Entry) -> Iterable[Problem]:
    """Inline markers `[^n]` point at the n-th source (1-based); once an entry cites inline, every source should be cited."""
    sources = entry.data.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    cited: set[int] = set()
    texts: list[tuple[tuple[str, ...], object]] = [((field,), entry.data.get(field)) for field in CITING_FIELDS]
    criteria = entry.data.get("criteria")
    if isinstance(criteria, dict):  # a criterion's evidence cites its sources too (the page renders the markers)
        texts += [(("criteria", key), value) for key, value in criteria.items() if isinstance(key, str)]
    for path, text in texts:
        if not isinstance(text, str):
            continue
        for match in CITATION_RE.finditer(text):
            number = int(match.group(1))
            if 1 <= number <= count:
                cited.add(number)
            else:
                yield _at(entry, path, "error", f"citation [^{number}] points at no source; this entry has {count} source(s), numbered from 1", "citation")
    if cited:
        for number in range(1, count + 1):
            if number not in cited:
                yield _at(entry, ("sources", number - 1), "warning", f"source {number} is cited nowhere; cite it with [^{number}] where its facts are used, or drop it", "citation")


def _check_criteria(kb: KnowledgeBase, entry: Entry) -> Iterable[Problem]:
    criteria = entry.data.get("criteria")
    if not isinstance(criteria, dict):
        return
    known = kb.taxonomy.ids("criteria")
    for key in criteria:
        if key not in known:
            allowed = ", ".join(sorted(known))
            yield _at(entry, ("criteria", key), "error", f"'{suggest.short(key)}' is not a good-practice criterion{did_you_mean(key, known)} (allowed: {allowed})", "taxonomy", key=True)


def _check_dates(entry: Entry, today: dt.date, stale_days: int) -> Iterable[Problem]:
    start, end = entry.data.get("start_year"), entry.data.get("end_year")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        yield _at(entry, ("end_year",), "error", f"end_year {end} is before start_year {start}", "years")
    reviewed = entry.data.get("reviewed")
    if isinstance(reviewed, str):
        try:
            when = dt.date.fromisoformat(reviewed)
        except ValueError:
            return  # the schema reports bad dates
        age = (today - when).days
        if age > stale_days:
            yield _at(entry, ("reviewed",), "warning", f"last reviewed {reviewed}, {age} days ago; check it against its sources and update 'reviewed'", "stale")
        elif age < -1:
            yield _at(entry, ("reviewed",), "error", f"reviewed date {reviewed} is in the future", "date")


def _check_glossary(kb: KnowledgeBase) -> Iterable[Problem]:
    parsed, path = kb.glossary, kb.glossary_path
    if parsed is None:
        return
    known = set().union(*(kb.taxonomy.ids(v) for v in VOCABULARIES))
    seen: dict[str, int] = {}
    for index, concept in enumerate(kb.concepts):
        cid = concept.get("id")
        if isinstance(cid, str):
            if cid in seen:
                line, col = parsed.position(("concepts", index, "id"))
                yield Problem(path, line, col, "error", f"concept id '{cid}' is used twice (also concept {seen[cid] + 1})", "duplicate-id")
            seen.setdefault(cid, index)
        theme = concept.get("theme")
        if isinstance(theme, str) and known and theme not in known:
            line, col = parsed.position(("concepts", index, "theme"))
            yield Problem(path, line, col, "error", f"'{theme}' is not a taxonomy term{did_you_mean(theme, known)}", "taxonomy")


def _check_values(entry: Entry) -> Iterable[Problem]:
    """Placeholders, invisible characters, unusable addresses and reserved ids (kb.content.values)."""
    for path, level, message, rule in check_values(entry.data, entry.kind):
        yield _at(entry, path, level, message, rule)


def _check_editor_schemas(kb: KnowledgeBase) -> Iterable[Problem]:
    """The schemas that modelines name (content/schemas/) must match the taxonomy and the frameworks."""
    from kb.content.editor_schemas import FOLDER, stale_files

    if not kb.taxonomy.vocabularies:
        return
    for name in stale_files(kb, kb.root):
        yield Problem(str(kb.root / FOLDER / name), 1, 1, "warning",
                      "editor schema is missing or stale (the taxonomy or frameworks changed); run `kb schemas` to write it again", "schemas")


def check_knowledge_base(kb: KnowledgeBase, today: dt.date, stale_days: int, broken: Collection[str] = (),
                         unreadable: Collection[str] = ()) -> list[Problem]:
    """Every cross-file problem of the knowledge base.

    Args:
        broken: shared files ("taxonomy", "glossary") that have errors of their own; the checks that
            depend on them are skipped rather than burying that error under follow-on ones.
        unreadable: ids (file names) of entries that could not be parsed; references to them are
            not reported as well, since the file's own error says it all.
    """
    problems: list[Problem] = []
    taxonomy_ok = "taxonomy" not in broken
    if not kb.taxonomy.vocabularies and taxonomy_ok:
        problems.append(Problem(str(kb.root / "taxonomy.yaml"), 1, 1, "error", "taxonomy.yaml is missing or empty; every theme and phase is checked against it", "taxonomy"))
    for entry in kb:
        if taxonomy_ok:
            problems.extend(_check_terms(kb, entry))
            problems.extend(_check_criteria(kb, entry))
        problems.extend(_check_references(kb, entry, unreadable))
        problems.extend(_check_dates(entry, today, stale_days))
        problems.extend(_check_values(entry))
        problems.extend(_check_citations(entry))
    if taxonomy_ok:
        problems.extend(_check_glossary(kb))
        problems.extend(check_glossary_labels(kb))
        problems.extend(_check_editor_schemas(kb))
    return problems
