"""MODS 3.8, the Library of Congress's bibliographic XML, valid against mods-3-8.xsd.

A `modsCollection` holds one `mods` element per record. The journal (or book,
or proceedings) is a `relatedItem type="host"` holding its title and ISSNs,
and the issue, volume and pages are that host's `part`, as the MODS user
guidelines place them. A name is split into `namePart`s by type; a
generational suffix is a `termsOfAddress`. An honorific is not written: MODS
would hold it in `termsOfAddress` too, which readers such as bibutils take
for a suffix and print after the family name (‘Lutnick Dr, A.’).
Dates are EDTF (`encoding="edtf"`, allowed since MODS 3.6), the
DOI, ISBN, ISSNs and PubMed ids are typed `identifier`s, and keywords are
`subject/topic`. Every role with a MARC relator code is a `name` with its
`role`; the original of a translation and the work a review reviews are
related items of their own (`original`, `reviewOf`). What a record loses (an
access date without a URL, `other_fields`, …) is named by `unplaced_fields`.

Escaping is the XML serializer's (`xml.etree`): `<`, `&` and `>` in text and
quotes in attributes become entities, so `]]>` or markup in a title is data.
The record model refuses the control characters XML 1.0 cannot carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.etree import ElementTree as ET

from lutnick_cli.formats import placement
from lutnick_cli.keys import citation_key
from lutnick_cli.record import DateValue, LiteralDate, Person, Record, RecordType, all_of

EXTENSION = ".xml"
NAMESPACE = "http://www.loc.gov/mods/v3"
SCHEMA_LOCATION = "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"

# Record type → (typeOfResource, MARC genre term, the host's genre and issuance).
_SERIAL = ("periodical", "continuing")
_BOOK = ("book", "monographic")
GENRES: dict[RecordType, tuple[str, str, tuple[str, str] | None]] = {
    RecordType.ARTICLE: ("text", "article", _SERIAL),
    RecordType.ARTICLE_JOURNAL: ("text", "article", _SERIAL),
    RecordType.ARTICLE_MAGAZINE: ("text", "article", _SERIAL),
    RecordType.ARTICLE_NEWSPAPER: ("text", "article", ("newspaper", "continuing")),
    RecordType.REVIEW: ("text", "review", _SERIAL),
    RecordType.REVIEW_BOOK: ("text", "review", _SERIAL),
    RecordType.BOOK: ("text", "book", None),
    RecordType.CLASSIC: ("text", "book", None),
    RecordType.CHAPTER: ("text", "book", _BOOK),
    RecordType.ENTRY_ENCYCLOPEDIA: ("text", "encyclopedia", _BOOK),
    RecordType.ENTRY_DICTIONARY: ("text", "dictionary", _BOOK),
    RecordType.PAPER_CONFERENCE: ("text", "conference publication", ("conference publication", "monographic")),
    RecordType.REPORT: ("text", "technical report", None),
    RecordType.THESIS: ("text", "thesis", None),
    RecordType.DATASET: ("software, multimedia", "database", None),
    RecordType.SOFTWARE: ("software, multimedia", "computer program", None),
    RecordType.WEBPAGE: ("text", "web site", ("web site", "integrating resource")),
    RecordType.POST_WEBLOG: ("text", "web site", ("web site", "integrating resource")),
    RecordType.MAP: ("cartographic", "map", None),
    RecordType.PATENT: ("text", "patent", None),
    RecordType.LEGISLATION: ("text", "legislation", None),
    RecordType.LEGAL_CASE: ("text", "law report or digest", None),
    RecordType.MOTION_PICTURE: ("moving image", "motion picture", None),
    RecordType.BROADCAST: ("moving image", "videorecording", None),
    RecordType.SONG: ("sound recording", "sound", None),
    RecordType.MUSICAL_SCORE: ("notated music", "music", None),
    RecordType.GRAPHIC: ("still image", "picture", None),
    RecordType.PERIODICAL: ("text", "periodical", None),
    RecordType.MANUSCRIPT: ("text", "manuscript", None),
}
# Record name fields as MARC relator terms and codes.
_ROLES = (
    ("authors", "author", "aut"),
    ("editors", "editor", "edt"),
    ("translators", "translator", "trl"),
    ("compilers", "compiler", "com"),
    ("composers", "composer", "cmp"),
    ("contributors", "contributor", "ctb"),
    ("curators", "curator", "cur"),
    ("directors", "director", "drt"),
    ("hosts", "host", "hst"),
    ("illustrators", "illustrator", "ill"),
    ("interviewers", "interviewer", "ivr"),
    ("narrators", "narrator", "nrt"),
    ("organizers", "organizer", "orm"),
    ("performers", "performer", "prf"),
    ("producers", "producer", "pro"),
    ("recipients", "addressee", "rcp"),
    ("script_writers", "screenwriter", "aus"),
)
# Where a work sits in its host: each `detail` type and the field that gives its number.
_DETAILS = (
    ("volume", "volume"),
    ("issue", "issue"),
    ("chapter", "chapter_number"),
    ("section", "section"),
    ("part", "part_number"),
    ("supplement", "supplement_number"),
)


def export(records: Iterable[Record]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<modsCollection xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{NAMESPACE} {SCHEMA_LOCATION}">\n'
    )
    for record in records:
        element = mods(record)
        ET.indent(element, space="  ", level=1)
        # Unprefixed element names: the collection's default namespace applies to them.
        yield "  " + ET.tostring(element, encoding="unicode") + "\n"
    yield "</modsCollection>\n"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key.rstrip("_"): value for key, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _text(date: DateValue | LiteralDate) -> str:
    return date.edtf() if isinstance(date, DateValue) else date.text


def mods(record: Record) -> ET.Element:
    root = ET.Element("mods", {"version": "3.8"})
    if record.title:
        _add(_add(root, "titleInfo"), "title", record.title)
    if record.short_title:
        _add(_add(root, "titleInfo", type_="abbreviated"), "title", record.short_title)
    for field, role, code in _ROLES:
        for person in getattr(record, field):
            _name(root, person, role, code)
    resource, genre, host_genre = GENRES.get(record.type, ("text", "", None))
    _add(root, "typeOfResource", resource)
    if genre:
        _add(root, "genre", genre, authority="marcgt")
    if record.genre:
        _add(root, "genre", record.genre)

    origin = ET.Element("originInfo")
    if record.publisher_place:
        _add(_add(origin, "place"), "placeTerm", record.publisher_place, type_="text")
    if record.publisher:
        _add(origin, "publisher", record.publisher)
    if isinstance(record.issued, DateValue):
        _add(origin, "dateIssued", record.issued.edtf(), encoding="edtf", keyDate="yes")
    elif record.issued is not None:  # a date kept as the source wrote it, which MODS takes without an encoding
        _add(origin, "dateIssued", record.issued.text, keyDate="yes")
    if record.edition:
        _add(origin, "edition", record.edition)
    if host_genre is None and record.container is None and record.type is not RecordType.PERIODICAL:
        _add(origin, "issuance", "monographic")
    if len(origin):
        root.append(origin)

    if record.language:
        _add(_add(root, "language"), "languageTerm", record.language, type_="code", authority="rfc5646")
    if record.abstract:
        _add(root, "abstract", record.abstract)
    if record.note:
        _add(root, "note", record.note)
    for keyword in record.keywords:
        _add(_add(root, "subject"), "topic", keyword)

    if record.container is not None or record.event_title or record.collection_title:
        _host(root, record, host_genre)
    if record.original_title or record.original_authors or _has_original_origin(record):
        _original(root, record)
    if record.reviewed_title or record.reviewed_authors:
        reviewed = _add(root, "relatedItem", type_="reviewOf")
        if record.reviewed_title:
            _add(_add(reviewed, "titleInfo"), "title", record.reviewed_title)
        for person in record.reviewed_authors:
            _name(reviewed, person, "author", "aut")
    if record.container is None and (record.pages or any(getattr(record, field) for _, field in _DETAILS)):
        root.append(_part(record))
    if record.doi:
        _add(root, "identifier", record.doi, type_="doi")
    for isbn in all_of(record.isbn):
        _add(root, "identifier", isbn, type_="isbn")
    if record.pmid:
        _add(root, "identifier", record.pmid, type_="pmid")
    if record.pmcid:
        _add(root, "identifier", record.pmcid, type_="pmcid")
    if record.number:
        _add(root, "identifier", record.number, type_="local", displayLabel="number")
    if record.archive or record.call_number:
        location = _add(root, "location")
        if record.archive:
            _add(location, "physicalLocation", record.archive)
        if record.call_number:
            _add(location, "shelfLocator", record.call_number)
    for index, url in enumerate(all_of(record.url)):
        location = _add(root, "location")
        attributes = {"usage": "primary display"} if index == 0 else {}
        if record.accessed:
            attributes["dateLastAccessed"] = _text(record.accessed)
        _add(location, "url", url, **attributes)
    description = ET.Element("physicalDescription")
    if record.medium:
        _add(description, "form", record.medium)
    for text, unit in (
        (record.number_of_pages, "pages"),
        (record.number_of_volumes, "volumes"),
        (record.dimensions, None),
    ):
        if text:
            _add(description, "extent", text, **({"unit": unit} if unit else {}))
    if record.version:
        _add(description, "note", record.version, type_="version")
    if len(description):
        root.append(description)
    if record.license:
        _add(root, "accessCondition", record.license, type_="use and reproduction")
    if record.scale:
        _add(_add(_add(root, "subject"), "cartographics"), "scale", record.scale)
    # The citation key is the record's identifier here (an ID attribute would have to be a unique XML name).
    _add(_add(root, "recordInfo"), "recordIdentifier", citation_key(record))
    return root


# What `mods` writes of every record (see `unplaced_fields`).
_PLACED = {
    "id",
    "title",
    "short_title",
    "genre",
    "publisher_place",
    "publisher",
    "edition",
    "language",
    "abstract",
    "note",
    "keywords",
    "container",
    "container.short_title",
    "container.issn",
    "container.eissn",
    "event_title",
    "collection_title",
    *(field for field, _, _ in _ROLES),
    *(field for _, field in _DETAILS),
    "pages",
    "doi",
    "isbn",
    "pmid",
    "pmcid",
    "number",
    "url",
    "archive",
    "call_number",
    "medium",
    "number_of_pages",
    "number_of_volumes",
    "dimensions",
    "version",
    "license",
    "scale",
    "original_title",
    "original_authors",
    "original_publisher",
    "original_publisher_place",
    "reviewed_title",
    "reviewed_authors",
}


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its MODS record leaves out (see `placement.unplaced`)."""
    fields = set(_PLACED)
    if record.event_title:
        fields.add("event_place")  # the event's place, in the event's relatedItem
    if record.collection_title:
        fields.update(("collection_number", "collection_editors"))  # in the series' relatedItem
    if record.container is not None:
        fields.add("container_authors")  # in the host's relatedItem
    dates = {"issued": placement.WHOLE, "original_date": placement.WHOLE}
    if record.url:
        dates["accessed"] = placement.WHOLE  # MODS has an access date only on a URL
    placed = placement.Placed(
        fields=fields,
        dates=dates,
        person_parts=("orcid", "affiliation", "biography"),
        organisation_parts=("affiliation", "biography"),
    )
    return placement.unplaced(record, placed)


def _name(parent: ET.Element, person: Person, role: str, code: str) -> None:
    if person.literal:
        name = _add(parent, "name", type_="corporate")
        _add(name, "namePart", person.literal)
    else:
        name = _add(parent, "name", type_="personal")
        family = " ".join(part for part in (person.dropping_particle, person.particle, person.family) if part)
        _add(name, "namePart", family, type_="family")
        if person.given:
            _add(name, "namePart", person.given, type_="given")
        if person.suffix:
            _add(name, "namePart", person.suffix, type_="termsOfAddress")
        if person.orcid:
            _add(name, "nameIdentifier", f"https://orcid.org/{person.orcid}", type_="orcid")
    if person.affiliation:
        _add(name, "affiliation", person.affiliation)
    if person.biography:
        _add(name, "description", person.biography)
    role_element = _add(name, "role")
    _add(role_element, "roleTerm", role, type_="text", authority="marcrelator")
    _add(role_element, "roleTerm", code, type_="code", authority="marcrelator")


def _host(root: ET.Element, record: Record, host_genre: tuple[str, str] | None) -> None:
    if record.container is not None:
        host = _add(root, "relatedItem", type_="host")
        _add(_add(host, "titleInfo"), "title", record.container.title)
        if record.container.short_title:
            _add(_add(host, "titleInfo", type_="abbreviated"), "title", record.container.short_title)
        for person in record.container_authors:
            _name(host, person, "author", "aut")
        if host_genre is not None:
            _add(host, "genre", host_genre[0], authority="marcgt")
            _add(_add(host, "originInfo"), "issuance", host_genre[1])
        for issn in all_of(record.container.issn):
            _add(host, "identifier", issn, type_="issn", displayLabel="print")
        for eissn in all_of(record.container.eissn):
            _add(host, "identifier", eissn, type_="issn", displayLabel="electronic")
        host.append(_part(record))
    if record.event_title:
        event = _add(root, "relatedItem", type_="host", displayLabel="event")
        _add(_add(event, "titleInfo"), "title", record.event_title)
        if record.event_place:
            _add(_add(_add(event, "originInfo"), "place"), "placeTerm", record.event_place, type_="text")
    if record.collection_title:
        series = _add(root, "relatedItem", type_="series")
        _add(_add(series, "titleInfo"), "title", record.collection_title)
        for person in record.collection_editors:
            _name(series, person, "editor", "edt")
        if record.collection_number:
            _add(_add(series, "part"), "detail", type_="volume").append(_number(record.collection_number))


def _has_original_origin(record: Record) -> bool:
    return bool(record.original_publisher or record.original_publisher_place or record.original_date)


def _original(root: ET.Element, record: Record) -> None:
    """The original work of a translation or reprint: its title, authors, place, publisher and date."""
    original = _add(root, "relatedItem", type_="original")
    if record.original_title:
        _add(_add(original, "titleInfo"), "title", record.original_title)
    for person in record.original_authors:
        _name(original, person, "author", "aut")
    if _has_original_origin(record):
        origin = _add(original, "originInfo")
        if record.original_publisher_place:
            _add(_add(origin, "place"), "placeTerm", record.original_publisher_place, type_="text")
        if record.original_publisher:
            _add(origin, "publisher", record.original_publisher)
        if isinstance(record.original_date, DateValue):
            _add(origin, "dateIssued", record.original_date.edtf(), encoding="edtf")
        elif record.original_date is not None:
            _add(origin, "dateIssued", record.original_date.text)


def _part(record: Record) -> ET.Element:
    """Volume, issue, pages and date: where the work sits in its host, or in itself without one."""
    part = ET.Element("part")
    for kind, field in _DETAILS:
        value = getattr(record, field)
        if value:
            _add(_add(part, "detail", type_=kind), "number", value)
    if record.pages is not None:
        extent = _add(part, "extent", unit="pages")
        _add(extent, "start", record.pages.first)
        if record.pages.last:
            _add(extent, "end", record.pages.last)
    if isinstance(record.issued, DateValue):
        _add(part, "date", record.issued.edtf(), encoding="edtf")
    elif record.issued is not None:
        _add(part, "date", record.issued.text)
    return part


def _number(text: str) -> ET.Element:
    element = ET.Element("number")
    element.text = text
    return element
