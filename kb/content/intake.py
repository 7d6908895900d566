"""`kb intake`: the body GitHub writes for a "Propose an entry" issue -> a validated entry file.

GitHub renders an issue form as Markdown: one `### <label>` heading per field, then its value,
or `_No response_` when an optional field was left empty. The labels are those of
.github/ISSUE_TEMPLATE/propose-entry.yml (and of the site's propose page). The body is untrusted:
every value is checked, each unusable field gets its own message, and the file is written only
when the whole knowledge base still validates with it (nothing is left behind otherwise).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.content.layout import MAX_ID, VOCABULARIES, valid_id
from kb.content.scaffold import ScaffoldError, check_project, country_code, entry_path, slugify
from kb.content.suggest import allowed, fold
from kb.content.values import RESERVED_IDS

NO_RESPONSE = "_No response_"
# Issue form label -> field name (see .github/ISSUE_TEMPLATE/propose-entry.yml).
FIELDS = {"kind": "kind", "title": "title", "summary": "summary", "countries": "countries", "themes": "themes",
          "phases": "phases", "target groups": "target_groups", "source title": "source_title", "source url": "source_url",
          "publisher": "publisher", "agency": "agency", "status": "status", "start year": "start_year", "file name": "id"}
LABELS = {name: label[0].upper() + label[1:] for label, name in FIELDS.items()}
LABELS.update({"source_url": "Source URL"})
REQUIRED = ("kind", "title", "summary", "countries", "source_title", "source_url")
KINDS = {"practice": "practice", "good practice": "practice", "program": "program", "programme": "program",
         "national programme": "program", "national program": "program", "law": "program", "scheme": "program"}
MAX_BODY = 64 * 1024
_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$", re.M)


class IntakeError(ValueError):
    """The issue cannot become an entry; `problems` holds one line per unusable field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Proposal:
    kind: str
    entry_id: str
    values: dict[str, Any] = field(default_factory=dict)


def parse_body(text: str) -> dict[str, str]:
    """Field name -> value from an issue-form body (unknown headings ignored, `_No response_` -> '')."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found: dict[str, str] = {}
    matches = list(_HEADING.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        label = fold(match.group(1))
        value = text[match.end():end].strip()
        name = FIELDS.get(label)
        if name and name not in found:
            found[name] = "" if value == NO_RESPONSE else value
    return found


def _split(value: str) -> list[str]:
    return [v.strip().strip("`") for v in re.split(r"[,;\n]+", value) if v.strip().strip("`- ")]


def _terms(kb: Any, vocabulary: str, value: str, problems: list[str]) -> list[str]:
    terms = kb.taxonomy.terms(vocabulary)
    by_key = {fold(t["id"]): t["id"] for t in terms}
    by_key.update({fold(str(t.get("label", ""))): t["id"] for t in terms if t.get("label")})
    labels = {t["id"]: str(t.get("label", "")) for t in terms}
    out: list[str] = []
    for word in _split(value):
        key = fold(word).lstrip("- ").strip()
        term = by_key.get(key) or by_key.get(key.replace(" ", "-"))
        if term is None:
            problems.append(f"{LABELS[vocabulary]}: '{word}' is not one of the {vocabulary.replace('_', ' ')}{allowed(word, labels, labels)}")
        elif term not in out:
            out.append(term)
    return out


def _one_line(name: str, value: str, problems: list[str]) -> str:
    if "\n" in value:
        problems.append(f"{LABELS[name]}: write it on one line")
    return " ".join(value.split())


def read_proposal(kb: Any, fields: dict[str, str]) -> Proposal:
    """Check every field of a parsed issue; IntakeError lists each unusable one."""
    problems: list[str] = []
    for name in REQUIRED:
        if not fields.get(name):
            problems.append(f"{LABELS[name]}: missing; this field is required")
    kind = KINDS.get(fold(fields.get("kind", "")).rstrip("."))
    if fields.get("kind") and kind is None:
        problems.append(f"Kind: '{fields['kind']}' is neither 'practice' nor 'programme'")
    values: dict[str, Any] = {}
    title = _one_line("title", fields.get("title", ""), problems)
    values["title"] = title
    countries: list[str] = []
    for word in _split(fields.get("countries", "")):
        try:
            code = country_code(word)
        except ScaffoldError as exc:
            problems.append(f"Countries: {exc}")
            continue
        if code not in countries:
            countries.append(code)
    if kind == "program" and len(countries) > 1:
        problems.append(f"Countries: a programme belongs to one country, not {len(countries)} ({', '.join(countries)}); propose a practice instead")
    values["countries"] = countries
    values["summary"] = " ".join(fields.get("summary", "").split())
    for vocabulary in VOCABULARIES:
        if fields.get(vocabulary):
            values[vocabulary] = _terms(kb, vocabulary, fields[vocabulary], problems)
    for name in ("source_title", "source_url", "publisher", "agency", "status"):
        if fields.get(name):
            values[name] = _one_line(name, fields[name], problems)
    if fields.get("start_year"):
        if re.fullmatch(r"\d{4}", fields["start_year"].strip()):
            values["start_year"] = int(fields["start_year"].strip())
        else:
            problems.append(f"Start year: '{fields['start_year']}' is not a four-digit year")
    entry_id = fields.get("id", "").strip().strip("`")
    if not entry_id and title:
        entry_id = slugify(title, MAX_ID - 3 if kind == "program" else MAX_ID)
        if kind == "program" and countries and entry_id and not entry_id.startswith(countries[0].lower() + "-"):
            entry_id = f"{countries[0].lower()}-{entry_id}"
        if not entry_id:
            problems.append("File name: cannot be made from this title; give one (lower-case words joined by hyphens)")
    if entry_id and not valid_id(entry_id):
        problems.append(f"File name: '{entry_id}' must be lower-case words and digits joined by single hyphens, at most {MAX_ID} characters")
    elif entry_id in RESERVED_IDS:
        problems.append(f"File name: '{entry_id}' is the name of a page the site generates; choose a more specific one")
    elif entry_id in kb.entries:
        problems.append(f"File name: '{entry_id}' is already used by {kb.entries[entry_id].path}; edit that entry or choose another name")
    if problems:
        raise IntakeError(problems)
    return Proposal(kind or "practice", entry_id, values)


def entry_text(proposal: Proposal, schema_ref: str) -> str:
    """The YAML of a proposal, in the layout `kb new` and the propose page write."""
    v = proposal.values

    def q(text: str) -> str:
        # A JSON string is a YAML double-quoted scalar; separators and non-characters go as escapes.
        return re.sub("[\u2028\u2029\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))

    lines = [f"# yaml-language-server: $schema={schema_ref}", f"id: {proposal.entry_id}", f"title: {q(v['title'])}"]
    lines.append(f"country: {v['countries'][0]}" if proposal.kind == "program" else f"countries: [{', '.join(v['countries'])}]")
    lines.append(f"summary: {q(v['summary'])}")
    for vocabulary in VOCABULARIES:
        if v.get(vocabulary):
            lines.append(f"{vocabulary}: [{', '.join(v[vocabulary])}]")
    if v.get("agency"):
        lines.append(f"agency: {q(v['agency'])}")
    if v.get("status"):
        lines.append(f"status: {q(v['status'])}")
    if v.get("start_year"):
        lines.append(f"start_year: {v['start_year']}")
    lines += ["sources:", f"  - title: {q(v['source_title'])}", f"    url: {q(v['source_url'])}"]
    if v.get("publisher"):
        lines.append(f"    publisher: {q(v['publisher'])}")
    return "\n".join(lines) + "\n"


# Validator fields -> the issue form's labels, so each remaining problem names the field to fix.
_PATH_LABELS = {"title": "Title", "summary": "Summary", "countries": "Countries", "country": "Countries", "themes": "Themes",
                "phases": "Phases", "target_groups": "Target groups", "agency": "Agency", "status": "Status",
                "start_year": "Start year", "id": "File name", "publisher": "Publisher"}


def _label_of(line_text: str) -> str:
    key = line_text.strip().lstrip("- ").split(":", 1)[0].strip()
    if key == "title" and line_text.startswith("  "):
        return "Source title"
    if key == "url":
        return "Source URL"
    return _PATH_LABELS.get(key, key)


def intake(body: str, content: Path) -> Path:
    """Write the entry an issue body proposes, where it belongs, if it validates; return its path.

    Raises IntakeError with one line per unusable field (nothing is written then).
    """
    from kb.content.load import load

    check_project(content)
    if len(body.encode("utf-8")) > MAX_BODY:
        raise IntakeError([f"the issue body is larger than {MAX_BODY // 1024} KiB; shorten it"])
    result = load(content, validate=False)
    proposal = read_proposal(result.kb, parse_body(body))
    path = entry_path(content, proposal.kind, proposal.entry_id, proposal.values["countries"][0])
    if path.exists():
        raise IntakeError([f"File name: {path} already exists; choose another name"])
    import os

    schema_ref = os.path.relpath(Path(content) / "schemas" / f"{proposal.kind}.schema.json", path.parent)
    text = entry_text(proposal, schema_ref)
    path.parent.mkdir(parents=True, exist_ok=True)
    created_folder = not any(path.parent.iterdir())
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    problems = [p for p in load(content).problems if p.is_error and Path(p.path).resolve() == path.resolve()]
    if problems:
        path.unlink()
        if created_folder:
            path.parent.rmdir()
        lines = text.splitlines()
        raise IntakeError([f"{_label_of(lines[p.line - 1]) if 0 < p.line <= len(lines) else 'entry'}: {p.message}" for p in problems])
    return path
