"""Exporting a large CSL-JSON file in several processes, with the output of one.

The file is cut into contiguous parts (see `csl_json.parts`). Forked
processes each read, convert and write one part while this process does the
first; each sends what it makes as it goes (`pool.Forked`): runs of good
items with nothing to report (their keys, lines and written texts), and the
outcome of every other item, the problems of a bad item or a good item's
warnings, the key it asks for and its text. This process settles them in
input order through the batch (`Batch.admit_all` for a run, `Batch.admit`
for an item): warnings, --strict and --fail-fast, keys made unique, exit
status, all as one process reading the file would. Those of a forked process
come while this process works on its own part, which takes them in now and
then so that the other never waits on a full pipe, and are settled once it is
done, most of them while the other still works. An item whose key had to be
made unique (the same key met earlier in another part) is written again here
with it. Output goes out only as it is settled, so a run stopped by
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

from lutnick_cli import load
from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.keys import citation_key

if TYPE_CHECKING:
    from lutnick_cli.batch import Batch

# Below this size (some 1,400 items of the benchmark corpus, 365 bytes each) the saving, half of some
# 70 µs an item on two cores, shrinks towards what splitting costs: a fork, and the outcomes sent and
# settled here.
PARALLEL_BYTES = 512 * 1024
# The part of the file this process reads, to one of every other process's. It also settles every
# record and writes the output, most of it while the others still work; each other process pays for
# its fork and for sending its outcomes. Counted in instructions (10,000 records of the benchmark
# corpus), with 0.97 the two processes finish together; with 1.0 the other waited for this one
# (some 5% of its work), with 0.94 this one for the other.
FIRST_PART = 0.97


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


# What reading a part yields, in its order: runs of good items with nothing to report, and the
# outcome of each other item, a bad item's problems or a good one's (see `_Good`); last, where
# reading stopped (at the next part's start, or past it, or at the end of the text) and what
# ended the file (its syntax), or None. A run holds a few of its items at most (RUN), so that a
# forked process sends its outcomes as it goes, and this process settles them as they come.
# They travel by marshal (see `pool.Forked`): plain lists and tuples, told apart by their length.
_Bad = tuple[list[Problem]]
# A good item that has warnings or fields the format cannot place: (warnings, pinned id, derived
# key, line, unplaced field names, text, where it starts).
_Good = tuple[tuple[Problem, ...], str | None, str, int | None, list[str], str, int]
# Good items with nothing to report: (keys, whether each key is pinned, lines, starts, texts).
_Run = tuple[list[str], list[bool], list[int], list[int], list[str]]
_End = tuple[int, list[Problem] | None]

# Items of a run: with fewer, more frames; with more, a forked process's pipe (64 KiB) may fill
# between two of this process's looks at it, and the last run, settled after the others are
# done, takes longer.
RUN = 64


def export_chunks(
    batch: Batch, module: ModuleType, target: str, advance: Callable[[int], None]
) -> Iterator[str] | None:
    """The text of `module.export` of the batch's records, as the export command writes it, made in
    several processes; None where the one process would be as quick (see the module's docstring)."""
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
    advance: Callable[[int], None],
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
        part: Iterator[Any] = _read_part((job, starts[0][0], starts[0][1], stops[0]))
        # While this process works on a part, it takes in what the processes of the parts after it have
        # sent, so that none waits on a full pipe.
        collecting = forked
        index = 0
        read_any = False
        while True:
            ending: Any = None
            for outcome in part:
                if len(outcome) == 2:  # the part's last: where reading stopped, and what ended the file
                    ending = outcome
                    continue  # to the part's own end, which reaps a forked process
                read_any = True
                if len(outcome) == 5:
                    text, count = _settle_run(batch, job, outcome, separator, target)
                else:
                    text = _settle(batch, job, outcome, target)
                    count = 1
                if text is not None:
                    yield lead + text
                    lead = separator
                    advance(count)
                for child in collecting:
                    child.collect()
            end, fatal = ending
            if fatal is not None:
                batch.report(fatal)
                break
            if end >= len(job.text):
                if not read_any:
                    # As `csl_json.read` says of an array with no item: a part of one starts at an item.
                    batch.report([Problem(job.source, "", "no records in the file: the array is empty", 1)])
                break
            index += 1
            collecting = forked[index:]
            if index <= len(forked) and end == starts[index][0]:
                part = forked[index - 1].results()
            else:
                # The part read on past the next one's start, a guess that was no item's start (or
                # the next part has no process): the rest is read here.
                line = 1 + job.text.count("\n", 0, end)
                part = _read_part((job, end, line, None))
                index = len(forked)
                collecting = []
    yield empty if lead == opening else closing


def _settle_run(batch: Batch, job: _Job, run: _Run, separator: str, target: str) -> tuple[str | None, int]:
    """A run settled through the batch, in its turn: the text of the records it keeps, and how many."""
    keys, pinned, lines, starts, texts = run
    if batch.admit_all(job.source, lines, keys):
        return separator.join(texts), len(texts)
    # A key already taken, or given twice in the run: each item settled on its own.
    kept = []
    for key, is_pinned, line, start, text in zip(keys, pinned, lines, starts, texts):
        outcome: _Good = ((), key if is_pinned else None, "" if is_pinned else key, line, [], text, start)
        settled = _settle(batch, job, outcome, target)
        if settled is not None:
            kept.append(settled)
    return (separator.join(kept) if kept else None), len(kept)


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


def _read_part(arguments: tuple[_Job, int, int, int | None]) -> Iterator[_Run | _Bad | _Good | _End]:
    """The outcomes of the items of one part, those that start from `start` (on `line`) up to `stop`,
    in runs where they have nothing to report; last, the part's end."""
    from lutnick_cli.formats import csl_json
    from lutnick_cli.record import Record

    job, start, line, stop = arguments
    piece = job.piece
    unplaced = job.unplaced
    keys: list[str] = []
    pinned: list[bool] = []
    lines: list[int] = []
    starts: list[int] = []
    texts: list[str] = []
    items = csl_json.items(job.text, job.source, start, line, job.in_array, stop)
    try:
        while True:
            item, line, at = next(items)
            read = csl_json.converted(item, line, job.source)
            if read[0].__class__ is Record:  # most items: a record with nothing to report, as the loader takes it
                record = read[0]
                warnings: tuple[Problem, ...] = ()
            else:
                loaded = _loaded(job, read)
                if isinstance(loaded, load.BadRecord):
                    if keys:
                        yield keys, pinned, lines, starts, texts
                        keys, pinned, lines, starts, texts = [], [], [], [], []
                    yield (loaded.problems,)
                    continue
                record = loaded.record
                warnings = loaded.warnings
            key = record.id
            if key:
                is_pinned = True
            else:
                is_pinned = False
                key = citation_key(record)
                record = replace(record, id=key)
            names = unplaced(record) if unplaced is not None else []
            if warnings or names:
                if keys:
                    yield keys, pinned, lines, starts, texts
                    keys, pinned, lines, starts, texts = [], [], [], [], []
                yield (warnings, key if is_pinned else None, "" if is_pinned else key, line, names, piece(record), at)
                continue
            keys.append(key)
            pinned.append(is_pinned)
            lines.append(line)
            starts.append(at)
            texts.append(piece(record))
            if len(keys) == RUN:
                yield keys, pinned, lines, starts, texts
                keys, pinned, lines, starts, texts = [], [], [], [], []
    except StopIteration as stopped:
        end: _End = (stopped.value, None)
    except InvalidRecord as error:
        end = (len(job.text), error.problems)
    if keys:
        yield keys, pinned, lines, starts, texts
    yield end


def _loaded(job: _Job, read: tuple[Any, ...]) -> Any:
    """What the reader gave for an item, taken as the loader takes it: a SourcedRecord or a BadRecord."""
    return next(load.from_reader(iter([read]), job.source))


def _written(job: _Job, start: int, line: int | None, key: str) -> tuple[list[str], str]:
    """The unplaced field names and text of the good item at `start`, read again and written with `key`."""
    from lutnick_cli.formats import csl_json

    item, line, _ = next(csl_json.items(job.text, job.source, start, line or 1, job.in_array))
    record = replace(_loaded(job, csl_json.converted(item, line, job.source)).record, id=key)
    return (job.unplaced(record) if job.unplaced is not None else []), job.piece(record)
