"""Page ranges as .bib files give them (`--` read as an en dash) and as YAML records give them are read alike."""

from __future__ import annotations

import pytest

from lutnick_cli.record import PageRange, parse_pages


@pytest.mark.parametrize(
    "text, pages, note",
    [
        ("139–156", PageRange("139", "156"), None),
        ("139-156", PageRange("139", "156"), None),
        ("007–010", PageRange("007", "010"), None),
        ("5 – 7", PageRange("5", "7"), None),
        ("140—154", PageRange("140", "154"), None),
        ("e12–e15", PageRange("e12", "e15"), None),
        ("xii–xx", PageRange("xii", "xx"), None),
        ("377–86", PageRange("377", "386"), "'377–86' is read as 377–386"),
        ("377--86", PageRange("377", "386"), "'377--86' is read as 377–386"),
        ("156–139", PageRange("156–139"), "page range '156–139' runs backwards; kept as given"),
        ("12–", PageRange("12–"), "'12–' is not a page range lutnick can read; kept as a label"),
        ("–5", PageRange("–5"), "'–5' is not a page range lutnick can read; kept as a label"),
        ("1-2–3", PageRange("1-2–3"), "'1-2–3' is not a page range lutnick can read; kept as a label"),
        ("1–2-3", PageRange("1–2-3"), "'1–2-3' is not a page range lutnick can read; kept as a label"),
        ("C3–32", PageRange("C3–32"), "'C3–32' is not a page range lutnick can read; kept as a label"),
        ("1–2, 5–7", PageRange("1–2, 5–7"), "'1–2, 5–7' is not a page range lutnick can read; kept as a label"),
        # Superscripts are digits int() cannot read: a label, not Python's error refusing the record.
        ("²–³", PageRange("²–³"), "'²–³' is not a page range lutnick can read; kept as a label"),
        ("12-³", PageRange("12-³"), "'12-³' is not a page range lutnick can read; kept as a label"),
        # Decimal digits of another script are numbers, as CSL's page ranges read them.
        ("١٤٠–١٥٤", PageRange("١٤٠", "١٥٤"), None),
    ],
)
def test_a_range_with_an_en_dash_reads_as_the_same_range_with_a_hyphen(text, pages, note):
    assert parse_pages(text) == (pages, note)
