"""`kb new`: valid skeleton entries, written where they belong, with the schema comment for editors."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from kb.content.layout import COUNTRY_NAMES, MAX_ID, valid_id
from kb.content.schema import load_schema

PLACEHOLDER = "TODO"


class ScaffoldError(ValueError):
    """A user mistake in `kb new`: the message says how to fix it."""


def slugify(title: str, max_length: int = 64) -> str:
    """An id from a title: ASCII lower-case words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    while len(slug) > max_length:
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug[:max_length]
    return slug


def _q(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def _optional_field_comments(kind: str, written: set[str]) -> list[str]:
    schema = load_schema(kind)
    lines = ["", "# Optional fields (see the schema for all rules):"]
    common = load_schema("common")["$defs"]
    for name, rule in schema["properties"].items():
        if name in written:
            continue
        ref = rule.get("$ref", "")
        resolved = common.get(ref.rsplit("/", 1)[-1], {}) if ref else rule
        hint = resolved.get("description", "")
        if "enum" in resolved:
            hint = (hint + " One of: " + ", ".join(map(str, resolved["enum"]))).strip()
        lines.append(f"# {name}:{' ' + hint if hint else ''}")
    return lines


def skeleton(kind: str, entry_id: str, title: str, countries: list[str], schema_ref: str, today: dt.date) -> str:
    """The text of a new, valid entry with placeholders for the editor to replace."""
    lines = [f"# yaml-language-server: $schema={schema_ref}", f"id: {entry_id}"]
    if kind == "country":
        code = countries[0]
        lines += [f"code: {code}", f"name: {_q(title)}", "role: origin"]
    else:
        lines.append(f"title: {_q(title)}")
        if kind == "program":
            lines.append(f"country: {countries[0]}")
        elif kind == "practice":
            lines.append("countries: [" + ", ".join(countries) + "]")
    lines += [
        "summary: >-",
        f"  {PLACEHOLDER}: one plain paragraph in your own words: what it is, who runs it, for whom.",
        "sources:",
        f"  - title: {_q(PLACEHOLDER + ': title of the page you read')}",
        f"    url: https://{PLACEHOLDER}",
        "# reviewed: YYYY-MM-DD, the day you checked every fact against the sources (set it yourself)",
    ]
    written = {"id", "title", "country", "countries", "summary", "sources", "reviewed", "code", "name", "role"}
    return "\n".join(lines + _optional_field_comments(kind, written)) + "\n"


def entry_path(content: Path, kind: str, entry_id: str, country: str | None) -> Path:
    if kind == "program":
        return content / "programs" / (country or "").lower() / f"{entry_id}.yaml"
    return content / {"practice": "practices", "country": "countries", "framework": "frameworks"}[kind] / f"{entry_id}.yaml"


# Other names people write for member states, besides the codes and COUNTRY_NAMES.
COUNTRY_ALIASES = {"brunei": "BN", "laos": "LA", "lao": "LA", "vietnam": "VN", "burma": "MM", "lao people's democratic republic": "LA"}


def country_code(value: str) -> str:
    """'ph', 'PH', 'Philippines', 'Viet Nam' or 'Vietnam' -> the upper-case code; ScaffoldError otherwise."""
    from kb.content.suggest import fold, hint

    names = {fold(name): code for code, name in COUNTRY_NAMES.items()}
    names.update({fold("the " + name): code for code, name in COUNTRY_NAMES.items()})
    names.update(COUNTRY_ALIASES)
    key = fold(value)
    if value.strip().upper() in COUNTRY_NAMES:
        return value.strip().upper()
    if key in names:
        return names[key]
    suggestion = hint(value, COUNTRY_NAMES.values()) if len(key) > 2 else ""
    if not suggestion.startswith("; did"):
        suggestion = ""
    raise ScaffoldError(f"'{value}' is not an ASEAN country code or name{suggestion}; use one of {', '.join(COUNTRY_NAMES)} "
                        "or a name such as Philippines")


def check_project(content: Path) -> None:
    """Refuse to scaffold outside a project: content/ must exist and hold taxonomy.yaml."""
    if not Path(content).is_dir() or not (Path(content) / "taxonomy.yaml").is_file():
        raise ScaffoldError(f"'{content}' is not a content folder (no taxonomy.yaml there); run kb new from the project folder or pass --content")


def create(content: Path, kind: str, title: str | None, countries: list[str], entry_id: str | None = None,
           today: dt.date | None = None) -> Path:
    """Write a new skeleton entry and return its path; never overwrite an existing file."""
    check_project(content)
    countries = [country_code(c) for c in countries]
    if kind in ("program", "country") and len(countries) != 1:
        raise ScaffoldError(f"a {kind} needs exactly one --country")
    if kind == "practice" and not countries:
        raise ScaffoldError("a practice needs at least one --country")
    if kind == "country":
        entry_id = countries[0].lower()
        title = title or COUNTRY_NAMES[countries[0]]
    if not title:
        raise ScaffoldError("give the entry a --title")
    if entry_id is None:
        slug = slugify(title, 61 if kind == "program" else 64)
        if not slug:
            raise ScaffoldError("cannot make an id from this title; pass --id with lower-case words joined by hyphens")
        entry_id = f"{countries[0].lower()}-{slug}" if kind == "program" and not slug.startswith(countries[0].lower() + "-") else slug
    from kb.content.values import RESERVED_IDS

    if entry_id in RESERVED_IDS:
        raise ScaffoldError(f"id '{entry_id}' is the name of a page the site generates; pass a more specific --id")
    if not valid_id(entry_id):
        raise ScaffoldError(f"id '{entry_id}' must be lower-case words and digits joined by single hyphens, at most {MAX_ID} characters")
    path = entry_path(content, kind, entry_id, countries[0] if countries else None)
    # The editor schema under content/schemas/ (written by `kb schemas`), which completes the taxonomy's values.
    schema_ref = os.path.relpath(Path(content) / "schemas" / f"{kind}.schema.json", path.parent)
    text = skeleton(kind, entry_id, title, countries, schema_ref, today or dt.date.today())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; edit it, or choose another --id") from None
    return path


def similar_titles(entries: Any, title: str, entry_id: str) -> list[Any]:
    """Existing entries whose title, local name or id looks like the new one's (likely duplicates), most alike first."""
    from difflib import SequenceMatcher

    from kb.content.suggest import fold

    def words(text: str) -> set[str]:
        return {w for w in re.split(r"[^a-z0-9]+", fold(text)) if len(w) > 2}

    wanted, new_words = fold(title), words(title)
    bare_id = entry_id.split("-", 1)[-1] if "-" in entry_id else entry_id
    scored = []
    for entry in entries:
        titles = [t for t in (entry.title, str(entry.data.get("local_name") or "")) if t]
        share = max((len(new_words & words(t)) / len(new_words) for t in titles), default=0) if len(new_words) >= 2 else 0
        ratio = max((SequenceMatcher(None, wanted, fold(t)).ratio() for t in titles), default=0)
        same_id = len(bare_id) >= 6 and (bare_id in entry.id or entry.id.split("-", 1)[-1] in bare_id)
        score = max(share if share >= 0.99 else 0, ratio if ratio >= 0.75 else 0, 1.0 if same_id else 0)
        if score:
            scored.append((-score, entry.id, entry))
    return [entry for _, _, entry in sorted(scored)]
