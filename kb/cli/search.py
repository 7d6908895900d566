"""`kb index`, `kb search`, `kb similar` and `kb eval`: thin click commands over kb.search, kb.search.engine and kb.evaluate.

Imported only when one of these commands runs; `kb search` must start fast, so this module and
what it imports stay clear of YAML parsing, jsonschema, jinja2 and mkdocs (kb.content.load is imported
only when the index is stale).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kb.cli.common import content_option
from kb.content.layout import SITE_LANGUAGES  # plain constants, already on the search path


def index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--index DIR, defaulting to $KB_INDEX or ./.kb/index."""
    return click.option("--index", "index_dir", type=click.Path(path_type=Path, file_okay=False), envvar="KB_INDEX",
                        default=Path(".kb/index"), show_default="$KB_INDEX or .kb/index",
                        help="The index folder (build output; never commit it or copy one from elsewhere).")(func)


def _notify(message: str) -> None:
    click.echo(f"kb: {message}", err=True)


def _guard(func: Callable[[], Any]) -> Any:
    """Run library code, turning its expected failures into one clear line."""
    from kb.search.storage import IndexFailure
    from kb.search.vocab import FilterError

    try:
        return func()
    except (IndexFailure, FilterError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        raise click.Abort() from None


@click.command("index")
@content_option
@index_option
@click.option("--force", is_flag=True, help="Rebuild from scratch even if the index is up to date.")
def index_command(content: Path, index_dir: Path, force: bool) -> None:
    """Build the search index, or bring it up to date with the content.

    Only changed files are re-read; a change to the taxonomy or glossary rebuilds everything.
    `kb search` does this by itself, so running it is optional.

    \b
    Example:
      kb index
      kb index --force --index /tmp/kb-index
    """
    from kb.search.build import ensure_index

    stats = _guard(lambda: ensure_index(content, index_dir, force=force))
    action = "rebuilt" if stats["rebuilt"] else ("updated" if stats["updated"] else "up to date")
    click.echo(f"index {action}: {stats['entries']} entries in {index_dir} ({stats['reason']}, {stats['seconds']:.2f}s)")
    for rel in stats["skipped"]:
        click.echo(f"kb: {rel}: not indexed, it does not load; run `kb validate {content / rel}`", err=True)


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--lang", type=click.Choice(SITE_LANGUAGES), default=None,
                        help="Show titles and summaries in this language where the entry has them (id, ms, fil, vi, th).")(func)


def _in_language(results: Any, lang: str | None) -> Any:
    if lang and lang != "en":
        results.hits = [hit.in_language(lang) for hit in results.hits]
    return results


def _emit(results: Any, as_json: bool, as_csv: bool) -> None:
    from kb.search.results import format_csv, format_json, format_text

    if as_json:
        click.echo(format_json(results))
    elif as_csv:
        click.echo(format_csv(results), nl=False)
    else:
        bold = (lambda text: click.style(text, bold=True)) if sys.stdout.isatty() else None
        click.echo(format_text(results, bold))
    if not as_json:
        for note in results.notes:
            _notify(note)


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--country", "countries", multiple=True, help="Country code, e.g. PH (repeat for any of several).")
@click.option("--theme", "themes", multiple=True, help="Theme id or label, e.g. entrepreneurship.")
@click.option("--type", "types", multiple=True, help="framework, country, program or practice.")
@click.option("--phase", "phases", multiple=True, help="Migration phase, e.g. post-return.")
@click.option("--target-group", "target_groups", multiple=True, help="Target group, e.g. women.")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="How many results to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: results, total, facets, suggestion.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV rows: rank, id, type, title, countries, score, url, snippet.")
@click.option("--facets", is_flag=True, help="Also count the matches per country, type and theme.")
@lang_option
@content_option
@index_option
def search_command(query: tuple[str, ...], countries: tuple[str, ...], themes: tuple[str, ...], types: tuple[str, ...],
                   phases: tuple[str, ...], target_groups: tuple[str, ...], limit: int, as_json: bool, as_csv: bool,
                   facets: bool, lang: str | None, content: Path, index_dir: Path) -> None:
    """Search the knowledge base.

    Words are optional and ranked (title above summary above text); "quoted phrases", -word to
    exclude, word* and word~ (misspelled) work, and so do filters inside the query:
    country:PH theme:entrepreneurship type:practice phase:post-return target:women.
    Indonesian, Malay, Filipino, Vietnamese (with or without accents) and Thai words find
    English entries through the glossary.

    \b
    Example:
      kb search "financial literacy for domestic workers"
      kb search country:PH theme:entrepreneurship '"skills training"'
      kb search pelatihan kewirausahaan --type program --facets
      kb search "lao dong ve nuoc" --json
      kb search reintegrasi --lang id     # titles and summaries in Indonesian where they exist
    """
    from kb.search.engine import search

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    filters = {"country": list(countries), "theme": list(themes), "type": list(types), "phase": list(phases),
               "target_group": list(target_groups)}
    text = " ".join(query)
    results = _guard(lambda: search(content, index_dir, text, {k: v for k, v in filters.items() if v}, limit=limit,
                                    facets=facets or as_json, notify=_notify))
    if not facets and not as_json:
        results.facets = {}
    _emit(_in_language(results, lang), as_json, as_csv)


@click.command("similar")
@click.argument("entry_id")
@click.option("--country", "countries", multiple=True,
              help="Only entries about this country, e.g. PH: what is like this entry there (repeat for any of several).")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="How many entries to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, as for kb search.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV rows, as for kb search.")
@content_option
@index_option
def similar_command(entry_id: str, countries: tuple[str, ...], limit: int, as_json: bool, as_csv: bool, content: Path,
                    index_dir: Path) -> None:
    """List the entries most like one entry (shared key terms and themes).

    \b
    Example:
      kb similar id-desmigratif --limit 5
      kb similar id-desmigratif --country PH
    """
    from kb.search.engine import UnknownEntry, similar

    def run() -> Any:
        try:
            return similar(content, index_dir, entry_id, limit=limit, countries=list(countries), notify=_notify)
        except UnknownEntry:
            raise click.ClickException(f"no entry '{entry_id}' in the index; check the id with `kb search {entry_id}`") from None

    _emit(_guard(run), as_json, as_csv)


@click.command("eval")
@click.argument("queries_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--baseline", is_flag=True, help="Also score a plain Whoosh index (one field, default analyzer).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Show the figures of every query.")
@content_option
@index_option
def eval_command(queries_file: Path, baseline: bool, as_json: bool, verbose: bool, content: Path, index_dir: Path) -> None:
    """Score the ranking against judged queries: nDCG@10, MRR and recall@10.

    QUERIES_FILE is YAML: a list `queries`, each with `query`, optional `filters`
    ({country: PH, ...}) and `relevant` ({entry id: grade 1-3}).

    \b
    Example:
      kb eval tests/queries.yaml --baseline
    """
    import json

    from kb.search.evaluate import EvalError, evaluate, format_report

    try:
        report = _guard(lambda: evaluate(content, index_dir, queries_file, baseline=baseline, notify=_notify))
    except EvalError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_report(report, verbose))
