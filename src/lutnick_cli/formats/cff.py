"""CITATION.cff (Citation File Format 1.2.0): how to cite the work a repository holds.

CFF's top level describes software or a dataset; its `preferred-citation`
says what to cite instead, with a reference type of its own. For a journal
article that type is `article`, with `journal`, `issue`, `start` and `end`,
never `software`; every other record type maps to the nearest CFF type
(`book`, `report`, `thesis`, `conference-paper`, `data`, …, `generic` when
none fits). The top level repeats the title, authors, DOI, URL, abstract and
keywords, and says `type: dataset` only for a dataset (CFF's default is
software, the only other choice).

A CITATION.cff describes one work, so exporting several records is refused.
What CFF cannot hold is left out: honorifics, the region part of a language
tag (`languages` takes ISO 639 codes), and a date range or `~` (`year` and
`month` carry the start). An e-ISSN has no CFF field, so it is an identifier
of type `other` described as ‘e-ISSN’, and so are a PMID and the citation
key. What a record loses is named by `unplaced_fields`. YAML quoting is
PyYAML's safe dumper's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lutnick_cli.errors import LutnickError
from lutnick_cli.formats import placement, yaml_text
from lutnick_cli.record import DateValue, Person, Record, RecordType, all_of, date_year

EXTENSION = ".cff"

TYPES = {
    RecordType.ARTICLE: "article",
    RecordType.ARTICLE_JOURNAL: "article",
    RecordType.REVIEW: "article",
    RecordType.REVIEW_BOOK: "article",
    RecordType.ARTICLE_MAGAZINE: "magazine-article",
    RecordType.ARTICLE_NEWSPAPER: "newspaper-article",
    RecordType.BILL: "bill",
    RecordType.BOOK: "book",
    RecordType.CLASSIC: "historical-work",
    RecordType.COLLECTION: "edited-work",
    RecordType.DATASET: "data",
    RecordType.ENTRY_DICTIONARY: "dictionary",
    RecordType.ENTRY_ENCYCLOPEDIA: "encyclopedia",
    RecordType.EVENT: "conference",
    RecordType.GRAPHIC: "art",
    RecordType.HEARING: "hearing",
    RecordType.LEGAL_CASE: "legal-case",
    RecordType.LEGISLATION: "statute",
    RecordType.MANUSCRIPT: "unpublished",
    RecordType.MAP: "map",
    RecordType.MOTION_PICTURE: "film-broadcast",
    RecordType.BROADCAST: "film-broadcast",
    RecordType.MUSICAL_SCORE: "music",
    RecordType.PAMPHLET: "pamphlet",
    RecordType.PAPER_CONFERENCE: "conference-paper",
    RecordType.PATENT: "patent",
    RecordType.PERIODICAL: "serial",
    RecordType.PERSONAL_COMMUNICATION: "personal-communication",
    RecordType.POST_WEBLOG: "blog",
    RecordType.REGULATION: "legal-rule",
    RecordType.REPORT: "report",
    RecordType.SOFTWARE: "software",
    RecordType.SONG: "sound-recording",
    RecordType.STANDARD: "standard",
    RecordType.THESIS: "thesis",
    RecordType.WEBPAGE: "website",
}

_INSTITUTION_TYPES = {"report", "thesis"}


class OneWorkOnly(LutnickError):
    """A CITATION.cff describes exactly one work."""


def export(records: Iterable[Record]) -> Iterator[str]:
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        raise OneWorkOnly("CITATION.cff describes one work; there is no record to export")
    if next(iterator, None) is not None:
        raise OneWorkOnly("CITATION.cff describes one work; export one record at a time")
    yield yaml_text.dump(citation_file(first))


def citation_file(record: Record) -> dict[str, Any]:
    people = record.authors or record.editors
    if not people:
        raise OneWorkOnly("CITATION.cff needs at least one author (or editor) to name")
    if not record.title:
        raise OneWorkOnly("CITATION.cff needs the work's title, and the record has none")
    root: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this work, please cite it as below.",
        "title": record.title,
        "authors": [person_entry(person) for person in people],
    }
    if record.type is RecordType.DATASET:
        root["type"] = "dataset"
    if record.doi:
        root["doi"] = record.doi
    if record.url:
        root["url"] = all_of(record.url)[0]
    if record.abstract:
        root["abstract"] = record.abstract
    if record.keywords:
        root["keywords"] = list(record.keywords)
    if record.version:
        root["version"] = record.version
    root["preferred-citation"] = reference(record)
    return root


def reference(record: Record) -> dict[str, Any]:
    kind = TYPES.get(record.type, "generic")
    ref: dict[str, Any] = {"type": kind, "title": record.title}
    if record.short_title:
        ref["abbreviation"] = record.short_title
    ref["authors"] = [person_entry(person) for person in (record.authors or record.editors)]
    for key, people in (
        ("editors", record.editors if record.authors else ()),
        ("translators", record.translators),
        ("editors-series", record.collection_editors),
        ("recipients", record.recipients),
    ):
        if people:
            ref[key] = [person_entry(person) for person in people]
    if record.container is not None:
        ref["journal" if kind in _JOURNALS else "collection-title"] = record.container.title
    if record.collection_title:
        ref.setdefault("collection-title", record.collection_title)
    for key, value in (
        ("volume", record.volume),
        ("issue", record.issue),
        ("number", record.number or record.collection_number),
        ("edition", record.edition),
        ("number-volumes", record.number_of_volumes),
        ("version", record.version),
        ("volume-title", record.volume_title),
        ("section", record.section),
        ("pages", record.number_of_pages),  # CFF's `pages` is how many there are
        ("medium", record.medium),
        ("database", record.source),
    ):
        if value:
            ref[key] = value
    if record.pages is not None:
        ref["start"] = record.pages.first
        if record.pages.last:
            ref["end"] = record.pages.last
    if isinstance(record.issued, DateValue):
        start = record.issued.start
        if start.day is not None and record.issued.end is None and not record.issued.circa and start.year >= 1000:
            ref["date-published"] = start.edtf()
        ref["year"] = start.year
        if start.month is not None:
            ref["month"] = start.month
    elif record.issued is not None and date_year(record.issued) is not None:  # a date kept as given: its year
        ref["year"] = date_year(record.issued)
    accessed = _accessed(record)
    if accessed is not None:
        ref["date-accessed"] = accessed
    if record.doi:
        ref["doi"] = record.doi
    if _pmcid(record) is not None:
        ref["pmcid"] = record.pmcid
    # CITATION.cff has room for one ISSN, ISBN and URL each; the others go with the e-ISSN below.
    printed = all_of(record.container.issn) if record.container is not None else ()
    electronic = all_of(record.container.eissn) if record.container is not None else ()
    if printed or electronic:
        ref["issn"] = (printed or electronic)[0]
    if record.isbn:
        ref["isbn"] = all_of(record.isbn)[0]
    if record.url:
        ref["url"] = all_of(record.url)[0]
    if record.publisher:
        entity: dict[str, Any] = {"name": record.publisher}
        if record.publisher_place:
            entity["city"] = record.publisher_place
        ref["institution" if kind in _INSTITUTION_TYPES else "publisher"] = entity
    if record.event_title:
        conference: dict[str, Any] = {"name": record.event_title}
        if record.event_place:
            conference["location"] = record.event_place
        ref["conference"] = conference
    if record.genre:
        ref["thesis-type" if kind == "thesis" else "medium"] = record.genre
    if record.keywords:
        ref["keywords"] = list(record.keywords)
    if record.abstract:
        ref["abstract"] = record.abstract
    language = _language(record.language)
    if language:
        ref["languages"] = [language]
    if record.note:
        ref["notes"] = record.note
    others = [{"type": "other", "value": issn, "description": "ISSN"} for issn in printed[1:]]
    others += [{"type": "other", "value": issn, "description": "e-ISSN"} for issn in electronic[0 if printed else 1 :]]
    others += [{"type": "other", "value": isbn, "description": "ISBN"} for isbn in all_of(record.isbn)[1:]]
    others += [{"type": "url", "value": url} for url in all_of(record.url)[1:]]
    if record.pmid:
        others.append({"type": "other", "value": record.pmid, "description": "PMID"})
    if record.id:
        others.append({"type": "other", "value": record.id, "description": "citation key"})
    if others:
        ref["identifiers"] = others
    return ref


# What `citation_file` writes of every record (see `unplaced_fields`).
_PLACED = {
    "id",
    "title",
    "short_title",
    "authors",
    "editors",
    "translators",
    "collection_editors",
    "recipients",
    "volume_title",
    "section",
    "number_of_pages",
    "medium",
    "source",
    "pmid",
    "container",
    "container.issn",
    "container.eissn",
    "volume",
    "issue",
    "number",
    "edition",
    "number_of_volumes",
    "version",
    "pages",
    "doi",
    "isbn",
    "url",
    "publisher",
    "event_title",
    "genre",
    "keywords",
    "abstract",
    "note",
}
_JOURNALS = ("article", "magazine-article", "newspaper-article")


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its CITATION.cff leaves out (see `placement.unplaced`)."""
    kind = TYPES.get(record.type, "generic")
    fields = set(_PLACED)
    if record.container is None or kind in _JOURNALS:
        fields.add("collection_title")  # else `collection-title` is the container's
    if not record.number:
        fields.add("collection_number")  # CFF's one `number`
    if record.publisher:
        fields.add("publisher_place")  # the publisher's city
    if record.event_title:
        fields.add("event_place")  # the conference's location
    language = _language(record.language)
    if language:
        fields.add("language")
    if _pmcid(record) is not None:
        fields.add("pmcid")
    dates = {}
    if record.issued is not None and date_year(record.issued) is not None:
        dates["issued"] = placement.YEAR_AND_MONTH
    if _accessed(record) is not None:
        dates["accessed"] = placement.START
    placed = placement.Placed(
        fields=fields,
        dates=dates,
        person_parts=("affiliation", "orcid", "email"),
        organisation_parts=("orcid", "email"),
    )
    names = placement.unplaced(record, placed)
    if language and language != (record.language or "").lower():
        names.append("language (only its primary language subtag is written)")
    return names


def _language(tag: str | None) -> str | None:
    """The ISO 639 code CFF's `languages` takes: a language tag's primary subtag, if it is one."""
    primary = (tag or "").split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _pmcid(record: Record) -> str | None:
    """The PMCID, if it has the shape CFF's `pmcid` takes (PMC and seven digits)."""
    return record.pmcid if record.pmcid and re.fullmatch(r"PMC[0-9]{7}", record.pmcid) else None


def _accessed(record: Record) -> str | None:
    """The access date as CFF's `date-accessed`, a full date, if the record's has a day."""
    accessed = record.accessed
    if isinstance(accessed, DateValue) and accessed.start.day is not None and accessed.start.year >= 1000:
        return accessed.start.edtf()
    return None


def person_entry(person: Person) -> dict[str, str]:
    if person.literal:
        entry = {"name": person.literal}
    else:
        entry = {}
        if person.given:
            entry["given-names"] = person.given
        particle = " ".join(part for part in (person.dropping_particle, person.particle) if part)
        if particle:
            entry["name-particle"] = particle
        entry["family-names"] = person.family or ""
        if person.suffix:
            entry["name-suffix"] = person.suffix
    if person.affiliation and not person.literal:  # CFF's entity (an organisation) has no affiliation
        entry["affiliation"] = person.affiliation
    if person.orcid:
        entry["orcid"] = f"https://orcid.org/{person.orcid}"
    if person.email:
        entry["email"] = person.email
    return entry
