"""`lutnick styles` and `lutnick schema`: what the tool knows of styles and records."""

from __future__ import annotations

import click

from lutnick_cli.cli import Command
from lutnick_cli.errors import ExitStatus


@click.command(cls=Command)
def schema() -> None:
    """Print the JSON Schema of the YAML record.

    Editors that speak the YAML language server validate a record as it is
    typed when its first line names the schema.

    \b
    Example:
      lutnick schema > record.schema.json
    """
    import json

    from lutnick_cli.record import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@click.command(cls=Command)
@click.argument("words", nargs=-1)
def styles(words: tuple[str, ...]) -> None:
    """List the CSL styles available offline, or those matching all WORDS.

    \b
    Examples:
      lutnick styles
      lutnick styles chicago author
    """
    from lutnick_cli.citation.styles import search_styles

    found = 0
    for entry in search_styles(words):
        found += 1
        click.echo(f"{entry.id}\t{entry.title}")
    if not found:
        click.echo(f"no style matches {' '.join(words)!r}", err=True)
        click.get_current_context().exit(ExitStatus.INVALID_DATA)
