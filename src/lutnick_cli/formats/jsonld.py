"""schema.org JSON-LD: a journal article is a ScholarlyArticle, other records the nearest schema.org type.

An article sits in a PublicationIssue (issueNumber) of a PublicationVolume
(volumeNumber) of a Periodical (name, issn: print and electronic), the
nesting schema.org documents for articles; pages are pageStart, pageEnd and
pagination. People carry familyName and givenName, with honorificPrefix and
honorificSuffix in their own properties (never in givenName), an ORCID iD as
the person's @id. The DOI is the work's @id (as a doi.org URL) and a
PropertyValue identifier, as are PubMed ids, the number and the citation
key. One record is a single JSON-LD object; several are an @graph under one
@context. What a record loses (an access date, `other_fields`, …) is named
by `unplaced_fields`.

The JSON encoder does all escaping; `</` is also written `<\\/`, so the output
can be pasted into an HTML `<script type="application/ld+json">` element.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from lutnick_cli.formats import placement
from lutnick_cli.record import DateValue, Person, Record, RecordType, all_of

EXTENSION = ".jsonld"
CONTEXT = "https://schema.org"

TYPES = {
    RecordType.ARTICLE: "ScholarlyArticle",
    RecordType.ARTICLE_JOURNAL: "ScholarlyArticle",
    RecordType.ARTICLE_MAGAZINE: "Article",
    RecordType.ARTICLE_NEWSPAPER: "NewsArticle",
    RecordType.REVIEW: "Review",
    RecordType.REVIEW_BOOK: "Review",
    RecordType.BOOK: "Book",
    RecordType.CLASSIC: "Book",
    RecordType.COLLECTION: "Collection",
    RecordType.CHAPTER: "Chapter",
    RecordType.DATASET: "Dataset",
    RecordType.SOFTWARE: "SoftwareSourceCode",
    RecordType.REPORT: "Report",
    RecordType.THESIS: "Thesis",
    RecordType.WEBPAGE: "WebPage",
    RecordType.POST: "SocialMediaPosting",
    RecordType.POST_WEBLOG: "BlogPosting",
    RecordType.PAPER_CONFERENCE: "ScholarlyArticle",
    RecordType.MAP: "Map",
    RecordType.MOTION_PICTURE: "Movie",
    RecordType.BROADCAST: "BroadcastEvent",
    RecordType.MUSICAL_SCORE: "MusicComposition",
    RecordType.SONG: "MusicRecording",
    RecordType.GRAPHIC: "VisualArtwork",
    RecordType.FIGURE: "ImageObject",
    RecordType.LEGISLATION: "Legislation",
    RecordType.PERIODICAL: "Periodical",
    RecordType.MANUSCRIPT: "Manuscript",
    RecordType.EVENT: "Event",
    RecordType.SPEECH: "CreativeWork",
    RecordType.ENTRY_ENCYCLOPEDIA: "CreativeWork",
    RecordType.ENTRY_DICTIONARY: "DefinedTerm",
}
_ARTICLES = {"ScholarlyArticle", "Article", "NewsArticle", "Review"}
# Record name fields as the CreativeWork properties that hold them.
ROLES = (
    ("authors", "author"),
    ("editors", "editor"),
    ("translators", "translator"),
    ("contributors", "contributor"),
    ("illustrators", "illustrator"),
    ("directors", "director"),
    ("producers", "producer"),
    ("composers", "composer"),
)


def export(records: Iterable[Record]) -> Iterator[str]:
    iterator = iter(records)
    first = next(iterator, None)
    second = next(iterator, None)
    if first is None:
        yield _dumps({"@context": CONTEXT, "@graph": []}) + "\n"
        return
    if second is None:
        yield _dumps({"@context": CONTEXT, **node(first)}) + "\n"
        return
    yield '{\n  "@context": "https://schema.org",\n  "@graph": [\n'
    separator = ""
    for record in (first, second, *iterator):
        yield separator + "    " + _dumps(node(record)).replace("\n", "\n    ")
        separator = ",\n"
    yield "\n  ]\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("</", "<\\/")


def _one_or_list(values: tuple[str, ...]) -> str | list[str]:
    """A property's one value, or the list of its values, as JSON-LD writes either."""
    return values[0] if len(values) == 1 else list(values)


def node(record: Record) -> dict[str, Any]:
    kind = TYPES.get(record.type, "CreativeWork")
    item: dict[str, Any] = {"@type": kind}
    if record.doi:
        item["@id"] = f"https://doi.org/{record.doi}"
    if record.title:
        item["name"] = record.title
        if kind in _ARTICLES:
            item["headline"] = record.title
    if record.short_title:
        item["alternateName"] = record.short_title
    for field, role in ROLES:
        people = getattr(record, field)
        if people:
            item[role] = [person_node(person) for person in people]
    container = _container(record, kind)
    if container is not None:
        item["isPartOf"] = container
    if record.pages is not None:
        item["pageStart"] = record.pages.first
        if record.pages.last:
            item["pageEnd"] = record.pages.last
        item["pagination"] = record.pages.text("-")
    if record.issued is not None:
        # schema.org's dates are ISO 8601; a date kept as the source wrote it is given as written
        item["datePublished"] = record.issued.edtf() if isinstance(record.issued, DateValue) else record.issued.text
    if record.publisher:
        publisher: dict[str, Any] = {"@type": "Organization", "name": record.publisher}
        if record.publisher_place:
            publisher["location"] = record.publisher_place
        item["sourceOrganization" if kind in ("Report", "Thesis") else "publisher"] = publisher
    identifiers = []
    if record.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": record.doi})
    for name, value in (("PMID", record.pmid), ("PMCID", record.pmcid), ("number", record.number)):
        if value:
            identifiers.append({"@type": "PropertyValue", "propertyID": name, "value": value})
    if record.id:
        identifiers.append({"@type": "PropertyValue", "propertyID": "citation key", "value": record.id})
    if identifiers:
        item["identifier"] = identifiers
    if record.isbn:
        item["isbn"] = _one_or_list(all_of(record.isbn))
    if record.url:
        item["url"] = _one_or_list(all_of(record.url))
    if record.language:
        item["inLanguage"] = record.language
    if record.keywords:
        item["keywords"] = list(record.keywords)
    if record.abstract:
        item["abstract"] = record.abstract
    for key, value in (
        ("bookEdition", record.edition),
        ("version", record.version),
        ("genre", record.genre),
        ("numberOfPages", record.number_of_pages),
        ("license", record.license),
        ("creativeWorkStatus", record.status),
    ):
        if value:
            item[key] = value
    if record.original_title or record.original_authors or record.original_date or record.original_publisher:
        item["isBasedOn"] = _original(record)
    if kind == "Review" and (record.reviewed_title or record.reviewed_authors):
        reviewed: dict[str, Any] = {"@type": "CreativeWork"}
        if record.reviewed_title:
            reviewed["name"] = record.reviewed_title
        if record.reviewed_authors:
            reviewed["author"] = [person_node(person) for person in record.reviewed_authors]
        item["itemReviewed"] = reviewed
    if record.event_title:
        event: dict[str, Any] = {"@type": "Event", "name": record.event_title}
        if record.event_place:
            event["location"] = record.event_place
        item["recordedAt"] = event
    if record.note:
        item["description"] = record.note
    return item


def _original(record: Record) -> dict[str, Any]:
    """The original work of a translation or reprint, the work this one is based on."""
    original: dict[str, Any] = {"@type": "CreativeWork"}
    if record.original_title:
        original["name"] = record.original_title
    if record.original_authors:
        original["author"] = [person_node(person) for person in record.original_authors]
    if record.original_date is not None:
        date = record.original_date
        original["datePublished"] = date.edtf() if isinstance(date, DateValue) else date.text
    if record.original_publisher:
        publisher: dict[str, Any] = {"@type": "Organization", "name": record.original_publisher}
        if record.original_publisher_place:
            publisher["location"] = record.original_publisher_place
        original["publisher"] = publisher
    return original


def _container(record: Record, kind: str) -> dict[str, Any] | None:
    if record.container is None:
        if record.collection_title:
            series: dict[str, Any] = {"@type": "CreativeWorkSeries", "name": record.collection_title}
            if record.collection_number:
                series["position"] = record.collection_number
            return series
        return None
    if kind not in _ARTICLES:
        host_type = {"Chapter": "Book", "BlogPosting": "Blog", "WebPage": "WebSite"}.get(kind, "CreativeWork")
        host: dict[str, Any] = {"@type": host_type, "name": record.container.title}
        if record.volume:
            host["volumeNumber"] = record.volume
        return host
    periodical: dict[str, Any] = {"@type": "Periodical", "name": record.container.title}
    if record.container.short_title:
        periodical["alternateName"] = record.container.short_title
    issns = all_of(record.container.issn) + all_of(record.container.eissn)
    if issns:
        periodical["issn"] = _one_or_list(issns)
    if record.publisher:
        periodical["publisher"] = {"@type": "Organization", "name": record.publisher}
    host = periodical
    if record.volume:
        host = {"@type": "PublicationVolume", "volumeNumber": record.volume, "isPartOf": host}
    if record.issue:
        host = {"@type": "PublicationIssue", "issueNumber": record.issue, "isPartOf": host}
    return host


# What `node` writes of every record (see `unplaced_fields`).
_PLACED = {
    "id",
    "doi",
    "title",
    "short_title",
    *(field for field, _ in ROLES),
    "pages",
    "publisher",
    "number",
    "isbn",
    "url",
    "language",
    "keywords",
    "abstract",
    "edition",
    "version",
    "genre",
    "event_title",
    "note",
    "pmid",
    "pmcid",
    "number_of_pages",
    "license",
    "status",
    "original_title",
    "original_authors",
    "original_publisher",
}


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its schema.org node leaves out (see `placement.unplaced`)."""
    fields = set(_PLACED)
    if record.publisher:
        fields.add("publisher_place")  # the publisher's location
    if record.event_title:
        fields.add("event_place")  # the event's location
    if record.original_publisher:
        fields.add("original_publisher_place")  # the original publisher's location
    kind = TYPES.get(record.type, "CreativeWork")
    if kind == "Review":
        fields.update(("reviewed_title", "reviewed_authors"))  # the item reviewed
    if record.container is None:
        fields.update(("collection_title", "collection_number") if record.collection_title else ())
    elif kind in _ARTICLES:
        # The periodical, its volume and its issue.
        fields.update(("container", "container.short_title", "container.issn", "container.eissn", "volume", "issue"))
    else:
        fields.update(("container", "volume"))  # the host and its volume
    placed = placement.Placed(
        fields=fields,
        dates={"issued": placement.WHOLE, "original_date": placement.WHOLE},
        person_parts=("orcid", "honorific", "affiliation", "email", "biography"),
        organisation_parts=("affiliation", "email", "biography"),
    )
    return placement.unplaced(record, placed)


def person_node(person: Person) -> dict[str, Any]:
    if person.literal:
        node: dict[str, Any] = {"@type": "Organization", "name": person.literal}
    else:
        node = {"@type": "Person"}
        if person.orcid:
            node["@id"] = f"https://orcid.org/{person.orcid}"
        node["name"] = person.display_name()
        if person.given:
            node["givenName"] = person.given
        family = " ".join(part for part in (person.dropping_particle, person.particle, person.family) if part)
        node["familyName"] = family
        if person.honorific:
            node["honorificPrefix"] = person.honorific
        if person.suffix:
            node["honorificSuffix"] = person.suffix
    if person.affiliation:
        node["affiliation"] = {"@type": "Organization", "name": person.affiliation}
    if person.email:
        node["email"] = person.email
    if person.biography:
        node["description"] = person.biography
    return node
