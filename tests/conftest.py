"""Shared fixtures: small content trees copied into tmp_path so tests can change them freely."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def base_tree(tmp_path: Path) -> Path:
    """A small valid content tree (taxonomy, glossary, one framework, country, programme, practice)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "validate" / "base", root)
    return root


# --- browser tests ------------------------------------------------------------------------------
# Tests marked `browser` drive Debian's Chromium. On a machine without it they are skipped with one
# line saying how to install it; under CI (CI=true) a missing browser fails instead.
CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))  # KB_CHROMIUM: to try the skip
BROWSER_HINT = "apt-get install chromium chromium-driver fonts-thai-tlwg (as .ci/run does)"


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright not installed (pip install -e '.[test]')"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = _browser_missing()
    if missing is None or os.environ.get("CI", "").lower() == "true":
        return  # under CI the tests run and fail loudly when the browser is missing
    skip = pytest.mark.skip(reason=f"{missing}; install: {BROWSER_HINT}")
    skipped = [item for item in items if "browser" in item.keywords]
    for item in skipped:
        item.add_marker(skip)
    config._kb_browser_skipped = (len(skipped), missing)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    skipped = getattr(config, "_kb_browser_skipped", None)
    if skipped and skipped[0]:
        terminalreporter.write_line(f"skipped {skipped[0]} browser tests: {skipped[1]}; to run them: {BROWSER_HINT}")
