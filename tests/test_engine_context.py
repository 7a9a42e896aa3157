"""Each bibliography's renders keep their state to themselves (engine/context.py), and a style's facts are
read once (engine/facts.py)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from lutnick_cli.citation.engine import elements
from lutnick_cli.citation.engine.cache import style_cache
from lutnick_cli.citation.engine.facts import StyleFacts
from lutnick_cli.citation.render import CitationInput, render
from lutnick_cli.citation.styles import engine_style, find_style

# APA substitutes the title for missing authors (through a macro), disambiguates with year suffixes and
# names, and groups cites by author: every piece of state a render keeps.
ITEMS_A = [
    {"id": "untitled", "type": "report", "title": "Annual report on trafficking", "publisher": "Global Alliance",
     "issued": {"date-parts": [[2019]]}},
    {"id": "first", "type": "article-journal", "title": "Sex work and safety", "container-title": "Review",
     "author": [{"family": "Lutnick", "given": "Alexandra"}], "issued": {"date-parts": [[2019]]}},
    {"id": "second", "type": "article-journal", "title": "Policy and practice", "container-title": "Review",
     "author": [{"family": "Lutnick", "given": "Alexandra"}], "issued": {"date-parts": [[2019]]}},
]
CITATIONS_A = [CitationInput(({"id": "first"}, {"id": "second"}, {"id": "untitled"}))]
ITEMS_B = [
    {"id": "book", "type": "book", "title": "Trafficking in context", "publisher": "Press", "publisher-place": "Oakland",
     "editor": [{"family": "Zeller", "given": "Maria"}], "issued": {"date-parts": [[2001]]}},
    {"id": "chapter", "type": "chapter", "title": "Migration", "container-title": "Trafficking in context",
     "author": [{"family": "Zeller", "given": "Maria"}], "issued": {"date-parts": [[2001]]}},
]
CITATIONS_B = [CitationInput(({"id": "book"}, {"id": "chapter"}))]


def _style(name: str):  # type: ignore[no-untyped-def]
    """A style object of its own: citeproc-py keeps per-render state of its own on a style's elements."""
    return engine_style(Path(find_style(name).path).read_bytes(), None, name)


def _render_a(style):  # type: ignore[no-untyped-def]
    return render(style, ITEMS_A, CITATIONS_A, "html")


def _render_b(style):  # type: ignore[no-untyped-def]
    return render(style, ITEMS_B, CITATIONS_B, "html")


def test_the_renders_here_are_the_expected_ones() -> None:
    a = _render_a(_style("apa"))
    assert a.citations == ("(Annual Report on Trafficking, 2019; Lutnick, 2019a, 2019b)",)
    assert [entry.text for entry in a.entries] == [
        '<div class="csl-entry"><i>Annual report on trafficking</i>. (2019). Global Alliance.</div>',
        '<div class="csl-entry">Lutnick, A. (2019a). Policy and practice. <i>Review</i>.</div>',
        '<div class="csl-entry">Lutnick, A. (2019b). Sex work and safety. <i>Review</i>.</div>',
    ]
    b = _render_b(_style("chicago-author-date"))
    assert b.citations == ("(Zeller 2001b, 2001a)",)  # cited in the order given; the book sorts second


def test_a_render_nested_inside_another_in_one_thread_sees_none_of_its_state(monkeypatch: pytest.MonkeyPatch) -> None:
    # One bibliography renders while another is in the middle of rendering (here: at every fifth
    # variable the outer one reads, as it disambiguates, substitutes a title, groups cites): both come
    # out as they do alone.
    from citeproc.source import Reference

    style_a, style_b = _style("apa"), _style("chicago-author-date")
    expected_a, expected_b = _render_a(style_a), _render_b(style_b)
    nested: list[object] = []
    reads = [0]
    inside = [False]  # the nested render's own reads interrupt nothing

    def interrupt() -> None:
        if not inside[0]:
            reads[0] += 1
            if reads[0] % 5 == 0:
                inside[0] = True
                try:
                    nested.append(_render_b(style_b))
                finally:
                    inside[0] = False

    class InterruptingReference(Reference):  # type: ignore[misc]
        def __getitem__(self, key):  # type: ignore[no-untyped-def]
            interrupt()
            return super().__getitem__(key)

        def get(self, key, default=None):  # type: ignore[no-untyped-def]
            interrupt()  # the engine reads a record's type with `get`
            return super().get(key, default)

    class InterruptingSource(elements.EngineSource):  # type: ignore[misc, valid-type]
        def add(self, entry):  # type: ignore[no-untyped-def]
            object.__setattr__(entry, "__class__", InterruptingReference)  # a Reference sets attributes as items
            super().add(entry)

    monkeypatch.setattr(elements, "EngineSource", InterruptingSource)
    assert _render_a(style_a) == expected_a
    assert len(nested) > 50
    assert all(result == expected_b for result in nested)


def test_two_threads_rendering_at_once_see_none_of_each_other_s_state() -> None:
    styles = {"a": _style("apa"), "b": _style("chicago-author-date")}
    renders = {"a": _render_a, "b": _render_b}
    expected = {name: renders[name](styles[name]) for name in styles}
    found: dict[str, list[object]] = {name: [] for name in styles}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        start.wait()
        for _ in range(15):
            found[name].append(renders[name](styles[name]))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        threads = [threading.Thread(target=work, args=(name,)) for name in styles]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    for name in styles:
        assert found[name] == [expected[name]] * 15, name


@pytest.mark.parametrize(
    ("style", "facts", "walked"),
    [
        ("apa", StyleFacts(add_names=True, add_givenname=True, givenname_rule="primary-name-with-initials",
                           add_year_suffix=True, substitutes_authors=False, root=None),
         {"condition": False, "explicit_year_suffix": True, "numbers_cites": False}),
        ("ieee", StyleFacts(add_names=False, add_givenname=False, givenname_rule="by-cite", add_year_suffix=False,
                            substitutes_authors=False, root=None),
         {"condition": False, "explicit_year_suffix": False, "numbers_cites": True}),
        ("modern-language-association", StyleFacts(
            add_names=True, add_givenname=True, givenname_rule="by-cite", add_year_suffix=False,
            substitutes_authors=True, root=None),
         {"condition": True, "explicit_year_suffix": False, "numbers_cites": False}),
    ],
)
def test_a_style_s_facts_are_read_when_it_loads(style: str, facts: StyleFacts, walked: dict[str, bool]) -> None:
    loaded = _style(style)
    assert loaded.facts.root is loaded.root
    assert loaded.facts._replace(root=None) == facts
    # those that walk the style are read when first asked, then kept with it
    assert not any(key.startswith("facts ") for key in style_cache(loaded.root))
    for name, value in walked.items():
        assert getattr(loaded.facts, name) is value, name
        assert style_cache(loaded.root)[f"facts {name}"] is value, name
        assert getattr(loaded.facts, name) is value, name
    assert loaded.facts.disambiguates is (
        facts.add_names or facts.add_givenname or facts.add_year_suffix or walked["condition"]
    )


def test_an_uncited_id_s_citation_is_the_one_citeproc_py_s_constructors_make() -> None:
    from citeproc import Citation

    from lutnick_cli.citation.render import _item_class, _uncited

    Item = _item_class()
    made, built = Citation([Item("Lutnick2019")]), _uncited(Item, Citation, "Lutnick2019")
    assert (type(built), type(built.cites[0])) == (type(made), type(made.cites[0]))
    assert dict(built) == {"cites": built.cites} and built.cites[0].citation is built
    assert list(built.cites[0].items()) == [("key", "lutnick2019"), ("citation", built)]
    assert list(made.cites[0].items()) == [("key", "lutnick2019"), ("citation", made)]
    assert (vars(built), vars(built.cites[0])) == (vars(made), vars(made.cites[0]))
