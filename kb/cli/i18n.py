"""`kb i18n`: the gettext catalogues of the site's own words (Babel's extract -> update -> compile, and a check)."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.common import content_option, load_or_fail

LOCALE = Path("locale")
TEMPLATES = Path("templates")
MKDOCS_YML = Path("mkdocs.yml")


def _template(content: Path, templates: Path, mkdocs_yml: Path):  # noqa: ANN202 (babel's Catalog)
    from kb.site.i18n import extract

    for path in (templates, mkdocs_yml):
        if not path.exists():
            raise click.ClickException(f"{path} not found; run `kb i18n` from the project folder")
    kb = load_or_fail(content).kb
    return extract(templates, mkdocs_yml, kb.taxonomy.vocabularies)


def _options(func):  # noqa: ANN001, ANN202
    func = content_option(func)
    func = click.option("--locale", "locale_dir", type=click.Path(path_type=Path, file_okay=False), default=LOCALE, show_default=True,
                        help="Folder of the catalogues.")(func)
    return func


@click.group("i18n")
def i18n_group() -> None:
    """The site's own words in every language: gettext catalogues under locale/.

    \b
    Example, after changing a template's words or the taxonomy's labels:
      kb i18n extract && kb i18n update   # then translate the new empty messages
      kb i18n check                       # fails, naming each untranslated message
    """


@i18n_group.command("extract")
@_options
def extract_command(content: Path, locale_dir: Path) -> None:
    """Write locale/messages.pot from the templates, mkdocs.yml's nav and the taxonomy's labels."""
    from kb.site.i18n import DOMAIN, write_catalog

    catalog = _template(content, TEMPLATES, MKDOCS_YML)
    write_catalog(catalog, locale_dir / f"{DOMAIN}.pot")
    click.echo(f"{len(catalog)} messages written to {locale_dir / f'{DOMAIN}.pot'}")


@i18n_group.command("update")
@_options
def update_command(content: Path, locale_dir: Path) -> None:
    """Merge messages.pot into every language's messages.po (new messages empty, gone ones dropped)."""
    from kb.site.i18n import DOMAIN, SITE_LANGUAGES, read_catalog, update

    pot = locale_dir / f"{DOMAIN}.pot"
    if not pot.is_file():
        raise click.ClickException(f"{pot} not found; run `kb i18n extract` first")
    for path in update(locale_dir, read_catalog(pot), SITE_LANGUAGES):
        click.echo(f"updated {path}")


@i18n_group.command("compile")
@_options
def compile_command(content: Path, locale_dir: Path) -> None:
    """Write messages.mo beside each messages.po (the site build compiles in memory; this is for other tools)."""
    from kb.site.i18n import SITE_LANGUAGES, compile_all

    for path in compile_all(locale_dir, SITE_LANGUAGES):
        click.echo(f"compiled {path}")


@i18n_group.command("check")
@_options
def check_command(content: Path, locale_dir: Path) -> None:
    """Fail when messages.pot is stale or a catalogue leaves a message untranslated, fuzzy or with other placeholders."""
    from kb.site.i18n import SITE_LANGUAGES, check

    problems = check(locale_dir, _template(content, TEMPLATES, MKDOCS_YML), SITE_LANGUAGES)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} catalogue problem(s)")
    click.echo(f"catalogues complete for {', '.join(c for c in SITE_LANGUAGES if c != 'en')}")
