"""`lutnick cite`: reference-list entries and in-text citations in any CSL style."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import encoding, jobs_option, open_batch, records_argument

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


def complete_style(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The bundled style ids that begin with what is typed; the shell's own file completion for a path."""
    from click.shell_completion import CompletionItem

    if incomplete.startswith((".", "~")) or os.sep in incomplete:
        return [CompletionItem(incomplete, type="file")]
    from lutnick_cli.citation.styles import style_ids

    return [CompletionItem(style_id) for style_id in style_ids() if style_id.startswith(incomplete)]


def complete_locale(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The locale codes that begin with what is typed, in any case (‘en-g’ offers en-GB)."""
    from click.shell_completion import CompletionItem

    from lutnick_cli.citation.styles import locale_codes

    return [CompletionItem(code) for code in locale_codes() if code.lower().startswith(incomplete.lower())]


@click.command(cls=Command)
@records_argument
@click.option(
    "--style",
    "-s",
    default="apa",
    show_default=True,
    shell_complete=complete_style,
    help="CSL style id (see `lutnick styles`), or a style file: a path with a / or ending in .csl or .xml.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "html", "markdown", "rtf", "latex", "typst", "jsonl"]),
    default="text",
    show_default=True,
    help='Markup of the output; jsonl: one {"id", "entry", "in_text"} object per line, in text.',
)
@click.option("--in-text", is_flag=True, help="Print the in-text citation instead of the reference-list entry.")
@click.option("--each", is_flag=True, help="One entry per record in input order, each cited on its own.")
@click.option(
    "--locale", "-l", shell_complete=complete_locale, help="Locale such as en-GB or fr (default: the style's own)."
)
@jobs_option
def cite(
    records: tuple[str, ...],
    input_format: str | None,
    fail_fast: bool,
    strict: bool,
    style: str,
    output_format: str,
    in_text: bool,
    each: bool,
    locale: str | None,
    jobs: int | None,
) -> None:
    """Print a citation of the records in any CSL style.

    Several records make one reference list, sorted and disambiguated as the
    style says, one entry per line; with --in-text, one citation of them all.
    With --each, every record is cited on its own, one line each, in input
    order. --format jsonl prints, for scripts, one JSON object per record
    with its key, its entry and its in-text citation: in the reference
    list's order, or with --each in input order.

    \b
    Examples:
      lutnick cite
      lutnick cite --in-text
      lutnick cite --style chicago-author-date --format html
      lutnick cite --format typst >> paper.typ
      lutnick cite --style my-journal.csl --locale en-GB refs.json
      lutnick cite --each --in-text records/
      lutnick cite --format jsonl refs.json | jq -r .in_text
    """
    from lutnick_cli.render_cache import CitationCache
    from lutnick_cli.style_files import is_style_path, read_style_file

    # A style file is checked (a regular file, not too large) before the cache is looked at.
    style_file = read_style_file(style) if is_style_path(style) else None
    cache = CitationCache.open(
        records,
        style,
        style_file,
        [input_format, output_format, in_text, each, locale, encoding()],
        click.get_current_context().meta["max_input_size"],
    )
    cached = cache.read() if cache is not None else None
    if cached is not None:
        sys.stdout.write(cached)
        return

    from lutnick_cli.batch import Progress
    from lutnick_cli.citation import batch as citebatch

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        if cache is not None:
            cache.write(line + "\n")

    batch = open_batch(records, input_format, fail_fast, strict, keys=True)
    # Given no RECORD, the embedded record goes to the engine as the CSL-JSON item shipped beside it,
    # without the record model and the loader; cited --each, or if that item is stale, it is read.
    embedded = None if each else batch.shipped_embedded()
    if embedded is not None:
        loaded = []
        places = [(embedded.source, embedded.line, embedded.id)]
    else:
        sourced = list(batch)
        loaded = [item.record for item in sourced]
        places = [(item.source, item.line, item.record.id) for item in sourced]
    markup = "text" if output_format == "jsonl" else output_format
    in_text_only = False
    if places:
        with Progress(sys.stderr, "citing", len(places)) as progress:
            if embedded is not None:
                from lutnick_cli.citation.render import Renderer

                renderer = Renderer(style, locale, markup)
                if in_text and output_format != "jsonl":
                    emit(renderer.in_text_of_items([embedded.item]))
                    cited = citebatch.with_warnings([citebatch.Cited(0, embedded.id, "", "")], list(renderer.warnings))
                    in_text_only = True
                else:
                    cited = citebatch.one_bibliography(
                        renderer, [embedded.item], output_format == "jsonl", progress.advance
                    )
            elif each:
                jsonl = output_format == "jsonl"
                cited = citebatch.cite_each(
                    loaded,
                    style,
                    locale,
                    markup,
                    jobs,
                    progress.advance,
                    entries=jsonl or not in_text,
                    in_text=jsonl or in_text,
                )
            elif in_text and output_format != "jsonl":
                from lutnick_cli.citation.render import Renderer

                renderer = Renderer(style, locale, markup)
                emit(renderer.in_text(loaded))
                cited = citebatch.with_warnings(
                    [citebatch.Cited(index, record.id, "", "") for index, record in enumerate(loaded)],
                    list(renderer.warnings),
                )
                in_text_only = True
            else:
                cited = citebatch.bibliography(
                    loaded, style, locale, markup, jobs, output_format == "jsonl", progress.advance
                )
        if output_format == "jsonl":
            import json  # here, not at the top: a run answered from the cache never needs it
        for item in [] if in_text_only else cited:
            if output_format == "jsonl":
                emit(json.dumps({"id": item.id, "entry": item.entry, "in_text": item.in_text}, ensure_ascii=False))
            elif in_text:
                emit(item.in_text)
            elif item.entry is not None:  # None: the style leaves the record out of its reference list
                emit(item.entry)
        sys.stdout.flush()
        _report_engine_warnings(batch, style, places, cited)
    if cache is not None and places and not batch.errors and not batch.warnings:
        cache.store()
    batch.finish()


def _report_engine_warnings(batch, style: str, places, cited) -> None:  # type: ignore[no-untyped-def]
    """The engine's warnings, each once, as the batch reports a record's: on the record they name (by
    `places`: each record's source, line and key), else on the style; with --strict, as errors."""
    from lutnick_cli.errors import Problem

    seen = set()
    for item in cited:
        for warning in item.warnings:
            if warning in seen:
                continue
            seen.add(warning)
            if warning.item is not None:
                source, line, key = places[item.position]
                problem = Problem(source, "", warning.message, line, record=key, warning=True)
            else:
                problem = Problem(style, "", warning.message, warning=True)
            if batch.strict:
                batch.report([problem.replace(warning=False)])
            else:
                batch.warn([problem])
