"""Disambiguation (CSL 1.0.2, "Disambiguation"; "Choose": the `disambiguate` condition; "year-suffix").

citeproc-py 0.11.1 implements none of it: `disambiguate-add-names`,
`disambiguate-add-givenname` with its `givenname-disambiguation-rule`,
`disambiguate-add-year-suffix` are read and ignored, and `If.render` treats
`disambiguate="true"` as a test that always passes (its result list stays
empty and `all([])` is true), so MLA's in-text citations always carried the
title.

Here the bibliography front end (`CitationStylesBibliography.cite` and
`.bibliography`) first runs `disambiguate()` over every registered item
whenever the set of items changed. Two items are ambiguous when their first
cites render the same text. The spec's methods are tried in its order, each
only on what is still ambiguous:

1. add names: show more names (one at a time) before "et al."; an item that
   cannot be told apart keeps the count at which it last split from others;
2. add given names, by the style's rule: `all-names`,
   `all-names-with-initials`, `primary-name`, `primary-name-with-initials`
   expand every name that shares a family name with a different person,
   everywhere; `by-cite` (the default) expands only names of ambiguous cites,
   initials first, then full given names;
3. the `disambiguate="true"` condition becomes true for ambiguous items;
4. year suffixes a, b, … z, aa, … in bibliography order; rendered where the
   style prints `year-suffix`, or else after the first year of `issued`.

Tests: tests/test_engine_disambiguation.py.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.source import VariableError

from lutnick_cli.citation.engine.context import context_of, render_layout
from lutnick_cli.citation.engine.richtext import strip_marks
from lutnick_cli.keys import letters


class State:
    """What disambiguation decided for one reference.

    A plain class: a dataclass's methods are compiled when it is defined, on every start of every
    command that imports the engine; a state is only ever made empty and found by its item's key."""

    __slots__ = ("names_shown", "given_levels", "disambiguate", "year_suffix", "first_cite")

    def __init__(self) -> None:
        self.names_shown: dict[str, int] = {}
        self.given_levels: dict[tuple[str, int], int] = {}
        self.disambiguate = False
        self.year_suffix: str | None = None
        # The first cite as first rendered here (its text, its first names, the first element printed), kept
        # for an item in no ambiguity group, whose decisions no longer change: its cite in a citation, if it
        # renders as a first cite does, is that text (engine/collapse.py, `_render_cite`). An empty tuple for
        # an item in a group: its later renders, with other decisions, are not kept.
        self.first_cite: tuple[Any, ...] | None = None


def state_of(item) -> State | None:  # type: ignore[no-untyped-def]
    """The disambiguation state of a cite's reference, if disambiguation ran."""
    try:
        states = context_of(item).states
    except (AttributeError, KeyError, VariableError):
        return None
    # `item.key`, read from the item's own dict: the attribute is citeproc-py's `CustomDict.__getattr__`,
    # two calls, and this runs several times for every cite and entry rendered
    return states.get(dict.__getitem__(item, "key"))


class _Renderer:
    """Renders one reference's first cite, plain, with the current states.

    For the records the bibliography knows to share their first cite with no
    other (`performance.known_unambiguous`), it answers with a text no cite
    can have (it holds a NUL, which no record may contain), without rendering.
    The cited item of a record is made when its first cite is first rendered:
    a record known to be alone never needs one.
    """

    def __init__(self, bibliography) -> None:  # type: ignore[no-untyped-def]
        self.bibliography = bibliography
        self.alone = bibliography.context.alone
        self.layout = bibliography.style.root.citation.layout
        self.items: dict[str, Any] = {}

    def __call__(self, key: str) -> str:
        if key in self.alone:
            return "\0alone\0" + key
        item = self.items.get(key)
        if item is None:
            item = self.items[key] = self._item(key)
        return first_cite(self.layout, item)

    def _item(self, key: str):  # type: ignore[no-untyped-def]
        from citeproc import Citation

        from lutnick_cli.citation.render import _item_class

        item = _item_class()(key)  # lutnick's cited item: its bibliography, read at every element, is looked up once
        citation = Citation([item])
        citation.bibliography = self.bibliography
        return item


def first_cite(layout, item) -> str:  # type: ignore[no-untyped-def]
    """An item's first cite as disambiguation compares it: no marks, lower-cased.

    It is rendered as a cite of a citation is (its first names and the first
    element printed captured, which changes nothing in its text), and the
    item's first render kept in its state (`State.first_cite`)."""
    context = context_of(item)
    outer, context.capture = context.capture, {"mode": "capture"}
    try:
        text = render_layout(layout, item, first=True)
    finally:
        captured, context.capture = context.capture, outer
    state = context.states.get(item.key)
    if state is not None and state.first_cite is None:
        state.first_cite = (text, captured.get("names"), captured.get("first_leaf"))
    return strip_marks(str(text or "")).lower()


def _groups(keys: list[str], render) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The keys whose first cites are the same text, in groups of two or more."""
    if len(keys) < 2:
        return []  # a record alone (a bibliography of one) is rendered only for its entry
    by_text: dict[str, list[str]] = {}
    for key in keys:
        by_text.setdefault(render(key), []).append(key)
    return [group for group in by_text.values() if len(group) > 1]


def _name_variables(bibliography) -> list[str]:  # type: ignore[no-untyped-def]
    from citeproc import NAMES

    return [name for name in NAMES]


def disambiguate(bibliography) -> None:  # type: ignore[no-untyped-def]
    """Decide names, given names, the disambiguate condition and year suffixes for every registered item."""
    style = bibliography.style
    states: dict[str, State] = {key: State() for key in bibliography.keys}
    bibliography.context.states = states
    for key in bibliography.keys:
        bibliography.source[key].pop("year_suffix", None)
    facts = style.facts
    if style.root.citation is None or not facts.disambiguates:
        return
    render = _Renderer(bibliography)
    keys = list(bibliography.keys)

    if facts.global_names:
        _global_given_names(bibliography, states, facts.givenname_rule, render)

    ambiguous = _groups(keys, render)
    for group in ambiguous:
        for key in group:
            states[key].first_cite = ()  # rendered before the decisions that follow, which may change it
    if ambiguous and facts.add_names:
        by_cite = facts.add_givenname and facts.givenname_rule == "by-cite"
        ambiguous = _add_names(bibliography, states, ambiguous, render, by_cite)
    if ambiguous and facts.add_givenname and facts.givenname_rule == "by-cite":
        ambiguous = _by_cite_given_names(bibliography, states, ambiguous, render)
    if ambiguous and facts.condition:
        still = []
        for group in ambiguous:
            for key in group:
                states[key].disambiguate = True
            still.extend(_groups(group, render))
        ambiguous = still
    if ambiguous and facts.add_year_suffix:
        order = {key: index for index, key in enumerate(bibliography.keys)}
        for group in ambiguous:
            for index, key in enumerate(sorted(group, key=order.__getitem__)):
                states[key].year_suffix = letters(index)
                bibliography.source[key]["year_suffix"] = states[key].year_suffix


def _names_of(bibliography, key: str) -> dict[str, list]:  # type: ignore[no-untyped-def]
    reference = bibliography.source[key]
    return {variable: reference[variable] for variable in _name_variables(bibliography) if variable in reference}


def _add_names(bibliography, states, groups, render, given_names=False):  # type: ignore[no-untyped-def]
    """Show one more name at a time; with by-cite given names, expand the given names shown at each step.

    An item that cannot be told apart keeps the name count (and expansions) at
    which it last split from the others, as citeproc-js does.
    """
    still = []
    for group in groups:
        names = {key: _names_of(bibliography, key) for key in group}
        most = max((len(people) for key in group for people in names[key].values()), default=0)
        settled: dict[str, int] = {}
        pending = list(group)
        last_split = {key: None for key in group}
        for count in range(1, most + 1):
            for key in pending:
                for variable in names[key]:
                    states[key].names_shown[variable] = count
            if given_names:
                _expand_given_names(pending, names, states, count)
            subgroups = _groups(pending, render)
            remaining = [key for subgroup in subgroups for key in subgroup]
            for key in pending:
                if key not in remaining:
                    settled[key] = count
            if len(remaining) < len(pending):
                for key in remaining:
                    last_split[key] = count
            pending = remaining
            if not pending:
                break
        for key in group:
            if key in settled:
                continue
            for variable in names[key]:
                if last_split[key] is None:
                    states[key].names_shown.pop(variable, None)
                else:
                    states[key].names_shown[variable] = last_split[key]
        still.extend(_groups(pending, render) if pending else [])
    return still


def _expand_given_names(keys, names, states, count) -> None:  # type: ignore[no-untyped-def]
    """By-cite: among these items, expand the given names (of the first `count` names) that share a
    family name with a different person at the same place: initials if they tell them apart, else in full."""
    positions = {
        (variable, index)
        for key in keys
        for variable, people in names[key].items()
        for index in range(min(count, len(people)))
    }
    for variable, index in positions:
        people = {key: names[key][variable][index] for key in keys if len(names[key].get(variable, [])) > index}
        by_family: dict[str, set[str]] = {}
        for person in people.values():
            family, given = _person(person)
            by_family.setdefault(family, set()).add(given)
        for key, person in people.items():
            family, _ = _person(person)
            givens = by_family[family]
            if len(givens) < 2:
                continue
            level = 1 if len({_initials(given) for given in givens}) == len(givens) else 2
            current = states[key].given_levels.get((variable, index), 0)
            states[key].given_levels[(variable, index)] = max(current, level)


def _person(name) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A person as disambiguation compares them: family name with its particle, given name without
    spacing or periods (`J. J.` and `J.J.` are the same person; `van Rijn` and `Rijn` are not)."""
    family = " ".join(
        str(part) for part in (name.get("non-dropping-particle"), name.get("family") or name.get("literal")) if part
    )
    return family, _plain_given(str(name.get("given") or ""))


def _plain_given(given: str) -> str:
    """A given name without spacing or periods (`_person`): most have neither, and are given back as they are."""
    return given if given.isalnum() else re.sub(r"[\s.]+", "", given)


def _by_cite_given_names(bibliography, states, groups, render):  # type: ignore[no-untyped-def]
    still = []
    for group in groups:
        names = {key: _names_of(bibliography, key) for key in group}
        pending = list(group)
        positions = sorted(
            {
                (variable, index)
                for key in group
                for variable, people in names[key].items()
                for index in range(len(people))
            },
            key=lambda p: (p[1], p[0]),
        )
        for variable, index in positions:
            people = {
                key: names[key].get(variable, [])[index] for key in pending if len(names[key].get(variable, [])) > index
            }
            families: dict[str, set[str]] = {}
            for person in people.values():
                family, given = _person(person)
                families.setdefault(family, set()).add(given)
            expandable = [key for key, person in people.items() if len(families[_person(person)[0]]) > 1]
            if not expandable:
                continue
            for level in (1, 2):
                before = {key: render(key) for key in expandable}
                for key in expandable:
                    states[key].given_levels[(variable, index)] = level
                if all(render(key) == before[key] for key in expandable) and level == 1:
                    continue
                groups_now = _groups(pending, render)
                remaining = [key for subgroup in groups_now for key in subgroup]
                if len(remaining) < len(pending):
                    pending = remaining
                    break
            if not pending:
                break
        still.extend(_groups(pending, render) if pending else [])
    return still


def _global_given_names(bibliography, states, rule, render):  # type: ignore[no-untyped-def]
    """all-names / primary-name rules: expand every name shared by different people."""
    primary_only = rule.startswith("primary-name")
    initials_only = rule.endswith("with-initials")
    occurrences: dict[str, list[tuple[str, str, int, str]]] = {}
    for key in bibliography.keys:
        for variable, people in _names_of(bibliography, key).items():
            for index, person in enumerate(people):
                if primary_only and index > 0:
                    continue
                family, given = _person(person)
                if not family or "literal" in person:
                    continue
                occurrences.setdefault(family, []).append((key, variable, index, str(person.get("given") or "")))
    for places in occurrences.values():
        givens = {_plain_given(given) for *_, given in places}
        if len(givens) < 2:
            continue
        initials = {_initials(given) for *_, given in places}
        if initials_only and len(initials) < 2:
            continue  # initials would not tell these people apart
        level = 1 if initials_only or len(initials) == len(givens) else 2
        for key, variable, index, _ in places:
            states[key].given_levels[(variable, index)] = level


def _initials(given: str) -> str:
    return "".join(word[:1] for word in given.replace("-", " ").replace(".", " ").split())


def _year_suffix_needed(item) -> str | None:  # type: ignore[no-untyped-def]
    state = state_of(item)
    return state.year_suffix if state else None


class DisambiguatedBibliography:
    """Rule mixin for the bibliography front end (`CitationStylesBibliography`): the registered items are
    disambiguated before the first cite or entry is rendered, and again whenever the items changed."""

    def cite(self, citation, callback):  # type: ignore[no-untyped-def]
        """Wraps `CitationStylesBibliography.cite`: disambiguate the registered items first."""
        _disambiguated(self)
        return super().cite(citation, callback)

    def bibliography(self):  # type: ignore[no-untyped-def]
        """Wraps `CitationStylesBibliography.bibliography`: entries show the same disambiguation as cites."""
        _disambiguated(self)
        return super().bibliography()


def _disambiguated(bibliography) -> None:  # type: ignore[no-untyped-def]
    context = bibliography.context
    signature = tuple(bibliography.keys)
    if context.signature != signature:
        context.signature = signature
        disambiguate(bibliography)


class DisambiguateCondition:
    """Rule mixin for `cs:if` and `cs:else-if`."""

    def render(self, item, context=None, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `If.render`: `disambiguate="true"` is a real test, true only for items disambiguation marked.

        citeproc-py skips the attribute, so a cs:if with only that test always passed.
        """
        if self.get("disambiguate") == "true":
            from citeproc.model import ConditionFailed

            state = state_of(item)
            passed = bool(state and state.disambiguate)
            match = self.get("match", "all")
            others = [
                name
                for name in ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position")
                if name in self.attrib
            ]
            if not others:
                if passed != (match == "none"):
                    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)
                raise ConditionFailed
            if match in ("all", None) and not passed:
                raise ConditionFailed
            if match == "any" and passed:
                return self.render_children(item, context=context, delimiter=delimiter, **kwargs)
            if match == "none" and passed:
                raise ConditionFailed
        return super().render(item, context=context, delimiter=delimiter, **kwargs)


class ImplicitYearSuffix:
    """Rule mixin for `cs:date`."""

    def process(self, item, variable=None, show_parts=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Date.process`: the year suffix follows the first rendered year of `issued` when the style
        has no explicit `year-suffix` text (CSL: "If ... not rendered explicitly, it is appended to the first
        year rendered through cs:date")."""
        text = super().process(item, variable=variable, show_parts=show_parts, context=context, **kwargs)
        name = variable or self.get("variable")
        if text is None or name != "issued" or self.is_locale_date():
            return text
        return _date_with_suffix(item, text)


def _date_with_suffix(item, text):  # type: ignore[no-untyped-def]
    suffix = _year_suffix_needed(item)
    if not suffix:
        return text
    if item.bibliography.style.facts.explicit_year_suffix:
        return text
    layout = context_of(item).layout
    if layout is None or layout.repressed.get("lutnick:year-suffix"):
        return text
    year = str(item.reference["issued"].get("year", "")) if hasattr(item.reference["issued"], "get") else ""
    plain = str(text)
    position = plain.find(year.lstrip("-")) if year else -1
    if position < 0:
        return text
    layout.repressed["lutnick:year-suffix"] = True
    end = position + len(year.lstrip("-"))
    from citeproc.string import String

    return String(plain[:end] + suffix + plain[end:])


class LabelYearSuffix:
    """Rule mixin for `cs:text`."""

    def _variable(self, item, context):  # type: ignore[no-untyped-def]
        """Wraps `Text._variable`: an implicit year suffix follows a printed `citation-label` (`Lutn19a`)."""
        text = super()._variable(item, context)
        if self.get("variable") != "citation-label" or not text:
            return text
        suffix = _year_suffix_needed(item)
        layout = context_of(item).layout
        if not suffix or layout is None or item.bibliography.style.facts.explicit_year_suffix:
            return text
        if layout.repressed.get("lutnick:year-suffix"):
            return text
        layout.repressed["lutnick:year-suffix"] = True
        from citeproc.string import String

        return String(str(text) + suffix)


class CurrentLayout:
    """Rule mixin for `cs:layout`."""

    def render_children(self, item, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Layout.render_children` (inherited from `Parent`): the render context notes which layout
        renders, for the year suffix and for substitution inside macros."""
        context_of(item).layout = self
        return super().render_children(item, delimiter=delimiter, **kwargs)
