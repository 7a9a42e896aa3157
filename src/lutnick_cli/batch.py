"""Batches: many records in, one stream out, every bad record reported and the rest processed.

A `Batch` pulls records lazily from the loader, hands out the good ones with
their citation keys settled, reports each bad one (file, line, record id) as
it goes, and at the end says how many failed. `--fail-fast` stops at the
first. A progress bar is drawn on stderr only for a person at a terminal.
Work spread across processes is `pool`'s.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from lutnick_cli.errors import LutnickError, Problem
from lutnick_cli.keys import KeyRegister, citation_key
from lutnick_cli.sizes import MAX_INPUT_SIZE
from lutnick_cli.terminal import colour_wanted, is_terminal

if TYPE_CHECKING:
    from lutnick_cli.embedded import EmbeddedItem
    from lutnick_cli.load import SourcedRecord

# A progress bar for fewer records than this, or for work that ends within
# PROGRESS_DELAY seconds, would only flicker.
PROGRESS_MINIMUM = 200
PROGRESS_DELAY = 0.5


class BatchFailed(LutnickError):
    """Some records of a batch could not be processed; each was reported as it was met."""


class Batch:
    """The records of the RECORD arguments, for one command.

    Iterating gives each good record once, in input order. With `keys`, each
    record's `id` is its citation key: the one it pins, or one derived from
    author, year and title, made unique within the batch (see keys.py).
    """

    def __init__(
        self,
        arguments: Sequence[str],
        input_format: str | None = None,
        *,
        fail_fast: bool = False,
        strict: bool = False,
        keys: bool = False,
        stdin: BinaryIO | None = None,
        err: TextIO | None = None,
        collect: list[Problem] | None = None,
        max_input_size: int = MAX_INPUT_SIZE,
        encoding: str | None = None,
    ):
        self.arguments = list(arguments)
        self.max_input_size = max_input_size
        self.encoding = encoding
        self.input_format = input_format
        self.fail_fast = fail_fast
        self.strict = strict
        self.keys = KeyRegister() if keys else None
        self.stdin = stdin
        self.err = err if err is not None else sys.stderr
        # Problems go to `collect` instead of stderr when a command reports them otherwise (validate's JSON).
        self.collect = collect
        self.good = 0
        self.errors = 0
        self.warnings = 0

    def __iter__(self) -> Iterator[SourcedRecord]:
        # The loader (and the record model) is imported when records are read: a batch of the
        # embedded record's shipped item (`shipped_embedded`) needs neither.
        from dataclasses import replace

        from lutnick_cli.load import BadRecord, iter_loaded

        for loaded in iter_loaded(self.arguments, self.input_format, self.stdin, self.max_input_size, self.encoding):
            if isinstance(loaded, BadRecord):
                self.report(loaded.problems)
                continue
            record = loaded.record
            key = self.admit(loaded.source, loaded.line, loaded.warnings, record.id, record)
            if key is None:
                continue
            if self.keys is not None and record.id != key:
                loaded = loaded.replace(record=replace(record, id=key))
            yield loaded

    def admit(
        self, source: str, line: int | None, warnings: Sequence[Problem], pinned: str | None, derived: Any
    ) -> str | None:
        """Settle a record that was read, in its turn: report its warnings (with --strict, refuse it
        for them) and, with `keys`, claim its key, the id it `pinned` or else `derived`'s citation key
        (a record, or that key already made); then count it. Its key ("" without `keys`), or None where
        it was refused. Iterating settles each record this way; a command that read the records
        elsewhere (the parallel export) settles them with it, so both report and key them alike."""
        if warnings:
            if self.strict:
                # --strict: what would be a warning refuses the record, as an error would.
                self.report([problem.replace(warning=False) for problem in warnings])
                return None
            self.warn(warnings)
        key = ""
        if self.keys is not None:
            base = "" if pinned else derived if derived.__class__ is str else citation_key(derived)
            claimed = self.keys.claim_as(pinned, base, f"{source}:{line}" if line else source)
            if isinstance(claimed, Problem):
                self.report([claimed.replace(source=source, line=line)])
                return None
            key = claimed
        self.good += 1
        return key

    def admit_all(self, source: str, lines: list[int], keys: list[str]) -> bool:
        """Settle, with `keys`, records read without warnings from `source` at `lines`, each keyed by its
        own key of `keys` (the id it pins, or its citation key), where none is taken and no two are the
        same, as `admit` of each would; False, with none settled, where one is (then `admit` each)."""
        assert self.keys is not None, "a batch without keys admits each record"
        # Where each was read, `source:line` as `admit` gives it (every line here is 1 or more), made
        # in one pass of C rather than a string formatted in Python for each record.
        where = source.replace("{", "{{").replace("}", "}}") + ":{}"
        if not self.keys.claim_each(keys, map(where.format, lines)):
            return False
        self.good += len(keys)
        return True

    def shipped_embedded(self) -> EmbeddedItem | None:
        """Given no RECORD arguments, the embedded record as its shipped CSL-JSON item, counted as processed,
        in place of iterating; None when there are arguments or the shipped form is stale (iterate instead).

        The shipped form is made only from a record without warnings, and the one record of a batch
        keeps its key, so iterating would have reported nothing of it.
        """
        if self.arguments:
            return None
        from lutnick_cli.embedded import shipped_item

        item = shipped_item()
        if item is not None:
            self.good += 1
        return item

    def records(self) -> Iterator[Any]:
        """The good records alone, lazily."""
        return (item.record for item in self)

    def report(self, problems: Iterable[Problem]) -> None:
        """Report one failed record (or file) now; with --fail-fast, stop the batch."""
        self.errors += 1
        self._emit(problems)
        if self.fail_fast:
            raise BatchFailed("stopped at the first error (--fail-fast)")

    def warn(self, problems: Iterable[Problem]) -> None:
        """Report what looked wrong in a record that is kept and processed."""
        problems = list(problems)
        self.warnings += len(problems)
        self._emit(problems)

    def _emit(self, problems: Iterable[Problem]) -> None:
        if self.collect is not None:
            self.collect.extend(problems)
            return
        for problem in problems:
            self.err.write(f"{problem}\n")
        self.err.flush()

    def reject(self, problems: Iterable[Problem]) -> None:
        """A record handed out as good failed later (its output could not be written): report it."""
        self.good -= 1
        self.report(problems)

    def finish(self, consequence: str = "") -> None:
        """Raise BatchFailed, which exits 1, if any record failed; after warnings alone, count them."""
        counts = []
        if self.errors:
            counts.append(_count(self.errors, "error"))
        if self.warnings:
            counts.append(_count(self.warnings, "warning"))
        summary = f"{', '.join(counts)}; {_count(self.good, 'record')} processed"
        if self.errors:
            raise BatchFailed(summary + (f"; {consequence}" if consequence else ""))
        if self.warnings and self.collect is None:
            self.err.write(f"lutnick: {summary}\n")
            self.err.flush()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


class Progress:
    """A progress bar on `stream` for long batches at a terminal, uncoloured with NO_COLOR; nothing when piped.

    rich is imported only when a bar is really drawn: short batches and
    scripts never pay for it.
    """

    def __init__(self, stream: Any, description: str, total: int | None = None):
        self.stream = stream
        self.description = description
        self.total = total
        self.done = 0
        self.enabled = is_terminal(stream) and (total is None or total >= PROGRESS_MINIMUM)
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY:
                return
            self._start()
        self.bar.update(self.task, completed=self.done)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        console = Console(file=self.stream, no_color=not colour_wanted())
        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(self.description, total=self.total, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
