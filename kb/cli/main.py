"""The `kb` command line: thin commands over the library functions.

Commands live in several modules and are imported only when run, so that `kb search`
never pays for jinja2, jsonschema or mkdocs.
"""

from __future__ import annotations

import errno
import importlib
from typing import Any

import click

from kb import __version__

LAZY_COMMANDS = {
    "validate": "kb.cli.content:validate_command",
    "new": "kb.cli.content:new_command",
    "show": "kb.cli.content:show_command",
    "stats": "kb.cli.content:stats_command",
    "schemas": "kb.cli.content:schemas_command",
    "intake": "kb.cli.intake:intake_command",
    "index": "kb.cli.search:index_command",
    "search": "kb.cli.search:search_command",
    "similar": "kb.cli.search:similar_command",
    "eval": "kb.cli.search:eval_command",
    "build": "kb.cli.site:build_command",
    "serve": "kb.cli.site:serve_command",
    "render": "kb.cli.site:render_command",
    "export": "kb.cli.site:export_command",
    "i18n": "kb.cli.i18n:i18n_group",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (and skipped if not written yet)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        available = [name for name in LAZY_COMMANDS if self._load(name) is not None]
        return sorted(set(super().list_commands(ctx)) | set(available))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) or self._load(name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # `kb search ... | head`: click quietly handles a closed pipe
            # A read-only folder, a full disk, a file where a folder should be: one line, no traceback.
            where = f" {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"cannot read or write{where}: {exc.strerror or exc}") from None

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attribute, None)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kb")
def main() -> None:
    """ASEAN Return and Reintegration Knowledge Base.

    \b
    Validate the content, scaffold entries, search, and build the site:
      kb validate
      kb new practice --title "Savings groups for returnees" --country PH
      kb search "financial literacy for domestic workers"
      kb build && kb serve
    """
