"""Sort keys (engine/sorting.py) and names in sort keys (engine/names.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "lutnick_csl_suite" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("lutnick_csl_suite", Path(__file__).with_name("csl_suite.py"))
    sys.modules["lutnick_csl_suite"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["lutnick_csl_suite"])
suite = sys.modules["lutnick_csl_suite"]


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
