"""BibTeX for bibtex with natbib and for biber with biblatex, from one file.

Classic entry types and fields serve bibtex; biblatex reads the same entry,
and finds the full date in `date` (EDTF), which bibtex ignores. Every value is
LaTeX-escaped, so no character is lost or read as markup.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from lutnick_cli import latex
from lutnick_cli.keys import citation_key
from lutnick_cli.record import Person, Record, RecordType

EXTENSION = ".bib"

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# BCP 47 primary language → the babel/polyglossia name biblatex's `langid` takes.
_LANGUAGES = {
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


def export(records: Iterable[Record]) -> Iterator[str]:
    separator = ""
    for record in records:
        yield separator + entry(record)
        separator = "\n"


def entry_type(record: Record) -> str:
    if record.type is RecordType.THESIS:
        genre = (record.genre or "").lower()
        return "mastersthesis" if "master" in genre or "msc" in genre or "ma " in genre else "phdthesis"
    return _ENTRY_TYPES.get(record.type, "misc")


def entry(record: Record) -> str:
    kind = entry_type(record)
    fields: list[tuple[str, str]] = []

    def text(name: str, value: str | None) -> None:
        if value:
            fields.append((name, "{" + latex.escape(value) + "}"))

    def verbatim(name: str, value: str | None) -> None:
        # DOIs and URLs are typeset by \url-like commands, which take their argument verbatim.
        if value:
            fields.append((name, "{" + _verbatim_safe(value) + "}"))

    if record.authors:
        fields.append(("author", "{" + names(record.authors) + "}"))
    if record.editors:
        fields.append(("editor", "{" + names(record.editors) + "}"))
    if record.translators:
        fields.append(("translator", "{" + names(record.translators) + "}"))
    fields.append(("title", "{" + latex.protect_capitals(record.title) + "}"))
    if record.container is not None:
        container_field = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}.get(
            kind, "howpublished"
        )
        fields.append((container_field, "{" + latex.escape(record.container.title) + "}"))
    text("edition", record.edition)
    text("volume", record.volume)
    if kind in ("article", "inproceedings", "incollection"):
        text("number", record.issue or record.number)
    else:
        text("number", record.number or record.issue)
    text("series", record.collection_title)
    if record.pages is not None:
        text("pages", record.pages.text("--"))
    publisher_field = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school"}.get(
        kind, "publisher"
    )
    text(publisher_field, record.publisher)
    text("address", record.publisher_place)
    text("type", record.genre if kind in ("techreport", "phdthesis", "mastersthesis") else None)
    text("eventtitle", record.event_title)
    text("venue", record.event_place)
    text("version", record.version)
    if record.issued is not None:
        start = record.issued.start
        if record.issued.end is None and not record.issued.circa:
            fields.append(("year", "{" + str(start.year) + "}"))
            if start.month is not None:
                fields.append(("month", _MONTHS[start.month - 1]))
        fields.append(("date", "{" + record.issued.edtf() + "}"))
    if record.accessed is not None:
        fields.append(("urldate", "{" + record.accessed.edtf() + "}"))
    if record.container is not None:
        issns = [issn for issn in (record.container.issn, record.container.eissn) if issn]
        text("issn", ", ".join(issns))
    text("isbn", record.isbn)
    verbatim("doi", record.doi)
    verbatim("url", record.url)
    if record.language:
        language = _LANGUAGES.get(record.language.split("-")[0].lower())
        text("langid", language)
    text("keywords", ", ".join(record.keywords))
    text("abstract", record.abstract)
    text("note", record.note)

    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@{kind}{{{citation_key(record)},\n{body}\n}}\n"


def names(people: Iterable[Person]) -> str:
    """A BibTeX name list: ‘von Last, Jr, First’, joined by ‘and’; organisations braced whole."""
    return " and ".join(_name(person) for person in people)


def _name(person: Person) -> str:
    if person.literal:
        return "{" + latex.escape(person.literal) + "}"
    particles = " ".join(part for part in (person.dropping_particle, person.particle) if part)
    # A family name with a space or comma of its own is one unit, not a von-part and a last name.
    family = latex.escape(person.family or "")
    if " " in family or "," in family:
        family = "{" + family + "}"
    last = f"{latex.escape(particles)} {family}" if particles else family
    parts = [last]
    if person.suffix:
        parts.append(latex.escape(person.suffix))
    if person.given:
        parts.append(_protect_and(latex.escape(person.given)))
    if person.suffix and not person.given:
        parts.append("")
    return ", ".join(parts)


def _protect_and(text: str) -> str:
    # ‘and’ as a word inside a name would split the name list.
    return " ".join("{and}" if word == "and" else word for word in text.split(" "))


_URL_ESCAPES = {"\\": "%5C", "{": "%7B", "}": "%7D"}


def _verbatim_safe(value: str) -> str:
    # Verbatim fields still need balanced braces; percent-encoding keeps the link the same link.
    return "".join(_URL_ESCAPES.get(char, char) for char in value)
