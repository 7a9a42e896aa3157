"""Per-style caches (engine/performance.py): style-only look-ups happen once per style, not once per record."""

from __future__ import annotations

import dataclasses

import pytest

from lutnick_cli.citation.render import Renderer
from lutnick_cli.load import load_embedded


def records(count: int) -> list:
    record = load_embedded().record
    return [dataclasses.replace(record, id=f"r{index}", title=f"{record.title} {index}") for index in range(count)]


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association", "ieee"])
def test_no_style_lookups_are_repeated_per_record(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from citeproc import model

    renderer = Renderer(style)
    renderer.entries(records(3))  # warm: every style-only answer is computed here
    queries: list[str] = []
    original = model.CitationStylesElement.xpath_search

    def counting(self, expression):  # type: ignore[no-untyped-def]
        queries.append(expression)
        return original(self, expression)

    monkeypatch.setattr(model.CitationStylesElement, "xpath_search", counting)
    renderer.entries(records(3))
    style_only = [q for q in queries if "cs:macro" in q or "self::cs:citation or" in q or "ancestor-or-self::cs:layout" in q]
    assert style_only == []


def test_cached_rendering_is_unchanged() -> None:
    # The embedded article, exactly as APA prints it, after the caches are warm.
    renderer = Renderer("apa")
    record = load_embedded().record
    first = renderer.entries([record])
    assert renderer.entries([record]) == first == [
        (
            "Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
            "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154. https://doi.org/10.14197/atr.201219129"
        )
    ]
    assert renderer.in_text([record]) == "(Lutnick, 2019)"


def test_records_known_to_be_alone_are_not_rendered_again_and_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pass 2 of a long bibliography (citation.batch) tells disambiguation which records pass 1 found
    # sharing their first cite with no other; it must not render those, and the output is unchanged.
    import dataclasses as dc

    from lutnick_cli.citation.engine import disambiguation

    same = records(3)  # one author, one year: ambiguous among themselves
    other = dc.replace(same[0], id="solo", authors=(dc.replace(same[0].authors[0], family="Zeller"),))
    batch = [*same, other]
    renderer = Renderer("apa")
    surveyed = renderer.survey(batch, list(range(4)), first_cites=True)
    letters = [cite for _, cite, _ in surveyed]
    alone = [key for _, cite, key in surveyed if letters.count(cite) == 1]
    assert alone == ["solo"]
    plain = renderer.bibliography(batch, with_in_text=True)

    rendered: list[str] = []
    original = disambiguation.first_cite

    def recording(layout, item):  # type: ignore[no-untyped-def]
        rendered.append(item.key)
        return original(layout, item)

    # What disambiguation's first-cite renderer renders, once it has answered for the records alone.
    monkeypatch.setattr(disambiguation, "first_cite", recording)
    assert renderer.bibliography(batch, with_in_text=True, alone=alone) == plain
    assert [in_text for _, _, in_text in plain] == ["(Lutnick, 2019a)", "(Lutnick, 2019b)", "(Lutnick, 2019c)", "(Zeller, 2019)"]
    assert "solo" not in rendered and {"r0", "r1", "r2"} <= set(rendered)


def test_a_cite_that_renders_as_its_first_cite_is_not_rendered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Disambiguation renders every item's first cite; the cite of an item in no ambiguity group, cited
    # for the first time with no locator and in no note, is that render. Any other cite is rendered.
    import dataclasses as dc

    from lutnick_cli.citation.engine import collapse
    from lutnick_cli.citation.render import CitationInput, engine_item, render

    same = records(3)
    other = dc.replace(same[0], id="solo", authors=(dc.replace(same[0].authors[0], family="Zeller"),))
    batch = [*same, other]
    renderer = Renderer("apa")
    plain = renderer.bibliography(batch, with_in_text=True)
    rendered: list[str] = []
    original = collapse.render_layout

    def recording(layout, item, first=False):  # type: ignore[no-untyped-def]
        rendered.append(item.key)
        return original(layout, item, first=first)

    monkeypatch.setattr(collapse, "render_layout", recording)
    assert renderer.bibliography(batch, with_in_text=True) == plain
    assert [in_text for _, _, in_text in plain] == ["(Lutnick, 2019a)", "(Lutnick, 2019b)", "(Lutnick, 2019c)", "(Zeller, 2019)"]
    assert sorted(rendered) == ["r0", "r1", "r2"]
    rendered.clear()
    citations = [
        CitationInput(({"id": "solo", "prefix": "see "},)),  # first cited: its first cite, with its prefix
        CitationInput(({"id": "solo"},)),  # cited before
        CitationInput(({"id": "r0", "locator": "12"},)),
        CitationInput(({"id": "r1"},), note=3),
    ]
    result = render(renderer.style, [engine_item(record) for record in batch], citations, bibliography=False)
    assert result.citations == (
        "(see Zeller, 2019)", "(Zeller, 2019)", "(Lutnick, 2019a, p. 12)", "(Lutnick, 2019b)",
    )  # fmt: skip
    assert rendered == ["solo", "r0", "r1"]


@pytest.mark.parametrize(("style", "numbers"), [("apa", False), ("ieee", True), ("chicago-author-date", False)])
def test_styles_whose_cites_show_the_citation_number_are_told_apart(style: str, numbers: bool) -> None:
    assert Renderer(style).style.facts.numbers_cites is numbers


def test_a_style_calling_an_undefined_macro_is_refused_and_the_traits_survive_it(tmp_path) -> None:
    # lutnick refuses a user's style that calls a macro it never defines, even in a branch no
    # record reaches (tests/test_styles_hostile.py). Looking for the citation number through the
    # citation's macros must still not fail on one, should such a style reach the engine unchecked
    # (citeproc-py fails only if the macro is rendered).
    from pathlib import Path

    from lutnick_cli.citation.styles import _load_engine_style, find_style
    from lutnick_cli.errors import InvalidStyle

    source = Path(find_style("apa").path).read_text(encoding="utf-8")
    layout = '<layout delimiter="; " prefix="(" suffix=")">'
    assert layout in source
    unreachable = '<choose><if type="no-such-type"><text macro="no-such-macro"/></if></choose>'
    path = tmp_path / "undefined-macro.csl"
    path.write_text(source.replace(layout, layout + unreachable, 1), encoding="utf-8")
    line = source[:source.index(layout)].count("\n") + 1
    with pytest.raises(InvalidStyle) as refused:
        Renderer(str(path))
    assert str(refused.value) == f"{path}: macro 'no-such-macro' is used on line {line} but not defined"
    assert _load_engine_style(str(path), None).facts.numbers_cites is True


@pytest.mark.parametrize("style", ["apa", "chicago-notes-bibliography", "modern-language-association"])
def test_a_branch_judged_without_rendering_is_judged_as_rendering_judges_it(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A choose decides branches with only type and variable tests without rendering them
    # (performance.branch_passes); every such answer must be the one If.render gives.
    from pathlib import Path

    from citeproc import model

    from lutnick_cli.citation.engine.performance import PlannedChildren, branch_passes
    from lutnick_cli.load import SourcedRecord, iter_loaded

    corpus = Path(__file__).resolve().parent.parent / "compare" / "corpus"
    batch = [loaded.record for loaded in iter_loaded([str(corpus)], None, None) if isinstance(loaded, SourcedRecord)]
    renderer = Renderer(style)
    items = renderer._bibliography(batch).items
    branches = [element for element in renderer.style.root.iter() if isinstance(element, model.If) and not isinstance(element, model.Else_If)]
    taken = object()
    # A branch renders its children through PlannedChildren.render_children (the engine's, over citeproc-py's).
    monkeypatch.setattr(PlannedChildren, "render_children", lambda self, *args, **kwargs: taken)
    judged = 0
    for item in items:
        for branch in branches:
            quick = branch_passes(branch, item)
            if quick is None:
                continue
            judged += 1
            try:
                rendered = branch.render(item, context=branch) is taken
            except model.ConditionFailed:
                rendered = False
            assert quick is rendered, (dict(branch.attrib), item.key)
    assert judged > 1000


@pytest.mark.parametrize("style", ["apa", "chicago-notes-bibliography"])
def test_the_children_citeproc_reads_as_attributes_are_found_once(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # root.citation, citation.layout, citation.sort, bibliography.layout: an lxml find at every read in
    # citeproc-py (`SomewhatObjectifiedElement.__getattr__`), cached properties of the engine's classes.
    from citeproc import model

    renderer = Renderer(style)
    renderer.bibliography(records(3), with_in_text=True)
    asked: list[tuple[str, str]] = []
    original = model.SomewhatObjectifiedElement.__getattr__

    def counting(self, name):  # type: ignore[no-untyped-def]
        asked.append((self.tag.rsplit("}", 1)[-1], name))
        return original(self, name)

    monkeypatch.setattr(model.SomewhatObjectifiedElement, "__getattr__", counting)
    entries = renderer.bibliography(records(3), with_in_text=True)
    assert [entry for _, entry, _ in entries] == [
        entry for _, entry, _ in Renderer(style).bibliography(records(3), with_in_text=True)
    ]
    children = ("citation", "bibliography", "layout", "sort")
    assert [(tag, name) for tag, name in asked if name in children] == []


def _texts_and_segments(value: object) -> object:
    """A text as citeproc-py's strings build it: its kind and, for a MixedString, each segment's."""
    if isinstance(value, list):
        return (type(value).__name__, [_texts_and_segments(segment) for segment in value])
    return (type(value).__name__, str(value))


def test_join_gives_what_citeproc_py_s_join_gives() -> None:
    # Every pairing of the kinds of text the engine joins, at seams that drop a space or a doubled mark
    # or drop nothing, and delimiters that are empty, plain, or themselves end up empty.
    from itertools import product

    from citeproc.string import MixedString, NoCase, String
    from citeproc.string import join as citeproc_join

    from lutnick_cli.citation.engine.performance import join

    pieces = [
        String("Smith."),
        String(" and"),
        String(""),
        String("."),
        NoCase("iPhone "),
        MixedString([String("Title, "), NoCase("DNA")]),
        MixedString([String(". b"), String(" c ")]),
        MixedString([]),
        "plain.",
        ", tail",
        7,
    ]
    for delimiter in ("", ", ", ". ", " ", ".", String(". "), ",,"):
        for count in (0, 1, 2, 3):
            for items in product(pieces, repeat=count) if count < 3 else zip(pieces, reversed(pieces), pieces[3:]):
                try:
                    expected = _texts_and_segments(citeproc_join(list(items), delimiter))
                except TypeError:
                    with pytest.raises(TypeError):
                        join(list(items), delimiter)
                    continue
                assert _texts_and_segments(join(list(items), delimiter)) == expected, (items, delimiter)


def test_delimited_join_gives_what_citeproc_py_s_delimited_join_gives() -> None:
    # `delimited_join` against `Delimited.join`, for an element with a delimiter of its own and one
    # without, on none, one or several texts of the kinds the names rules join, and a text that cannot be
    # joined (an empty text, as citeproc-py gives).
    from itertools import product

    from citeproc.model import Delimited
    from citeproc.string import MixedString, NoCase, String

    from lutnick_cli.citation.engine.performance import delimited_join

    class Element(Delimited):
        def __init__(self, attributes: dict[str, str]) -> None:
            self.attributes = attributes

        def get(self, name: str, default: str = "") -> str:
            return self.attributes.get(name, default)

    pieces = ["Smith, J.", String("Jones."), NoCase("de la Cruz "), MixedString([String("Lee, "), NoCase("K.")]), 7]
    for attributes in ({}, {"delimiter": "; "}, {"delimiter": ""}):
        element = Element(attributes)
        for default in ("", ", ", ". "):
            for count in (0, 1, 2, 3):
                for texts in product(pieces, repeat=count):
                    expected = element.join(list(texts), default)
                    found = delimited_join(element, list(texts), default)
                    assert _texts_and_segments(found) == _texts_and_segments(expected), (texts, attributes, default)
                    if count == 1:
                        assert found is texts[0]


def test_affixes_are_added_as_citeproc_py_adds_them() -> None:
    # `affixed` against citeproc-py's `Affixed.wrap`, `added` against `+`, on the kinds of text an element
    # wraps and at seams that drop a space or a doubled mark or drop nothing.
    from citeproc.model import Affixed
    from citeproc.string import MixedString, NoCase, String

    from lutnick_cli.citation.engine.performance import added, affixed

    class Element(Affixed):
        def __init__(self, prefix: str, suffix: str) -> None:
            self.attributes = {"prefix": prefix, "suffix": suffix}

        def get(self, name: str, default: str = "") -> str:
            return self.attributes.get(name, default)

    texts = [
        String("Smith."),
        String(" and"),
        String(""),
        NoCase("iPhone "),
        MixedString([String(". Title, "), NoCase("DNA.")]),
        MixedString([]),
        "plain.",
    ]
    for prefix in ("", "(", ". ", " "):
        for suffix in ("", ")", ".", ". ", " "):
            for text in texts:
                expected = _texts_and_segments(Element(prefix, suffix).wrap(text))
                assert _texts_and_segments(affixed(prefix, text, suffix)) == expected, (prefix, text, suffix)
    for left in (String("("), String(""), String("a."), NoCase(". "), MixedString([String("x ")])):
        for other in texts:
            assert _texts_and_segments(added(left, other)) == _texts_and_segments(left + other), (left, other)
