"""Validation messages an editor can act on, and untrusted values refused: one message per mistake, in words.

Each case writes one practice into the small base tree and checks the one message it must get:
where it is, which rule, and the words that tell the editor what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.content.load import load

HEAD = "id: {id}\ncountries: [PH]\n"
TITLE = "title: A practice under test\n"
SUMMARY = "summary: Returnees pool their savings in groups that lend to members.\n"
SOURCE = 'sources:\n  - {title: ILO report, url: "https://www.ilo.org/x"}\n'


def practice(entry_id: str = "case", *, title: str = TITLE, summary: str = SUMMARY, source: str = SOURCE, extra: str = "") -> str:
    return HEAD.format(id=entry_id) + title + summary + source + extra


def problems_of(base: Path, text: str | bytes, name: str = "case") -> list:
    path = base / "practices" / f"{name}.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    result = load(base)
    return [p for p in result.problems if Path(p.path).resolve() == path.resolve()]


REGEX = re.compile(r"\^\[|\]\+|\$\(\?|\\\\s")

CASES = {
    # name: (text, rule, line, words the message must hold)
    "wrong-case-theme": (practice(extra="themes: [Gender]\n"), "taxonomy", 7, ["'Gender' is not a theme", "did you mean 'gender'"]),
    "no-close-theme": (practice(extra="themes: [savings]\n"), "taxonomy", 7, ["allowed:", "access-to-finance", "entrepreneurship"]),
    "theme-from-other-vocabulary": (practice(extra="themes: [women]\n"), "taxonomy", 7, ["target groups"]),
    "returnees-as-theme": (practice(extra="themes: [returnees]\n"), "taxonomy", 7, ["'distressed-returnees' is one of the target groups"]),
    "term-inside-a-word": (practice(extra="target_groups: [migrant-women]\n"), "taxonomy", 7, ["did you mean 'women'"]),
    "part-of-a-term": (practice(extra="target_groups: [returnees]\n"), "taxonomy", 7, ["did you mean 'distressed-returnees'"]),
    "id-without-prefix": (practice(extra="related: [test-centre]\n"), "reference", 7, ["did you mean 'ph-test-centre'"]),
    "id-wrong-prefix": (practice(extra="related: [savings-groups]\n"), "reference", 7, ["did you mean 'test-savings-groups'"]),
    "bad-id-in-related": (practice(extra="related: [Test Centre]\n"), "reference", 7, ["does not exist"]),
    "title-too-long": (practice(title="title: " + "x" * 204 + "\n"), "length", 3, ["204 characters", "at most 200"]),
    "summary-too-short": (practice(summary="summary: Too short.\n"), "length", 4, ["at least 20"]),
    "bad-date": (practice(extra='reviewed: "2024-13-01"\n'), "date", 7, ["not a real date"]),
    "bad-status": (practice(extra="status: finished\n"), "enum", 7, ["allowed: active, ended"]),
    "quoted-year": (practice(extra='start_year: "2019"\n'), "type", 7, ["whole number", "remove the quotes"]),
    "countries-as-text": (HEAD.format(id="case").replace("[PH]", "PH") + TITLE + SUMMARY + SOURCE, "type", 2, ["write [PH]"]),
    "javascript-url": (practice(source="sources:\n  - {title: ILO report, url: 'javascript:alert(1)'}\n"), "url", 6, ["https://"]),
    "bad-unicode-escape": (practice(title='title: "A \\ud800 title"\n'), "syntax", 3, ["escape"]),
    "placeholder": (practice(summary="summary: TODO write one paragraph about the practice here.\n"), "placeholder", 4, ["TODO"]),
    "example-url": (practice(source='sources:\n  - {title: ILO report, url: "https://example.org/report"}\n'), "url", 6, ["placeholder or local address"]),
    "example-com-url": (practice(source='sources:\n  - {title: ILO report, url: "https://www.example.com/"}\n'), "url", 6, ["placeholder"]),
    "localhost-url": (practice(source='sources:\n  - {title: ILO report, url: "http://localhost:8000/x"}\n'), "url", 6, ["local address"]),
    "quote-in-url": (practice(source="sources:\n  - {title: ILO report, url: 'https://www.ilo.org/a\"onmouseover=x'}\n"), "url", 6, ["cannot turn into a link"]),
    "backtick-in-url": (practice(source="sources:\n  - {title: ILO report, url: 'https://www.ilo.org/`x`'}\n"), "url", 6, ["cannot turn into a link"]),
    "parens-in-url": (practice(source="sources:\n  - {title: ILO report, url: 'https://www.ilo.org/a)(b'}\n"), "url", 6, ["cannot turn into a link"]),
    "reserved-id": (practice("index"), "reserved-id", 1, ["page the site generates"]),
    "reserved-id-search": (practice("search"), "reserved-id", 1, ["page the site generates"]),
    "escape-esc": (practice(title='title: "Red \\e[31m title"\n'), "control-char", 3, ["U+001B"]),
    "escape-bel": (practice(summary='summary: "Returnees pool their savings \\a in groups that lend."\n'), "control-char", 4, ["U+0007"]),
    "escape-nel": (practice(summary='summary: "Returnees pool their savings \\x85 in groups that lend."\n'), "control-char", 4, ["U+0085"]),
    "escape-nul": (practice(summary='summary: "Returnees pool their savings \\0 in groups that lend."\n'), "control-char", 4, ["U+0000"]),
    "escape-in-key": (practice(extra='"\\a": x\n'), "control-char", 7, ["U+0007"]),
    "bidi-title": (practice(title="title: Savings \u202egroups\n"), "invisible-char", 3, ["U+202E"]),
    "isolate-title": (practice(title="title: Savings \u2066groups\u2069\n"), "invisible-char", 3, ["U+2066"]),
    "zero-width-title": (practice(title="title: Savings\u200bgroups\n"), "invisible-char", 3, ["U+200B"]),
    "bom-title": (practice(title="title: Savings\ufeffgroups\n"), "invisible-char", 3, ["U+FEFF"]),
    "indentation": (practice(extra="themes:\n  - gender\n - health\n"), "syntax", 9, ["indent"]),
    "colon-in-value": (practice(title="title: Savings: a practice\n"), "syntax", 3, ["quotes"]),
    "unclosed-quote": (practice(title='title: "Savings groups\n', source="sources:\n  - {title: ILO report, url: https://www.ilo.org/x}\n"), "syntax", 3, ["never closed"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_message_per_mistake_in_words(base_tree: Path, name: str) -> None:
    text, rule, line, words = CASES[name]
    entry_id = re.match(r"id: (\S+)", text).group(1)
    found = [p for p in problems_of(base_tree, text, entry_id) if p.is_error]
    assert len(found) == 1, found
    problem = found[0]
    assert (problem.rule, problem.line) == (rule, line), problem
    for word in words:
        assert word in problem.message, problem.message
    assert not REGEX.search(problem.message), problem.message  # never a raw regular expression


def test_syntax_error_in_one_file_leaves_the_others_checked(base_tree: Path) -> None:
    (base_tree / "practices" / "other.yaml").write_text(practice("other", extra="themes: [gendr]\n"))
    found = problems_of(base_tree, practice(extra="themes:\n  - gender\n - health\n"))
    assert [p.rule for p in found] == ["syntax"]
    others = [p for p in load(base_tree).problems if p.path.endswith("other.yaml")]
    assert [p.rule for p in others] == ["taxonomy"]


def test_invisible_characters_elsewhere_are_warnings(base_tree: Path) -> None:
    found = problems_of(base_tree, practice(extra="agency: Ministry \u202eof Labour\n"))
    assert [(p.level, p.rule) for p in found] == [("warning", "invisible-char")]
    # Thai text separates words with zero-width spaces: no warning there.
    assert problems_of(base_tree, practice(extra="local_name: \u0e01\u0e32\u0e23\u200b\u0e2d\u0e2d\u0e21\n")) == []


def test_reserved_id_for_programmes_too(base_tree: Path) -> None:
    path = base_tree / "programs" / "ph" / "index.yaml"
    path.write_text("id: index\ntitle: A programme\ncountry: PH\n" + SUMMARY + SOURCE)
    assert [p.rule for p in load(base_tree).errors] == ["reserved-id"]


def test_every_url_the_validator_accepts_the_site_can_link() -> None:
    from kb.content.values import url_problem
    from kb.site.markup import safe_url

    urls = ["https://www.ilo.org/a)(b", "https://www.ilo.org/a\"b", "https://www.ilo.org/`x`", "https://www.ilo.org/a'b",
            "https://www.ilo.org/a\\b", "https://www.ilo.org/a b", "https://www.ilo.org/a<b", "https://www.ilo.org/wiki/A_(b)",
            "https://www.ilo.org/?q=a&b=c#x", "https://bp2mi.go.id/berita", "http://www.ilo.org/plain"]
    for url in urls:
        if url_problem(url) is None:
            assert safe_url(url), url


@pytest.mark.parametrize("name,text", [("taxonomy.yaml", "phases:\n  - id: a\n   label: b\n"), ("glossary.yaml", "concepts: [\n"),
                                       ("taxonomy.yaml", "phases: 3\n")])
def test_broken_shared_file_reports_its_own_error_first_and_alone(base_tree: Path, name: str, text: str) -> None:
    (base_tree / "practices" / "other.yaml").write_text(practice("other", extra="themes: [gender]\n"))
    (base_tree / name).write_text(text)
    problems = load(base_tree).problems
    assert problems and problems[0].path.endswith(name) and problems[0].is_error
    assert all(p.path.endswith(name) for p in problems), problems  # no follow-on errors from every entry
    assert "missing or empty" not in problems[0].message


def test_fifo_under_content_is_reported_never_opened(base_tree: Path) -> None:
    import os

    fifo = base_tree / "practices" / "pipe.yaml"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes: the test would hang
    problems = [p for p in load(base_tree).problems if p.path.endswith("pipe.yaml")]
    assert [(p.rule, p.is_error) for p in problems] == [("path", True)]
    assert "not a regular file" in problems[0].message


def test_a_broken_entry_is_not_reported_again_by_the_entries_that_cite_it(base_tree: Path) -> None:
    (base_tree / "practices" / "other.yaml").write_text(practice("other", extra="related: [case]\n"))
    problems_of(base_tree, practice(title="title: [unclosed\n"))
    assert [p.rule for p in load(base_tree).problems] == ["syntax"]


def test_long_values_are_quoted_short_and_hints_stay_few(base_tree: Path) -> None:
    found = problems_of(base_tree, practice(extra="status: " + "x" * 5000 + "\n"))
    assert len(found) == 1 and len(found[0].message) < 200 and "…" in found[0].message
    many = "themes:\n" + "".join(f"  - unknown-theme-{i}\n" for i in range(200))
    found = problems_of(base_tree, practice(extra=many))
    assert len(found) == 200  # each mistake reported, at its own line
    from kb.content.checks import HINTED

    assert sum("allowed:" in p.message or "did you mean" in p.message for p in found) == HINTED
