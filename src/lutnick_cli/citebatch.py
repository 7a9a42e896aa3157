"""Citing many records: one process or several, always the same output.

Two kinds of work:

* `--each`: every record is cited on its own, as if it were the only one. No
  record depends on another, so chunks of records go to separate processes
  and the results come back in input order.

* The bibliography (the default): one reference list, sorted and
  disambiguated as the style demands. Here records do depend on each other,
  and that is handled in three steps:

  1. Sort keys. A record's sort key (the values of the style's `cs:key`s)
     depends on the record alone, and on its citation number, which is its
     input position. Processes compute them for chunks of the input; the
     parent sorts the whole list once with the engine's comparison
     (`cite.sort_order`).
  2. Ambiguity groups. Disambiguation (year suffixes a, b…, added names,
     the `disambiguate` condition) only ever concerns records whose first
     cites render the same text: two records are ambiguous exactly when
     "(Smith, 2019)" is what both would show. So when the style
     disambiguates, each process also renders each record's cite alone, and
     records with equal cites form a group.
  3. Entries. The sorted list is cut into contiguous chunks. Each chunk is
     rendered in one engine bibliography holding its own records plus, as
     context whose output is dropped, the other members of their ambiguity
     groups and, when the style substitutes repeated authors
     (`subsequent-author-substitute`), the record just before the chunk. The
     records are registered in global sorted order and numbered by their
     global positions, so year suffixes, citation numbers and substitutions
     come out as in one bibliography of everything.

  The one thing no chunk can know is what depends on the whole set at once:
  given-name rules that expand a name wherever another person shares the
  family name (`givenname-disambiguation-rule` other than `by-cite`) change
  in-text citations, not entries; so the `in_text` of `--format jsonl` for
  such styles is computed in one process.

Tests render the same records with one process and with two and compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from lutnick_cli.batch import chunked, jobs_for, parallel_map
from lutnick_cli.record import Record


@dataclass(frozen=True, slots=True)
class Cited:
    """One record's output: its key, its entry (or in-text citation) and its in-text citation."""

    index: int  # position in the input
    id: str
    entry: str
    in_text: str


@dataclass(frozen=True, slots=True)
class _Setup:
    style: str
    locale: str | None
    output_format: str


def _renderer(setup: _Setup):  # type: ignore[no-untyped-def]
    from lutnick_cli.cite import Renderer

    return Renderer(setup.style, setup.locale, setup.output_format)


# --- each record on its own ----------------------------------------------------


def cite_each(
    records: Sequence[Record],
    style: str,
    locale: str | None,
    output_format: str,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Cited]:
    """Each record's entry and in-text citation as if it were cited alone, in input order."""
    setup = _Setup(style, locale, output_format)
    _renderer(setup)  # load the style once, before any worker is forked, and fail early if it is wrong
    numbered = list(enumerate(records))
    workers = jobs_for(len(numbered), jobs)
    chunks = chunked(numbered, workers)
    results = parallel_map(
        _each_chunk, [(setup, chunk) for chunk in chunks], workers,
        (lambda task: progress(len(task[1]))) if progress else None,
    )
    return [cited for chunk in results for cited in chunk]


def _each_chunk(task: tuple[_Setup, Sequence[tuple[int, Record]]]) -> list[Cited]:
    setup, chunk = task
    renderer = _renderer(setup)
    out = []
    for index, record in chunk:
        entries = renderer.entries([record])
        out.append(Cited(index, _key(record), entries[0] if entries else "", renderer.in_text([record])))
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
    traits = _traits(renderer.style)
    if workers <= 1 or not renderer.style.has_bibliography() or (with_in_text and traits.global_names):
        cited = _one_process(renderer, records, with_in_text)
        if progress:
            progress(len(records))
        return cited

    # 1 and 2: sort keys and first cites, computed apart.
    numbered = list(enumerate(records))
    results = parallel_map(_keys_chunk, [(setup, chunk, traits.disambiguates) for chunk in chunked(numbered, workers)], workers)
    keys = [key for chunk in results for key, _ in chunk]
    signatures = [signature for chunk in results for _, signature in chunk]
    from lutnick_cli.cite import sort_order

    order = sort_order(keys, renderer.sort_directions())
    position = {index: place for place, index in enumerate(order)}
    groups: dict[str, list[int]] = {}
    if traits.disambiguates:
        for index, signature in enumerate(signatures):
            groups.setdefault(signature, []).append(index)

    # 3: entries, chunk by chunk of the sorted list, with their context.
    tasks = []
    for chunk in chunked(order, workers):
        own = set(chunk)
        context: set[int] = set()
        for index in chunk:
            for mate in groups.get(signatures[index], ()) if traits.disambiguates else ():
                if mate not in own:
                    context.add(mate)
        first = position[chunk[0]]
        if traits.substitutes_authors and first > 0:
            context.add(order[first - 1])
        members = sorted(own | context, key=position.__getitem__)
        tasks.append((setup, [(index, position[index], records[index], index in own) for index in members], with_in_text))
    rendered = parallel_map(
        _entries_chunk, tasks, workers,
        (lambda task: progress(sum(1 for *_, own in task[1] if own))) if progress else None,
    )
    return [cited for chunk in rendered for cited in chunk]


def _one_process(renderer, records: Sequence[Record], with_in_text: bool) -> list[Cited]:  # type: ignore[no-untyped-def]
    index_of = {_key(record).lower(): index for index, record in enumerate(records)}
    out = []
    for key, entry, in_text in renderer.bibliography(records, with_in_text=with_in_text):
        index = index_of[key]
        out.append(Cited(index, _key(records[index]), entry, in_text))
    return out


def _keys_chunk(task) -> list[tuple[tuple[object, ...], str]]:  # type: ignore[no-untyped-def]
    setup, chunk, disambiguates = task
    renderer = _renderer(setup)
    records = [record for _, record in chunk]
    keys = renderer.sort_keys(records, [index for index, _ in chunk])
    if not disambiguates:
        return [(key, "") for key in keys]
    return [(key, _first_cite(renderer, record)) for key, record in zip(keys, records)]


def _first_cite(renderer, record: Record) -> str:  # type: ignore[no-untyped-def]
    # Rendered in the output format asked for; equal texts there are equal plain texts.
    return renderer.in_text([record]).lower()


def _entries_chunk(task) -> list[Cited]:  # type: ignore[no-untyped-def]
    setup, members, with_in_text = task
    renderer = _renderer(setup)
    records = [record for _, _, record, _ in members]
    rendered = renderer.bibliography(records, positions=[place for _, place, _, _ in members], with_in_text=with_in_text, sort=False)
    return [
        Cited(index, _key(record), entry, in_text)
        for (index, _, record, own), (_, entry, in_text) in zip(members, rendered)
        if own
    ]


@dataclass(frozen=True, slots=True)
class _Traits:
    disambiguates: bool
    substitutes_authors: bool
    global_names: bool


def _traits(style) -> _Traits:  # type: ignore[no-untyped-def]
    """What in the style makes one record's output depend on others: read from the style's XML."""
    root = style.root
    citation = root.citation
    attribute = citation.get if citation is not None else (lambda name, default=None: default)
    adds = [attribute(f"disambiguate-add-{what}", "false") == "true" for what in ("names", "givenname", "year-suffix")]
    condition = bool(root.xpath_search("//cs:if[@disambiguate='true'] | //cs:else-if[@disambiguate='true']"))
    bibliography = root.bibliography
    substitutes = bibliography is not None and bibliography.get("subsequent-author-substitute") is not None
    global_names = adds[1] and attribute("givenname-disambiguation-rule", "by-cite") != "by-cite"
    return _Traits(any(adds) or condition, substitutes, global_names)
