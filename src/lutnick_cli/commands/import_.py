"""`lutnick import`: records from CSL-JSON (and every registered import format) into canonical YAML."""

from __future__ import annotations

import os

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import Path, open_batch, records_argument


@click.command(cls=Command, name="import")
@records_argument
@click.option(
    "--to-dir",
    "folder",
    required=True,
    type=Path(files=False),
    help="Folder to write the YAML records into (made if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite record files that exist.")
def import_(
    records: tuple[str, ...], input_format: str | None, fail_fast: bool, strict: bool, folder: str, force: bool
) -> None:
    """Import records as canonical YAML files, one per record.

    Each file is named KEY.yaml after the record's citation key, made safe
    as a file name: `/`, `\\`, `:` and other characters no file name may hold
    become `_` (DBLP:journals/x → DBLP_journals_x.yaml), and a name that would
    clash with another, even in case alone, gets ~2, ~3…; the record keeps its
    real key. Reads CSL-JSON (an array, one object, or JSON Lines) and every
    other format --from lists; the format is told by the file's extension or
    its content. Each record's key is the id it pins, or else author, year and
    title word, with a, b, … added when two records would share it. A file
    that exists is left alone (and reported) unless --force; each file is
    written whole or not at all. The folder also gets record.schema.json, to
    which each record's first line points, so editors check the records.

    \b
    Examples:
      lutnick import refs.json --to-dir records/
      zotero-export.sh | lutnick import - --to-dir records/
      lutnick import --from csl-json export.txt --to-dir records/ --force
    """
    import sys

    from lutnick_cli.batch import Progress
    from lutnick_cli.canonical import SCHEMA_FILE, record_yaml
    from lutnick_cli.commands.common import make_folder
    from lutnick_cli.errors import OutputError, Problem
    from lutnick_cli.filenames import FolderNames
    from lutnick_cli.output import write_atomically

    make_folder(folder)
    batch = open_batch(records, input_format, fail_fast, strict, keys=True)
    names = FolderNames(folder, ".yaml")
    written = 0
    with Progress(sys.stderr, "importing") as progress:
        for item in batch:
            record = item.record
            path = names.path(record.id)
            try:
                write_atomically(path, [record_yaml(record)], force=force, folder=folder)
            except OutputError as error:
                batch.reject([Problem(item.source, "", str(error), item.line, record=record.id)])
                continue
            written += 1
            progress.advance()
    schema_note = ""
    schema_path = os.path.join(folder, SCHEMA_FILE)
    if written and not os.path.lexists(schema_path):
        import json

        from lutnick_cli.record import json_schema

        write_atomically(schema_path, [json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"], folder=folder)
        schema_note = f" and {SCHEMA_FILE}"
    click.echo(f"wrote {written} record{'s' if written != 1 else ''}{schema_note} to {folder}", err=True)
    batch.finish()
