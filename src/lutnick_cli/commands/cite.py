"""`lutnick cite`: reference-list entries and in-text citations in any CSL style."""

from __future__ import annotations


import click

from lutnick_cli.commands.common import load_records, records_argument


@click.command()
@records_argument
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

    loaded = [item.record for item in load_records(records, input_format)]
    renderer = Renderer(style, locale, output_format)
    if in_text:
        click.echo(renderer.in_text(loaded))
    else:
        click.echo("\n".join(renderer.entries(loaded)))
