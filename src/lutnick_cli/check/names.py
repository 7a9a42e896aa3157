"""Rules on names and titles: honorifics in given names, titles in capitals, unprotected acronyms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lutnick_cli.record import Person, Record

_HONORIFIC = re.compile(r"(Dr|Prof|Professor|Mr|Mrs|Ms|Miss|Mx|Sir|Dame|Rev|Fr)\.?(?=\s)")
# A word of two or more capitals (letters, maybe digits: DNA, COVID-19, HIV) that lower-casing would spoil.
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?![\w])")
_NOCASE = re.compile(r'<span class="nocase">.*?</span>', re.DOTALL)
_MARKUP = re.compile(r"<[^>]+>")


def check(record: Record, input_format: str | None) -> Iterator[tuple[str, str, str]]:
    """`input_format` is the format the record was read from, None when unknown (standard input)."""
    for role in ("authors", "editors"):
        for index, person in enumerate(getattr(record, role)):
            yield from _person(person, f"{role}.{index}", input_format)
    title = record.title
    if not title:
        return
    letters = [char for char in _MARKUP.sub("", title) if char.isalpha()]
    if len(letters) >= 12 and all(char.isupper() for char in letters):
        yield (
            "L702",
            "title",
            "the title is in capitals, which no style can set in sentence case; write it as the work does",
        )
    elif input_format == "bibtex":
        unprotected = _ACRONYM.findall(_MARKUP.sub(" ", _NOCASE.sub(" ", title)))
        if unprotected:
            words = ", ".join(dict.fromkeys(unprotected))
            yield (
                "L703",
                "title",
                f"{words} not brace-protected, so styles that lower-case titles spoil it; write {{{unprotected[0]}}}",
            )


def _person(person: Person, field: str, input_format: str | None) -> Iterator[tuple[str, str, str]]:
    if person.honorific and input_format in ("bibtex", "csl-json", "ris"):
        # These formats have no place for an honorific: the reader took it out of the given name.
        yield (
            "L701",
            f"{field}.given",
            (
                f"the given name began with the honorific {person.honorific!r}, which lutnick sets apart "
                f"but other tools print as an initial ({person.honorific[0]}.); write the given name alone"
            ),
        )
    if person.given:
        match = _HONORIFIC.match(person.given)
        if match:
            yield (
                "L701",
                f"{field}.given",
                (
                    f"the given name {person.given!r} starts with the honorific {match.group(0)!r}, "
                    f"which styles print as an initial; move it to honorific"
                ),
            )
    if person.family and "," in person.family:
        yield (
            "L704",
            f"{field}.family",
            (
                f"the family name {person.family!r} holds commas: several authors joined with commas; "
                f"separate them with 'and'"
            ),
        )
