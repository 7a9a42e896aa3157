"""The engine's own classes (engine/elements.py): rules as mixins over citeproc-py, leaving citeproc-py alone."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter, model
from citeproc.source.json import CiteProcJSON

from lutnick_cli.citation.engine import elements

SOURCE = Path(__file__).resolve().parent.parent / "src" / "lutnick_cli"

QUOTED_TITLE_STYLE = (
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id/><title/>'
    "<updated>2024-01-01T00:00:00+00:00</updated></info>"
    '<citation><layout><text variable="title" quotes="true" text-case="title" suffix="."/></layout></citation>'
    "</style>"
)
ITEM = {"id": "a", "type": "article", "title": "an anti-trafficking initiative through policy"}


def _overridden(mixin: type) -> list[str]:
    return [name for name, value in vars(mixin).items() if callable(value) and not name.startswith("__")]


def _rules() -> list[tuple[type, type, str]]:
    """(citeproc-py's class, rule mixin, method) for every method a rule overrides, the bibliography
    front end's rules included."""
    tables = [(elements.base_class(element), mixins) for element, mixins in elements.RULES.items()]
    tables.append((CitationStylesBibliography, elements.BIBLIOGRAPHY_RULES))
    return [(base, mixin, method) for base, mixins in tables for mixin in mixins for method in _overridden(mixin)]


@pytest.mark.parametrize(("base", "mixin", "method"), _rules(), ids=lambda value: getattr(value, "__name__", value))
def test_every_method_a_rule_overrides_exists_on_its_citeproc_base(base: type, mixin: type, method: str) -> None:
    # A method renamed upstream would otherwise silently turn the rule off.
    owners = [cls for cls in base.__mro__ if method in vars(cls)]
    assert owners, f"{mixin.__name__}.{method} overrides nothing on citeproc-py's {base.__name__}"
    assert owners[0].__module__.startswith("citeproc.")
    ours = inspect.signature(getattr(mixin, method))
    theirs = inspect.signature(getattr(owners[0], method))
    assert list(ours.parameters)[: len(theirs.parameters)] == list(theirs.parameters)


def test_the_table_has_every_csl_element_and_only_those() -> None:
    citeproc_elements = {cls.__name__.replace("_", "-").lower() for cls in model.CitationStylesElement.__subclasses__()}
    assert set(elements.RULES) == citeproc_elements | {"source"}


def test_each_engine_class_is_citeproc_s_with_the_rules_in_order() -> None:
    text = elements.CLASSES["text"]
    assert text.__mro__[: len(elements.RULES["text"]) + 2] == (text, *reversed(elements.RULES["text"]), model.Text)
    assert elements.CLASSES["else"] is model.Else  # no rule: citeproc-py's own class
    # Not a direct subclass of citeproc-py's base element, so citeproc-py's own lookup never picks it up.
    assert text not in model.CitationStylesElement.__subclasses__()


def _plain_citeproc() -> str:
    import io

    style = CitationStylesStyle(io.BytesIO(QUOTED_TITLE_STYLE.encode()), validate=False)
    assert type(style.root.citation.layout) is model.Layout
    assert all(type(locale).__module__ == "citeproc.model" for locale in style.root.locales)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([ITEM]), formatter.plain)
    citation = Citation([CitationItem("a")])
    bibliography.register(citation)
    return str(bibliography.cite(citation, lambda item: None))


_PATCH = re.compile(r"^\s*(model|CiteProcJSON)\.(?:(\w+)\.)?(\w+)\s*=", re.MULTILINE)


def _still_patched() -> set[tuple[str, str]]:
    """(citeproc-py class, method) that the engine modules not yet migrated assign when installed."""
    found = set()
    for path in (SOURCE / "citation" / "engine").glob("*.py"):
        if path.stem not in elements.MIGRATED:
            for owner, cls, method in _PATCH.findall(path.read_text(encoding="utf-8")):
                found.add((cls or owner, method))
    return found


def _migrated_methods() -> dict[tuple[type, str], object]:
    """For every method a rule mixin overrides and no installed patch touches: its function on every
    citeproc-py class that defines it."""
    patched = _still_patched()
    return {
        (cls, method): vars(cls)[method]
        for base, mixin, method in _rules()
        for cls in base.__mro__
        if method in vars(cls) and (cls.__name__, method) not in patched
    }


def test_plain_citeproc_renders_beside_the_engine_and_is_left_as_it_was() -> None:
    from lutnick_cli.citation import engine
    from lutnick_cli.citation.render import CitationInput, render
    from lutnick_cli.citation.styles import engine_style

    engine.install()  # the modules not yet migrated patch citeproc-py's classes; those are not checked here
    before = _migrated_methods()
    assert sorted((cls.__name__, method) for cls, method in before) == [
        ("Affixed", "wrap"), ("Choose", "render"), ("CitationStylesBibliography", "bibliography"),
        ("CitationStylesBibliography", "cite"), ("CitationStylesElement", "get_option"), ("CitationStylesElement", "render"),
        ("CiteProcJSON", "parse_names"), ("CiteProcJSON", "parse_string"), ("Formatted", "font_style"), ("Group", "process"),
        ("If", "_position"), ("Key", "_format_name"), ("Key", "sort_keys"), ("Label", "process"),
        ("Layout", "render_bibliography"), ("Layout", "render_citation"), ("Macro", "render"), ("Parent", "render_children"),
        ("Quoted", "quote"), ("Style", "set_locale_list"), ("Substitute", "render"), ("Text", "render"), ("TextCased", "case"),
    ]
    for (cls, method), function in before.items():
        assert function.__module__.startswith("citeproc."), f"{cls.__name__}.{method} is not citeproc-py's"
    plain = _plain_citeproc()
    result = render(engine_style(QUOTED_TITLE_STYLE.encode(), None, "inline"), [ITEM], [CitationInput(({"id": "a"},))])
    assert result.citations == ("“An Anti-Trafficking Initiative through Policy.”",)  # title case, punctuation in the quote
    assert plain == "“An Anti-trafficking Initiative Through Policy”."  # citeproc-py's own rules
    assert _plain_citeproc() == plain
    assert _migrated_methods() == before


def test_the_migrated_modules_assign_nothing_into_citeproc() -> None:
    assignment = re.compile(r"^\s*(?:model|CiteProcJSON|citeproc)\.[\w.]+\s*=", re.MULTILINE)
    for module in (*elements.MIGRATED, "elements"):
        text = (SOURCE / "citation" / "engine" / f"{module}.py").read_text(encoding="utf-8")
        assert not assignment.findall(text), module
        assert "def install(" not in text, module
