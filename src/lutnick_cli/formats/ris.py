"""RIS, the tagged format every reference manager imports and exports, written and read with rispy.

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

What RIS cannot hold and so is not written: honorifics (never part of a name),
whether a particle is dropped when the name is inverted, date ranges and `~`
(PY and DA carry the start), a book's number in its series, and which ISSN is
which when a journal has only an e-ISSN (each ISSN is an SN line, print first).

Reading also takes the tags older files and other programs use for the same
facts (T1, A1, ED, Y1, N2, and JO/JF/JA for the journal); unknown tags are skipped.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

import rispy

from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.keys import citation_key
from lutnick_cli.record import DateValue, LiteralDate, PartialDate, Person, Record, RecordType, Season, all_of, date_year

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
_READ_TYPES.update({"JOUR": RecordType.ARTICLE_JOURNAL, "EJOUR": RecordType.ARTICLE_JOURNAL, "JFULL": RecordType.PERIODICAL,
                    "EBOOK": RecordType.BOOK, "EDBOOK": RecordType.BOOK, "ECHAP": RecordType.CHAPTER,
                    "CONF": RecordType.PAPER_CONFERENCE, "UNPB": RecordType.MANUSCRIPT, "GEN": RecordType.DOCUMENT,
                    "VIDEO": RecordType.MOTION_PICTURE, "ICOMM": RecordType.PERSONAL_COMMUNICATION})

# Our own tag → key table, so that the output order is ours and no tag is split on ‘;’ when read.
_TAGS = {
    "TY": "type", "ID": "id", "AU": "authors", "A2": "editors", "A4": "translators", "TI": "title",
    "ST": "short_title", "T2": "container", "J2": "container_short", "T3": "collection_title",
    "VL": "volume", "IS": "issue", "M1": "number", "ET": "edition", "NV": "number_of_volumes",
    "SP": "start_page", "EP": "end_page", "PY": "year", "DA": "date", "Y2": "accessed",
    "PB": "publisher", "CY": "place", "C3": "event_title", "C1": "event_place", "M3": "genre",
    "SN": "issn", "DO": "doi", "UR": "url", "LA": "language", "KW": "keywords", "AB": "abstract",
    "N1": "note", "SE": "version", "ER": "end",
    # Read, never written: older or other programs' spellings of the same facts
    # (PubMed and EndNote put the journal in JO, JF or JA; the 1990s RIS used T1, A1, Y1, N2).
    "T1": "title_t1", "A1": "authors_a1", "ED": "editors_ed", "JO": "journal_jo", "JF": "journal_jf",
    "JA": "journal_ja", "BT": "book_title", "Y1": "date_y1", "N2": "abstract_n2",
}
_LIST_TAGS = ["AU", "A1", "A2", "ED", "A4", "KW", "SN", "N1"]
# The fallbacks for each key, in order of preference.
_SYNONYMS = {
    "title": ("title_t1",), "authors": ("authors_a1",), "editors": ("editors_ed",),
    "container": ("journal_jf", "journal_jo", "book_title"), "container_short": ("journal_ja",),
    "abstract": ("abstract_n2",),
}

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


class _Parser(rispy.RisParser):
    DEFAULT_MAPPING = _TAGS
    DEFAULT_LIST_TAGS = _LIST_TAGS
    DEFAULT_DELIMITER_MAPPING: dict[str, str] = {}


def export(records: Iterable[Record]) -> Iterator[str]:
    for record in records:
        yield rispy.dumps([reference(record)], implementation=_Writer)


def reference(record: Record) -> dict[str, Any]:
    """The record as rispy's dictionary, keyed by our tag table, every value on one line."""
    ref: dict[str, Any] = {"type": TYPES.get(record.type, "GEN"), "id": citation_key(record)}

    def put(key: str, value: str | None) -> None:
        if value:
            ref[key] = one_line(value)

    for key, people in (("authors", record.authors), ("editors", record.editors), ("translators", record.translators)):
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
    put("url", " ".join(all_of(record.url)))
    put("language", record.language)
    if record.keywords:
        ref["keywords"] = [one_line(keyword) for keyword in record.keywords]
    put("abstract", record.abstract)
    if record.note:
        ref["note"] = [one_line(record.note)]
    put("version", record.version)
    return ref


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

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")


def read(text: str, source: str) -> Iterator[tuple[dict[str, Any], int]]:
    """Each RIS record as YAML-shaped data, with the line its TY tag is on."""
    found = False
    for block, line in _blocks(text, source):
        # Tags we do not know (and rispy's ‘UK’ bucket for them) are skipped, not errors.
        parsed = _Parser(skip_unknown_tags=True).parse(block)
        if not parsed:
            raise InvalidRecord([Problem(source, "", "RIS record has no ER line to close it", line)])
        found = True
        yield record_data(parsed[0]), line
    if not found:
        raise InvalidRecord([Problem(source, "", "no record found: no line starts with ‘TY  - ’", 1)])


def _blocks(text: str, source: str) -> Iterator[tuple[str, int]]:
    """The lines of each record, from its TY line to its ER line, and the line number it starts on."""
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG_LINE.match(line)
        tag = match.group(1) if match else None
        if not lines:
            if tag == "TY":
                lines, start = [line], number
            elif line.strip() and not re.fullmatch(r"\d+\.", line.strip()):
                raise InvalidRecord([Problem(source, "", f"not RIS: expected a ‘TY  - ’ line, found {line[:40]!r}", number)])
            continue
        if tag == "TY":
            raise InvalidRecord([Problem(source, "", f"a new record starts before the one on line {start} ends with ER", number)])
        if tag is None and line.strip() and all(not _TAG_LINE.match(previous) for previous in lines[1:]):
            raise InvalidRecord([Problem(source, "", "a line without a tag cannot continue the TY line", number)])
        lines.append(line)
        if tag == "ER":
            yield "\n".join(lines), start
            lines = []
    if lines:
        raise InvalidRecord([Problem(source, "", "RIS record has no ER line to close it", start)])


def record_data(ref: dict[str, Any]) -> dict[str, Any]:
    """rispy's dictionary as plain data in the YAML record's shape, left for parse_record to validate."""
    ref = dict(ref)
    for key, synonyms in _SYNONYMS.items():
        for synonym in synonyms:
            if not ref.get(key) and ref.get(synonym):
                ref[key] = ref[synonym]
    if ref.get("container_short") and not ref.get("container"):
        ref["container"] = ref.pop("container_short")
    data: dict[str, Any] = {}
    kind = ref.get("type", "")
    data["type"] = _READ_TYPES.get(kind, RecordType.DOCUMENT).value
    if ref.get("id"):
        data["id"] = ref["id"]
    for key in ("authors", "editors", "translators"):
        if ref.get(key):
            data[key] = [parse_name(text) for text in ref[key] if text.strip()]
    for key, field in (
        ("title", "title"), ("short_title", "short_title"), ("collection_title", "collection_title"),
        ("volume", "volume"), ("issue", "issue"), ("number", "number"), ("edition", "edition"),
        ("number_of_volumes", "number_of_volumes"), ("publisher", "publisher"), ("place", "publisher_place"),
        ("event_title", "event_title"), ("event_place", "event_place"), ("genre", "genre"), ("doi", "doi"),
        ("url", "url"), ("language", "language"), ("abstract", "abstract"), ("version", "version"),
    ):
        if ref.get(key):
            data[field] = ref[key]
    container: dict[str, Any] = {}
    if ref.get("container"):
        container["title"] = ref["container"]
    if ref.get("container_short"):
        container["short_title"] = ref["container_short"]
    issns = []
    for number in ref.get("issn", []):
        if re.fullmatch(r"\d{4}-?\d{3}[\dXx]", number.strip()):
            issns.append(number.strip())
        else:
            data["isbn"] = number.strip()
    for field, value in zip(("issn", "eissn"), issns):
        container[field] = value
    if container:
        data["container"] = container
    if ref.get("start_page"):
        data["pages"] = ref["start_page"] + ("–" + ref["end_page"] if ref.get("end_page") else "")
    date = parse_ris_date(ref.get("date") or ref.get("date_y1"), ref.get("year"))
    if date:
        data["issued"] = date
    accessed = parse_ris_date(ref.get("accessed"), None)
    if accessed:
        data["accessed"] = accessed
    if ref.get("keywords"):
        data["keywords"] = [keyword for keyword in ref["keywords"] if keyword.strip()]
    if ref.get("note"):
        data["note"] = " ".join(ref["note"])
    return data


def parse_name(text: str) -> dict[str, str]:
    """‘Family, Given, Suffix’; a name without a comma is kept whole as a literal name."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) == 1:
        return {"literal": parts[0]}
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
        person["family"] = " ".join(words[len(leading):])
    return person


_SEASON_NAMES = {season.name.lower(): season for season in Season}


def parse_ris_date(text: str | None, year: str | None) -> str | None:
    """DA's YYYY/MM/DD/other as EDTF text; PY alone gives the year. Unreadable text passes to validation."""
    if text:
        pieces = (text.strip().split("/") + ["", "", ""])[:4]
        year_text, month, day, other = (piece.strip() for piece in pieces)
        if re.fullmatch(r"-?\d{4}", year_text):
            season = _SEASON_NAMES.get(other.lower())
            if season is not None and not month:
                return DateValue(PartialDate(int(year_text), season=season)).edtf()
            edtf = year_text
            if month:
                edtf += "-" + month.zfill(2)
                if day:
                    edtf += "-" + day.zfill(2)
            return edtf
        return text.strip()
    if year:
        return year.strip().split("/")[0]
    return None
