"""Checks on the text of an entry's values: unfinished work, unsafe characters, unusable addresses, reserved ids.

The schema says what shape a value has; this module says whether it is finished and safe to
publish: no `TODO` left by `kb new`, no placeholder or local address as a source, no invisible
characters that reorder or hide text, no address the site could not render as a link, and no id
that would overwrite a page the site generates itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

PLACEHOLDER = "TODO"
# Page names the site writes itself inside each section folder or at its root: an entry with
# such an id would silently replace them (practices/index.html, search.html ...).
RESERVED_IDS = frozenset({
    "index", "search", "tags", "404", "sitemap", "compare", "fields", "propose", "contribute", "about",
    "assets", "stylesheets", "javascripts", "data", "glossary", "downloads", "schemas", "site", "feed", "rss",
})
# Bidirectional controls reorder the text around them (the "Trojan source" trick); zero-width
# characters hide inside words. Refused in ids and titles, reported elsewhere.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
# Thai, Khmer, Lao and Burmese text uses zero-width spaces and joiners between words: allowed there.
_SCRIPT_TEXT = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
# The characters a link target on the site may hold (kb.site.markup.safe_url accepts the same).
LINKABLE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
# Reserved for documentation and tests (RFC 2606, 6761), or this machine: never a public source.
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(example|localhost|invalid|test|local|localdomain)$|(^|\.)example\.(com|org|net|edu)$|^(127\.|0\.0\.0\.0$|::1$)")
URL_FIELDS = {"url", "website", "link"}


def walk_strings(value: Any, path: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Every string in a parsed value, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, path + (index,))


def char_name(char: str) -> str:
    return f"{unicodedata.name(char, 'unnamed character')} (U+{ord(char):04X})"


def invisible(text: str, allow_zero_width: bool = False) -> str | None:
    """The first bidi control or zero-width character in the text, or None."""
    for char in text:
        if char in BIDI or (char in ZERO_WIDTH and not allow_zero_width):
            return char
    return None


def url_problem(url: str) -> str | None:
    """Why a source address cannot be published, or None when it can."""
    if PLACEHOLDER in url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None  # reported once: as a placeholder, or by the schema (not an http(s) address)
    if not LINKABLE_URL.match(url) or ")(" in url:
        bad = next((c for c in url if c in " \t<>\"'`\\"), ")(" if ")(" in url else None)
        what = f"'{bad}'" if bad and bad.strip() else "a space"
        return f"the address contains {what}, which the site cannot turn into a link; copy the address from the browser bar again"
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return "the address has no host name; copy the address from the browser bar again"
    if PLACEHOLDER_HOSTS.search(host):
        return f"'{host}' is a placeholder or local address, not a public source; give the address of the page you read"
    return None


def check_values(data: dict[str, Any], kind: str) -> Iterable[tuple[tuple[Any, ...], str, str, str]]:
    """(path, level, message, rule) for every unfinished or unsafe value of one entry."""
    entry_id = data.get("id")
    if kind in ("program", "practice", "framework") and isinstance(entry_id, str) and entry_id in RESERVED_IDS:
        yield ("id",), "error", f"id '{entry_id}' is the name of a page the site generates; choose a more specific id", "reserved-id"
    for path, text in walk_strings(data):
        if PLACEHOLDER in text:
            yield path, "error", f"placeholder '{PLACEHOLDER}' left in the entry; replace it with the real text", "placeholder"
            continue
        last = path[-1] if path else None
        strict = path in (("id",), ("title",), ("name",), ("code",))
        char = invisible(text, allow_zero_width=not strict and bool(_SCRIPT_TEXT.search(text)))
        if char is not None:
            if strict:
                yield path, "error", f"invisible character {char_name(char)} in {last}; retype it without copying", "invisible-char"
                continue
            yield path, "warning", f"invisible character {char_name(char)}; it can reorder or hide text, delete it unless you mean it", "invisible-char"
        if isinstance(last, str) and last in URL_FIELDS:
            problem = url_problem(text)
            if problem:
                yield path, "error", problem, "url"
