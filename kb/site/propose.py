"""Data for the "Propose an entry" page (contribute/propose.html), exported at build time.

The page's script (assets/kb-propose.js) checks fields as the editor types and writes the YAML
that `kb validate` accepts. It reads its rules from here: lengths and patterns from the JSON
Schemas in kb/content/schemas/, values and labels from the taxonomy, the existing titles and
ids (for duplicate warnings), the ids the site reserves, and where to submit (the repository's
issue form, or a contact address). A script file, not a fetched JSON: the page works from file://.
"""

from __future__ import annotations

import json
from typing import Any

from kb.content.layout import MAX_ID, VOCABULARIES
from kb.content.schema import load_schema
from kb.content.values import PLACEHOLDER, RESERVED_IDS

DATA_FILE = "assets/kb-propose-data.js"
SCRIPT_FILE = "assets/kb-propose.js"
PAGE = "contribute/propose.md"
ISSUE_TEMPLATE = "propose-entry.yml"
KINDS = {"practice": {"folder": "practices", "schema": "../schemas/practice.schema.json"},
         "program": {"folder": "programs/{cc}", "schema": "../../schemas/program.schema.json"}}
FORM_VOCABULARIES = ("themes", "phases", "target_groups")


def _limits(spec: dict[str, Any]) -> dict[str, int]:
    keys = {"minLength": "min", "maxLength": "max", "minimum": "min", "maximum": "max"}
    return {short: spec[key] for key, short in keys.items() if key in spec}


def rules() -> dict[str, Any]:
    """Lengths and ranges of the page's fields, from the package's JSON Schemas (the single source of the rules)."""
    common = load_schema("common")["$defs"]
    practice = load_schema("practice")["properties"]
    source = common["source"]["properties"]
    return {"id": {"max": MAX_ID}, "title": _limits(common["title"]), "summary": _limits(common["summary"]),
            "source_title": _limits(source["title"]), "source_url": _limits(common["url"]),
            "publisher": _limits(source["publisher"]), "agency": _limits(practice["agency"]),
            "start_year": _limits(common["year"]), "status": list(practice["status"]["enum"])}


def propose_data(kb: Any, *, repo_url: str | None = None, contact: str = "", site_entries: Any = None,
                 gettext: Any = None) -> dict[str, Any]:
    """Everything the propose page needs, as plain JSON-able data (labels in the page's language with gettext)."""
    gettext = gettext or (lambda message: message)
    entries = [[e.id, e.title, e.kind, e.url, str(e.data.get("local_name") or "")]
               for e in (site_entries if site_entries is not None else kb) if e.kind in ("program", "practice")]
    countries = [[t["id"], gettext(str(t.get("label") or t["id"]))] for t in kb.taxonomy.terms("countries") if "id" in t]
    vocabularies = {v: [[t["id"], gettext(str(t.get("label") or t["id"]))] for t in kb.taxonomy.terms(v) if "id" in t]
                    for v in VOCABULARIES if v in FORM_VOCABULARIES}
    return {"kinds": KINDS, "rules": rules(), "countries": countries, "vocabularies": vocabularies, "entries": entries,
            "reserved": sorted(RESERVED_IDS), "placeholder": PLACEHOLDER,
            "repo_url": (repo_url or "").rstrip("/"), "issue_template": ISSUE_TEMPLATE, "contact": contact or ""}


def data_script(data: dict[str, Any]) -> str:
    """The data as a script that sets window.KB_PROPOSE (no '</script>' or line separators can break out)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.KB_PROPOSE = {text};\n"
