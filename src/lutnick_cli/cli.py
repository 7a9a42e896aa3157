"""The `lutnick` command line: parse options, call the library, print, map errors to exit statuses.

Heavy modules (the citation engine, rich) are imported inside the commands
that use them, so each command pays only for what it needs.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

import click

from lutnick_cli import __version__
from lutnick_cli.errors import ExitStatus, InvalidRecord, LutnickError
from lutnick_cli.load import INPUT_FORMATS, SourcedRecord, iter_records

EXIT_STATUSES = """\b
Exit statuses:
  0  success
  1  invalid data: a record, style or output file problem (each reported on stderr)
  2  usage error: an unknown option, command, style or locale
 70  internal error: a bug in lutnick (rerun with --debug for the traceback)"""

INTERNAL_ERROR = 70


class _Group(click.Group):
    """Turns library errors into messages on stderr and documented exit statuses."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except InvalidRecord as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            ctx.exit(error.exit_status)
        except LutnickError as error:
            click.echo(f"lutnick: {error}", err=True)
            ctx.exit(error.exit_status)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`lutnick cite | head -1`): not an error of ours.
            sys.stderr.close()
            ctx.exit(ExitStatus.OK)
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"lutnick: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)", err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_STATUSES)
@click.version_option(__version__, "--version", "-V", prog_name="lutnick")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def cli(debug: bool) -> None:
    """Cite and export scholarly records.

    With no RECORD, every command uses the embedded record: Lutnick (2019),
    Anti-Trafficking Review 12. A RECORD is a YAML record, a CSL-JSON file, a
    folder of them, or - for standard input.

    \b
    Examples:
      lutnick cite                      APA reference entry
      lutnick cite --in-text            (Lutnick, 2019)
      lutnick cite --style ieee refs.json
      lutnick export --to bibtex -o article.bib
    """


def main() -> None:
    cli.main(prog_name="lutnick")


def _records_argument(function):  # type: ignore[no-untyped-def]
    function = click.option(
        "--from",
        "input_format",
        type=click.Choice(INPUT_FORMATS),
        help="Input format, when the file extension does not tell (.yaml/.yml, .json/.jsonl).",
    )(function)
    return click.argument("records", nargs=-1, type=click.Path(allow_dash=True))(function)


def _load(records: Sequence[str], input_format: str | None) -> list[SourcedRecord]:
    return list(iter_records(records, input_format, sys.stdin.buffer))


def _use_color(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())


@cli.command()
@_records_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    help="Print the data for scripts instead of a summary.",
)
def show(records: tuple[str, ...], input_format: str | None, output_format: str | None) -> None:
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
    loaded = _load(records, input_format)
    if output_format:
        from lutnick_cli.record import record_to_data

        data = [record_to_data(item.record) for item in loaded]
        if output_format == "json":
            import json

            click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        else:
            import yaml

            click.echo(yaml.safe_dump_all(data, allow_unicode=True, sort_keys=False, width=100), nl=False)
        return
    from lutnick_cli import summary

    if _use_color(sys.stdout):
        from rich.console import Console

        console = Console()
        for item in loaded:
            console.print(summary.rich_summary(item.record))
    else:
        click.echo("\n".join(summary.plain_summary(item.record) for item in loaded), nl=False)


@cli.command()
@_records_argument
@click.option("--style", "-s", default="apa", show_default=True, help="CSL style id (see `lutnick styles`) or a .csl file.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "html", "markdown", "rtf", "latex"]),
    default="text",
    show_default=True,
    help="Markup of the output.",
)
@click.option("--in-text", is_flag=True, help="Print the in-text citation instead of the reference-list entry.")
@click.option("--locale", "-l", help="Locale such as en-GB or fr (default: the style's own).")
def cite(
    records: tuple[str, ...],
    input_format: str | None,
    style: str,
    output_format: str,
    in_text: bool,
    locale: str | None,
) -> None:
    """Print a citation of the records in any CSL style.

    Several records make one reference list, sorted as the style says, one
    entry per line; with --in-text, one citation of them all.

    \b
    Examples:
      lutnick cite
      lutnick cite --in-text
      lutnick cite --style chicago-author-date --format html
      lutnick cite --style my-journal.csl --locale en-GB refs.json
    """
    from lutnick_cli.cite import Renderer

    loaded = [item.record for item in _load(records, input_format)]
    renderer = Renderer(style, locale, output_format)
    if in_text:
        click.echo(renderer.in_text(loaded))
    else:
        click.echo("\n".join(renderer.entries(loaded)))


@cli.command()
@_records_argument
@click.option("--to", "target", type=click.Choice(["bibtex", "csl-json"]), required=True, help="Export format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), help="Write to FILE (atomically) instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def export(records: tuple[str, ...], input_format: str | None, target: str, output: str | None, force: bool) -> None:
    """Export records for reference managers and LaTeX.

    bibtex works with both bibtex (natbib) and biber (biblatex); csl-json is
    what pandoc, Zotero and citation engines read.

    \b
    Examples:
      lutnick export --to bibtex
      lutnick export --to csl-json -o article.json
    """
    from lutnick_cli.formats import exporter

    loaded = [item.record for item in _load(records, input_format)]
    chunks = exporter(target).export(loaded)
    if output is None or output == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    from lutnick_cli.output import write_atomically

    write_atomically(output, chunks, force=force)
    click.echo(f"wrote {len(loaded)} record{'s' if len(loaded) != 1 else ''} to {output}", err=True)


@cli.command()
@_records_argument
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
            count += sum(1 for _ in _load([argument] if argument else [], input_format))
        except InvalidRecord as error:
            problems.extend(error.problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.get_current_context().exit(ExitStatus.INVALID_DATA)
    click.echo(f"{count} record{'s' if count != 1 else ''} valid", err=True)


@cli.command()
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


@cli.command()
@click.argument("words", nargs=-1)
def styles(words: tuple[str, ...]) -> None:
    """List the CSL styles available offline, or those matching all WORDS.

    \b
    Examples:
      lutnick styles
      lutnick styles chicago author
    """
    from lutnick_cli.cite import search_styles

    found = 0
    for entry in search_styles(words):
        found += 1
        click.echo(f"{entry.id}\t{entry.title}")
    if not found:
        click.echo(f"no style matches {' '.join(words)!r}", err=True)
        click.get_current_context().exit(ExitStatus.INVALID_DATA)

