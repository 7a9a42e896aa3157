"""Rules on what a record lacks: fields its type or the chosen style needs.

(A page range running backwards is found by the loader, which keeps it as a
label with a warning; `run` reports that warning as L301.)"""

from __future__ import annotations

from collections.abc import Iterator

from lutnick_cli.record import Record, RecordType


def check(record: Record, style: str | None) -> Iterator[tuple[str, str, str]]:
    if record.type is RecordType.ARTICLE_JOURNAL and (record.container is None or not record.container.title):
        yield "L401", "container", "a journal article without its journal; give the journal's title"
    if record.type is RecordType.BOOK and not record.publisher:
        yield "L402", "publisher", "a book without its publisher; give the publisher"
    if record.type is RecordType.THESIS and not record.publisher:
        yield "L403", "publisher", "a thesis without its institution; give the university as publisher (BibTeX: school)"
    if style == "apa" and record.type is RecordType.ARTICLE_JOURNAL and not record.doi:
        yield (
            "L410",
            "doi",
            "APA 7 gives a journal article's DOI as https://doi.org/…; add the DOI if the article has one",
        )
