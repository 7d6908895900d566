"""`kb build`, `kb serve`, `kb render` and `kb export`: thin commands over kb.site.render, kb.site.export and MkDocs."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from kb.cli.common import content_option, load_or_fail

CONFIG_HELP = "The MkDocs configuration file."


def _config_option(func: Any) -> Any:
    return click.option("--config-file", "-f", "config_file", type=click.Path(path_type=Path, dir_okay=False),
                        default=Path("mkdocs.yml"), show_default=True, help=CONFIG_HELP)(func)


def _valid_or_fail(content: Path) -> Any:
    """Load the content; on any error print every problem and stop (nothing is built)."""
    from kb.content.problems import format_text

    result = load_or_fail(content)
    if result.errors:
        click.echo(format_text(result.errors), err=True)
        raise click.ClickException(f"{len(result.errors)} error(s) in {content}; nothing was built. Fix them and run `kb build` again "
                                   "(`kb validate` lists them too).")
    return result


def _index_step(content: Path, index_dir: Path) -> str:
    from kb.search.build import ensure_index
    from kb.search.storage import IndexBusy, IndexFailure

    try:
        stats = ensure_index(content, index_dir)
    except (IndexBusy, IndexFailure) as exc:  # busy or unreadable: one line each
        raise click.ClickException(f"search index: {exc}") from None
    action = "rebuilt" if stats.get("rebuilt") else "updated" if stats.get("updated") else "up to date"
    return f"search index {action}: {stats.get('entries')} entries in {index_dir}"


@click.command("build")
@content_option
@_config_option
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False), help="Where to write the site (default: site_dir of mkdocs.yml).")
@click.option("--index", "index_dir", type=click.Path(path_type=Path, file_okay=False), envvar="KB_INDEX", default=Path(".kb/index"),
              show_default="$KB_INDEX or .kb/index", help="The search index folder.")
@click.option("--no-index", is_flag=True, help="Skip the search index step.")
@click.option("--no-zip", is_flag=True, help="Skip the offline zip (faster previews).")
def build_command(content: Path, config_file: Path, site_dir: Path | None, index_dir: Path, no_index: bool, no_zip: bool) -> None:
    """Validate the content, update the search index and build the site.

    Stops before building anything when the content has errors, and lists them all.

    \b
    Example:
      kb build
      kb build --site-dir /tmp/site --no-zip
    """
    from kb.site.mkdocs_run import SiteError, build_site, mkdocs_config, show_mkdocs_log

    started = time.perf_counter()
    result = _valid_or_fail(content)
    click.echo(f"content: {len(result.kb)} entries, {len(result.warnings)} warning(s)", err=True)
    if not no_index:
        click.echo(_index_step(content, index_dir), err=True)
    overrides: dict[str, Any] = {"strict": True}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir.resolve())
    try:
        config = mkdocs_config(config_file, content, not no_zip, None if no_index else index_dir, **overrides)
        show_mkdocs_log()
        build_site(config)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"site built in {config.site_dir} ({time.perf_counter() - started:.1f}s)", err=True)


@click.command("serve")
@content_option
@_config_option
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on (IP:PORT).")
@click.option("--open", "open_in_browser", is_flag=True, help="Open the site in a browser.")
def serve_command(content: Path, config_file: Path, dev_addr: str, open_in_browser: bool) -> None:
    """Preview the site, rebuilding it when a YAML file, template or page changes.

    \b
    Example:
      kb serve
      kb serve --dev-addr 0.0.0.0:8080
    """
    from kb.site.mkdocs_run import SiteError, serve_site, show_mkdocs_log

    if not config_file.is_file():
        raise click.ClickException(f"{config_file} not found; run from the project folder or pass --config-file")
    _valid_or_fail(content)
    # MkDocs reloads mkdocs.yml on every rebuild; the plugin reads the folder from $KB_CONTENT there.
    os.environ["KB_CONTENT"] = str(content.resolve())
    show_mkdocs_log(20)  # INFO: the address and each rebuild
    try:
        serve_site(config_file, dev_addr, open_in_browser)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("render")
@content_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder for the Markdown pages.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False), default=Path("templates"), show_default=True,
              help="The Jinja2 templates folder.")
def render_command(content: Path, out: Path, templates: Path) -> None:
    """Write the generated Markdown pages without MkDocs (for any Markdown site tool).

    \b
    Example:
      kb render --out build/pages
    """
    from kb.content.publishing import site_url
    from kb.site.render import RenderError, render, write_pages

    result = _valid_or_fail(content)
    try:
        written = write_pages(render(result.kb, templates, site_url=site_url(content)), out)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{len(written)} pages written to {out}", err=True)


@click.command("export")
@content_option
@click.option("--format", "formats", type=click.Choice(["json", "csv"]), multiple=True, default=("json", "csv"), show_default=True,
              help="Repeat for several formats.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("dist/data"), show_default=True,
              help="Folder for the files.")
@click.option("--site-url", default=None, metavar="URL",
              help="Make entry urls absolute under this address (default: $KB_SITE_URL, else site_url of the mkdocs.yml beside the content folder).")
def export_command(content: Path, formats: tuple[str, ...], out: Path, site_url: str | None) -> None:
    """Write the knowledge base as JSON and CSV (the files the site's Data page offers).

    The JSON names its version, the day it was written and the content's licence (CC BY 4.0).

    \b
    Example:
      kb export --format json --out data/
      kb export --format csv --out data/ --site-url https://example.org/kb/
    """
    from kb.content.publishing import site_url as published_url
    from kb.site.export import write_export

    if site_url is not None and site_url and not site_url.startswith(("http://", "https://")):
        raise click.BadParameter("give an http(s) address, e.g. https://example.org/kb/", param_hint="--site-url")
    base = (site_url.rstrip("/") + "/" if site_url else "") if site_url is not None else published_url(content)
    result = _valid_or_fail(content)
    if out.exists() and not out.is_dir():
        raise click.ClickException(f"{out} is a file; pass a folder to --out")
    for path in write_export(result.kb, out, tuple(formats), base):
        click.echo(str(path))
    sys.stdout.flush()
