"""Exporting a large CSL-JSON or .bib file in several processes, with the output of one.

The file is cut into contiguous parts (see `csl_json.parts`, `bib_syntax.cuts`). Forked
processes each read, convert and write one part while this process does the
first; each part comes back as one outcome per item: the problems of a bad
item, or a good item's warnings, the key it asks for and its written text.
This process then settles the outcomes in input order through the batch
(`Batch.admit`): warnings, --strict and --fail-fast, keys made unique, exit
status, all as one process reading the file would. An item whose key had to
be made unique (the same key met earlier in another part) is written again
here with it. Output goes out only as it is settled, so a run stopped by
--fail-fast has written just what the one process would have.

A part of a .bib file starts at a line that starts with @, with the macros
the @string definitions before it leave (`bib_syntax.piece_at`). Where a part
was not read as reading the whole file reads it (the cut fell inside an entry
or a comment, an entry failed to read, a key was met in an earlier part),
this process reads the file on from that part's start, as one process would.

It starts only where it pays: one regular CSL-JSON file, or .bib file whose
entries stand alone (no crossref, xdata or @set), of at least PARALLEL_BYTES,
a format that writes its records in pieces (`export_piece` and
`EXPORT_FRAME`), and more than one core. Anything else (several files,
standard input, a guessed encoding, --split) goes the usual way.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from lutnick_cli.errors import InvalidRecord, Problem

if TYPE_CHECKING:
    from lutnick_cli.batch import Batch

# Below this size (some 1,400 items of the benchmark corpus, 365 bytes each) the saving, half of some
# 70 µs an item on two cores, shrinks towards what splitting costs: a fork, and the outcomes pickled,
# sent and settled here.
PARALLEL_BYTES = 512 * 1024
# The part of the file this process reads, to one of every other process's: it also settles every
# record and writes the output, though much of that while the others still work.
FIRST_PART = 0.95


class _Job:
    """What every part needs: the file's text, and how to write and check a record."""

    # A plain class: a dataclass is made at import, which every export, small ones too, would pay for.
    __slots__ = ("text", "source", "bibtex", "in_array", "piece", "unplaced")

    def __init__(
        self,
        text: str,
        source: str,
        bibtex: bool,
        in_array: bool,
        piece: Callable[[Any], str],
        unplaced: Callable[[Any], list[str]] | None,
    ) -> None:
        self.text = text
        self.source = source
        self.bibtex = bibtex  # a .bib file, else a CSL-JSON one
        self.in_array = in_array
        self.piece = piece
        self.unplaced = unplaced


# An outcome: a bad item's problems, or a good item's
# (warnings, pinned id, derived key, line, unplaced field names, text, where it starts).
_Bad = tuple[list[Problem]]
_Good = tuple[tuple[Problem, ...], str | None, str, int | None, list[str], str, int]


class _Part:
    """The outcomes of one part's items, where reading stopped (at the next part's start, or past it,
    or at the end of the text), what ended the file (its syntax), after the outcomes, and the case
    folded keys of a .bib part's entries."""

    __slots__ = ("outcomes", "end", "fatal", "keys")

    def __init__(
        self, outcomes: list[_Bad | _Good], end: int, fatal: list[Problem] | None, keys: list[str] | None = None
    ) -> None:
        self.outcomes = outcomes
        self.end = end
        self.fatal = fatal
        self.keys = keys or []


def export_chunks(batch: Batch, module: ModuleType, target: str, advance: Callable[[], None]) -> Iterator[str] | None:
    """The text of `module.export` of the batch's records, as the export command writes it, made in
    several processes; None where the one process would be as quick (see the module's docstring)."""
    from lutnick_cli import load
    from lutnick_cli.formats import csl_json
    from lutnick_cli.pool import available_cores

    piece = getattr(module, "export_piece", None)
    jobs = available_cores()
    if piece is None or jobs < 2 or len(batch.arguments) != 1:
        return None
    path = batch.arguments[0]
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size < PARALLEL_BYTES:
        return None
    read = load.file_text(path, batch.input_format, batch.max_input_size, batch.encoding)
    if read is None or read[1] not in ("csl-json", "bibtex"):
        return None
    text = read[0]
    # This process settles every record and writes the output too: it takes a smaller part.
    first = FIRST_PART / jobs
    shares = [first + (1 - first) * part / (jobs - 1) for part in range(jobs - 1)]
    in_array = False
    if read[1] == "bibtex":
        from lutnick_cli.formats import bib_syntax

        # An entry that takes fields from another, or a @set, ties parts together: such a file is read
        # the usual way.
        if not bib_syntax.independent(text):
            return None
        starts = bib_syntax.cuts(text, shares)
    else:
        try:
            in_array, starts = csl_json.parts(text, path, shares)
        except InvalidRecord:
            return None
    if len(starts) < 2:
        return None
    job = _Job(text, path, read[1] == "bibtex", in_array, piece, getattr(module, "unplaced_fields", None))
    return _settled(batch, job, starts, module.EXPORT_FRAME, target, advance)


def _settled(
    batch: Batch,
    job: _Job,
    starts: list[tuple[int, int]],
    frame: tuple[str, str, str, str],
    target: str,
    advance: Callable[[], None],
) -> Iterator[str]:
    from lutnick_cli.pool import Forked

    opening, separator, closing, empty = frame
    lead = opening
    stops: list[int | None] = [start for start, _ in starts[1:]]
    stops.append(None)
    seen: set[str] = set()  # the keys of the .bib entries settled, case folded
    with ExitStack() as children:
        forked: list[Forked] = []
        for (start, line), stop in zip(starts[1:], stops[1:]):
            try:
                forked.append(children.enter_context(Forked(_read_part, (job, start, line, stop, ()))))
            except OSError:  # no more processes to be had (a limit reached): the parts left are read here
                break
        # Each part is let go once settled.
        part = _read_part((job, starts[0][0], starts[0][1], stops[0], ()))
        if part is None:  # not read as the whole file reads it: the whole file is read here
            part = _read_part((job, 0, 1, None, ()))
        index = 0
        read_any = False
        while True:
            assert part is not None  # a part read on to the end is never refused
            seen.update(key for key in part.keys if key)
            for outcome in part.outcomes:
                read_any = True
                text = _settle(batch, job, outcome, target)
                if text is not None:
                    yield lead + text
                    lead = separator
                    advance()
            if part.fatal is not None:
                batch.report(part.fatal)
                break
            if part.end >= len(job.text):
                problems = [] if read_any else _empty(job)
                if problems:
                    batch.report(problems)
                break
            index += 1
            rest = part.end
            if index <= len(forked) and part.end == starts[index][0]:
                taken = forked[index - 1].result()
                if taken is not None and seen.isdisjoint(taken.keys):
                    part = taken
                    continue
            # The part read on past the next one's start, a guess that was no item's start; or the next
            # part has no process; or it was not read as the whole file reads it (an entry or a comment
            # across the cut, a key met in an earlier part): the rest is read here.
            line = 1 + job.text.count("\n", 0, rest)
            part = _read_part((job, rest, line, None, seen))
            index = len(forked)
    yield empty if lead == opening else closing


def _empty(job: _Job) -> list[Problem]:
    """The problem of a file that has no item."""
    if job.bibtex:
        from lutnick_cli.formats import bibtex

        try:
            bibtex.empty(job.text, job.source)
        except InvalidRecord as error:
            return error.problems
        return []
    # As `csl_json.read` says of an array with no item: a part of one starts at an item.
    return [Problem(job.source, "", "no records in the file: the array is empty", 1)]


def _settle(batch: Batch, job: _Job, outcome: _Bad | _Good, target: str) -> str | None:
    """One outcome settled through the batch, in its turn: the record's text, or None where it is refused."""
    if len(outcome) == 1:
        batch.report(outcome[0])
        return None
    warnings, pinned, derived, line, names, text, start = outcome
    key = batch.admit(job.source, line, warnings, pinned, derived)
    if key is None:
        return None
    if key != (pinned or derived):
        # Its key was taken by a record of another part: written again, with the key it gets.
        names, text = _written(job, start, line, key)
    if names:
        message = unplaced_message(target, names)
        if batch.strict:  # as the export command's one process refuses such a record
            batch.reject([Problem(job.source, "", message, line, record=key)])
            return None
        batch.warn([Problem(job.source, "", message, line, record=key, warning=True)])
    return text


def unplaced_message(target: str, names: list[str]) -> str:
    """The warning of a record that `target` cannot hold every field of."""
    return f"{target} has no field for {', '.join(names)}; left out of the export"


def _read_part(arguments: tuple[_Job, int, int, int | None, Iterable[str]]) -> _Part | None:
    """The outcomes of the items of one part: those that start from `start` (on `line`) up to `stop`
    (None: the end), given the keys `seen` before it (for a .bib file, case folded); None where a
    part of a .bib file up to `stop` was not read as reading the whole file reads it."""
    from lutnick_cli.formats import csl_json
    from lutnick_cli.load import BadRecord
    from lutnick_cli.record import Record

    job, start, line, stop, seen = arguments
    if job.bibtex:
        return _read_bib_part(job, start, line, stop, seen)
    outcomes: list[_Bad | _Good] = []
    items = csl_json.items(job.text, job.source, start, line, job.in_array, stop)
    try:
        while True:
            item, line, at = next(items)
            read = csl_json.converted(item, line, job.source)
            if read[0].__class__ is Record:  # most items: a record with nothing to report, as the loader takes it
                outcomes.append(_outcome(job, read[0], (), line, at))
                continue
            loaded = _loaded(job, read)
            if isinstance(loaded, BadRecord):
                outcomes.append((loaded.problems,))
            else:
                outcomes.append(_outcome(job, loaded.record, loaded.warnings, line, at))
    except StopIteration as stopped:
        return _Part(outcomes, stopped.value, None)
    except InvalidRecord as error:
        return _Part(outcomes, len(job.text), error.problems)


def _read_bib_part(job: _Job, start: int, line: int, stop: int | None, seen: Iterable[str]) -> _Part | None:
    from lutnick_cli.formats import bib_syntax, bibtex
    from lutnick_cli.load import BadRecord

    piece = bib_syntax.piece_at(job.text, start, line, stop)
    read = bib_syntax.read_piece(piece, seen)
    # A cut inside an entry or a comment leaves an entry of the part unread to its end; an @string
    # definition the pass read otherwise (in a comment) may have given the parts after it other macros.
    if stop is not None and (read.failed or read.strings != piece.strings):
        return None
    outcomes: list[_Bad | _Good] = []
    results = read.results
    results.reverse()
    for at in read.starts:
        # Each entry is let go once it is an outcome.
        item = bibtex.read_result(results.pop(), job.source)
        if item is None:
            continue
        loaded = _loaded(job, item)
        if isinstance(loaded, BadRecord):
            outcomes.append((loaded.problems,))
        else:
            outcomes.append(_outcome(job, loaded.record, loaded.warnings, item[1], at))
    return _Part(outcomes, len(job.text) if stop is None else stop, None, read.keys)


def _outcome(job: _Job, record: Any, warnings: tuple[Problem, ...], line: int, start: int) -> _Good:
    from lutnick_cli.keys import citation_key

    pinned = record.id
    derived = "" if pinned else citation_key(record)
    key = pinned or derived
    if record.id != key:
        record = replace(record, id=key)
    names = job.unplaced(record) if job.unplaced is not None else []
    return (warnings, pinned, derived, line, names, job.piece(record), start)


def _loaded(job: _Job, read: tuple[Any, ...]) -> Any:
    """What the reader gave for an item, taken as the loader takes it: a SourcedRecord or a BadRecord."""
    from lutnick_cli import load

    return next(load.from_reader(iter([read]), job.source))


def _written(job: _Job, start: int, line: int | None, key: str) -> tuple[list[str], str]:
    """The unplaced field names and text of the good item at `start`, read again and written with `key`."""
    from lutnick_cli.formats import bib_syntax, bibtex, csl_json

    if job.bibtex:
        again = bibtex.read_result(bib_syntax.entry_at(job.text, start, line or 1), job.source)
        assert again is not None  # the entry was read as a record before
        read = again
    else:
        item, line, _ = next(csl_json.items(job.text, job.source, start, line or 1, job.in_array))
        read = csl_json.converted(item, line, job.source)
    record = replace(_loaded(job, read).record, id=key)
    return (job.unplaced(record) if job.unplaced is not None else []), job.piece(record)
