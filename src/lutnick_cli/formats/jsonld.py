"""schema.org JSON-LD: a journal article is a ScholarlyArticle, other records the nearest schema.org type.

An article sits in a PublicationIssue (issueNumber) of a PublicationVolume
(volumeNumber) of a Periodical (name, issn: print and electronic), the
nesting schema.org documents for articles; pages are pageStart, pageEnd and
pagination. People carry familyName and givenName, with honorificPrefix and
honorificSuffix in their own properties (never in givenName), an ORCID iD as
the person's @id. The DOI is the work's @id (as a doi.org URL) and a
PropertyValue identifier. One record is a single JSON-LD object; several are
an @graph under one @context.

The JSON encoder does all escaping; `</` is also written `<\\/`, so the output
can be pasted into an HTML `<script type="application/ld+json">` element.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

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
    for field, role in (("authors", "author"), ("editors", "editor"), ("translators", "translator")):
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
    if record.number:
        identifiers.append({"@type": "PropertyValue", "propertyID": "number", "value": record.number})
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
    for key, value in (("bookEdition", record.edition), ("version", record.version), ("genre", record.genre)):
        if value:
            item[key] = value
    if record.event_title:
        event: dict[str, Any] = {"@type": "Event", "name": record.event_title}
        if record.event_place:
            event["location"] = record.event_place
        item["recordedAt"] = event
    if record.note:
        item["description"] = record.note
    return item


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
    return node
