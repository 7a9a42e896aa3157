"""EndNote's tagged import format (.enw): a `%`-tag and a space before each value, a blank line between records.

Like RIS, a value is one line: a line break inside an abstract would start a
line that EndNote reads as a tag if it began with `%`, so every run of white
space containing a line break is written as one space (the rule of
`lutnick_cli.formats.ris.one_line`). No other character needs escaping.

EndNote keeps the year in %D and the rest of the date in %8 (‘April 29,
2019’); the DOI is its ‘Electronic Resource Number’, %R, and the access
date %[; ISSNs and ISBNs share %@, one line each, print ISSN first. Honorifics are never written.
EndNote's one ‘Number’ (%N) holds a journal's issue, else a report's number.
What a record loses is named by `unplaced_fields`, for the export command's warning.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator

from lutnick_cli.formats import placement
from lutnick_cli.formats.ris import one_line
from lutnick_cli.keys import citation_key
from lutnick_cli.record import DateValue, LiteralDate, Person, Record, RecordType, all_of

EXTENSION = ".enw"

TYPES = {
    RecordType.ARTICLE: "Journal Article",
    RecordType.ARTICLE_JOURNAL: "Journal Article",
    RecordType.ARTICLE_MAGAZINE: "Magazine Article",
    RecordType.ARTICLE_NEWSPAPER: "Newspaper Article",
    RecordType.BILL: "Bill",
    RecordType.BOOK: "Book",
    RecordType.CLASSIC: "Classical Work",
    RecordType.CHAPTER: "Book Section",
    RecordType.DATASET: "Dataset",
    RecordType.ENTRY_DICTIONARY: "Dictionary",
    RecordType.ENTRY_ENCYCLOPEDIA: "Encyclopedia",
    RecordType.FIGURE: "Figure",
    RecordType.GRAPHIC: "Artwork",
    RecordType.HEARING: "Hearing",
    RecordType.LEGAL_CASE: "Case",
    RecordType.LEGISLATION: "Statute",
    RecordType.MANUSCRIPT: "Manuscript",
    RecordType.MAP: "Map",
    RecordType.MOTION_PICTURE: "Film or Broadcast",
    RecordType.BROADCAST: "Film or Broadcast",
    RecordType.PAMPHLET: "Pamphlet",
    RecordType.PAPER_CONFERENCE: "Conference Paper",
    RecordType.PATENT: "Patent",
    RecordType.PERSONAL_COMMUNICATION: "Personal Communication",
    RecordType.REPORT: "Report",
    RecordType.SOFTWARE: "Computer Program",
    RecordType.STANDARD: "Standard",
    RecordType.THESIS: "Thesis",
    RecordType.WEBPAGE: "Web Page",
    RecordType.POST_WEBLOG: "Blog",
}


_SERIAL_TYPES = {
    RecordType.ARTICLE,
    RecordType.ARTICLE_JOURNAL,
    RecordType.ARTICLE_MAGAZINE,
    RecordType.ARTICLE_NEWSPAPER,
    RecordType.REVIEW,
    RecordType.REVIEW_BOOK,
    RecordType.PERIODICAL,
}


def export(records: Iterable[Record]) -> Iterator[str]:
    separator = ""
    for record in records:
        yield separator + "".join(f"{tag} {one_line(value)}\n" for tag, value in tags(record))
        separator = "\n"


def tags(record: Record) -> Iterator[tuple[str, str]]:
    """The record's tags and values, in the order EndNote itself writes them."""
    yield "%0", TYPES.get(record.type, "Generic")
    for person in record.authors:
        yield "%A", name(person)
    for person in record.editors:
        yield "%E", name(person)
    for person in record.translators:
        yield "%H", name(person)
    for person in record.collection_editors:
        yield "%Y", name(person)  # the ‘Tertiary Author’, a series' editor
    if record.title:
        yield "%T", record.title
    if record.container is not None:
        if record.type in (
            RecordType.CHAPTER,
            RecordType.PAPER_CONFERENCE,
            RecordType.ENTRY_DICTIONARY,
            RecordType.ENTRY_ENCYCLOPEDIA,
        ):
            yield "%B", record.container.title
        else:
            yield "%J", record.container.title
        if record.container.short_title:
            yield "%O", record.container.short_title
    optional: tuple[tuple[str, str | None], ...] = (
        ("%!", record.short_title),
        ("%S", record.collection_title),
        ("%V", record.volume),
        # EndNote's one ‘Number’ field is the issue of a journal, the number of a report or patent.
        ("%N", (record.issue or record.number) if record.type in _SERIAL_TYPES else (record.number or record.issue)),
        ("%7", record.edition),
        ("%6", record.number_of_volumes),
        ("%P", record.pages.text("-") if record.pages else None),
    )
    yield from ((tag, value) for tag, value in optional if value)
    if isinstance(record.issued, LiteralDate):
        yield "%D", record.issued.text  # EndNote's year field takes a date as written
    elif record.issued is not None:
        yield "%D", f"{record.issued.start.year:04d}"
        rest = date_text(record.issued)
        if rest:
            yield "%8", rest
    if isinstance(record.accessed, LiteralDate):
        yield "%[", record.accessed.text
    elif record.accessed is not None:
        yield "%[", date_text(record.accessed) or f"{record.accessed.start.year:04d}"
    optional = (
        ("%I", record.publisher),
        ("%C", record.publisher_place),
        ("%9", record.genre),
        ("%Z", record.note),
    )
    yield from ((tag, value) for tag, value in optional if value)
    if record.container is not None:
        for issn in all_of(record.container.issn) + all_of(record.container.eissn):
            yield "%@", issn
    for isbn in all_of(record.isbn):
        yield "%@", isbn
    if record.doi:
        yield "%R", record.doi
    yield from (("%U", url) for url in all_of(record.url))
    for tag, value in (("%G", record.language), ("%F", citation_key(record))):
        if value:
            yield tag, value
    for keyword in record.keywords:
        yield "%K", keyword
    if record.abstract:
        yield "%X", record.abstract
    optional = (
        ("%&", record.section),
        ("%(", record.original_title),  # ‘Original Publication’
        ("%*", record.reviewed_title),  # ‘Reviewed Item’
        ("%L", record.call_number),
        ("%M", record.archive_location),  # ‘Accession Number’
        ("%~", record.source),  # ‘Name of Database’
        ("%<", record.annote),  # ‘Research Notes’
    )
    yield from ((tag, value) for tag, value in optional if value)


# What `tags` writes of every record; the issue and the number share %N (see `unplaced_fields`).
_PLACED = {
    "id",
    "authors",
    "editors",
    "translators",
    "title",
    "container",
    "container.short_title",
    "container.issn",
    "container.eissn",
    "short_title",
    "collection_title",
    "volume",
    "edition",
    "number_of_volumes",
    "pages",
    "publisher",
    "publisher_place",
    "genre",
    "note",
    "isbn",
    "doi",
    "url",
    "language",
    "keywords",
    "abstract",
    "collection_editors",
    "section",
    "original_title",
    "reviewed_title",
    "call_number",
    "archive_location",
    "source",
    "annote",
}


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its EndNote record leaves out (see `placement.unplaced`)."""
    # %N holds one number: a journal's issue, else the report's or patent's number.
    serial = record.type in _SERIAL_TYPES
    number = ("issue" if record.issue else "number") if serial else ("number" if record.number else "issue")
    placed = placement.Placed(
        fields={*_PLACED, number},
        dates={"issued": placement.START, "accessed": placement.START},
        person_parts=(),
    )
    return placement.unplaced(record, placed)


def name(person: Person) -> str:
    """‘Family, Given’ or ‘Family, Given, Suffix’, as EndNote's own help enters a suffix; an organisation
    whole, with the trailing comma that tells EndNote not to split it."""
    if person.literal:
        return person.literal + ","
    family = " ".join(part for part in (person.dropping_particle, person.particle, person.family) if part)
    parts = [family, person.given or ""]
    if person.suffix:
        parts.append(person.suffix)
    return ", ".join(parts) if person.given or person.suffix else family + ","


def date_text(date: DateValue) -> str | None:
    """The date beyond its year, as EndNote shows it: ‘April 29, 2019’, ‘April 2019’, ‘Summer 2020’."""
    start = date.start
    if start.season is not None:
        return f"{start.season.name.capitalize()} {start.year}"
    if start.month is None:
        return None
    month = calendar.month_name[start.month]
    return f"{month} {start.day}, {start.year}" if start.day else f"{month} {start.year}"
