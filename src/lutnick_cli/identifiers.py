"""Syntax and check-digit rules for the identifiers a record carries.

Each checker returns the identifier in its canonical spelling, or raises
ValueError with a message fit to show the user. An identifier that has the
right shape but looks wrong (a wrong check digit, a shortDOI, an ftp:// URL)
raises `Doubtful`, which carries the value to keep as given.
"""

from __future__ import annotations

import re

class Doubtful(ValueError):
    """The identifier is understood but looks wrong: `value` is kept, and the message is a warning."""

    def __init__(self, message: str, value: str):
        super().__init__(message)
        self.value = value


_SHORT_DOI = re.compile(r"10/[A-Za-z0-9]+")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def doi(text: str) -> str:
    """A DOI without resolver prefix; DOIs are case-insensitive, so the case is kept as given."""
    value = text.strip()
    lowered = value.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix):]
            break
    if _SHORT_DOI.fullmatch(value):
        raise Doubtful(f"{text!r} is a shortDOI, an alias a resolver expands; kept as given", value)
    if not _DOI.fullmatch(value):
        raise ValueError(f"{text!r} is not a DOI (expected 10.<registrant>/<suffix>)")
    return value


def issn(text: str) -> str:
    """An ISSN as NNNN-NNNC, its check digit verified (ISO 3297)."""
    compact = text.strip().replace("-", "").upper()
    if not re.fullmatch(r"\d{7}[\dX]", compact):
        raise ValueError(f"{text!r} is not an ISSN (expected NNNN-NNNC)")
    total = sum(int(digit) * weight for digit, weight in zip(compact[:7], range(8, 1, -1)))
    expected = (11 - total % 11) % 11
    check = "X" if expected == 10 else str(expected)
    if compact[7] != check:
        raise Doubtful(f"ISSN {text!r} has a wrong check digit (expected {check}); kept as given", text.strip())
    return f"{compact[:4]}-{compact[4:]}"


def isbn(text: str) -> str:
    """An ISBN-10 or ISBN-13, check digit verified; hyphens are kept as the user wrote them."""
    value = text.strip()
    compact = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{9}[\dX]", compact):
        total = sum((10 - index) * (10 if char == "X" else int(char)) for index, char in enumerate(compact))
        if total % 11:
            raise Doubtful(f"ISBN {text!r} has a wrong check digit; kept as given", value)
        return value
    if re.fullmatch(r"97[89]\d{10}", compact):
        total = sum(int(char) * (3 if index % 2 else 1) for index, char in enumerate(compact))
        if total % 10:
            raise Doubtful(f"ISBN {text!r} has a wrong check digit; kept as given", value)
        return value
    raise ValueError(f"{text!r} is not an ISBN-10 or ISBN-13")


def orcid(text: str) -> str:
    """An ORCID iD as NNNN-NNNN-NNNN-NNNC, check digit verified (ISO 7064 MOD 11-2)."""
    value = text.strip()
    for prefix in ("https://orcid.org/", "http://orcid.org/"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    compact = value.replace("-", "").upper()
    if not re.fullmatch(r"\d{15}[\dX]", compact):
        raise ValueError(f"{text!r} is not an ORCID iD (expected NNNN-NNNN-NNNN-NNNC)")
    total = 0
    for digit in compact[:15]:
        total = (total + int(digit)) * 2
    expected = (12 - total % 11) % 11
    check = "X" if expected == 10 else str(expected)
    if compact[15] != check:
        raise Doubtful(f"ORCID iD {text!r} has a wrong check digit (expected {check}); kept as given", text.strip())
    return "-".join(compact[index:index + 4] for index in range(0, 16, 4))


def url(text: str) -> str:
    """An absolute http(s) URL with no white space; an ftp:// URL is kept with a warning."""
    value = text.strip()
    if re.fullmatch(r"ftp://[^\s/?#]+[^\s]*", value):
        raise Doubtful(f"{text!r} is an ftp:// URL, which browsers no longer open; kept as given", value)
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        raise ValueError(f"{text!r} is not an absolute http(s) URL")
    return value


# What separates several identifiers in one field: commas, semicolons, white space (not for URLs,
# which may hold commas and semicolons themselves).
_SEPARATORS = {"url": re.compile(r"\s+"), "other": re.compile(r"[\s,;]+")}


def several(text: str, kind: str) -> list[str]:
    """The pieces of a field that may hold several identifiers (‘0-201-13447-0, 978-3-16-148410-0’).

    Only for a field that is no identifier whole: ‘978 3 16 148410 0’ is one ISBN.
    """
    separator = _SEPARATORS["url" if kind == "url" else "other"]
    return [part for part in separator.split(text.strip()) if part]
