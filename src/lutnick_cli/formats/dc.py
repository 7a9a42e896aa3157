"""Qualified Dublin Core as XML: one `qualifieddc` container of dc: and dcterms: elements per record.

The container is DCMI's own (qualifieddc.xsd, 2008), so each record validates
against the DCMI schemas as written; a `metadata` element holds them all.

Dublin Core has no elements for a journal's issue or pages. Following DCMI's
‘Guidelines for Encoding Bibliographic Citation Information in Dublin Core
Metadata’, they are given twice: as `dcterms:bibliographicCitation` in
OpenURL key/value form (`&rft.jtitle=…&rft.issue=12&rft.spage=140…`; for a
book also its place, edition, series and ISBN), which a program can take apart,
and the journal as `dcterms:isPartOf`, by title and by
ISSN URN (`urn:ISSN:…`, the e-ISSN too). The DOI is a `dc:identifier` URI, and the
citation key a plain one.
Names are ‘Family, Given’ as DC recommends, without honorific; everyone who
made the work besides its authors is a `dc:contributor`, as DC has no roles.
What a record loses (an access date, `other_fields`, …) is named by
`unplaced_fields`.

Escaping is the XML serializer's (`xml.etree`), and the KEV citation is
percent-encoded, so `&`, `=` or markup in a value stays data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import quote
from xml.etree import ElementTree as ET

from lutnick_cli.formats import placement
from lutnick_cli.record import DateValue, LiteralDate, Person, Record, RecordType, all_of

EXTENSION = ".xml"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Record type → DCMI Type vocabulary term.
DCMI_TYPES = {
    RecordType.DATASET: "Dataset",
    RecordType.SOFTWARE: "Software",
    RecordType.EVENT: "Event",
    RecordType.PERFORMANCE: "Event",
    RecordType.SPEECH: "Event",
    RecordType.GRAPHIC: "StillImage",
    RecordType.FIGURE: "StillImage",
    RecordType.MAP: "StillImage",
    RecordType.MOTION_PICTURE: "MovingImage",
    RecordType.BROADCAST: "MovingImage",
    RecordType.SONG: "Sound",
    RecordType.INTERVIEW: "Sound",
    RecordType.WEBPAGE: "InteractiveResource",
}

# The OpenURL genre for the KEV citation, and whether the journal or the book format applies.
_JOURNAL_TYPES = {
    RecordType.ARTICLE,
    RecordType.ARTICLE_JOURNAL,
    RecordType.ARTICLE_MAGAZINE,
    RecordType.ARTICLE_NEWSPAPER,
    RecordType.REVIEW,
    RecordType.REVIEW_BOOK,
}

# The people who made the work besides its authors, all of them DC's contributors (DC has no roles).
# The authors of another work (the container, the original, the work reviewed) and a letter's
# recipients are no contributors.
CONTRIBUTORS = (
    "editors",
    "translators",
    "chairs",
    "collection_editors",
    "compilers",
    "composers",
    "contributors",
    "curators",
    "directors",
    "editorial_directors",
    "editor_translators",
    "executive_producers",
    "guests",
    "hosts",
    "illustrators",
    "interviewers",
    "narrators",
    "organizers",
    "performers",
    "producers",
    "script_writers",
    "series_creators",
)

ET.register_namespace("dc", DC)
ET.register_namespace("dcterms", DCTERMS)
ET.register_namespace("xsi", XSI)


def export(records: Iterable[Record]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<metadata xmlns:dc="{DC}" xmlns:dcterms="{DCTERMS}" xmlns:xsi="{XSI}">\n'
    )
    for record in records:
        element = qualified_dc(record)
        ET.indent(element, space="  ", level=1)
        yield "  " + _without_declarations(ET.tostring(element, encoding="unicode")) + "\n"
    yield "</metadata>\n"


def _without_declarations(text: str) -> str:
    # The serializer declares the prefixes on each container; the root element already does.
    head, _, rest = text.partition(">")
    for prefix, uri in (("dc", DC), ("dcterms", DCTERMS), ("xsi", XSI)):
        head = head.replace(f' xmlns:{prefix}="{uri}"', "")
    return head + ">" + rest


def _add(parent: ET.Element, namespace: str, tag: str, text: str, xsi_type: str | None = None) -> None:
    element = ET.SubElement(parent, f"{{{namespace}}}{tag}")
    element.text = text
    if xsi_type:
        element.set(f"{{{XSI}}}type", xsi_type)


def qualified_dc(record: Record) -> ET.Element:
    root = ET.Element("qualifieddc")
    if record.title:
        _add(root, DC, "title", record.title)
    if record.short_title:
        _add(root, DCTERMS, "alternative", record.short_title)
    for person in record.authors:
        _add(root, DC, "creator", name(person))
    for field in CONTRIBUTORS:
        for person in getattr(record, field):
            _add(root, DC, "contributor", name(person))
    _add(root, DC, "type", DCMI_TYPES.get(record.type, "Text"), "dcterms:DCMIType")
    if record.genre:
        _add(root, DC, "type", record.genre)
    if record.issued is not None:
        text, typed = date(record.issued)
        _add(root, DCTERMS, "issued", text, "dcterms:W3CDTF" if typed else None)
    if record.publisher:
        _add(root, DC, "publisher", record.publisher)
    if record.doi:
        _add(root, DC, "identifier", f"https://doi.org/{record.doi}", "dcterms:URI")
    for url in all_of(record.url):
        _add(root, DC, "identifier", url, "dcterms:URI")
    for isbn in all_of(record.isbn):
        _add(root, DC, "identifier", f"urn:ISBN:{isbn}", "dcterms:URI")
    if record.id:
        _add(root, DC, "identifier", record.id)  # the citation key: the work's name in its bibliography
    if record.container is not None:
        _add(root, DCTERMS, "isPartOf", record.container.title)
        for issn in all_of(record.container.issn) + all_of(record.container.eissn):
            _add(root, DCTERMS, "isPartOf", f"urn:ISSN:{issn}", "dcterms:URI")
    if record.collection_title:
        _add(root, DCTERMS, "isPartOf", record.collection_title)
    citation = kev_citation(record)
    if citation:
        _add(root, DCTERMS, "bibliographicCitation", citation)
    if record.language:
        _add(root, DC, "language", record.language, "dcterms:RFC4646")
    for keyword in record.keywords:
        _add(root, DC, "subject", keyword)
    if record.abstract:
        _add(root, DCTERMS, "abstract", record.abstract)
    if record.note:
        _add(root, DC, "description", record.note)
    for tag, value in (("medium", record.medium), ("extent", record.dimensions), ("license", record.license)):
        if value:
            _add(root, DCTERMS, tag, value)
    return root


# What `qualified_dc` writes of every record, the KEV citation included (see `unplaced_fields`).
_PLACED = {
    "id",
    "title",
    "short_title",
    "authors",
    *CONTRIBUTORS,
    "genre",
    "publisher",
    "doi",
    "url",
    "isbn",
    "container",
    "container.issn",
    "container.eissn",
    "collection_title",
    "volume",
    "issue",
    "pages",
    "language",
    "keywords",
    "abstract",
    "note",
    "medium",
    "dimensions",
    "license",
}


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its Dublin Core record leaves out (see `placement.unplaced`)."""
    fields = set(_PLACED)
    if record.type not in _JOURNAL_TYPES:
        fields.update(("edition", "publisher_place"))  # in the KEV citation of a book
    placed = placement.Placed(fields=fields, dates={"issued": placement.WHOLE}, person_parts=())
    return placement.unplaced(record, placed)


def name(person: Person) -> str:
    if person.literal:
        return person.literal
    family = " ".join(part for part in (person.dropping_particle, person.particle, person.family) if part)
    parts = [family] + [part for part in (person.given, person.suffix) if part]
    return ", ".join(parts)


def date(value: DateValue | LiteralDate) -> tuple[str, bool]:
    """The date in W3CDTF when it is one plain date, else its EDTF text (untyped: W3CDTF has no seasons or ranges),
    or the text of a date kept as given."""
    if isinstance(value, LiteralDate):
        return value.text, False
    if value.end is None and not value.circa and value.start.season is None and value.start.year >= 1000:
        return value.edtf(), True
    return value.edtf(), False


def kev_citation(record: Record) -> str:
    """The citation as OpenURL 1.0 key/encoded-value pairs, as DCMI's citation guidelines recommend."""
    journal = record.type in _JOURNAL_TYPES
    pairs: list[tuple[str, str | None]] = []
    if record.container is not None:
        pairs.append(("rft.jtitle" if journal else "rft.btitle", record.container.title))
        pairs += [("rft.issn", issn) for issn in all_of(record.container.issn)]
        pairs += [("rft.eissn", issn) for issn in all_of(record.container.eissn)]
    pairs += [("rft.volume", record.volume), ("rft.issue", record.issue)]
    if not journal:
        pairs += [
            ("rft.edition", record.edition),
            ("rft.series", record.collection_title),
            *[("rft.isbn", isbn) for isbn in all_of(record.isbn)],
            ("rft.pub", record.publisher),
            ("rft.place", record.publisher_place),
        ]
    if record.pages is not None:
        pairs += [("rft.spage", record.pages.first), ("rft.epage", record.pages.last)]
        pairs.append(("rft.pages", record.pages.text("-")))
    present = [(key, value) for key, value in pairs if value]
    if not present:
        return ""
    if record.issued is not None:
        present.append(("rft.date", date(record.issued)[0]))
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in present)
