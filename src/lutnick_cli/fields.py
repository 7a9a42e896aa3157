"""Field paths into a record, as `lutnick get` takes them: doi, authors.0.family, container.title.

A path names a field of the YAML record and, below it, a field of a person
or of the container, a list index (from 0), a part of a date (year, month,
day) or of a page range (first, last), or the name of one of the fields
kept without a CSL home (other_fields.timestamp). A field name under a list
of people applies to each of them: authors.family is every author's family
name. Paths are checked against the model before any record is read.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from typing import Any

from lutnick_cli.errors import max_number_digits
from lutnick_cli.record import DATE_TYPE, RECORD_FIELDS, Container, DateValue, LiteralDate, PageRange, Person, Record

_PEOPLE = tuple(spec.name for spec in fields(Record) if spec.type == "tuple[Person, ...]")
_DATES = tuple(spec.name for spec in fields(Record) if spec.type == DATE_TYPE)
_LISTS = ("keywords", "isbn", "url")  # lists of text (an identifier field holds one value or several)
_PERSON_FIELDS = tuple(spec.name for spec in fields(Person))
_CONTAINER_FIELDS = tuple(spec.name for spec in fields(Container))
_DATE_PARTS = ("year", "month", "day")
_PAGE_PARTS = ("first", "last")


class UnknownField(ValueError):
    pass


def valid_fields() -> list[str]:
    """Every field, and the path forms below them, for telling a user what they may ask for.

    The forms below a list of people or a date are shown for the commonest
    (authors, editors, translators; issued, accessed): the others take the same.
    """
    names: list[str] = []
    for name in RECORD_FIELDS:
        names.append(name)
        if name in ("authors", "editors", "translators"):
            names.extend(f"{name}.N.{part}" for part in _PERSON_FIELDS[:2])
        elif name == "container":
            names.extend(f"container.{part}" for part in _CONTAINER_FIELDS)
        elif name in ("issued", "accessed"):
            names.append(f"{name}.year")
        elif name == "keywords":
            names.append("keywords.N")
        elif name == "other_fields":
            names.append("other_fields.NAME")
    return names


def _index(digits: str) -> int:
    # An index too long for Python to convert is past the end of any list, as a shorter large one is.
    return int(digits) if len(digits) <= max_number_digits() else sys.maxsize


def parse_path(text: str) -> tuple[str | int, ...]:
    """The path's parts, or UnknownField if the model has no such field."""
    parts: list[str | int] = [_index(part) if part.isdigit() else part for part in text.split(".")]
    head = parts[0]
    if head not in RECORD_FIELDS:
        raise UnknownField(text)
    rest = parts[1:]
    if head in _PEOPLE:
        if rest and isinstance(rest[0], int):
            rest = rest[1:]
        _expect(text, rest, _PERSON_FIELDS)
    elif head in _LISTS:
        if rest and isinstance(rest[0], int):
            rest = rest[1:]
        _expect(text, rest, ())
    elif head == "container":
        _expect(text, rest, _CONTAINER_FIELDS)
    elif head == "other_fields":
        if len(rest) > 1 or (rest and not isinstance(rest[0], str)):
            raise UnknownField(text)
    elif head in _DATES:
        _expect(text, rest, _DATE_PARTS)
    elif head == "pages":
        _expect(text, rest, _PAGE_PARTS)
    else:
        _expect(text, rest, ())
    return tuple(parts)


def _expect(text: str, rest: list[str | int], names: tuple[str, ...]) -> None:
    if not rest:
        return
    if len(rest) > 1 or rest[0] not in names:
        raise UnknownField(text)


def value_at(record: Record, path: tuple[str | int, ...]) -> Any:
    """The typed value at the path, None where the record has none."""
    value: Any = record
    for part in path:
        if value is None:
            return None
        if isinstance(part, int):
            if isinstance(value, str):  # one identifier where there could be several: it is the first
                value = (value,)
            value = value[part] if part < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, tuple):
            value = tuple(getattr(element, part) for element in value)
        elif isinstance(value, DateValue):
            value = getattr(value.start, part)
        elif isinstance(value, LiteralDate):  # kept as given: only a year can be told
            value = value.year() if part == "year" else None
        else:
            value = getattr(value, part)
    return value


def plain_values(value: Any) -> list[str]:
    """The value as lines of text: one for a single value, one per element of a list."""
    if isinstance(value, tuple):
        return [text for element in value for text in plain_values(element)]
    return [_plain(value)]


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Person):
        text = value.display_name()
    elif isinstance(value, Container):
        text = value.title
    elif isinstance(value, DateValue):
        text = value.edtf()
    elif isinstance(value, LiteralDate):
        text = value.text
    elif isinstance(value, dict):  # other_fields, one line each
        return "\n".join(f"{name}: {_plain(element)}" for name, element in value.items())
    elif isinstance(value, PageRange):
        text = value.text()
    elif hasattr(value, "value"):  # an enum
        text = str(value.value)
    else:
        text = str(value)
    return " ".join(text.split()) if ("\n" in text or "\t" in text) else text


def json_value(value: Any) -> Any:
    """The value as plain JSON data in the YAML record's shape."""
    from lutnick_cli.record import plain_data

    return None if value is None else plain_data(value)
