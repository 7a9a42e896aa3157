"""Record ⇄ CSL-JSON item, the lingua franca of citation engines.

Every record field is a CSL 1.0.2 variable, so the engine sees all of them.
Facts CSL has no variable for (a person's honorific, affiliation, ORCID iD,
e-mail and biography, and the record's other_fields) travel in the item's
`custom` object, which the CSL schema reserves for exactly that, so
YAML → CSL-JSON → YAML loses nothing.

Four variables of the specification are spelled otherwise, or missing, in
the CSL data schema of the same release: part-number and supplement-number
(the schema's `part` and `supplement`), license and editor-translator. Items
are written with the specification's names, which styles and engines use;
an item with one of them no longer validates against that schema. Both
spellings are read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from lutnick_cli import identifiers
from lutnick_cli.errors import Problem
from lutnick_cli.keys import citation_key
from lutnick_cli.record import (
    DATE_TYPE,
    DateValue,
    LiteralDate,
    PartialDate,
    Person,
    Record,
    Season,
    all_of,
    split_honorific,
)

# The record's fields are CSL's variables under readable names: a name variable's
# field is its plural, and `-` becomes `_`. The exceptions are spelled out.
_SPELLED = {"short_title": "title-short", "doi": "DOI", "isbn": "ISBN", "url": "URL", "pmid": "PMID", "pmcid": "PMCID"}
# CSL names archive_collection and archive_location with an underscore itself.
_UNDERSCORED = ("archive_collection", "archive_location")
# Record fields carried by CSL variables of another shape, handled one by one below.
_SHAPED = ("id", "type", "container", "pages", "keywords", "other_fields")


def _variable(field: str) -> str:
    return _SPELLED.get(field) or (field if field in _UNDERSCORED else field.replace("_", "-"))


NAME_VARIABLES = {spec.name: _variable(spec.name[:-1]) for spec in fields(Record) if spec.type == "tuple[Person, ...]"}
DATE_VARIABLES = {spec.name: _variable(spec.name) for spec in fields(Record) if spec.type == DATE_TYPE}
# Record field → CSL variable, for the fields that are plain text on both sides.
TEXT_VARIABLES = {
    spec.name: _variable(spec.name)
    for spec in fields(Record)
    if spec.name not in NAME_VARIABLES and spec.name not in DATE_VARIABLES and spec.name not in _SHAPED
}
# Other spellings of a variable met in CSL-JSON: CSL 1.0.1's `event`, the data schema's `part` and
# `supplement` (the specification's part-number and supplement-number), Zotero's `shortTitle`.
_ALIASES = {
    "event": "event-title",
    "part": "part-number",
    "supplement": "supplement-number",
    "shortTitle": "title-short",
}
_PERSON_EXTRAS = ("honorific", "affiliation", "orcid", "email", "biography")
_PERSON_EXTRAS_SET = frozenset(_PERSON_EXTRAS)
_SEASONS = {season: index for index, season in enumerate(Season, start=1)}
# `custom` keys lutnick writes itself; any other key of `custom` is a field kept in other_fields.
OWN_CUSTOM_KEYS = frozenset({*NAME_VARIABLES.values(), "eissn-only"})


def record_to_csl(record: Record) -> dict[str, Any]:
    """The CSL-JSON item for a record: valid against the official CSL data schema, but for the four variables above."""
    item: dict[str, Any] = {"id": record.id or citation_key(record), "type": record.type.value}
    custom: dict[str, Any] = {}
    # A record's own dictionary holds the fields it was given, the rest are the class's defaults
    # (see record._keyword_dataclass): only those given are read, in the order of the tables.
    given = record.__dict__
    shape = tuple(given)
    plan = _plans.get(shape)
    if plan is None:
        plan = _plan(given)
    names, texts, dates = plan
    for field, role in names:
        people = given[field]
        if people:
            item[role], extras = _names(people)
            if extras is not None:
                custom[role] = extras
    for field, variable in texts:
        value = given[field]
        if value is not None:
            item[variable] = value if isinstance(value, str) else _joined(field, value)
    if record.container is not None:
        item["container-title"] = record.container.title
        if record.container.short_title:
            item["container-title-short"] = record.container.short_title
        issns = all_of(record.container.issn) + all_of(record.container.eissn)
        if issns:
            item["ISSN"] = ", ".join(issns)
        if record.container.eissn and not record.container.issn:
            custom["eissn-only"] = True
    if record.pages is not None:
        item["page"] = record.pages.text("-")
    for field, variable in dates:
        value = given[field]
        if value is not None:
            item[variable] = _date(value)
    if record.keywords:
        item["keyword"] = ", ".join(record.keywords)
    for field, value in record.other_fields.items():
        custom.setdefault(field, value)
    if custom:
        item["custom"] = custom
    return item


Plan = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
# The fields to read for each set of fields records are given, by its keys in order: a batch has a few.
_plans: dict[tuple[str, ...], Plan] = {}
_PLANS_KEPT = 256


def _plan(given: dict[str, Any]) -> Plan:
    """The name, text and date fields among those given, each with its CSL variable, in the tables' order."""
    plan = (
        tuple((field, role) for field, role in NAME_VARIABLES.items() if field in given),
        tuple((field, variable) for field, variable in TEXT_VARIABLES.items() if field in given),
        tuple((field, variable) for field, variable in DATE_VARIABLES.items() if field in given),
    )
    if len(_plans) >= _PLANS_KEPT:
        _plans.clear()
    _plans[tuple(given)] = plan
    return plan


def _joined(field: str, values: tuple[str, ...]) -> str:
    """Several identifiers in CSL's one text variable: URLs apart by spaces, others by commas,
    as CSL-JSON writers do."""
    return (" " if field == "url" else ", ").join(values)


# Person field → CSL name part, in the order CSL-JSON writers give them.
_NAME_OUT = (
    ("family", "family"),
    ("given", "given"),
    ("particle", "non-dropping-particle"),
    ("dropping_particle", "dropping-particle"),
    ("suffix", "suffix"),
)


def _names(people: tuple[Person, ...]) -> tuple[list[dict[str, str]], list[dict[str, str]] | None]:
    """The people's CSL names, and the extras of each (`_person_extras`), or None where none has any."""
    names = []
    extras: list[dict[str, str]] | None = None
    for index, person in enumerate(people):
        given = person.__dict__
        # Most people are given a family and a given name and nothing else: written at once.
        if len(given) == 2 and given.get("family") and given.get("given"):
            names.append({"family": given["family"], "given": given["given"]})
            if extras is not None:
                extras.append({})
            continue
        names.append(_name(person))
        found = _person_extras(person)
        if extras is not None:
            extras.append(found)
        elif found:
            extras = [{} for _ in range(index)]
            extras.append(found)
    return names, extras


def _name(person: Person) -> dict[str, str]:
    # Read from the fields the person was given, as record_to_csl reads a record's.
    given = person.__dict__
    literal = given.get("literal")
    if literal:
        return {"literal": literal}
    name = {}
    for field, variable in _NAME_OUT:
        value = given.get(field)
        if value:
            name[variable] = value
    return name


def _person_extras(person: Person) -> dict[str, str]:
    given = person.__dict__
    if _PERSON_EXTRAS_SET.isdisjoint(given):  # most people: a name alone
        return {}
    return {field: given[field] for field in _PERSON_EXTRAS if given.get(field)}


def _date(date: DateValue | LiteralDate) -> dict[str, Any]:
    if isinstance(date, LiteralDate):
        return {"literal": date.text}
    parts = [date.start.parts()]
    if date.end is not None:
        parts.append(date.end.parts())
    value: dict[str, Any] = {"date-parts": parts}
    if date.start.season is not None:
        value["season"] = _SEASONS[date.start.season]
    if date.circa:
        value["circa"] = True
    return value


# --- CSL-JSON → record data -------------------------------------------------


def record_data_from_csl(item: dict[str, Any], warnings: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Plain data in the YAML record's shape, to be validated by `parse_record`.

    Values are passed through as found, so a wrong type is reported by the
    record's own validation rather than guessed at here. A key that is no
    CSL variable, at the top or in `custom`, is kept in `other_fields`, as
    is a key of a name that is no CSL name part and has no place in a
    person (see `_name_keys`). A list where CSL has text (as Crossref
    writes them) is read as below. Each field kept or read so is appended
    to `warnings` as (its place, message).
    """
    if not _ALIASES.keys().isdisjoint(item):
        # An old spelling is read as the variable unless the item also has the variable itself.
        item = {_ALIASES[key] if _ALIASES.get(key, key) not in item else key: value for key, value in item.items()}
    shape = _shapes.get(tuple(item)) or _shape(item)
    kept_lists: dict[str, str] = {}
    for key in shape.one_text:
        if isinstance(item[key], list):
            item = _lists_read(item, kept_lists, warnings if warnings is not None else [])
            shape = _shapes.get(tuple(item)) or _shape(item)
            break
    data: dict[str, Any] = {}
    if shape.id:
        data["id"] = str(item["id"])
    if shape.type:
        data["type"] = item["type"]
    custom: dict[str, Any] = item["custom"] if shape.custom and isinstance(item["custom"], dict) else {}
    other = dict(kept_lists)
    for key, field, kind in shape.fields:
        value = item[key]
        if kind is _TEXT:
            data[field] = value
        elif kind is _NAMES:
            if value:
                data[field] = _people_data(key, value, custom.get(key), other, warnings)
        elif kind is _DATE:
            data[field] = _edtf(value)
        elif _has_value(value):
            other[key] = _as_text(value)
    if shape.container and "container-title" not in item:
        # A journal's ISSN or short title with no journal named: the record's container needs a title,
        # so they are kept as given, as the RIS and Hayagriva readers keep them.
        for key in ("ISSN", "container-title-short", "journalAbbreviation"):
            if _has_value(item.get(key)):
                other[key] = _as_text(item[key])
                if warnings is not None:
                    warnings.append((key, "has no journal title (container-title) to belong to; kept in other_fields"))
    elif shape.container:
        container = {"title": item["container-title"]}
        short = item.get("container-title-short", item.get("journalAbbreviation"))
        if short is not None:
            container["short_title"] = short
        if isinstance(item.get("ISSN"), (str, list)):
            given = item["ISSN"] if isinstance(item["ISSN"], list) else [item["ISSN"]]
            issns = [part for text in given for part in text.replace(";", ",").replace(" ", ",").split(",") if part]
            # The first is the print ISSN, unless lutnick noted there is none; any more are kept with the e-ISSN.
            if not custom.get("eissn-only") and issns:
                container["issn"] = issns.pop(0)
            if issns:
                container["eissn"] = issns[0] if len(issns) == 1 else issns
        data["container"] = container
    if shape.page:
        data["pages"] = item["page"]
    if shape.isbn:
        isbn = item["ISBN"]
        if isinstance(isbn, str) and ("," in isbn or ";" in isbn):
            # CSL has one ISBN variable, so writers list several in it, as lutnick does: not a mistake here.
            data["isbn"] = identifiers.several(isbn, "isbn")
    if shape.keyword:
        if isinstance(item["keyword"], str):
            data["keywords"] = [word.strip() for word in item["keyword"].split(",") if word.strip()]
        elif isinstance(item["keyword"], list):
            data["keywords"] = item["keyword"]
    if custom:
        other.update(
            (key, _as_text(value)) for key, value in custom.items() if key not in OWN_CUSTOM_KEYS and _has_value(value)
        )
    if other:
        data["other_fields"] = other
    return data


class _Shape:
    """What reading an item with a given set of keys, in a given order, looks at: worked out once for each such set,
    since the items of a file have a few (as `record_to_csl` has its plans)."""

    __slots__ = ("one_text", "id", "type", "custom", "fields", "container", "page", "isbn", "keyword")

    def __init__(self, keys: tuple[str, ...]):
        # The keys that may hold a list where CSL has text.
        self.one_text = tuple(key for key in keys if key in _ONE_TEXT)
        self.id = "id" in keys
        self.type = "type" in keys
        self.custom = "custom" in keys
        # The keys read one by one, in the item's order: each with its record field and its kind.
        fields = []
        for key in keys:
            if key in _TEXT_FIELDS:
                fields.append((key, _TEXT_FIELDS[key], _TEXT))
            elif key in _NAME_FIELDS:
                fields.append((key, _NAME_FIELDS[key], _NAMES))
            elif key in _DATE_FIELDS:
                fields.append((key, _DATE_FIELDS[key], _DATE))
            elif key not in _KNOWN_KEYS:
                fields.append((key, key, _OTHER))
        self.fields = tuple(fields)
        self.container = not _CONTAINER_KEYS.isdisjoint(keys)
        self.page = "page" in keys
        self.isbn = "ISBN" in keys
        self.keyword = "keyword" in keys


_TEXT, _NAMES, _DATE, _OTHER = "text", "names", "date", "other"
# The keys the container is read from.
_CONTAINER_KEYS = frozenset({"container-title", "container-title-short", "journalAbbreviation", "ISSN"})
_shapes: dict[tuple[str, ...], _Shape] = {}
_SHAPES_KEPT = 256


def _shape(item: dict[str, Any]) -> _Shape:
    keys = tuple(item)
    if len(_shapes) >= _SHAPES_KEPT:
        _shapes.clear()
    shape = _shapes[keys] = _Shape(keys)
    return shape


# Variables CSL gives one text, which Crossref's CSL-JSON may give as a list; a list of keywords is
# what the record keeps anyway.
_ONE_TEXT = frozenset({*TEXT_VARIABLES.values(), "container-title", "container-title-short", "ISSN", "page", "keyword"})
# Those that may hold several identifiers, which the record keeps as a list.
_SEVERAL = frozenset({"ISSN", "ISBN", "URL"})


def _lists_read(item: dict[str, Any], kept: dict[str, str], warnings: list[tuple[str, str]]) -> dict[str, Any]:
    """The item with each list where CSL has text read as text: an empty list is no value; a list of texts
    is read as its first, the rest kept in `kept` (ISSNs, ISBNs, URLs and keywords stay a list); any other
    list is kept in `kept` as its JSON."""
    read: dict[str, Any] = {}
    for key, value in item.items():
        if not isinstance(value, list) or key not in _ONE_TEXT:
            read[key] = value
        elif not value:
            continue
        elif not all(isinstance(element, str) for element in value):
            kept[key] = json.dumps(value, ensure_ascii=False)
            warnings.append((key, "is a list where CSL has text: kept as its JSON in other_fields"))
        elif key == "keyword":
            read[key] = value  # the record's keywords are a list
        elif len(value) == 1:
            read[key] = value[0]
            warnings.append((key, "is a list where CSL has text: read as its one text"))
        elif key in _SEVERAL:
            read[key] = value
            warnings.append((key, f"is a list where CSL has text: read as {len(value)} {key}s"))
        else:
            read[key] = value[0]
            rest = value[1:]
            kept[key] = rest[0] if len(rest) == 1 else json.dumps(rest, ensure_ascii=False)
            warnings.append(
                (key, f"is a list where CSL has text: read as its first, {value[0]!r}; the rest kept in other_fields")
            )
    return read


def reading_warnings(found: list[tuple[str, str]], source: str, line: int, item: dict[str, Any]) -> list[Problem]:
    """The warnings `record_data_from_csl` found in an item, as Problems at the item's line."""
    if not found:  # the usual case, met once per item of a file
        return []
    record = str(item["id"]) if item.get("id") not in (None, "") else None
    return [Problem(source, variable, message, line, warning=True, record=record) for variable, message in found]


_TEXT_FIELDS = {variable: field for field, variable in TEXT_VARIABLES.items()}
_NAME_FIELDS = {variable: field for field, variable in NAME_VARIABLES.items()}
_DATE_FIELDS = {variable: field for field, variable in DATE_VARIABLES.items()}
# Keys of a CSL-JSON item read above; `journalAbbreviation` is Zotero's container-title-short.
_KNOWN_KEYS = frozenset(
    {
        "id",
        "type",
        "custom",
        "container-title",
        "container-title-short",
        "journalAbbreviation",
        "ISSN",
        "page",
        "keyword",
        *NAME_VARIABLES.values(),
        *TEXT_VARIABLES.values(),
        *DATE_VARIABLES.values(),
    }
)


def _people_data(
    variable: str, names: Any, extras: Any, other: dict[str, Any], warnings: list[tuple[str, str]] | None
) -> Any:
    """A name variable's people as record data, with the private facts lutnick keeps for them in `custom`.

    A name's keys beyond CSL's name parts are read by `_name_keys`, which keeps what it cannot place in `other`.
    """
    if not isinstance(names, list):
        return names
    if not isinstance(extras, list):  # private facts of another shape are ignored, not crashed on
        extras = ()
    people = []
    for index, name in enumerate(names):
        person = person_data(name, extras[index] if index < len(extras) else None)
        if isinstance(name, dict) and not name.keys() <= NAME_PARTS:
            _name_keys(f"{variable}.{index}", index, name, person, other, warnings if warnings is not None else [])
        people.append(person)
    return people


# A name's keys that carry a person's fact under another name: Crossref's ORCID (as a URL, which the record's
# validation reads) and affiliation.
_NAME_FACTS = {"ORCID": "orcid", "affiliation": "affiliation"}


# The parts of a name besides which Crossref's `name` would be a second name, not an organisation's.
_PERSONAL = frozenset({"family", "given", "literal"})


def _name_keys(
    where: str,
    index: int,
    name: dict[str, Any],
    person: dict[str, Any],
    other: dict[str, Any],
    warnings: list[tuple[str, str]],
) -> None:
    """Read the keys of a name that are no CSL name part, `where` being the name's place (`author.0`).

    Crossref's ORCID and affiliation go to the person's fields, and its `name` of an organisation is read
    as the literal name; Crossref's `sequence` says again where the name stands in the list, and is checked
    against it. Anything else is kept in `other` under its place (`author.0.authenticated-orcid`), as the
    Hayagriva reader keeps nested values: silently, as an item's own keys with no CSL home are, where it is
    only a fact with no place in a person (a second affiliation, Crossref's `authenticated-orcid`); with a
    warning naming it where it looks wrong (a sequence that disagrees with the order, an affiliation of no
    shape lutnick reads, a second name, a fact that differs from lutnick's own in `custom`).
    """

    def keep(path: str, value: Any, why: str | None = None) -> None:
        other[path] = _as_text(value)
        if why is not None:
            warnings.append((path, f"{why}; kept in other_fields"))

    for key, value in name.items():
        if key in NAME_PARTS or not _has_value(value):
            continue
        path = f"{where}.{key}"
        if key == "sequence":
            expected = "first" if index == 0 else "additional"
            if value != expected:
                keep(path, value, f"is {value!r}, but the name is number {index + 1} of the list")
        elif key == "affiliation" and isinstance(value, (list, dict)):
            # Crossref's list of affiliations, each {"name": ...}: a person has one, the first; the rest are
            # kept, each part under its place. A lone object is read as a list of one.
            for number, affiliation in enumerate(value if isinstance(value, list) else [value]):
                why: str | None = None  # a person has one affiliation, the first given: the rest are kept
                if number == 0 and isinstance(affiliation, dict) and isinstance(affiliation.get("name"), str):
                    _place(person, "affiliation", affiliation["name"], f"{path}.0.name", keep)
                    rest = {part: text for part, text in affiliation.items() if part != "name"}
                elif number == 0 and isinstance(affiliation, str):
                    _place(person, "affiliation", affiliation, f"{path}.0", keep)
                    continue
                else:
                    rest = affiliation if isinstance(affiliation, dict) else {"": affiliation}
                    if number == 0:
                        why = "is no affiliation lutnick reads (a text, or an object with a name)"
                for part, text in rest.items():
                    if _has_value(text):
                        keep(f"{path}.{number}" + (f".{part}" if part else ""), text, why)
        elif key in _NAME_FACTS:
            _place(person, _NAME_FACTS[key], value, path, keep)
        elif key == "name" and not _PERSONAL.intersection(name):
            person["literal"] = value  # Crossref's organisation ("GTEx Consortium"), CSL's literal name
        elif key == "name":
            keep(path, value, "is a second name beside the person's name")
        else:
            keep(path, value)


def _place(person: dict[str, Any], field: str, value: Any, path: str, keep: Callable[[str, Any, str], None]) -> None:
    """Give the person a field from a name's key, unless lutnick's own facts in `custom` gave it another."""
    if field not in person:
        person[field] = value
    elif _comparable(field, person[field]) != _comparable(field, value):
        keep(path, value, f"differs from the {field} in custom")


def _comparable(field: str, value: Any) -> Any:
    """A person's fact as compared with another: an ORCID iD as its digits, however it is written."""
    if field == "orcid" and isinstance(value, str):
        try:
            return identifiers.orcid(value)
        except ValueError:  # not an iD, or a wrong check digit: compared as written
            pass
    return value


def _has_value(value: Any) -> bool:
    # An empty list or mapping (Crossref's `subtitle: []`) holds nothing to keep.
    return value is not None and value != "" and value != [] and value != {}


def _as_text(value: Any) -> Any:
    """A value kept in other_fields: text as it is, numbers as their digits, anything else as its JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # Crossref's authenticated-orcid, on every author: its JSON, without json
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


# CSL name variable → person field, in the order the record lists a person's fields.
_NAME_PARTS = (
    ("family", "family"),
    ("given", "given"),
    ("non-dropping-particle", "particle"),
    ("dropping-particle", "dropping_particle"),
    ("suffix", "suffix"),
    ("literal", "literal"),
)


# The keys of a name read as its parts; any other is read by `_name_keys`.
NAME_PARTS = frozenset(variable for variable, _ in _NAME_PARTS)

# The parts of most names: such a name is read at once (see person_data).
_FAMILY_GIVEN = frozenset({"family", "given"})


# Dates recur across a batch: the EDTF text of each is worked out once, up to this many, then afresh.
_REMEMBERED = 8192


def person_data(name: Any, extras: dict[str, Any] | None) -> Any:
    """A CSL name's parts as a person's record data, with lutnick's own facts for it from `custom` (`extras`).

    A name that is no mapping is given back as it is, for validation to refuse.
    """
    if not isinstance(name, dict):
        return name
    person: dict[str, Any]
    if name.keys() <= _FAMILY_GIVEN:
        # The usual name, family and given alone: the same dictionary as the loop below makes, made at once.
        person = {"family": name["family"], "given": name["given"]} if len(name) == 2 else dict(name)
    else:
        person = {}
        for variable, field in _NAME_PARTS:
            if variable in name:
                person[field] = name[variable]
    given = person.get("given")
    if isinstance(given, str) and " " in given:  # one word is never split (see split_honorific)
        honorific, given = split_honorific(given)
        if honorific:
            person["honorific"] = honorific
            person["given"] = given
    if extras and isinstance(extras, dict):
        person.update({field: extras[field] for field in _PERSON_EXTRAS if field in extras})
    return person


def _edtf(value: Any) -> Any:
    """A CSL date object as the EDTF text the YAML record uses; other shapes pass through to validation."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return value
    parts = value.get("date-parts")
    if not parts:
        return value.get("raw", value.get("literal", value))
    if len(value) == 1 and parts.__class__ is list:
        # date-parts alone, the usual shape, and the same dates recur across a batch: each is read
        # once. The key holds what _partial_date reads of each part (its length and elements), and
        # elements equal as keys (2019, 2019.0) are the same number to int().
        try:
            key = tuple([tuple(part) for part in parts])
            text = _dates_seen.get(key)
        except TypeError:  # parts that are no lists of numbers: read below, for validation to refuse
            return _edtf_of_parts(parts, value)
        if text is None:
            text = _edtf_of_parts(parts, value)
            if text.__class__ is str:
                if len(_dates_seen) >= _REMEMBERED:
                    _dates_seen.clear()
                _dates_seen[key] = text
        return text
    return _edtf_of_parts(parts, value)


_dates_seen: dict[tuple[tuple[Any, ...], ...], Any] = {}


def _edtf_of_parts(parts: Any, value: dict[str, Any]) -> Any:
    """The EDTF text of a CSL date with `date-parts`, or the date-parts for validation to refuse."""
    try:
        dates = [_partial_date(part) for part in parts]
    except (TypeError, ValueError, OverflowError):  # date-parts of the wrong shape: validation refuses them
        return {"date-parts": parts}
    season = value.get("season")
    if season not in (None, "") and dates[0].month is None:
        try:
            dates[0] = PartialDate(dates[0].year, season=list(Season)[int(season) - 1])
        except (TypeError, ValueError, IndexError, OverflowError):
            pass  # not a season CSL knows: the date stands without one
    date = DateValue(dates[0], dates[1] if len(dates) > 1 else None, bool(value.get("circa")))
    return date.edtf()


def _partial_date(parts: list[Any]) -> PartialDate:
    """Year, month and day (the last two optional) of a CSL `date-parts` entry."""
    if not 1 <= len(parts) <= 3:
        raise ValueError("a date has a year, a month and a day at most")
    numbers = [int(part) for part in parts]
    month = numbers[1] if len(numbers) > 1 else None
    day = numbers[2] if len(numbers) > 2 else None
    return PartialDate(numbers[0], month, day)
