"""Skipping parts of a style that cannot print for a record: none of their variables has a value.

A large style is mostly about what a given record lacks: APA's bibliography
walks, for every journal article, groups and macros for a genre, a medium,
an original date, a status, an archive… About a third of the time of a
large bibliography went into rendering such parts, only for each to come out
empty. Whether a part can print at all is a property of the style, given
the record's type and which variables it has, so it is worked out once per
element and type, and each record only checks its variables.

For a `cs:group` or a macro, the style gives the set of variables ("needs")
such that, if the record has none of them, the part renders nothing, by the
rules the engine follows (`variables.group_process`, the macro rule beside
it): a group that calls a variable is suppressed when no variable it calls
prints, so its terms and labels do not count; a choose counts by the branch
it takes, and of its branches only those a record of the type may take
count; the locator counts where the cite has one; a part holding anything
that can print without a variable of the record (a term outside such a
group, a year suffix, a citation number) has no such set, and is always
rendered. Skipping such a part is
exactly what rendering it would give, with none of the side effects that
only printing has (substitution, year suffixes).

Output is byte-identical; the CSL test suite, the citeproc-js comparison and
tests/test_engine_absent.py check it.
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.source import VariableError

_ALWAYS = None  # "needs" of a part that may print whatever variables the record has

# The cite's locator: a part needing it prints only where the cite has one.
_LOCATOR = "locator"

# Variables that are not the record's, and not the locator: the cite's or the engine's.
_NOT_OF_THE_RECORD = frozenset({"citation-number", "first-reference-note-number", "year-suffix", "citation-label"})


def _variable_needs(element, names: str | None):  # type: ignore[no-untyped-def]
    """What a variable-printing element (text, date, number, label, names) needs, as engine names."""
    if not names:
        return _ALWAYS
    needed = set()
    for name in names.split():
        if name in _NOT_OF_THE_RECORD:
            return _ALWAYS
        needed.add(name)
        if name.startswith("page"):  # page-first is read from page
            needed.add("page")
        if name.endswith("-short"):
            needed.add(name[: -len("-short")])
        elif element.tag.endswith("}text") and element.get("form") == "short":  # the short form, or the long one
            needed.add(name + "-short")
    return frozenset(name.replace("-", "_") for name in needed)


def needs(element, kind: str):  # type: ignore[no-untyped-def]
    """The variables of which a record of type `kind` must have one for `element` to print anything,
    or _ALWAYS."""
    memory = element.__dict__
    known = memory.get("_lutnick_needs")
    if known is None:
        known = memory["_lutnick_needs"] = {}
    elif kind in known:
        return known[kind]
    found = known[kind] = _needs(element, kind)
    return found


def _needs(element, kind: str):  # type: ignore[no-untyped-def]
    if isinstance(element, model.Text):
        if "variable" in element.attrib:
            return _variable_needs(element, element.get("variable"))
        if "macro" in element.attrib:
            try:
                return needs(element.get_macro(element.get("macro")), kind)
            except IndexError:  # an undefined macro fails when rendered, as before
                return _ALWAYS
        return _ALWAYS  # a term or a value
    if isinstance(element, (model.Date, model.Number, model.Label)):
        return _variable_needs(element, element.get("variable"))
    if isinstance(element, model.Names):
        if any(child.get("form") == "count" for child in element.iterchildren() if isinstance(child, model.Name)):
            return _ALWAYS  # a count may print 0
        found = _variable_needs(element, element.get("variable"))
        if found is _ALWAYS:
            return _ALWAYS
        substitute = element.substitute()
        if substitute is not None:
            found = _union(found, *(needs(child, kind) for child in substitute.iterchildren()))
        return found
    if isinstance(element, (model.Group, model.Macro)):
        return _suppressible_needs(element, kind)
    if isinstance(element, model.Choose):
        return _union(*(needs(branch, kind) for branch in _reachable(element, kind)))
    if isinstance(element, (model.If, model.Else)):  # cs:else-if is an If
        return _union(*(needs(child, kind) for child in element.iterchildren()))
    return _ALWAYS


def _reachable(choose: Any, kind: str) -> list[Any]:
    """The branches of a cs:choose that a record of type `kind` may take: its type alone rules out
    the branches that test only the type and fail, and those after one that tests only the type and passes."""
    reachable = []
    for branch in choose.iterchildren():
        verdict = True if isinstance(branch, model.Else) else _verdict_by_type(branch, kind)
        if verdict is False:
            continue
        reachable.append(branch)
        if verdict:
            break
    return reachable


def _verdict_by_type(branch, kind: str) -> bool | None:  # type: ignore[no-untyped-def]
    """Whether a cs:if or cs:else-if passes for a record of type `kind`, if its type test settles it
    whatever its other tests (all tests must pass, one must, or none may) give; None if they decide."""
    others = set(branch.attrib) - {"type", "match"}
    types = [name == kind for name in branch.get("type", "").lower().split()]
    match = branch.get("match")
    if match == "any":
        return True if any(types) else None if others else False
    if match == "none":
        return False if any(types) else None if others else True
    return False if not all(types) else None if others else True


def _suppressible_needs(element, kind: str):  # type: ignore[no-untyped-def]
    """Needs of a group or a macro, which print nothing when no child prints, or when a child surely
    calls a variable and no child whose output counts as a printed variable prints.

    Which children count is as `variables.group_process` and the macro rule beside it judge them: a
    choose by the branch it takes; in a macro, a group or a called macro by whether it prints; any
    other child (in a group, a nested group or macro too) by whether it calls a variable.
    """
    in_macro = isinstance(element, model.Macro)
    children = list(element.iterchildren())

    def judged_by_printing(child) -> bool:  # type: ignore[no-untyped-def]
        return in_macro and (
            isinstance(child, model.Group) or (isinstance(child, model.Text) and "macro" in child.attrib)
        )

    surely_calls = any(
        child.calls_variable()
        for child in children
        if not isinstance(child, model.Choose) and not judged_by_printing(child)
    )
    if not surely_calls:
        return _union(*(needs(child, kind) for child in children))
    counted = []
    for child in children:
        if isinstance(child, model.Choose):
            counted += [needs(branch, kind) for branch in _reachable(child, kind) if branch.calls_variable()]
        elif judged_by_printing(child) or child.calls_variable():
            counted.append(needs(child, kind))
    return _union(*counted)


def _union(*parts):  # type: ignore[no-untyped-def]
    if any(part is _ALWAYS for part in parts):
        return _ALWAYS
    return frozenset().union(*parts)


def can_print(element, item) -> bool:  # type: ignore[no-untyped-def]
    """Whether `element` may print anything for `item`: False when the record has none of its needs."""
    reference = item.reference
    kind = reference.get("type")  # every Reference has its type (its constructor sets it): no VariableError to raise
    # `needs`, in line where the answer for the type is known: this runs for every group and macro
    known = element.__dict__.get("_lutnick_needs")
    if known is not None and kind in known:
        needed = known[kind]
    else:
        needed = needs(element, kind)
    if needed is _ALWAYS:
        return True
    for name in needed:
        if name in reference:
            return True
    return _LOCATOR in needed and _LOCATOR in item


class GroupUnlessAbsent:
    """Rule mixin for `cs:group`."""

    def process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Group.process`: not walked when the record has none of the variables the group needs."""
        if not can_print(self, item):
            raise VariableError
        return super().process(item, context=context, **kwargs)


class MacroUnlessAbsent:
    """Rule mixin for `cs:macro`."""

    def render(self, item, context=None, sort_options=None):  # type: ignore[no-untyped-def]
        """Wraps `Macro.render`: not walked when the record has none of the variables the macro needs."""
        if not can_print(self, item):
            return None
        return super().render(item, context=context, sort_options=sort_options)
