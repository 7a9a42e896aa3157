"""`lutnick validate`: every problem of every record, each with its place."""

from __future__ import annotations


import click

from lutnick_cli.commands.common import open_batch, records_argument


@click.command()
@records_argument
def validate(records: tuple[str, ...], input_format: str | None, fail_fast: bool) -> None:
    """Check records; print each problem as file:line:col: field: message.

    A problem of a record that gives itself an id names it: [id] before the
    field. Every record is checked, also after a bad one in the same file; a syntax
    error ends its file. Exits 0 when every record is valid, 1 otherwise.

    \b
    Examples:
      lutnick validate data/article.yaml
      lutnick validate records/
    """
    batch = open_batch(records, input_format, fail_fast)
    count = sum(1 for _ in batch)
    batch.finish()
    click.echo(f"{count} record{'s' if count != 1 else ''} valid", err=True)
