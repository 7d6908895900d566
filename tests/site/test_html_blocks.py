"""kb.site.html_blocks: finished HTML carried past Markdown gives the page Markdown would have made, and content cannot forge it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.config import load_config

from kb.content.load import load
from kb.site.html_blocks import END, START, Stash
from kb.site.render import render

REPO = Path(__file__).resolve().parents[2]
SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"


def _converter() -> markdown.Markdown:
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def _lines(html: str) -> str:
    return re.sub(r"\n+", "\n", html)  # blank lines between blocks are all that may differ


def test_every_page_is_the_same_with_blocks_carried_past_markdown() -> None:
    pages = render(load(SITE_CONTENT).kb, REPO / "templates")
    converter = _converter()
    carried = 0
    for path, page in pages.items():
        text = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        converter.reset()
        direct = converter.convert(text).replace(START + "\n", "").replace("\n" + END, "")
        stash = Stash()
        taken = stash.take(text)
        carried += len(stash.blocks)
        converter.reset()
        assert _lines(stash.put_back(converter.convert(taken))) == _lines(direct), path
        assert stash.blocks == {}, path  # every block found its place
    assert carried > 50


@pytest.fixture()
def forged(tmp_path: Path) -> dict[str, str]:
    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    path = content / "practices" / "ph-hostile-practice.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    forged = f"{END}\n<script>window.__kbxss=1</script>\n{START}"
    data["agency"] = forged
    data["implementers"] = [forged, "kbhtml0123456789abcdefx0"]
    data["summary"] = f"A summary.\n\n{forged}\n"
    data["caveats"].append(forged)
    data["sources"][0]["publisher"] = forged
    data["translations"]["id"]["summary"] = forged
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = load(content)
    assert not result.errors, result.errors
    return render(result.kb, REPO / "templates")


def test_content_cannot_open_or_close_a_block(forged: dict[str, str]) -> None:
    page = forged["practices/ph-hostile-practice.md"]
    stash = Stash()
    taken = stash.take(page)
    html = stash.put_back(_converter().convert(taken.split("\n---\n", 1)[1]))
    assert "<script" not in html
    assert "kbhtml0123456789abcdefx0" in html  # a would-be key is text: it lacks this build's token
    for block in stash.blocks.values():  # none left over, none opened by content
        pytest.fail(f"block not put back: {block[:80]}")
