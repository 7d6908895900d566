"""`kb validate`, `kb new`, `kb show` and `kb stats`: thin click commands over kb.content.load, kb.content.scaffold and kb.checks.

Imported only when one of them runs (see kb.cli.LAZY_COMMANDS), so `kb search` never loads them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from kb.cli.common import content_option, load_or_fail
from kb.content.layout import SITE_LANGUAGES, TRANSLATED


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@content_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text: path:line:col lines; json: one object; github: workflow annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings (such as stale entries) too.")
@click.option("--stale-days", type=click.IntRange(min=1), default=730, show_default=True, envvar="KB_STALE_DAYS",
              help="Warn when an entry's `reviewed` date is older than this.")
def validate_command(paths: tuple[Path, ...], content: Path, output_format: str, strict: bool, stale_days: int) -> None:
    """Check every file under content/ and report every problem at once.

    With PATHS, report only on those files or folders (the rest of the tree is still
    read, to resolve references). Exit 1 on any error (and on warnings with --strict).

    \b
    Example:
      kb validate
      kb validate content/practices/ph-atikha.yaml --format github
    """
    from kb.content.load import select
    from kb.content.problems import FORMATTERS

    for path in paths:
        if not path.exists():
            raise click.ClickException(f"{path}: no such file or folder")
    result = load_or_fail(content, stale_days=stale_days)
    problems = select(result.problems, paths) if paths else result.problems
    if paths:  # a broken taxonomy.yaml or glossary.yaml concerns every file: it is reported first, whatever was asked
        from kb.content.layout import SHARED_FILES

        shared = [p for p in result.errors if Path(p.path).name in SHARED_FILES and p not in problems]
        problems = shared + problems
    if output_format == "json" or problems:
        click.echo(FORMATTERS[output_format](problems))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if output_format == "text":
        checked = "files given" if paths else f"{len(result.kb)} entries"
        click.echo(f"{errors} error(s), {warnings} warning(s) in {checked}", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@click.command("new")
@click.argument("kind", type=click.Choice(["practice", "program", "country"]))
@click.option("--title", help="The entry's title in English; the id is made from it.")
@click.option("--country", "countries", multiple=True, help="ASEAN country code or name, e.g. PH or Philippines (repeat for a practice in several countries).")
@click.option("--id", "entry_id", help="Choose the id instead of deriving it from the title.")
@content_option
def new_command(kind: str, title: str | None, countries: tuple[str, ...], entry_id: str | None, content: Path) -> None:
    """Write a valid skeleton entry where it belongs, ready to fill in.

    \b
    Example:
      kb new practice --title "Savings groups for returnees" --country PH
      kb new program --title "Desa Migran Produktif" --country ID
      kb new country --country BN
    """
    from kb.content.scaffold import ScaffoldError, create, similar_titles

    try:
        path = create(content, kind, title, list(countries), entry_id)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {path}")
    from kb.content.editor_schemas import FOLDER, write_editor_schemas

    result = load_or_fail(content, validate=False)
    if kind != "country":
        others = [e for e in similar_titles(result.kb, title or "", path.stem) if e.file.resolve() != path.resolve()]
        for other in others[:5]:
            click.echo(f"warning: '{other.title}' ({other.path}) looks like the same thing; if it is, delete {path} and edit that entry", err=True)
    if not (content / FOLDER).is_dir():  # the file's first line names a schema there: make sure it exists
        if result.kb.taxonomy.vocabularies:
            write_editor_schemas(result.kb, content)
            click.echo(f"wrote the editor schemas to {content / FOLDER} (run `kb schemas` after changing the taxonomy)", err=True)
    click.echo("next: replace every TODO, set `reviewed` once you have checked the facts, then run `kb validate " + str(path) + "`", err=True)


def _show_text(entry: Any, kb: Any, translation: dict[str, Any] | None = None) -> str:
    data = entry.data
    title = translation["title"] if translation else entry.title
    lines = [title, "=" * min(len(title), 80), f"{entry.kind} · {entry.id} · {entry.path}"]
    if translation:
        status = translation.get("status") or "draft"
        lines.append(f"English: {entry.title}" + (" (draft translation, not yet checked by a native speaker)" if status == "draft" else ""))
    if entry.countries:
        lines.append("countries: " + ", ".join(f"{kb.country_name(c)} ({c})" for c in entry.countries))
    for field in ("local_name", "agency", "legal_basis", "status", "start_year", "end_year", "issuer", "year", "role"):
        if data.get(field) not in (None, ""):
            lines.append(f"{field.replace('_', ' ')}: {data[field]}")
    for vocabulary in ("themes", "phases", "target_groups", "dimensions", "levels"):
        if entry.terms(vocabulary):
            lines.append(f"{vocabulary.replace('_', ' ')}: " + ", ".join(kb.taxonomy.label(vocabulary, t) for t in entry.terms(vocabulary)))
    lines += ["", (translation["summary"] if translation else entry.summary).strip()]
    for field in ("description", "results", "lessons"):
        if data.get(field):
            lines += ["", field.capitalize() + ":", str(data[field]).strip()]
    for principle in data.get("principles") or []:
        lines.append(f"  - {principle.get('id')}: {principle.get('title')}")
    if data.get("related"):
        lines += ["", "related: " + ", ".join(data["related"])]
    if data.get("frameworks"):
        lines += ["frameworks: " + ", ".join(data["frameworks"])]
    if data.get("caveats"):
        lines += ["", "caveats:"] + [f"  - {c}" for c in data["caveats"]]
    lines += ["", "sources:"] + [f"  - {s.get('title')} <{s.get('url')}>" for s in data.get("sources") or [] if isinstance(s, dict)]
    if data.get("reviewed"):
        lines.append(f"reviewed: {data['reviewed']}")
    return "\n".join(lines)


@click.command("show")
@click.argument("entry_id")
@content_option
@click.option("--json", "as_json", is_flag=True, help="Print the entry's fields as JSON.")
@click.option("--lang", type=click.Choice(SITE_LANGUAGES), default=None,
              help="Show the title and summary in this language (id, ms, fil, vi, th) where the entry has them.")
def show_command(entry_id: str, content: Path, as_json: bool, lang: str | None) -> None:
    """Print one entry readably.

    \b
    Example:
      kb show id-desmigratif
      kb show ph-nrco --lang vi
    """
    from kb.content.schema import did_you_mean

    result = load_or_fail(content, validate=False)
    entry = result.kb.get(entry_id)
    if entry is None:
        raise click.ClickException(f"no entry '{entry_id}'{did_you_mean(entry_id, result.kb.entries)}")
    translations = entry.data.get("translations") if isinstance(entry.data.get("translations"), dict) else {}
    found = translations.get(lang) if lang and lang != "en" and isinstance(translations.get(lang), dict) else None
    if as_json:
        data = {"type": entry.kind, "url": entry.url, **entry.data}
        if found:
            data.update(title=found.get("title"), summary=found.get("summary"), language=lang,
                        translation_status=found.get("status") or "draft", original_title=entry.title)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(_show_text(entry, result.kb, found))
    if lang and lang != "en" and not found:
        click.echo(f"kb: {entry_id} has no translation into {lang}; shown in English", err=True)


def stats(kb: Any) -> dict[str, Any]:
    """Counts of entries per type, country and theme."""
    per_type = Counter(e.kind for e in kb)
    per_country = Counter(c for e in kb if e.kind in ("program", "practice") for c in e.countries)
    per_theme = Counter(t for e in kb for t in e.terms("themes"))
    return {"entries": len(kb), "types": dict(sorted(per_type.items())), "countries": dict(sorted(per_country.items())),
            "themes": dict(per_theme.most_common()), "concepts": len(kb.concepts), "coverage": coverage(kb)}


def coverage(kb: Any) -> dict[str, str]:
    """How complete the research fields are: criteria, GCM objectives, inline citations, source details, translations."""
    from kb.content.layout import CITATION_RE

    def share(hits: int, total: int) -> str:
        return f"{hits}/{total} ({100 * hits / total:.0f} %)" if total else "0/0"

    practices = [e for e in kb if e.kind == "practice"]
    initiatives = [e for e in kb if e.kind in ("program", "practice")]
    described = [e for e in kb if isinstance(e.data.get("description"), str)]
    sources = [s for e in kb for s in e.data.get("sources") or [] if isinstance(s, dict)]
    translatable = [e for e in kb if e.kind in ("framework", "country", "program", "practice")]
    out = {"practices with criteria": share(sum(bool(e.data.get("criteria")) for e in practices), len(practices)),
           "programmes and practices with gcm_objectives": share(sum(bool(e.data.get("gcm_objectives")) for e in initiatives), len(initiatives)),
           "descriptions citing sources inline": share(sum(bool(CITATION_RE.search(e.data["description"])) for e in described), len(described))}
    for key in ("publisher", "date", "accessed"):
        out[f"sources with {key}"] = share(sum(bool(s.get(key)) for s in sources), len(sources))
    for code in TRANSLATED:
        done = sum(isinstance((e.data.get("translations") or {}).get(code), dict) for e in translatable)
        out[f"translated into {code} (title and summary)"] = share(done, len(translatable))
    return out


@click.command("stats")
@content_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats_command(content: Path, as_json: bool) -> None:
    """Count entries per type, country and theme.

    \b
    Example:
      kb stats --json
    """
    result = load_or_fail(content, validate=False)
    counts = stats(result.kb)
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    click.echo(f"{counts['entries']} entries, {counts['concepts']} glossary concepts")
    for title, key in (("by type", "types"), ("programmes and practices by country", "countries"), ("by theme", "themes")):
        click.echo(f"\n{title}:")
        for name, count in counts[key].items():
            click.echo(f"  {name:<24} {count:>5}")
    click.echo("\ncoverage:")
    for name, figure in counts["coverage"].items():
        click.echo(f"  {name:<46} {figure}")


@click.command("schemas")
@content_option
def schemas_command(content: Path) -> None:
    """Write the editor schemas (content/schemas/) from the package's field rules and the taxonomy.

    Entries name them in their first line (`# yaml-language-server: $schema=...`), so editors
    complete taxonomy values and any JSON Schema validator checks files offline.

    \b
    Example:
      kb schemas
    """
    from kb.content.editor_schemas import FOLDER, write_editor_schemas

    result = load_or_fail(content, validate=False)
    if not result.kb.taxonomy.vocabularies:
        raise click.ClickException(f"{content}/taxonomy.yaml is missing or unreadable; run `kb validate` to see why")
    written = write_editor_schemas(result.kb, content)
    click.echo(f"{len(written)} schema(s) written to {content / FOLDER}" if written else f"{content / FOLDER} is up to date", err=True)
