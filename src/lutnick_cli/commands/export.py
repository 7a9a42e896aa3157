"""`lutnick export`: the records in a format other programs read."""

from __future__ import annotations

import sys

import click

from lutnick_cli.commands.common import load_records, records_argument
from lutnick_cli.formats import EXPORT_FORMATS


@click.command()
@records_argument
@click.option("--to", "target", type=click.Choice(list(EXPORT_FORMATS)), required=True, help="Export format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), help="Write to FILE (atomically) instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def export(records: tuple[str, ...], input_format: str | None, target: str, output: str | None, force: bool) -> None:
    """Export records for reference managers and LaTeX.

    bibtex works with both bibtex (natbib) and biber (biblatex); biblatex
    uses biblatex's own fields; csl-json and csl-yaml are what pandoc and
    citation engines read; ris and endnote (.enw) go to reference managers;
    mods and dc (Dublin Core) to library catalogues; cff is a CITATION.cff
    (one record); jsonld is schema.org for web pages.

    \b
    Examples:
      lutnick export --to bibtex
      lutnick export --to csl-json -o article.json
      lutnick export --to ris refs.bib > refs.ris
    """
    from lutnick_cli.formats import exporter

    loaded = [item.record for item in load_records(records, input_format)]
    chunks = exporter(target).export(loaded)
    if output is None or output == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    from lutnick_cli.output import write_atomically

    write_atomically(output, chunks, force=force)
    click.echo(f"wrote {len(loaded)} record{'s' if len(loaded) != 1 else ''} to {output}", err=True)
