"""Syntax and check-digit rules for the identifiers a record carries.

Each checker returns the identifier in its canonical spelling, or raises
ValueError with a message fit to show the user. An identifier that has the
right shape but looks wrong (a wrong check digit, a shortDOI, an ftp:// URL,
a DOI written as a resolver's address) raises `Doubtful`, which carries the
value to keep.
"""

from __future__ import annotations

import re

from lutnick_cli.patterns import compiled_when_used


class Doubtful(ValueError):
    """The identifier is understood but looks wrong: `value` is kept, and the message is a warning."""

    def __init__(self, message: str, value: str):
        super().__init__(message)
        self.value = value


_SHORT_DOI = compiled_when_used(r"10/[A-Za-z0-9]+")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
# A DOI behind any resolver (doi.org, dx.doi.org, a publisher's own such as doi.acm.org) or the doi: scheme.
_DOI_RESOLVED = compiled_when_used(r"(?:doi:\s*|https?://[^/\s]+/)(10\.\d{4,9}/\S+|10/[A-Za-z0-9]+)", re.IGNORECASE)


def doi(text: str) -> str:
    """A DOI without resolver prefix; DOIs are case-insensitive, so the case is kept as given."""
    value = text.strip()
    # Most DOIs start 10., so are neither behind a resolver (doi: or http) nor a shortDOI (10/).
    usual = value.startswith("10.")
    resolved = None if usual else _DOI_RESOLVED.fullmatch(value)
    if resolved:
        value = resolved.group(1)
    if not usual and _SHORT_DOI.fullmatch(value):
        raise Doubtful(f"{text!r} is a shortDOI, an alias a resolver expands; kept as given", value)
    if not _DOI.fullmatch(value):
        raise ValueError(f"{text!r} is not a DOI (expected 10.<registrant>/<suffix>)")
    if resolved:
        raise Doubtful(f"{text!r} is a DOI written with its resolver; read as {value!r}", value)
    return value


def doi_in_url(text: str) -> str | None:
    """The DOI a resolver's URL (https://dx.doi.org/10.1002/ar.25520) points at, or None for any other URL."""
    resolved = _DOI_RESOLVED.fullmatch(text.strip())
    if resolved is None or not text.strip().lower().startswith("http"):
        return None
    host = text.strip().split("/")[2].lower()
    if host not in ("doi.org", "dx.doi.org", "www.doi.org") or not _DOI.fullmatch(resolved.group(1)):
        return None
    return resolved.group(1)


def looks_like_issn(text: str) -> bool:
    """Whether text has an ISSN's shape (NNNN-NNNC), as Mendeley writes a journal's ISSN in an isbn field."""
    return re.fullmatch(r"\d{4}-\d{3}[\dXx]", text.strip()) is not None


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
            value = value[len(prefix) :]
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
    return "-".join(compact[index : index + 4] for index in range(0, 16, 4))


def url(text: str) -> str:
    """An absolute http(s) URL with no white space; an ftp:// URL is kept with a warning."""
    value = text.strip()
    if re.fullmatch(r"ftp://[^\s/?#]+[^\s]*", value):
        raise Doubtful(f"{text!r} is an ftp:// URL, which browsers no longer open; kept as given", value)
    if re.fullmatch(r"//[^\s/?#]+[^\s]*", value):
        # Kept, not guessed as https: the page's scheme is unknown, and the address stays as the source wrote it.
        raise Doubtful(f"{text!r} is a protocol-relative URL, with no http: or https:; kept as given", value)
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        raise ValueError(f"{text!r} is not an absolute http(s) URL")
    return value


# What separates several identifiers in one field: commas, semicolons, white space (not for URLs,
# which may hold commas and semicolons themselves).
_SEPARATORS = {"url": compiled_when_used(r"\s+"), "other": compiled_when_used(r"[\s,;]+")}


def several(text: str, kind: str) -> list[str]:
    """The pieces of a field that may hold several identifiers (‘0-201-13447-0, 978-3-16-148410-0’).

    Only for a field that is no identifier whole: ‘978 3 16 148410 0’ is one ISBN.
    """
    separator = _SEPARATORS["url" if kind == "url" else "other"]
    return [part for part in separator.split(text.strip()) if part]


_LANGUAGE_TAG = compiled_when_used(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def language_tag(text: str) -> str:
    """A BCP 47 tag for a language given by its tag (‘en’, ‘eng’, ‘pt-BR’) or by its name (‘English’, ‘Deutsch’).

    Names are those CSL's locales give each language, in English and in the
    language itself; the tag returned is the language's own (‘en’, not ‘en-US’).
    """
    value = text.strip()
    if _LANGUAGE_TAG.fullmatch(value):
        return value
    tag = _language_names().get(value.casefold())
    if tag is None:
        raise ValueError(f"{text!r} is neither a language tag nor the name of a language CSL knows")
    return tag


_LANGUAGES: dict[str, str] = {}


def _language_names() -> dict[str, str]:
    """Each language's names, case-folded, to its primary tag: from citeproc-py's copy of CSL's locales.json."""
    if not _LANGUAGES:
        import json
        import os
        from importlib.util import find_spec

        spec = find_spec("citeproc")
        if spec is None or not spec.submodule_search_locations:
            return _LANGUAGES
        path = os.path.join(spec.submodule_search_locations[0], "data", "locales", "locales.json")
        with open(path, encoding="utf-8") as handle:
            names = json.load(handle).get("language-names", {})
        for locale, spellings in names.items():
            primary = locale.split("-")[0]
            for spelling in spellings:
                # ‘English (UK)’ names a dialect; the language is the name before the bracket.
                _LANGUAGES.setdefault(spelling.split(" (")[0].strip().casefold(), primary)
    return _LANGUAGES
