"""`lutnick validate`: every problem and warning of every record, each with its place."""

from __future__ import annotations

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import open_batch, records_argument


@click.command(cls=Command)
@records_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem on stderr; json: a report on stdout, for scripts.",
)
def validate(
    records: tuple[str, ...], input_format: str | None, fail_fast: bool, strict: bool, output_format: str
) -> None:
    """Check records; print each error and warning as file:line:col: field: message.

    An error is data that cannot be understood: the record is refused. A
    warning is data that was understood but looks wrong (a bad check digit, a
    record without a title): the record keeps it as given. A problem of a
    record that gives itself an id names it: [id] before the field. Every
    record is checked, also after a bad one in the same file; a syntax error
    ends its file. Exits 0 when no record has an error (with --strict, no
    warning either), 1 otherwise.

    \b
    Examples:
      lutnick validate data/article.yaml
      lutnick validate --strict records/
      lutnick validate --format json refs.bib | jq '.problems[] | select(.level == "error")'
    """
    if output_format == "text":
        batch = open_batch(records, input_format, fail_fast, strict)
        count = sum(1 for _ in batch)
        batch.finish()
        click.echo(f"{count} record{'s' if count != 1 else ''} valid", err=True)
        return
    import json

    from lutnick_cli.batch import BatchFailed
    from lutnick_cli.errors import ExitStatus

    problems: list = []
    batch = open_batch(records, input_format, fail_fast, strict, collect=problems)
    count = 0
    try:
        for _ in batch:
            count += 1
    except BatchFailed:  # --fail-fast: the report says what was found up to there
        pass
    report = {
        "records": count,
        "errors": sum(1 for problem in problems if not problem.warning),
        "warnings": sum(1 for problem in problems if problem.warning),
        "problems": [
            {
                "level": "warning" if problem.warning else "error",
                "file": problem.source,
                "line": problem.line,
                "column": problem.column,
                "record": problem.record,
                "field": problem.field or None,
                "message": problem.message,
            }
            for problem in problems
        ],
    }
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if batch.errors:
        raise click.exceptions.Exit(ExitStatus.INVALID_DATA)
