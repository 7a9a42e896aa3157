"""Disambiguation (engine/disambiguation.py): year suffixes, added names and given names, the condition."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()


def book(key: str, people: list[tuple[str, str]], year: int, title: str = "T") -> dict:
    return {
        "id": key, "type": "book", "title": title,
        "author": [{"family": family, "given": given} for family, given in people],
        "issued": {"date-parts": [[year]]},
    }  # fmt: skip


AUTHOR_YEAR = (
    '<citation {options}><layout delimiter="; " prefix="(" suffix=")"><group delimiter=" ">'
    '<names variable="author"><name form="short" and="symbol" et-al-min="3" et-al-use-first="1"'
    ' initialize-with=". "/></names><date variable="issued"><date-part name="year"/></date></group></layout>'
    "</citation>"
    '<bibliography><sort><key variable="title"/></sort><layout><group delimiter=". ">'
    '<names variable="author"><name/></names><date variable="issued"><date-part name="year"/></date>'
    '<text variable="title"/></group></layout></bibliography>'
)


def test_year_suffixes_in_text_and_in_the_bibliography() -> None:
    body = AUTHOR_YEAR.format(options='disambiguate-add-year-suffix="true"')
    items = [book("b", [("Doe", "John")], 2019, "B"), book("a", [("Doe", "John")], 2019, "A")]
    assert suite.render_inline(body, items) == "(Doe 2019a; Doe 2019b)"
    assert suite.render_inline(body, items, mode="bibliography").splitlines()[1:3] == [
        '  <div class="csl-entry">John Doe. 2019a. A</div>',
        '  <div class="csl-entry">John Doe. 2019b. B</div>',
    ]


def test_add_names_before_et_al() -> None:
    body = AUTHOR_YEAR.format(options='disambiguate-add-names="true"')
    items = [
        book("a", [("Smith", "A"), ("Brown", "B"), ("Jones", "C")], 1980),
        book("b", [("Smith", "A"), ("Beefheart", "B"), ("Jones", "C")], 1980),
    ]
    assert suite.render_inline(body, items) == "(Smith, Brown, et al. 1980; Smith, Beefheart, et al. 1980)"


def test_add_given_names_by_cite() -> None:
    body = AUTHOR_YEAR.format(options='disambiguate-add-givenname="true"')
    items = [book("a", [("Doe", "John")], 2000), book("b", [("Doe", "Jane")], 2000), book("c", [("Roe", "X")], 2000)]
    assert suite.render_inline(body, items) == "(John Doe 2000; Jane Doe 2000; Roe 2000)"  # initials would not do
    items[1] = book("b", [("Doe", "Kate")], 2000)
    assert suite.render_inline(body, items) == "(J. Doe 2000; K. Doe 2000; Roe 2000)"


def test_disambiguate_condition_is_false_unless_needed() -> None:
    # MLA's pattern: the title only when the author alone is ambiguous.
    body = (
        '<citation><layout delimiter="; "><group delimiter=", "><names variable="author"><name form="short"/>'
        '</names><choose><if disambiguate="true"><text variable="title"/></if></choose></group></layout></citation>'
    )
    one = [book("a", [("Lutnick", "Alexandra")], 2019, "Prioritizing Safety")]
    assert suite.render_inline(body, one) == "Lutnick"
    two = one + [book("b", [("Lutnick", "Alexandra")], 2016, "Sex Worker Health")]
    assert suite.render_inline(body, two) == "Lutnick, Prioritizing Safety; Lutnick, Sex Worker Health"


def test_year_suffix_letters_run_past_z() -> None:
    from lutnick_cli.keys import letters

    assert [letters(index) for index in (0, 25, 26, 51)] == ["a", "z", "aa", "az"]


def test_all_names_with_initials_expands_only_where_initials_help() -> None:
    body = AUTHOR_YEAR.format(
        options='disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names-with-initials"'
    )
    items = [
        book("a", [("Lee", "Carol")], 2000), book("b", [("Lee", "Chris")], 2001),
        book("c", [("Park", "Ben")], 2002), book("d", [("Park", "Jin")], 2003),
    ]  # fmt: skip
    assert suite.render_inline(body, items) == "(Lee 2000; Lee 2001; B. Park 2002; J. Park 2003)"


def test_same_person_with_differently_spaced_initials_is_not_expanded() -> None:
    body = AUTHOR_YEAR.format(options='disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"')
    items = [book("a", [("Doe", "J. J.")], 2000), book("b", [("Doe", "J.J.")], 2001)]
    assert suite.render_inline(body, items) == "(Doe 2000; Doe 2001)"


def test_add_names_expands_given_names_at_each_step() -> None:
    body = AUTHOR_YEAR.format(options='disambiguate-add-names="true" disambiguate-add-givenname="true"')
    items = [
        book("a", [("Okafor", "Ada"), ("Nwosu", "Bola"), ("Eze", "Chidi")], 1990),
        book("b", [("Okafor", "Ada"), ("Nwosu", "Bisi"), ("Eze", "Chuka")], 1990),
    ]
    assert suite.render_inline(body, items) == (
        "(Okafor, Bola Nwosu, et al. 1990; Okafor, Bisi Nwosu, et al. 1990)"
    )


def test_generated_citation_labels_take_year_suffixes() -> None:
    body = (
        '<citation disambiguate-add-year-suffix="true"><layout delimiter="; "><text variable="citation-label"/>'
        "</layout></citation>"
    )
    items = [
        book("a", [("Lutnick", "Alexandra")], 2019), book("b", [("Lutnick", "Ann")], 2019),
        book("c", [("Park", "J"), ("Kim", "R")], 1998),
        book("d", [("Ames", "A"), ("Lee", "B"), ("van Rijn", "C"), ("Otis", "D"), ("Ueda", "E")], 1926),
    ]  # fmt: skip
    assert suite.render_inline(body, items) == "Lutn19a; Lutn19b; PaKi98; ALRO26"
