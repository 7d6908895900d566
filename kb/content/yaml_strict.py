"""Strict YAML for untrusted entries: plain data only, with the line and column of every key and value.

Only this module parses YAML. It walks the event stream of one explicit parser, PyYAML's
libyaml binding ``yaml.CSafeLoader`` (never "C loader if available": the pure-Python and C
parsers disagree on some inputs, and the C one is 20x faster), and builds the data itself, so that it can refuse what entries never need and what makes
downstream tools slow or unsafe: anchors and aliases (a 400-byte alias file can expand
to gigabytes), explicit tags such as ``!!python/object``, duplicate keys, deep nesting,
several documents. Scalars follow the YAML 1.2 core schema for null, booleans and
numbers; everything else, ``NO``, ``yes``, ``off`` and dates included, stays a string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.content.problems import Problem
from kb.content.suggest import short

# The one parser used everywhere. PyYAML's wheels ship libyaml; a build without it is refused
# rather than silently swapped for the pure-Python parser.
try:
    PARSER = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    raise ImportError("PyYAML was built without libyaml; reinstall it from a wheel: pip install --force-reinstall PyYAML") from None

MAX_BYTES = 256 * 1024
MAX_DEPTH = 8

Position = tuple[int, int]
KeyPath = tuple[Any, ...]

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
# C0 controls except tab, LF and CR; DEL; C1 controls. YAML forbids most; we forbid all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class ParsedYaml:
    """The data of one file and where each part of it stands in the text."""

    data: Any = None
    values: dict[KeyPath, Position] = field(default_factory=dict)  # path -> position of the value
    keys: dict[KeyPath, Position] = field(default_factory=dict)  # path -> position of the key
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: KeyPath, prefer_key: bool = False) -> Position:
        """Best position for a path: the key or value itself, else the nearest parent."""
        path = tuple(path)
        while True:
            table = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for t in table:
                if path in t:
                    return t[path]
            if not path:
                return (1, 1)
            path = path[:-1]


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def resolve_scalar(value: str, plain: bool) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted scalars are always strings."""
    if not plain:
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    try:
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value)
    except ValueError:  # e.g. more digits than int() accepts
        return value
    return value


class _Builder:
    def __init__(self, path: str, text: str, parsed: ParsedYaml):
        self.path, self.text, self.parsed = path, text, parsed

    def error(self, mark: Any, message: str, rule: str) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.parsed.problems.append(Problem(self.path, line, col, "error", message, rule))

    def build(self, events: Any) -> None:
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.error(event.start_mark, "only one YAML document per file; remove the extra '---'", "multi-document")
                    return
                node_event = next(events)
                if isinstance(node_event, yaml.DocumentEndEvent):
                    continue
                self.parsed.data = self.node(node_event, events, (), 1)
        if documents == 0 or self.parsed.data is None:
            self.parsed.problems.append(Problem(self.path, 1, 1, "error", "the file is empty; an entry is a YAML mapping of fields", "empty"))

    def check_node(self, event: Any) -> None:
        if getattr(event, "anchor", None):
            self.error(event.start_mark, f"anchors ('&{short(event.anchor)}') are not allowed; write the value out", "anchor")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self.error(event.start_mark, f"YAML tags such as '{short(tag)}' are not allowed; remove the tag", "tag")

    def check_text(self, value: str, mark: Any) -> None:
        # Raw control bytes are refused before parsing; escapes such as "\e", "\a", "\x85" or "\0"
        # in double quotes produce the same characters, so the parsed text is checked too.
        match = _CONTROL.search(value)
        if match:
            char = match.group()
            self.error(mark, f"control character U+{ord(char):04X}, written as an escape such as \\e or \\x.., is not allowed; delete it", "control-char")

    def node(self, event: Any, events: Any, path: KeyPath, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.error(event.start_mark, f"aliases ('*{short(event.anchor)}') are not allowed; write the value out", "anchor")
            return None
        self.check_node(event)
        mark = event.start_mark
        self.parsed.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            self.check_text(event.value, mark)
            # libyaml marks plain scalars with style '' (the Python parser with None).
            return resolve_scalar(event.value, not event.style)
        if depth > MAX_DEPTH:
            self.error(mark, f"nesting deeper than {MAX_DEPTH} levels is not allowed", "too-deep")
            self.skip(events)
            return None
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for item_event in events:
                if isinstance(item_event, yaml.SequenceEndEvent):
                    return items
                items.append(self.node(item_event, events, path + (len(items),), depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[Any, Any] = {}
            for key_event in events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                kmark = key_event.start_mark
                if not isinstance(key_event, yaml.ScalarEvent):
                    self.error(kmark, "a key must be a plain word, not a list or mapping", "key-type")
                    self.skip_node(key_event, events)
                    self.skip_node(next(events), events)
                    continue
                self.check_node(key_event)
                self.check_text(key_event.value, kmark)
                key = key_event.value
                if key in mapping:
                    first = self.parsed.keys.get(path + (key,), (0, 0))
                    self.error(kmark, f"duplicate key '{short(key)}' (first defined at line {first[0]}); keep one", "duplicate-key")
                    self.skip_node(next(events), events)
                    continue
                self.parsed.keys[path + (key,)] = (kmark.line + 1, kmark.column + 1)
                mapping[key] = self.node(next(events), events, path + (key,), depth + 1)
        return None

    def skip_node(self, event: Any, events: Any) -> None:
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self.skip(events)

    @staticmethod
    def skip(events: Any) -> None:
        level = 1
        for event in events:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                level += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                level -= 1
                if level == 0:
                    return


def _precheck(path: str, text: str) -> list[Problem]:
    """Problems that make parsing pointless or misleading: control characters and tab indentation."""
    problems = []
    match = _CONTROL.search(text)
    if match:
        line, col = _line_col(text, match.start())
        name = unicodedata.name(match.group(), f"U+{ord(match.group()):04X}")
        problems.append(Problem(path, line, col, "error", f"control character {name!s} (U+{ord(match.group()):04X}) is not allowed; delete it", "control-char"))
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(path, number, indent.index("\t") + 1, "error", "tab used for indentation; indent with spaces", "tabs"))
            break
    return problems


# What the parser's messages mean for someone editing an entry, and whether the place to look
# is where the construct started (an unclosed quote) rather than where the parser gave up.
_SYNTAX_HINTS = (
    ("unknown escape character", "inside double quotes a backslash starts an escape; write \\\\ for a backslash, or use single quotes", False),
    ("escape code", "a \\u or \\x escape here names no valid character; write the character itself", False),
    ("hexdecimal", "a \\u or \\x escape here needs its hexadecimal digits; write the character itself", False),
    ("quoted scalar", "a quotation mark opened here is never closed; close it on the same value", True),
    ("mapping values are not allowed", "a ': ' inside a value, or a line indented more than the field above it; "
     "put the whole value in quotes (title: \"A: B\") or line the field up with the others", False),
    ("did not find expected key", "this line is not indented like the fields around it, or a quoted value has text after "
     "its closing quote; line fields up with the same number of spaces and quote the whole value", False),
    ("did not find expected '-' indicator", "this line is not indented like the list items above it; "
     "start each item with '- ' at the same indentation, and indent its fields by the same spaces", False),
    ("expected node content", "a value is missing here, or a [list] or {mapping} is not closed", False),
    ("expected <block end>", "this line is not indented like the lines around it; line it up with the other fields", False),
    ("cannot start any token", "a value cannot start with this character (such as @ or `); put the whole value in quotes", False),
    ("expected ',' or ']'", "a [list] is not closed; add the ']' (or write the list one '- item' per line)", True),
    ("expected ',' or '}'", "a {mapping} is not closed; add the '}'", True),
    ("could not find expected ':'", "a field name must be followed by ': ' and its value; or a long value continues "
     "on a line that is not indented; indent it, or put the value in quotes", False),
)


def syntax_hint(message: str, text: str, mark: Any) -> tuple[str, bool]:
    """A plain-words hint for a parser message, and whether it belongs where the construct began."""
    for needle, hint, at_start in _SYNTAX_HINTS:
        if needle in message:
            return hint, at_start
    return message, False


def parse_text(text: str, path: str = "<string>") -> ParsedYaml:
    """Parse YAML text strictly; problems are collected, never raised."""
    parsed = ParsedYaml()
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed.problems.extend(_precheck(path, text))
    if parsed.problems:
        return parsed
    builder = _Builder(path, text, parsed)
    try:
        builder.build(iter(yaml.parse(text, Loader=PARSER)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        if "nesting depth" in message:  # libyaml >= 0.2.5 stops at 1000 levels itself
            builder.error(mark, f"nesting deeper than {MAX_DEPTH} levels is not allowed", "too-deep")
        else:
            hint, at_start = syntax_hint(message, text, mark)
            builder.error(exc.context_mark if at_start and exc.context_mark else mark, f"YAML syntax: {hint}", "syntax")
    except (yaml.YAMLError, RecursionError) as exc:
        builder.error(None, f"YAML syntax: {exc}", "syntax")
    if any(p.rule in ("syntax", "too-deep", "control-char") for p in parsed.problems):
        parsed.data = None
    return parsed


def parse_file(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> ParsedYaml:
    """Read and parse one file, refusing huge, non-UTF-8 and unreadable files with a problem."""
    shown = display or str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        return ParsedYaml(problems=[Problem(shown, 1, 1, "error", f"cannot read the file: {exc.strerror or exc}", "io")])
    if len(raw) > max_bytes:
        return ParsedYaml(problems=[Problem(shown, 1, 1, "error", f"file is larger than {max_bytes // 1024} KiB; split it", "too-large")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return ParsedYaml(problems=[Problem(shown, line, col, "error", f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8", "encoding")])
    return parse_text(text, shown)
