"""Shared fixtures of the search tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "content"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the search fixture's content tree, free to edit."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root
