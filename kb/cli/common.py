"""Options and helpers shared by the `kb` commands. Light on imports: `kb search` loads this."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

CONTENT_ENV = "KB_CONTENT"


def default_content() -> Path:
    return Path(os.environ.get(CONTENT_ENV, "content"))


def content_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--content DIR, defaulting to $KB_CONTENT or ./content."""
    return click.option("--content", "content", type=click.Path(path_type=Path, file_okay=False), default=default_content,
                        show_default="$KB_CONTENT or ./content", help="The content folder.")(func)


def load_or_fail(content: Path, **options: Any) -> Any:
    """Load the knowledge base (options as kb.content.load.load takes them); a missing folder is a one-line user error."""
    from kb.content.load import load

    if not content.is_dir():
        raise click.ClickException(f"content folder '{content}' not found; run from the project folder or pass --content")
    return load(content, **options)
