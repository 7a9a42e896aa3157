"""Fused renders: each structural element's render, composed once from its attributes.

An element's render passes through the methods of citeproc-py and of every
rule composed over it (engine/elements.py): a `cs:text` printing a title goes
through `render`, two `process`, five `_variable`, then `case`, `format`,
`quote` and `wrap`, most of which give back what they are given, since
most elements have no text case, no formatting, no quotes, no affixes; a
`cs:group` through `render`, two `process`, `markup`, `format` and `wrap`.

Here each `cs:text`, `cs:group`, `cs:macro`, `cs:choose`, `cs:number`,
`cs:label`, `cs:names` and `cs:name` has `fused` (a cached property, like the plans of
engine/performance.py): a function with the signature and the answer of its
`render`, worked out once from the element's attributes, that applies the
same rules in one or two calls and leaves out each step that would give its
text back unchanged. The plans of
their parents (`group_plan`, `children_plan` in engine/variables.py,
`children_kinds` of a branch or a layout in engine/performance.py) hold each
child's fused render (`performance.render_of`), so a group's loop calls it
directly.

What a fused render does, and the rule each step is:

- `cs:group`: not walked when the record lacks every variable it needs
  (`absent.GroupUnlessAbsent`); its children judged as `variables.group_process`
  judges them (`variables.GroupByBranchTaken`); then, unless it has neither
  formatting nor affixes nor a display, `format` and `wrap` as `Group.markup`.
- `cs:macro`: `absent.MacroUnlessAbsent`, then `variables.macro_render`
  (`variables.MacroAsGroup`).
- `cs:choose`: `variables.choose_render` (`variables.BranchTaken`).
- `cs:number`, `cs:label`: the element's `process`, every rule of it
  called as before; then citeproc-py's `markup` (`strip-periods`, text
  case, formatting, affixes and display), each step only where the element
  has it, and in a note style `collapse.FirstPrinted`.
- `cs:names`: `names.render_names_element` (its cs:name and cs:label
  called through their fused renders, as a cs:substitute calls its children);
  then formatting, affixes and display as `Names.markup`, each only where
  it has them; a cite's or an entry's first names captured as
  `collapse.NamesCapture` captures them.
- `cs:name`: `variables.NamesUnlessSubstituted` around `names.render_names`,
  then `Name.markup` (a count kept a number, `NameRules.markup`), the first
  names captured as `collapse.NameCapture` does, and in a note style
  `collapse.FirstPrinted`.
- `cs:text`: its text as `performance.PlannedText.process` and
  `richtext.RichTextValue.process` find it (a macro through the macro's
  fused render); a variable that no rule of `_variable` but substitution
  and the number rule changes (not the locator, the citation label, the
  first note's number: `_THROUGH_THE_CHAIN`) is read by `PlannedText._variable`
  between those rules' own functions, suppressed when substituted and noted
  when printed inside a cs:substitute (`variables.TextUnlessSubstituted`),
  a number made a string and a number variable's range given its en dash
  (`numbers.number_text`, `numbers.LocatorText`). Then `strip-periods`, `text-case`
  (`textcase.TextCase`), formatting (`performance.PlainFormat`,
  `richtext.ScriptAwareFontStyle`), `quotes` (`richtext.QuoteMarks`) and
  affixes and display (`display.DisplayBlock`), each only where the element
  has it; in a note style, the first element printed is noted
  (`collapse.FirstPrinted`).

A fused render stands in only for the rules it knows: for each element,
`_FUSED_METHODS` lists the methods it does the work of and, for each, the
rules whose versions it follows, in order. An element whose class composes
any other rule over one of those methods (a rule added to `RULES` later)
keeps its `render`, as does a text with no text to print, or calling a macro
the style lacks (each fails as before).

Output is byte-identical; the golden files, the CSL test suite, the
citeproc-js comparison and tests/test_engine_fused.py check it.
"""

from __future__ import annotations

from functools import cache, partial

from citeproc.source import VariableError
from citeproc.string import MixedString

from lutnick_cli.citation.engine.absent import GroupUnlessAbsent, MacroUnlessAbsent, can_print
from lutnick_cli.citation.engine.collapse import (
    FirstPrinted,
    NameCapture,
    NamesCapture,
    name_captured,
    names_captured,
    note_first_printed,
)
from lutnick_cli.citation.engine.disambiguation import LabelYearSuffix
from lutnick_cli.citation.engine.display import DisplayBlock
from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.names import NameRules, NamesRules, render_names, render_names_element
from lutnick_cli.citation.engine.numbers import LocatorText, number_text
from lutnick_cli.citation.engine.performance import ABSENT, PlainFormat, PlannedText, render_of, variable_value
from lutnick_cli.citation.engine.positions import FirstReferenceNoteNumber
from lutnick_cli.citation.engine.richtext import QuoteMarks, RichTextValue, parse_field
from lutnick_cli.citation.engine.textcase import TextCase
from lutnick_cli.citation.engine.variables import (
    _KEY,
    BranchTaken,
    GroupByBranchTaken,
    MacroAsGroup,
    NamesUnlessSubstituted,
    TextUnlessSubstituted,
    _layout,
    _note_printed,
    _suppressed,
    choose_render,
    group_text,
    macro_render,
)

# For each fused element: the methods whose work its fused render does, and the engine's rules that
# define each of them, outermost first (citeproc-py's own versions, pinned, are not listed). The note
# rules (`FirstPrinted`), which a fused text applies itself, are left out of the comparison.
_FUSED_METHODS: dict[str, dict[str, tuple[type, ...]]] = {
    "text": {
        "render": (PlannedText,),
        "process": (RichTextValue, PlannedText),
        "_variable": (FirstReferenceNoteNumber, LabelYearSuffix, TextUnlessSubstituted, LocatorText, PlannedText),
        "case": (TextCase,),
        "format": (PlainFormat,),
        "quote": (QuoteMarks,),
        "wrap": (DisplayBlock,),
    },
    "group": {
        "render": (),
        "markup": (),
        "process": (GroupUnlessAbsent, GroupByBranchTaken),
        "format": (PlainFormat,),
        "wrap": (DisplayBlock,),
    },
    "number": {
        "render": (),
        "markup": (),
        "strip_periods": (),
        "case": (TextCase,),
        "format": (PlainFormat,),
        "wrap": (DisplayBlock,),
    },
    "label": {
        "render": (),
        "markup": (),
        "strip_periods": (),
        "case": (TextCase,),
        "format": (PlainFormat,),
        "wrap": (DisplayBlock,),
    },
    "macro": {"render": (MacroUnlessAbsent, MacroAsGroup)},
    "choose": {"render": (BranchTaken,)},
    "names": {
        "render": (NamesCapture,),
        "process": (NamesRules,),
        "markup": (),
        "format": (PlainFormat,),
        "wrap": (DisplayBlock,),
    },
    "name": {
        "render": (NameCapture,),
        "process": (NamesUnlessSubstituted, NameRules),
        "markup": (NameRules,),
        "format": (PlainFormat,),
        "wrap": (DisplayBlock,),
    },
}

# The variables a rule of `Text._variable` changes besides substitution and `LocatorText`'s number rule
# (the locator, the citation label's year suffix, the first note's number): read through the element's
# own `_variable`, every rule of it in turn.
_THROUGH_THE_CHAIN = frozenset({"locator", "citation-label", "first-reference-note-number"})


@cache
def _composed_as_planned(cls: type, kind: str) -> bool:
    """Whether an element class composes, over each method its fused render stands in for, exactly the
    rules that render follows: a fact of the class, worked out once for it, not for each of its elements
    (some eighty for APA, of a dozen classes)."""
    mro = cls.__mro__
    for method, rules in _FUSED_METHODS[kind].items():
        found = tuple(
            cls
            for cls in mro
            if method in vars(cls) and not cls.__module__.startswith("citeproc") and cls is not FirstPrinted
        )
        if found != rules:
            return False
    return True


class FusedRender:
    """Rule mixin for `cs:text`, `cs:group`, `cs:macro`, `cs:choose`, `cs:number` and `cs:label`: the
    element's fused render (see the module docstring), made for its kind by `_FUSERS`."""

    @cached_property
    def fused(self):  # type: ignore[no-untyped-def]
        kind = self.tag.rpartition("}")[2]
        # An element the engine made itself, not parsed from the style (the cs:name it adds to a cs:names
        # without one), has no CSL tag: it keeps its `render`.
        if kind not in _FUSERS or not _composed_as_planned(type(self), kind):
            return self.render
        return _FUSERS[kind](self)


def _marked_up_render(element):  # type: ignore[no-untyped-def]
    """`render` of a cs:number or cs:label: its `process` (every rule of it), then `markup` (citeproc-py's
    `Number.markup` and `Label.markup`: strip-periods, text case, formatting, affixes) without the steps
    that would give the text back unchanged."""
    process = element.process
    strips = element.get("strip-periods", "false").lower() == "true"  # as `StrippedPeriods.strip_periods`
    text_case = element.text_case
    formatted = not element.has_no_formatting
    wrapped = any(element.affixes)
    first_printed = isinstance(element, FirstPrinted)
    if not (strips or text_case is not None or formatted or wrapped or first_printed):

        def render(item, *args, **kwargs):  # type: ignore[no-untyped-def]
            text = process(item, *args, **kwargs)
            if not text:
                return None
            if isinstance(text, (str, MixedString)):
                return text  # what `case`, `format` and `wrap` give back to a plain element
            return element.wrap(str(text) if isinstance(text, (int, float)) else text)

        return render

    def decorated(item, *args, **kwargs):  # type: ignore[no-untyped-def]
        text = process(item, *args, **kwargs)
        if not text:
            return None
        if strips:
            text = text.replace(".", "")
        if text_case is not None:
            text = element.case(text)
        if formatted:
            text = element.format(text)
        elif isinstance(text, (int, float)):
            text = str(text)
        if wrapped or not isinstance(text, (str, MixedString)):
            text = element.wrap(text)
        if first_printed and text is not None:
            note_first_printed(element, item, text)
        return text

    return decorated


def _group_render(group):  # type: ignore[no-untyped-def]
    """`render` of a group: `Group.markup(Group.process(...))` with its rules, in one call."""
    plain = group.has_no_formatting and not any(group.affixes)

    def render(item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        # None where `Group.render` raises VariableError: every parent calling a fused render reads both alike
        if not can_print(group, item):
            return None
        text = group_text(group, item, context=context, **kwargs)
        if not text:
            return None
        if plain and isinstance(text, (str, MixedString)):
            return text  # what `format` and `wrap` give back without formatting, affixes or display
        return group.wrap(group.format(text))

    return render


def _macro_render(macro):  # type: ignore[no-untyped-def]
    """`render` of a macro: `MacroUnlessAbsent`, then `macro_render`, in one call."""

    def render(item, context=None, sort_options=None):  # type: ignore[no-untyped-def]
        if not can_print(macro, item):
            return None
        return macro_render(macro, item, context=context, sort_options=sort_options)

    return render


def _text_render(text):  # type: ignore[no-untyped-def]
    """`render` of a cs:text (`PlannedText.render` with the rules over it), in one call and the one that
    finds its text; the element's own `render` where it prints nothing a plan here knows."""
    attributes = text.attributes
    if "value" in attributes:  # RichTextValue.process: rich text, read before any other kind
        value = attributes["value"]

        def find(item, context):  # type: ignore[no-untyped-def]
            return parse_field(value)

        def language_of(item):  # type: ignore[no-untyped-def]
            try:
                return item.reference.language[:2]
            except (VariableError, AttributeError, TypeError):
                return text.get_root().get("default-locale", "en")[:2]

    else:
        kind = text.text_kind
        if kind is None or kind == "value":  # no text (citeproc-py fails on it); a value is read above
            return text.render
        if kind == "macro":
            try:
                find = render_of(text.called_macro)  # called as `PlannedText.process` calls it: (item, context)
            except IndexError:  # a macro the style lacks fails at every render, as before
                return text.render
        elif kind == "variable":
            find = _variable_text(text)
        else:
            find = _term_text(text)

        def language_of(item):  # type: ignore[no-untyped-def]
            reference = item.reference
            if "language" in reference:
                return reference["language"][:2]
            return text.root_element.default_language

    strips = text.strips_periods
    text_case = text.text_case
    formatted = not text.has_no_formatting
    quoted = text.quoted
    wrapped = any(text.affixes)
    first_printed = isinstance(text, FirstPrinted)
    if not (strips or text_case is not None or formatted or quoted or wrapped or first_printed):

        def render(item, context=None, **kwargs):  # type: ignore[no-untyped-def]
            found = find(item, text if context is None else context)
            if not found:
                return None
            if isinstance(found, (str, MixedString)):
                return found  # what `case`, `format`, `quote` and `wrap` give back to a plain element
            return text.wrap(str(found) if isinstance(found, (int, float)) else found)

        return render

    def decorated(item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        # `PlannedText.render`: the language is read before the text, as `process` reads it
        language = language_of(item) if text_case is not None else None
        found = find(item, text if context is None else context)
        if not found:
            return None
        if strips:
            found = found.replace(".", "")
        if text_case is not None:
            found = text.case(found, language)
        if formatted:
            found = text.format(found)
        elif isinstance(found, (int, float)):
            found = str(found)
        if quoted:
            found = text.quote(found)
        if wrapped or not isinstance(found, (str, MixedString)):
            found = text.wrap(found)
        if first_printed and found is not None:
            note_first_printed(text, item, found)
        return found

    return decorated


def _term_text(text):  # type: ignore[no-untyped-def]
    """What a `cs:text term` prints: its `_term`."""

    def find(item, context):  # type: ignore[no-untyped-def]
        return text._term(item)

    return find


def _variable_text(text):  # type: ignore[no-untyped-def]
    """What a `cs:text variable` prints: for a variable that only substitution and `LocatorText`'s number
    rule change, those rules around `PlannedText._variable`, without the wrappers that leave it as it is;
    else the element's `_variable` chain."""
    variable = text.attributes["variable"]
    if variable in _THROUGH_THE_CHAIN:
        return text._variable
    read = variable_value

    def find(item, context):  # type: ignore[no-untyped-def]
        # TextUnlessSubstituted: nothing for a variable substituted earlier in the entry; what prints noted
        if variable in _suppressed(text, context, item):
            return None
        found = read(text, item, context)
        if found is ABSENT:
            # `_variable` raises VariableError here, which every parent calling a fused render (the plans
            # of groups, macros, branches and layouts) reads as it reads None: nothing printed
            return None
        found = number_text(variable, found)
        _note_printed(item, variable, found)
        return found

    return find


def _names_render(names):  # type: ignore[no-untyped-def]
    """`render` of a cs:names: `collapse.NamesCapture` around `Names.markup(Names.process(...))` with its
    rules (`names.render_names_element`, then formatting, affixes and display only where it has them),
    in one call. It raises VariableError where `Names.render` does (no name printed and no substitute)."""
    plain = names.has_no_formatting and not any(names.affixes)

    def marked_up(text):  # type: ignore[no-untyped-def]
        if not text:
            return None
        if plain and isinstance(text, (str, MixedString)):
            return text  # what `format` and `wrap` give back without formatting, affixes or display
        return names.wrap(names.format(text))

    def render(item, names_context=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        capture = item.bibliography.context.capture  # context_of(item), in line
        mode = capture.get("mode") if capture else None
        if mode is None or "names" in capture or names_context is not None:
            return marked_up(render_names_element(names, item, names_context=names_context, context=context, **kwargs))
        # NamesCapture: a cite's (or an entry's) first names, kept for cite grouping and substitution
        return names_captured(capture, mode, marked_up(render_names_element(names, item, context=context, **kwargs)))

    return render


def _name_render(name):  # type: ignore[no-untyped-def]
    """`render` of a cs:name: `collapse.NameCapture` (and in a note style `collapse.FirstPrinted`) around
    `Name.markup(Name.process(...))` with their rules (`variables.NamesUnlessSubstituted`,
    `names.render_names`; a count kept a number; formatting, affixes and display only where it has them),
    in one call."""
    plain = name.has_no_formatting and not any(name.affixes)
    first_printed = isinstance(name, FirstPrinted)

    def rendered(item, variable, context, sort_options, kwargs):  # type: ignore[no-untyped-def]
        # NamesUnlessSubstituted: nothing for names substituted earlier in the entry; what prints noted, and
        # names printed while substituting spent at once
        if sort_options is None and variable in _suppressed(name, context, item):
            text = None
        else:
            text = render_names(name, item, variable, context=context, sort_options=sort_options, **kwargs)
            if sort_options is None:
                _note_printed(item, str(variable).replace("_", "-"), text)
                if text and item.bibliography.context.substituting:
                    layout = _layout(name, context, item)
                    if layout is not None:
                        layout.repressed.setdefault(_KEY, set()).add(variable)
        # NameRules.markup and Name.markup
        if not isinstance(text, int):
            if not text:
                text = None
            elif not plain or not isinstance(text, (str, MixedString)):
                text = name.wrap(name.format(text))
        if first_printed and text is not None:
            note_first_printed(name, item, text)
        return text

    def render(item, variable, context=None, sort_options=None, **kwargs):  # type: ignore[no-untyped-def]
        capture = item.bibliography.context.capture  # context_of(item), in line
        if not capture:
            return rendered(item, variable, context, sort_options, kwargs)
        mode = capture.get("mode")
        if mode not in ("capture", "replace-name") or "names" in capture or "name" in capture:
            return rendered(item, variable, context, sort_options, kwargs)
        # NameCapture: an entry's first names, without their label, for subsequent-author-substitute
        return name_captured(capture, mode, rendered(item, variable, context, sort_options, kwargs))

    return render


# For each kind of element: what makes its fused render, given the element.
_FUSERS = {
    "group": _group_render,
    "macro": _macro_render,
    "choose": lambda choose: partial(choose_render, choose),
    "text": _text_render,
    "number": _marked_up_render,
    "label": _marked_up_render,
    "names": _names_render,
    "name": _name_render,
}
