"""BibTeX for bibtex with natbib and for biber with biblatex, from one file.

Classic entry types and fields serve bibtex; biblatex reads the same entry,
and finds the full date in `date` (EDTF), which bibtex ignores. Every value is
LaTeX-escaped, so no character is lost or read as markup, and safe for
BibTeX's brace count (see `latex.escape_field`), so no value ends its field
early. Being classic, the
file keeps what bibtex styles print and biblatex's data model has no place for
(a journal's publisher, both ISSNs in one `issn`): `biber --validate-datamodel`
flags those, and the `biblatex` export is the one written to pass it.

Reading .bib files is `bib_reader`'s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from operator import add

from lutnick_cli import latex
from lutnick_cli.formats import placement
from lutnick_cli.keys import citation_key
from lutnick_cli.record import DateValue, LiteralDate, PageRange, Person, Record, RecordType, all_of

EXTENSION = ".bib"

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# BCP 47 tag, or its primary language, → the babel/polyglossia name biblatex's `langid` takes.
LANGUAGES = {
    "en-gb": "british",
    "en-us": "american",
    "de-at": "naustrian",
    "de-ch": "nswissgerman",
    "pt-br": "brazilian",
    "fr-ca": "canadien",
    "en": "english",
    "de": "ngerman",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "sv": "swedish",
    "da": "danish",
    "no": "norsk",
    "nb": "norsk",
    "nn": "nynorsk",
    "fi": "finnish",
    "pl": "polish",
    "cs": "czech",
    "ru": "russian",
    "uk": "ukrainian",
    "el": "greek",
    "tr": "turkish",
    "hu": "magyar",
    "ca": "catalan",
    "hr": "croatian",
    "sl": "slovene",
    "sk": "slovak",
    "et": "estonian",
    "lt": "lithuanian",
    "lv": "latvian",
    "ro": "romanian",
    "bg": "bulgarian",
    "he": "hebrew",
}

_ENTRY_TYPES = {
    RecordType.ARTICLE_JOURNAL: "article",
    RecordType.ARTICLE_MAGAZINE: "article",
    RecordType.ARTICLE_NEWSPAPER: "article",
    RecordType.REVIEW: "article",
    RecordType.REVIEW_BOOK: "article",
    RecordType.BOOK: "book",
    RecordType.CLASSIC: "book",
    RecordType.CHAPTER: "incollection",
    RecordType.ENTRY_ENCYCLOPEDIA: "incollection",
    RecordType.ENTRY_DICTIONARY: "incollection",
    RecordType.PAPER_CONFERENCE: "inproceedings",
    RecordType.REPORT: "techreport",
    RecordType.MANUSCRIPT: "unpublished",
    RecordType.PAMPHLET: "booklet",
}


# Where the container's title and the publisher go, by entry type. Elsewhere (a website's name for a
# @misc) the container's title is `journal`, which readers take as the container's title in any entry:
# `howpublished` is read as the publisher, as biblatex prints it.
_CONTAINER_FIELDS = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
_PUBLISHER_FIELDS = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school"}
# The entry types whose `type` holds the record's genre.
_TYPED = frozenset(("techreport", "phdthesis", "mastersthesis"))
# The entry types whose `number` is an issue's; in the others it is a report's or the volume's in its series.
_ISSUE_NUMBERED = frozenset(("article", "inproceedings", "incollection"))


def export(records: Iterable[Record]) -> Iterator[str]:
    return entries(records, entry)


def entries(records: Iterable[Record], render: Callable[[Record], str]) -> Iterator[str]:
    """Each record's entry in turn, a blank line between two entries."""
    separator = ""
    for record in records:
        yield separator + render(record)
        separator = "\n"


def entry_type(record: Record) -> str:
    if record.type is RecordType.DOCUMENT and "entrytype" in record.other_fields:
        # An entry type lutnick does not know, read as a document, goes back as it came.
        return record.other_fields["entrytype"]
    if record.type is RecordType.THESIS:
        genre = (record.genre or "").lower()
        return "mastersthesis" if "master" in genre or "msc" in genre or "ma " in genre else "phdthesis"
    return _ENTRY_TYPES.get(record.type, "misc")


# What reading a .bib file notes in other_fields, written back in its own way (more_names, entry_type).
READING_MARKS = frozenset({"etal", "entrytype"})
# A field name bibtex and biber both read: a letter, then letters, digits and a little punctuation.
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:+/-]*")


class EntryFields:
    """The fields of one entry in BibTeX syntax, in order, each value escaped and braced.

    The BibTeX and biblatex exports share it, so both escape, brace and align alike.
    """

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def raw(self, name: str, value: str) -> None:
        """A value already in BibTeX syntax: a braced group or a month macro."""
        self.items.append((name, value))

    def text(self, name: str, value: str | None) -> None:
        if value:
            self.items.append((name, braced(value)))

    def title(self, name: str, value: str | None, protect: bool = True) -> None:
        """A title; capitalised words are brace-protected unless `protect` is false."""
        if value:
            self.items.append((name, "{" + latex.from_rich_text(value, protect) + "}"))

    def container_title(self, name: str, value: str, protect: bool = True) -> None:
        """The title of a journal or a book, as `title`: one a bibliography cites from over and over,
        so that each is written once."""
        if value:
            key = (value, protect)
            written = _container_titles.get(key)
            if written is None:
                written = "{" + latex.from_rich_text(value, protect) + "}"
                if len(_container_titles) >= _CONTAINER_TITLES_KEPT:
                    _container_titles.clear()
                _container_titles[key] = written
            self.items.append((name, written))

    def verbatim(self, name: str, value: str | None) -> None:
        # DOIs and URLs are typeset by \url-like commands, which take their argument verbatim.
        if value:
            self.items.append((name, "{" + verbatim_safe(value) + "}"))

    def people(self, name: str, people: tuple[Person, ...], more: bool = False) -> None:
        """A name list; `more` ends it with bibtex's ‘and others’."""
        if people:
            self.items.append((name, "{" + names(people) + (" and others" if more else "") + "}"))

    def contributors(self, record: Record) -> None:
        """The author, editor and translator lists, each ending with ‘and others’ where it did when read."""
        more = more_names(record) if record.other_fields else _NO_NAMES
        # Most records have authors alone: the lists are tested here, before a call.
        if record.authors:
            self.people("author", record.authors, "author" in more)
        if record.editors:
            self.people("editor", record.editors, "editor" in more)
        if record.translators:
            self.people("translator", record.translators, "translator" in more)

    def language_keywords_and_notes(self, record: Record) -> None:
        """The fields both exports end an entry with: language, keywords, abstract, annotation and note."""
        items = self.items
        if record.language:
            self.text("langid", langid(record.language))
        if record.keywords:
            self.text("keywords", ", ".join(record.keywords))
        if record.abstract:
            items.append(("abstract", braced(record.abstract)))
        if record.annote:
            items.append(("annotation", braced(record.annote)))
        if record.note:
            items.append(("note", braced(record.note)))

    def pages(self, pages: PageRange | None) -> None:
        # The range's dash is LaTeX's en dash, --; each page is escaped on its own.
        if pages is not None:
            escape = latex.escape_field
            last = pages.last
            self.items.append(
                ("pages", f"{{{escape(pages.first)}--{escape(last)}}}" if last else "{" + escape(pages.first) + "}")
            )

    def date(self, name: str, value: DateValue | LiteralDate | None) -> None:
        """A biblatex date field in EDTF; a date kept as given is no EDTF, and biber would refuse it."""
        if isinstance(value, DateValue):
            self.items.append((name, "{" + value.edtf() + "}"))

    def other_fields(self, record: Record) -> list[str]:
        """The fields with no CSL home, under their own names, where those are BibTeX field names not yet
        written; the names of those written."""
        written = {name for name, _ in self.items} | READING_MARKS
        kept = []
        for name, value in record.other_fields.items():
            if value and _FIELD_NAME.fullmatch(name) and name.lower() not in written:
                self.text(name.lower(), value)
                written.add(name.lower())
                kept.append(name)
        return kept

    def render(self, kind: str, key: str) -> str:
        if not self.items:
            return f"@{kind}{{{key},\n\n}}\n"
        names, values = zip(*self.items)
        leads = _leads.get(names)
        if leads is None:
            width = max(map(len, names))
            leads = tuple([f"  {name.ljust(width)} = " for name in names])
            if len(_leads) >= _LEADS_KEPT:
                _leads.clear()
            _leads[names] = leads
        body = ",\n".join(map(add, leads, values))
        return f"@{kind}{{{key},\n{body}\n}}\n"


_NO_NAMES: frozenset[str] = frozenset()


# What leads each field's value, `  name = ` with the name padded to the entry's widest: made once for each
# list of field names, since an export writes entries of the same few lists thousands of times. Field names
# kept from a source are not bounded in number, so past this many lists they are made afresh.
_leads: dict[tuple[str, ...], tuple[str, ...]] = {}
_LEADS_KEPT = 1024


# Containers' titles as written, by the title and whether its capitals are protected; past this many,
# afresh.
_container_titles: dict[tuple[str, bool], str] = {}
_CONTAINER_TITLES_KEPT = 4096


def braced(value: str) -> str:
    """A text value escaped for its field (rich text as LaTeX) and braced."""
    if "<" in value:
        return "{" + latex.from_rich_text(value) + "}"
    return "{" + latex.escape_field(value) + "}"


# Fields both exports write under biblatex's names, by the record's field: bibtex ignores them, biber and
# the .bib reader read them back.
TEXT_FIELDS = (
    ("eventtitle", "event_title"),
    ("venue", "event_place"),
    ("version", "version"),
    ("chapter", "chapter_number"),
    ("part", "part_number"),
    ("pagetotal", "number_of_pages"),
    ("pubstate", "status"),
    ("origtitle", "original_title"),
    ("origpublisher", "original_publisher"),
    ("origlocation", "original_publisher_place"),
)
# The record's fields of TEXT_FIELDS: most records have none, which is one test.
TEXT_FIELD_SOURCES = frozenset(field for _, field in TEXT_FIELDS)


def entry(record: Record) -> str:
    kind, fields = entry_fields(record)
    if record.other_fields:
        fields.other_fields(record)
    return fields.render(kind, citation_key(record))


def entry_fields(record: Record) -> tuple[str, EntryFields]:
    """The entry's type and its fields, all but those kept in other_fields."""
    kind = entry_type(record)
    fields = EntryFields()
    items = fields.items
    append = items.append
    text = fields.text
    fields.contributors(record)
    fields.title("title", record.title)
    container = record.container
    if container is not None:
        container_field = _CONTAINER_FIELDS.get(kind, "journal")
        # Styles (and pandoc) may change a book's title to sentence case, never a journal's.
        fields.container_title(container_field, container.title, protect=container_field != "journal")
        if container.short_title:
            append(("shortjournal", braced(container.short_title)))
    if record.short_title:
        append(("shorttitle", braced(record.short_title)))
    # Each value is tested before it is written: most records have few of these, and an export writes thousands.
    if record.edition:
        append(("edition", braced(record.edition)))
    if record.volume:
        append(("volume", braced(record.volume)))
    if record.number_of_volumes:
        append(("volumes", braced(record.number_of_volumes)))
    if kind in _ISSUE_NUMBERED:
        text("number", record.issue or record.number)
    else:
        # Outside a periodical, BibTeX's `number` is a report's number or the volume's number in its series.
        text("number", record.number or record.collection_number or record.issue)
    if record.collection_title:
        append(("series", braced(record.collection_title)))
    if record.pages is not None:
        fields.pages(record.pages)
    if record.publisher:
        append((_PUBLISHER_FIELDS.get(kind, "publisher"), braced(record.publisher)))
    if record.publisher_place:
        append(("address", braced(record.publisher_place)))
    if record.genre and kind in _TYPED:
        append(("type", braced(record.genre)))
    if not TEXT_FIELD_SOURCES.isdisjoint(vars(record)):
        for name, field in TEXT_FIELDS:
            value = getattr(record, field)
            if value:
                append((name, braced(value)))
    issued = record.issued
    if isinstance(issued, DateValue):
        start = issued.start
        if issued.end is None and not issued.circa:
            append(("year", "{" + str(start.year) + "}"))
            if start.month is not None:
                append(("month", _MONTHS[start.month - 1]))
        append(("date", "{" + issued.edtf() + "}"))
    elif issued is not None:
        text("year", issued.text)  # a date kept as given: bibtex prints a year as it is written
    if record.original_date is not None:
        fields.date("origdate", record.original_date)
    if record.event_date is not None:
        fields.date("eventdate", record.event_date)
    if record.accessed is not None:
        fields.date("urldate", record.accessed)
    if container is not None and (container.issn or container.eissn):
        text("issn", ", ".join(all_of(container.issn) + all_of(container.eissn)))
    if record.isbn:
        text("isbn", ", ".join(all_of(record.isbn)))
    if record.doi:
        append(("doi", "{" + verbatim_safe(record.doi) + "}"))
    if record.url:
        fields.verbatim("url", " ".join(all_of(record.url)))
    if record.pmid:
        text("pmid", record.pmid)
    if record.pmcid:
        text("pmcid", record.pmcid)
    fields.language_keywords_and_notes(record)
    return kind, fields


# What `entry_fields` places of every record whatever its entry type, as `placement` names a record's fields.
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
        "edition",
        "volume",
        "number_of_volumes",
        "collection_title",
        "pages",
        "publisher",
        "publisher_place",
        "isbn",
        "doi",
        "url",
        "pmid",
        "pmcid",
        "keywords",
        "abstract",
        "annote",
        "note",
        *TEXT_FIELD_SOURCES,
    }
)
# The fields `number` takes a value from, by whether it is an issue's: the first the record has is
# written, the others are left out.
_NUMBERS = {True: ("issue", "number"), False: ("number", "collection_number", "issue")}
# Dates written in EDTF alone: a date kept as given is no EDTF, and is left out.
EDTF_DATES = ("original_date", "event_date", "accessed")
# The parts of a person a name list holds.
NAME_PARTS = frozenset(("family", "given", "particle", "dropping_particle", "suffix", "literal"))


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its entry leaves out (see `placement.unplaced`)."""
    if holds_only(record, _quick_test_fields(record.type)):
        return []
    kind = entry_type(record)
    fields = set(_PLACED)
    if kind in _TYPED:
        fields.add("genre")
    numbers = _NUMBERS[kind in _ISSUE_NUMBERED]
    fields.update(next(([name] for name in numbers if getattr(record, name)), ()))
    placed = placement.Placed(
        fields=fields,
        dates={"issued": placement.WHOLE, **edtf_dates(record)},
        person_parts=(),
        other_fields=other_fields_written(record, entry_fields),
        in_part=language_placed(record, fields),
    )
    return placement.unplaced(record, placed)


@functools.cache
def _placed_whole(kind: str) -> frozenset[str]:
    """The fields that, whatever their values, the entry of this type writes whole (besides a record's
    type, and its other fields when it has none)."""
    extra = {"type", "other_fields", "issued", "language", _NUMBERS[kind in _ISSUE_NUMBERED][0]}
    return _PLACED | extra | ({"genre"} if kind in _TYPED else set())


@functools.cache
def _quick_test_fields(record_type: RecordType) -> frozenset[str]:
    """What the entry of a record of this type writes whole, as far as the type tells: a document's entry
    type may come from its other fields, and a thesis's from its genre, which then go the long way."""
    return _placed_whole(_ENTRY_TYPES.get(record_type, "misc"))


def holds_only(record: Record, whole: frozenset[str]) -> bool:
    """Whether the record holds only fields its entry writes whole (`whole`, the language if `langid`
    names it whole), no other fields, and people of names alone, as most records do: a test quicker than
    naming what is left out."""
    if not whole.issuperset(vars(record)) or record.other_fields:
        return False
    if record.language and record.language.lower() not in _LANGUAGES_WHOLE:
        return False
    for people in (record.authors, record.editors, record.translators):
        for person in people:
            if not NAME_PARTS.issuperset(vars(person)):
                return False
    return True


def edtf_dates(record: Record) -> dict[str, str]:
    """The dates besides `issued` written whole: those in EDTF."""
    return {name: placement.WHOLE for name in EDTF_DATES if isinstance(getattr(record, name), DateValue)}


def other_fields_written(record: Record, build: Callable[[Record], tuple[str, EntryFields]]) -> list[str]:
    """The other fields the entry `build` makes writes, and the marks reading left, which are written
    their own way: ‘and others’ and the entry type."""
    if not record.other_fields:
        return []
    written = build(record)[1].other_fields(record)
    return [*written, "etal", *(("entrytype",) if record.type is RecordType.DOCUMENT else ())]


# The tag the .bib reader makes of each babel name: the first that names it, its region in capitals.
_TAGS: dict[str, str] = {}
for _tag, _babel in LANGUAGES.items():
    _TAGS.setdefault(_babel, _tag[:3] + _tag[3:].upper())
# The tags `langid` writes whole, in lower case.
_LANGUAGES_WHOLE = frozenset(tag.lower() for tag in _TAGS.values())


def language_placed(record: Record, fields: set[str]) -> dict[str, str]:
    """Adds the language to `fields` when `langid` names it; what of it is lost, if a part is."""
    if not record.language:
        return {}
    babel = langid(record.language)
    if babel is None:
        return {}
    fields.add("language")
    back = _TAGS[babel]
    if back.lower() == record.language.lower():
        return {}
    return {"language": f"written as {babel}, which reads back as {back}"}


# The export as pieces, for writing them in several processes (commands/export.py): each record's
# entry, and what opens the text, comes between two entries, closes it, and is the text of no entry.
export_piece = entry
EXPORT_FRAME = ("", "\n", "", "")


def more_names(record: Record) -> frozenset[str]:
    """The name lists that ended with ‘and others’ when read (other_fields' `etal`: CSL has no such mark)."""
    return frozenset(record.other_fields.get("etal", "").split())


def langid(language: str) -> str | None:
    """The babel name of a BCP 47 tag, by the whole tag first (en-GB is british), then its language."""
    return LANGUAGES.get(language.lower()) or LANGUAGES.get(language.split("-")[0].lower())


def names(people: Iterable[Person]) -> str:
    """A BibTeX name list: ‘von Last, Jr, First’, joined by ‘and’; organisations braced whole."""
    written = []
    for person in people:
        # Records read from one file share the Person of a name met again (the readers remember
        # them): each is written once, and found again by its identity, quicker than by its value.
        known = _names_written.get(id(person))
        if known is None or known[0] is not person:
            known = (person, _name(person))
            if len(_names_written) >= _NAMES_KEPT:
                _names_written.clear()
            _names_written[id(person)] = known
        written.append(known[1])
    return " and ".join(written)


# People as written, by the identity of the Person, kept with it so that no other takes its identity
# while it is here; past this many, afresh.
_names_written: dict[int, tuple[Person, str]] = {}
_NAMES_KEPT = 1 << 14


def _name(person: Person) -> str:
    if person.literal:
        return "{" + latex.escape_field(person.literal) + "}"
    # A family name with a space or comma of its own is one unit, not a von-part and a last name.
    family = latex.escape_field(person.family or "")
    if " " in family or "," in family:
        family = "{" + family + "}"
    if person.dropping_particle or person.particle:
        particles = " ".join(part for part in (person.dropping_particle, person.particle) if part)
        last = f"{_name_part(particles)} {family}"
    else:
        last = family
    first = _name_part(person.given) if person.given else ""
    if not person.suffix:
        return f"{last}, {first}" if first else last
    # ‘Last, Jr, First’ is the only form with a suffix; an empty group stands for no first name.
    return f"{last}, {_name_part(person.suffix)}, {first or '{}'}"


def _name_part(text: str) -> str:
    """A part of a name, escaped; a comma in it would start another part, so the part is braced whole,
    and ‘and’ as a word (in any case, as BibTeX reads it) would split the name list, so it is braced."""
    escaped = latex.escape_field(text)
    if "," in escaped:
        return "{" + escaped + "}"
    if "and" not in escaped.lower():
        return escaped
    return _AND_WORD.sub(r"{\g<0>}", escaped)


_AND_WORD = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)


_URL_ESCAPES = {"\\": "%5C", "{": "%7B", "}": "%7D"}


def verbatim_safe(value: str) -> str:
    """A DOI or URL for a verbatim field: braces that pair up as they are, which BibTeX's count
    allows; a brace with no partner, or a backslash (which could pair with a brace to hide it
    from the LaTeX that prints the field), percent-encoded, which keeps the link the same link."""
    if "\\" not in value and "{" not in value and "}" not in value:
        return value
    lone = latex.lone_braces(value)
    return "".join(
        _URL_ESCAPES[char] if char == "\\" or (char in "{}" and index in lone) else char
        for index, char in enumerate(value)
    )
