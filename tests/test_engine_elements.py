"""The engine's own classes (engine/elements.py): rules as mixins over citeproc-py, leaving citeproc-py alone."""

from __future__ import annotations

import ast
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
    text = elements.note_classes()["text"]
    assert text.__mro__[: len(elements.RULES["text"]) + 2] == (text, *reversed(elements.RULES["text"]), model.Text)
    for name, cls in elements.note_classes().items():  # every element has rules: none is citeproc-py's own class
        rules = elements.RULES[name]
        assert cls.__mro__[1: len(rules) + 2] == (*reversed(rules), elements.base_class(name))
    # Not a direct subclass of citeproc-py's base element, so citeproc-py's own lookup never picks it up.
    assert text not in model.CitationStylesElement.__subclasses__()


@pytest.mark.parametrize("style_class", ["note", "in-text"])
def test_only_a_note_style_s_elements_have_the_note_rules(style_class: str) -> None:
    import io

    xml = QUOTED_TITLE_STYLE.replace('class="in-text"', f'class="{style_class}"')
    style = elements.EngineStyle(io.BytesIO(xml.encode()), validate=False)
    text = style.root.citation.layout[0]
    rules = [rule for rule in elements.RULES["text"] if style_class == "note" or rule not in elements.NOTE_RULES]
    assert type(text).__mro__[1: len(rules) + 2] == (*reversed(rules), model.Text)
    assert (elements.FirstPrinted in type(text).__mro__) == (style_class == "note")


def _plain_citeproc() -> str:
    import io

    style = CitationStylesStyle(io.BytesIO(QUOTED_TITLE_STYLE.encode()), validate=False)
    assert type(style.root.citation.layout) is model.Layout
    assert all(type(locale).__module__ == "citeproc.model" for locale in style.root.locales)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([ITEM]), formatter.plain)
    citation = Citation([CitationItem("a")])
    bibliography.register(citation)
    return str(bibliography.cite(citation, lambda item: None))


def _migrated_methods() -> dict[tuple[type, str], object]:
    """For every method a rule mixin overrides: its function on every citeproc-py class that defines it."""
    return {
        (cls, method): vars(cls)[method]
        for base, mixin, method in _rules()
        for cls in base.__mro__
        if method in vars(cls)
    }


def test_plain_citeproc_renders_beside_the_engine_and_is_left_as_it_was() -> None:
    from lutnick_cli.citation.render import CitationInput, render
    from lutnick_cli.citation.styles import engine_style

    before = _migrated_methods()
    assert sorted((cls.__name__, method) for cls, method in before) == [
        ("Affixed", "wrap"), ("Choose", "render"), ("CitationStylesBibliography", "bibliography"),
        ("CitationStylesBibliography", "cite"), ("CitationStylesElement", "get_date"),
        ("CitationStylesElement", "get_layout"), ("CitationStylesElement", "get_macro"),
        ("CitationStylesElement", "get_option"), ("CitationStylesElement", "get_root"),
        ("CitationStylesElement", "get_term"), ("CitationStylesElement", "render"),
        ("CitationStylesElement", "xpath_search"), ("CiteProcJSON", "parse_date"), ("CiteProcJSON", "parse_names"),
        ("CiteProcJSON", "parse_string"), ("Date", "calls_variable"), ("Date", "is_locale_date"),
        ("Date", "process"), ("FormatNumber", "_process"), ("FormatNumber", "format_number"),
        ("Formatted", "font_style"), ("Formatted", "format"), ("Group", "calls_variable"), ("Group", "process"),
        ("If", "_position"), ("If", "_type"), ("If", "_variable"), ("If", "render"), ("Key", "_format_name"),
        ("Key", "sort_keys"), ("Label", "_is_plural"), ("Label", "calls_variable"), ("Label", "process"),
        ("Layout", "render_bibliography"), ("Layout", "render_citation"), ("Locale", "get_date"),
        ("Locale", "get_term"), ("Macro", "render"), ("Name", "get_option"), ("Name", "markup"),
        ("Name", "process"), ("Names", "calls_variable"), ("Names", "get_parent_delimiter"), ("Names", "process"),
        ("Names", "substitute"), ("Number", "calls_variable"), ("Number", "format_number"), ("Number", "process"),
        ("Parent", "calls_variable"), ("Parent", "render_children"), ("Quoted", "quote"), ("Sort", "sort"),
        ("Style", "set_locale_list"), ("Substitute", "render"), ("Text", "_variable"), ("Text", "calls_variable"),
        ("Text", "process"), ("Text", "render"), ("TextCased", "case"),
    ]
    for (cls, method), function in before.items():
        assert function.__module__.startswith("citeproc."), f"{cls.__name__}.{method} is not citeproc-py's"
    plain = _plain_citeproc()
    result = render(engine_style(QUOTED_TITLE_STYLE.encode(), None, "inline"), [ITEM], [CitationInput(({"id": "a"},))])
    assert result.citations == ("“An Anti-Trafficking Initiative through Policy.”",)  # title case, punctuation in the quote
    assert plain == "“An Anti-trafficking Initiative Through Policy”."  # citeproc-py's own rules
    assert _plain_citeproc() == plain
    assert _migrated_methods() == before


_MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear", "remove", "discard"}


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _assignments_into_citeproc(tree: ast.Module) -> list[str]:
    """Assignments (and setattr, delattr) to an attribute of anything imported from citeproc, or of the
    engine's own classes (a patch of those is a patch still)."""
    citeproc_names = {"IN_TEXT_CLASSES", "note_classes"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            citeproc_names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names
                               if alias.name.split(".")[0] == "citeproc"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "citeproc":
            citeproc_names |= {alias.asname or alias.name for alias in node.names}
    found = []
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            targets = [ast.Attribute(value=node.args[0], attr="?")] if node.args else []
        for target in targets:
            if isinstance(target, ast.Attribute) and _root_name(target.value) in citeproc_names:
                found.append(f"line {node.lineno}: {ast.unparse(target)}")
    return sorted(found, key=_line)


def _line(finding: str) -> int:
    return int(finding.split(":")[0].split()[1])


def _mutable_module_state(tree: ast.Module) -> list[str]:
    """`global` statements, and module-level names changed after the module is loaded (an item set or
    deleted, a mutating method called)."""
    module_names = set()
    for node in tree.body:
        for target in node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]:
            if isinstance(target, ast.Name):
                module_names.add(target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"line {node.lineno}: global {', '.join(node.names)}")
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, (ast.Subscript, ast.Attribute)) and _root_name(target) in module_names:
                found.append(f"line {node.lineno}: {ast.unparse(target)}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS
                and isinstance(node.func.value, ast.Name) and node.func.value.id in module_names):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}()")
    return sorted(found, key=_line)


@pytest.mark.parametrize("path", sorted(SOURCE.rglob("*.py")), ids=lambda path: str(path.relative_to(SOURCE)))
def test_nothing_assigns_into_citeproc_py(path: Path) -> None:
    assert _assignments_into_citeproc(ast.parse(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", sorted((SOURCE / "citation" / "engine").glob("*.py")), ids=lambda path: path.name)
def test_the_engine_keeps_no_module_level_state_and_installs_nothing(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _mutable_module_state(ast.parse(text)) == []
    assert "def install(" not in text


def test_the_check_for_patches_and_state_finds_them() -> None:
    # The two checks above, on a module that does what they forbid.
    patching = ast.parse(
        "from citeproc import model\nimport citeproc.source as source\n_seen = {}\n_count = 0\n"
        "def install():\n    global _count\n    model.Text.process = None\n    setattr(source, 'x', 1)\n"
        "    note_classes()['text'].render = None\n    _seen['a'] = 1\n    _seen.setdefault('b', 2)\n"
    )
    assert _assignments_into_citeproc(patching) == [
        "line 7: model.Text.process", "line 8: source.?", "line 9: note_classes()['text'].render",
    ]
    assert _mutable_module_state(patching) == [
        "line 6: global _count", "line 10: _seen['a']", "line 11: _seen.setdefault()",
    ]


def _term_answer(locale, name: str, form: str | None, zero_padded: bool) -> str:
    try:
        term = locale.get_term(name, form, zero_padded=zero_padded)
    except IndexError:
        return "none"
    return locale.getroottree().getpath(term)


def test_a_locale_s_term_table_answers_as_citeproc_py_s_query() -> None:
    # Every locale file citeproc-py ships, asked for each term it defines in each form the locale
    # has for it and in no form, and for forms and a name it lacks; zero-padded too where a term of
    # the name has a `match` (the ordinals): the table finds the term citeproc-py's query finds.
    from citeproc.frontend import CitationStylesLocale

    from lutnick_cli.citation.styles import locale_codes, locales_directory

    codes = [code for code in locale_codes() if (Path(locales_directory()) / f"locales-{code}.xml").is_file()]
    assert len(codes) > 50
    asked = 0
    for code in codes:
        plain = CitationStylesLocale(code, validate=False).root
        engine = elements.EngineLocale(code, validate=False).root
        assert type(plain) is model.Locale and isinstance(engine, elements.TermTable)
        forms: dict[str, set[str | None]] = {"no-such-term": {None, "short"}}
        padded: set[str] = set()
        for term in plain.iter("{http://purl.org/net/xbiblio/csl}term"):
            forms.setdefault(term.get("name"), {None, "verb-short"}).add(term.get("form"))
            if term.get("match") is not None:
                padded.add(term.get("name"))
        for name, name_forms in forms.items():
            for form in name_forms:
                for zero_padded in (False, True) if name in padded else (False,):
                    expected = _term_answer(plain, name, form, zero_padded)
                    assert _term_answer(engine, name, form, zero_padded) == expected, (code, name, form, zero_padded)
                    asked += 1
    assert asked > 30_000
