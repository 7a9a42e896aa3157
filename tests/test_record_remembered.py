"""A batch converts a recurring person, journal or date once, and what it remembers never changes a result."""

from __future__ import annotations

import pytest

from lutnick_cli.errors import InvalidRecord
from lutnick_cli.record import _Remembered, parse_record


def _parse(*families: object, given: object = "Ada"):
    data = {"type": "book", "title": "T", "authors": [{"family": family, "given": given} for family in families]}
    return parse_record(data, lambda path, at_key=False: (None, None), "remembered.yaml")


def test_a_person_met_again_after_the_memory_filled_is_the_person_converted_before(monkeypatch):
    monkeypatch.setattr(_Remembered, "LIMIT", 4)
    first = _parse("Remembered-A").authors[0]
    # Four more people fill the memory of the latest and pass it on as the older one.
    for family in ("Remembered-B", "Remembered-C", "Remembered-D", "Remembered-E"):
        _parse(family)
    again = _parse("Remembered-A").authors[0]
    assert again is first
    # Brought back among the latest: four more newcomers pass it on again instead of forgetting it.
    for family in ("Remembered-F", "Remembered-G", "Remembered-H", "Remembered-I"):
        _parse(family)
    assert _parse("Remembered-A").authors[0] is first


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
