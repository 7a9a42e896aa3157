"""RIS, the tagged format every reference manager imports and exports: written with rispy, read by our own reader.

Each line is a two-letter tag, two spaces, a hyphen, a space and the value,
ended by CR LF as the specification asks; `TY` opens a record and `ER` closes
it, and the next record follows with no blank line. A line that does not start with a tag
continues the one before it, so a value must never contain a line break: an
abstract with a new line and ‘TY  - JOUR’ in it would otherwise open a second
record in some readers. The rule here is that every run of white space that
contains a line break (CR, LF, VT, FF, NEL, U+2028, U+2029) is written as one
space, which is how RIS readers join continued lines anyway; nothing else is
changed, and nothing else needs escaping.

Names are ‘Family, Given, Suffix’ as the RIS specification writes them, a
particle with the family name (‘van den Berg, Marieke’), and a person with a
family name only keeps a trailing comma (‘Plato,’); an organisation is the
one name with no comma at all, which is how RIS readers such as Zotero tell
one. The date is PY (year) and DA (YYYY/MM/DD/other, a season in ‘other’);
Y2 is the access date, as in the 2011 specification.

The tags the reader reads are written for the fields they hold (A3 the series'
editors, RN the annotation, CN, AN, DB, OP, RI; C2 an article's PMCID or
PMID; SE a section, or the version of software or data), and an other field
named like a tag, which a RIS file gave, is written back under that tag.

What RIS cannot hold and so is not written: honorifics (never part of a name),
whether a particle is dropped when the name is inverted, date ranges and `~`
(PY and DA carry the start), a book's number in its series, and which ISSN is
which when a journal has only an e-ISSN (each ISSN is an SN line, print first).
`unplaced_fields` names what a record loses, for the export command's warning.

Reading takes the tags EndNote, Web of Science, Scopus, Zotero and PubMed's
exporters write, and the older spellings of the same facts (T1, A1, ED, Y1,
N2, JO/JF/JA for the journal): `record_data` says which tag fills which
field. A tag with no field, or a value that cannot be read into its field,
is kept in the record's `other_fields` under the tag, never dropped.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

import rispy

from lutnick_cli import identifiers
from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.formats import placement
from lutnick_cli.keys import citation_key
from lutnick_cli.record import DateValue, PartialDate, Person, Record, RecordType, Season, all_of, date_year

EXTENSION = ".ris"

TYPES = {
    RecordType.ARTICLE: "JOUR",
    RecordType.ARTICLE_JOURNAL: "JOUR",
    RecordType.ARTICLE_MAGAZINE: "MGZN",
    RecordType.ARTICLE_NEWSPAPER: "NEWS",
    RecordType.BILL: "BILL",
    RecordType.BOOK: "BOOK",
    RecordType.BROADCAST: "MPCT",
    RecordType.CHAPTER: "CHAP",
    RecordType.CLASSIC: "CLSWK",
    RecordType.DATASET: "DATA",
    RecordType.ENTRY_DICTIONARY: "DICT",
    RecordType.ENTRY_ENCYCLOPEDIA: "ENCYC",
    RecordType.FIGURE: "FIGURE",
    RecordType.GRAPHIC: "ART",
    RecordType.HEARING: "HEAR",
    RecordType.LEGAL_CASE: "CASE",
    RecordType.LEGISLATION: "STAT",
    RecordType.MANUSCRIPT: "MANSCPT",
    RecordType.MAP: "MAP",
    RecordType.MOTION_PICTURE: "MPCT",
    RecordType.MUSICAL_SCORE: "MUSIC",
    RecordType.PAMPHLET: "PAMP",
    RecordType.PAPER_CONFERENCE: "CPAPER",
    RecordType.PATENT: "PAT",
    RecordType.PERIODICAL: "SER",
    RecordType.PERSONAL_COMMUNICATION: "PCOMM",
    RecordType.POST_WEBLOG: "BLOG",
    RecordType.REGULATION: "LEGAL",
    RecordType.REPORT: "RPRT",
    RecordType.SOFTWARE: "COMP",
    RecordType.SONG: "SOUND",
    RecordType.STANDARD: "STAND",
    RecordType.THESIS: "THES",
    RecordType.WEBPAGE: "ELEC",
}
# Reading: the type each RIS type stands for (the first record type listed above wins, then synonyms).
_READ_TYPES: dict[str, RecordType] = {tag: kind for kind, tag in reversed(list(TYPES.items()))}
_READ_TYPES.update(
    {
        "JOUR": RecordType.ARTICLE_JOURNAL,
        "EJOUR": RecordType.ARTICLE_JOURNAL,
        "JFULL": RecordType.PERIODICAL,
        "EBOOK": RecordType.BOOK,
        "EDBOOK": RecordType.BOOK,
        "ECHAP": RecordType.CHAPTER,
        "CONF": RecordType.PAPER_CONFERENCE,
        "UNPB": RecordType.MANUSCRIPT,
        "GEN": RecordType.DOCUMENT,
        "VIDEO": RecordType.MOTION_PICTURE,
        "ICOMM": RecordType.PERSONAL_COMMUNICATION,
    }
)

# Our own tag → key table, so that the output order is ours.
_TAGS = {
    "TY": "type",
    "ID": "id",
    "AU": "authors",
    "A2": "editors",
    "A4": "translators",
    "A3": "collection_editors",
    "TI": "title",
    "ST": "short_title",
    "T2": "container",
    "J2": "container_short",
    "T3": "collection_title",
    "VL": "volume",
    "IS": "issue",
    "M1": "number",
    "ET": "edition",
    "NV": "number_of_volumes",
    "SP": "start_page",
    "EP": "end_page",
    "PY": "year",
    "DA": "date",
    "Y2": "accessed",
    "PB": "publisher",
    "CY": "place",
    "C3": "event_title",
    "C1": "event_place",
    "M3": "genre",
    "SN": "issn",
    "DO": "doi",
    "UR": "url",
    "LA": "language",
    "KW": "keywords",
    "AB": "abstract",
    "N1": "note",
    "SE": "version_or_section",
    "RN": "annote",
    "CN": "call_number",
    "AN": "archive_location",
    "DB": "source",
    "C2": "pubmed_id",
    "OP": "original_title",
    "RI": "reviewed_title",
    "UK": "other_tags",
    "ER": "end",
}
_LIST_TAGS = ["AU", "A2", "A4", "A3", "KW", "SN", "UR", "N1"]
# An other field named like a RIS tag (what a RIS file gave and the reader kept) is written back under
# its tag, after the record's own values: the reader takes the first value of a tag and keeps the rest.
_OTHER_TAG = re.compile(r"[A-Z][A-Z0-9]")

_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029][\s]*")


def one_line(text: str) -> str:
    """A value as a single RIS line: each run of white space with a line break in it becomes one space."""
    return _LINE_BREAKS.sub(" ", text)


class _Writer(rispy.RisWriter):
    """rispy's RIS writer with our tag table and without the ‘1.’ numbering line it puts before each record."""

    DEFAULT_MAPPING = _TAGS
    DEFAULT_LIST_TAGS = _LIST_TAGS
    DEFAULT_DELIMITER_MAPPING: dict[str, str] = {}
    REFERENCE_TYPE_KEY = "type"
    # The RIS specification ends each line with CR LF and puts no blank line between records.
    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def export(records: Iterable[Record]) -> Iterator[str]:
    # One writer for every record: making one inverts its tag table, which took a fifth of an export's time.
    formats = _Writer().formats
    for record in records:
        yield formats([reference(record)])


def reference(record: Record) -> dict[str, Any]:
    """The record as rispy's dictionary, keyed by our tag table, every value on one line."""
    ref: dict[str, Any] = {"type": TYPES.get(record.type, "GEN"), "id": citation_key(record)}

    def put(key: str, value: str | None) -> None:
        if value:
            ref[key] = one_line(value)

    for key, people in (
        ("authors", record.authors),
        ("editors", record.editors),
        ("translators", record.translators),
        ("collection_editors", record.collection_editors),
    ):
        if people:
            ref[key] = [one_line(name(person)) for person in people]
    put("title", record.title)
    put("short_title", record.short_title)
    if record.container is not None:
        put("container", record.container.title)
        put("container_short", record.container.short_title)
    put("collection_title", record.collection_title)
    put("volume", record.volume)
    put("issue", record.issue)
    put("number", record.number)
    put("edition", record.edition)
    put("number_of_volumes", record.number_of_volumes)
    if record.pages is not None:
        put("start_page", record.pages.first)
        put("end_page", record.pages.last)
    if isinstance(record.issued, DateValue):
        ref["year"] = f"{record.issued.start.year:04d}"
        ref["date"] = ris_date(record.issued.start)
    elif record.issued is not None:  # a date kept as given: its year if it has one, and the text in DA
        year = date_year(record.issued)
        if year is not None:
            ref["year"] = f"{year:04d}"
        put("date", record.issued.text)
    if isinstance(record.accessed, DateValue):
        ref["accessed"] = ris_date(record.accessed.start)
    elif record.accessed is not None:
        put("accessed", record.accessed.text)
    put("publisher", record.publisher)
    put("place", record.publisher_place)
    put("event_title", record.event_title)
    put("event_place", record.event_place)
    put("genre", record.genre)
    numbers = []
    if record.container is not None:
        numbers = [*all_of(record.container.issn), *all_of(record.container.eissn)]
    numbers += all_of(record.isbn)
    if numbers:
        ref["issn"] = numbers
    put("doi", record.doi)
    if record.url:
        ref["url"] = [one_line(url) for url in all_of(record.url)]  # one UR a URL, as RIS holds several
    put("language", record.language)
    if record.keywords:
        ref["keywords"] = [one_line(keyword) for keyword in record.keywords]
    put("abstract", record.abstract)
    if record.note:
        ref["note"] = [one_line(record.note)]
    # SE is the version of software or data, else a section (or, without one, the version all the same).
    put("version_or_section", record.version if _versioned(record) else record.section or record.version)
    put("annote", record.annote)
    put("call_number", record.call_number)
    put("archive_location", record.archive_location)
    put("source", record.source)
    put("pubmed_id", _pubmed_id(record))
    put("original_title", record.original_title)
    put("reviewed_title", record.reviewed_title)
    other = {tag: [one_line(line) for line in value.split("\n")] for tag, value in _other_tags(record).items()}
    if other:
        ref["other_tags"] = other
    return ref


def _versioned(record: Record) -> bool:
    """Whether SE is the record's version (software, data) rather than its section."""
    return record.type in (RecordType.SOFTWARE, RecordType.DATASET)


def _pubmed_id(record: Record) -> str | None:
    """C2, where EndNote and Zotero put an article's PubMed Central id (its PubMed id, without one)."""
    if record.type not in _PERIODICAL_TYPES:
        return None
    return record.pmcid or record.pmid


def _other_tags(record: Record) -> dict[str, str]:
    """The record's other fields that are written under their own RIS tag: those named by a tag,
    but for TY and ER, which would open or end a record."""
    return {
        name: value
        for name, value in record.other_fields.items()
        if _OTHER_TAG.fullmatch(name) and name not in ("TY", "ER")
    }


# What `reference` writes of every record (see `unplaced_fields`).
_PLACED = frozenset(
    {
        "id",
        "authors",
        "editors",
        "translators",
        "title",
        "short_title",
        "container",
        "container.short_title",
        "container.issn",
        "container.eissn",
        "collection_title",
        "volume",
        "issue",
        "number",
        "edition",
        "number_of_volumes",
        "pages",
        "publisher",
        "publisher_place",
        "event_title",
        "event_place",
        "genre",
        "isbn",
        "doi",
        "url",
        "language",
        "keywords",
        "abstract",
        "note",
        "collection_editors",
        "annote",
        "call_number",
        "archive_location",
        "source",
        "original_title",
        "reviewed_title",
    }
)


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its RIS record leaves out (see `placement.unplaced`)."""
    # SE holds the version or the section; C2 the PMCID or the PMID.
    se = "version" if _versioned(record) or not record.section else "section"
    c2 = ("pmcid" if record.pmcid else "pmid") if record.type in _PERIODICAL_TYPES else None
    placed = _placed(se, c2)
    if record.other_fields:
        placed = placed._replace(other_fields=_other_tags(record))
    return placement.unplaced(record, placed)


@functools.cache
def _placed(se: str, c2: str | None) -> placement.Placed:
    """What `reference` writes of a record whose SE and C2 hold these fields (made once for each)."""
    return placement.Placed(
        fields=_PLACED | {se, *((c2,) if c2 else ())},
        dates={"issued": placement.START, "accessed": placement.START},
        person_parts=(),
    )


def name(person: Person) -> str:
    """‘Family, Given, Suffix’ as RIS writes a name; the particle stays with the family name."""
    if person.literal:
        return person.literal
    family = " ".join(part for part in (person.dropping_particle, person.particle, person.family) if part)
    # A family name alone keeps its comma, or it would read back as an organisation's name.
    parts = [family, person.given or ""]
    if person.suffix:
        parts.append(person.suffix)
    return ", ".join(parts) if person.given or person.suffix else family + ","


def ris_date(date: PartialDate) -> str:
    """RIS's DA shape, YYYY/MM/DD/other, with a season in the ‘other’ part."""
    month = f"{date.month:02d}" if date.month else ""
    day = f"{date.day:02d}" if date.day else ""
    other = date.season.name.capitalize() if date.season else ""
    return f"{date.year:04d}/{month}/{day}/{other}"


# --- reading ----------------------------------------------------------------
#
# The reader is our own rather than rispy's: it keeps the line of every
# record, reads on past a broken record, joins continuation lines in time
# linear in the file, and hands every tag on, mapped or not.

# A tag line: two characters, two spaces (one, as some programs write it), a hyphen.
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])  ?-(?: |$)")
# The numbering line rispy and some old programs put before each record.
_NUMBERING = re.compile(r"\d+\.")
# Tags whose continuation lines are further values rather than the value going on:
# EndNote writes keywords, ISSNs, URLs and addresses one a line under a single tag.
_LINE_PER_VALUE = frozenset(
    {"AU", "A1", "A2", "A3", "A4", "ED", "KW", "SN", "UR", "L1", "L2", "L4", "LK", "AD", "DB", "C3"}
)


def read(text: str, source: str) -> Iterator[tuple[Any, ...]]:
    """Each RIS record as YAML-shaped data, with the line its TY tag is on and what looked wrong in it.

    A broken record (no ER line, tag lines with no TY line before them) is
    yielded as an InvalidRecord in its place, and the records after it are read.
    """
    found = False
    for tags, line, warnings in _records(text, source):
        found = True
        if isinstance(tags, InvalidRecord):
            yield tags, line
            continue
        data, more = record_data(tags, source, line)
        yield data, line, warnings + more
    if not found:
        for number, content in enumerate(text.split("\n"), start=1):
            if content.strip():
                raise InvalidRecord(
                    [Problem(source, "", f"not RIS: expected a ‘TY  - ’ line, found {content[:40]!r}", number)]
                )
        raise InvalidRecord([Problem(source, "", "no records in the file: no line starts with ‘TY  - ’", 1)])


class _Record:
    """The tag lines of one record as they are read: each tag's values, each value as its lines."""

    def __init__(self, line: int):
        self.line = line
        self.values: dict[str, list[list[str]]] = {}
        self.last: list[str] | None = None
        self.last_tag = "TY"
        self.warnings: list[Problem] = []
        self.problem: Problem | None = None  # what spoils the record, reported once it ends

    def add(self, tag: str, value: str) -> None:
        self.last = [value]
        self.last_tag = tag
        self.values.setdefault(tag, []).append(self.last)

    def continue_with(self, text: str) -> None:
        if self.last_tag in _LINE_PER_VALUE:
            self.add(self.last_tag, text)
        elif self.last is not None:
            self.last.append(text)

    def tags(self) -> dict[str, list[str]]:
        """Each tag's values in order, a value's lines joined by single spaces, empty values left out."""
        joined: dict[str, list[str]] = {}
        for tag, values in self.values.items():
            texts = []
            for pieces in values:
                # Most values are one line: joined only when continued.
                text = pieces[0].strip() if len(pieces) == 1 else " ".join(filter(None, map(str.strip, pieces)))
                if text:
                    texts.append(text)
            if texts:
                joined[tag] = texts
        return joined


def _records(text: str, source: str) -> Iterator[tuple[Any, int, list[Problem]]]:
    """Each record's tags (or the InvalidRecord that spoils it), the line of its TY tag, and warnings.

    Text outside every record (a header such as ‘Provider: …’) is skipped
    with a warning on the record before it, or the first record if none is.
    Tag lines outside every record are a record whose TY line is missing.
    """
    record: _Record | None = None
    done: _Record | None = None  # the last record closed, held back for a warning about text after it
    stray: list[tuple[int, str]] = []  # lines outside any record since the last one closed
    carried: list[Problem] = []  # warnings for the next record, about text before it

    def flush() -> Iterator[tuple[Any, int, list[Problem]]]:
        """The record held back, then the stray lines after it: a broken record if they hold tags,
        else a warning on that record (or, before the first record, on the next)."""
        nonlocal done
        broken: tuple[InvalidRecord, int] | None = None  # and the line of its first tag
        if stray:
            first, text = stray[0]
            tagged = next((number for number, line in stray if _TAG_LINE.match(line)), None)
            if tagged is not None:
                broken = (
                    InvalidRecord(
                        [Problem(source, "", "tag lines outside a record: no ‘TY  - ’ line opens it", tagged)]
                    ),
                    tagged,
                )
            else:
                count = f"{len(stray)} lines" if len(stray) > 1 else "a line"
                warning = Problem(
                    source, "", f"{count} outside any record skipped, from {text.strip()[:40]!r}", first, warning=True
                )
                (done.warnings if done is not None else carried).append(warning)
            stray.clear()
        if done is not None:
            yield done.tags(), done.line, done.warnings
            done = None
        if broken is not None:
            yield *broken, []

    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG_LINE.match(line)
        tag, value = (match.group(1), line[match.end() :]) if match else (None, "")
        if record is None:
            if tag == "TY":
                yield from flush()
                record = _Record(number)
                record.add("TY", value)
                record.warnings, carried = carried, []
            elif line.strip() and not _NUMBERING.fullmatch(line.strip()):
                stray.append((number, line))
            continue
        if tag == "TY":
            problem = record.problem or Problem(
                source, "", f"RIS record has no ER line: the next begins on line {number}", record.line
            )
            yield InvalidRecord([problem]), record.line, []
            record = _Record(number)
            record.add("TY", value)
        elif tag == "ER":
            if record.problem is not None:
                yield InvalidRecord([record.problem]), record.line, []
            else:
                done = record
            record = None
        elif tag is not None:
            record.add(tag, value)
        elif line.strip():
            if record.last_tag == "TY" and record.problem is None:
                record.problem = Problem(source, "", "a line without a tag cannot continue the TY line", number)
            record.continue_with(line)
    if record is not None:
        problem = record.problem or Problem(source, "", "RIS record has no ER line to close it", record.line)
        yield InvalidRecord([problem]), record.line, []
    yield from flush()


# Record types whose container is a periodical: M3 there is a database's document
# type (‘Article’, ‘Review’), C2 a PubMed id, C7 the article number.
_PERIODICAL_TYPES = frozenset(
    {RecordType.ARTICLE_JOURNAL, RecordType.ARTICLE_MAGAZINE, RecordType.ARTICLE_NEWSPAPER, RecordType.ARTICLE}
)
_ISSN_SHAPE = re.compile(r"\d{4}-?\d{3}[\dXx]")
_ISBN_SHAPE = re.compile(r"(?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx]")
# What separates several numbers in one SN field, and the notes some databases add (‘23993642 (ISSN)’).
_SN_SPLIT = re.compile(r"[;,]|\s+(?=\d)")
_SN_NOTE = re.compile(r"\s*\((?:ISSN|ISBN|Print|Electronic|Linking|eISSN|pbk|hbk|[^)]{0,20})\)\s*$", re.IGNORECASE)
_PUBMED = re.compile(r"pubmed|medline", re.IGNORECASE)


class _Tags:
    """A record's tag values, taken as they are mapped; whatever is left over is the record's other fields."""

    def __init__(self, values: dict[str, list[str]]):
        self.values = values

    def first(self, *tags: str) -> str | None:
        """The first value of the first of `tags` present; its other values stay behind."""
        for tag in tags:
            values = self.values.get(tag)
            if values:
                value = values.pop(0)
                if not values:
                    del self.values[tag]
                return value
        return None

    def all(self, *tags: str) -> list[str]:
        """Every value of the first of `tags` present; the other tags' values stay behind."""
        for tag in tags:
            if tag in self.values:
                return self.values.pop(tag)
        return []

    def peek(self, tag: str) -> list[str]:
        """The values of `tag`, left where they are."""
        return list(self.values.get(tag, ()))

    def keep(self, tag: str, value: str) -> None:
        """Put a value back, unmapped, to be kept among the record's other fields."""
        self.values.setdefault(tag, []).append(value)

    def rest(self) -> dict[str, str]:
        return {tag: "\n".join(values) for tag, values in self.values.items()}


def record_data(values: dict[str, list[str]], source: str, line: int) -> tuple[dict[str, Any], list[Problem]]:
    """A record's tags as plain data in the YAML record's shape, left for parse_record to validate,
    and warnings for what the reader kept as given. No tag is dropped: what has no field here is kept in
    `other_fields` under its tag."""
    tags = _Tags({tag: list(texts) for tag, texts in values.items()})
    warnings: list[Problem] = []

    def warn(tag: str, message: str) -> None:
        warnings.append(Problem(source, tag, message, line, warning=True))

    data: dict[str, Any] = {}
    kind = tags.first("TY") or ""
    record_type = _READ_TYPES.get(kind.upper())
    if record_type is None:
        record_type = RecordType.DOCUMENT
        warn("TY", f"unknown RIS type {kind!r}, read as a document" if kind else "no RIS type, read as a document")
        if kind:
            tags.keep("TY", kind)
    data["type"] = record_type.value
    periodical = record_type in _PERIODICAL_TYPES

    def put(field: str, value: str | None) -> None:
        if value:
            data[field] = value

    put("id", tags.first("ID"))
    for field, names in (
        ("authors", ("AU", "A1")),
        ("editors", ("A2", "ED")),
        ("collection_editors", ("A3",)),
        ("translators", ("A4",)),
    ):
        people = [parse_name(text) for text in tags.all(*names)]
        if people:
            data[field] = people
    book = record_type is RecordType.BOOK
    put("title", tags.first("TI", "T1", *(("BT",) if book else ())))
    put("short_title", tags.first("ST"))
    container = {}
    # T2 is the journal or the book a part is in; JF and JO the journal as PubMed and
    # EndNote name it; J2, JA and J1 its abbreviations, and JI the ISO one Web of Science gives.
    title = tags.first("T2", "JF", "JO", *(() if book else ("BT",)))
    short = tags.first("J2", "JA", "J1", "JI")
    if title or short:
        container["title"] = title or short
        if title and short:
            container["short_title"] = short
    put("collection_title", tags.first("T3"))
    put("volume", tags.first("VL"))
    put("issue", tags.first("IS"))
    put("number", tags.first("M1", *(("C7",) if periodical else ())))
    put("edition", tags.first("ET"))
    put("number_of_volumes", tags.first("NV"))
    # SE is a newspaper's or a code's section, and the version of software or data (as lutnick writes it).
    versioned = record_type in (RecordType.SOFTWARE, RecordType.DATASET)
    put("version" if versioned else "section", tags.first("SE"))
    # Web of Science gives the publisher and its city as PU and PI.
    put("publisher", tags.first("PB", "PU"))
    put("publisher_place", tags.first("CY", "PI"))
    if record_type is RecordType.PAPER_CONFERENCE:
        put("event_title", tags.first("C3"))
        put("event_place", tags.first("C1"))
    if not periodical:
        put("genre", tags.first("M3"))
    put("doi", tags.first("DO"))
    put("abstract", tags.first("AB", "N2"))
    put("annote", tags.first("RN"))
    put("reviewed_title", tags.first("RI"))
    put("original_title", tags.first("OP"))
    put("call_number", tags.first("CN"))
    notes = tags.all("N1")
    if notes:
        data["note"] = "\n".join(notes)
    keywords = tags.all("KW")
    if keywords:
        data["keywords"] = keywords
    _pages(tags, data)
    _numbers(tags, data, container, warn)
    if container:
        data["container"] = container
    _url(tags, data)
    _source(tags, data, periodical)
    _language(tags, data, warn)
    _dates(tags, data, warn)
    other = tags.rest()
    if other:
        data["other_fields"] = other
    return data, warnings


def _pages(tags: _Tags, data: dict[str, Any]) -> None:
    first, last = tags.first("SP"), tags.first("EP")
    if first and last:
        data["pages"] = f"{first}–{last}"
    elif first or last:
        # EndNote writes the whole range in SP.
        data["pages"] = first or last


def _numbers(tags: _Tags, data: dict[str, Any], container: dict[str, Any], warn: Any) -> None:
    """SN holds ISSNs and ISBNs alike, several to a field or a line each: each is placed by its shape."""
    issns, isbns, unread = [], [], []
    for text in tags.all("SN"):
        for piece in _SN_SPLIT.split(text):
            number = _SN_NOTE.sub("", piece).strip()
            if not number:
                continue
            if _ISSN_SHAPE.fullmatch(number):
                issns.append(number[:4] + "-" + number[-4:].upper() if "-" not in number else number.upper())
            elif _ISBN_SHAPE.fullmatch(number):
                isbns.append(number)
            else:
                unread.append(piece.strip())
    issns = list(dict.fromkeys(issns))
    for field, issn in zip(("issn", "eissn"), issns):
        if "title" in container:
            container[field] = issn
        else:
            unread.insert(0, issn)
    if isbns:
        data["isbn"] = isbns[0] if len(isbns) == 1 else isbns
    extra = issns[2:] + unread
    if extra:
        for number in extra:
            tags.keep("SN", number)
        warn("SN", f"kept as given, with no field to hold it: {', '.join(extra)}")


def _url(tags: _Tags, data: dict[str, Any]) -> None:
    """UR is the work's page (or pages); L2 (full text) and LK (a web page) stand in for it. L1, a file, is kept.

    EndNote and Embase put several URLs in one value, separated by spaces. A
    resolver's URL (http://dx.doi.org/10.1002/ar.25520) also gives the DOI of
    a record that has none.
    """
    urls = _urls(tags.all("UR")) or _urls([url for url in (tags.first("L2", "LK"),) if url])
    if urls:
        data["url"] = urls[0] if len(urls) == 1 else urls
    if "doi" not in data:
        for url in urls + _urls(tags.peek("L2") + tags.peek("LK")):
            found = identifiers.doi_in_url(url)
            if found:
                data["doi"] = found
                break


def _urls(values: list[str]) -> list[str]:
    return [url for text in values for url in re.split(r"[\s;]+", text) if url]


def _source(tags: _Tags, data: dict[str, Any], periodical: bool) -> None:
    """The database (DB, or DP, its provider) and the record's number in it (AN): a PubMed one is a PMID."""
    database = tags.first("DB", "DP")
    if database:
        data["source"] = database
    pubmed = bool(database and _PUBMED.search(database))
    accession = tags.first("AN")
    if accession:
        if pubmed and accession.isdigit():
            data["pmid"] = accession
        else:
            data["archive_location"] = accession
    if periodical:
        # C2 is the PMCID in EndNote's and Zotero's files, the PMID in Scopus's.
        pubmed_id = tags.first("C2")
        if pubmed_id is None:
            return
        if re.fullmatch(r"PMC\d+", pubmed_id.strip()):
            data["pmcid"] = pubmed_id.strip()
        elif pubmed_id.strip().isdigit() and "pmid" not in data:
            data["pmid"] = pubmed_id.strip()
        else:
            tags.keep("C2", pubmed_id)


def _language(tags: _Tags, data: dict[str, Any], warn: Any) -> None:
    language = tags.first("LA")
    if not language:
        return
    try:
        data["language"] = identifiers.language_tag(language)
    except ValueError as error:
        tags.keep("LA", language)
        warn("LA", f"kept as given: {error}")


def _dates(tags: _Tags, data: dict[str, Any], warn: Any) -> None:
    """The date of issue from DA (or Y1) and PY, however each program writes them; Y2, the access date.

    Text that is no date goes to the record as given when it is all there is
    (the record then warns of it and prints it as it is), else to the other fields.
    """
    year_text = tags.first("PY")
    year = read_ris_date(year_text) if year_text else None
    date_tag = "DA" if "DA" in tags.values else "Y1"
    date_text = tags.first(date_tag)
    date = read_ris_date(date_text, year[:4] if year and year[:4].isdigit() else None) if date_text else None
    slashed = _SLASHED.fullmatch(date_text.strip()) if date_text else None
    other = (slashed.group(4) or "").strip() if slashed else ""
    if date is not None and other and not _SEASON_DATE.fullmatch(date):
        # RIS's fourth part is free text; beside a month it says something the date does not.
        tags.keep(date_tag, date_text or "")
    unread = [
        (tag, text) for tag, text, read in ((date_tag, date_text, date), ("PY", year_text, year)) if text and not read
    ]
    if date and year and date[:4] != year[:4]:
        # A DA in another year than PY is another date of the work (its publication online, say).
        tags.keep(date_tag, date_text or "")
        warn(
            date_tag,
            f"{date_text!r} is in another year than PY {year_text!r}; "
            f"the date of issue is PY's, {date_tag} is kept as given",
        )
        date = None
    issued = date or year
    if issued is None and unread:
        _, issued = unread.pop(0)
    for tag, text in unread:
        tags.keep(tag, text)
        warn(tag, f"{text!r} is not a date lutnick can read; kept as given")
    if issued:
        data["issued"] = issued
    accessed_text = tags.first("Y2")
    if accessed_text:
        data["accessed"] = read_ris_date(accessed_text) or accessed_text


_SEASONS = {
    "spring": Season.SPRING,
    "spr": Season.SPRING,
    "summer": Season.SUMMER,
    "sum": Season.SUMMER,
    "autumn": Season.AUTUMN,
    "fall": Season.AUTUMN,
    "fal": Season.AUTUMN,
    "aut": Season.AUTUMN,
    "winter": Season.WINTER,
    "win": Season.WINTER,
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_SLASHED = re.compile(r"(-?\d{4})(?:/(\d{0,2})(?:/(\d{0,2})(?:/(.*))?)?)?")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+Z?)?")
_MONTH_RANGE = re.compile(r"([A-Za-z]{3})-([A-Za-z]{3})")
_SEASON_DATE = re.compile(r"-?\d{4}-2[1-4]")
_WORDS = re.compile(r"([A-Za-z]{3})[A-Za-z]*\.?(?:[ -]+(\d{1,2}))?(?:[ ,]+(\d{4}))?")


def read_ris_date(text: str, year: str | None = None) -> str | None:
    """A RIS date as EDTF, or None if it is none of the forms programs write.

    ‘2019’, ‘2019///’, ‘2019/04/29/’ and ‘2019/04/29/Spring’ (RIS's own; the
    last part is free text, a season or anything else), ‘2019-04-29’ (ISO),
    and a month, a season or a month and day in words (‘SEP 22’, ‘Spring’,
    and a range of months (‘JUL-DEC’), as Web of Science writes DA beside PY:
    these take `year` for their year.
    """
    value = text.strip()
    match = _SLASHED.fullmatch(value) or _ISO.fullmatch(value)
    if match:
        found, month, day = match.group(1), match.group(2), match.group(3)
        other = match.group(4) if match.re is _SLASHED else None
        season = _SEASONS.get((other or "").strip().lower())
        if season is not None and not month:
            return DateValue(PartialDate(int(found), season=season)).edtf()
        return _edtf(found, month, day)
    season = _SEASONS.get(value.lower())
    if season is not None and year:
        return DateValue(PartialDate(int(year), season=season)).edtf()
    months = _MONTH_RANGE.fullmatch(value)
    if months and year and months.group(1).lower() in _MONTHS and months.group(2).lower() in _MONTHS:
        first, last = _MONTHS[months.group(1).lower()], _MONTHS[months.group(2).lower()]
        if first < last:
            return f"{year}-{first:02d}/{year}-{last:02d}"
    words = _WORDS.fullmatch(value)
    if words and words.group(1).lower() in _MONTHS and (words.group(3) or year):
        return _edtf(words.group(3) or year or "", str(_MONTHS[words.group(1).lower()]), words.group(2))
    return None


def _edtf(year: str, month: str | None, day: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD; None for a month or day out of range."""
    if not month:
        return year
    if not 1 <= int(month) <= 12:
        return None
    text = f"{year}-{int(month):02d}"
    if not day:
        return text
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return None
    return f"{text}-{int(day):02d}"


# Initials after a family name with no comma, as Embase writes names: ‘Liu R.’, ‘Eloubeidi M.A.’, ‘Penn E.-B.’.
_TRAILING_INITIALS = re.compile(r"(\S.*?)\s+((?:[A-Z]\.-?)+)")


def parse_name(text: str) -> dict[str, str]:
    """‘Family, Given, Suffix’, or ‘Family I.’ (Embase);
    any other name without a comma is kept whole as a literal name."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) == 1:
        initials = _TRAILING_INITIALS.fullmatch(parts[0])
        if initials is None:
            return {"literal": parts[0]}
        parts = [initials.group(1), initials.group(2)]
    person = {"family": parts[0]}
    if parts[1]:
        person["given"] = parts[1]
    if len(parts) > 2 and parts[2]:
        person["suffix"] = ", ".join(parts[2:])
    # A lower-case word before the family name is a particle (van den Berg).
    words = person["family"].split(" ")
    leading = [word for word in words[:-1] if word[:1].islower()]
    if leading and words[: len(leading)] == leading:
        person["particle"] = " ".join(leading)
        person["family"] = " ".join(words[len(leading) :])
    return person
