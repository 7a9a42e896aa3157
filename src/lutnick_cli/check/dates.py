"""Date rules: years in the future, a year an identifier contradicts.

(An impossible month is found by the readers, which keep the date as given
with a warning; `run` reports that warning as L202.)"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from lutnick_cli.check.identifiers import arxiv_id, arxiv_year
from lutnick_cli.record import DateValue, Record

# A DOI embeds a year "clearly" only as a whole dot- or slash-separated part
# followed by more (10.1016/j.cell.2019.03.012); digits run into others
# (10.14197/atr.201219129) say nothing.
_DOI_YEAR = re.compile(r"[./]((?:19|20)\d{2})[./]\S")


def check(record: Record, today: datetime.date) -> Iterator[tuple[str, str, str]]:
    issued = record.issued if isinstance(record.issued, DateValue) else None
    if issued is None:
        return
    year = issued.start.year
    if year > today.year:
        yield (
            "L201",
            "issued",
            f"the year {year} is in the future (it is {today.year}); give the year the work appeared",
        )
    found = arxiv_id(record)
    number = found[0] if found else None
    preprint_year = arxiv_year(number) if number else None
    if preprint_year is not None and year < preprint_year:
        yield (
            "L203",
            "issued",
            (f"the year {year} is before {preprint_year}, when arXiv id {number} was issued; check the year"),
        )
    doi_year = _doi_year(record.doi)
    if doi_year is not None and abs(year - doi_year) > 1:
        yield (
            "L203",
            "issued",
            f"the year {year} contradicts the year {doi_year} the DOI {record.doi} embeds; check the year",
        )


def _doi_year(doi: str | None) -> int | None:
    if not doi:
        return None
    match = _DOI_YEAR.search("/" + doi.partition("/")[2])
    return int(match.group(1)) if match else None
