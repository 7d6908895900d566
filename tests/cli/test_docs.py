"""Every command is documented: an example in its --help, and a mention in README.md."""

from __future__ import annotations

import click
import pytest

from kb.cli.main import main
from tests.conftest import REPO

COMMANDS = sorted(main.list_commands(click.Context(main)))


def test_all_lazy_commands_are_present() -> None:
    assert {"validate", "new", "show", "stats", "index", "search", "similar", "eval", "build", "serve", "render", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None and command.help and "Example" in command.help, name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_mentions_command(name: str) -> None:
    assert f"kb {name}" in (REPO / "README.md").read_text(encoding="utf-8"), name


def test_readme_starts_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```sh\n")[1:3]
    assert blocks[0].startswith("pip install -e . && kb build && kb serve")
    assert blocks[1].startswith("pip install -e '.[test]' && python -m pytest")
    assert "python -m pytest" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
