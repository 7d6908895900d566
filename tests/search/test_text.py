"""Pure query and text helpers: folding, stemming, parsing hostile queries."""

from __future__ import annotations

import pytest

from kb.search.text import MAX_CLAUSES, MAX_QUERY_CHARS, bigrams, clean, fold, parse_query, query_without, word_stems, words


def test_fold_strips_latin_diacritics_but_keeps_thai_marks():
    assert fold("Lao động về nước") == "lao dong ve nuoc"
    assert fold("Đào tạo") == "dao tao"
    assert fold("แรงงานคืนถิ่น") == "แรงงานคืนถิ่น"  # vowel and tone marks survive


def test_clean_removes_nul_bidi_and_control_characters():
    assert clean("a\x00b\u202ec\u200bd\x1b[31m") == "a b c d [31m"


@pytest.mark.parametrize(("forms", "expected"), [
    (["training", "trained", "trains"], "train"),
    (["pelatihan", "melatih", "latihan"], "latih"),
    (["kewirausahaan", "wirausaha"], "wirausaha"),
])
def test_morphology_meets_in_one_stem(forms, expected):
    assert all(expected in word_stems(form) for form in forms)


def test_words_keep_unspaced_runs_whole_and_bigrams_split_them():
    assert words("Hỗ trợ แรงงาน") == ["ho", "tro", "แรงงาน"]
    assert bigrams("แรง") == ["แร", "รง"]


def test_parse_filters_phrases_negation_prefix_fuzzy():
    parsed = parse_query('country:PH theme:"skills training" "small business" -loans train* savngs~2 NOT debt')
    assert parsed.filters == {"country": ["PH"], "theme": ["skills training"]}
    kinds = [(c.kind, c.text, c.negated) for c in parsed.clauses]
    assert kinds == [("phrase", "small business", False), ("word", "loans", True), ("prefix", "train", False),
                     ("fuzzy", "savngs", False), ("word", "debt", True)]
    assert parsed.clauses[3].maxdist == 2


@pytest.mark.parametrize("hostile", [
    '"unbalanced', "((((((", "(" * 1000 + "a" + ")" * 1000, "x" * 20000, "*", "*tion", "?", "a~999999999999",
    "\x00\x00", "😀 🙃", "\u202eevil\u202c", "AND OR NOT", "country:", 'theme:""', "-", "~", "**", "a" * 50 + "*" * 50,
])
def test_hostile_queries_parse_to_something_bounded(hostile):
    parsed = parse_query(hostile)
    assert len(parsed.clauses) <= MAX_CLAUSES
    assert all(len(c.text) <= MAX_QUERY_CHARS for c in parsed.clauses)
    assert all(c.maxdist <= 2 for c in parsed.clauses)


def test_long_queries_are_cut_with_a_note():
    parsed = parse_query("word " * 5000)
    assert len(parsed.clauses) == MAX_CLAUSES
    assert any("first" in note for note in parsed.notes)


def test_bare_star_matches_all_and_leading_wildcard_is_dropped():
    assert parse_query("*").match_all
    parsed = parse_query("*tion")
    assert [c.text for c in parsed.clauses] == ["tion"] and parsed.notes


def test_query_without_rebuilds_a_typable_query():
    parsed = parse_query('finacial "domestic workers" country:PH')
    assert query_without(parsed, {"finacial": "financial"}) == 'financial "domestic workers" country:PH'
