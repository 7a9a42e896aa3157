"""Hayagriva YAML: the bibliography format Typst reads, a mapping of citation key to entry; written and read.

Hayagriva nests what a work appears in: an article's journal, a chapter's
book, a paper's proceedings is its `parent`, with a title (and, for a
chapter, editors and authors) of its own; a series is the parent's parent, a
conference or an original work a parent of its own. Typst reads the DOI,
ISBN and ISSN only from the entry itself, so they go in the entry's
`serial-number` mapping, never on the parent; so does a report's number.

Typst's traps, and how each is avoided:

* A name written as a string is split at every comma (a third part is the
  suffix, before the given name), and lower-case leading words become a
  `prefix`, which Typst drops behind the given name. A name whose parts hold
  a comma, starts in lower case, has a suffix or a dropping particle, or is a
  literal (an organisation) is written as a mapping (`name`, `given-name`,
  `prefix`, `suffix`); others as ‘Family, Given’. A particle that stays with
  the family name is written as part of it (‘van den Berg’, ‘d’Alembert’).
* A date written as a mapping counts months from 0, so a date is always the
  string YYYY, YYYY-MM or YYYY-MM-DD (`~` before it when approximate).
* In a title and the other formattable strings `$` starts maths, braces keep
  case and `\\` escapes: each of these characters is backslash-escaped, and
  a word of mixed case is braced, as Typst's title case would lowercase it.

What Hayagriva has no field for (a date range, a second ISBN, an affiliation,
…) is left out and named by `unplaced_fields`, which the export command
reports in one warning per record. The other fields go where the reader
found them (`_other_fields`); those deeper in a parent are named too. YAML quoting is
`yaml_text`'s, so a volume ‘12’ stays text.

`read` goes the other way, placing each parent as Typst does (see below);
docs/typst.md has the whole mapping.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.formats import yaml_text
from lutnick_cli.record import DateValue, Person, Record, RecordType, all_of, split_honorific

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
    RecordType.REPORT: ("report", "book"),
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
    RecordType.PERFORMANCE: ("performance", None),
    RecordType.DOCUMENT: ("misc", None),
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
    "series_creators": "founder",
}

# Record fields the export writes in full (the others it names in its warning when set).
_PLACED = {
    "id",
    "type",
    "title",
    "short_title",
    "authors",
    "editors",
    *ROLES,
    "container",
    "publisher",
    "publisher_place",
    "volume",
    "issue",
    "edition",
    "number_of_volumes",
    "number_of_pages",
    "pages",
    "issued",
    "accessed",
    "doi",
    "isbn",
    "pmid",
    "pmcid",
    "url",
    "language",
    "abstract",
    "note",
    "genre",
    "archive",
    "archive_location",
    "call_number",
    "number",
    "version",
    "printing",
    "chapter_number",
    "dimensions",
    "authority",
    "original_title",
    "original_authors",
    "original_date",
    "original_publisher",
    "original_publisher_place",
}
# Record fields written in a parent only some entries have, each with the test for it (see below).
_SERIES = ("collection_title", "collection_number", "collection_editors")
_EVENT = ("event_title", "event_place", "event_date")

# Person parts Hayagriva has no sub-field for.
_PERSON_EXTRAS = ("honorific", "affiliation", "orcid", "email", "biography")

_FORMATTING = re.compile(r"([\\${}])")


def escape(text: str) -> str:
    """Text that Hayagriva reads as exactly this text, with no maths, verbatim braces or escapes.

    A word with a capital right after a small letter (‘PLoS’, ‘arXiv’, ‘TeXbook’)
    is braced, so its case is kept: Typst's title case, which APA applies to
    a journal's name, lowercases it (‘Plos’), where CSL leaves a word of
    mixed case as it is. Typst drops the space after a braced first word
    (‘PLoSMedicine’), so a first word is braced with the word after it.
    """
    escaped = _FORMATTING.sub(r"\\\1", text)
    words = re.split(r"(\s+)", escaped)
    if len(words) > 2 and _mixed_case(words[0]):
        words[:3] = ["{" + "".join(words[:3]) + "}"]
    return "".join("{" + word + "}" if _mixed_case(word) and not word.startswith("{") else word for word in words)


def _mixed_case(word: str) -> bool:
    """Whether a word has a capital right after a small letter (‘PLoS’; not ‘Anti-Trafficking’)."""
    return any(first.islower() and second.isupper() for first, second in zip(word, word[1:]))


def export(records: Iterable[Record]) -> Iterator[str]:
    for record in records:
        yield yaml_text.dump({record.id: entry(record)})


def entry(record: Record) -> dict[str, Any]:
    """The record as one Hayagriva entry, its container nested as `parent`, with the other fields it can hold."""
    result = _entry(record)
    for where, value in _other_fields(record, result).values():
        if where == ("parent",):
            parents = result.get("parent", [])
            parents = [parents] if isinstance(parents, dict) else parents
            result["parent"] = [*parents, value]
        elif len(where) == 2:
            result.setdefault(where[0], {})[where[1]] = value
        else:
            result[where[0]] = value
    return result


def _other_fields(record: Record, written: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], Any]]:
    """The other fields an entry (`written`, as made without them) holds, each by its name, with where it
    goes in the entry and its value.

    The Hayagriva reader keeps what a record has no field for under its path
    in the entry (‘alias’, ‘serial-number.arxiv’, ‘parent.1’), a structure as
    its JSON. Such a field goes back where it was, as it was: a key of the
    entry the entry does not have (Typst ignores a key it does not know), a
    serial number of a kind the entry does not have, or a whole parent. A
    field deeper in a parent is not written, as the export's parents need not
    be the file's.
    """
    placed: dict[str, tuple[tuple[str, ...], Any]] = {}
    for name, text in record.other_fields.items():
        path = name.split(".")
        value = _structure(text)
        if path[0] == "parent" and (len(path) == 1 or (len(path) == 2 and path[1].isdigit())):
            if isinstance(value, dict):
                placed[name] = (("parent",), value)
        elif len(path) == 1 and name not in written and name != "type":
            placed[name] = ((name,), value)
        elif len(path) == 2 and path[0] == "serial-number" and path[1] not in written.get("serial-number", {}):
            placed[name] = ((path[0], path[1]), value)
    return placed


def _structure(text: str) -> Any:
    """A kept value as the reader found it: a structure kept as its JSON, else the text."""
    if text[:1] not in ("{", "["):
        return text
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if _compact(value) == text else text


def _entry(record: Record) -> dict[str, Any]:
    """The record's own fields as one Hayagriva entry."""
    kind, parent_kind = TYPES.get(record.type, ("misc", None))
    result: dict[str, Any] = {"type": kind}
    if record.title:
        result["title"] = _title(record.title, record.short_title)
    if record.authors:
        result["author"] = [person(each) for each in record.authors]
    edits_parent = kind in _EDITED_PARENT and record.container is not None and parent_kind is not None
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
        ("volume-total", _typst_count(record.number_of_volumes)),
        ("page-total", _typst_count(record.number_of_pages)),
    ):
        if value:
            result[key] = value
    if record.chapter_number:
        result["chapter"] = record.chapter_number
    if record.pages is not None:
        result["page-range"] = record.pages.text("-")
    if record.dimensions:
        result["runtime"] = record.dimensions  # Typst's `runtime` is CSL's dimensions
    serial = _serial_numbers(record, parent_kind is not None)
    if serial:
        result["serial-number"] = serial
    if _typst_url(record):
        url = all_of(record.url)[0]
        accessed = _date(record.accessed)
        result["url"] = {"value": url, "date": accessed} if accessed is not None else url
    parents = []
    place = result
    if record.container is not None and parent_kind is not None:
        parent: dict[str, Any] = {"type": parent_kind}
        parent["title"] = _title(record.container.title, record.container.short_title)
        if record.container_authors:
            parent["author"] = [person(each) for each in record.container_authors]
        if edits_parent and record.editors:
            parent["editor"] = [person(each) for each in record.editors]
        parents.append(parent)
        # The publisher published the journal or the book, so it is said of the parent.
        place = parent
    # Typst takes the publisher's place from `publisher`; `location` is where an event took place.
    if record.publisher or record.publisher_place:
        publisher = {"name": record.publisher, "location": record.publisher_place}
        publisher = {key: escape(value) for key, value in publisher.items() if value}
        place["publisher"] = publisher if record.publisher_place else publisher["name"]
    if _series_of(record) is not None:
        series: dict[str, Any] = {"type": _series_of(record)}
        if record.collection_title:
            series["title"] = escape(record.collection_title)
        if record.collection_number:
            series["volume"] = record.collection_number
        if record.collection_editors:
            series["editor"] = [person(each) for each in record.collection_editors]
        # A series holds the book, or the book the entry is in: Typst looks for it there.
        (place if place is not result else result).setdefault("parent", []).append(series)
    if kind == "conference" and record.event_place:
        result["location"] = escape(record.event_place)
    elif _has_event(record):
        event: dict[str, Any] = {"type": "conference"}
        if record.event_title:
            event["title"] = escape(record.event_title)
        if record.event_place:
            event["location"] = escape(record.event_place)
        if (date := _date(record.event_date)) is not None:
            event["date"] = date
        parents.append(event)
    if any(
        (
            record.original_title,
            record.original_authors,
            record.original_date,
            record.original_publisher,
            record.original_publisher_place,
        )
    ):
        parents.append(_original(record))
    if parents:
        result.setdefault("parent", []).extend(parents)
    for container in [result, *parents]:
        if len(container.get("parent", ())) == 1:
            container["parent"] = container["parent"][0]
    for key, value in (
        # Hayagriva has no dataset type: a repository with the genre Dataset is one, in Typst's APA too.
        ("genre", record.genre or ("Dataset" if record.type is RecordType.DATASET else None)),
        ("archive", record.archive),
        ("archive-location", record.archive_location),
        ("call-number", record.call_number),
        ("abstract", record.abstract),
        ("note", record.note),
        ("organization", record.authority),
    ):
        if value:
            result[key] = escape(value)
    if record.language and _LANGUAGE_ID.fullmatch(record.language):
        result["language"] = record.language
    return result


# Typst refuses the whole file over one value it cannot parse: a URL without a scheme or with a
# space, a count of pages that is no number, a language tag Unicode's grammar does not allow.
# Such a value is left out, and named, instead.
_URL = re.compile(r"(?:https?|ftp)://[^\s/?#\[\]<>^|\\]+(?:[/?#]\S*)?")
_COUNT = re.compile(r"\D*\d+\D*")
_LANGUAGE_ID = re.compile(
    r"(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
)


def _typst_url(record: Record) -> bool:
    """Whether the record's (first) URL is one Typst reads."""
    return bool(record.url) and _URL.fullmatch(all_of(record.url)[0]) is not None


def _typst_count(value: str | None) -> str | None:
    """A number of pages or volumes, if Typst reads it as a number (‘340’, ‘xii, 340 p.’)."""
    return value if value and _COUNT.fullmatch(value) else None


def _original(record: Record) -> dict[str, Any]:
    """The original work of a translation or reprint, as the parent Typst reads CSL's original-* from."""
    original: dict[str, Any] = {"type": "original"}
    if record.original_title:
        original["title"] = escape(record.original_title)
    if record.original_authors:
        original["author"] = [person(each) for each in record.original_authors]
    if (date := _date(record.original_date)) is not None:
        original["date"] = date
    if record.original_publisher or record.original_publisher_place:
        publisher = {"name": record.original_publisher, "location": record.original_publisher_place}
        original["publisher"] = {key: escape(value) for key, value in publisher.items() if value}
    return original


def _series_of(record: Record) -> str | None:
    """The type of the parent a record's series is written as, or None where Typst would not find it there.

    Typst finds a series as a parent of the same type as the book, journal or
    proceedings it holds: the record itself, or its container.
    """
    if not (record.collection_title or record.collection_number or record.collection_editors):
        return None
    kind, parent_kind = TYPES.get(record.type, ("misc", None))
    holder = parent_kind if record.container is not None and parent_kind is not None else kind
    return holder if holder in _SERIES_HOLDERS else None


def _has_event(record: Record) -> bool:
    """Whether a record's event can be written as a conference parent that Typst will not take for its container.

    An article's container is the first of its parents in Typst's order book,
    proceedings, conference, periodical …: after a book or proceedings, or with
    no container at all (a talk), a conference is the event.
    """
    if not (record.event_title or record.event_place or record.event_date):
        return False
    kind, parent_kind = TYPES.get(record.type, ("misc", None))
    if kind == "conference":
        return False
    return kind != "article" or record.container is None or parent_kind in ("book", "proceedings")


def person(who: Person) -> str | dict[str, str]:
    """‘Family, Given’ where Typst splits it back exactly; else the mapping form."""
    if who.literal:
        return {"name": who.literal}
    # Typst's `prefix` is a particle it drops before the family name (‘Berg, M. van den’), so a
    # particle that stays with the name (‘van den Berg’) is written as part of the name.
    family = _with_particle(who)
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


def _with_particle(who: Person) -> str:
    """The family name with a particle that stays with it: ‘van den Berg’, and ‘d’Alembert’ with no space
    after a particle that ends in an apostrophe or a hyphen, as CSL joins them."""
    if not who.particle:
        return who.family or ""
    joint = "" if who.particle.endswith(("’", "'", "-")) else " "
    return f"{who.particle}{joint}{who.family or ''}"


def unplaced_fields(record: Record) -> list[str]:
    """The names of what the record holds and its Hayagriva entry leaves out, in field order."""
    placed = set(_PLACED)
    if _series_of(record) is not None:
        placed.update(_SERIES)
    if _has_event(record):
        placed.update(_EVENT)
    elif TYPES.get(record.type, ("misc",))[0] == "conference":
        placed.add("event_place")
    if not _typst_url(record):
        placed -= {"url", "accessed"}
    if record.language and not _LANGUAGE_ID.fullmatch(record.language):
        placed.discard("language")
    placed -= {name for name in ("number_of_volumes", "number_of_pages") if not _typst_count(getattr(record, name))}
    kind, parent_kind = TYPES.get(record.type, ("misc", None))
    if record.container is not None and parent_kind is None:
        placed.discard("container")  # Typst has no container for a book, a report, a thesis …
    elif record.container is not None:
        placed.add("container_authors")
    names = [
        field.name
        for field in dataclasses.fields(record)
        if field.name not in placed and field.name != "other_fields" and getattr(record, field.name)
    ]
    for name in ("issued", "accessed", "event_date", "original_date"):
        date = getattr(record, name)
        if name not in placed or date is None:
            continue
        if isinstance(date, DateValue) and date.end is not None:
            names.append(f"{name} (a range: only its start is written)")
        elif isinstance(date, DateValue) and date.start.season is not None:
            names.append(f"{name} (a season: only its year is written)")
        elif _date(date) is None:
            names.append(name)
    container = record.container if "container" in placed else None
    issns = all_of(container.issn) if container is not None else ()
    eissns = all_of(container.eissn) if container is not None else ()
    for name, values in (
        ("isbn", all_of(record.isbn)),
        ("container.issn", issns),
        ("container.eissn", eissns),
        ("url", all_of(record.url)),
    ):
        if len(values) > 1:
            names.append(f"{name} (all but the first)")
    people = [
        who
        for name in ("authors", "editors", *ROLES, "container_authors", *_SERIES[2:], "original_authors")
        if name in placed
        for who in getattr(record, name)
    ]
    names += [f"person {extra}" for extra in _PERSON_EXTRAS if any(getattr(who, extra) for who in people)]
    kept = _other_fields(record, _entry(record)) if record.other_fields else {}
    names += [f"other_fields.{name}" for name in record.other_fields if name not in kept]
    return names


def _title(title: str, short: str | None) -> str | dict[str, str]:
    return {"value": escape(title), "short": escape(short)} if short else escape(title)


def _date(date: Any) -> str | None:
    """The start of a date as [~]YYYY[-MM[-DD]] (`~` approximate), or None for a date kept as given.

    A season is left out: Typst prints one before the year (‘Summer/2020’),
    in the citation as well, where APA has the year alone.
    """
    if not isinstance(date, DateValue):
        return None
    start = date.start
    if start.season is not None:
        start = dataclasses.replace(start, season=None)
    return ("~" if date.circa else "") + start.edtf()


def _serial_numbers(record: Record, has_container: bool) -> dict[str, str]:
    container = record.container if has_container else None
    issn = all_of(container.issn) if container is not None else ()
    eissn = all_of(container.eissn) if container is not None else ()
    numbers = {
        "doi": record.doi,
        "isbn": all_of(record.isbn)[0] if record.isbn else None,
        # Typst reads `issn` alone: an electronic ISSN is written there when the journal has no print one.
        "issn": issn[0] if issn else eissn[0] if eissn else None,
        "eissn": eissn[0] if issn and eissn else None,
        "pmid": record.pmid,
        "pmcid": record.pmcid,
        "serial": record.number,
        "version": record.version,
        "printing": record.printing,
    }
    return {key: value for key, value in numbers.items() if value}


# --- reading ------------------------------------------------------------------------------------------
#
# Hayagriva is read into the record's shape as Typst reads it: a parent is the
# container, the event, the series or the original work by its type, as
# Hayagriva's CSL mapping places it. What has no field in the record (an alias,
# a time range, a parent of no such role) is kept in `other_fields` under the
# path it was written at, with a warning; it is never dropped.

# Each entry type's containers, in the order Typst looks for them among the parents.
_CONTAINERS = {
    "article": ("book", "proceedings", "conference", "periodical", "newspaper", "blog", "reference", "web"),
    "chapter": ("book", "anthology", "reference", "report"),
    "anthos": ("book", "anthology", "reference", "report"),
    "case": ("book", "anthology", "reference", "report"),
    "entry": ("reference", "book", "anthology"),
    "report": ("book", "anthology"),
    "web": ("web",),
    "scene": ("audio", "video", "performance", "artwork"),
    "post": ("thread", "blog", "web"),
    "thread": ("thread", "web", "blog"),
}
# Entry types whose series is a parent of their own type (or an anthology), as Typst finds a collection.
_SERIES_HOLDERS = {
    "anthology",
    "newspaper",
    "performance",
    "periodical",
    "proceedings",
    "book",
    "reference",
    "exhibition",
}
# A parent of these types is the event the work was given at.
_EVENTS = {"conference", "exhibition"}

# An article's record type by the type of its container.
_ARTICLES = {
    "periodical": RecordType.ARTICLE_JOURNAL,
    "newspaper": RecordType.ARTICLE_NEWSPAPER,
    "blog": RecordType.POST_WEBLOG,
    "proceedings": RecordType.PAPER_CONFERENCE,
    "conference": RecordType.PAPER_CONFERENCE,
    "reference": RecordType.ENTRY_ENCYCLOPEDIA,
    "web": RecordType.WEBPAGE,
}
# Every other entry type's record type: for each, the record type whose export it is (see TYPES).
READ_TYPES = {
    "article": RecordType.ARTICLE,
    "chapter": RecordType.CHAPTER,
    "anthos": RecordType.CHAPTER,
    "entry": RecordType.ENTRY,
    "report": RecordType.REPORT,
    "thesis": RecordType.THESIS,
    "web": RecordType.WEBPAGE,
    "scene": RecordType.MOTION_PICTURE,
    "artwork": RecordType.GRAPHIC,
    "patent": RecordType.PATENT,
    "case": RecordType.LEGAL_CASE,
    "newspaper": RecordType.PERIODICAL,
    "legislation": RecordType.LEGISLATION,
    "manuscript": RecordType.MANUSCRIPT,
    "original": RecordType.DOCUMENT,
    "post": RecordType.POST,
    "misc": RecordType.DOCUMENT,
    "performance": RecordType.PERFORMANCE,
    "periodical": RecordType.PERIODICAL,
    "proceedings": RecordType.BOOK,
    "book": RecordType.BOOK,
    "blog": RecordType.WEBPAGE,
    "reference": RecordType.BOOK,
    "conference": RecordType.EVENT,
    "anthology": RecordType.COLLECTION,
    "repository": RecordType.SOFTWARE,
    "thread": RecordType.POST,
    "video": RecordType.MOTION_PICTURE,
    "audio": RecordType.SONG,
    "exhibition": RecordType.EVENT,
}

# Roles, as Hayagriva spells them, with the record field each fills.
_ROLE_FIELDS = {role.replace("-", ""): name for name, role in ROLES.items()}

# Hayagriva's formattable strings: plain fields of the entry, with the record field each fills.
_TEXT_FIELDS = {
    "genre": "genre",
    "archive": "archive",
    "archive-location": "archive_location",
    "call-number": "call_number",
    "abstract": "abstract",
    "note": "note",
}
_NUMBER_FIELDS = {
    "volume": "volume",
    "issue": "issue",
    "edition": "edition",
    "chapter": "chapter_number",
    "volume-total": "number_of_volumes",
    "page-total": "number_of_pages",
}
_SERIALS = {
    "doi": "doi",
    "isbn": "isbn",
    "pmid": "pmid",
    "pmcid": "pmcid",
    "serial": "number",
    "version": "version",
    "printing": "printing",
}

# Typst's date mapping: months and days counted from 0, a season by CSL's number (1 spring … 4 winter).
_DATE_KEYS = ("year", "month", "day", "approximate", "season")
_DATE = re.compile(r"(~)?\s*([+-]?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def read(text: str, source: str) -> Iterator[tuple[Any, ...]]:
    """Each entry of a Hayagriva file, as record data with the line it starts on, its warnings, and
    where each of its fields was written.

    Each entry is built from the composed document on its own, so a large
    library is not one record to the YAML builder's limits, and an entry it
    refuses (a tag, a duplicate key) spoils that entry alone.
    """
    import yaml

    from lutnick_cli import yaml_nodes

    loader = yaml_nodes.RecordLoader(text)
    count = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if not isinstance(node, yaml.MappingNode):
                raise InvalidRecord(
                    [
                        Problem(
                            source,
                            "",
                            "a Hayagriva file is a mapping of citation keys to entries",
                            node.start_mark.line + 1,
                            node.start_mark.column + 1,
                        )
                    ]
                )
            positions = yaml_nodes.Positions()
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                count += 1
                line = key_node.start_mark.line + 1
                try:
                    key = yaml_nodes.NodeBuilder(loader, source, positions).build(key_node, ())
                    if not isinstance(key, (str, int)) or isinstance(key, bool):
                        raise InvalidRecord([Problem(source, "", "a citation key must be plain text", line)])
                    if key in seen:
                        raise InvalidRecord(
                            [
                                Problem(
                                    source,
                                    str(key),
                                    f"the citation key is given twice (first on line {seen[key]})",
                                    line,
                                    key_node.start_mark.column + 1,
                                )
                            ]
                        )
                    seen[key] = line
                    positions.key_marks[(key,)] = (line, key_node.start_mark.column + 1)
                    value = yaml_nodes.NodeBuilder(loader, source, positions).build(value_node, (key,))
                except InvalidRecord as error:
                    yield error, line
                    continue
                yield _Entry(source, positions, key).read(value)
    except yaml.YAMLError as error:
        raise yaml_nodes.syntax_problem(error, source) from None
    finally:
        loader.dispose()
    if count == 0:
        raise InvalidRecord([Problem(source, "", "no records in the file: it has no entries", 1)])


class _Refused(Exception):
    """A value that cannot be read: the entry is refused, at the value's place."""

    def __init__(self, path: tuple[Any, ...], message: str):
        self.path = path
        self.message = message


class _Entry:
    """One entry read into record data, with where each record field came from."""

    def __init__(self, source: str, positions: Any, key: Any):
        self.source = source
        self.positions = positions
        self.key = key
        self.data: dict[str, Any] = {"id": str(key)}
        self.places: dict[tuple[Any, ...], tuple[Any, ...]] = {("id",): (key,)}
        self.warnings: list[Problem] = []
        self.other: dict[str, str] = {}

    def read(self, value: Any) -> tuple[Any, ...]:
        line = self.positions.locate((self.key,), at_key=True)[0] or 1
        try:
            self._entry(value)
        except _Refused as refused:
            return InvalidRecord([self._problem(refused.path, refused.message)]), line
        container = self.data.get("container")
        if container is not None and "title" not in container:
            # A record's container needs a title: an ISSN with no journal named is kept aside.
            del self.data["container"]
            for name in ("issn", "eissn"):
                if name in container:
                    self._keep(
                        self.places.pop(("container", name)),
                        container[name],
                        "an ISSN with no titled journal to hold it",
                    )
        arxiv = self.other.get("serial-number.arxiv")
        if arxiv:
            # Kept as written, and giving the link (and, outside a journal, the number) as a BibTeX eprint does.
            where = (self.key, "serial-number", "arxiv")
            self._put("url", f"https://arxiv.org/abs/{arxiv}", where)
            if "container" not in self.data:
                self._put("number", f"arXiv:{arxiv}", where)
        if self.other:
            self.data["other_fields"] = self.other
        return self.data, line, self.warnings, self.locate

    def locate(self, path: tuple[Any, ...], at_key: bool = False) -> tuple[int | None, int | None]:
        """Where a field of the record was written in the file: its Hayagriva path's place."""
        for length in range(len(path), 0, -1):
            if path[:length] in self.places:
                return self.positions.locate(self.places[path[:length]], at_key)
        return self.positions.locate((self.key,), True)

    def _problem(self, path: tuple[Any, ...], message: str, warning: bool = False) -> Problem:
        line, column = self.positions.locate(path, at_key=len(path) == 1)  # an entry's problem: at its key
        field = ".".join(str(part) for part in path[1:])
        return Problem(self.source, field, message, line, column, record=str(self.key), warning=warning)

    def _warn(self, path: tuple[Any, ...], message: str) -> None:
        self.warnings.append(self._problem(path, message, warning=True))

    def _put(self, name: str, value: Any, path: tuple[Any, ...]) -> bool:
        """Set a record field from the value at `path`, unless the entry already set it."""
        if name in self.data:
            return False
        self.data[name] = value
        self.places[(name,)] = path
        return True

    def _keep(self, path: tuple[Any, ...], value: Any, why: str) -> None:
        """A value the record has no field for, kept in other_fields under its path, with a warning."""
        name = ".".join(str(part) for part in path[1:])
        self.other[name] = value if isinstance(value, str) else _compact(value)
        self._warn(path, f"{why}; kept in other_fields as {name!r}")

    # --- the entry and its parents

    def _entry(self, entry: Any) -> None:
        path = (self.key,)
        entry = _mapping(entry, path, "an entry")
        kind = _entry_type(entry, path, None)
        parents = self._parents(entry.get("parent"), path + ("parent",), kind)
        container = next(
            (
                (index, parent)
                for candidate in _CONTAINERS.get(kind, ())
                if candidate not in _EVENTS
                for index, parent in parents
                if parent["type"] == candidate
            ),
            None,
        )
        # An article given at a conference, with no proceedings, is still a conference paper.
        events = [parent["type"] for _, parent in parents if parent["type"] in _EVENTS]
        container_type = container[1]["type"] if container else (events[0] if events else "")
        record_type = _ARTICLES.get(container_type, READ_TYPES[kind]) if kind == "article" else READ_TYPES[kind]
        if kind == "repository" and str(entry.get("genre", "")).lower() == "dataset":
            record_type = RecordType.DATASET  # as the export writes one
            entry = {key: value for key, value in entry.items() if key != "genre"}
        self.data["type"] = record_type.value
        self.places[("type",)] = path + ("type",)
        for key, value in entry.items():
            if key not in ("type", "parent"):
                self._field(key, value, path + (key,), kind)
        for index, parent in parents:
            where = path + ("parent",) + ((index,) if index is not None else ())
            if container is not None and parent is container[1]:
                self._container(parent, where)
            elif parent["type"] in _EVENTS:
                self._event(parent, where)
            elif kind in _SERIES_HOLDERS and parent["type"] in (kind, "anthology"):
                self._series(parent, where)
            elif parent["type"] == "original":
                self._original(parent, where)
            else:
                self._keep(where, parent, f"a parent of type {parent['type']!r} has no place in a record")

    def _parents(self, value: Any, path: tuple[Any, ...], child: str) -> list[tuple[int | None, dict[str, Any]]]:
        if value is None:
            return []
        parents = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        result = []
        for index, parent in parents:
            where = path + ((index,) if index is not None else ())
            parent = dict(_mapping(parent, where, "a parent"))
            parent["type"] = _entry_type(parent, where, child)
            result.append((index, parent))
        return result

    def _container(self, parent: dict[str, Any], path: tuple[Any, ...]) -> None:
        container = self.data.setdefault("container", {})
        for key, value in parent.items():
            where = path + (key,)
            if key == "type":
                continue
            if key == "title":
                title, short = self._title(value, where)
                container["title"] = title
                self.places[("container", "title")] = where
                if short:
                    container["short_title"] = short
            elif key == "author":
                if not self._put("container_authors", self._people(value, where), where):
                    self._again(where, value)
            elif key == "editor":
                if not self._put("editors", self._people(value, where), where):
                    self._again(where, value)
            elif key == "serial-number" and isinstance(value, dict):
                for name, number in value.items():
                    if name in ("issn", "eissn"):
                        self._issn(name, number, where + (name,))
                    elif name == "isbn":
                        if not self._put("isbn", _text(number), where + (name,)):
                            self._again(where + (name,), number)
                    else:
                        self._keep(where + (name,), _text(number), "the serial number of a container has no field")
            elif key == "parent":
                for index, series in self._parents(value, where, parent["type"]):
                    at = where + ((index,) if index is not None else ())
                    if series["type"] in (parent["type"], "anthology"):
                        self._series(series, at)
                    else:
                        self._keep(at, series, f"a parent of type {series['type']!r} has no place in a record")
            elif key in ("publisher", "volume", "issue", "edition", "date", "url", "language"):
                self._field(key, value, where, parent["type"])
            else:
                self._keep(where, value, "the container's field has no place in a record")

    def _again(self, path: tuple[Any, ...], value: Any) -> None:
        self._keep(path, value, "given on the entry as well")

    def _event(self, parent: dict[str, Any], path: tuple[Any, ...]) -> None:
        for key, value in parent.items():
            where = path + (key,)
            if key == "type":
                continue
            if key == "title":
                if not self._put("event_title", self._title(value, where)[0], where):
                    self._again(where, value)
            elif key == "location":
                if not self._put("event_place", _formatted(value, where, self), where):
                    self._again(where, value)
            elif key == "date":
                if not self._put("event_date", self._date(value, where), where):
                    self._again(where, value)
            else:
                self._keep(where, value, "the event's field has no place in a record")

    def _series(self, parent: dict[str, Any], path: tuple[Any, ...]) -> None:
        for key, value in parent.items():
            where = path + (key,)
            if key == "type":
                continue
            if key == "title":
                if not self._put("collection_title", self._title(value, where)[0], where):
                    self._again(where, value)
            elif key == "volume":
                if not self._put("collection_number", _text(value), where):
                    self._again(where, value)
            elif key == "editor":
                if not self._put("collection_editors", self._people(value, where), where):
                    self._again(where, value)
            else:
                self._keep(where, value, "the series' field has no place in a record")

    def _original(self, parent: dict[str, Any], path: tuple[Any, ...]) -> None:
        for key, value in parent.items():
            where = path + (key,)
            if key == "type":
                continue
            if key == "title":
                if not self._put("original_title", self._title(value, where)[0], where):
                    self._again(where, value)
            elif key == "author":
                if not self._put("original_authors", self._people(value, where), where):
                    self._again(where, value)
            elif key == "date":
                if not self._put("original_date", self._date(value, where), where):
                    self._again(where, value)
            elif key == "publisher":
                name, place = self._publisher(value, where)
                if name:
                    self._put("original_publisher", name, where)
                if place:
                    self._put("original_publisher_place", place, where)
            else:
                self._keep(where, value, "the original's field has no place in a record")

    # --- fields

    def _field(self, key: Any, value: Any, where: tuple[Any, ...], kind: str) -> None:
        if value is None:
            return
        placed = True
        if key == "title":
            title, short = self._title(value, where)
            placed = self._put("title", title, where)
            if short:
                self._put("short_title", short, where)
        elif key in ("author", "editor"):
            placed = self._put(f"{key}s", self._people(value, where), where)
        elif key == "affiliated":
            self._affiliated(value, where)
        elif key == "date":
            placed = self._put("issued", self._date(value, where), where)
        elif key == "publisher":
            name, place = self._publisher(value, where)
            placed = all(
                [
                    self._put("publisher", name, where) if name else True,
                    self._put("publisher_place", place, where) if place else True,
                ]
            )
        elif key == "location":
            if kind in ("conference", "exhibition", "performance"):
                placed = self._put("event_place", _formatted(value, where, self), where)
            else:
                self._keep(where, value, "where the item is kept or took place has no field but for an event")
        elif key == "organization":
            placed = self._put("authority", _formatted(value, where, self), where)  # as Typst reads it
        elif key in _NUMBER_FIELDS:
            placed = self._put(_NUMBER_FIELDS[key], _text(value), where)
        elif key == "page-range":
            placed = self._put("pages", _text(value), where)
        elif key == "runtime":
            placed = self._put("dimensions", _text(value), where)
        elif key == "url":
            self._url(value, where)
        elif key == "serial-number":
            self._serial_numbers(value, where)
        elif key in ("doi", "isbn", "issn"):
            # Hayagriva before 0.4 had these fields of their own; Typst now reads them only in serial-number.
            self._warn(where, f"Typst reads a {key.upper()} only in serial-number; read from here all the same")
            self._serial_numbers({key: value}, where[:-1], where)
        elif key == "language":
            placed = self._put("language", _text(value), where)
        elif key in _TEXT_FIELDS:
            placed = self._put(_TEXT_FIELDS[key], _formatted(value, where, self), where)
        else:
            self._keep(where, value, "not a Hayagriva field (Typst ignores it)")
            return
        if not placed:
            self._again(where, value)

    def _title(self, value: Any, path: tuple[Any, ...]) -> tuple[str, str | None]:
        if isinstance(value, dict):
            short = value.get("short", value.get("shorthand"))
            for key in value:
                if key not in ("value", "short", "shorthand", "verbatim"):
                    self._keep(path + (key,), value[key], "a title's part with no place in a record")
            if "value" not in value:
                raise _Refused(path, "a title written as a mapping needs its `value`")
            title = _formatted(value, path, self)
            return title, _formatted(short, path + ("short",), self) if short is not None else None
        return _formatted(value, path, self), None

    def _publisher(self, value: Any, path: tuple[Any, ...]) -> tuple[str | None, str | None]:
        if isinstance(value, dict):
            for key in value:
                if key not in ("name", "location"):
                    self._keep(path + (key,), value[key], "a publisher's part with no place in a record")
            name = _formatted(value["name"], path + ("name",), self) if value.get("name") is not None else None
            place = (
                _formatted(value["location"], path + ("location",), self) if value.get("location") is not None else None
            )
            return name, place
        return _formatted(value, path, self), None

    def _people(self, value: Any, path: tuple[Any, ...]) -> list[dict[str, str]]:
        if isinstance(value, list):
            return [self._person(each, path + (index,)) for index, each in enumerate(value)]
        return [self._person(value, path)]

    def _person(self, value: Any, path: tuple[Any, ...]) -> dict[str, str]:
        if isinstance(value, dict):
            if value.get("name") in (None, ""):
                raise _Refused(path, "a person written as a mapping needs a `name`")
            for key in value:
                if key not in ("name", "given-name", "prefix", "suffix"):
                    self._keep(path + (key,), value[key], "a name's part with no place in a record")
            given = _text(value["given-name"]) if value.get("given-name") is not None else None
            if given is None and value.get("prefix") is None and value.get("suffix") is None:
                return {"literal": _text(value["name"])}  # an organisation: how the export writes one
            particle, family = _particle(_text(value["name"]), every_word=False)
            person = {"family": family, "particle": particle, "given": given}
            person["dropping_particle"] = _text(value["prefix"]) if value.get("prefix") is not None else None
            person["suffix"] = _text(value["suffix"]) if value.get("suffix") is not None else None
        elif isinstance(value, str):
            parts = [part.strip() for part in value.split(",")]
            if len(parts) > 3:
                raise _Refused(
                    path,
                    f"{value!r} has more than three parts: Typst reads ‘Family, Given’ or "
                    "‘Family, Suffix, Given’; write a name with commas as a mapping",
                )
            prefix, family = _particle(parts[0])
            person = {
                "family": family,
                "dropping_particle": prefix,
                "given": parts[-1] if len(parts) > 1 else None,
                "suffix": parts[1] if len(parts) == 3 else None,
            }
        else:
            raise _Refused(path, "a person is a name (‘Family, Given’) or a mapping with a `name`")
        if person.get("given"):
            honorific, given = split_honorific(person["given"])
            if honorific:
                person.update(honorific=honorific, given=given)
        if not person.get("family"):
            raise _Refused(path, "a person needs a family name")
        return {key: value for key, value in person.items() if value}

    def _affiliated(self, value: Any, path: tuple[Any, ...]) -> None:
        groups = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, group in groups:
            where = path + ((index,) if index is not None else ())
            group = _mapping(group, where, "an affiliated group (`role` and `names`)")
            role = str(group.get("role", "")).lower().replace("-", "").replace("_", "")
            if "names" not in group:
                raise _Refused(where, "an affiliated group needs its `names`")
            name = _ROLE_FIELDS.get(role)
            people = self._people(group["names"], where + ("names",))
            if name is None or not self._put(name, people, where + ("names",)):
                why = f"the role {group.get('role')!r} has no field in a record" if name is None else "given twice"
                self._keep(where, group, why)

    def _date(self, value: Any, path: tuple[Any, ...]) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, dict):
            for key in value:
                if key not in _DATE_KEYS:
                    raise _Refused(path + (key,), f"a date has no part {key!r} (it has {', '.join(_DATE_KEYS)})")
            year = value.get("year")
            if not isinstance(year, int):
                raise _Refused(path, "a date written as a mapping needs a numeric `year`")
            # Typst counts a mapping's months and days from 0: `month: 3` is April.
            parts = [_year(year)]
            season = value.get("season")
            if isinstance(value.get("month"), int):
                parts.append(f"{value['month'] + 1:02d}")
                if isinstance(value.get("day"), int):
                    parts.append(f"{value['day'] + 1:02d}")
            elif isinstance(season, int) and 1 <= season <= 4:
                parts.append(str(20 + season))
            return "-".join(parts) + ("~" if value.get("approximate") is True else "")
        if not isinstance(value, str):
            raise _Refused(path, "a date is YYYY, YYYY-MM or YYYY-MM-DD")
        match = _DATE.fullmatch(value.strip())
        if match is None:
            return value  # the record keeps it as given, with its warning
        circa, year, month, day = match.groups()
        parts = [_year(int(year))] + [f"{int(part):02d}" for part in (month, day) if part]
        return "-".join(parts) + ("~" if circa else "")

    def _issn(self, name: str, value: Any, path: tuple[Any, ...]) -> None:
        container = self.data.setdefault("container", {})
        if name in container:
            self._again(path, value)
            return
        container[name] = _text(value)
        self.places[("container", name)] = path

    def _url(self, value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key in value:
                if key not in ("value", "date"):
                    self._keep(path + (key,), value[key], "a URL's part with no place in a record")
            if value.get("value") is None:
                raise _Refused(path, "a URL written as a mapping needs its `value`")
            if not self._put("url", _text(value["value"]), path + ("value",)):
                self._again(path, value)
            if value.get("date") is not None:
                self._put("accessed", self._date(value["date"], path + ("date",)), path + ("date",))
        else:
            if not self._put("url", _text(value), path):
                self._again(path, value)

    def _serial_numbers(self, value: Any, path: tuple[Any, ...], place: tuple[Any, ...] | None = None) -> None:
        if not isinstance(value, dict):
            if not self._put("number", _text(value), path):
                self._again(path, value)
            return
        for key, number in value.items():
            where = place or path + (key,)
            if key in _SERIALS:
                if not self._put(_SERIALS[key], _text(number), where):
                    self._again(where, number)
            elif key in ("issn", "eissn"):
                # An ISSN is the journal's: Typst reads it on the entry, the record keeps it on the container.
                self._issn(key, number, where)
            elif key == "arxiv":
                self._keep(
                    where,
                    _text(number),
                    "an arXiv number has no field of its own; it gives the URL (and, outside a journal, the number)",
                )
            else:
                self._keep(where, _text(number), f"a serial number of the kind {key!r} has no field in a record")


def _year(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _mapping(value: Any, path: tuple[Any, ...], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Refused(path, f"{what} must be a mapping of fields, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {str: "text", list: "a list", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), "nothing" if value is None else type(value).__name__
    )


def _entry_type(entry: dict[str, Any], path: tuple[Any, ...], child: str | None) -> str:
    """The entry's type in lower case; a parent without one has its child's default parent type."""
    value = entry.get("type")
    if value is None:
        if child is None:
            raise _Refused(path, "an entry needs a `type`")
        return _DEFAULT_PARENTS.get(child, "misc")
    kind = str(value).lower()
    if kind not in READ_TYPES:
        from difflib import get_close_matches

        close = get_close_matches(kind, list(READ_TYPES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _Refused(path + ("type",), f"{value!r} is not a Hayagriva entry type{hint}")
    return kind


_DEFAULT_PARENTS = {
    "article": "periodical",
    "chapter": "book",
    "entry": "reference",
    "anthos": "anthology",
    "web": "web",
    "scene": "video",
    "artwork": "exhibition",
    "legislation": "anthology",
    "post": "post",
    "video": "video",
    "audio": "audio",
}


def _text(value: Any) -> Any:
    """A scalar as text (YAML reads `volume: 12` as a number); anything else as given, for the record to refuse."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _particle(name: Any, every_word: bool = True) -> tuple[str | None, Any]:
    """Lower-case words before a capitalised one split off a name: ‘van den Berg’ → (‘van den’, ‘Berg’).

    A name all in lower case is split before its last word, as Typst splits a
    name written as a string (`every_word`); a mapping's name is kept whole.
    """
    words = name.split() if isinstance(name, str) else []
    for index, word in enumerate(words):
        if not word[:1].islower():
            if index == 0:
                return None, name
            return " ".join(words[:index]), " ".join(words[index:])
        joined = _JOINED_PARTICLE.match(word)
        if joined is not None and word[joined.end()].isupper():  # ‘d’Alembert’, ‘al-Farabi’: a particle joined on
            return " ".join(words[:index] + [joined[1]]), " ".join([word[joined.end() :], *words[index + 1 :]])
    if every_word and len(words) > 1:
        return " ".join(words[:-1]), words[-1]
    return None, name


_JOINED_PARTICLE = re.compile(r"([^\W\d_]+[’'-])(?=\w)")


def _formatted(value: Any, path: tuple[Any, ...], entry: _Entry) -> Any:
    """A formattable string's text: escapes undone, case-keeping braces dropped, maths kept as written."""
    if isinstance(value, dict):
        if value.get("value") is None:
            raise _Refused(path, "a formattable string written as a mapping needs its `value`")
        if value.get("verbatim") is True:
            return _text(value["value"])
        value = value["value"]
    if not isinstance(value, str):
        return _text(value)
    if not any(char in value for char in "\\${}"):
        return value
    result = []
    depth = 0
    maths = written_maths = False
    position = 0
    while position < len(value):
        char = value[position]
        if char == "\\" and value[position + 1 : position + 2] in ("\\", "$", "{", "}") and position + 1 < len(value):
            result.append(value[position + 1])
            position += 2
            continue
        if char == "$":
            maths = not maths
            written_maths = True
            result.append(char)
        elif char == "{" and not maths:
            depth += 1
        elif char == "}" and not maths:
            if depth == 0:
                entry._warn(path, "a closing brace with no opening one (Typst refuses it); kept as given")
                result.append(char)
            else:
                depth -= 1
        else:
            result.append(char)
        position += 1
    text = "".join(result)
    if written_maths:
        entry._warn(path, "holds Typst maths ($…$), which a record cannot hold as maths; kept as written")
    return text


def _compact(value: Any) -> str:
    """A structured value kept as text: its JSON, which reads back as the same value."""
    import json

    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
