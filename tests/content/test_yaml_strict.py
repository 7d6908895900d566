from __future__ import annotations

from pathlib import Path

from kb.content.yaml_strict import MAX_BYTES, parse_file, parse_text


def test_yaml_11_booleans_and_dates_stay_strings() -> None:
    parsed = parse_text("a: NO\nb: yes\nc: off\nd: 2024-01-05\ne: on\nf: y\n")
    assert parsed.data == {"a": "NO", "b": "yes", "c": "off", "d": "2024-01-05", "e": "on", "f": "y"}


def test_core_schema_scalars() -> None:
    parsed = parse_text("a: 12\nb: -3\nc: 1.5\nd: true\ne: false\nf: null\ng: ~\nh:\ni: '12'\nj: 0x1F\n")
    assert parsed.data == {"a": 12, "b": -3, "c": 1.5, "d": True, "e": False, "f": None, "g": None, "h": None, "i": "12", "j": "0x1F"}


def test_positions_of_keys_and_values() -> None:
    parsed = parse_text("id: x\nsources:\n  - title: t\n    url: u\n")
    assert parsed.keys[("sources",)] == (2, 1)
    assert parsed.values[("sources", 0, "url")] == (4, 10)
    assert parsed.position(("sources", 0, "missing")) == (3, 5)


def test_huge_integer_stays_a_string() -> None:
    digits = "9" * 5000
    assert parse_text(f"a: {digits}\n").data == {"a": digits}


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    parsed = parse_text("\n".join(lines) + "\n")
    assert {p.rule for p in parsed.problems} == {"anchor"}


def test_thousand_nested_brackets_is_a_problem_not_a_crash() -> None:
    parsed = parse_text("a: " + "[" * 1000 + "]" * 1000 + "\n")
    # Our own depth limit or libyaml's (PyYAML >= 6.0.4 bundles one): the same rule either way.
    assert {p.rule for p in parsed.problems} == {"too-deep"}


def test_file_over_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * (MAX_BYTES + 10) + "\n")
    assert [p.rule for p in parse_file(path).problems] == ["too-large"]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    assert [p.rule for p in parse_file(tmp_path / "nope.yaml").problems] == ["io"]


def test_bom_is_accepted() -> None:
    assert parse_text("\ufeffa: b\n").data == {"a": "b"}


def test_bidi_and_emoji_are_text() -> None:
    assert parse_text("a: \"\u200f\U0001F600 ok\"\n").data == {"a": "\u200f\U0001F600 ok"}
