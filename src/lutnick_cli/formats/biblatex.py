"""biblatex's native data model, for biber: entry types and fields as biblatex names them.

Unlike the `bibtex` export, which serves both bibtex and biber from classic
fields, this one uses what biblatex itself defines: `date` in EDTF (seasons,
ranges and `~` included), `journaltitle`, `location`, `institution`,
`langid`. For a journal article biblatex's `number` is the issue number; its
`issue` field is for designations that are not numbers (‘Spring’), so an issue
goes to one or the other by its shape. For a book or report, `number` is the
number in a series or the report number.

biblatex has one `issn` field and biber checks it holds a single valid ISSN,
so the print ISSN goes there and the e-ISSN, which biblatex has no field for,
goes to `usera`, a field of biblatex's default data model that no standard
style prints (the e-ISSN alone, with no print ISSN, goes to `issn`).

Values are escaped by the LaTeX rules in `lutnick_cli.latex`; names are
written as BibTeX and biber both read them (`von Last, Jr, First`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from lutnick_cli.formats import bibtex, placement
from lutnick_cli.formats.bibtex import EntryFields, braced, entries
from lutnick_cli.keys import citation_key
from lutnick_cli.record import LiteralDate, Record, RecordType, all_of

EXTENSION = ".bib"

ENTRY_TYPES = {
    RecordType.ARTICLE: "article",
    RecordType.ARTICLE_JOURNAL: "article",
    RecordType.ARTICLE_MAGAZINE: "article",
    RecordType.ARTICLE_NEWSPAPER: "article",
    RecordType.REVIEW: "article",
    RecordType.REVIEW_BOOK: "article",
    RecordType.BOOK: "book",
    RecordType.CLASSIC: "book",
    RecordType.COLLECTION: "collection",
    RecordType.CHAPTER: "incollection",
    RecordType.ENTRY_ENCYCLOPEDIA: "inreference",
    RecordType.ENTRY_DICTIONARY: "inreference",
    RecordType.ENTRY: "inreference",
    RecordType.PAPER_CONFERENCE: "inproceedings",
    RecordType.REPORT: "report",
    RecordType.THESIS: "thesis",
    RecordType.MANUSCRIPT: "unpublished",
    RecordType.PAMPHLET: "booklet",
    RecordType.DATASET: "dataset",
    RecordType.SOFTWARE: "software",
    RecordType.WEBPAGE: "online",
    RecordType.POST: "online",
    RecordType.POST_WEBLOG: "online",
    RecordType.PATENT: "patent",
    RecordType.PERIODICAL: "periodical",
    RecordType.STANDARD: "report",
}

# The type-specific fields this export writes that biblatex's default data model (blx-dm.def) allows
# for each entry type; biber --validate-datamodel warns about any other. Fields every type has
# (_EVERY_TYPE, below) are not listed. A fact the entry type has no field for (a journal article's publisher, a
# report's ISBN) is left out rather than put where biblatex does not expect it.
_PEOPLE = {"author", "editor", "translator"}
_BOOKISH = _PEOPLE | {
    "edition",
    "isbn",
    "location",
    "number",
    "pages",
    "publisher",
    "series",
    "volume",
    "volumes",
    "part",
    "pagetotal",
    "origtitle",
    "origpublisher",
    "origlocation",
}
ALLOWED_FIELDS = {
    "article": _PEOPLE | {"issn", "issue", "journaltitle", "number", "pages", "series", "version", "volume"},
    "book": _BOOKISH,
    "collection": _BOOKISH - {"author"},
    "inbook": _BOOKISH | {"booktitle", "chapter"},
    "incollection": _BOOKISH | {"booktitle", "chapter"},
    "inreference": _BOOKISH | {"booktitle"},
    "inproceedings": (_BOOKISH - {"translator", "edition"})
    | {"booktitle", "eventtitle", "eventdate", "organization", "venue"},
    "report": {"author", "institution", "location", "number", "pages", "type", "version"},
    "thesis": {"author", "institution", "location", "pages", "type"},
    "unpublished": {"author", "eventtitle", "howpublished", "location", "type", "venue"},
    "booklet": {"author", "editor", "howpublished", "location", "pages", "type"},
    "dataset": {
        "author",
        "edition",
        "editor",
        "location",
        "number",
        "organization",
        "publisher",
        "series",
        "type",
        "version",
    },
    "software": {"author", "editor", "howpublished", "location", "organization", "type", "version"},
    "misc": {"author", "editor", "howpublished", "location", "organization", "type", "version"},
    "online": {"author", "editor", "organization", "version"},
    "patent": {"author", "location", "number", "type", "version"},
    "periodical": {"editor", "issn", "issue", "number", "series", "volume"},
}
_EVERY_TYPE = {
    "title",
    "shorttitle",
    "shortjournal",
    "date",
    "urldate",
    "doi",
    "url",
    "langid",
    "keywords",
    "abstract",
    "note",
    "usera",
    "year",
    "origdate",
    "pubstate",
    "eprint",
    "eprinttype",
    "annotation",
}

# Where the container's title goes, by entry type.
_CONTAINER_FIELDS = {
    "article": "journaltitle",
    "review": "journaltitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "inreference": "booktitle",
    "inproceedings": "booktitle",
    "online": "organization",
    "dataset": "organization",
}

# The entry types whose `number` is an issue's, and which have no number of their own.
_ISSUE_NUMBERED = ("article", "review", "periodical")
# An issue biblatex prints as a number: digits, possibly a range or a combined issue (‘3/4’).
_NUMBER_LIKE = re.compile(r"\d+(?:\s*[-–/]\s*\d+)?")


def export(records: Iterable[Record]) -> Iterator[str]:
    return entries(records, entry)


def entry_type(record: Record) -> str:
    if record.type is RecordType.DOCUMENT and "entrytype" in record.other_fields:
        return record.other_fields["entrytype"]
    if record.type is RecordType.CHAPTER and not record.editors:
        return "inbook"
    return ENTRY_TYPES.get(record.type, "misc")


def container_field(kind: str) -> str:
    """Where an entry of this type writes the container's title."""
    return _CONTAINER_FIELDS.get(kind, "howpublished")


def entry(record: Record) -> str:
    kind, fields = entry_fields(record)
    # Fields lutnick has no place for go back as they came, outside biblatex's data model or not.
    fields.other_fields(record)
    return fields.render(kind, citation_key(record))


def entry_fields(record: Record) -> tuple[str, EntryFields]:
    """The entry's type and its fields that biblatex's data model allows for it, all but those kept in
    other_fields."""
    kind = entry_type(record)
    fields = EntryFields()
    append = fields.items.append
    text = fields.text
    fields.contributors(record)
    fields.title("title", record.title)
    if record.container is not None:
        title_field = container_field(kind)
        # Styles (and pandoc) may change a book's title to sentence case, never a journal's.
        fields.container_title(title_field, record.container.title, protect=title_field != "journaltitle")
        if title_field == "journaltitle":
            text("shortjournal", record.container.short_title)
    # Each value is tested before it is written: most records have few of these, and an export writes thousands.
    if record.short_title:
        append(("shorttitle", braced(record.short_title)))
    if record.edition:
        append(("edition", braced(record.edition)))
    if record.volume:
        append(("volume", braced(record.volume)))
    if record.number_of_volumes:
        append(("volumes", braced(record.number_of_volumes)))
    if kind in _ISSUE_NUMBERED:
        if record.issue and _NUMBER_LIKE.fullmatch(record.issue):
            text("number", record.issue)
        else:
            text("issue", record.issue)
    else:
        text("issue", record.issue)
        text("number", record.number or record.collection_number)
    if record.collection_title:
        append(("series", braced(record.collection_title)))
    if record.pages is not None:
        fields.pages(record.pages)
    if record.publisher:
        append(("institution" if kind in ("report", "thesis") else "publisher", braced(record.publisher)))
    if record.publisher_place:
        append(("location", braced(record.publisher_place)))
    if kind == "report":
        text("type", record.genre or "techreport")
    elif kind == "thesis":
        text("type", record.genre or "phdthesis")
    elif record.genre:
        append(("type", braced(record.genre)))
    for name, field in bibtex.TEXT_FIELDS:
        value = getattr(record, field)
        if value:
            append((name, braced(value)))
    issued = record.issued
    if issued is not None:
        fields.date("date", issued)
        if isinstance(issued, LiteralDate):
            text("year", issued.text)  # no EDTF date: biber reads a year as written, with a warning
    if record.original_date is not None:
        fields.date("origdate", record.original_date)
    if record.event_date is not None:
        fields.date("eventdate", record.event_date)
    if record.accessed is not None:
        fields.date("urldate", record.accessed)
    if record.container is not None:
        issns, eissns = all_of(record.container.issn), all_of(record.container.eissn)
        text("issn", ", ".join(issns or eissns))
        if issns:
            text("usera", ", ".join(eissns))
    if record.isbn:
        text("isbn", ", ".join(all_of(record.isbn)))
    if record.doi:
        fields.verbatim("doi", record.doi)
    if record.url:
        fields.verbatim("url", " ".join(all_of(record.url)))
    if record.pmid:
        text("eprinttype", "pubmed")
        text("eprint", record.pmid)
    fields.language_keywords_and_notes(record)

    type_fields = ALLOWED_FIELDS.get(kind)
    # A type from the source that biblatex's data model does not define (@customa) has no list of fields
    # to keep to: every fact is written, as nothing may be dropped in silence.
    if type_fields is not None:
        allowed = type_fields | _EVERY_TYPE
        fields.items = [
            (name, value) for name, value in fields.items if name in allowed and (name != "usera" or "issn" in allowed)
        ]
    return kind, fields


# The entry field `entry_fields` writes each record field in, as `placement` names the record's fields, before
# the entry type's list of fields keeps to some: those whose place depends on the type or the value
# (the container, the publisher, the numbers) are in `_placed_whole`, and the dates in `_DATES`.
_SOURCES = {
    "authors": "author",
    "editors": "editor",
    "translators": "translator",
    "title": "title",
    "short_title": "shorttitle",
    "edition": "edition",
    "volume": "volume",
    "number_of_volumes": "volumes",
    "collection_title": "series",
    "pages": "pages",
    "publisher_place": "location",
    "genre": "type",
    "isbn": "isbn",
    "doi": "doi",
    "url": "url",
    "pmid": "eprint",
    "keywords": "keywords",
    "abstract": "abstract",
    "annote": "annotation",
    "note": "note",
    **{field: name for name, field in bibtex.TEXT_FIELDS},
}
# `issued` is `date` or, kept as given, `year`, which every type has; the others are written in EDTF alone.
_DATES = {"original_date": "origdate", "event_date": "eventdate", "accessed": "urldate"}


def _allows(kind: str, name: str) -> bool:
    """Whether an entry of this type keeps the field: a type biblatex does not define keeps every one."""
    allowed = ALLOWED_FIELDS.get(kind)
    return allowed is None or name in allowed or name in _EVERY_TYPE


@functools.cache
def _placed_whole(kind: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """The fields that, whatever their values, the entry of this type writes (`container` for its title,
    as `placement` names them); those it writes whole, the container when it holds none of the parts
    the entry leaves out (besides a record's type, and its other fields when it has none); and those
    parts."""
    fields = {field for field, name in _SOURCES.items() if _allows(kind, name)}
    fields.update(("id", "type", "other_fields", "issued"))  # the key, the entry type, `date` or `year`
    title_field = container_field(kind)
    if _allows(kind, title_field):
        fields.add("container")
        if title_field == "journaltitle" and _allows(kind, "shortjournal"):
            fields.add("container.short_title")
    if _allows(kind, "issn"):
        # The print ISSN in `issn`, the e-ISSN in `usera` beside it or, alone, in `issn`; a periodical's
        # entry keeps them with no container's title, as the periodical's own.
        fields.update(("container.issn", "container.eissn"))
    if _allows(kind, "institution" if kind in ("report", "thesis") else "publisher"):
        fields.add("publisher")
    if kind in _ISSUE_NUMBERED:
        # An issue goes to `number` or `issue` by its shape.
        if _allows(kind, "number") and _allows(kind, "issue"):
            fields.add("issue")
    else:
        if _allows(kind, "issue"):
            fields.add("issue")
        if _allows(kind, "number"):
            fields.add("number")  # the first of number and collection_number
    parts_left_out = tuple(part for part in placement.CONTAINER_PARTS if f"container.{part}" not in fields)
    # `langid`, which every type has, writes a language whole or in part (see bibtex.holds_only).
    return frozenset(fields), frozenset(fields | {"language"}), parts_left_out


@functools.cache
def _quick_test_fields(record_type: RecordType) -> tuple[frozenset[str], tuple[str, ...]]:
    """What the entry of a record of this type writes whole, and the container's parts it leaves out, as
    far as the type tells: a document's entry type may come from its other fields, which then go the
    long way, and a chapter's is @inbook or @incollection by its editors."""
    kinds = {ENTRY_TYPES.get(record_type, "misc")}
    if record_type is RecordType.CHAPTER:
        kinds.add("inbook")
    placed = [_placed_whole(kind) for kind in kinds]
    parts = {part for _, _, parts_left_out in placed for part in parts_left_out}
    return frozenset.intersection(*(whole for _, whole, _ in placed)), tuple(sorted(parts))


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its entry leaves out (see `placement.unplaced`)."""
    whole, parts_left_out = _quick_test_fields(record.type)
    container = record.container
    if bibtex.holds_only(record, whole) and (
        container is None or not any([getattr(container, part) for part in parts_left_out])
    ):
        return []
    kind = entry_type(record)
    fields = set(_placed_whole(kind)[0])
    if kind in _ISSUE_NUMBERED:
        if record.issue and _allows(kind, "number" if _NUMBER_LIKE.fullmatch(record.issue) else "issue"):
            fields.add("issue")
    elif _allows(kind, "number"):
        fields.update(next(([name] for name in ("number", "collection_number") if getattr(record, name)), ()))
    dates = {"issued": placement.WHOLE}
    dates.update((name, how) for name, how in bibtex.edtf_dates(record).items() if _allows(kind, _DATES[name]))
    placed = placement.Placed(
        fields=fields,
        dates=dates,
        person_parts=(),
        other_fields=bibtex.other_fields_written(record, entry_fields),
        in_part=bibtex.language_placed(record, fields),
    )
    return placement.unplaced(record, placed)


# The export as pieces, for writing them in several processes (commands/export.py): as BibTeX's.
export_piece = entry
EXPORT_FRAME = bibtex.EXPORT_FRAME
