"""Skipping parts of a style that cannot print for a record: none of their variables has a value.

A large style is mostly about what a given record lacks: APA's bibliography
walks, for every journal article, groups and macros for a genre, a medium,
an original date, a status, an archive… About a third of the time of a
large bibliography went into rendering such parts, only for each to come out
empty. Whether a part can print at all is a property of the style, given
the record's type and which variables it has, so it is worked out once per
element, and each record only checks its variables. Only the parts of a style
whose needs a `cs:if` on the type decides are worked out again for each type
met; what each element is made of is read once, as a plan (`_plan`).

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

from citeproc.source import VariableError

_ALWAYS = None  # "needs" of a part that may print whatever variables the record has

# The cite's locator: a part needing it prints only where the cite has one.
_LOCATOR = "locator"

# Variables that are not the record's, and not the locator: the cite's or the engine's.
_NOT_OF_THE_RECORD = frozenset({"citation-number", "first-reference-note-number", "year-suffix", "citation-label"})

_CSL = "{http://purl.org/net/xbiblio/csl}"
# The elements `_plan` tells apart, by tag: each CSL element has the engine's class of its name
# (engine/elements.py), so its tag says what isinstance tests of citeproc-py's classes would, read
# once (each failed test walks the engine class's long MRO). Any other element (another namespace,
# a processing instruction) may print, as before. With each element's attributes read in one call,
# planning a first APA entry's parts takes 0.6M instructions fewer (of 12M).
_TEXT, _VARIABLE, _NAMES, _GROUP, _MACRO, _CHOOSE, _BRANCH = range(7)
_KINDS = {
    f"{_CSL}text": _TEXT,
    f"{_CSL}date": _VARIABLE,
    f"{_CSL}number": _VARIABLE,
    f"{_CSL}label": _VARIABLE,
    f"{_CSL}names": _NAMES,
    f"{_CSL}group": _GROUP,
    f"{_CSL}macro": _MACRO,
    f"{_CSL}choose": _CHOOSE,
    f"{_CSL}if": _BRANCH,
    f"{_CSL}else-if": _BRANCH,
    f"{_CSL}else": _BRANCH,
}


def _variable_needs(names: str | None, short_text: bool):  # type: ignore[no-untyped-def]
    """What a variable-printing element (text, date, number, label, names) needs, as engine names;
    `short_text`: the element is a cs:text of form="short"."""
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
        elif short_text:  # the short form, or the long one
            needed.add(name + "-short")
    return frozenset(name.replace("-", "_") for name in needed)


def needs(element, kind: str):  # type: ignore[no-untyped-def]
    """The variables of which a record of type `kind` must have one for `element` to print anything,
    or _ALWAYS."""
    return _needs_by_type(element, kind)[0]


def _needs_by_type(element, kind: str):  # type: ignore[no-untyped-def]
    """`needs`, and whether it depends on the type at all: it does only where a `cs:if` or `cs:else-if`
    that tests the type decides which branches count. Most of a style does not, so its needs are worked
    out once for every type (`_lutnick_any_type`), and only the parts that test the type are worked out
    again for each type met (`_lutnick_needs`)."""
    memory = element.__dict__
    if "_lutnick_any_type" in memory:
        return memory["_lutnick_any_type"], False
    known = memory.get("_lutnick_needs")
    if known is not None and kind in known:
        return known[kind], True
    found, by_type = _needs(element, kind)
    if by_type:
        if known is None:
            known = memory["_lutnick_needs"] = {}
        known[kind] = found
    else:
        memory["_lutnick_any_type"] = found
    return found, by_type


def _needs(element, kind: str):  # type: ignore[no-untyped-def]
    memory = element.__dict__
    plan = memory.get("_lutnick_needs_plan")
    if plan is None:
        plan = memory["_lutnick_needs_plan"] = _plan(element)
    needed, parts = plan
    by_type = False
    found_parts = [needed]
    for choose, target in parts:
        if not choose:
            found, typed = _needs_by_type(target, kind)
            by_type = by_type or typed
            if found is _ALWAYS:
                return _ALWAYS, by_type  # whatever the rest needs; by type only if a part so far was
            found_parts.append(found)
            continue
        for branch, test, counts in target:  # a cs:choose: the branches the type may take (see `_branches`)
            if test is None:  # cs:else
                verdict: bool | None = True
            else:
                by_type = by_type or test[0]
                verdict = _verdict_by_type(test, kind)
            if verdict is False:
                continue
            if counts:
                found, typed = _needs_by_type(branch, kind)
                by_type = by_type or typed
                if found is _ALWAYS:
                    return _ALWAYS, by_type
                found_parts.append(found)
            if verdict:
                break
    return (found_parts[0] if len(found_parts) == 1 else frozenset().union(*found_parts)), by_type


def _plan(element):  # type: ignore[no-untyped-def]
    """What an element's needs are made of, whatever the type: the variables it needs itself (or _ALWAYS),
    and the parts whose needs are added to them, each `(False, element)`, or `(True, branches)` for a
    cs:choose of which only the branches a type may take count (see `_branches`)."""
    kind = _KINDS.get(element.tag)
    if kind is None:
        return _ALWAYS, ()
    if kind == _GROUP or kind == _MACRO:
        return frozenset(), _suppressible_parts(element, kind == _MACRO)
    if kind == _BRANCH:
        return frozenset(), tuple((False, child) for child in element.iterchildren())
    if kind == _CHOOSE:
        return frozenset(), ((True, _branches(element, every=True)),)
    attributes = dict(element.items())
    if kind == _TEXT:
        if "variable" in attributes:
            return _variable_needs(attributes["variable"], attributes.get("form") == "short"), ()
        if "macro" in attributes:
            try:
                return frozenset(), ((False, element.get_macro(attributes["macro"])),)
            except IndexError:  # an undefined macro fails when rendered, as before
                return _ALWAYS, ()
        return _ALWAYS, ()  # a term or a value
    if kind == _VARIABLE:
        return _variable_needs(attributes.get("variable"), False), ()
    # cs:names
    if any(child.get("form") == "count" for child in element.iterchildren(f"{_CSL}name")):
        return _ALWAYS, ()  # a count may print 0
    found = _variable_needs(attributes.get("variable"), False)
    substitute = element.substitute() if found is not _ALWAYS else None
    if substitute is None:
        return found, ()
    return found, tuple((False, child) for child in substitute.iterchildren())


def _branches(choose, every: bool):  # type: ignore[no-untyped-def]
    """The branches of a cs:choose, each with its tests as `_verdict_by_type` reads them (None for
    cs:else) and whether its needs count where it may be taken: all do with `every`, else only those
    that call a variable. A record's type rules out the branches that test only the type and fail,
    and those after one that tests only the type and passes."""
    return tuple(
        (
            branch,
            None if branch.tag == f"{_CSL}else" else _type_test(dict(branch.items())),
            every or branch.calls_variable(),
        )
        for branch in choose.iterchildren()
    )


def _type_test(attributes: dict[str, str]):  # type: ignore[no-untyped-def]
    """A cs:if's or cs:else-if's tests (its attributes) as `_verdict_by_type` reads them: whether it tests
    the type, the types it names, whether it has other tests, and how they combine."""
    return (
        "type" in attributes,
        tuple(attributes.get("type", "").lower().split()),
        any(name != "type" and name != "match" for name in attributes),
        attributes.get("match"),
    )


def _verdict_by_type(test, kind: str) -> bool | None:  # type: ignore[no-untyped-def]
    """Whether a cs:if or cs:else-if (its `_type_test`) passes for a record of type `kind`, if its type
    test settles it whatever its other tests (all tests must pass, one must, or none may) give; None if
    they decide."""
    _, names, others, match = test
    types = [name == kind for name in names]
    if match == "any":
        return True if any(types) else None if others else False
    if match == "none":
        return False if any(types) else None if others else True
    return False if not all(types) else None if others else True


def _suppressible_parts(element, in_macro: bool):  # type: ignore[no-untyped-def]
    """The parts of a group or a macro (`in_macro`) that count, which prints nothing when no child
    prints, or when a child surely calls a variable and no child whose output counts as a printed
    variable prints.

    Which children count is as `variables.group_process` and the macro rule beside it judge them: a
    choose by the branch it takes; in a macro, a group or a called macro by whether it prints; any
    other child (in a group, a nested group or macro too) by whether it calls a variable.
    """
    # each child, whether it is a cs:choose, and whether it is judged by what it prints
    children = []
    for child in element.iterchildren():
        kind = _KINDS.get(child.tag)
        by_printing = in_macro and (kind == _GROUP or (kind == _TEXT and child.get("macro") is not None))
        children.append((child, kind == _CHOOSE, by_printing))
    surely_calls = any(
        child.calls_variable() for child, is_choose, by_printing in children if not is_choose and not by_printing
    )
    if not surely_calls:
        return tuple((False, child) for child, _, _ in children)
    parts = []
    for child, is_choose, by_printing in children:
        if is_choose:
            parts.append((True, _branches(child, every=False)))
        elif by_printing or child.calls_variable():
            parts.append((False, child))
    return tuple(parts)


def can_print(element, item) -> bool:  # type: ignore[no-untyped-def]
    """Whether `element` may print anything for `item`: False when the record has none of its needs."""
    reference = item.reference
    # `needs`, in line where the answer is known: this runs for every group and macro
    memory = element.__dict__
    if "_lutnick_any_type" in memory:
        needed = memory["_lutnick_any_type"]
    else:
        kind = reference.get("type")  # every Reference has its type (its constructor sets it): no VariableError
        known = memory.get("_lutnick_needs")
        needed = known[kind] if known is not None and kind in known else needs(element, kind)
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
