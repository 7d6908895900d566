"""Data-driven validation: every file under fixtures/validate/invalid declares where it goes and what it must report.

Header lines: `# place: <path under content/>` and one or more `# expect: LINE:COL RULE`.
Valid files under fixtures/validate/valid must report nothing at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.content.load import load

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "validate"
HEADER = re.compile(rb"^# (place|expect): (.+)$", re.M)


def _header(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    place, expects = "", []
    for key, value in HEADER.findall(path.read_bytes()):
        if key == b"place":
            place = value.decode().strip()
        else:
            position, rule = value.decode().split()
            line, col = position.split(":")
            expects.append((int(line), int(col), rule))
    return place, expects


def _install(base: Path, case: Path) -> Path:
    place, _ = _header(case)
    target = base / place
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.read_bytes())
    return target


@pytest.mark.parametrize("case", sorted((CASES / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_case_reports_its_rule_at_its_position(base_tree: Path, case: Path) -> None:
    target = _install(base_tree, case)
    _, expects = _header(case)
    assert expects, f"{case} declares no expectation"
    result = load(base_tree)
    found = [(p.line, p.column, p.rule) for p in result.errors if Path(p.path).resolve() == target.resolve()]
    for expect in expects:
        assert expect in found, f"expected {expect} in {found}"
    # One bad file never hides or breaks the others: the base tree's entries still load.
    assert {"ph-test-centre", "test-savings-groups", "ph"} <= set(result.kb.entries)


@pytest.mark.parametrize("case", sorted((CASES / "valid").glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_case_reports_nothing(base_tree: Path, case: Path) -> None:
    _install(base_tree, case)
    result = load(base_tree)
    assert result.problems == []


def test_base_tree_is_clean(base_tree: Path) -> None:
    result = load(base_tree)
    assert result.problems == []
    assert len(result.kb) == 5


def test_all_invalid_cases_at_once_each_reported(base_tree: Path) -> None:
    """Every problem in the whole tree at once, not just the first file's."""
    cases = sorted((CASES / "invalid").glob("*.yaml"))
    targets = {}
    for case in cases:
        place, expects = _header(case)
        if place.startswith("programs/ph/test-savings") or place == "practices/file-name.yaml":
            continue  # these two interact with other cases' ids
        targets[_install(base_tree, case).resolve()] = expects
    result = load(base_tree)
    reported = {Path(p.path).resolve() for p in result.errors}
    assert set(targets) <= reported
