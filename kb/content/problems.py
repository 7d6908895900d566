"""A problem found in the content, and the reporters that print problems."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where it is, how bad, what is wrong and which rule found it."""

    path: str
    line: int
    column: int
    level: str  # "error" or "warning"
    message: str
    rule: str

    @property
    def is_error(self) -> bool:
        return self.level == "error"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems))


def format_text(problems: Iterable[Problem]) -> str:
    """The parsable form editors and CI annotate from: path:line:col: level: message [rule]."""
    return "\n".join(f"{p.path}:{p.line}:{p.column}: {p.level}: {p.message} [{p.rule}]" for p in problems)


def format_json(problems: Iterable[Problem]) -> str:
    items = [asdict(p) for p in problems]
    return json.dumps({"problems": items, "errors": sum(p["level"] == "error" for p in items),
                       "warnings": sum(p["level"] == "warning" for p in items)}, ensure_ascii=False, indent=2)


def _escape_github(value: str, prop: bool = False) -> str:
    # GitHub workflow commands need %, CR and LF escaped (and : , in properties).
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: Iterable[Problem]) -> str:
    lines = []
    for p in problems:
        props = f"file={_escape_github(p.path, True)},line={p.line},col={p.column},title={_escape_github(p.rule, True)}"
        lines.append(f"::{p.level} {props}::{_escape_github(p.message)}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
