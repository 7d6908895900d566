"""The package layout holds: the data flow in folders, each third-party library in one subpackage, small modules."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

KB = Path(__file__).resolve().parent.parent / "kb"
SUBPACKAGES = ("content", "search", "site", "cli")
# Each third-party library (by its import name) and the one subpackage that may import it.
HOMES = {
    "yaml": "content", "jsonschema": "content", "referencing": "content",
    "whoosh": "search", "Stemmer": "search",
    "jinja2": "site", "markupsafe": "site", "markdown": "site", "pymdownx": "site", "nh3": "site", "mkdocs": "site", "babel": "site",
    "click": "cli",
}
ENTRY_POINT_IMPORTS = {"__main__.py": {"click"}}  # the entry point may start click itself
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(KB.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Top-level names of every module imported anywhere in the file, function bodies included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("kb", "__future__")}


def test_top_level_holds_only_the_package_and_entry_point() -> None:
    top = sorted(p.name for p in KB.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]
    for package in SUBPACKAGES:
        assert (KB / package / "__init__.py").is_file(), package


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(KB)))
def test_each_library_is_imported_in_its_own_subpackage(path: Path) -> None:
    relative = path.relative_to(KB)
    package = relative.parts[0] if len(relative.parts) > 1 else None
    for name in sorted(_third_party(_imports(path))):
        assert name in HOMES, f"{relative} imports {name}, which has no home subpackage; add it to HOMES in this test"
        allowed = HOMES[name] == package or name in ENTRY_POINT_IMPORTS.get(str(relative), set())
        assert allowed, f"{relative} imports {name}; only kb/{HOMES[name]}/ may import it"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(KB)))
def test_no_module_is_over_the_line_limit(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(KB)} has {lines} lines; split it along its seams"


def test_the_rule_catches_a_stray_import(tmp_path: Path) -> None:
    """The walker sees imports inside functions too, so a lazy stray import cannot hide."""
    stray = tmp_path / "stray.py"
    stray.write_text("def f():\n    import whoosh.index\n    from jinja2 import Template\n", "utf-8")
    assert _third_party(_imports(stray)) == {"whoosh", "jinja2"}
