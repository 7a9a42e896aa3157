"""`lutnick get`: one field of each record, for scripts."""

from __future__ import annotations

import sys

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import open_batch, records_argument


@click.command(cls=Command)
@click.argument("field")
@records_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON value per record per line (null where missing).")
def get(
    field: str, records: tuple[str, ...], input_format: str | None, fail_fast: bool, strict: bool, as_json: bool
) -> None:
    """Print one FIELD of each record, one value per line.

    FIELD is a field of the YAML record (doi, title, issued, id), optionally
    followed by a part of it: authors.0.family, authors.family (every
    author's), container.title, issued.year, keywords.0. `id` is the citation
    key, derived when the record pins none.

    \b
    A single value prints one line per record, empty where the record has
    none, so line N belongs to record N. A list (keywords, authors, and
    authors.family) prints one line per element, so `sort | uniq -c`
    counts them; a record with none prints no line. Line breaks inside a
    value print as spaces. With --json, every record prints exactly one
    line: its value as JSON, a list as an array, null where missing.

    \b
    Examples:
      lutnick get doi
      lutnick get authors.0.family records/
      lutnick get keywords records/ | sort | uniq -c
      lutnick get --json authors refs.json
    """
    from lutnick_cli.fields import UnknownField, parse_path, valid_fields, value_at

    try:
        path = parse_path(field)
    except UnknownField:
        raise click.UsageError(f"unknown field {field!r}; valid fields: {', '.join(valid_fields())}") from None
    batch = open_batch(records, input_format, fail_fast, strict, keys=path[0] == "id")
    write = sys.stdout.write
    if as_json:
        import json

        from lutnick_cli.fields import json_value

        for record in batch.records():
            write(json.dumps(json_value(value_at(record, path)), ensure_ascii=False) + "\n")
    else:
        from lutnick_cli.fields import plain_values

        for record in batch.records():
            for line in plain_values(value_at(record, path)):
                write(line + "\n")
    sys.stdout.flush()
    batch.finish()
