"""`lutnick export`: the records in a format other programs read."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import Path, open_batch, records_argument
from lutnick_cli.formats import EXPORT_FORMATS


@click.command(cls=Command)
@records_argument
@click.option("--to", "target", type=click.Choice(list(EXPORT_FORMATS)), required=True, help="Export format.")
@click.option(
    "--output",
    "-o",
    type=Path(folders=False, dash=True),
    help="Write to FILE (atomically) instead of stdout.",
)
@click.option(
    "--split",
    "split_dir",
    type=Path(files=False),
    help="Write one file per record into DIR, named by its citation key (made safe as a file name) "
    "and the format's extension.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def export(
    records: tuple[str, ...],
    input_format: str | None,
    fail_fast: bool,
    strict: bool,
    target: str,
    output: str | None,
    split_dir: str | None,
    force: bool,
) -> None:
    """Export records for reference managers and LaTeX.

    bibtex works with both bibtex (natbib) and biber (biblatex); biblatex
    uses biblatex's own fields; csl-json and csl-yaml are what pandoc and
    citation engines read; ris and endnote (.enw) go to reference managers;
    mods and dc (Dublin Core) to library catalogues; cff is a CITATION.cff
    (one record); jsonld is schema.org for web pages; hayagriva is Typst's
    bibliography format.

    Records stream through: each is read, written and let go, so a batch of
    any size fits in memory. One large CSL-JSON file is read and written
    across every core, with the output of one process. Each record gets a
    citation key unique in the batch (see `lutnick get id`). A bad record is
    reported and left out of stdout or --split; a file named by --output is
    written only if every record is good.

    \b
    Examples:
      lutnick export --to bibtex
      lutnick export --to csl-json -o article.json
      lutnick export --to ris refs.bib > refs.ris
      lutnick export --to bibtex records/ > library.bib
      lutnick export --to bibtex --split bib/ records/
    """
    from lutnick_cli.batch import Progress
    from lutnick_cli.formats import exporter

    if output is not None and split_dir is not None:
        raise click.UsageError("--output and --split cannot be used together")
    batch = open_batch(records, input_format, fail_fast, strict, keys=True)
    module = exporter(target)
    progress = Progress(sys.stderr, "exporting")

    # A format that cannot hold every field names what it leaves out of each record.
    unplaced = getattr(module, "unplaced_fields", None)

    def counted(items):  # type: ignore[no-untyped-def]
        from lutnick_cli.errors import Problem

        for item in items:
            names = unplaced(item.record) if unplaced is not None else []
            if names:
                from lutnick_cli.parallel_export import unplaced_message

                message = unplaced_message(target, names)
                if batch.strict:  # --strict: a record that would lose fields is refused, as a warning is
                    batch.reject([Problem(item.source, "", message, item.line, record=item.record.id)])
                    continue
                batch.warn([Problem(item.source, "", message, item.line, record=item.record.id, warning=True)])
            yield item.record
            progress.advance()

    def exported():  # type: ignore[no-untyped-def]
        # A large file is exported in several processes, when not watched record by record at a terminal.
        if not line_buffered:
            from lutnick_cli.parallel_export import export_chunks

            chunks = export_chunks(batch, module, target, progress.advance)
            if chunks is not None:
                return chunks
        return module.export(counted(batch))

    line_buffered = output in (None, "-") and getattr(sys.stdout, "line_buffering", False)
    try:
        if split_dir is not None:
            _split(batch, module, split_dir, force, counted)
        elif output is None or output == "-":
            # At a terminal each record shows as it is made, in its place among the messages on stderr.
            _write_in_blocks(exported(), sys.stdout.write, 0 if line_buffered else _BLOCK)
            sys.stdout.flush()
        else:
            from lutnick_cli.output import write_atomically

            def whole(chunks):  # type: ignore[no-untyped-def]
                # A file is written all or nothing: after a bad record every
                # record is still checked and reported, but the file is not made.
                yield from chunks
                if batch.errors:
                    batch.finish(f"nothing was written to {output}")

            write_atomically(output, whole(exported()), force=force)
            click.echo(f"wrote {batch.good} record{'s' if batch.good != 1 else ''} to {output}", err=True)
    finally:
        progress.close()
    batch.finish()


# Output goes to stdout some 64 KiB at a time: a write per record (10,000 of them for as many
# records) cost more than joining the records' texts.
_BLOCK = 65536


def _write_in_blocks(chunks: Iterable[str], write: Callable[[str], object], block_size: int) -> None:
    """Write the chunks, joined into blocks of at least `block_size` characters (the last one
    may be shorter); what was made before a failure is written all the same."""
    pending: list[str] = []
    size = 0
    try:
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= block_size:
                block = "".join(pending)
                pending, size = [], 0
                write(block)
    finally:
        if pending:
            write("".join(pending))


def _split(batch, module, folder: str, force: bool, counted) -> None:  # type: ignore[no-untyped-def]
    """One file per record; a file that exists is a problem of that record unless --force."""
    from lutnick_cli.commands.common import make_folder
    from lutnick_cli.errors import OutputError, Problem
    from lutnick_cli.filenames import FolderNames
    from lutnick_cli.output import write_atomically

    make_folder(folder)
    names = FolderNames(folder, module.EXTENSION)
    written = 0
    for item in batch:
        record = item.record
        path = names.path(record.id)
        try:
            write_atomically(path, module.export(counted([item])), force=force, folder=folder)
        except OutputError as error:
            batch.reject([Problem(item.source, "", str(error), item.line, record=record.id)])
            continue
        written += 1
    click.echo(f"wrote {written} file{'s' if written != 1 else ''} to {folder}", err=True)
