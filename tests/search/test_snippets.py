"""Snippets: matched words marked by the index's own rules, the best passages chosen and cut cleanly."""

from __future__ import annotations

from kb.search.snippets import MAX_CHARS, query_terms, snippet
from kb.search.text import word_stems


def terms(*words: str) -> frozenset[str]:
    """Index terms of query words, as the analyzer makes them."""
    return frozenset(stem for word in words for stem in word_stems(word))


def test_marks_words_by_stem_and_folding_and_skips_stop_words() -> None:
    text = "Returnees trained in the village; the training of Người lao động về nước continues."
    out = snippet(text, terms("train", "lao", "dong", "the"))
    assert "**trained**" in out and "**training**" in out
    assert "**lao động**" in out  # adjacent matches are one mark; diacritics folded
    assert "**the**" not in out and "**The**" not in out


def test_nothing_matched_gives_empty_string() -> None:
    assert snippet("Savings groups for returnees.", terms("hotline")) == ""


def test_long_text_is_cut_at_spaces_with_ellipses_and_whole_short_text_is_not() -> None:
    filler = " ".join(f"word{i}" for i in range(200))
    out = snippet(f"{filler} cooperative savings {filler}", terms("cooperative"))
    assert out.startswith("… ") and out.endswith(" …")
    assert "**cooperative**" in out
    assert len(out) <= MAX_CHARS + 10
    inner = out[2:-2].split()
    assert all(w.startswith(("word", "**", "savings")) for w in inner)  # no word cut in half
    short = "A cooperative for returnees."
    assert snippet(short, terms("cooperative")) == "A **cooperative** for returnees."


def test_two_distant_passages_and_no_repeated_text_when_they_overlap() -> None:
    filler = " ".join(f"w{i}" for i in range(150))
    out = snippet(f"Hotline one. {filler}. Counselling two. {filler}. Hotline counselling three.", terms("hotline", "counselling"))
    assert "**Hotline counselling**" in out  # the passage with both words wins
    assert out.count("…") >= 1
    near = snippet("The hotline is open. " + "x " * 60 + "The hotline again.", terms("hotline"))
    assert near.count("**hotline**") == 2
    assert near.count("The hotline is open") + near.count("The **hotline** is open") == 1


def test_markdown_asterisks_in_content_cannot_unbalance_the_marks() -> None:
    out = snippet("A *bold* claim about **loans** and * stray stars", terms("loan"))
    assert out.count("**") == 2 and "**loans**" in out
    assert "*bold*" not in out


def test_thai_runs_are_marked_but_lone_pairs_inside_other_words_are_not() -> None:
    thai = frozenset(["แร", "รง", "งง", "งา", "าน"])  # the character pairs of แรงงาน, as indexed
    out = snippet("กระทรวงแรงงานช่วยกลับบ้าน", thai)
    assert "**แรงงาน**" in out
    assert "บ้**าน**" not in out and "บ้าน" in out


def test_query_terms_keeps_only_text_fields_and_decodes_bytes() -> None:
    pairs = [("summary", "train"), ("body", b"loan"), ("concepts", "c-returnee"), ("country", "PH")]
    assert query_terms(pairs, ("summary", "body")) == {"train", "loan"}
