"""What a record holds that an export leaves out: the names a format's `unplaced_fields` gives.

A format says what its writer places (`Placed`); `unplaced` turns that into
the names the export command reports in its warning, in one wording for
every format: a field by its name (`short_title`), a part of the container
(`container.eissn`; `container.title` when its title alone is left out), a
date written in part (`issued (a range: only its start is written)`), a part
of a person (`person orcid`) and an other field by its name
(`other_fields.timestamp`). The formats here write every value
of a list (ISBNs, URLs, ISSNs); Hayagriva, which writes the first, names the
rest in its own words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import NamedTuple

from lutnick_cli.record import DateValue, LiteralDate, Record

# The parts of a person beyond the name itself, in the order they are named.
PERSON_PARTS = ("honorific", "affiliation", "orcid", "email", "biography")
_PARTS = frozenset(PERSON_PARTS)
# The container's parts beyond its title.
CONTAINER_PARTS = ("short_title", "issn", "eissn")
# How much of a date a format writes.
WHOLE = "whole"  # EDTF or the text as given: nothing is lost
START = "start"  # the start with its month, day and season: a range's end and `~` are lost
YEAR_AND_MONTH = "year and month"  # as START, and a season and a date kept as given are written as their year


# Each field's place in the record's order, and the fields that hold people.
_ORDER = {spec.name: index for index, spec in enumerate(dataclasses.fields(Record))}
_PEOPLE = frozenset(spec.name for spec in dataclasses.fields(Record) if spec.type == "tuple[Person, ...]")


class Placed(NamedTuple):
    """What a writer places of one record.

    `fields` are the record's fields it writes (`container` for the
    container's title, `container.issn` for its part); `dates` how much of
    each date field it writes (a date not named here is not written);
    `person_parts` and `organisation_parts` what it writes of a person and
    of an organisation beyond the name; `other_fields` the other fields it
    writes; `in_part` the fields it writes in part, each with what of it is
    lost (`language`: `written as english, which reads back as en`).
    """

    fields: Collection[str]
    dates: dict[str, str]
    person_parts: Collection[str]
    organisation_parts: Collection[str] = ()
    other_fields: Collection[str] = ()
    in_part: dict[str, str] = {}


def unplaced(record: Record, placed: Placed) -> list[str]:
    """The names of what the record holds and the writer leaves out: the fields left out whole in
    field order, then the fields and dates written in part, the parts of people and the other fields."""
    names = []
    late = []  # what is written in part, named after the fields left out whole
    # A record holds the fields it was given (the others are the class's defaults): only those are looked at.
    given = sorted(vars(record), key=_ORDER.__getitem__)
    for name in given:
        value = getattr(record, name)
        if not value or name in ("type", "other_fields"):
            continue
        if name in placed.in_part:
            late.append(f"{name} ({placed.in_part[name]})")
        elif name in placed.dates:
            loss = _date_loss(value, placed.dates[name])
            if loss is not None:
                late.append(f"{name} ({loss})")
        elif name == "container":
            if "container" not in placed.fields:
                if not any(f"container.{part}" in placed.fields for part in CONTAINER_PARTS if getattr(value, part)):
                    names.append(name)
                    continue
                # Its title alone is left out: a periodical's entry may keep the ISSN it is the periodical's.
                names.append("container.title")
            for part in CONTAINER_PARTS:
                if getattr(value, part) and f"container.{part}" not in placed.fields:
                    names.append(f"container.{part}")
        elif name not in placed.fields:
            names.append(name)
    names += late
    lost: set[str] = set()
    for name in given:
        if name in _PEOPLE and name in placed.fields:
            for who in getattr(record, name):
                kept = placed.organisation_parts if who.literal else placed.person_parts
                # A person, too, holds only the parts it was given.
                lost.update(part for part in vars(who) if part in _PARTS and part not in kept and getattr(who, part))
    names += [f"person {part}" for part in PERSON_PARTS if part in lost]
    names += [f"other_fields.{name}" for name in record.other_fields if name not in placed.other_fields]
    return names


def _date_loss(date: DateValue | LiteralDate, how: str) -> str | None:
    """What of a date a writer leaves out, or None for nothing."""
    if how == WHOLE:
        return None
    if isinstance(date, LiteralDate):
        return "kept as given: only its year is written" if how == YEAR_AND_MONTH else None
    if date.end is not None:
        return "a range: only its start is written"
    if date.start.season is not None and how == YEAR_AND_MONTH:
        return "a season: only its year is written"
    if date.circa:
        return "approximate: written as exact"
    return None
