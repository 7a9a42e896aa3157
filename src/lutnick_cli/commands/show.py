"""`lutnick show`: a summary for a person, or the data for a script."""

from __future__ import annotations

import sys

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import open_batch, records_argument
from lutnick_cli.terminal import for_a_person


@click.command(cls=Command)
@records_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    help="Print the data for scripts instead of a summary.",
)
def show(
    records: tuple[str, ...], input_format: str | None, fail_fast: bool, strict: bool, output_format: str | None
) -> None:
    """Show a readable summary of each record.

    On a terminal the summary is laid out with colour; into a pipe, or with
    NO_COLOR set, it is plain text. --format json|yaml prints the record's
    data: one JSON object for one record, an array for several; YAML
    documents separated by ---.

    \b
    Examples:
      lutnick show
      lutnick show --format json | jq -r .doi
    """
    batch = open_batch(records, input_format, fail_fast, strict)
    loaded = list(batch)
    if output_format:
        from lutnick_cli.record import record_to_data

        data = [record_to_data(item.record) for item in loaded]
        if output_format == "json":
            import json

            click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        else:
            import yaml

            click.echo(yaml.safe_dump_all(data, allow_unicode=True, sort_keys=False, width=100), nl=False)
        batch.finish()
        return
    from lutnick_cli import summary

    if for_a_person(sys.stdout):
        from rich.console import Console

        console = Console()
        for item in loaded:
            console.print(summary.rich_summary(item.record))
    else:
        click.echo("\n".join(summary.plain_summary(item.record) for item in loaded), nl=False)
    batch.finish()
