"""kb.site.markup: content fields become safe HTML or literal Markdown text."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown
import pytest

from kb.site.markup import ALLOWED_TAGS, attr_text, markdown_html, md_inline, safe_url

HOSTILE_MARKDOWN = [
    "<script>window.__kbxss=1</script>",
    "<img src=x onerror=window.__kbxss=1>",
    "[link](javascript:window.__kbxss=1)",
    "[link](JaVaScRiPt:window.__kbxss=1)",
    "[link](data:text/html,<script>window.__kbxss=1</script>)",
    '<a href="javascript:window.__kbxss=1" onclick="window.__kbxss=1">raw</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=window.__kbxss=1></svg>",
    '<details open ontoggle="window.__kbxss=1">x</details>',
    '<div style="position:fixed;top:0" onmouseover="window.__kbxss=1">hover</div>',
    "[up](../../../etc/passwd)",
    '<form action="https://evil.example"><input name=x></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__kbxss=1>",
    '<a href="&#106;avascript:window.__kbxss=1">entity</a>',
    "![img](https://tracker.example/pixel.png)",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_hostile_markdown_loses_every_live_part(text: str) -> None:
    parser = _Elements()
    parser.feed(markdown_html(text))
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, (text, tag)
        assert not [a for a in attrs if a.startswith("on") or a in ("style", "src", "action")], (text, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith(("https://", "http://", "mailto:", "#")), (text, href)


def test_markdown_keeps_prose_links_headings_and_tables() -> None:
    out = markdown_html("# Pillars\n\n**Four** pillars, see [the ministry](https://kemnaker.go.id).\n\n"
                        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", id_prefix="details")
    assert '<h3 id="details-pillars">Pillars</h3>' in out
    assert "<strong>Four</strong>" in out
    assert 'href="https://kemnaker.go.id"' in out and 'rel="noopener noreferrer nofollow"' in out
    assert "<li>one</li>" in out and "<td>1</td>" in out


def test_in_page_anchor_links_are_kept_but_only_to_plain_ids() -> None:
    assert 'href="#results"' in markdown_html("[see](#results)")
    assert "href" not in markdown_html('<a href="#bad id!">y</a>').replace('rel="noopener noreferrer nofollow"', "")


def test_empty_or_non_text_fields_render_as_nothing() -> None:
    assert markdown_html(None) == "" and markdown_html("   ") == "" and markdown_html(["a"]) == ""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


NASTY_TEXT = [
    "[click](javascript:alert(1))", "<script>alert(1)</script>", "**bold** _it_ `code`", "# not a heading",
    "- not a list", "1. not a list", "Title {: onclick=alert(1) }", "a | b | c", "&amp; &lt; &#60;", "<https://x.org>",
    "![x](https://x.org/p.png)", "back\\slash \\[x\\]", "'quotes' \"double\"", "~~del~~ ==mark== ^sup^", "Brunei: 5 > 3",
]


@pytest.mark.parametrize("text", NASTY_TEXT)
def test_inline_text_renders_as_exactly_that_text(text: str) -> None:
    rendered = markdown.markdown("Before " + md_inline(text) + " after", extensions=["attr_list", "tables", "toc", "md_in_html", "admonition"])
    parser = _Text()
    parser.feed(rendered)
    assert parser.tags == ["p"], rendered
    assert parser.text == "Before " + text + " after"


def test_inline_text_is_one_line() -> None:
    assert "\n" not in md_inline("one\n\n# two\n- three")


def test_attribute_text_has_no_markup_characters() -> None:
    assert attr_text('</title><script>alert("x")</script> A & B') == "/title script alert(\u201cx\u201d) /script A and B"
    assert attr_text("People's Business Credit, Sa \"Pinas\"") == "People\u2019s Business Credit, Sa \u201cPinas\u201d"
    assert attr_text("x" * 500, limit=10) == "x" * 10


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/etc/passwd", "../x", "https://a.org/x y",
                                 'https://a.org/"onmouseover=x', "ftp://a.org", "https://", 42, None])
def test_unsafe_urls_are_refused(url: object) -> None:
    assert safe_url(url) is None


def test_safe_urls_are_kept_with_parentheses_encoded() -> None:
    assert safe_url("https://a.org/x?a=1&b=2") == "https://a.org/x?a=1&b=2"
    assert safe_url(" http://a.org/x_(y) ") == "http://a.org/x_%28y%29"
    assert html.escape(safe_url("https://a.org/é") or "") == "https://a.org/%C3%A9"
