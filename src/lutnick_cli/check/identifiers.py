"""Identifier rules: syntax and check digits, and a DOI hiding in the URL field.

(The reader keeps a DOI that is none, and a shortDOI, with a warning; here a
DOI that is none is an error, and `run` reports the reader's shortDOI warning
as L101 too, as a warning.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import isbn, issn
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_2

from lutnick_cli import identifiers as lutnick_identifiers
from lutnick_cli.record import Record

Found = Iterator[tuple[str, str, str]]  # (rule id, field, message)

# arXiv since 2007: YYMM.NNNN (to 2014) or YYMM.NNNNN, version optional; before: archive(.SC)/YYMMNNN.
_ARXIV_NEW = re.compile(r"(\d{2})(\d{2})\.\d{4,5}(v\d+)?")
_ARXIV_OLD = re.compile(r"[a-z-]+(\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(v\d+)?")
_DOI_IN_URL = re.compile(r"(?:doi\.org/|\bdoi:\s*)(10\.\d{4,9}/\S+)", re.IGNORECASE)


def _all(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


def arxiv_id(record: Record) -> tuple[str, str] | None:
    """The record's arXiv id and the field it is in (BibTeX eprint, `arXiv:` number, an arxiv.org URL), if any."""
    eprint = record.other_fields.get("eprint")
    if eprint and (
        record.other_fields.get("archiveprefix", record.other_fields.get("eprinttype", "")).lower() == "arxiv"
    ):
        return eprint.strip(), "eprint"
    if record.number and record.number.lower().startswith("arxiv:"):
        return record.number[6:].strip(), "number"
    for url in _all(record.url):
        match = re.search(r"arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?$", url)
        if match:
            return match.group(1), "url"
    return None


def arxiv_year(identifier: str) -> int | None:
    """The year an arXiv id was issued in, or None when it is not one."""
    match = _ARXIV_NEW.fullmatch(identifier) or _ARXIV_OLD.fullmatch(identifier)
    if not match:
        return None
    year, month = (match.group(1), match.group(2)) if match.re is _ARXIV_NEW else (match.group(2), match.group(3))
    if not 1 <= int(month) <= 12:
        return None
    return 1900 + int(year) if int(year) >= 91 else 2000 + int(year)


def check(record: Record) -> Found:
    if record.doi is not None:
        try:
            lutnick_identifiers.doi(record.doi)
        except lutnick_identifiers.Doubtful:
            pass  # a shortDOI or a resolver's URL: the reader's warning says so
        except ValueError as error:
            yield "L101", "doi", str(error)
    for value in _all(record.isbn):
        try:
            isbn.validate(value)
        except ValidationError as error:
            yield "L102", "isbn", f"ISBN {value!r} is not valid ({_reason(error)}); check it against the book"
    if record.container is not None:
        for field, values in (("issn", record.container.issn), ("eissn", record.container.eissn)):
            for value in _all(values):
                try:
                    issn.validate(value)
                except ValidationError as error:
                    yield (
                        "L103",
                        f"container.{field}",
                        f"ISSN {value!r} is not valid ({_reason(error)}); an ISSN is NNNN-NNNC",
                    )
    for role, people in (("authors", record.authors), ("editors", record.editors)):
        for index, person in enumerate(people):
            if person.orcid and not _orcid_valid(person.orcid):
                yield (
                    "L104",
                    f"{role}.{index}.orcid",
                    (
                        f"ORCID iD {person.orcid!r} is not valid (malformed or wrong check digit); "
                        f"an ORCID iD is NNNN-NNNN-NNNN-NNNC"
                    ),
                )
    found = arxiv_id(record)
    if found and arxiv_year(found[0]) is None:
        yield "L105", found[1], f"{found[0]!r} is not an arXiv id; one is YYMM.NNNNN (2007 on) or archive/YYMMNNN"
    if record.pmid and not re.fullmatch(r"[1-9]\d{0,7}", record.pmid.strip()):
        yield "L106", "pmid", f"PMID {record.pmid!r} is not a PubMed id; one is 1 to 8 digits, without a leading zero"
    if record.pmcid and not re.fullmatch(r"PMC\d{1,9}", record.pmcid.strip()):
        yield "L107", "pmcid", f"PMCID {record.pmcid!r} is not a PubMed Central id; one is PMC followed by digits"
    if not record.doi:
        for url in _all(record.url):
            found_doi = doi_in_url(url)
            if found_doi:
                yield (
                    "L110",
                    "url",
                    f"the URL {url!r} holds the DOI {found_doi}; give it in the doi field, where styles print it",
                )
                break


def doi_in_url(text: str) -> str | None:
    """The DOI a URL (or a message quoting one) holds after doi.org/ or doi:, if any."""
    match = _DOI_IN_URL.search(text)
    return match.group(1).rstrip("'\"") if match else None


def _orcid_valid(value: str) -> bool:
    compact = value.strip().removeprefix("https://orcid.org/").removeprefix("http://orcid.org/").replace("-", "")
    return bool(re.fullmatch(r"\d{15}[\dX]", compact)) and mod_11_2.is_valid(compact)


def _reason(error: ValidationError) -> str:
    return str(error).rstrip(".").lower()
