"""Citing many records: one process or several, always the same output.

Two kinds of work:

* `--each`: every record is cited on its own, as if it were the only one. No
  record depends on another, so chunks of records go to separate processes
  and the results come back in input order.

* The bibliography (the default): one reference list, sorted and
  disambiguated as the style demands. Here records do depend on each other:

  - Order. A record's sort key (the values of the style's `cs:key`s)
    depends on the record alone and on its citation number, which while
    sorting is its input position. Processes compute the keys for chunks of
    the input (the leading key for every record, the others only for the
    records it leaves tied, see `break_ties`); the parent sorts the whole
    list once with the engine's own comparison (`cite.sort_order`).
  - Disambiguation (year suffixes a, b…, added names and given names, the
    `disambiguate` condition) only ever concerns records whose first cites,
    rendered before any disambiguation, are the same text: "(Smith, 2019)"
    for both. So when the style disambiguates, processes also render each
    record's first cite, and records with equal ones form an ambiguity
    group. A group is always rendered together, in one engine bibliography,
    registered in the global sorted order, so its suffixes come out as in
    one bibliography of everything.
  - Substitution (`subsequent-author-substitute`, "———" for a repeated
    author) depends on the entry just before; citation numbers in a sorted
    list depend on the final order.

  So the work runs in two passes. First, processes compute the sort keys
  and, when the style disambiguates, the first cites of chunks of the
  input; the parent sorts and forms the groups. Then the sorted list is cut
  into chunks, and each is rendered in one engine bibliography holding its
  own records plus, as context whose output is dropped, the rest of their
  ambiguity groups and, when the style substitutes authors, the entry just
  before the chunk; the records are registered in global sorted order and
  numbered by global position. Groups sort together in practice (same
  author, same year), so little context crosses a chunk's edge and almost
  nothing is rendered twice. Pass 2 is also told which of its records are
  in no group at all (most of them), so that disambiguation does not render
  their first cites a second time only to find them alone. (Rendering entries already in the first pass
  and only ambiguity groups again was tried: the share of records in some
  group grows with the size of the batch, and so did the work twice done.)

  What no chunk can see is a rule over the whole set at once: given-name
  rules that expand a name wherever another person shares the family name
  (`givenname-disambiguation-rule` other than `by-cite`) change in-text
  citations, not entries; so `--format jsonl`, which prints in-text
  citations too, uses one process for such styles.

Tests render the same records with one process and with two and compare.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from lutnick_cli.errors import ValueTuple
from lutnick_cli.pool import Workers, chunked, jobs_for, on_fresh_stack, parallel_map, shared

if TYPE_CHECKING:
    from lutnick_cli.citation.render import EngineWarning, Renderer, SortKey
    from lutnick_cli.record import Record


# Named tuples made by ValueTuple, not dataclasses (a frozen dataclass takes over a millisecond to define)
# nor typing.NamedTuple: each is a part of a cold `lutnick cite`.
class Cited(ValueTuple):
    """One record's output: its key, its entry (or in-text citation) and its in-text citation, and the
    engine's warnings of its render (those that name no record go with the first of a render's records)."""

    position: int  # in the input
    id: str
    entry: str
    in_text: str
    warnings: tuple[EngineWarning, ...] = ()


class _Setup(ValueTuple):
    style: str
    locale: str | None
    output_format: str


def _renderer(setup: _Setup):  # type: ignore[no-untyped-def]
    from lutnick_cli.citation.render import Renderer

    return Renderer(setup.style, setup.locale, setup.output_format)


# --- each record on its own ----------------------------------------------------


def cite_each(
    records: Sequence[Record],
    style: str,
    locale: str | None,
    output_format: str,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    entries: bool = True,
    in_text: bool = True,
) -> list[Cited]:
    """Each record's entry and in-text citation as if it were cited alone, in input order.

    What is not asked for (`entries`, `in_text`) is left empty, not rendered.
    """
    setup = _Setup(style, locale, output_format)
    _renderer(setup)  # load the style once, before any worker is forked, and fail early if it is wrong
    workers = jobs_for(len(records), jobs)
    chunks = chunked(range(len(records)), workers)
    results = parallel_map(
        _each_chunk,
        [(chunk, entries, in_text) for chunk in chunks],
        workers,
        (lambda task: progress(len(task[0]))) if progress else None,
        shared=(setup, records),
    )
    return [cited for chunk in results for cited in chunk]


def _each_chunk(task) -> list[Cited]:  # type: ignore[no-untyped-def]
    chunk, entries, in_text = task
    setup, records = shared()
    renderer = _renderer(setup)
    out = []
    for index in chunk:
        record = records[index]
        renderer.warnings.clear()  # a record cited on its own has its own warnings
        if entries:
            # One engine bibliography of the record alone gives both.
            _, entry, cite = renderer.bibliography([record], with_in_text=in_text)[0]
        else:
            entry, cite = "", renderer.in_text([record])
        out.append(Cited(index, _key(record), entry or "", cite, tuple(renderer.warnings)))
    return out


def _key(record: Record) -> str:
    from lutnick_cli.keys import citation_key

    return citation_key(record)


# --- the bibliography ------------------------------------------------------------


def bibliography(
    records: Sequence[Record],
    style: str,
    locale: str | None,
    output_format: str,
    jobs: int | None = None,
    with_in_text: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Cited]:
    """The reference list of all the records, in the style's order; identical whatever `jobs` is."""
    setup = _Setup(style, locale, output_format)
    renderer = _renderer(setup)
    workers = jobs_for(len(records), jobs)
    traits = renderer.style.facts
    if workers <= 1 or not renderer.style.has_bibliography() or (with_in_text and traits.global_names):
        from lutnick_cli.citation.render import engine_item

        return one_bibliography(renderer, [engine_item(record) for record in records], with_in_text, progress)
    # One set of workers for both passes (and the tie-breaking keys between them).
    with Workers(workers, shared=(setup, records)) as pool:
        return _two_passes(pool, renderer, records, workers, with_in_text, progress)


def _two_passes(
    pool: Workers,
    renderer: Renderer,
    records: Sequence[Record],
    workers: int,
    with_in_text: bool,
    progress: Callable[[int], None] | None,
) -> list[Cited]:
    """The bibliography of `bibliography`, worked out in two passes by `pool` (see the module docstring)."""
    from lutnick_cli.citation.render import sort_order

    traits = renderer.style.facts
    survey_tasks = [(chunk, traits.disambiguates) for chunk in chunked(range(len(records)), workers)]
    surveyed = [row for chunk in pool.map(_survey_chunk, survey_tasks) for row in chunk]
    directions = renderer.sort_directions()

    def rest_of_keys(tied: list[int]) -> list[tuple[SortKey, ...]]:
        chunks = pool.map(_rest_of_keys_chunk, chunked(tied, workers))
        return [key for chunk in chunks for key in chunk]

    order = sort_order(break_ties([key for key, _, _ in surveyed], len(directions), rest_of_keys), directions)
    position = {index: place for place, index in enumerate(order)}
    groups: dict[str, list[int]] = {}
    if traits.disambiguates:
        for index, (_, cite, _) in enumerate(surveyed):
            groups.setdefault(cite, []).append(index)

    # Two passes: the sorted list cut into chunks, each with its context.
    tasks = []
    for chunk in chunked(order, workers):
        own = set(chunk)
        context: set[int] = set()
        for index in chunk:
            for mate in groups.get(surveyed[index][1], ()) if traits.disambiguates else ():
                if mate not in own:
                    context.add(mate)
        first = position[chunk[0]]
        if traits.substitutes_authors and first > 0:
            context.add(order[first - 1])
        members = sorted(own | context, key=position.__getitem__)
        # Records whose first cite no other record of the batch shares: by the rule above they
        # are in no ambiguity group, so disambiguation in pass 2 need not render their first
        # cites again to find that out (engine.performance.known_unambiguous), most of the
        # records in practice. Not when a cite shows its citation number, which pass 1
        # numbered by input position.
        alone = (
            [surveyed[index][2] for index in members if len(groups[surveyed[index][1]]) == 1]
            if traits.disambiguates and not traits.numbers_cites
            else []
        )
        tasks.append(([(index, position[index], index in own) for index in members], with_in_text, alone))
    rendered = pool.map(
        _entries_chunk, tasks, (lambda task: progress(sum(1 for *_, own in task[0] if own))) if progress else None
    )
    return [cited for chunk in rendered for cited in chunk]


def one_bibliography(
    renderer: Renderer,
    items: Sequence[Mapping[str, object]],
    with_in_text: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Cited]:
    """The reference list of CSL-JSON items (as `render.engine_item` makes them), in one process."""
    cited = on_fresh_stack(_one_process, renderer, items, with_in_text)
    if progress:
        progress(len(items))
    return cited


def _one_process(renderer, items: Sequence[Mapping[str, object]], with_in_text: bool) -> list[Cited]:  # type: ignore[no-untyped-def]
    # An item's id is its record's citation key (`_key`).
    index_of = {str(item["id"]).lower(): index for index, item in enumerate(items)}
    out = []
    for key, entry, in_text in renderer.bibliography_of_items(items, with_in_text=with_in_text):
        index = index_of[key]
        out.append(Cited(index, str(items[index]["id"]), entry, in_text))
    return with_warnings(out, renderer.warnings)


def with_warnings(cited: list[Cited], warnings: Sequence[EngineWarning]) -> list[Cited]:
    """The records' outputs, each with the warnings that name it; those that name no record go with the first."""
    if not cited or not warnings:
        return cited
    named: dict[str, list[EngineWarning]] = {}
    for warning in warnings:
        named.setdefault((warning.item or "").lower(), []).append(warning)
    out = [item._replace(warnings=tuple(named.get(item.id.lower(), ()))) for item in cited]
    if "" in named:
        out[0] = out[0]._replace(warnings=(*named[""], *out[0].warnings))
    return out


def _survey_chunk(task):  # type: ignore[no-untyped-def]
    chunk, disambiguates = task
    setup, records = shared()
    renderer = _renderer(setup)
    return renderer.survey(
        [records[index] for index in chunk], list(chunk), first_cites=disambiguates, key_count=LEADING_KEYS
    )


# Sort keys worked out for every record in the first pass; the others only where these tie. APA
# sorts by author, then date, status, title… and for 10,000 generated records the author alone
# leaves 7% of them tied with another: the other nine keys were half the cost of sorting.
LEADING_KEYS = 1


def break_ties(
    leading: list[tuple[SortKey, ...]], key_count: int, rest_of_keys: Callable[[list[int]], list[tuple[SortKey, ...]]]
) -> list[tuple[SortKey, ...]]:
    """Sort keys that `sort_order` puts in the order of the full keys: the rest of a record's keys
    (`rest_of_keys` of the record numbers) where its leading ones tie with another record's; elsewhere
    the leading keys decide, and the rest, never compared, are left empty."""
    from lutnick_cli.citation.render import sort_equal

    lead = len(leading[0]) if leading else 0
    if key_count <= lead:
        return leading
    alike: dict[tuple[object, ...], list[int]] = {}
    for index, key in enumerate(leading):
        alike.setdefault(tuple(sort_equal(part) for part in key), []).append(index)
    tied = sorted(index for indices in alike.values() if len(indices) > 1 for index in indices)
    keys = [key + (None,) * (key_count - lead) for key in leading]
    if tied:
        for index, rest in zip(tied, rest_of_keys(tied)):
            keys[index] = leading[index] + rest
    return keys


def _rest_of_keys_chunk(chunk) -> list[tuple[SortKey, ...]]:  # type: ignore[no-untyped-def]
    setup, records = shared()
    return _renderer(setup).sort_keys([records[index] for index in chunk], list(chunk), start=LEADING_KEYS)


def _entries_chunk(task) -> list[Cited]:  # type: ignore[no-untyped-def]
    members, with_in_text, alone = task
    setup, records = shared()
    renderer = _renderer(setup)
    rendered = renderer.bibliography(
        [records[index] for index, _, _ in members],
        positions=[place for _, place, _ in members],
        with_in_text=with_in_text,
        sort=False,
        alone=alone,
    )
    return with_warnings(
        [
            Cited(index, _key(records[index]), entry, in_text)
            for (index, _, own), (_, entry, in_text) in zip(members, rendered)
            if own
        ],
        renderer.warnings,
    )
