"""`kb intake`: a "Propose an entry" issue body -> a validated entry file (thin click command over kb.content.intake)."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.common import content_option


@click.command("intake")
@click.argument("body_file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@content_option
def intake_command(body_file: Path, content: Path) -> None:
    """Turn the body of a "Propose an entry" issue into an entry file, validated, at the right path.

    BODY_FILE holds the issue body as GitHub writes it for the issue form
    (.github/ISSUE_TEMPLATE/propose-entry.yml); `-` reads it from standard input.
    Prints the path written; on a problem, one line per unusable field and exit 1
    (nothing is written).

    \b
    Example:
      kb intake ISSUE_BODY.md
      gh issue view 42 --json body -q .body | kb intake -
    """
    from kb.content.intake import IntakeError, intake
    from kb.content.scaffold import ScaffoldError

    if str(body_file) == "-":
        body = click.get_text_stream("stdin").read()
    else:
        try:
            body = body_file.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise click.ClickException(f"{body_file}: not UTF-8 text") from None
        except OSError as exc:
            raise click.ClickException(f"{body_file}: {exc.strerror or exc}") from None
    try:
        path = intake(body, content)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    except IntakeError as exc:
        for line in exc.problems:
            click.echo(f"{body_file}: error: {line}", err=True)
        raise click.ClickException(f"{len(exc.problems)} field(s) to fix in the issue; nothing was written") from None
    click.echo(str(path))
