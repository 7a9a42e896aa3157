"""The process pool: independent work spread across processes in chunks, results in input order.

`parallel_map` gives the results back in input order, so the output never
depends on how many processes ran (`Workers` does the same for several passes
over the same workers); `parallel_iter` gives them one by one, as they come,
and can have this process do chunks too while it would wait.
What every chunk needs (the records above all) is shared with the workers
once, not sent with each chunk.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many records one process is quicker than starting others.
PARALLEL_THRESHOLD = 200


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def jobs_for(count: int, requested: int | None) -> int:
    """How many processes: as asked, or every core for a large batch and one for a small one."""
    if requested is not None:
        return max(1, requested)
    return available_cores() if count >= PARALLEL_THRESHOLD else 1


def chunked(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """Contiguous chunks, a few per process so that a slow chunk does not hold the others up."""
    if not items:
        return []
    size = max(1, -(-len(items) // (jobs * 4)))
    return [items[start : start + size] for start in range(0, len(items), size)]


def parallel_map(
    function: Callable[[T], R],
    chunks: Sequence[T],
    jobs: int,
    progress: Callable[[T], None] | None = None,
    shared: Any = None,
) -> list[R]:
    """`[function(chunk) for chunk in chunks]`, across `jobs` processes, in input order.

    Workers are forked, so they inherit what the parent already loaded (the
    parsed style above all) instead of loading it again. `function` must be a
    module-level function; chunks and results travel pickled. `shared` is
    what `function` finds with `shared()`, in every process: forked workers
    inherit it, so 10,000 records are not pickled and unpickled again for
    every pass (that took longer than sorting them).
    """
    with Workers(jobs, shared) as workers:
        return workers.map(function, chunks, progress)


class Workers:
    """Forked worker processes for one or more `map`s over the same `shared` value, started at the
    first `map` that has more than one chunk for more than one process, and ended on leaving the `with`.

    A long bibliography is worked out in passes (sort keys, then entries):
    each pass forking its own workers cost more processor time than the
    rendering of a hundred records. Leaving the `with` on an error or
    interruption (Ctrl-C) ends the workers at once, without waiting for
    them.
    """

    def __init__(self, jobs: int, shared: Any = None) -> None:
        self.jobs = jobs
        self.shared = shared
        self.pool: Any = None

    def __enter__(self) -> Workers:
        _share(self.shared)  # for the maps run in this process
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        import gc

        _share(None)
        if self.pool is None:
            return
        try:
            if error is not None:
                self.pool.terminate()
            else:
                self.pool.close()
                self.pool.join()
        finally:
            self.pool = None
            gc.unfreeze()

    def map(
        self, function: Callable[[T], R], chunks: Sequence[T], progress: Callable[[T], None] | None = None
    ) -> list[R]:
        """`[function(chunk) for chunk in chunks]`, by the workers, in input order (see `parallel_map`)."""
        if self.pool is None and (self.jobs <= 1 or len(chunks) <= 1):
            results = []
            for chunk in chunks:
                results.append(on_fresh_stack(function, chunk))
                if progress is not None:
                    progress(chunk)
            return results
        if self.pool is None:
            self.pool = self._start(min(self.jobs, len(chunks)))
        pending = [self.pool.apply_async(on_fresh_stack, (function, chunk)) for chunk in chunks]
        results = []
        for chunk, result in zip(chunks, pending):
            results.append(result.get())
            if progress is not None:
                progress(chunk)
        return results

    def _start(self, processes: int) -> Any:
        import gc
        import multiprocessing

        from lutnick_cli import signals

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        # Objects the parent already holds (the records above all) are moved out
        # of the collector's sight, so collections in a forked worker do not
        # touch, and so copy, the pages they share with the parent.
        gc.freeze()
        try:
            # A forked worker gets the initializer's arguments by inheritance; a spawned one, pickled once.
            # Workers are forked with the unwinding signals held: a Ctrl-C that came before a worker
            # had set its own handlers would have it print a traceback. The parent gets it just after.
            with signals.held():
                return context.Pool(processes, initializer=_start_worker, initargs=(os.getpid(), self.shared))
        except BaseException:
            gc.unfreeze()
            raise


def worker_pool(jobs: int) -> Any:
    """`jobs` forked worker processes for `parallel_iter`, started now; the caller ends them with `terminate()`.

    Start them before building what the work is made of: a worker shares
    the pages it was forked with until this process writes to one (changing
    a reference count is enough), which leaves the worker a private copy. A
    pool forked after 100,000 .bib entries were split came to double the
    memory of the process tree as this process read on.
    """
    import multiprocessing

    from lutnick_cli import signals

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with signals.held():  # as in parallel_map: the workers set their own handlers first
        return multiprocessing.get_context(method).Pool(jobs, initializer=_start_worker, initargs=(os.getpid(), None))


def parallel_iter(
    pool: Any, function: Callable[[T], R], chunks: Iterable[T], ahead: int = 8, share: bool = False
) -> Iterator[R]:
    """`function(chunk)` for each chunk, by the workers of `pool`, given back one by one in input order.

    Where `parallel_map` waits for every chunk, this hands each result on as
    soon as it and those before it are done, so the caller works on it while
    the workers go on; at most `ahead` chunks are out at a time, and they
    travel pickled, so neither chunks nor results pile up. With `share`, this
    process works too: while the result it is to hand on next is not ready, it
    takes the next chunk not yet sent and does it itself, rather than wait.
    """
    from collections import deque
    from itertools import islice

    waiting = iter(chunks)
    pending: deque[Any] = deque(pool.apply_async(function, (chunk,)) for chunk in islice(waiting, ahead))
    while pending:
        if share and not pending[0].ready():
            for chunk in waiting:
                pending.append(_Done(function, chunk))
                break
            else:
                share = False  # every chunk is out: there is nothing left to do but wait
            continue
        done = pending.popleft()
        result = done.get()
        # The workers are given a chunk for each of theirs handed on, so that `ahead` stay theirs: one for
        # each chunk this process did too would pile up in their queue, and this process, with nothing
        # left to do but wait for them, would wait.
        if done.__class__ is not _Done:
            for chunk in waiting:
                pending.append(pool.apply_async(function, (chunk,)))
                break
        yield result


class _Done:
    """A chunk done in this process, in the place of a worker's result: an error is raised when it is its turn."""

    __slots__ = ("value", "error")

    def __init__(self, function: Callable[[Any], Any], chunk: Any) -> None:
        self.value: Any = None
        self.error: Exception | None = None
        try:
            self.value = function(chunk)
        except Exception as error:
            self.error = error

    def ready(self) -> bool:
        return True

    def get(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


class Forked:
    """`function(argument)`, an iterable, run in a process forked for it alone while this process goes on
    with its own work; `results()` gives back what it yields, in order, as it comes, and raises what it
    raised in its turn.

    For one large piece of work a command splits between itself and a few
    others: a fork costs a few milliseconds where starting a pool (importing
    multiprocessing's pool, its threads and queues) cost tens. The child
    inherits everything this process holds, so only the values travel,
    through a pipe, each sent as soon as it is made: this process can take
    them in while the child makes the rest. A pipe holds only 64 KiB, and a
    child that finds it full waits, so while this process is busy with its
    own work it calls `collect()` now and then, which takes in what has come
    without waiting. Use it as a context manager: leaving the `with` before
    every value was taken (an error, Ctrl-C) ends the child at once.
    """

    def __init__(self, function: Callable[[T], Iterable[Any]], argument: T) -> None:
        import gc

        from lutnick_cli import signals

        reading, writing = os.pipe()
        parent = os.getpid()
        # As in Workers._start: the child's collections leave the pages it shares with this process alone.
        gc.freeze()
        try:
            with signals.held():  # as in Workers._start: the child sets its own handlers first
                pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(reading)
            os.close(writing)
            raise
        if pid == 0:  # the child: it never returns from here
            os.close(reading)
            _run_forked(parent, function, argument, writing)
        os.close(writing)
        self.pid: int | None = pid
        self.reading: int | None = reading
        # What came through the pipe and is not yet given back, and where in it the next value starts.
        self.received = bytearray()
        self.taken = 0
        self.waiting = True  # whether the pipe is read blocking (as it is made)

    def collect(self) -> None:
        """Take in what the child has sent so far, without waiting for more."""
        if self.reading is None:
            return
        if self.waiting:
            os.set_blocking(self.reading, False)
            self.waiting = False
        try:
            while data := os.read(self.reading, _READ_SIZE):
                self.received += data
        except BlockingIOError:
            return

    def results(self) -> Iterator[Any]:
        """What the child yields, one value at a time, in order, waiting for each as needed."""
        assert self.reading is not None, "the results are taken once"
        if not self.waiting:
            os.set_blocking(self.reading, True)
            self.waiting = True
        received = self.received
        ended = False
        while True:
            frame = _frame_at(received, self.taken)
            if frame is None:
                if ended:
                    break
                data = os.read(self.reading, _READ_SIZE)
                if data:
                    if self.taken:  # what was given back is let go before more is added
                        del received[: self.taken]
                        self.taken = 0
                    received += data
                else:
                    ended = True
                continue
            kind, start, stop = frame
            self.taken = stop
            if kind == _VALUE:
                yield marshal.loads(received[start:stop])
                continue
            if kind == _PICKLED:
                import pickle

                yield pickle.loads(received[start:stop])
                continue
            os.close(self.reading)
            self.reading = None
            self._reap()
            if kind == _RAISED:
                import pickle

                raise pickle.loads(received[start:stop])
            return  # _ENDED
        os.close(self.reading)
        self.reading = None
        self._reap()
        raise RuntimeError("a worker process ended without giving back its work")

    def _reap(self) -> None:
        import gc

        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None
            gc.unfreeze()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if self.pid is not None:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        if self.reading is not None:
            os.close(self.reading)
            self.reading = None


# What `Forked` reads from its pipe at a time: more than a pipe holds.
_READ_SIZE = 1 << 20
# A frame of the pipe: its kind (a byte), the length of what follows (8 bytes, little-endian), and that.
# A value goes by marshal, which takes the built-in types of most values (strings, numbers, tuples,
# lists) at a fraction of pickle's cost, and pickle's import (some 8 million instructions) with it;
# anything else (a record's problems) by pickle. Both read only what this process's own child wrote.
_VALUE, _PICKLED, _RAISED, _ENDED = b"vpre"
_HEAD = 9


def _frame_at(received: bytearray, start: int) -> tuple[int, int, int] | None:
    """The kind of the frame at `start` of `received`, and where its body starts and stops; None where
    it has not all come."""
    if len(received) - start < _HEAD:
        return None
    body = start + _HEAD
    stop = body + int.from_bytes(received[start + 1 : body], "little")
    if len(received) < stop:
        return None
    return received[start], body, stop


def _framed(kind: int, body: bytes) -> bytes:
    return bytes((kind,)) + len(body).to_bytes(_HEAD - 1, "little") + body


def _run_forked(parent: int, function: Callable[[Any], Iterable[Any]], argument: Any, writing: int) -> None:
    """The forked child of `Forked`: each value that `function` yields sent down the pipe as it is made,
    then the end or what was raised; and an exit that runs nothing of this process's (no atexit, no
    flushing of the buffers it inherited).

    The child ends with this process. It does not ask the kernel to end it (prctl's PR_SET_PDEATHSIG
    needs ctypes, some 9 million instructions to import): a child whose parent died finds, before it
    sends each value, that it has another parent, or that no one reads its pipe any more (EPIPE), and
    ends there.
    """
    try:
        _start_worker(parent, None, kernel_ends=False)
        try:
            for value in function(argument):
                try:
                    frame = _framed(_VALUE, marshal.dumps(value))
                except ValueError:  # not of the types marshal takes
                    import pickle

                    frame = _framed(_PICKLED, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
                _send(parent, writing, frame)
            frame = _framed(_ENDED, b"")
        except BaseException as error:  # raised again in the parent, as its own
            frame = _raised(error)
        _send(parent, writing, frame)
    finally:
        os._exit(0)


def _send(parent: int, writing: int, frame: bytes) -> None:
    """A frame down the pipe; where the parent is gone, the end of this child."""
    if os.getppid() != parent:
        os._exit(1)
    view = memoryview(frame)
    try:
        while view:
            view = view[os.write(writing, view) :]
    except BrokenPipeError:  # no one reads the pipe any more
        os._exit(1)


def _raised(error: BaseException) -> bytes:
    import pickle

    try:
        return _framed(_RAISED, pickle.dumps(error, pickle.HIGHEST_PROTOCOL))
    except Exception:  # an error that cannot travel is told by its text
        told = RuntimeError(f"{type(error).__name__}: {error}")
        return _framed(_RAISED, pickle.dumps(told, pickle.HIGHEST_PROTOCOL))


def on_fresh_stack(function: Callable[..., R], *arguments: Any) -> R:
    """`function(*arguments)`, run in a thread of its own, so at the bottom of a fresh interpreter stack.

    CPython 3.11 keeps a thread's Python frames in 16 KiB chunks, mapped from
    the system when a call crosses into a new one and unmapped when it
    returns. The engine renders a style by recursion, several frames per
    element, so a rendering that goes back and forth across a chunk's edge
    maps and unmaps memory over a dozen times per record. Where the edge falls
    depends on how deep the caller already is: a 1,000-record APA
    bibliography started 40 frames deep spent 0.45 s in the kernel doing
    that, against 0.005 s from the bottom of a new thread's stack.
    """
    import threading

    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, function(*arguments)))
        except BaseException as error:  # handed to the caller, which raises it as its own
            outcome.append((False, error))

    # A daemon, so that an interrupted caller (Ctrl-C) can exit without waiting for it.
    thread = threading.Thread(target=run, name="lutnick-render", daemon=True)
    thread.start()
    thread.join()
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value


_shared: Any = None
# From <linux/prctl.h>.
_PR_SET_PDEATHSIG = 1


def shared() -> Any:
    """The `shared` value of the `parallel_map` this process is working for."""
    return _shared


def _share(value: Any) -> None:
    global _shared
    _shared = value


def _start_worker(parent: int, value: Any, kernel_ends: bool = True) -> None:
    import signal

    # Ctrl-C is the parent's to handle (it ends the workers); a worker would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent ends its workers with SIGTERM (Pool.terminate): they die at once, with nothing
    # to clean up, instead of unwinding as the parent's own handler would have them do.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    from lutnick_cli import signals

    signals.release_inherited()
    if kernel_ends:
        _end_with_parent(parent)
    elif os.getppid() != parent:  # the parent died before this child began
        os._exit(1)
    _share(value)


def _end_with_parent(parent: int) -> None:
    """Have the kernel end this worker when its parent dies, however it dies (SIGKILL too).

    Linux alone offers this (prctl's PR_SET_PDEATHSIG); elsewhere a parent
    still ends its workers on every exit it lives through.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before the request was made: then no signal will come.
    if os.getppid() != parent:
        os._exit(1)
