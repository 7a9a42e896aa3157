"""Exporting a large CSL-JSON file in several processes, with the output of one.

The file is cut into contiguous parts (see `csl_json.parts`). Forked
processes each read, convert and write one part while this process does the
first; each part comes back as one outcome per item: the problems of a bad
item, or a good item's warnings, the key it asks for and its written text.
This process then settles the outcomes in input order through the batch
(`Batch.admit`): warnings, --strict and --fail-fast, keys made unique, exit
status, all as one process reading the file would. An item whose key had to
be made unique (the same key met earlier in another part) is written again
here with it. Output goes out only as it is settled, so a run stopped by
--fail-fast has written just what the one process would have.

It starts only where it pays: one regular CSL-JSON file of at least
PARALLEL_BYTES, a format that writes its records in pieces (`export_piece`
and `EXPORT_FRAME`), and more than one core. Anything else (several files,
standard input, a guessed encoding, --split) goes the usual way.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.keys import citation_key

if TYPE_CHECKING:
    from lutnick_cli.batch import Batch

# Below this size (some 1,400 items of the benchmark corpus, 365 bytes each) the saving, half of some
# 70 µs an item on two cores, shrinks towards what splitting costs: a fork, and the outcomes pickled,
# sent and settled here.
PARALLEL_BYTES = 512 * 1024
# The part of the file this process reads, to one of every other process's. It also settles every
# record and writes the output, but most of that while the others still work, and each other process
# pays for its fork and for pickling its outcomes: counted in instructions, equal parts finish
# together (10,000 records of the benchmark corpus; with 0.95 this process waited for the other).
FIRST_PART = 1.0


class _Job:
    """What every part needs: the file's text, and how to write and check a record."""

    # A plain class: a dataclass is made at import, which every export, small ones too, would pay for.
    __slots__ = ("text", "source", "in_array", "piece", "unplaced")

    def __init__(
        self,
        text: str,
        source: str,
        in_array: bool,
        piece: Callable[[Any], str],
        unplaced: Callable[[Any], list[str]] | None,
    ) -> None:
        self.text = text
        self.source = source
        self.in_array = in_array
        self.piece = piece
        self.unplaced = unplaced


# An outcome: a bad item's problems, or a good item's
# (warnings, pinned id, derived key, line, unplaced field names, text, where it starts).
_Bad = tuple[list[Problem]]
_Good = tuple[tuple[Problem, ...], str | None, str, int | None, list[str], str, int]


class _Part:
    """The outcomes of one part's items, where reading stopped (at the next part's start, or past it,
    or at the end of the text), and what ended the file (its syntax), after the outcomes."""

    __slots__ = ("outcomes", "end", "fatal")

    def __init__(self, outcomes: list[_Bad | _Good], end: int, fatal: list[Problem] | None) -> None:
        self.outcomes = outcomes
        self.end = end
        self.fatal = fatal


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
    if read is None or read[1] != "csl-json":
        return None
    text = read[0]
    # This process's part, by FIRST_PART; the others share the rest.
    first = FIRST_PART / jobs
    shares = [first + (1 - first) * part / (jobs - 1) for part in range(jobs - 1)]
    try:
        in_array, starts = csl_json.parts(text, path, shares)
    except InvalidRecord:
        return None
    if len(starts) < 2:
        return None
    job = _Job(text, path, in_array, piece, getattr(module, "unplaced_fields", None))
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
    with ExitStack() as children:
        forked: list[Forked] = []
        for (start, line), stop in zip(starts[1:], stops[1:]):
            try:
                forked.append(children.enter_context(Forked(_read_part, (job, start, line, stop))))
            except OSError:  # no more processes to be had (a limit reached): the parts left are read here
                break
        parts = [_read_part((job, starts[0][0], starts[0][1], stops[0]))]
        index = 0
        read_any = False
        while True:
            part = parts[-1]
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
                if not read_any:
                    # As `csl_json.read` says of an array with no item: a part of one starts at an item.
                    batch.report([Problem(job.source, "", "no records in the file: the array is empty", 1)])
                break
            index += 1
            if index <= len(forked) and part.end == starts[index][0]:
                parts.append(forked[index - 1].result())
            else:
                # The part read on past the next one's start, a guess that was no item's start (or
                # the next part has no process): the rest is read here.
                line = 1 + job.text.count("\n", 0, part.end)
                parts.append(_read_part((job, part.end, line, None)))
                index = len(forked)
    yield empty if lead == opening else closing


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


def _read_part(arguments: tuple[_Job, int, int, int | None]) -> _Part:
    """The outcomes of the items of one part: those that start from `start` (on `line`) up to `stop`."""
    from lutnick_cli.formats import csl_json
    from lutnick_cli.load import BadRecord
    from lutnick_cli.record import Record

    job, start, line, stop = arguments
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


def _outcome(job: _Job, record: Any, warnings: tuple[Problem, ...], line: int, start: int) -> _Good:
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
    from lutnick_cli.formats import csl_json

    item, line, _ = next(csl_json.items(job.text, job.source, start, line or 1, job.in_array))
    record = replace(_loaded(job, csl_json.converted(item, line, job.source)).record, id=key)
    return (job.unplaced(record) if job.unplaced is not None else []), job.piece(record)
