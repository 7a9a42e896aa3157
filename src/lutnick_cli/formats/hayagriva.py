"""Hayagriva YAML: the bibliography format Typst reads, a mapping of citation key to entry.

Hayagriva nests what a work appears in: an article's journal, a chapter's
book, a paper's proceedings is its `parent`, with a title (and, for a
chapter, editors) of its own. Typst reads the DOI, ISBN and ISSN only from
the entry itself, so they go in the entry's `serial-number` mapping, never on
the parent.

Typst's traps, and how each is avoided:

* A name written as a string is split at every comma, a third part is not
  read as the suffix, and lower-case leading words become a `prefix`, which
  Typst drops behind the given name. A name whose parts hold a comma, starts
  in lower case, has a suffix or a dropping particle, or is a literal (an
  organisation) is written as a mapping (`name`, `given-name`, `prefix`,
  `suffix`); others as ‘Family, Given’. A particle that stays with the family
  name is written as part of it (‘van den Berg’).
* A date written as a mapping counts months from 0, so a date is always the
  string YYYY, YYYY-MM or YYYY-MM-DD.
* In a title and the other formattable strings `$` starts maths, braces keep
  case and `\\` escapes: each of these characters is backslash-escaped.

What Hayagriva has no field for (a date range, a second ISBN, an affiliation,
`other_fields`, …) is left out and named by `unplaced_fields`, which the
export command reports in one warning per record. YAML quoting is
`yaml_text`'s, so a volume ‘12’ stays text.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable, Iterator

from lutnick_cli.formats import yaml_text
from lutnick_cli.record import DateValue, Person, Record, RecordType, all_of

EXTENSION = ".yml"

# Each record type as a Hayagriva entry type, with the type of the parent its container becomes.
TYPES: dict[RecordType, tuple[str, str | None]] = {
    RecordType.ARTICLE: ("article", "periodical"),
    RecordType.ARTICLE_JOURNAL: ("article", "periodical"),
    RecordType.ARTICLE_MAGAZINE: ("article", "periodical"),
    RecordType.ARTICLE_NEWSPAPER: ("article", "newspaper"),
    RecordType.REVIEW: ("article", "periodical"),
    RecordType.REVIEW_BOOK: ("article", "periodical"),
    RecordType.POST_WEBLOG: ("article", "blog"),
    RecordType.POST: ("thread", "web"),
    RecordType.CHAPTER: ("chapter", "book"),
    RecordType.PAPER_CONFERENCE: ("article", "proceedings"),
    RecordType.ENTRY: ("entry", "reference"),
    RecordType.ENTRY_DICTIONARY: ("entry", "reference"),
    RecordType.ENTRY_ENCYCLOPEDIA: ("entry", "reference"),
    RecordType.BOOK: ("book", None),
    RecordType.CLASSIC: ("book", None),
    RecordType.COLLECTION: ("anthology", None),
    RecordType.PERIODICAL: ("periodical", None),
    RecordType.REPORT: ("report", None),
    RecordType.THESIS: ("thesis", None),
    RecordType.MANUSCRIPT: ("manuscript", None),
    RecordType.PATENT: ("patent", None),
    RecordType.LEGAL_CASE: ("case", None),
    RecordType.LEGISLATION: ("legislation", None),
    RecordType.BILL: ("legislation", None),
    RecordType.REGULATION: ("legislation", None),
    RecordType.WEBPAGE: ("web", "web"),
    RecordType.SOFTWARE: ("repository", None),
    RecordType.DATASET: ("repository", None),
    RecordType.MOTION_PICTURE: ("video", None),
    RecordType.BROADCAST: ("video", None),
    RecordType.SONG: ("audio", None),
    RecordType.GRAPHIC: ("artwork", None),
    RecordType.EVENT: ("conference", None),
}

# Types whose editors edited the parent (the book a chapter is in), not the entry.
_EDITED_PARENT = {"chapter", "entry"}

# Record name fields that Hayagriva holds as `affiliated` persons, with their role.
ROLES = {
    "translators": "translator",
    "compilers": "compiler",
    "composers": "composer",
    "contributors": "collaborator",
    "directors": "director",
    "executive_producers": "executive-producer",
    "illustrators": "illustrator",
    "narrators": "narrator",
    "organizers": "organizer",
    "performers": "cast-member",
    "producers": "producer",
    "script_writers": "writer",
}

# Record fields the export writes in full (the others it names in its warning when set).
_PLACED = {
    "id", "type", "title", "short_title", "authors", "editors", *ROLES, "container", "publisher",
    "publisher_place", "volume", "issue", "edition", "number_of_volumes", "number_of_pages", "pages",
    "issued", "accessed", "doi", "isbn", "pmid", "pmcid", "url", "language", "abstract", "note",
    "genre", "archive", "archive_location", "call_number",
}

# Person parts Hayagriva has no sub-field for.
_PERSON_EXTRAS = ("honorific", "affiliation", "orcid", "email", "biography")

_FORMATTING = re.compile(r"([\\${}])")


def escape(text: str) -> str:
    """Text that Hayagriva reads as exactly this text, with no maths, verbatim braces or escapes."""
    return _FORMATTING.sub(r"\\\1", text)


def export(records: Iterable[Record]) -> Iterator[str]:
    for record in records:
        yield yaml_text.dump({record.id: entry(record)})


def entry(record: Record) -> dict[str, Any]:
    """The record as one Hayagriva entry, its container nested as `parent`."""
    kind, parent_kind = TYPES.get(record.type, ("misc", None))
    result: dict[str, Any] = {"type": kind}
    if record.title:
        result["title"] = _title(record.title, record.short_title)
    if record.authors:
        result["author"] = [person(each) for each in record.authors]
    edits_parent = kind in _EDITED_PARENT and record.container is not None
    if record.editors and not edits_parent:
        result["editor"] = [person(each) for each in record.editors]
    affiliated = [
        {"role": role, "names": [person(each) for each in getattr(record, name)]}
        for name, role in ROLES.items()
        if getattr(record, name)
    ]
    if affiliated:
        result["affiliated"] = affiliated
    if (date := _date(record.issued)) is not None:
        result["date"] = date
    for key, value in (
        ("volume", record.volume),
        ("issue", record.issue),
        ("edition", record.edition),
        ("volume-total", record.number_of_volumes),
        ("page-total", record.number_of_pages),
    ):
        if value:
            result[key] = value
    if record.pages is not None:
        result["page-range"] = record.pages.text("-")
    serial = _serial_numbers(record)
    if serial:
        result["serial-number"] = serial
    if record.url:
        url = all_of(record.url)[0]
        accessed = _date(record.accessed)
        result["url"] = {"value": url, "date": accessed} if accessed is not None else url
    place = result
    if record.container is not None:
        parent: dict[str, Any] = {"type": parent_kind} if parent_kind else {}
        parent["title"] = _title(record.container.title, record.container.short_title)
        if edits_parent and record.editors:
            parent["editor"] = [person(each) for each in record.editors]
        result["parent"] = parent
        # The publisher published the journal or the book, so it is said of the parent.
        place = parent
    if record.publisher:
        place["publisher"] = escape(record.publisher)
    if record.publisher_place:
        place["location"] = escape(record.publisher_place)
    for key, value in (
        ("genre", record.genre),
        ("archive", record.archive),
        ("archive-location", record.archive_location),
        ("call-number", record.call_number),
        ("abstract", record.abstract),
        ("note", record.note),
    ):
        if value:
            result[key] = escape(value)
    if record.language:
        result["language"] = record.language
    return result


def person(who: Person) -> str | dict[str, str]:
    """‘Family, Given’ where Typst splits it back exactly; else the mapping form."""
    if who.literal:
        return {"name": who.literal}
    # Typst's `prefix` is a particle it drops before the family name (‘Berg, M. van den’), so a
    # particle that stays with the name (‘van den Berg’) is written as part of the name.
    family = " ".join(part for part in (who.particle, who.family) if part)
    plain = family and not who.dropping_particle and not who.suffix and not family[0].islower()
    if plain and not any("," in part for part in (family, who.given or "")):
        return f"{family}, {who.given}" if who.given else family
    # The string form's third part is not read as the suffix, so a suffix needs the mapping as well.
    mapping = {"name": family or who.given or ""}
    if family and who.given:
        mapping["given-name"] = who.given
    if who.dropping_particle:
        mapping["prefix"] = who.dropping_particle
    if who.suffix:
        mapping["suffix"] = who.suffix
    return mapping


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its Hayagriva entry leaves out, in field order."""
    names = [
        field.name
        for field in dataclasses.fields(record)
        if field.name not in _PLACED and field.name != "other_fields" and getattr(record, field.name)
    ]
    if isinstance(record.issued, DateValue) and _date(record.issued) != record.issued.edtf():
        names.append("issued (a range, season or approximate date: only its start is written)")
    elif record.issued is not None and _date(record.issued) is None:
        names.append("issued")
    if record.accessed is not None and (not record.url or _date(record.accessed) is None):
        names.append("accessed")
    container = record.container
    issns = (*all_of(container.issn), *all_of(container.eissn)) if container is not None else ()
    for name, values in (("isbn", all_of(record.isbn)), ("container.issn", issns), ("url", all_of(record.url))):
        if len(values) > 1:
            names.append(f"{name} (all but the first)")
    people = [who for name in ("authors", "editors", *ROLES) for who in getattr(record, name)]
    names += [f"person {extra}" for extra in _PERSON_EXTRAS if any(getattr(who, extra) for who in people)]
    names += [f"other_fields.{name}" for name in record.other_fields]
    return names


def _title(title: str, short: str | None) -> str | dict[str, str]:
    return {"value": escape(title), "shorthand": escape(short)} if short else escape(title)


def _date(date: Any) -> str | None:
    """The start of a date as YYYY[-MM[-DD]], or None for a date kept as given."""
    if not isinstance(date, DateValue):
        return None
    start = date.start
    if start.season is not None:
        return dataclasses.replace(start, season=None).edtf()
    return start.edtf()


def _serial_numbers(record: Record) -> dict[str, str]:
    container = record.container
    issn = (*all_of(container.issn), *all_of(container.eissn)) if container is not None else ()
    numbers = {
        "doi": record.doi,
        "isbn": all_of(record.isbn)[0] if record.isbn else None,
        "issn": issn[0] if issn else None,
        "pmid": record.pmid,
        "pmcid": record.pmcid,
    }
    return {key: value for key, value in numbers.items() if value}
