"""A batch converts a recurring person, journal or date once; what it remembers stands for no other kind of value."""

from __future__ import annotations

import pytest

from lutnick_cli import record
from lutnick_cli.errors import InvalidRecord
from lutnick_cli.record import parse_record


def _parse(family: object, given: object = "Ada"):
    data = {"type": "book", "title": "T", "authors": [{"family": family, "given": given}]}
    return parse_record(data, lambda path, at_key=False: (None, None), "remembered.yaml")


@pytest.mark.parametrize(
    "family, given, message",
    [
        (1912, "Ada", "authors.0.family: expected text, got a number (put it in quotes, or YAML reads it as a number)"),
        ("1912", ["Ada"], "authors.0.given: expected text, got a list"),
    ],
)
def test_a_value_equal_as_a_key_to_text_met_before_is_converted_and_refused(family, given, message):
    assert _parse("1912").authors[0].family == "1912"
    with pytest.raises(InvalidRecord) as raised:
        _parse(family, given=given)
    assert [f"{problem.field}: {problem.message}" for problem in raised.value.problems] == [message]


def test_a_person_met_again_after_twenty_thousand_others_is_the_one_converted_before():
    # From an empty memory, so that what earlier tests left in it does not fill it on the way.
    people = record._RECORD.converters["authors"]
    assert isinstance(people, record._List) and isinstance(people.item, record._Remembered)
    people.item.known.clear()
    first = _parse("Remembered").authors[0]
    for number in range(20_000):
        _parse(f"Other{number}")
    assert _parse("Remembered").authors[0] is first
