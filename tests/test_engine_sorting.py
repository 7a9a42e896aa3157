"""Sort keys (engine/sorting.py) and names in sort keys (engine/names.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import csl_suite_runner

suite = csl_suite_runner()


def bibliography(body: str, items: list[dict]) -> str:
    return suite.render_inline(body, items, mode="bibliography", output_format="text")


def test_quotes_brackets_and_punctuation_do_not_decide_the_order() -> None:
    body = (
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout></bibliography>'
    )
    titles = ["Policy notes C", '"Policy notes B"', "Policy, notes A", "[R]eview", "éclair"]
    items = [{"id": str(index), "type": "book", "title": title} for index, title in enumerate(titles)]
    assert bibliography(body, items).splitlines() == [
        "éclair", "Policy, notes A", "“Policy notes B”", "Policy notes C", "[R]eview",
    ]  # fmt: skip


def test_names_sort_without_and() -> None:
    body = (
        '<macro name="author"><names variable="author"><name and="text" name-as-sort-order="all"/></names></macro>'
        '<citation><layout><text macro="author"/></layout></citation>'
        '<bibliography><sort><key macro="author"/></sort><layout><text macro="author"/></layout></bibliography>'
    )
    items = [
        {"id": "a", "type": "book", "author": [{"family": "Okafor", "given": "M"}, {"family": "Uche", "given": "W"}]},
        {"id": "b", "type": "book", "author": [
            {"family": "Okafor", "given": "M"}, {"family": "Nwosu", "given": "K"}, {"family": "Uche", "given": "W"},
        ]},
    ]  # fmt: skip
    assert bibliography(body, items).splitlines() == [
        "Okafor, M, Nwosu, K, and Uche, W",
        "Okafor, M and Uche, W",
    ]


def test_superscript_ordinals_become_sup_in_html_only() -> None:
    body = '<citation><layout><text variable="edition"/></layout></citation>'
    item = {"id": "a", "type": "book", "edition": "1ʳᵉ"}
    assert suite.render_inline(body, [item]) == "1<sup>r</sup><sup>e</sup>"
    assert suite.render_inline(body, [item], output_format="text") == "1ʳᵉ"


def test_every_unicode_superscript_becomes_sup_in_html() -> None:
    from lutnick_cli.citation.markup import finish

    assert finish("Brand™ ʱ ㆒", "html") == "Brand<sup>TM</sup> <sup>ɦ</sup> <sup>一</sup>"
    assert finish("Brand™", "text") == "Brand™"


def test_a_name_sort_key_parses_particles_out_of_the_family_name() -> None:
    body = (
        '<citation><sort><key variable="author"/></sort><layout delimiter="; "><names variable="author">'
        '<name name-as-sort-order="all"/></names></layout></citation>'
    )
    items = [
        {"id": "a", "type": "book", "author": [{"family": "van Rijn", "given": "Rembrandt"}]},
        {"id": "b", "type": "book", "author": [{"family": "Hals", "given": "Frans"}]},
    ]
    assert suite.render_inline(body, items) == "Hals, Frans; Rijn, Rembrandt van"


_TIED_BODY = (
    '<citation><layout><text variable="title"/></layout></citation>'
    '<bibliography><sort><key variable="publisher"/><key variable="volume"/><key variable="title"/></sort>'
    '<layout><text variable="title"/></layout></bibliography>'
)
# Volumes that citeproc-py's comparison (numbers as numbers, any other text as text) orders in a cycle:
# 2 < 10 as numbers, "10" < "1a" and "1a" < "2" as text. Only the first four tie on the publisher.
_TIED_ITEMS = [
    {"id": "a", "type": "book", "publisher": "Same", "volume": "10", "title": "Ten"},
    {"id": "b", "type": "book", "publisher": "Same", "volume": "1a", "title": "One A"},
    {"id": "c", "type": "book", "publisher": "Same", "volume": "2", "title": "Two"},
    {"id": "d", "type": "book", "publisher": "Same", "title": "None"},
    {"id": "e", "type": "book", "publisher": "Alone", "volume": "3", "title": "Alone"},
]


def test_keys_worked_out_as_comparisons_need_them_give_citeproc_s_order() -> None:
    from citeproc import Citation, model

    from lutnick_cli.citation.engine.elements import EngineSource
    from lutnick_cli.citation.markup import MarkingFormatter
    from lutnick_cli.citation.render import _bibliography_class, _item_class
    from lutnick_cli.citation.styles import engine_style

    lines = bibliography(_TIED_BODY, _TIED_ITEMS).splitlines()
    assert lines == ["Alone", "Ten", "One A", "Two", "None"]  # the cycle cut where the stable sort cuts it
    style = engine_style(
        (
            '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id/><title/>'
            f"<updated>2024-01-01T00:00:00+00:00</updated></info>{_TIED_BODY}</style>"
        ).encode(),
        None,
        "inline",
    )
    engine = _bibliography_class()(style, EngineSource(_TIED_ITEMS), MarkingFormatter)
    Item = _item_class()
    for item in _TIED_ITEMS:
        engine.register(Citation([Item(item["id"])]))
    element = style.root.bibliography.find("cs:sort", style.root.nsmap)
    every_key_first = model.Sort.sort(element, engine.items, style.root.bibliography.layout)  # citeproc-py's own
    assert [item.key for item in element.sort(engine.items, style.root.bibliography.layout)] == [
        item.key for item in every_key_first
    ]
    assert [item.key for item in every_key_first] == ["e", "a", "b", "c", "d"]


def test_text_keys_compared_from_forms_worked_out_once_compare_as_citeproc_does() -> None:
    import random

    from lutnick_cli.citation.engine.sorting import _comparable, _compared, _compared_forms

    pieces = ["", "1", "12", "007", " 3 ", "-4", "+5", "1_000", "٣", "2.5", "A", "a", "İ", "ß", "Z", "é", "\u0000x"]
    generator = random.Random(5)
    keys = ["".join(generator.choice(pieces) for _ in range(generator.randint(1, 3))) for _ in range(400)]
    for left in keys:
        for right in keys[:60]:
            forms = _comparable(left), _comparable(right)
            assert forms[0] is not None and forms[1] is not None
            assert _compared_forms(*forms) == _compared(left, right), (left, right)
    assert _comparable(12) is None and _comparable(("2019", "01")) is None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
def test_an_ascii_key_collates_as_casefolded_nfkd_text_without_accents(text: str) -> None:
    import re
    import unicodedata

    from lutnick_cli.citation.engine.richtext import strip_marks
    from lutnick_cli.citation.engine.sorting import _SORT_MARKS, collation_key

    plain = strip_marks(text).translate(_SORT_MARKS).strip()
    folded = unicodedata.normalize("NFKD", plain.casefold())
    base = "".join(char for char in folded if not unicodedata.combining(char))
    assert collation_key(text) == " ".join(re.sub(r"[^\w\s]", "", base).split()) + "\u0000" + plain
