"""`lutnick check`: lint a bibliography offline, each finding with its rule, level and place."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from lutnick_cli.cli import Command
from lutnick_cli.commands.common import open_batch, records_argument

if TYPE_CHECKING:
    from lutnick_cli.batch import Batch
    from lutnick_cli.check.citation import Report
    from lutnick_cli.check.rules import Finding

_LEVELS = ("info", "warning", "error")


def _list_rules(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from lutnick_cli.check.rules import RULES

    for rule in RULES.values():
        click.echo(f"{rule.id} {rule.name} ({rule.level}): {rule.summary}")
    ctx.exit(0)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


@click.command(cls=Command)
@records_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text: one line per finding on stdout; json: a report on stdout, for scripts; "
    "sarif: SARIF 2.1.0, for code scanning.",
)
@click.option(
    "--citation",
    metavar="TEXT",
    help="Check a pasted citation against its record (- : one citation a line from stdin, "
    "each matched to its record among those given).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules: ids or names, or prefixes of them, comma-separated (L1, doi-syntax).",
)
@click.option("--ignore", multiple=True, metavar="RULES", help="Leave out these rules (same forms as --select).")
@click.option(
    "--style",
    metavar="STYLE",
    help="Also report what this style needs and a record lacks (apa); with --citation, the style the citation "
    "is in (any style id or file; default: the closest of the nine bundled styles lutnick proves).",
)
@click.option(
    "--fail-on",
    type=click.Choice([*_LEVELS, "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this level or above is found; never: exit 0 whatever is found.",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=_date,
    help="The date years in the future are judged against (default: today), for reproducible runs.",
)
@click.option(
    "--list-rules",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_list_rules,
    help="Print every rule: id, name, level and what it finds; then exit.",
)
def check(
    records: tuple[str, ...],
    input_format: str | None,
    fail_fast: bool,
    strict: bool,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    style: str | None,
    fail_on: str,
    today: datetime.date,
    citation: str | None,
) -> None:
    """Find what is wrong in a bibliography: identifiers, dates, missing fields, duplicates, spellings, names.

    Each finding is one line, file:line:col: RULE level [key] field: what is
    wrong and what is right (coloured on a terminal, unless NO_COLOR is set);
    the counts close on stderr. A record silences
    rules for itself with a field `lutnick-noqa` listing ids or names
    (YAML: other_fields: {lutnick-noqa: "L410"}; BibTeX: lutnick-noqa = {L410}).
    Exits 1 when a finding at or above --fail-on is found, 0 otherwise.

    With --citation, a pasted citation is checked against its record instead:
    in the closest style, field by field (initials, authors, year, pages,
    volume, issue, title, journal, DOI); the style matched and how close are
    said on stderr. --citation - reads one citation a line from stdin, each
    matched with its record among those given.

    \b
    Examples:
      lutnick check refs.bib
      lutnick check --style apa --select L1,L4 records/
      lutnick check --format json refs.bib | jq '.findings[] | select(.level == "error")'
      lutnick check --format sarif refs.bib > lutnick.sarif
      lutnick check --citation "Lutnick, A. (2019). The ‘Prioritizing…"
      lutnick check --citation - refs.bib < references.txt
    """
    import json

    from lutnick_cli.check.rules import Level, choose
    from lutnick_cli.errors import ExitStatus

    try:
        chosen = choose(select, ignore)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if citation is None and style not in (None, "apa"):
        raise click.UsageError(f"--style {style}: without --citation, only apa is known (what APA 7 asks a record for)")
    if citation is not None and not citation.strip():
        raise click.UsageError("--citation: the citation is empty (give its text, or - to read citations from stdin)")
    if citation == "-" and "-" in records:
        raise click.UsageError(
            "--citation - reads the citations from standard input, so the records cannot come from it too"
        )
    problems: list = []
    # With --citation, a record that cannot be read is reported as every command reports one; the rules are not run.
    batch = open_batch(records, input_format, fail_fast, strict, collect=problems if citation is None else None)
    from lutnick_cli.terminal import for_a_person

    colour = for_a_person(sys.stdout)
    counts = dict.fromkeys(Level, 0)
    findings = []
    reports: list[Report] = []
    if citation is None:
        from lutnick_cli.check.run import check as run_check

        found = run_check(batch, problems, chosen, today=today, style=style)
    else:
        found = _citation_findings(citation, style, batch, chosen, reports)
    for finding in found:
        counts[finding.level] += 1
        if output_format == "text":
            click.echo(finding.text(colour))
        findings.append(finding)
    for report in reports:
        click.echo(f"lutnick check: {report.describe()}", err=True)
    if output_format == "json":
        summary = {
            "records": batch.good,
            "errors": counts[Level.ERROR],
            "warnings": counts[Level.WARNING],
            "infos": counts[Level.INFO],
            "findings": [finding.json() for finding in findings],
        }
        if citation is not None:
            summary["citations"] = [item.json() for item in reports]
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    elif output_format == "sarif":
        from lutnick_cli.check.sarif import sarif

        click.echo(json.dumps(sarif(findings), ensure_ascii=False, indent=2))
    total = sum(counts.values())
    parts = [
        f"{counts[level]} {level}{'s' if counts[level] != 1 and level is not Level.INFO else ''}"
        for level in reversed(Level)
        if counts[level]
    ]
    records_read = f"{batch.good} record{'s' if batch.good != 1 else ''} checked"
    if citation is not None:
        records_read = (
            f"{len(reports)} citation{'s' if len(reports) != 1 else ''} checked against "
            f"{batch.good} record{'s' if batch.good != 1 else ''}"
        )
    click.echo(f"lutnick check: {', '.join(parts) if total else 'no findings'}; {records_read}", err=True)
    if citation is not None:
        batch.finish()  # a record that could not be read: its own report and exit status, as every command has
    if fail_on == "never":
        return
    threshold = Level[fail_on.upper()]
    if any(counts[level] for level in Level if level >= threshold):
        raise click.exceptions.Exit(ExitStatus.INVALID_DATA)


def _citation_findings(
    citation: str, style: str | None, batch: Batch, chosen: set[str], reports: list[Report]
) -> Iterator[Finding]:
    """The findings of --citation: each pasted citation against its record among those read;
    its report added to `reports`."""
    from lutnick_cli.check.citation import STYLES, Checker, Pasted, check_citations
    from lutnick_cli.check.rules import RULES, Finding

    if citation == "-":
        pasted = [
            Pasted(line, "<stdin>", number)
            for number, line in enumerate(sys.stdin.read().splitlines(), 1)
            if line.strip()
        ]
    else:
        pasted = [Pasted(citation, "<citation>", 1)]
    loaded = list(batch)
    records = [item.record for item in loaded]
    checker = Checker((style,) if style else STYLES)
    for report, differences in check_citations(pasted, records, checker):
        reports.append(report)
        if report.match is None:
            rule = RULES["L820"]
            if rule.id in chosen:
                yield Finding(
                    rule,
                    report.pasted.source,
                    report.pasted.line,
                    1,
                    None,
                    "",
                    "no record given matches this citation by DOI, title or first author",
                    rule.level,
                )
            continue
        for difference, line, column in differences:
            rule = RULES[difference.rule]
            if rule.id in chosen:
                yield Finding(
                    rule,
                    report.pasted.source,
                    line,
                    column,
                    report.record,
                    difference.field,
                    difference.message,
                    rule.level,
                )
