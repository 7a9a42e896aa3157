"""`lutnick validate`: every problem of every record, each with its place."""

from __future__ import annotations


import click

from lutnick_cli.commands.common import load_records, records_argument
from lutnick_cli.errors import ExitStatus, InvalidRecord


@click.command()
@records_argument
def validate(records: tuple[str, ...], input_format: str | None) -> None:
    """Check records; print each problem as file:line:col: field: message.

    Exits 0 when every record is valid, 1 otherwise.

    \b
    Examples:
      lutnick validate data/article.yaml
      lutnick validate records/
    """
    problems = []
    count = 0
    for argument in records or [None]:
        try:
            count += sum(1 for _ in load_records([argument] if argument else [], input_format))
        except InvalidRecord as error:
            problems.extend(error.problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.get_current_context().exit(ExitStatus.INVALID_DATA)
    click.echo(f"{count} record{'s' if count != 1 else ''} valid", err=True)
