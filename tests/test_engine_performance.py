"""Per-style caches (engine/performance.py): style-only look-ups happen once per style, not once per record."""

from __future__ import annotations

import dataclasses

import pytest

from lutnick_cli.cite import Renderer
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
