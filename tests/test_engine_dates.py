"""Dates (engine/dates.py): ranges, seasons, localized formats, lenient CSL-JSON."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()

TEXT_DATE = '<citation><layout><date variable="issued" form="text"/></layout></citation>'


def date(issued: dict, body: str = TEXT_DATE) -> str:
    return suite.render_inline(body, [{"id": "a", "type": "book", "issued": issued}])


def test_day_range_shares_the_year_and_drops_the_seam_affix() -> None:
    assert date({"date-parts": [[2021, 6, 3], [2021, 7, 4]]}) == "June 3–July 4, 2021"


def test_seasons_print_from_season_or_months_21_to_24() -> None:
    assert date({"date-parts": [[2021]], "season": 1}) == "Spring 2021"
    assert date({"date-parts": [[2019, 21], [2020, 22]]}) == "Spring 2019–Summer 2020"


def test_open_range_and_raw_dates() -> None:
    assert date({"date-parts": [[2016], [0]]}) == "2016–"
    assert date({"raw": "2021-06"}) == "June 2021"
    assert date({"date-parts": [["2021", " 6 "]]}) == "June 2021"


def test_a_style_override_does_not_leak_into_the_locale() -> None:
    body = (
        '<citation><layout><group delimiter="; "><date variable="issued" form="text" date-parts="year-month">'
        '<date-part name="month" form="numeric"/></date><date variable="issued" form="text" date-parts="year-month"/>'
        "</group></layout></citation>"
    )
    assert date({"date-parts": [[2021, 6]]}, body) == "6 2021; June 2021"


def test_formatting_on_the_date_itself_applies() -> None:
    body = '<citation><layout><date variable="issued" font-style="italic" prefix="(" suffix=")"><date-part name="year"/></date></layout></citation>'
    assert date({"date-parts": [[2021]]}, body) == "(<i>2021</i>)"


def test_months_13_to_24_are_seasons_and_other_months_are_dropped() -> None:
    body = '<citation><layout><date variable="issued"><date-part name="month"/></date></layout></citation>'
    assert date({"date-parts": [[1965, 17, 1]]}, body) == "Spring"
    assert date({"date-parts": [[1965, 24]]}, body) == "Winter"
    assert date({"date-parts": [[1965, 60, 1]]}, body) == "[CSL STYLE ERROR: reference with no printed form.]"


def test_each_date_part_prints_its_own_form_case_periods_and_affixes_for_every_record() -> None:
    # What a date-part says is read once per cs:date (`_Part`); every record's date still takes it all,
    # and each part its own default form (a day numeric, a month long).
    body = (
        '<citation><layout delimiter="; "><date variable="issued">'
        '<date-part name="day" suffix=" "/><date-part name="month" form="short" strip-periods="true" '
        'text-case="uppercase" suffix=" "/><date-part name="year" form="short" prefix="’"/></date>'
        '<date variable="issued" prefix=" [" suffix="]"><date-part name="month"/></date></layout></citation>'
    )
    items = [
        {"id": "a", "type": "book", "issued": {"date-parts": [[2021, 9, 3]]}},
        {"id": "b", "type": "book", "issued": {"date-parts": [[1999, 2]]}},
    ]
    cites = [[{"id": "a"}, {"id": "b"}]]
    assert suite.render_inline(body, items, citation_items=cites) == "3 SEPT ’21 [September]; FEB ’99 [February]"


def test_a_date_part_s_text_follows_each_record_s_values() -> None:
    # A date part keeps the text it made for each value of what it prints (a day's for its day and
    # month, a month's for its month and season): records with other values print their own.
    body = (
        '<citation><layout delimiter="; "><date variable="issued"><date-part name="month" suffix=" "/>'
        '<date-part name="day" form="ordinal" suffix=", "/><date-part name="year"/></date></layout></citation>'
    )
    issued = [[2021, 6, 1], [2021, 6, 2], [2020, 7, 1], [2021, 6, 1], [2021, 13], [2021, 14]]
    items = [{"id": str(index), "type": "book", "issued": {"date-parts": [parts]}} for index, parts in enumerate(issued)]
    cites = [[{"id": str(index)} for index in range(len(issued))]]
    assert suite.render_inline(body, items, citation_items=cites) == (
        "June 1st, 2021; June 2nd, 2021; July 1st, 2020; June 1st, 2021; Spring 2021; Summer 2021"
    )


LITERAL = {"literal": "Late spring 2019"}


def test_a_literal_date_prints_in_the_year_s_place_with_the_year_part_s_affixes() -> None:
    body = (
        '<citation><layout><date variable="issued" prefix="[" suffix="]" delimiter=" "><date-part name="day"/>'
        '<date-part name="month"/><date-part name="year" prefix="(" suffix=")" font-style="italic"/></date>'
        "</layout></citation>"
    )
    assert date(LITERAL, body) == "[(<i>Late spring 2019</i>)]"
    assert date(LITERAL) == "Late spring 2019"
    assert date({"date-parts": [], "literal": "(in press)"}) == "(in press)"


def test_a_literal_date_split_across_two_dates_prints_once_where_the_year_is() -> None:
    # APA's newspaper date is a year, then a month and day: `(2019, May 3)`, never the literal twice.
    year_then_day = (
        '<citation><layout><group prefix="(" suffix=")"><date variable="issued"><date-part name="year"/></date>'
        '<date variable="issued" prefix=", "><date-part name="month"/><date-part name="day" prefix=" "/></date>'
        "</group></layout></citation>"
    )
    assert date(LITERAL, year_then_day) == "(Late spring 2019)"
    assert date({"date-parts": [[2019, 5, 3]]}, year_then_day) == "(2019, May 3)"
    day_then_year = (
        '<citation><layout><group delimiter=" | "><date variable="issued"><date-part name="month"/>'
        '<date-part name="day" prefix=" "/></date><date variable="issued" form="numeric" date-parts="year"/>'
        "</group></layout></citation>"
    )
    assert date(LITERAL, day_then_year) == "Late spring 2019"
    assert date({"date-parts": [[2019, 5, 3]]}, day_then_year) == "May 3 | 2019"


def test_every_date_with_a_year_prints_a_literal_date() -> None:
    body = (
        '<citation><layout><group delimiter=" | "><date variable="issued"><date-part name="year"/></date>'
        '<date variable="issued" form="text"/></group></layout></citation>'
    )
    assert date(LITERAL, body) == "Late spring 2019 | Late spring 2019"


def test_a_date_kept_for_its_values_prints_each_record_s_own_text() -> None:
    # A cs:date keeps the text it made for each value of the units it prints (`DateRules.dates_made`):
    # records whose dates differ only where it prints nothing share one; every other difference (a
    # range, a literal, a season, a year given as a string, a year suffix) prints its own.
    body = (
        '<citation><layout delimiter="; "><group delimiter=" "><date variable="issued" prefix="(" suffix=")">'
        '<date-part name="year"/></date><date variable="issued" form="text"/></group></layout></citation>'
    )
    issued = [
        {"date-parts": [[2021, 6, 1]]},
        {"date-parts": [[2021, 7]]},
        {"date-parts": [["2021"]]},
        {"date-parts": [[2021], [2022]]},
        {"date-parts": [[2021, 6], [2021, 7]]},
        {"date-parts": [[2021]], "season": 2},
        {"date-parts": [[2021, 6, 1]]},
        LITERAL,
        {"date-parts": [[2021]]},
    ]
    items = [{"id": str(index), "type": "book", "issued": value} for index, value in enumerate(issued)]
    cites = [[{"id": str(index)} for index in range(len(issued))]]
    assert suite.render_inline(body, items, citation_items=cites) == (
        "(2021) June 1, 2021; (2021) July 2021; (2021) 2021; (2021–2022) 2021–2022; (2021) June–July 2021; "
        "(2021) Summer 2021; (2021) June 1, 2021; (Late spring 2019) Late spring 2019; (2021) 2021"
    )
    for index, value in enumerate(issued):  # each alone, as a fresh style renders it
        item = {"id": "a", "type": "book", "issued": value}
        alone = suite.render_inline(body, [item], citation_items=[[{"id": "a"}]])
        assert alone == suite.render_inline(body, items, citation_items=cites).split("; ")[index]


def test_a_kept_date_still_takes_its_year_suffix() -> None:
    # The year suffix is added after the date's text is made (`ImplicitYearSuffix`): equal dates share one
    # text, and each still takes its own suffix.
    body = (
        '<citation disambiguate-add-year-suffix="true"><layout delimiter="; "><group delimiter=" ">'
        '<text variable="title"/><date variable="issued"><date-part name="year"/></date></group></layout></citation>'
    )
    items = [
        {"id": "a", "type": "book", "title": "Same", "issued": {"date-parts": [[2021]]}},
        {"id": "b", "type": "book", "title": "Same", "issued": {"date-parts": [[2021, 5]]}},
        {"id": "c", "type": "book", "title": "Other", "issued": {"date-parts": [[2021]]}},
    ]
    cites = [[{"id": "a"}, {"id": "b"}, {"id": "c"}]]
    assert suite.render_inline(body, items, citation_items=cites) == "Same 2021a; Same 2021b; Other 2021"


def test_a_date_read_is_the_mapping_citeproc_py_s_date_makes() -> None:
    # `parse_date` builds its dates directly (`dates._date`): each the mapping `Date(circa=..., **units)`
    # makes, in its order, a season kept as a number where it is one and as text where it is not.
    from citeproc.source import Date, DateRange

    from lutnick_cli.citation.engine.dates import parse_date

    cases = [
        ({"date-parts": [[2019]]}, False, {"year": 2019}),
        ({"date-parts": [["2019", "4", " 27 "]], "circa": True}, True, {"year": 2019, "month": 4, "day": 27}),
        ({"date-parts": [[2019]], "season": "Spring"}, False, {"year": 2019, "season": "Spring"}),
        ({"date-parts": [[2019]], "season": "3"}, False, {"year": 2019, "season": "3"}),
        ({"date-parts": [[-44, 3, 15]]}, False, {"year": -44, "month": 3, "day": 15}),
        ({"raw": "2021-06"}, False, {"year": 2021, "month": 6}),
    ]
    for data, circa, units in cases:
        found = parse_date(None, data)
        expected = Date(circa=circa, **units)
        assert type(found) is Date and list(found.items()) == list(expected.items()), data
    found = parse_date(None, {"date-parts": [[2019, 5], [2020]], "season": 1})
    assert isinstance(found, DateRange)
    assert list(found.begin.items()) == list(Date(circa=False, year=2019, month=5).items())
    assert list(found["end"].items()) == list(Date(circa=False, year=2020).items())
