"""Finished HTML blocks of generated pages, carried past Markdown instead of through it.

The renderer wraps blocks that are already HTML (an entry's prose, its sources, its translations,
criteria and caveats) between two comment lines. As Markdown they are raw HTML blocks, passed
through unchanged, so the renderer's output stays plain Markdown for `kb render --out`. In the site
build the plugin takes them out before Markdown runs and puts them back in its output: the same
page, without Python-Markdown parsing HTML it would not change (a third of a page's build time).

Content cannot forge a block: every value the templates print is escaped (no "<!--" survives), and
the paragraph that stands in for a block carries a random token of this build.
"""

from __future__ import annotations

import re
import secrets

from markupsafe import Markup

START = "<!-- kb:html -->"
END = "<!-- /kb:html -->"
_BLOCK = re.compile(rf"^{re.escape(START)}\n(?P<html>.*?)\n{re.escape(END)}$", re.S | re.M)


def block(html: str) -> Markup:
    """HTML for the page as it is, on lines of its own between blank lines (a raw HTML block to Markdown)."""
    return Markup(f"\n{START}\n{html.strip()}\n{END}\n")


class Stash:
    """The blocks of one build: `take` before Markdown, `put_back` after."""

    def __init__(self) -> None:
        self.token = "kbhtml" + secrets.token_hex(8)
        self.blocks: dict[str, str] = {}

    def take(self, markdown: str) -> str:
        """Markdown with each block replaced by a paragraph naming it."""
        def keep(match: re.Match[str]) -> str:
            key = f"{self.token}x{len(self.blocks)}"
            self.blocks[key] = match.group("html")
            return f"\n{key}\n"

        return _BLOCK.sub(keep, markdown)

    def put_back(self, html: str) -> str:
        """Markdown's output with each block's paragraph replaced by the block (a key not found stays visible)."""
        if self.token not in html:
            return html
        return re.sub(rf"<p>({self.token}x\d+)</p>", lambda m: self.blocks.pop(m.group(1), m.group(0)), html)
