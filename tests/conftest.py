"""Shared fixtures: small content trees copied into tmp_path so tests can change them freely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def base_tree(tmp_path: Path) -> Path:
    """A small valid content tree (taxonomy, glossary, one framework, country, programme, practice)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "validate" / "base", root)
    return root
