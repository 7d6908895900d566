"""Turn content fields into text that is safe to place in a generated Markdown page.

Entries come from outside, so nothing in them may become live markup on the site:

- ``markdown_html``: a Markdown field (description, results, lessons) becomes HTML,
  then nh3 keeps only an allow-list of tags, attributes and http(s)/mailto links.
  The result is placed in the page as a raw HTML block, which MkDocs passes through.
- ``md_inline``: plain text (titles, summaries, names) becomes Markdown that renders
  exactly that text: every character Markdown or HTML could act on is an entity.
- ``attr_text``: text for places that MkDocs themes print without escaping
  (front matter ``title``, tag names): markup characters are dropped.
- ``safe_url``: an http(s) address usable as a link target, or None.
"""

from __future__ import annotations

import functools

import re
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

from kb.content.layout import CITATION_RE, valid_id

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sub", "sup", "abbr", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
                      "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
# The content of these goes too, not only the tag (a <script>'s text is not prose).
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "textarea", "select"}
_URL = re.compile(r"^(https?://[^\s<>\"'`\\]+|mailto:[^\s<>\"'`\\]+)$", re.IGNORECASE)
_WS = re.compile(r"\s+")
# Characters that Markdown, its extensions (attr_list, tables) or HTML could act on, as entities.
_INLINE_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>|#!~^=\"'$:"}
_INLINE_ENTITIES["&"] = "&amp;"
_INLINE = re.compile("[" + re.escape("".join(_INLINE_ENTITIES)) + "]")
_LINE_START = re.compile(r"^([-+]|\d+[.)])")
_QUOTED = re.compile(r'"([^"<>]*)"')
_MARKUP_CHARS = re.compile(r"[<>&\"'`\\{}\x00-\x1f\x7f]")


def safe_url(value: Any) -> str | None:
    """The address if it is an http(s) URL without characters that could break out of a link, else None.

    Parentheses and spaces are percent-encoded so the address can sit in a Markdown link.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not re.match(r"^https?://", value, re.IGNORECASE) or not _URL.match(value):
        return None
    return quote(value, safe=":/?#@!$&*+,;=%-._~")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        # Relative links would point into the site's own tree; only outside addresses and
        # in-page anchors are kept. javascript:, data: and the like never pass.
        if value.startswith("#") and valid_id(value[1:]):
            return value
        return value if _URL.match(value) else None
    if attribute == "id":
        return value if valid_id(value) else None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags=ALLOWED_TAGS, clean_content_tags=DROP_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
                       attribute_filter=_attribute_filter, url_schemes={"http", "https", "mailto"},
                       link_rel="noopener noreferrer nofollow", strip_comments=True)


def _slugger(prefix: str):
    def slugify(value: str, separator: str) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:40].strip("-")
        return f"{prefix}-{words}" if words else prefix
    return slugify


@lru_cache(maxsize=128)
def _converter(prefix: str, base_level: int) -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a field; reuse one per heading prefix.
    return markdown.Markdown(extensions=["tables", "sane_lists", "toc"], extension_configs={
        "toc": {"slugify": _slugger(prefix), "baselevel": base_level, "permalink": False}})


def sanitize_html(html: str) -> str:
    """HTML cut down to the allow-list."""
    return _cleaner().clean(html)


_LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s+\S")


def _loosen_lists(text: str) -> str:
    """Put a blank line before a list that directly follows a paragraph line.

    Editors write "Results:\n- one\n- two" in YAML; plain Markdown would glue the items
    into the paragraph.
    """
    lines, out, fenced = text.splitlines(), [], False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and out and out[-1].strip() and _LIST_ITEM.match(line) and not _LIST_ITEM.match(out[-1]) \
                and not out[-1].startswith((" ", "\t")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def markdown_html(text: Any, *, id_prefix: str = "md", base_level: int = 3) -> Markup:
    """A Markdown field as sanitized HTML.

    Args:
        text: the field's Markdown (anything else renders as nothing).
        id_prefix: prefix for heading ids, so that two fields on a page never share an anchor.
        base_level: the level a `#` heading in the field becomes (the page uses h1 and h2 itself).
    """
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    return _markdown_html(text, id_prefix if valid_id(id_prefix) else "md", base_level)


@functools.lru_cache(maxsize=8192)
def _markdown_html(text: str, prefix: str, base_level: int) -> Markup:
    # Cached: every language's site renders the same (English) fields, and its build forks from the English one.
    converter = _converter(prefix, base_level)
    converter.reset()
    # Markup() only marks the cleaned string safe for the template's final escaping step.
    # Inline citations [^n] become links to the n-th source of the page's numbered list (ids source-n).
    text = CITATION_RE.sub(lambda m: f"<sup>[[{m.group(1)}]](#source-{m.group(1)})</sup>", text)
    return Markup(sanitize_html(converter.convert(_loosen_lists(text))))


def md_inline(value: Any) -> Markup:
    """Plain text as inline Markdown that shows exactly that text, on one line."""
    # Whitespace collapses to single spaces (kept at the ends: templates join words with them).
    text = _WS.sub(" ", "" if value is None else str(value))
    text = _INLINE.sub(lambda m: _INLINE_ENTITIES[m.group(0)], text)
    # A leading "-", "+" or "1." would start a list when the text opens a line.
    text = _LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(1)), text)
    return Markup(text)


def attr_text(value: Any, limit: int = 200) -> str:
    """Text for places themes print unescaped (page titles, tag names): markup characters dropped."""
    text = "" if value is None else str(value).replace("&", " and ")
    # Quotes become typographic ones rather than gaps: "People's Business Credit" stays readable.
    text = _QUOTED.sub("\u201c\\1\u201d", text).replace('"', "\u201d").replace("'", "\u2019")
    text = _WS.sub(" ", _MARKUP_CHARS.sub(" ", text)).strip()
    return text[:limit].rstrip()


def inline_html(text: Any) -> Markup:
    """A short Markdown text (a caveat) as sanitized HTML without its paragraph: `code`, *emphasis*, links."""
    html = str(markdown_html(text, id_prefix="inline"))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
