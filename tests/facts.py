"""What a consumer must read back from an export: the facts of a record, as plain comparable values.

Each consumer test turns what the real program read into the same shape and
compares the two, so a field that is lost shows up as a difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lutnick_cli.load import iter_records
from lutnick_cli.record import Record

from conftest import ALL_RECORDS, record_arguments


@dataclass
class Facts:
    id: str
    title: str
    families: list[str]
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    date: tuple[int, ...] | None = None  # year, month, day as far as a plain date says; None without a date
    year: int | None = None
    doi: str | None = None
    issns: list[str] = field(default_factory=list)
    isbn: str | None = None
    url: str | None = None
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    publisher: str | None = None
    language: str | None = None


def facts(record: Record) -> Facts:
    container = record.container
    date = None
    year = None
    if record.issued is not None:
        year = record.issued.start.year
        if record.issued.start.season is None:
            date = tuple(record.issued.start.parts())
        else:
            date = (year,)
    return Facts(
        id=record.id or "",
        title=record.title,
        families=[person.literal or person.family or "" for person in record.authors],
        journal=container.title if container else None,
        volume=record.volume,
        issue=record.issue,
        first_page=record.pages.first if record.pages else None,
        last_page=record.pages.last if record.pages else None,
        date=date,
        year=year,
        doi=record.doi,
        issns=[issn for issn in (container.issn, container.eissn) if issn] if container else [],
        isbn=record.isbn,
        url=record.url,
        keywords=list(record.keywords),
        abstract=record.abstract,
        publisher=record.publisher,
        language=record.language,
    )


def load(name: str) -> Record:
    return next(iter(iter_records(record_arguments(name)))).record


RECORDS = {name: load(name) for name in ALL_RECORDS}


def exported(target: str, names: list[str] | None = None) -> str:
    """The export of the named records (all of them by default) in one file, as the CLI writes it."""
    from lutnick_cli.formats import exporter

    return "".join(exporter(target).export([RECORDS[name] for name in (names or ALL_RECORDS)]))


def plain(text: str) -> str:
    """Text with white space runs made single spaces, for comparing what programs re-wrap."""
    return re.sub(r"\s+", " ", text).strip()
