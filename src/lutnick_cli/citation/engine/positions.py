"""Cite positions and notes (CSL 1.0.2, "Position"; the `first-reference-note-number` variable).

citeproc-py's `model.If._position` knows no notes: a cite is "ibid" when the
previous *citation* has a single cite of the same item, and near-note
distance counts citations. When a citation carries its note number
(`citation["note_index"]`, as word-processor integrations give it), the
rules of the spec and citeproc-js apply instead:

- ibid: the preceding cite in the same citation is of the same item; or, for
  the first cite of a citation, the preceding citation in the same note is a
  single cite of the item, or else all cites of the preceding note are one
  single cite of the item; a preceding locator with none now is not ibid;
- ibid-with-locator: ibid with a locator that differs from the preceding one;
- near-note: the item was cited within `near-note-distance` notes;
- `first-reference-note-number`: the note of the item's first cite.

Citations in the text (no note number) and citations in notes are two
sequences, each evaluated apart, as in citeproc-js. A position given with a
cite (`"position"`, by name or by citeproc-js's number: 0 first, 1
subsequent, 2 ibid, 3 ibid-with-locator; with `"near-note"`) is taken as
given.

Without note numbers the behaviour is citeproc-py's. Rule mixins (composed
in engine/elements.py): `NotePositions` replaces `If._position`,
`FirstReferenceNoteNumber` wraps `Text._variable`, `IndexedCites` gives the
bibliography front end a `CitesSoFar` for the cites of its citations.
Tests: tests/test_engine_positions.py.
"""

from __future__ import annotations

from typing import Any


class CitesSoFar(list):
    """The cites of a bibliography's citations so far, in order (citeproc-py's `_cites`, which
    `cs:citation` holds as its `cites` while a citation renders), with what position tests ask of them
    kept as cites are added: for citations in the text and in notes apart, the keys cited and the last cite.

    Every position test (and the names' `et-al-subsequent-*`) asked whether the item was cited before by
    going through all earlier cites: time in n² for a document of n cites, over half of rendering 1,000
    records each cited once. A cite is added with `append`, which keeps the index; any other change to
    the list has it built again when next asked.
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[bool, set[str]] = {False: set(), True: set()}
        self._last: dict[bool, Any] = {False: None, True: None}
        self._stale = False

    def append(self, cite) -> None:  # type: ignore[no-untyped-def]
        super().append(cite)
        if not self._stale:
            self._index(cite)

    def _index(self, cite) -> None:  # type: ignore[no-untyped-def]
        in_note = _note(cite) is not None
        self._keys[in_note].add(cite.key)
        self._last[in_note] = cite

    def _changed(self) -> None:
        self._stale = True

    def _current(self) -> CitesSoFar:
        if self._stale:
            self._keys, self._last, self._stale = {False: set(), True: set()}, {False: None, True: None}, False
            for cite in self:
                self._index(cite)
        return self

    def cited(self, key: str, in_note: bool | None = None) -> bool:
        """Whether `key` was cited so far: in notes, in the text, or (None) in either."""
        keys = self._current()._keys
        return key in keys[in_note] if in_note is not None else key in keys[False] or key in keys[True]

    def last(self, in_note: bool):  # type: ignore[no-untyped-def]
        """The last cite so far in notes (or in the text), or None."""
        return self._current()._last[in_note]

    # Every other change of the list: the index is built again when next asked.
    def __setitem__(self, *arguments) -> None:  # type: ignore[no-untyped-def]
        super().__setitem__(*arguments)
        self._changed()

    def __delitem__(self, *arguments) -> None:  # type: ignore[no-untyped-def]
        super().__delitem__(*arguments)
        self._changed()

    def __iadd__(self, *arguments):  # type: ignore[misc, no-untyped-def]
        self._changed()
        return super().__iadd__(*arguments)

    def extend(self, *arguments) -> None:  # type: ignore[no-untyped-def]
        super().extend(*arguments)
        self._changed()

    def insert(self, *arguments) -> None:  # type: ignore[no-untyped-def]
        super().insert(*arguments)
        self._changed()

    def pop(self, *arguments):  # type: ignore[no-untyped-def]
        self._changed()
        return super().pop(*arguments)

    def remove(self, *arguments) -> None:  # type: ignore[no-untyped-def]
        super().remove(*arguments)
        self._changed()

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *arguments, **options) -> None:  # type: ignore[no-untyped-def]
        super().sort(*arguments, **options)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()


def cited_before(cites, key: str, in_note: bool | None = None) -> bool:  # type: ignore[no-untyped-def]
    """Whether `key` is among `cites` (a `CitesSoFar`, or a plain list: a lone cite rendered outside a
    document has none before it): in notes, in the text, or (None) in either."""
    if isinstance(cites, CitesSoFar):
        return cites.cited(key, in_note)
    return any(cite.key == key and (in_note is None or (_note(cite) is not None) == in_note) for cite in cites)


class IndexedCites:
    """Rule mixin for the bibliography front end (`CitationStylesBibliography`)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Wraps `CitationStylesBibliography.__init__`: the cites of its citations are a `CitesSoFar`."""
        super().__init__(*args, **kwargs)
        self._cites = CitesSoFar()


def _note(cite) -> int | None:  # type: ignore[no-untyped-def]
    try:
        value = cite.citation.get("note_index")
    except (AttributeError, KeyError):
        return None
    return int(value) if value not in (None, "") else None


class NotePositions:
    """Rule mixin for `cs:if` and `cs:else-if`."""

    def _position(self, item, context):  # type: ignore[no-untyped-def]
        """Overrides `If._position` (replaced): the tests of `position="…"`, with notes when known."""
        return positions(self, item, context)


def positions(self, item, context):  # type: ignore[no-untyped-def]
    """The results of an `If`'s `position="…"` tests for a cite, with notes when known."""
    from lutnick_cli.citation.engine.performance import _formatting_parent

    if context is None:
        context = self
    parent = _formatting_parent(context)
    if parent is None or parent.tag.endswith("bibliography"):
        return [False]
    given = _given_position(item)
    if given is not None:
        return [_given_test(position, given, item) for position in self.get("position").split()]
    note = _note(item)
    # citations in the text and citations in notes are two sequences (citeproc-js): an in-text cite
    # after a footnote can be ibid of the in-text cite before it
    in_note = note is not None
    everything = parent.cites
    if isinstance(everything, CitesSoFar):
        last = everything.last(in_note)
        already = everything.cited(item.key, in_note)
        cites = None  # listed only for the tests that need them all (below)
    else:
        cites = [cite for cite in everything if (_note(cite) is not None) == in_note]
        last = cites[-1] if cites else None
        already = any(cite.key == item.key for cite in cites)

    def sequence() -> list:
        return cites if cites is not None else [cite for cite in everything if (_note(cite) is not None) == in_note]

    if last is None or last.key != item.key:
        candidate = False
    elif last.citation is item.citation:
        candidate = True
    elif note is not None and _note(last) is not None and _note(last) != note:
        previous_note = _note(last)
        in_previous_note = [
            cite for cite in sequence() if _note(cite) == previous_note and cite.citation is not item.citation
        ]
        candidate = len(in_previous_note) == 1
    else:
        candidate = len(last.citation.cites) == 1
    results = []
    for position in self.get("position").split():
        if position == "first":
            result = not already
        elif position == "subsequent":
            result = already
        elif position == "ibid":
            result = candidate and (item.has_locator or not last.has_locator)
        elif position == "ibid-with-locator":
            result = (
                candidate
                and item.has_locator
                and (
                    not last.has_locator
                    or str(item.locator.identifier) != str(last.locator.identifier)
                    or item.locator.label != last.locator.label
                )
            )
        elif position == "near-note":
            result = already and _near(self, item, sequence(), note)
        else:
            result = False
        results.append(result)
    return results


# A position given with the cite, as citeproc-js takes it: by name, or by its number.
_GIVEN = {"first": 0, "subsequent": 1, "ibid": 2, "ibid-with-locator": 3, 0: 0, 1: 1, 2: 2, 3: 3}


def _given_position(item) -> int | None:  # type: ignore[no-untyped-def]
    value = item.get("position")
    return _GIVEN.get(value) if isinstance(value, (str, int)) else None


def _given_test(position: str, given: int, item) -> bool:  # type: ignore[no-untyped-def]
    """A `position="…"` test of a cite whose position was given (CSL 1.0.2: ibid-with-locator is also
    ibid, ibid and near-note are also subsequent); near-note only when the cite says so."""
    if position == "first":
        return given == 0
    if position == "near-note":
        return given >= 1 and bool(item.get("near-note"))
    rank = {"subsequent": 1, "ibid": 2, "ibid-with-locator": 3}.get(position)
    return rank is not None and given >= rank


def _near(element, item, cites, note) -> bool:  # type: ignore[no-untyped-def]
    distance = element.get_root().get_option("near-note-distance")
    previous = [cite for cite in cites if cite.key == item.key]
    if not previous:
        return False
    if note is not None and _note(previous[-1]) is not None:
        return note - _note(previous[-1]) <= distance
    citations: list[Any] = []  # citeproc-py's Citation objects
    for cite in cites:
        if not citations or citations[-1] is not cite.citation:
            citations.append(cite.citation)
    index = max(i for i, citation in enumerate(citations) if any(c.key == item.key for c in citation.cites))
    return len(citations) - index <= distance


class FirstReferenceNoteNumber:
    """Rule mixin for `cs:text`."""

    def _variable(self, item, context):  # type: ignore[no-untyped-def]
        """Overrides `Text._variable`: `first-reference-note-number` from the note of the item's first cite."""
        if self.get("variable") != "first-reference-note-number":
            return super()._variable(item, context)
        from citeproc.string import String

        from lutnick_cli.citation.engine.performance import _formatting_parent

        parent = _formatting_parent(context if context is not None else self)
        in_citation = parent is not None and parent.tag.endswith("citation")
        cites = (parent.__dict__.get("cites") or []) if in_citation else []
        if _note(item) is None:
            return None  # an in-text cite refers to no note (citeproc-js)
        for cite in cites:
            if cite.key == item.key and _note(cite) is not None:
                return String(str(_note(cite)))
        return None
