"""JSON Schema validation of parsed entries, with did-you-mean hints and file positions.

The schemas in ``kb/content/schemas/`` are the single source of the field rules: validation,
``kb new`` skeletons and the site's field reference all read them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from kb.content.problems import Problem
from kb.content.suggest import short
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
    """' ; did you mean 'x'?' with the closest choices (prefixes and parts of ids included), or ''."""
    from kb.content.suggest import closest

    close = [f"'{c}'" for c in closest(str(word), [str(c) for c in choices])]
    if not close:
        return ""
    return "; did you mean " + (close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]) + "?"


# Values another check reports with a better message (taxonomy terms, references, criteria):
# their generic pattern errors are dropped, so each mistake is reported once.
CROSS_CHECKED = {"themes", "phases", "target_groups", "dimensions", "levels", "related", "frameworks"}
# What each pattern means, in words, by the name of the last key (never the regular expression).
PATTERN_WORDS = {
    "id": "lower-case words and digits joined by single hyphens (like ph-savings-groups)",
    "url": "an http(s) address with no spaces, starting with https://",
    "reviewed": "a date written YYYY-MM-DD", "accessed": "a date written YYYY-MM-DD", "reviewed_on": "a date written YYYY-MM-DD",
    "date": "a date written YYYY, YYYY-MM or YYYY-MM-DD",
}


def _kind_of_value(value: Any) -> str:
    return {"NoneType": "nothing", "str": "text", "dict": "a mapping", "list": "a list", "int": "a number",
            "float": "a number", "bool": "true/false"}.get(type(value).__name__, type(value).__name__)


def _where(path: tuple[Any, ...]) -> str:
    return short("/".join(str(p) for p in path), 120) or "the file"


def _describe(error: Any) -> tuple[str, str, tuple[Any, ...], bool] | None:
    """Message, rule, path and whether the position is a key, for one jsonschema error (None: reported elsewhere)."""
    path = tuple(error.absolute_path)
    where = _where(path)
    validator, value, instance = error.validator, error.validator_value, error.instance
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if validator == "additionalProperties":
        known = _field_names(error.schema)
        extras = [k for k in instance if k not in error.schema.get("properties", {})]
        key = extras[0] if extras else "?"
        return f"unknown field '{short(key)}'{did_you_mean(key, known)}", "unknown-field", path + (key,), True
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required field '{missing}' in {where}", "required", path, False
    if path and path[0] in CROSS_CHECKED and validator in ("pattern", "maxLength"):
        return None
    if validator == "propertyNames" and path[-1:] == ("criteria",):
        return None
    if validator == "format" and value == "date":
        return f"{where}: '{short(instance)}' is not a real date (YYYY-MM-DD)", "date", path, False
    if validator == "pattern":
        if last == "url":
            return f"{where}: '{short(instance)}' is not an http(s) address; it should start with https:// and have no spaces", "url", path, False
        if last == "id":
            return f"id '{short(instance)}' must be lower-case words and digits joined by single hyphens (like ph-savings-groups)", "id", path, False
        words = PATTERN_WORDS.get(last, "in the form the field reference describes")
        return f"{where}: '{short(instance)}' should be {words}", "date" if "date" in words else "format", path, False
    if validator == "enum" and "PH" in value:
        return f"{where}: '{short(instance)}' is not an ASEAN member state code{did_you_mean(instance, value) or '; allowed: ' + ', '.join(value)}", "country", path, False
    if validator == "enum":
        options = ", ".join(map(str, value))
        return f"{where}: '{short(instance)}' is not allowed{did_you_mean(instance, value)} (allowed: {options})", "enum", path, False
    if validator in ("maxLength", "minLength"):
        size = len(instance) if isinstance(instance, str) else 0
        limit = "at most" if validator == "maxLength" else "at least"
        return f"{where} is {size} characters long; it must be {limit} {value} characters", "length", path, False
    if validator in ("minItems", "maxItems"):
        limit = "at least" if validator == "minItems" else "at most"
        return f"{where} has {len(instance)} item(s); it needs {limit} {value}", "length", path, False
    if validator in ("minimum", "maximum"):
        limit = "at least" if validator == "minimum" else "at most"
        return f"{where} is {instance}; it must be {limit} {value}", "range", path, False
    if validator == "uniqueItems":
        return f"{where} lists the same value twice; keep one", "duplicate", path, False
    if validator == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        expected = {"string": "text", "object": "a mapping of fields", "array": "a list", "integer": "a whole number"}.get(expected, expected)
        hint = "; put the text in quotes" if expected == "text" and isinstance(instance, (int, float, bool)) else ""
        if expected == "a whole number" and isinstance(instance, str) and instance.strip().isdigit():
            hint = "; remove the quotes"
        if expected == "a list" and isinstance(instance, str):
            hint = f"; write [{instance}]"
        return f"{where} should be {expected}, not {_kind_of_value(instance)}{hint}", "type", path, False
    if validator == "propertyNames":
        return f"'{short(instance)}' is not a known language code{did_you_mean(instance, ['en', 'id', 'ms', 'fil', 'vi', 'th', 'km', 'lo', 'my'])}", "enum", path + (instance,), True
    if validator in ("oneOf", "anyOf"):
        return f"{where} should be a label or a list of labels", "type", path, False
    if validator == "const":
        return f"{where} should be '{value}'", "enum", path, False
    # Anything else: name the rule, never echo a long value or a regular expression.
    return f"{where} does not follow the rule '{validator}' of the field reference", "schema", path, False


def _priority(error: Any) -> tuple[int, ...]:
    # The most telling message first when several rules fail on one value.
    order = ("additionalProperties", "required", "type", "enum", "format", "pattern", "maxLength", "minLength")
    rank = order.index(error.validator) if error.validator in order else len(order)
    return (len(error.absolute_path), rank)


def validate(parsed: ParsedYaml, kind: str, display: str) -> list[Problem]:
    """Every schema problem in one parsed file, positioned on the key or value at fault."""
    problems = []
    seen: set[tuple[Any, ...]] = set()
    for error in sorted(_validator(kind).iter_errors(parsed.data), key=_priority):
        described = _describe(error)
        if described is None:
            continue
        message, rule, path, prefer_key = described
        if path in seen:  # one message per mistake: a bad date fails both its pattern and its format
            continue
        seen.add(path)
        line, col = parsed.position(path, prefer_key=prefer_key)
        problems.append(Problem(display, line, col, "error", message, rule))
    return problems
