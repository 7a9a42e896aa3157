"""The engine's own classes: citeproc-py's, with lutnick's rules composed over them as mixins.

citeproc-py builds a style's elements through an lxml class lookup
(`citeproc.frontend.CitationStylesXML`): each CSL element becomes an
instance of the class of its name in `citeproc.model`. lutnick parses
styles and locales with its own lookup instead (`EngineStyle`,
`EngineLocale`), which gives each element a subclass of citeproc-py's class
with lutnick's rule mixins in front; the CSL-JSON source is
`EngineSource`, a subclass of citeproc-py's `CiteProcJSON`. citeproc-py's
own classes are not touched by these, so plain citeproc-py renders as
before beside them.

`RULES` is the one table of what applies where: for each CSL element (and
the source), its rule mixins in composition order, innermost first: each
mixin's `super()` reaches the one listed before it, and the first reaches
citeproc-py's class. A rule that replaces a method outright does not call
`super()`; its docstring says so. `BIBLIOGRAPHY_RULES` are those of the
bibliography front end (`CitationStylesBibliography`), which
`citation.render` subclasses with them. What a render needs beyond the
style and the items, the rules find in the bibliography's render context
(`engine.context`); what the style says about itself, in `EngineStyle.facts`.

In each tuple the rules of the engine's modules come in one order: those of
performance, names, dates, numbers, variables, absent, display,
disambiguation and collapse, then textcase, sorting, positions and
richtext. Where two rules wrap one method, the later one sees what the
earlier one made; richtext, which resolves the finished output, is the last
to override a method. The fused render of engine/fused.py (`FusedRender`)
comes after it: it overrides nothing, and gives each element a `fused`
function that does what its `render` does through the rules before it,
which its parents call.
"""

from __future__ import annotations

from functools import cache, lru_cache

from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS, model
from citeproc.frontend import CitationStylesLocale, CitationStylesStyle, CitationStylesXML
from citeproc.source.json import CiteProcJSON
from lxml import etree

from lutnick_cli.citation.engine.absent import GroupUnlessAbsent, MacroUnlessAbsent
from lutnick_cli.citation.engine.collapse import (
    CollapsedCitation,
    FirstPrinted,
    NameCapture,
    NamesCapture,
    SubsequentAuthorSubstitute,
)
from lutnick_cli.citation.engine.dates import DateRules, LenientDates
from lutnick_cli.citation.engine.disambiguation import (
    CurrentLayout,
    DisambiguateCondition,
    DisambiguatedBibliography,
    ImplicitYearSuffix,
    LabelYearSuffix,
)
from lutnick_cli.citation.engine.display import DisplayBlock, SecondFieldAlign
from lutnick_cli.citation.engine.facts import StyleFacts
from lutnick_cli.citation.engine.fused import FusedRender
from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.names import NameRules, NamesRules
from lutnick_cli.citation.engine.numbers import LocatorText, NumberVariable, PageRanges, PluralLabels, TermTexts
from lutnick_cli.citation.engine.performance import (
    CalledVariables,
    ChildElements,
    DateQueries,
    LayoutChild,
    LocaleQueries,
    NameOptions,
    NamesQueries,
    PinnedElements,
    PlainFormat,
    PlannedChildren,
    PlannedConditions,
    PlannedText,
    QuickBranch,
    SortChild,
    StyleQueries,
    TermsOnce,
)
from lutnick_cli.citation.engine.positions import FirstReferenceNoteNumber, IndexedCites, NotePositions
from lutnick_cli.citation.engine.richtext import (
    QuoteMarks,
    ResolvedLayout,
    RichTextFields,
    RichTextValue,
    ScriptAwareFontStyle,
)
from lutnick_cli.citation.engine.sorting import CollatedKey, LazyKeys
from lutnick_cli.citation.engine.textcase import TextCase
from lutnick_cli.citation.engine.variables import (
    BranchTaken,
    CleanedValues,
    DateUnlessSubstituted,
    GroupByBranchTaken,
    LabelWithVariable,
    MacroAsGroup,
    NamesUnlessSubstituted,
    NearNoteDistance,
    NumberUnlessSubstituted,
    SpentSubstitution,
    TextUnlessSubstituted,
)

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class EngineLocales:
    """Rule mixin for `cs:style`: the locale files a style falls back on are parsed with the engine's
    classes too, in citeproc-py's order of fallback (CSL 1.0.2, "Locale fallback")."""

    def set_locale_list(self, output_locale, validate=True):  # type: ignore[no-untyped-def]
        """Overrides `Style.set_locale_list` (replaced, the same search): the style's own `cs:locale`s for
        the dialect, the language and no language, then the locale files of the dialect, the language's
        primary dialect and en-US, each parsed by `EngineLocale`."""
        language = output_locale.split("-")[0]
        own = list(self.iterchildren(f"{{{CSL_NAMESPACE}}}locale"))
        found = []
        for lang in (output_locale, language, None):
            found.extend([locale for locale in own if locale.get(XML_LANG) == (lang or None)][:1])
        files = [output_locale] if output_locale in LANGUAGE_NAMES else []
        if language in PRIMARY_DIALECTS:
            files.append(PRIMARY_DIALECTS[language])
        files.append("en-US")
        found.extend(EngineLocale(code, validate=validate).root for code in dict.fromkeys(files))
        self.locales = found
        for locale in found:
            locale.style = self


class MacroTable:
    """Rule mixin for `cs:style`: its macros by name, read in one pass over its children when first asked.

    `performance.StyleQueries.get_macro` keeps each macro it finds in the root's `macros_by_name`; it
    found each with an XPath query of its own (`CitationStylesElement.get_macro`, compiled on every
    call): some seventy for APA, as its facts are read and its first entry rendered. Here the table
    starts with every macro of the style, the first of each name as that query finds it; a name the
    style does not define is still asked of citeproc-py, which fails as before.
    """

    @cached_property
    def macros_by_name(self) -> dict:
        macros: dict = {}
        for macro in self.iterchildren(f"{{{CSL_NAMESPACE}}}macro"):  # type: ignore[attr-defined]
            macros.setdefault(macro.get("name"), macro)
        return macros


class TermTable:
    """Rule mixin for `cs:locale`: its terms looked up by name in a table made in one pass over them.

    citeproc-py's `Locale.get_term` finds a term with an XPath query over the locale's terms, compiled
    on every call: en-US has some four hundred terms, and a first APA entry asks for a dozen, in the
    style's own locale and then in en-US. The table holds each name's terms in document order, read
    with one attribute each (reading a term's form and match too, for every term, took 3.8M
    instructions of a cold `lutnick cite`); of the few of a name, a look-up takes the first that the
    query finds.
    """

    @cached_property
    def term_table(self) -> dict:
        """The cs:term elements of each name, in document order."""
        table: dict = {}
        terms = self.find(f"{{{CSL_NAMESPACE}}}terms")  # type: ignore[attr-defined]
        if terms is not None:
            for term in terms.iterchildren(f"{{{CSL_NAMESPACE}}}term"):
                found = table.get(name := term.get("name"))
                if found is None:
                    table[name] = [term]
                else:
                    found.append(term)
        return table

    def get_term(self, name, form=None, zero_padded=False):  # type: ignore[no-untyped-def]
        """Overrides `Locale.get_term` (replaced, the same answers; IndexError for a term the locale
        lacks): the first term of the name whose form is `form` (None: no form), and with `zero_padded`,
        that is no `match` of ordinals' zero padding. A name or form that is no plain string, or that
        would break the query's quoting, is still asked of citeproc-py, which answers (or fails) as it did.
        Test: tests/test_engine_elements.py::test_a_locale_s_term_table_answers_as_citeproc_py_s_query."""
        if not all(isinstance(part, str) and "'" not in part for part in (name, form or "")):
            return super().get_term(name, form, zero_padded=zero_padded)
        for term in self.term_table.get(name, ()):
            if term.get("form") == form and not (
                zero_padded and term.get("match") in ("whole-number", "last-two-digits")
            ):
                return term
        raise IndexError


# CSL 1.0.2, "Terms": the form a term falls back to when no locale has it in the form asked for.
TERM_FORM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


class TermForms:
    """Rule mixin for the elements that print terms: a form that no locale defines falls back to the
    next form (`verb-short` to `verb`, `symbol` to `short`, then to the long form), after locale
    fallback, as citeproc-js does; citeproc-py printed nothing (`reviewed-author` has only a `verb`
    form in en-US, so `form="verb-short"` lost its "by")."""

    def get_term(self, name, form=None, fallback_locale=True, zero_padded=False):  # type: ignore[no-untyped-def]
        """Overrides `CitationStylesElement.get_term` (wrapped): the form fallback above.
        Test: tests/test_engine_variables.py::test_a_term_form_no_locale_defines_falls_back."""
        term = super().get_term(name, form, fallback_locale=fallback_locale, zero_padded=zero_padded)
        while term is None and form in TERM_FORM_FALLBACK:
            form = TERM_FORM_FALLBACK[form]
            term = super().get_term(name, form, fallback_locale=fallback_locale, zero_padded=zero_padded)
        return term


# For each CSL element (by tag) and the source: its rule mixins, innermost first.
RULES: dict[str, tuple[type, ...]] = {
    "style": (EngineLocales, PinnedElements, StyleQueries, TermsOnce, ChildElements, MacroTable, NearNoteDistance),
    "locale": (StyleQueries, TermTable, LocaleQueries),
    "citation": (StyleQueries, LayoutChild, SortChild),
    "bibliography": (StyleQueries, LayoutChild),
    "term": (StyleQueries, TermTexts),
    "sort": (StyleQueries, LazyKeys),
    "key": (StyleQueries, CollatedKey),
    "macro": (StyleQueries, CalledVariables, MacroAsGroup, MacroUnlessAbsent, FusedRender),
    "layout": (
        StyleQueries, CalledVariables, PlannedChildren, PlainFormat, DisplayBlock, SecondFieldAlign, CurrentLayout,
        CollapsedCitation, SubsequentAuthorSubstitute, ScriptAwareFontStyle, ResolvedLayout,
    ),
    "text": (
        StyleQueries, TermsOnce, TermForms, CalledVariables, PlainFormat, PlannedText, PageRanges, LocatorText,
        TextUnlessSubstituted, DisplayBlock, LabelYearSuffix, FirstPrinted, TextCase, FirstReferenceNoteNumber,
        RichTextValue, ScriptAwareFontStyle, QuoteMarks, FusedRender,
    ),
    "date": (
        StyleQueries, TermsOnce, TermForms, CalledVariables, PlainFormat, DateQueries, DateRules, DateUnlessSubstituted,
        DisplayBlock, ImplicitYearSuffix, FirstPrinted, ScriptAwareFontStyle,
    ),
    "date-part": (StyleQueries, TermsOnce, TermForms, PlainFormat, DisplayBlock, TextCase, ScriptAwareFontStyle),
    "number": (
        StyleQueries, TermsOnce, CalledVariables, PlainFormat, PageRanges, NumberVariable, NumberUnlessSubstituted,
        DisplayBlock, FirstPrinted, TextCase, ScriptAwareFontStyle, FusedRender,
    ),
    "names": (
        StyleQueries, CalledVariables, PlainFormat, NamesQueries, NamesRules, DisplayBlock, NamesCapture,
        ScriptAwareFontStyle, FusedRender,
    ),
    "name": (
        StyleQueries, TermsOnce, PlainFormat, NameOptions, NameRules, NamesUnlessSubstituted, DisplayBlock,
        FirstPrinted, NameCapture, ScriptAwareFontStyle, FusedRender,
    ),
    "name-part": (StyleQueries, PlainFormat, DisplayBlock, TextCase, ScriptAwareFontStyle),
    "et-al": (StyleQueries, TermsOnce, PlainFormat, DisplayBlock, ScriptAwareFontStyle),
    "substitute": (StyleQueries, CalledVariables, SpentSubstitution),
    "label": (
        StyleQueries, TermsOnce, TermForms, CalledVariables, PlainFormat, PluralLabels, LabelWithVariable, DisplayBlock,
        FirstPrinted, TextCase, ScriptAwareFontStyle, FusedRender,
    ),
    "group": (StyleQueries, CalledVariables, PlainFormat, GroupByBranchTaken, GroupUnlessAbsent, DisplayBlock,
              ScriptAwareFontStyle, FusedRender),
    "choose": (StyleQueries, CalledVariables, BranchTaken, FusedRender),
    "if": (
        StyleQueries, CalledVariables, PlannedConditions, QuickBranch, PlannedChildren, DisambiguateCondition,
        NotePositions,
    ),
    "else-if": (
        StyleQueries, CalledVariables, PlannedConditions, QuickBranch, PlannedChildren, DisambiguateCondition,
        NotePositions,
    ),
    "else": (StyleQueries, CalledVariables, QuickBranch, PlannedChildren),
    "source": (LenientDates, CleanedValues, RichTextFields),
}  # fmt: skip

# The rule mixins of the bibliography front end (`CitationStylesBibliography`, which `citation.render`
# subclasses), innermost first.
BIBLIOGRAPHY_RULES: tuple[type, ...] = (DisambiguatedBibliography, IndexedCites)


def base_class(name: str) -> type:
    """citeproc-py's class for an element (or `CiteProcJSON` for "source")."""
    if name == "source":
        return CiteProcJSON
    return getattr(model, name.replace("-", "_").title())


def _compose(name: str, leave_out: frozenset[type] = frozenset()) -> type:
    base = base_class(name)
    mixins = [mixin for mixin in RULES[name] if mixin not in leave_out]
    # Later mixins come first in the bases, so that each one's super() reaches the one before it.
    return type(f"Engine{base.__name__}", (*reversed(mixins), base), {"__module__": __name__})


# The rules only a note style needs (CSL 1.0.2 `class="note"`). `FirstPrinted` is one call more for every
# element rendered, and only a note's leading term is capitalised, so other styles (and locales) are
# parsed with classes without these; an element's classes are otherwise the same.
NOTE_RULES: frozenset[type] = frozenset({FirstPrinted})
IN_TEXT_CLASSES: dict[str, type] = {name: _compose(name, leave_out=NOTE_RULES) for name in RULES}
EngineSource = IN_TEXT_CLASSES["source"]


@cache
def note_classes() -> dict[str, type]:
    """Each element's class with every rule of `RULES`, the note rules included: composed when first asked
    for (a note style parsed), as most commands parse none; where an element has no note rule, its class
    is the same as in `IN_TEXT_CLASSES`."""
    return {
        name: _compose(name) if NOTE_RULES.intersection(RULES[name]) else cls for name, cls in IN_TEXT_CLASSES.items()
    }


@lru_cache(maxsize=2)
def _lookup(note: bool) -> etree.ElementNamespaceClassLookup:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NAMESPACE)
    namespace[None] = model.CitationStylesElement
    classes = note_classes() if note else IN_TEXT_CLASSES
    namespace.update({name: cls for name, cls in classes.items() if name != "source"})
    return lookup


class EngineXML(CitationStylesXML):
    """citeproc-py's style or locale document, parsed with the engine's classes (see `RULES`).

    A document that is not well-formed, or whose root is not the CSL element
    `ROOT`, is a ValueError (as citeproc-py's unknown locale is) before
    anything is built on it.
    """

    ROOT = ""

    def __init__(self, f, validate=True):  # type: ignore[no-untyped-def]
        # citeproc-py's own __init__ builds its lookup inline, so it is not called; this does what it
        # does (comments removed, no network) with the engine's lookup, and neither resolves entities
        # nor loads a DTD (styles.py refuses a style that declares either). Nothing is validated
        # against citeproc-py's schema (lutnick always asked for none): styles._check_style refuses
        # what would fail.
        self.parser = etree.XMLParser(
            remove_comments=True, encoding="UTF-8", no_network=True, resolve_entities=False, load_dtd=False
        )
        self.parser.set_element_class_lookup(_lookup(note=False))
        try:
            self.xml = etree.parse(f, self.parser)
        except etree.XMLSyntaxError as error:
            raise ValueError(f"not a CSL {self.ROOT} (not well-formed XML: {error})") from None
        self.root = self.xml.getroot()
        if self.root.tag != f"{{{CSL_NAMESPACE}}}{self.ROOT}":
            raise ValueError(f"not a CSL {self.ROOT} (its root element is not <{self.ROOT}> in the CSL namespace)")
        if self.root.get("class") == "note":
            # lxml gives an element its class (from the parser's lookup) when its object is first made,
            # and none but the root's (a cs:style, the same class in both) has been made yet.
            self.parser.set_element_class_lookup(_lookup(note=True))


class EngineStyle(CitationStylesStyle, EngineXML):
    """A style as the engine renders it: citeproc-py's, parsed by `EngineXML`, with its `facts` read once."""

    def __init__(self, style, locale=None, validate=True):  # type: ignore[no-untyped-def]
        super().__init__(style, locale=locale, validate=validate)
        self.facts = StyleFacts.of(self.root)

    ROOT = "style"


class EngineLocale(CitationStylesLocale, EngineXML):
    """A locale file as the engine reads it: citeproc-py's, parsed by `EngineXML`."""

    ROOT = "locale"
