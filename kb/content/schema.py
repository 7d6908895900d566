"""JSON Schema validation of parsed entries, with did-you-mean hints and file positions.

The schemas in ``kb/content/schemas/`` are the single source of the field rules: validation,
``kb new`` skeletons and the site's field reference all read them.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from kb.content.problems import Problem
from kb.content.yaml_strict import ParsedYaml

KINDS = ("program", "practice", "country", "framework", "glossary", "taxonomy")


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file, as shipped in the package."""
    return json.loads(resources.files("kb.content").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8"))


def schema_path(kind: str) -> str:
    return str(resources.files("kb.content").joinpath("schemas", f"{kind}.schema.json"))


@cache
def _validator(kind: str) -> Any:
    import jsonschema  # heavy: only validation pays for it
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry()
    for name in ("common",) + KINDS:
        # No $id: the schemas refer to each other by file name, as editors resolve them from disk.
        registry = registry.with_resource(f"{name}.schema.json", Resource.from_contents(load_schema(name), default_specification=DRAFT202012))
    cls = jsonschema.validators.validator_for(load_schema(kind))
    return cls(load_schema(kind), registry=registry, format_checker=cls.FORMAT_CHECKER)


def _field_names(schema: dict[str, Any]) -> list[str]:
    return sorted(schema.get("properties", {}))


def did_you_mean(word: str, choices: Any) -> str:
    """' ; did you mean 'x'?' for the closest choice, or ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _describe(error: Any) -> tuple[str, str, tuple[Any, ...], bool]:
    """Message, rule, path and whether the position is a key, for one jsonschema error."""
    path = tuple(error.absolute_path)
    where = "/".join(str(p) for p in path) or "the file"
    validator = error.validator
    if validator == "additionalProperties":
        known = _field_names(error.schema)
        extras = [k for k in error.instance if k not in error.schema.get("properties", {})]
        key = extras[0] if extras else "?"
        return f"unknown field '{key}'{did_you_mean(key, known)}", "unknown-field", path + (key,), True
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required field '{missing}' in {where}", "required", path, False
    if validator == "format" and error.validator_value == "date":
        return f"{where}: '{error.instance}' is not a real date (YYYY-MM-DD)", "date", path, False
    if validator == "pattern" and path and path[-1] == "url":
        return f"{where}: '{error.instance}' is not an http(s) address", "url", path, False
    if validator == "pattern" and path and path[-1] == "id":
        return f"id '{error.instance}' must be lower-case words and digits joined by single hyphens", "id", path, False
    if validator == "enum" and "PH" in error.validator_value:
        return f"{where}: '{error.instance}' is not an ASEAN member state code{did_you_mean(error.instance, error.validator_value)}", "country", path, False
    if validator == "enum":
        options = ", ".join(map(str, error.validator_value))
        return f"{where}: '{error.instance}' is not one of: {options}{did_you_mean(error.instance, error.validator_value)}", "enum", path, False
    if validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = type(error.instance).__name__.replace("NoneType", "nothing").replace("str", "string").replace("dict", "mapping").replace("list", "list")
        return f"{where} should be {'an' if expected[0] in 'aeiou' else 'a'} {expected}, not {got}", "type", path, False
    if validator == "propertyNames":
        return f"'{error.instance}' is not a known language code{did_you_mean(error.instance, ['en', 'id', 'ms', 'fil', 'vi', 'th', 'km', 'lo', 'my'])}", "enum", path + (error.instance,), True
    if validator == "oneOf":
        return f"{where} should be a label or a list of labels", "type", path, False
    message = error.message
    if len(message) > 200:
        message = message[:200] + "..."
    return f"{where}: {message}", "schema", path, False


def validate(parsed: ParsedYaml, kind: str, display: str) -> list[Problem]:
    """Every schema problem in one parsed file, positioned on the key or value at fault."""
    problems = []
    for error in _validator(kind).iter_errors(parsed.data):
        # A failing oneOf/anyOf reports its sub-errors' best match only.
        message, rule, path, prefer_key = _describe(error)
        line, col = parsed.position(path, prefer_key=prefer_key)
        problems.append(Problem(display, line, col, "error", message, rule))
    return problems
