"""Page ranges, locators and number-of-* labels (engine/numbers.py)."""

from __future__ import annotations

import pytest

from conftest import csl_suite_runner
from lutnick_cli.citation.engine.numbers import format_page_range

suite = csl_suite_runner()


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        ("140-154", "expanded", "140–154"),
        ("140-54", "expanded", "140–154"),
        ("140-154", "minimal", "140–54"),
        ("421-428", "minimal-two", "421–28"),
        ("140-154", "chicago", "140–54"),
        ("2496-2504", "chicago", "2496–2504"),
        ("2496-2504", "chicago-16", "2496–504"),
        ("201-208", "chicago-16", "201–8"),
        ("S140 - S54", "expanded", "S140–S154"),
        ("S140 - 54", "expanded", "S140-54"),
        ("xii-xvii", "expanded", "xii–xvii"),
        ("110-5", None, "110–5"),
        ("1-2, 5-7", "expanded", "1–2, 5–7"),
    ],
)
def test_page_range_formats(value: str, style: str | None, expected: str) -> None:
    assert format_page_range(value, style, "–") == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        # citeproc-js 1.4.61's output for S12-S19, S321-S328, S1496-S1504, S100-S104
        (None, "S12–S19, S321–S328, S1496–S1504, S100–S104"),
        ("expanded", "S12–S19, S321–S328, S1496–S1504, S100–S104"),
        ("minimal", "S12–9, S321–8, S1496–504, S100–4"),
        ("minimal-two", "S12–19, S321–28, S1496–504, S100–04"),
        ("chicago", "S12–19, S321–28, S1496–1504, S100–104"),
        ("chicago-15", "S12–19, S321–28, S1496–1504, S100–104"),
        ("chicago-16", "S12–19, S321–28, S1496–504, S100–104"),
    ],
)
def test_a_prefix_repeated_on_the_last_page_prints_only_when_expanded(style: str | None, expected: str) -> None:
    assert format_page_range("S12-S19, S321-S328, S1496-S1504, S100-S104", style, "–") == expected


def test_a_prefixed_page_range_in_a_chicago_style() -> None:
    body = '<citation><layout><text variable="page"/></layout></citation>'
    item = {"id": "a", "type": "article-journal", "page": "S12-S19"}
    assert suite.render_inline(body, [item], style_attributes='page-range-format="chicago"') == "S12–19"

def test_style_page_range_format_applies_to_the_page_variable() -> None:
    body = '<citation><layout><text variable="page"/></layout></citation>'
    item = {"id": "a", "type": "article-journal", "page": "140-154"}
    assert suite.render_inline(body, [item], style_attributes='page-range-format="chicago"') == "140–54"


def test_number_of_volumes_label_is_plural_above_one() -> None:
    body = (
        '<citation><layout><group delimiter=" "><number variable="number-of-volumes"/>'
        '<label variable="number-of-volumes" form="short"/></group></layout></citation>'
    )
    one = {"id": "a", "type": "book", "number-of-volumes": "1"}
    three = {"id": "b", "type": "book", "number-of-volumes": 3}
    assert suite.render_inline(body, [one]) == "1 vol."
    assert suite.render_inline(body, [three]) == "3 vols."


def test_a_number_range_printed_as_text_gets_an_en_dash() -> None:
    body = '<citation><layout><text variable="issue" prefix="n. "/></layout></citation>'
    assert suite.render_inline(body, [{"id": "a", "type": "article-journal", "issue": "3-4"}]) == "n. 3–4"


def test_locator_is_trimmed_and_its_ampersand_is_the_locales() -> None:
    body = (
        '<locale><terms><term name="and" form="symbol">AND</term></terms></locale>'
        '<citation><layout><group delimiter=":"><text variable="title"/><text variable="locator"/></group>'
        "</layout></citation>"
    )
    item = {"id": "a", "type": "book", "title": "T"}
    assert suite.render_inline(body, [item], citation_items=[[{"id": "a", "locator": " 666"}]]) == "T:666"
    assert suite.render_inline(body, [item], citation_items=[[{"id": "a", "locator": "2 & 5"}]]) == "T:2 AND 5"


LOCATOR_BODY = (
    '<citation><layout delimiter="; "><group delimiter=" "><label variable="locator" form="short"/>'
    '<text variable="locator"/></group></layout></citation>'
)


def test_a_page_locator_takes_the_page_range_format_and_an_escaped_hyphen_is_no_range() -> None:
    # citeproc-js (the CSL suite's label_CollapsedPageNumberPluralDetection): a page locator's range is
    # formatted as a page range is; `\-` is a hyphen, one page number, singular.
    item = {"id": "a", "type": "book"}
    cites = [[{"id": "a", "label": "page", "locator": "427-30"}, {"id": "a", "label": "page", "locator": "327\\-30"}]]

    def cited(cites: list, page_range_format: str | None = None) -> str:
        attributes = f'page-range-format="{page_range_format}"' if page_range_format else ""
        return suite.render_inline(LOCATOR_BODY, [item], citation_items=cites, style_attributes=attributes)

    assert cited(cites, "expanded") == "pp. 427–430; p. 327-30"
    assert cited(cites, "chicago") == "pp. 427–30; p. 327-30"
    # Without page-range-format, or for another label, the range is kept as written, with an en dash.
    assert cited(cites) == "pp. 427–30; p. 327-30"
    assert cited([[{"id": "a", "label": "chapter", "locator": "427-30"}]], "expanded") == "chaps. 427–30"


def test_a_locator_with_its_own_label_prints_no_other() -> None:
    # citeproc-js (the CSL suite's locator_TrickyEntryForPlurals): the locator begins with a label term.
    item = {"id": "a", "type": "book"}
    own = [[
        {"id": "a", "locator": "vol. 1, fol. 186, 8 April 1544"},
        {"id": "a", "label": "chapter", "locator": "pp. 4-5"},
    ]]
    assert suite.render_inline(LOCATOR_BODY, [item], citation_items=own) == "vol. 1, fol. 186, 8 April 1544; pp. 4–5"
    # A word that only begins like a term is no label.
    plain = [[{"id": "a", "locator": "volumes"}, {"id": "a", "locator": "pp5"}]]
    assert suite.render_inline(LOCATOR_BODY, [item], citation_items=plain) == "p. volumes; p. pp5"


def test_citation_number_text_with_strip_periods() -> None:
    body = '<citation><layout><text variable="citation-number" strip-periods="true"/></layout></citation>'
    assert suite.render_inline(body, [{"id": "a", "type": "book"}]) == "1"


def test_ordinals_take_the_gender_of_their_term() -> None:
    body = (
        '<locale><terms><term name="ordinal">.ª</term><term name="ordinal-01" gender-form="masculine">.º</term>'
        '<term name="ordinal-01" gender-form="feminine">.ª</term><term name="ordinal-02" gender-form="masculine">.ºº</term>'
        '<term name="issue" gender="masculine">issue</term><term name="edition" gender="feminine">edition</term>'
        "</terms></locale>"
        '<citation><layout><group delimiter=", "><number variable="edition" form="ordinal"/>'
        '<number variable="issue" form="ordinal"/></group></layout></citation>'
    )
    one = {"id": "a", "type": "book", "edition": "1", "issue": "1"}
    two = {"id": "a", "type": "book", "edition": "2", "issue": "2"}
    assert suite.render_inline(body, [one], output_format="text") == "1.ª, 1.º"
    assert suite.render_inline(body, [two], output_format="text") == "2.ª, 2.ºº"


def test_english_ordinals() -> None:
    body = '<citation><layout><number variable="edition" form="ordinal"/></layout></citation>'
    got = [suite.render_inline(body, [{"id": "a", "type": "book", "edition": str(n)}]) for n in (1, 2, 3, 4, 11, 12, 21, 111)]
    assert got == ["1st", "2nd", "3rd", "4th", "11th", "12th", "21st", "111th"]


def test_a_hyphenated_version_is_not_plural() -> None:
    body = (
        '<citation><layout><group delimiter=" "><label variable="version" text-case="capitalize-first"/>'
        '<text variable="version"/></group></layout></citation>'
    )
    rendered = [
        suite.render_inline(body, [{"id": "a", "type": "software", "version": version}])
        for version in ("1.1-35", "0-4", "2.0-beta", "1.1–35", "1, 3", "2 and 3")
    ]
    assert rendered == [
        "Version 1.1-35", "Version 0-4", "Version 2.0-beta", "Version 1.1–35", "Versions 1, 3", "Versions 2 and 3",
    ]


def test_a_label_inside_a_number_is_a_label() -> None:
    # citeproc-js reads `p.` after the comma as a page label: plural for a range, no ordinal after it.
    body = '<citation><layout delimiter="; "><number variable="edition" form="ordinal"/></layout></citation>'
    items = [{"id": "a", "type": "book", "edition": "7, p. 3-8"}, {"id": "b", "type": "book", "edition": "2, p. 4"}]
    cites = [[{"id": "a"}, {"id": "b"}]]
    assert suite.render_inline(body, items, citation_items=cites) == "7th, pp. 3–8; 2nd, p. 4"


def test_a_term_s_texts_are_citeproc_py_s() -> None:
    """Every term of locale files of several languages and scripts, and of the styles' own `cs:locale`s,
    gives the singular and plural texts citeproc-py's `Term.single` and `Term.multiple` give, read twice
    (the second from what was kept)."""
    from citeproc import model

    from lutnick_cli.citation.engine.elements import EngineLocale
    from lutnick_cli.citation.engine.numbers import TermTexts
    from lutnick_cli.citation.markup import MarkingFormatter
    from lutnick_cli.citation.styles import load_style

    class Style:
        formatter = MarkingFormatter

    terms, locales = [], []  # the locales kept, so that each term's root is the element given its style
    for code in ("en-US", "en-GB", "de-DE", "fr-FR", "pt-BR", "ru-RU", "ar", "ja-JP", "zh-CN"):
        locale = EngineLocale(code).root
        locale.style = Style
        locales.append(locale)
        terms += [term for named in locale.term_table.values() for term in named]
    for style_name in ("apa", "chicago-notes-bibliography", "modern-language-association", "ieee"):
        style = load_style(style_name)
        style.root.formatter = MarkingFormatter
        for locale in style.root.locales:
            terms += [term for named in locale.term_table.values() for term in named]
    assert all(isinstance(term, TermTexts) for term in terms)
    with_forms = sum(1 for term in terms if len(term))
    assert len(terms) > 2_000 and with_forms > 300
    for term in terms:
        for _ in range(2):
            single, multiple = term.single, term.multiple
            assert (type(single), single) == (type(expected := model.Term.single.fget(term)), expected)
            assert (type(multiple), multiple) == (type(expected := model.Term.multiple.fget(term)), expected)
