"""BibTeX for bibtex with natbib and for biber with biblatex, from one file; and reading .bib files.

Classic entry types and fields serve bibtex; biblatex reads the same entry,
and finds the full date in `date` (EDTF), which bibtex ignores. Every value is
LaTeX-escaped, so no character is lost or read as markup, and safe for
BibTeX's brace count (see `latex.escape_field`), so no value ends its field
early. Being classic, the
file keeps what bibtex styles print and biblatex's data model has no place for
(a journal's publisher, both ISSNs in one `issn`): `biber --validate-datamodel`
flags those, and the `biblatex` export is the one written to pass it.

Reading takes BibTeX and biblatex alike (bibtexparser 2 splits the file and
the names; pylatexenc turns LaTeX into Unicode). For an article `number` is
the issue; elsewhere it is the report or series number.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from lutnick_cli import latex
from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.keys import citation_key
from lutnick_cli.record import DateValue, LiteralDate, PageRange, Person, Record, RecordType, all_of, split_honorific

EXTENSION = ".bib"

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# BCP 47 tag, or its primary language, → the babel/polyglossia name biblatex's `langid` takes.
LANGUAGES = {
    "en-gb": "british", "en-us": "american", "de-at": "naustrian", "de-ch": "nswissgerman",
    "pt-br": "brazilian", "fr-ca": "canadien",
    "en": "english", "de": "ngerman", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norsk",
    "nb": "norsk", "nn": "nynorsk", "fi": "finnish", "pl": "polish", "cs": "czech",
    "ru": "russian", "uk": "ukrainian", "el": "greek", "tr": "turkish", "hu": "magyar",
    "ca": "catalan", "hr": "croatian", "sl": "slovene", "sk": "slovak", "et": "estonian",
    "lt": "lithuanian", "lv": "latvian", "ro": "romanian", "bg": "bulgarian", "he": "hebrew",
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


# Where the container's title and the publisher go, by entry type.
_CONTAINER_FIELDS = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
_PUBLISHER_FIELDS = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school"}


def export(records: Iterable[Record]) -> Iterator[str]:
    return entries(records, entry)


def entries(records: Iterable[Record], render: Callable[[Record], str]) -> Iterator[str]:
    """Each record's entry in turn, a blank line between two entries."""
    separator = ""
    for record in records:
        yield separator + render(record)
        separator = "\n"


def entry_type(record: Record) -> str:
    if record.type is RecordType.THESIS:
        genre = (record.genre or "").lower()
        return "mastersthesis" if "master" in genre or "msc" in genre or "ma " in genre else "phdthesis"
    return _ENTRY_TYPES.get(record.type, "misc")


# A field name bibtex and biber both read: a letter, then letters, digits and a little punctuation.
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:+/-]*")


class EntryFields:
    """The fields of one entry in BibTeX syntax, in order, each value escaped and braced.

    The BibTeX and biblatex exports share it, so both escape, brace and align alike.
    """

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def raw(self, name: str, value: str) -> None:
        """A value already in BibTeX syntax: a braced group or a month macro."""
        self.items.append((name, value))

    def text(self, name: str, value: str | None) -> None:
        if value:
            self.items.append((name, "{" + latex.escape_field(value) + "}"))

    def title(self, name: str, value: str | None, protect: bool = True) -> None:
        """A title; capitalised words are brace-protected unless `protect` is false."""
        if value:
            self.raw(name, "{" + (latex.protect_capitals(value) if protect else latex.escape_field(value)) + "}")

    def verbatim(self, name: str, value: str | None) -> None:
        # DOIs and URLs are typeset by \url-like commands, which take their argument verbatim.
        if value:
            self.raw(name, "{" + verbatim_safe(value) + "}")

    def people(self, name: str, people: Iterable[Person]) -> None:
        people = tuple(people)
        if people:
            self.raw(name, "{" + names(people) + "}")

    def pages(self, pages: PageRange | None) -> None:
        # The range's dash is LaTeX's en dash, --; each page is escaped on its own.
        if pages is not None:
            self.raw("pages", "{" + latex.escape_field(pages.first) + (f"--{latex.escape_field(pages.last)}" if pages.last else "") + "}")

    def date(self, name: str, value: DateValue | LiteralDate | None) -> None:
        """A biblatex date field in EDTF; a date kept as given is no EDTF, and biber would refuse it."""
        if isinstance(value, DateValue):
            self.raw(name, "{" + value.edtf() + "}")

    def other_fields(self, record: Record) -> None:
        """The fields with no CSL home, under their own names, where those are BibTeX field names not yet written."""
        written = {name for name, _ in self.items}
        for name, value in record.other_fields.items():
            if _FIELD_NAME.fullmatch(name) and name.lower() not in written:
                self.text(name.lower(), value)
                written.add(name.lower())

    def render(self, kind: str, key: str) -> str:
        width = 0  # of the longest name; a plain loop is quicker than max() over a comprehension here
        for name, _ in self.items:
            if len(name) > width:
                width = len(name)
        body = ",\n".join([f"  {name.ljust(width)} = {value}" for name, value in self.items])
        return f"@{kind}{{{key},\n{body}\n}}\n"


def entry(record: Record) -> str:
    kind = entry_type(record)
    fields = EntryFields()
    text = fields.text
    fields.people("author", record.authors)
    fields.people("editor", record.editors)
    fields.people("translator", record.translators)
    fields.title("title", record.title)
    if record.container is not None:
        container_field = _CONTAINER_FIELDS.get(kind, "howpublished")
        # Styles (and pandoc) may change a book's title to sentence case, never a journal's.
        fields.title(container_field, record.container.title, protect=container_field != "journal")
    text("edition", record.edition)
    text("volume", record.volume)
    if kind in ("article", "inproceedings", "incollection"):
        text("number", record.issue or record.number)
    else:
        # Outside a periodical, BibTeX's `number` is a report's number or the volume's number in its series.
        text("number", record.number or record.collection_number or record.issue)
    text("series", record.collection_title)
    fields.pages(record.pages)
    text(_PUBLISHER_FIELDS.get(kind, "publisher"), record.publisher)
    text("address", record.publisher_place)
    text("type", record.genre if kind in ("techreport", "phdthesis", "mastersthesis") else None)
    text("eventtitle", record.event_title)
    text("venue", record.event_place)
    text("version", record.version)
    # Tested before the call: most records have none of these, and an export writes thousands.
    if record.chapter_number:
        text("chapter", record.chapter_number)
    if record.status:
        text("pubstate", record.status)
    issued = record.issued
    if isinstance(issued, DateValue):
        start = issued.start
        if issued.end is None and not issued.circa:
            fields.raw("year", "{" + str(start.year) + "}")
            if start.month is not None:
                fields.raw("month", _MONTHS[start.month - 1])
        fields.raw("date", "{" + issued.edtf() + "}")
    elif issued is not None:
        text("year", issued.text)  # a date kept as given: bibtex prints a year as it is written
    if record.original_date is not None:
        fields.date("origdate", record.original_date)
    if record.event_date is not None:
        fields.date("eventdate", record.event_date)
    if record.accessed is not None:
        fields.date("urldate", record.accessed)
    container = record.container
    if container is not None and (container.issn or container.eissn):
        text("issn", ", ".join(all_of(container.issn) + all_of(container.eissn)))
    if record.isbn:
        text("isbn", ", ".join(all_of(record.isbn)))
    fields.verbatim("doi", record.doi)
    if record.url:
        fields.verbatim("url", " ".join(all_of(record.url)))
    if record.pmid:
        text("pmid", record.pmid)
    if record.pmcid:
        text("pmcid", record.pmcid)
    if record.language:
        text("langid", langid(record.language))
    if record.keywords:
        text("keywords", ", ".join(record.keywords))
    text("abstract", record.abstract)
    if record.annote:
        text("annotation", record.annote)
    text("note", record.note)
    if record.other_fields:
        fields.other_fields(record)
    return fields.render(kind, citation_key(record))


def langid(language: str) -> str | None:
    """The babel name of a BCP 47 tag, by the whole tag first (en-GB is british), then its language."""
    return LANGUAGES.get(language.lower()) or LANGUAGES.get(language.split("-")[0].lower())


def names(people: Iterable[Person]) -> str:
    """A BibTeX name list: ‘von Last, Jr, First’, joined by ‘and’; organisations braced whole."""
    return " and ".join([_name(person) for person in people])


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
    return "".join(_URL_ESCAPES[char] if char == "\\" or (char in "{}" and index in lone) else char
                   for index, char in enumerate(value))


# --- reading ----------------------------------------------------------------

_READ_TYPES = {
    "article": RecordType.ARTICLE_JOURNAL,
    "book": RecordType.BOOK,
    "mvbook": RecordType.BOOK,
    "booklet": RecordType.PAMPHLET,
    "collection": RecordType.COLLECTION,
    "incollection": RecordType.CHAPTER,
    "inbook": RecordType.CHAPTER,
    "inreference": RecordType.ENTRY_ENCYCLOPEDIA,
    "inproceedings": RecordType.PAPER_CONFERENCE,
    "conference": RecordType.PAPER_CONFERENCE,
    "proceedings": RecordType.BOOK,
    "techreport": RecordType.REPORT,
    "report": RecordType.REPORT,
    "phdthesis": RecordType.THESIS,
    "mastersthesis": RecordType.THESIS,
    "thesis": RecordType.THESIS,
    "unpublished": RecordType.MANUSCRIPT,
    "online": RecordType.WEBPAGE,
    "www": RecordType.WEBPAGE,
    "dataset": RecordType.DATASET,
    "software": RecordType.SOFTWARE,
    "patent": RecordType.PATENT,
    "periodical": RecordType.PERIODICAL,
    "standard": RecordType.STANDARD,
    "review": RecordType.REVIEW,
    "manual": RecordType.REPORT,
    "misc": RecordType.DOCUMENT,
}
_MONTH_NUMBERS = {name: index for index, name in enumerate(_MONTHS, start=1)}
_BABEL_TO_BCP47 = {}
for _tag, _babel in LANGUAGES.items():
    _BABEL_TO_BCP47.setdefault(_babel, _tag if "-" not in _tag else _tag[:3] + _tag[3:].upper())
_BABEL_TO_BCP47.update({"german": "de", "english": "en", "UKenglish": "en-GB", "USenglish": "en-US", "british": "en-GB",
                        "american": "en-US", "norwegian": "no", "austrian": "de-AT", "swissgerman": "de-CH"})
_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]")


def read(text: str, source: str) -> Iterator[tuple[dict[str, Any] | InvalidRecord, int]]:
    """Each entry of a .bib file as record data, or the problem that spoils it, with the line it starts on."""
    import bibtexparser
    from bibtexparser import middlewares

    _quiet_bibtexparser()
    library = bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors()])
    if not library.entries and not library.failed_blocks:
        raise InvalidRecord([Problem(source, "", "no records in the file: it has no @entry", 1)])
    for string in library.strings:
        definition = (string.raw or "").partition("=")[2].strip()
        if "#" in definition and definition[:1] not in ("{", '"'):
            raise InvalidRecord([Problem(source, "", f"@string {string.key}: string concatenation with # is not supported",
                                         (string.start_line or 0) + 1)])
    # A broken entry is reported in its place and the others are still read, in file order.
    results: list[tuple[int, dict[str, Any] | InvalidRecord]] = [
        ((block.start_line or 0) + 1, InvalidRecord([_failure(block, source)])) for block in library.failed_blocks
    ]
    for entry_ in library.entries:
        line = entry_.start_line + 1
        try:
            _check_bare_values(entry_, source, line)
            data = record_data(entry_.entry_type, entry_.key, {field.key.lower(): field.value for field in entry_.fields})
        except InvalidRecord as problem:
            results.append((line, problem))
        except _NameError as error:
            results.append((line, InvalidRecord([Problem(source, error.field, error.message, line)])))
        else:
            results.append((line, data))
    for line, result in sorted(results, key=lambda pair: pair[0]):
        yield result, line


def _quiet_bibtexparser() -> None:
    """bibtexparser reports a broken block through `logging` as well as in its result; the result
    is what we report, so the library's own messages are kept off stderr. Set up when a file is
    read, not on import: an export does not need `logging` at all."""
    import logging

    logger = logging.getLogger("bibtexparser")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _check_bare_values(entry_: Any, source: str, line: int) -> None:
    """A value without braces or quotes is a number, a month or an @string macro; anything else
    (an undefined macro, or `#` concatenation, which bibtexparser 2 leaves unjoined) is refused
    rather than read as literal text."""
    enclosing = entry_.parser_metadata.get("removed_enclosing", {})
    resolved = set(entry_.parser_metadata.get("ResolveStringReferences", []))
    for field in entry_.fields:
        value = field.value
        if isinstance(value, str) and _depth(value) > _MAX_DEPTH:
            raise InvalidRecord([Problem(source, field.key.lower(), f"braces nested more than {_MAX_DEPTH} deep", line)])
        if enclosing.get(field.key) != "no-enclosing" or field.key in resolved or not isinstance(value, str):
            continue
        if value.isdigit() or (field.key.lower() == "month" and value.lower()[:3] in _MONTH_NUMBERS):
            continue
        what = "string concatenation with # is not supported" if "#" in value else f"@string {value!r} is not defined"
        raise InvalidRecord([Problem(source, field.key.lower(), what, line)])


# Real titles nest braces three or four deep; the LaTeX decoder recurses once per level.
_MAX_DEPTH = 32


def _depth(value: str) -> int:
    depth = deepest = 0
    escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    return deepest


def _failure(block: Any, source: str) -> Problem:
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        return Problem(source, "", f"duplicate entry key {block.key!r}", line)
    if isinstance(block, DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        return Problem(source, fields, "the field is given twice in one entry", line)
    error = getattr(block, "error", None)
    detail = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
    detail = detail or type(error).__name__
    return Problem(source, "", f"BibTeX syntax: {detail.strip().splitlines()[0] if detail.strip() else 'unreadable entry'}", line)


def _decoder() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    # \textasciicircum prints the ASCII circumflex (pylatexenc's default is U+02C6), which is what
    # lutnick_cli.latex writes for ‘^’; pylatexenc does not know the brace commands it writes for
    # braces without a partner.
    context = get_default_latex_context_db().filter_context(keep_categories=None)
    context.add_context_category("lutnick", prepend=True, macros=[
        MacroTextSpec("textasciicircum", "^"), MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
    ])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", keep_braced_groups=False,
                           strict_latex_spaces=True)


def decode(value: str, decoder: Any = None) -> str:
    """A LaTeX field value as the Unicode text it prints as.

    pylatexenc reads a value character by character, some 2 ms for an abstract, so text with no
    macro, group, tie, maths or comment in it is only given LaTeX's ligatures, as pylatexenc
    would give them (-- ---, `` '', ?` !`): the same result, a hundred times faster.
    """
    if _LATEX.search(value):
        return (decoder or _shared_decoder()).latex_to_text(value).strip()
    return _LIGATURES.sub(lambda match: _LIGATURE_TEXT[match.group()], value).strip()


# What only pylatexenc can read: macros, groups, ties, maths, comments.
_LATEX = re.compile(r"[\\{}~$%]")
_LIGATURE_TEXT = {"---": "—", "--": "–", "``": "“", "''": "”", "?`": "¿", "!`": "¡"}
_LIGATURES = re.compile("|".join(re.escape(ligature) for ligature in _LIGATURE_TEXT))
_DECODER: list[Any] = []


def _shared_decoder() -> Any:
    """One decoder for the whole run: building its macro tables costs a millisecond each time."""
    if not _DECODER:
        _DECODER.append(_decoder())
    return _DECODER[0]


def record_data(entry_type: str, key: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One BibTeX or biblatex entry as plain data in the YAML record's shape, for parse_record to validate."""
    decoder = _shared_decoder()
    kind = entry_type.lower()
    record_type = _READ_TYPES.get(kind, RecordType.DOCUMENT)
    data: dict[str, Any] = {"id": key, "type": record_type.value}

    def text(name: str) -> str | None:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return decode(value, decoder)
        return None

    def verbatim(name: str) -> str | None:
        # DOIs and URLs are verbatim to biber; for bibtex, other tools often escape _ % & # in them,
        # and a backslash can never be part of a URL or DOI as written, so it is dropped.
        value = fields.get(name)
        if not isinstance(value, str) or not value.strip():
            return None
        return re.sub(r"\\([_%&#$~])", r"\1", value.strip())

    for name, field in (("author", "authors"), ("editor", "editors"), ("translator", "translators")):
        value = fields.get(name)
        if isinstance(value, list):
            people = []
            for person in value:
                try:
                    people.append(_person(_name_parts(person), decoder))
                except ValueError as error:
                    raise _NameError(name, str(error)) from None
            data[field] = people
    for name, field in (
        ("title", "title"), ("shorttitle", "short_title"), ("series", "collection_title"), ("edition", "edition"),
        ("volume", "volume"), ("volumes", "number_of_volumes"), ("eventtitle", "event_title"), ("venue", "event_place"),
        ("version", "version"), ("isbn", "isbn"), ("abstract", "abstract"), ("note", "note"), ("type", "genre"),
    ):
        value = text(name)
        if value:
            data[field] = value
    container_title = next((text(name) for name in ("journaltitle", "journal", "booktitle", "howpublished", "organization")
                            if text(name)), None)
    container: dict[str, Any] = {}
    if container_title:
        container["title"] = container_title
    if text("shortjournal"):
        container["short_title"] = text("shortjournal")
    issns = _ISSN.findall(text("issn") or "")
    if issns:
        container["issn"] = issns[0]
        if len(issns) > 1:
            container["eissn"] = issns[1]
        elif _ISSN.fullmatch(text("usera") or ""):
            container["eissn"] = text("usera")
    elif text("issn"):
        container["issn"] = text("issn")
    if container and "title" not in container:
        # An ISSN with no journal: a periodical's own, or a book series' (the record keeps ISSNs
        # on its container, so the periodical or the series stands as the container).
        container["title"] = text("series") or text("title")
    if container and container.get("title"):
        data["container"] = container
    number, issue = text("number"), text("issue")
    if record_type in (RecordType.ARTICLE_JOURNAL, RecordType.REVIEW, RecordType.PERIODICAL):
        if number or issue:
            data["issue"] = number or issue
    else:
        if issue:
            data["issue"] = issue
        if number:
            data["collection_number" if kind in ("book", "mvbook", "collection") and "series" in fields else "number"] = number
    pages = text("pages")
    if pages:
        data["pages"] = pages
    publisher = text("publisher") or text("institution") or text("school")
    if publisher:
        data["publisher"] = publisher
    place = text("location") or text("address")
    if place:
        data["publisher_place"] = place
    if kind in ("phdthesis", "mastersthesis") and "genre" not in data:
        data["genre"] = "PhD thesis" if kind == "phdthesis" else "Master’s thesis"
    if data.get("genre") in ("techreport", "phdthesis") and kind in ("report", "thesis"):
        del data["genre"]
    issued = _date(verbatim("date"), text("year"), text("month"), text("day"))
    if issued:
        data["issued"] = issued
    accessed = verbatim("urldate")
    if accessed:
        data["accessed"] = accessed
    for name, field in (("doi", "doi"), ("url", "url")):
        value = verbatim(name)
        if value:
            data[field] = value
    language = text("langid") or text("language")
    if language:
        language = _BABEL_TO_BCP47.get(language, _BABEL_TO_BCP47.get(language.lower(), language))
        # A language named in a way neither babel nor BCP 47 knows (‘English; French’) is left out.
        if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
            data["language"] = language
    keywords = text("keywords")
    if keywords:
        data["keywords"] = [word.strip() for word in keywords.split(",") if word.strip()]
    return data


class _NameError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message


def _name_parts(name: str) -> Any:
    """BibTeX's four name parts, by bibtexparser, where it follows BibTeX; two cases it does not:

    * a trailing comma (‘King, Jr.,’: no first name) is an empty first part to BibTeX, an error
      to bibtexparser, so it is given an empty group as first name;
    * in ‘van Gogh’ without a first name, BibTeX's von part is ‘van’; bibtexparser makes it the
      first name, so lower-case first words with nothing after them but the last name are von.
    """
    from bibtexparser.middlewares.names import InvalidNameError, NameParts, parse_single_name_into_parts

    text = name.strip()
    if text.endswith(","):
        text += " {}"
    try:
        parts = parse_single_name_into_parts(text)
    except InvalidNameError as error:
        raise ValueError(str(error)) from None
    if "," not in text and parts.first and not parts.von and all(word[:1].islower() for word in parts.first):
        parts = NameParts(first=[], von=parts.first, last=parts.last, jr=parts.jr)
    return parts


def _person(parts: Any, decoder: Any) -> dict[str, str]:
    first, von, last, jr = (" ".join(getattr(parts, name)) for name in ("first", "von", "last", "jr"))
    if not (first or von or jr) and re.fullmatch(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", last):
        return {"literal": decode(last, decoder)}
    person: dict[str, str] = {}
    if last:
        person["family"] = decode(last, decoder)
    given = decode(first, decoder) if first else ""
    if given:
        honorific, given = split_honorific(given)
        if honorific:
            person["honorific"] = honorific
        person["given"] = given
    if von:
        person["particle"] = decode(von, decoder)
    if jr:
        person["suffix"] = decode(jr, decoder)
    return person


def _date(date: str | None, year: str | None, month: str | None, day: str | None) -> str | None:
    """biblatex's `date` as it is (EDTF, validated later); else year, month and day put together."""
    if date:
        return date
    if not year:
        return None
    if not month:
        return year
    number = _small_number(month) if month.isdigit() else _MONTH_NUMBERS.get(month.lower()[:3])
    if number is None:
        return f"{year}-{month}"
    text = f"{year}-{number:02d}"
    if day and day.isdigit():
        day_number = _small_number(day)
        return f"{text}-{day_number:02d}" if day_number is not None else f"{text}-{day}"
    return text


def _small_number(digits: str) -> int | None:
    """A month's or day's digits as a number; more than two (leading zeros aside) are no month or day,
    and are kept as written for validation to name (converting them could fail: Python limits how
    many digits it converts)."""
    significant = digits.lstrip("0")
    return int(digits) if len(significant) <= 2 else None
