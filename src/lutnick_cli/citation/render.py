"""Rendering: the one way lutnick renders citations and bibliographies (`render`), and `Renderer` over it.

Records become CSL-JSON items (`citation.csl`), the engine (`citation.engine`)
renders them in a style loaded by `citation.styles`, and `citation.markup`
finishes the engine's marked text in the output format asked for.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lutnick_cli.citation.engine.display import html_entry
from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.markup import MarkingFormatter, finish
from lutnick_cli.citation.styles import DEFAULT_STYLE, load_style
from lutnick_cli.errors import ValueTuple

if TYPE_CHECKING:
    from lutnick_cli.record import Record


class CitationInput(ValueTuple):
    """One citation to render: its cites, as citeproc-js's citation items (`id`, and optionally `locator`,
    `label`, `prefix`, `suffix`, `suppress-author`, `author-only`, `position`, `near-note`), and the number
    of the note it stands in, when a word processor gives one."""

    cites: tuple[Mapping[str, object], ...]
    note: int | None = None


class Entry(ValueTuple):
    """One item's reference-list entry; `text` is None when the style leaves the item out of its list."""

    id: str
    text: str | None


class EngineWarning(ValueTuple):
    """Something the engine met while rendering and went past: `item` is the id it concerns, if one."""

    message: str
    item: str | None = None


class Result(ValueTuple):
    """What a render gives: the bibliography's entries in its order, each citation's text in the order
    given, and the warnings, each once."""

    entries: tuple[Entry, ...]
    citations: tuple[str, ...]
    warnings: tuple[EngineWarning, ...]


# The cite options of citeproc-js that citeproc-py's cited item does not take as arguments; the
# engine layer reads them from the item.
_CITE_FLAGS = ("suppress-author", "author-only", "position", "near-note")


def render(
    style: Any,
    items: Sequence[Mapping[str, object]],
    citations: Sequence[CitationInput] = (),
    output_format: str = "text",
    *,
    uncited: Sequence[str] = (),
    bibliography: bool = True,
    sort: bool = True,
    positions: Sequence[int] | None = None,
    alone: Collection[str] = (),
) -> Result:
    """Render `citations` and the bibliography of `items` in a style (as `load_style` gives it).

    The only way lutnick renders. `items` are CSL-JSON items. The
    bibliography holds every item the citations cite, in the order first
    cited, then those of `uncited` (ids, as citeproc-js's uncited items):
    sorted as the style says with `sort`, or else taken as already in
    bibliography order, `positions` (0-based) numbering them within a larger
    whole. The citations are rendered in order, as in a document, and the
    bibliography after them (with `bibliography`; a style without one has no
    entries). `alone` (ids) are items known to share their first cite with no
    other item of a larger whole (see `Renderer.survey`): disambiguation need
    not render them to see that. Warnings the engine gives are returned in the
    result, never printed.
    """
    import warnings

    found: list[EngineWarning] = []

    def missing(cite) -> None:  # type: ignore[no-untyped-def]
        found.append(EngineWarning(f"cited item {cite.key!r} is not among the items", cite.key))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine_bibliography, engine_citations = _engine_bibliography(style, items, citations, uncited, missing)
        if positions is not None:
            engine_bibliography.keys.place(positions)
        if alone:
            from lutnick_cli.citation.engine.performance import known_unambiguous

            known_unambiguous(engine_bibliography, alone)
        # One item sorts to itself: its sort keys, each a render of the style's macros, are not worked out.
        # (Sorting numbers the keys afresh, so placed positions still go through it.)
        if sort and style.has_bibliography() and (len(engine_bibliography.items) > 1 or positions is not None):
            engine_bibliography.sort()
        texts = tuple(
            finish(str(engine_bibliography.cite(citation, missing)), output_format) for citation in engine_citations
        )
        entries: tuple[Entry, ...] = ()
        if bibliography and style.has_bibliography():
            entries, omitted = _entries(style, engine_bibliography, output_format)
            found.extend(EngineWarning("the style leaves it out of its bibliography", key) for key in omitted)
    messages = (_engine_message(str(warning.message)) for warning in caught)
    found[:0] = [EngineWarning(message) for message in messages if message is not None]
    return Result(entries, texts, tuple(dict.fromkeys(found)))


# citeproc-py's warning of arguments it does not take (left to `re`'s cache: most renders warn of nothing).
_UNSUPPORTED = r"(?s)The following arguments for (\w+) are unsupported: (.*)"


def _engine_message(message: str) -> str | None:
    """citeproc-py's warning in lutnick's words, where lutnick knows what it means; None where it is no
    warning for lutnick (a CSL 1.0.2 variable citeproc-py does not list, but keeps, and the engine renders)."""
    from lutnick_cli.citation.engine.variables import CSL_VARIABLES

    unsupported = re.fullmatch(_UNSUPPORTED, message)
    if unsupported is None:
        return message
    names = sorted(name.strip() for name in unsupported.group(2).split(","))
    if unsupported.group(1) == "Reference":
        unknown = [name for name in names if name not in CSL_VARIABLES and name.replace("_", "-") not in CSL_VARIABLES]
        return f"{', '.join(unknown)}: no CSL variable of that name; no style prints it" if unknown else None
    return f"{', '.join(names)}: cite options the engine does not know; they change nothing"


def _engine_bibliography(style, items, citations, uncited, missing):  # type: ignore[no-untyped-def]
    """citeproc-py's bibliography of the items, with the citations and then the uncited ids registered."""
    from citeproc import Citation

    from lutnick_cli.citation.engine.elements import EngineSource

    Item = _item_class()
    engine_citations = []
    for given in citations:
        citation = Citation([_cited_item(Item, cite) for cite in given.cites])
        if given.note is not None:
            citation["note_index"] = given.note
        engine_citations.append(citation)
    items = list(items)
    # Looking through the style for `citation-label` costs about a millisecond, once per style: more than
    # making the labels of a few items, which no render of a style naming none reads either way.
    labels = len(items) < _FEW_ITEMS or _names_citation_label(style)
    source = EngineSource(items, citation_labels=labels)
    engine_bibliography = _bibliography_class()(style, source, MarkingFormatter)
    for citation in [*engine_citations, *(_uncited(Item, Citation, key) for key in uncited)]:
        engine_bibliography.register(citation, missing)
    return engine_bibliography, engine_citations


def _uncited(Item, Citation, key: str):  # type: ignore[no-untyped-def]
    """`Citation([Item(key)])`: the citation of an uncited id, made as citeproc-py's constructors make it
    (its cited item's key, lower-cased; each pointing at the other), without their checks of the options
    given, of which there are none (a long bibliography registers every record so, in each pass)."""
    item = Item.__new__(Item)
    dict.__setitem__(item, "key", key.lower())
    citation = Citation.__new__(Citation)
    dict.__setitem__(item, "citation", citation)
    dict.__setitem__(citation, "cites", [item])
    return citation


_FEW_ITEMS = 256


def _names_citation_label(style) -> bool:  # type: ignore[no-untyped-def]
    """Whether any attribute of the style names the `citation-label` variable (a test, a text, a sort key):
    otherwise no render reads it, and the engine need not make it for every item. Worked out once per style."""
    from lutnick_cli.citation.engine.cache import style_cache

    memory = style_cache(style.root)
    found = memory.get("names citation-label")
    if found is None:
        found = memory["names citation-label"] = bool(
            style.root.xpath(
                "//@variable[contains(., 'citation-label')] | //@is-numeric[contains(., 'citation-label')]"
            )
        )
    return found


def _cited_item(Item, cite: Mapping[str, object]):  # type: ignore[no-untyped-def]
    from citeproc import Locator

    from lutnick_cli.citation import engine

    options: dict[str, object] = {}
    if cite.get("locator") not in (None, ""):
        # CSL 1.0 spelt the locator type "sub verbo"; citeproc-js reads it as CSL 1.0.2's "sub-verbo"
        label = str(cite.get("label") or "page")
        label = "sub-verbo" if label == "sub verbo" else label
        # a locator is rich text, as a field is: its quotation marks take in the punctuation after them
        options["locator"] = Locator(label, engine.rich_text(str(cite["locator"])))
    for affix in ("prefix", "suffix"):
        if cite.get(affix):
            options[affix] = engine.cite_affix(str(cite[affix]))
    item = Item(str(cite["id"]), **options)
    for flag in _CITE_FLAGS:
        if flag in cite:
            item[flag] = cite[flag]
    return item


# What citeproc-js prints for an entry that renders nothing in a style whose citations are numbers:
# the list keeps the number the citations refer to.
NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"


def _entries(style, engine_bibliography, output_format: str):  # type: ignore[no-untyped-def]
    """The bibliography's entries (a tuple of `Entry`), and the keys of those the style leaves out.

    An entry left out has no text; in a style whose citations print the
    citation number it is citeproc-js's `N. [CSL STYLE ERROR: reference with
    no printed form.]`, so that the numbers of the list still match the
    citations' (N is the entry's place in the list).
    """
    keys = list(engine_bibliography.keys)
    texts: list[str | None] = [finish(str(entry), output_format) for entry in engine_bibliography.bibliography()]
    omitted: list[str] = []
    if len(texts) != len(keys):
        # The engine leaves out an entry that renders to nothing; put each entry back beside its key.
        present = [style.render_bibliography([item]) != [] for item in engine_bibliography.items]
        omitted = [key for key, here in zip(keys, present) if not here]
        rest = iter(texts)
        numbered = citations_print_numbers(style)
        texts = [
            next(rest)
            if here
            else finish(f"{engine_bibliography.keys.index(key) + 1}. {NO_PRINTED_FORM}", output_format)
            if numbered
            else None
            for key, here in zip(keys, present)
        ]
    if output_format == "html":
        texts = [html_entry(text) if text is not None else None for text in texts]
    return tuple(Entry(key, text) for key, text in zip(keys, texts)), omitted


def citations_print_numbers(style) -> bool:  # type: ignore[no-untyped-def]
    """Whether the style's citations print the citation number: a `cs:text variable="citation-number"`
    in its cs:citation or a macro it calls (citeproc-js's numeric update mode; a sort key is none)."""
    citation = style.root.citation
    seen: set[str] = set()
    pending = [citation.layout] if citation is not None else []
    while pending:
        element = pending.pop()
        if element.xpath_search(".//cs:text[@variable='citation-number']"):
            return True
        for name in element.xpath_search(".//cs:text/@macro"):
            if name not in seen:
                seen.add(name)
                try:
                    pending.append(element.get_macro(name))
                except IndexError:
                    continue  # a macro the style calls but does not define renders nothing
    return False


# One sort key of a record, as `_comparable` makes it: its text and, if the text is one, its number;
# None where the record has no value for the key.
SortKey = tuple[object, int | None] | None


class Renderer:
    """Renders records in one style, locale and output format, through `render`; the warnings of every
    render so far, each once, are in `warnings`."""

    def __init__(self, style: str = DEFAULT_STYLE, locale: str | None = None, output_format: str = "text"):
        self.style = load_style(style, locale)
        self.output_format = output_format
        self.warnings: dict[EngineWarning, None] = {}

    def _render(
        self, items: Sequence[Mapping[str, object]], citations: Sequence[CitationInput] = (), **options: Any
    ) -> Result:
        result = render(self.style, items, citations, self.output_format, **options)
        self.warnings.update(dict.fromkeys(result.warnings))
        return result

    def _bibliography(self, records: Sequence[Record], positions: Sequence[int] | None = None):  # type: ignore[no-untyped-def]
        """The engine's bibliography of the records, unsorted, for what is worked out from it but not rendered."""
        import warnings

        items = [engine_item(record) for record in records]
        with warnings.catch_warnings():
            # Reading the items warns as a render of them does; the render that follows reports it.
            warnings.simplefilter("ignore")
            bibliography, _ = _engine_bibliography(self.style, items, (), [item["id"] for item in items], None)
        if positions is not None:
            bibliography.keys.place(positions)
        return bibliography

    def entries(self, records: Sequence[Record], sort: bool = True) -> list[str]:
        """Reference-list entries: sorted as the style says, or in input order."""
        return [entry for _, entry, _ in self.bibliography(records, sort=sort) if entry is not None]

    def bibliography(
        self,
        records: Sequence[Record],
        positions: Sequence[int] | None = None,
        with_in_text: bool = False,
        sort: bool = True,
        alone: Collection[str] = (),
    ) -> list[tuple[str, str | None, str]]:
        """(engine key, entry, in-text citation) for each record, in bibliography order.

        With `sort`, the order is the style's; without, the records are taken
        as already in bibliography order and `positions` (0-based) numbers
        them within a larger whole. The in-text citation, with `with_in_text`,
        is each record's cite among all of them, disambiguated alike. An entry
        the style renders to nothing is None. `alone` (engine keys) are records
        known, from `survey`, to share their first cite with no other record of
        the whole batch: disambiguation need not render them to see that.
        A style without a bibliography gives each record's cite as its entry.
        """
        items = [engine_item(record) for record in records]
        return self.bibliography_of_items(items, positions, with_in_text, sort, alone)

    def bibliography_of_items(
        self,
        items: Sequence[Mapping[str, object]],
        positions: Sequence[int] | None = None,
        with_in_text: bool = False,
        sort: bool = True,
        alone: Collection[str] = (),
    ) -> list[tuple[str, str | None, str]]:
        """`bibliography` of CSL-JSON items, as `engine_item` makes them."""
        ids = [str(item["id"]) for item in items]
        cites = self.style.has_bibliography() and not with_in_text
        citations = [] if cites else [CitationInput(({"id": key},)) for key in ids]
        result = self._render(
            items, citations, uncited=ids if cites else (), sort=sort, positions=positions, alone=alone
        )
        if not self.style.has_bibliography():
            return [(key, text, text) for key, text in zip(ids, result.citations)]
        in_text = dict(zip(ids, result.citations))
        return [(entry.id, entry.text, in_text.get(entry.id, "")) for entry in result.entries]

    def survey(
        self,
        records: Sequence[Record],
        positions: Sequence[int],
        first_cites: bool = False,
        key_count: int | None = None,
    ) -> list[tuple[tuple[SortKey, ...], str, str]]:
        """What one process works out for its chunk of a long bibliography, from one engine bibliography.

        For each record, in input order: its sort key (see `sort_keys`; only
        its first `key_count` keys if given) and, with `first_cites`, its cite
        as the style renders it before any disambiguation (see `_first_cite`):
        records whose first cites are equal are the ones disambiguation may
        tell apart; and its engine key (for `bibliography(alone=...)`).
        `positions` number the records as cited (citation-number).
        """
        bibliography = self._bibliography(records, positions)
        keys = self._sort_keys(bibliography, slice(key_count))
        cites = [self._first_cite(item) for item in bibliography.items] if first_cites else [""] * len(records)
        return [(key, cite, item.key) for key, cite, item in zip(keys, cites, bibliography.items)]

    def _first_cite(self, item) -> str:  # type: ignore[no-untyped-def]
        """The cite's text as the style's <citation> layout renders it, before any disambiguation
        (which the bibliography front end does), kept to its letters and digits, lower-cased.

        Disambiguation tells apart cites whose text is the same; whatever
        else it compares (marks, punctuation, case) is only ever finer than
        this, so records with different texts here are never ambiguous with
        each other. The layout's own affixes and the finishing of the output
        format are left out: they are the same for every cite.
        """
        from lutnick_cli.citation.engine.context import render_layout

        text = render_layout(self.style.root.citation.layout, item, first=True)
        return "".join(filter(str.isalnum, str(text or "").lower()))

    def sort_keys(
        self, records: Sequence[Record], positions: Sequence[int], start: int = 0
    ) -> list[tuple[SortKey, ...]]:
        """Each record's bibliography sort key (from its `start`th key on), as the engine computes it, in a
        form `sort_order` compares and a process can send; `positions` number the records as cited
        (citation-number)."""
        return self._sort_keys(self._bibliography(records, positions), slice(start, None))

    def _sort_keys(self, bibliography, keys: slice = slice(None)) -> list[tuple[SortKey, ...]]:  # type: ignore[no-untyped-def]
        sort = self._bibliography_sort()
        if sort is None:
            return [() for _ in bibliography.items]
        layout = self.style.root.bibliography.layout
        columns = [key.sort_keys(bibliography.items, layout) for key in sort.findall("cs:key", sort.nsmap)[keys]]
        return [tuple(_comparable(column[index]) for column in columns) for index in range(len(bibliography.items))]

    def _bibliography_sort(self):  # type: ignore[no-untyped-def]
        if not self.style.has_bibliography():
            return None
        bibliography = self.style.root.bibliography
        return bibliography.find("cs:sort", bibliography.nsmap)

    def sort_directions(self) -> tuple[bool, ...]:
        """For each bibliography sort key, whether it sorts descending."""
        sort = self._bibliography_sort()
        if sort is None:
            return ()
        return tuple(key.get("sort", "ascending").lower() == "descending" for key in sort.findall("cs:key", sort.nsmap))

    def in_text(self, records: Sequence[Record]) -> str:
        """One in-text citation (or note) citing all the records together."""
        return self.in_text_of_items([engine_item(record) for record in records])

    def in_text_of_items(self, items: Sequence[Mapping[str, object]]) -> str:
        """`in_text` of CSL-JSON items, as `engine_item` makes them."""
        cluster = CitationInput(tuple({"id": item["id"]} for item in items))
        return self._render(items, [cluster], bibliography=False).citations[0]


def _comparable(value: object) -> SortKey:
    """A sort key as citeproc-py 0.11.1's `Sort.sort` compares it: lower-cased text, and its number if it is one."""
    if value is None:
        return None
    try:
        value = str(value.lower())  # type: ignore[attr-defined]
    except AttributeError:
        pass
    try:
        number: int | None = int(str(value))
    except ValueError:
        number = None
    return (value, number)


def sort_equal(key: SortKey) -> object:
    """What of a sort key (as `_comparable` makes it) `sort_order` compares: keys with the same are equal.

    Numbers as numbers when both sides are numbers, else the text; and a
    text both sides read as a number is a number on both, so neither case
    can meet the other.
    """
    if key is None:
        return None
    text, number = key
    return ("number", number) if number is not None else ("text", text)


def sort_order(keys: Sequence[tuple[SortKey, ...]], descending: Sequence[bool]) -> list[int]:
    """The order (indices into `keys`) in which citeproc-py 0.11.1's `Sort.sort` puts the items.

    The same comparison as the engine's: key by key, a missing key after any
    present one, numbers as numbers when both sides are numbers, and a stable
    sort, so ties keep the input order. Computed from keys that processes
    worked out apart, it lets a long bibliography be sorted without rendering
    every sort key in one process; tests check it against the engine's own sort.
    """
    by_columns = _sort_order_by_columns(keys, descending)
    return by_columns if by_columns is not None else _sort_order_compared(keys, descending)


def _sort_order_compared(keys: Sequence[tuple[SortKey, ...]], descending: Sequence[bool]) -> list[int]:
    """`sort_order`, by its comparison of two records' keys."""
    from functools import cmp_to_key

    def compare(left: int, right: int) -> int:
        for left_key, right_key, down in zip(keys[left], keys[right], descending):
            if left_key is not None and right_key is not None:
                (left_text, left_number), (right_text, right_number) = left_key, right_key
                # numbers, or the values citeproc-py's sort keys give, which it compares as they are
                a: Any
                b: Any
                if left_number is not None and right_number is not None:
                    a, b = left_number, right_number
                else:
                    a, b = left_text, right_text
                result = (a > b) - (a < b)
                if result:
                    return -result if down else result
            elif left_key is not None:
                return -1
            elif right_key is not None:
                return 1
        return 0

    return sorted(range(len(keys)), key=cmp_to_key(compare))


def _sort_order_by_columns(keys: Sequence[tuple[SortKey, ...]], descending: Sequence[bool]) -> list[int] | None:
    """`sort_order`'s order, found by one stable sort per key, the last key first, where each key's values
    compare alike (all numbers, or all texts with no number); None where they do not.

    A stable sort by each key in turn from the last gives the order of the comparison key by key, ties
    kept in input order, when each key on its own is a consistent order: not so where numbers meet texts
    that are not, which compare by text with each other and by number among themselves (`sort_order`'s
    comparison then decides). A sort keyed by values takes each record's key once, where the comparison
    was called some 120,000 times for 10,000 records.
    Test: tests/test_sort_ties.py::test_sorting_key_by_key_gives_the_order_of_the_comparison."""
    width = len(descending)
    if any(len(key) != width for key in keys):
        return None  # the comparison compares as many keys as both sides and `descending` have
    order = list(range(len(keys)))
    for column in reversed(range(width)):
        values = [key[column] for key in keys]
        present = [value for value in values if value is not None]
        if not present:
            continue  # every record ties on this key
        sortable: list[Any]
        if all(number is not None for _, number in present):
            sortable = [None if value is None else value[1] for value in values]
        elif all(number is None and type(text) is str for text, number in present):
            sortable = [None if value is None else value[0] for value in values]
        else:
            return None
        down = descending[column]
        # a missing key comes after every present one, in either direction
        absent, here = (0, 1) if down else (1, 0)
        ranked = [(absent,) if value is None else (here, value) for value in sortable]
        order.sort(key=ranked.__getitem__, reverse=down)
    return order


class _KeyList(list):
    """The bibliography's list of cited keys, with membership and position found in constant time.

    citeproc-py 0.11.1's `CitationStylesBibliography.register` tests
    `key not in self.keys` for each registered item, and `CitationItem.number`
    and `.is_bad` search the same list, so a bibliography of n records took
    time in n². The list is the same list; only the lookups are indexed.
    `place` numbers the keys from elsewhere: a piece of a long bibliography
    rendered in another process keeps the numbers of the whole.
    """

    def __init__(self, keys: Sequence[str] = ()):
        super().__init__(keys)
        self._positions = {key: index for index, key in enumerate(self)}

    def append(self, key: str) -> None:
        self._positions.setdefault(key, len(self))
        super().append(key)

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def index(self, key: str, *args: object) -> int:
        try:
            return self._positions[key]
        except KeyError:
            raise ValueError(f"{key!r} is not in the bibliography") from None

    def place(self, positions: Sequence[int]) -> None:
        self._positions = {key: position for key, position in zip(self, positions)}


@lru_cache(maxsize=1)
def _bibliography_class():  # type: ignore[no-untyped-def]
    """citeproc-py's bibliography front end, with the engine's rules for it (`elements.BIBLIOGRAPHY_RULES`),
    indexed key lookups (see _KeyList), and the state of its renders (`engine.context.RenderContext`),
    which every rule reaches through the cited item's bibliography."""
    from citeproc import CitationStylesBibliography

    from lutnick_cli.citation.engine.context import RenderContext
    from lutnick_cli.citation.engine.elements import BIBLIOGRAPHY_RULES

    class Bibliography(*reversed(BIBLIOGRAPHY_RULES), CitationStylesBibliography):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.context = RenderContext()
            super().__init__(*args, **kwargs)
            self.keys = _KeyList()

        def sort(self) -> None:
            super().sort()
            self.keys = _KeyList(self.keys)

    return Bibliography


@lru_cache(maxsize=1)
def _item_class():  # type: ignore[no-untyped-def]
    """citeproc-py's cited item, with its bibliography and reference looked up once.

    citeproc-py 0.11.1's `CitationItem.reference` is
    `self.bibliography.source[self.key]`, and `.bibliography` is
    `self.citation.bibliography`, each step through `CustomDict.__getattr__`;
    the engine asks for them some 350 times per APA entry, 14% of rendering.
    Neither changes once the citation is registered, so each is kept after
    its first successful lookup: a cached property, which leaves it in the
    instance's __dict__, where later lookups find it without a call (the
    render context, `engine.context.context_of`, is reached this way for
    nearly every element rendered).
    """
    from citeproc import CitationItem

    class Item(CitationItem):
        @cached_property
        def bibliography(self):  # type: ignore[no-untyped-def]
            return self.citation.bibliography

        @cached_property
        def reference(self):  # type: ignore[no-untyped-def]
            return self.bibliography.source[self.key]

    return Item


def engine_item(record: Record) -> dict[str, object]:
    """The CSL-JSON item the engine renders for a record."""
    from lutnick_cli.citation.csl import record_to_csl

    item = record_to_csl(record)
    item.pop("custom", None)  # lutnick's own facts; no style reads them
    return item
