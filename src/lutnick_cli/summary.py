"""Summaries of a record for a person: plain text, and rich renderables for a terminal.

The plain text is built here without rich, so `show` into a pipe never imports it.
"""

from __future__ import annotations

import calendar
import textwrap
from typing import Any

from lutnick_cli.record import DateValue, LiteralDate, PartialDate, Person, Record, RecordType, all_of

_SEASON_NAMES = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}


def human_date(date: DateValue | LiteralDate) -> str:
    """‘29 April 2019’, ‘April 2019’, ‘Spring 2019’, ‘2019–2020’, ‘c. 2019’; a date kept as given, as given."""
    if isinstance(date, LiteralDate):
        return date.text
    text = _human_partial(date.start)
    if date.end is not None:
        text += "–" + _human_partial(date.end)
    return f"c. {text}" if date.circa else text


def _human_partial(date: PartialDate) -> str:
    if date.season is not None:
        return f"{_SEASON_NAMES[date.season.value]} {date.year}"
    if date.month is None:
        return str(date.year)
    month = calendar.month_name[date.month]
    return f"{date.day} {month} {date.year}" if date.day else f"{month} {date.year}"


def person_line(person: Person) -> str:
    """‘Dr Alexandra Lutnick (University of California, Berkeley)’."""
    name = " ".join(part for part in (person.honorific, person.display_name()) if part)
    return f"{name} ({person.affiliation})" if person.affiliation else name


_PERIODICAL_ARTICLES = {RecordType.ARTICLE_JOURNAL, RecordType.ARTICLE_MAGAZINE, RecordType.ARTICLE_NEWSPAPER}


def venue_line(record: Record) -> str:
    """Where and when the work appeared: journal, volume, issue, pages, date."""
    parts = []
    if record.container is not None:
        parts.append(record.container.title)
    # A periodical's publisher is not part of where an article appeared; a book's is.
    if record.publisher and (record.container is None or record.type not in _PERIODICAL_ARTICLES):
        parts.append(", ".join(part for part in (record.publisher, record.publisher_place) if part))
    if record.volume:
        parts.append(f"vol. {record.volume}")
    if record.issue:
        parts.append(f"issue {record.issue}")
    if record.pages is not None:
        parts.append(("pp. " if record.pages.last else "p. ") + record.pages.text())
    if record.issued is not None:
        parts.append(human_date(record.issued))
    elif record.status:  # ‘in press’ stands where the date will be
        parts.append(record.status)
    return ", ".join(parts)


def identifiers(record: Record) -> list[tuple[str, str]]:
    rows = []
    if record.doi:
        rows.append(("DOI", f"https://doi.org/{record.doi}"))
    rows += [("URL", url) for url in all_of(record.url)]
    rows += [("ISBN", isbn) for isbn in all_of(record.isbn)]
    if record.container is not None:
        rows += [("ISSN", issn) for issn in all_of(record.container.issn)]
        rows += [("e-ISSN", issn) for issn in all_of(record.container.eissn)]
    if record.pmid:
        rows.append(("PMID", record.pmid))
    if record.pmcid:
        rows.append(("PMCID", record.pmcid))
    return rows


# What a summary shows for a record with no title (the record is kept, with a warning).
NO_TITLE = "(no title)"


def plain_summary(record: Record, width: int = 78) -> str:
    lines = [textwrap.fill(record.title or NO_TITLE, width)]
    for label, people in (("", record.authors), ("Edited by ", record.editors), ("Translated by ", record.translators)):
        for person in people:
            lines.append(label + person_line(person))
    venue = venue_line(record)
    if venue:
        lines.append(venue)
    lines.append("")
    for label, value in identifiers(record):
        lines.append(f"{label}: {value}")
    if record.keywords:
        lines.append("Keywords: " + "; ".join(record.keywords))
    if record.abstract:
        lines += ["", "Abstract", textwrap.fill(record.abstract, width, initial_indent="  ", subsequent_indent="  ")]
    for person in record.authors:
        if person.biography:
            lines += [
                "",
                f"About {person.display_name()}",
                textwrap.fill(person.biography, width, initial_indent="  ", subsequent_indent="  "),
            ]
    return "\n".join(lines).rstrip() + "\n"


def rich_summary(record: Record) -> Any:
    """A rich renderable: a panel headed by the record's type and key, the title first inside.

    The title goes inside rather than in the panel's border, where a long one would be cut.
    """
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(record.title or NO_TITLE, style="bold")]
    for label, people in (("", record.authors), ("Edited by ", record.editors), ("Translated by ", record.translators)):
        for person in people:
            line = Text(label)
            if person.honorific:
                line.append(person.honorific + " ", style="dim")
            line.append(person.display_name(), style="bold")
            if person.affiliation:
                line.append(f"  {person.affiliation}", style="italic")
            parts.append(line)
    venue = venue_line(record)
    if venue:
        parts.append(Text(venue, style="cyan"))
    rows = identifiers(record)
    if rows or record.keywords:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for label, value in rows:
            link = value if value.startswith("http") else None
            table.add_row(label, Text(value, style=f"link {link}" if link else ""))
        if record.keywords:
            table.add_row("Keywords", ", ".join(record.keywords))
        parts += [Text(), table]
    if record.abstract:
        parts += [Text(), Text("Abstract", style="bold underline"), Text(record.abstract)]
    for person in record.authors:
        if person.biography:
            parts += [Text(), Text(f"About {person.display_name()}", style="bold underline"), Text(person.biography)]
    heading = " · ".join(part for part in (record.type.value, record.id) if part)
    return Panel(Group(*parts), title=heading, title_align="left", expand=True)
