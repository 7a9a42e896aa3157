"""Fused renders (engine/fused.py): each prints exactly what the element's own render prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc import model

from conftest import csl_suite_runner
from lutnick_cli.citation.engine import elements, fused
from lutnick_cli.citation.render import CitationInput, render
from lutnick_cli.citation.styles import engine_style, find_style
from lutnick_cli.load import load_embedded, load_path

RECORDS = Path(__file__).resolve().parent / "records"


def _unfused(style):  # type: ignore[no-untyped-def]
    """The style with every element's fused render set to its own `render`: the path without fusion."""
    for element in style.root.pinned_elements:
        if getattr(type(element), "fused", None) is not None:
            element.__dict__["fused"] = element.render
    return style


def _style(name: str):  # type: ignore[no-untyped-def]
    source = find_style(name)
    return engine_style(Path(source.independent_path).read_bytes(), source.default_locale, name)


def _items() -> list[dict]:
    from lutnick_cli.citation.render import engine_item

    records = [load_embedded().record]
    for path in sorted(RECORDS.glob("*.yaml")):
        records += [loaded.record for loaded in load_path(str(path))]
    return [engine_item(record) for record in records]


def _citations(items: list[dict]) -> list[CitationInput]:
    """Each item cited alone, then again with a locator (ibid in a note style), then all together."""
    citations = []
    for note, item in enumerate(items, start=1):
        citations.append(CitationInput(({"id": item["id"]},), note * 2 - 1))
        citations.append(CitationInput(({"id": item["id"], "locator": "12-14", "label": "page"},), note * 2))
    citations.append(CitationInput(tuple({"id": item["id"]} for item in items), len(items) * 2 + 1))
    return citations


@pytest.mark.parametrize(
    "style", ["apa", "chicago-notes-bibliography", "ieee", "modern-language-association", "chicago-author-date"]
)
@pytest.mark.parametrize("output_format", ["text", "html"])
def test_a_style_renders_the_same_with_and_without_fused_renders(style: str, output_format: str) -> None:
    items = _items()
    citations = _citations(items)
    expected = render(_unfused(_style(style)), items, citations, output_format)
    assert render(_style(style), items, citations, output_format) == expected
    assert any(entry.text for entry in expected.entries) and all(expected.citations)


def test_every_csl_suite_fixture_renders_the_same_with_and_without_fused_renders(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    suite = csl_suite_runner()
    if not suite.suite_directory().is_dir():
        pytest.skip("the CSL test suite is not checked out next to the repository (../shared/csl-test-suite)")

    def outcome(fixture):  # type: ignore[no-untyped-def]
        try:
            return suite.render_fixture(fixture)
        except Exception as error:  # a fixture the engine cannot render must fail alike on both paths
            return f"{type(error).__name__}: {error}"

    fixtures = [suite.parse_fixture(path) for path in suite.fixture_paths()]
    fused_outcomes = [outcome(fixture) for fixture in fixtures]
    style_of = suite.style_of
    monkeypatch.setattr(suite, "style_of", lambda fixture: _unfused(style_of(fixture)))
    differing = [fixture.name for fixture, found in zip(fixtures, fused_outcomes) if outcome(fixture) != found]
    assert differing == []
    assert len(fixtures) > 800


def test_the_structural_elements_of_a_style_render_through_their_fused_renders() -> None:
    style = _style("apa")
    kinds = (model.Group, model.Macro, model.Choose, model.Text, model.Number, model.Label, model.Names, model.Name)
    structural = [element for element in style.root.pinned_elements if isinstance(element, kinds)]
    # every one has a fused render of its own, not its `render` (each text of APA prints something)
    assert structural and all(element.fused != element.render for element in structural)
    # a group's plan holds its children's fused renders
    group = next(element for element in structural if isinstance(element, model.Group))
    _, children = group.group_plan
    assert [render for _, render, _, _ in children] == [
        child.fused if hasattr(type(child), "fused") else child.render for child in group.iterchildren()
    ]


class _Bracketed:
    """A rule the fused renders do not know: a text's affixes in brackets."""

    def wrap(self, string):  # type: ignore[no-untyped-def]
        text = super().wrap(string)  # type: ignore[misc]
        return None if text is None else "[" + str(text) + "]"


def test_an_element_composing_a_rule_its_fused_render_does_not_know_keeps_its_render() -> None:
    assert fused._composed_as_planned(elements.note_classes()["text"], "text")
    assert fused._composed_as_planned(elements.IN_TEXT_CLASSES["text"], "text")
    for name in ("group", "macro", "choose", "number", "label", "names", "name"):
        assert fused._composed_as_planned(elements.note_classes()[name], name)
        assert fused._composed_as_planned(elements.IN_TEXT_CLASSES[name], name)
    unknown = type("BracketedText", (_Bracketed, elements.note_classes()["text"]), {})
    assert not fused._composed_as_planned(unknown, "text")
