"""Cite grouping and collapsing (engine/collapse.py)."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()


def book(key: str, family: str, year: int, title: str) -> dict:
    return {"id": key, "type": "book", "title": title, "author": [{"family": family}], "issued": {"date-parts": [[year]]}}


AUTHOR_YEAR = (
    '<citation {options}><sort><key variable="issued"/></sort><layout delimiter="; " prefix="(" suffix=")">'
    '<group delimiter=" "><names variable="author"><name form="short"/></names>'
    '<date variable="issued"><date-part name="year"/></date></group></layout></citation>'
    '<bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout></bibliography>'
)


def test_collapse_year_groups_an_authors_cites() -> None:
    body = AUTHOR_YEAR.format(options='collapse="year"')
    items = [book("a", "Smith", 1900, "A"), book("b", "Jones", 1950, "B"), book("c", "Smith", 2000, "C")]
    assert suite.render_inline(body, items) == "(Smith 1900, 2000; Jones 1950)"


def test_collapse_year_suffix_ranged() -> None:
    body = AUTHOR_YEAR.format(
        options='collapse="year-suffix-ranged" disambiguate-add-year-suffix="true" year-suffix-delimiter=","'
    )
    items = [book(key, "Smith", 2000, key.upper()) for key in "abcd"] + [book("z", "Smith", 2001, "Z")]
    assert suite.render_inline(body, items) == "(Smith 2000a–d; 2001)"  # after-collapse: the layout delimiter


def test_collapse_citation_numbers_into_ranges() -> None:
    body = (
        '<citation collapse="citation-number"><sort><key variable="citation-number"/></sort>'
        '<layout delimiter=", " prefix="(" suffix=")"><text variable="citation-number" prefix="[" suffix="]"/>'
        "</layout></citation>"
    )
    items = [book(str(n), "S", 2000, "T") for n in range(1, 7)]
    cites = [[{"id": str(n)} for n in range(1, 7)], [{"id": n} for n in ("1", "2", "4", "5", "6")]]
    assert suite.render_inline(body, items, citation_items=cites) == "([1]–[6])\n([1], [2], [4]–[6])"


def test_year_suffix_delimiter_defaults_and_after_a_collapsed_run() -> None:
    body = (
        '<citation collapse="year-suffix-ranged" disambiguate-add-year-suffix="true"><sort><key variable="issued"/>'
        '</sort><layout delimiter=";"><group delimiter=" "><names variable="author"><name form="short"/></names>'
        '<date variable="issued"><date-part name="year"/></date></group></layout></citation>'
        '<bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout></bibliography>'
    )
    items = [book(key, "Smith", 2000, key.upper()) for key in "abcde"] + [book("z", "Smith", 2001, "Z")]
    cites = [[{"id": key} for key in "abcdez"], [{"id": key} for key in "acdez"]]
    assert suite.render_inline(body, items, citation_items=cites) == "Smith 2000a–e;2001\nSmith 2000a;c–e;2001"


def test_a_note_citation_starting_with_a_term_capitalises_it() -> None:
    body = (
        '<citation><layout suffix="."><choose><if position="subsequent"><text term="ibid"/></if>'
        '<else><text variable="title"/></else></choose></layout></citation>'
    )
    item = {"id": "a", "type": "book", "title": "Safety"}
    note = suite.render_inline(body, [item], citation_items=[[{"id": "a"}], [{"id": "a"}]], style_class="note")
    assert note == "Safety.\nIbid."
    in_text = suite.render_inline(body, [item], citation_items=[[{"id": "a"}], [{"id": "a"}]])
    assert in_text == "Safety.\nibid."


def test_cites_keep_their_order_without_a_citation_sort() -> None:
    body = (
        '<citation><layout delimiter="; "><text variable="title"/></layout></citation>'
        '<bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout></bibliography>'
    )
    items = [book("a", "Smith", 2000, "A"), book("b", "Jones", 2000, "B")]
    assert suite.render_inline(body, items, citation_items=[[{"id": "b"}, {"id": "a"}]]) == "B; A"


def test_year_suffixes_collapse_in_a_style_without_names() -> None:
    body = (
        '<citation collapse="year-suffix" year-suffix-delimiter="," disambiguate-add-year-suffix="true">'
        '<layout prefix="(" suffix=")" delimiter="; "><date variable="issued"><date-part name="year"/></date>'
        "</layout></citation>"
    )
    items = [book("a", "Doe", 1965, "A"), book("b", "Doe", 1965, "B")]
    assert suite.render_inline(body, items) == "(1965a,b)"


def test_a_cite_with_nothing_but_its_author_disappears_into_the_group() -> None:
    body = AUTHOR_YEAR.format(options='collapse="year"')
    items = [book("a", "Smith", 1900, "A"), book("c", "Smith", 2000, "C"),
             {"id": "n", "type": "book", "title": "N", "author": [{"family": "Smith"}]}]  # fmt: skip
    assert suite.render_inline(body, items) == "(Smith 1900, 2000)"


def test_a_cite_suffix_ending_in_a_comma_takes_the_delimiters_place() -> None:
    body = '<citation><layout delimiter="; "><text variable="title"/></layout></citation>'
    items = [book("a", "Smith", 2000, "Book A"), book("b", "Jones", 2000, "Book B")]
    cites = [[{"id": "a", "suffix": " is one source,"}, {"id": "b", "suffix": " is another."}]]
    assert suite.render_inline(body, items, citation_items=cites) == "Book A is one source, Book B is another."


def test_a_term_after_a_prefix_ending_a_sentence_is_capitalised_mid_citation() -> None:
    body = (
        '<citation><layout delimiter="; "><choose><if position="subsequent"><text term="ibid"/></if>'
        '<else><text variable="title"/></else></choose></layout></citation>'
    )
    item = {"id": "a", "type": "book", "title": "Safety"}
    cites = [[{"id": "a"}, {"id": "a", "prefix": "As they wrote. "}]]
    assert suite.render_inline(body, [item], citation_items=cites, style_class="note") == (
        "Safety; As they wrote. Ibid."
    )


def test_a_note_style_joins_a_group_with_the_layout_delimiter() -> None:
    # citeproc-js: ", " within a group only in in-text styles; a note style keeps the layout's "; ".
    items = [book("a", "Smith", 1900, "A"), book("b", "Jones", 1950, "B"), book("c", "Smith", 2000, "C")]
    body = AUTHOR_YEAR.format(options='collapse="year"')
    assert suite.render_inline(body, items, style_class="note") == "(Smith 1900; 2000; Jones 1950)"
    body = AUTHOR_YEAR.format(options='collapse="year" cite-group-delimiter=", "')
    assert suite.render_inline(body, items, style_class="note") == "(Smith 1900, 2000; Jones 1950)"


def test_cites_by_one_author_move_together_only_under_a_citation_sort() -> None:
    # citeproc-js regroups an author's cites across another author's only in a sorted citation.
    items = [book("a", "Smith", 1900, "A"), book("b", "Jones", 1950, "B"), book("c", "Smith", 2000, "C")]
    unsorted = AUTHOR_YEAR.format(options='collapse="year"').replace('<sort><key variable="issued"/></sort>', "", 1)
    cites = [[{"id": "a"}, {"id": "b"}, {"id": "c"}], [{"id": "a"}, {"id": "c"}, {"id": "b"}]]
    assert suite.render_inline(unsorted, items, citation_items=cites) == (
        "(Smith 1900; Jones 1950; Smith 2000)\n(Smith 1900, 2000; Jones 1950)"
    )


def test_a_given_after_collapse_delimiter_follows_locators_and_uncollapsed_cites() -> None:
    # Chicago author-date: layout ", ", after-collapse "; " (citeproc-js's splice delimiter).
    body = AUTHOR_YEAR.format(options='collapse="year" after-collapse-delimiter="; "').replace(
        '<layout delimiter="; " prefix="(" suffix=")">', '<layout delimiter=", " prefix="(" suffix=")">', 1
    ).replace("</group></layout></citation>", '</group><text variable="locator" prefix=", "/></layout></citation>', 1)
    items = [book("a", "Smith", 1900, "A"), book("b", "Jones", 1950, "B"), book("c", "Smith", 2000, "C")]
    cites = [
        [{"id": "a"}, {"id": "c"}, {"id": "b"}],
        [{"id": "a", "locator": "12"}, {"id": "c"}],
        [{"id": "b"}, {"id": "c"}],
    ]
    assert suite.render_inline(body, items, citation_items=cites) == (
        "(Smith 1900, 2000; Jones 1950)\n(Smith 1900, 12; 2000)\n(Jones 1950; Smith 2000)"
    )
