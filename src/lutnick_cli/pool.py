"""The process pool: independent work spread across processes in chunks, results in input order.

`parallel_map` gives the results back in input order, so the output never
depends on how many processes ran (`Workers` does the same for several passes
over the same workers); `parallel_iter` gives them one by one, as they come,
and can have this process do chunks too while it would wait.
What every chunk needs (the records above all) is shared with the workers
once, not sent with each chunk.

Processes are forked; where a system cannot fork, everything runs in one.
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
    if not hasattr(os, "fork"):
        return 1  # the workers are forked
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def jobs_for(count: int, requested: int | None) -> int:
    """How many processes: as asked, or every core for a large batch and one for a small one."""
    if not hasattr(os, "fork"):
        return 1
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
    rendering of a hundred records. Leaving the `with`, on an error or
    interruption (Ctrl-C) too, ends the workers at once, without waiting for
    them.
    """

    def __init__(self, jobs: int, shared: Any = None) -> None:
        self.jobs = jobs
        self.shared = shared
        self.pool: WorkerPool | None = None

    def __enter__(self) -> Workers:
        _share(self.shared)  # for the maps run in this process
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        _share(None)
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None

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
            self.pool = WorkerPool(min(self.jobs, len(chunks)), self.shared)
        return self.pool.map(function, chunks, progress)


def worker_pool(jobs: int) -> WorkerPool:
    """`jobs` forked worker processes for `parallel_iter`, started now; the caller ends them with `terminate()`.

    Start them before building what the work is made of: a worker shares
    the pages it was forked with until this process writes to one (changing
    a reference count is enough), which leaves the worker a private copy. A
    pool forked after 100,000 .bib entries were split came to double the
    memory of the process tree as this process read on.
    """
    return WorkerPool(jobs, None)


def parallel_iter(
    pool: WorkerPool, function: Callable[[T], R], chunks: Iterable[T], ahead: int = 8, share: bool = False
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
    pending: deque[Any] = deque(pool.submit(function, chunk) for chunk in islice(waiting, ahead))
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
                pending.append(pool.submit(function, chunk))
                break
        yield result


class _Done:
    """A chunk done in this process, in the place of a worker's result: an error is raised when it is its turn."""

    __slots__ = ("value", "error")

    def __init__(self, function: Callable[[Any], Any], chunk: Any) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
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


class WorkerPool:
    """Worker processes forked for a batch, each with a pipe of its own for the chunks it is given and
    one for what it gives back; `submit` gives one a chunk, `map` many, `terminate` ends them all.

    multiprocessing's pool, used before, shares one queue of results, and the
    lock on it, among its workers. A worker ended (`Pool.terminate`, after a
    chunk failed or on Ctrl-C) while it held that lock, sending a result, left
    the pool's own threads waiting for the lock for ever, and the command hung
    instead of ending. Here nothing is shared between workers, so a worker can
    be ended at any moment; and there are no threads to start or modules to
    import. This process writes chunks and reads results without blocking,
    whenever it waits for a result or asks whether one is ready, so neither
    side ever waits on a full pipe for the other.
    """

    def __init__(self, processes: int, shared: Any) -> None:
        import gc

        from lutnick_cli import signals

        self.workers: list[_Worker] = []
        parent = os.getpid()
        # Objects this process already holds (the records above all) are moved out of the collector's
        # sight, so collections in a forked worker do not touch, and so copy, the pages they share.
        gc.freeze()
        try:
            # Forked with the unwinding signals held: a Ctrl-C that came before a worker had set its own
            # handlers would have it print a traceback. This process gets it just after.
            with signals.held():
                for _ in range(processes):
                    self.workers.append(_Worker(self, parent, shared, self.workers))
        except BaseException:
            self.terminate()
            raise

    @property
    def pids(self) -> list[int]:
        return [worker.pid for worker in self.workers]

    def submit(self, function: Callable[[Any], Any], chunk: Any) -> _Task:
        """`function(chunk)`, given to the worker with the fewest chunks to do."""
        return min(self.workers, key=_load).give(function, chunk)

    def map(
        self, function: Callable[[T], R], chunks: Sequence[T], progress: Callable[[T], None] | None = None
    ) -> list[R]:
        """`[function(chunk) for chunk in chunks]`, in input order. A worker has at most two chunks at a
        time, so one that is quicker, or has the shorter chunks, takes more of them."""
        tasks: list[_Task] = []

        def give() -> None:
            while len(tasks) < len(chunks):
                worker = min(self.workers, key=_load)
                if len(worker.pending) >= 2:
                    return
                tasks.append(worker.give(function, chunks[len(tasks)]))

        results = []
        for index, chunk in enumerate(chunks):
            give()
            # Every chunk before this one is done: this one is given as soon as a worker has room (the
            # workers may still be busy with chunks of an earlier map that failed).
            while len(tasks) <= index or not tasks[index].done:
                self.pump(wait=True)
                give()
            results.append(tasks[index].get())
            if progress is not None:
                progress(chunk)
        return results

    def pump(self, wait: bool) -> None:
        """Write what the workers' pipes take of the chunks given them, and take in what they sent back;
        with `wait`, wait until one of those can be done."""
        import select

        reading = [worker.results for worker in self.workers if worker.pending]
        writing = [worker.tasks for worker in self.workers if worker.outgoing]
        if not reading and not writing:
            return
        readable, writable, _ = select.select(reading, writing, (), None if wait else 0)
        for worker in self.workers:
            if worker.tasks in writable:
                worker.write()
            if worker.results in readable:
                worker.read()

    def terminate(self) -> None:
        """End every worker now, whatever it is doing."""
        import gc

        workers, self.workers = self.workers, []
        for worker in workers:
            worker.end()
        if workers:
            gc.unfreeze()


def _load(worker: _Worker) -> int:
    return len(worker.pending) if worker.pid else sys.maxsize


class _Task:
    """A chunk given to a worker: `ready()` says whether its result has come, `get()` waits for it, and
    raises what the chunk raised."""

    __slots__ = ("pool", "done", "value", "error")

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None

    def ready(self) -> bool:
        if not self.done:
            self.pool.pump(wait=False)
        return self.done

    def get(self) -> Any:
        while not self.done:
            self.pool.pump(wait=True)
        if self.error is not None:
            raise self.error
        return self.value


class _Worker:
    """One worker process as the pool sees it: its pipes, what is still to be written to it, what it
    sent that is not yet taken, and its chunks not yet done, in the order it was given them."""

    __slots__ = ("pool", "pid", "tasks", "results", "outgoing", "inbox", "pending")

    def __init__(self, pool: WorkerPool, parent: int, shared: Any, others: list[_Worker]) -> None:
        from collections import deque

        self.pool = pool
        task_reading, self.tasks = os.pipe()
        self.results, result_writing = os.pipe()
        try:
            self.pid = os.fork()
        except BaseException:
            for descriptor in (task_reading, self.tasks, self.results, result_writing):
                os.close(descriptor)
            raise
        if self.pid == 0:  # the worker: it never returns from here
            os.close(self.tasks)
            os.close(self.results)
            # Without the ends of the others' pipes, a worker sees its own pipes close when this process ends.
            inherited = [descriptor for other in others for descriptor in (other.tasks, other.results)]
            _serve(parent, shared, task_reading, result_writing, inherited)
        os.close(task_reading)
        os.close(result_writing)
        for descriptor in (self.tasks, self.results):
            os.set_blocking(descriptor, False)
            _widen(descriptor)
        self.outgoing = bytearray()
        self.inbox = _Inbox()
        self.pending: Any = deque()

    def give(self, function: Callable[[Any], Any], chunk: Any) -> _Task:
        import pickle

        task = _Task(self.pool)
        if not self.pid:
            task.done, task.error = True, _ended()
            return task
        self.outgoing += _framed(_PICKLED, pickle.dumps((function, chunk), pickle.HIGHEST_PROTOCOL))
        self.pending.append(task)
        self.write()
        return task

    def write(self) -> None:
        try:
            written = os.write(self.tasks, self.outgoing)
        except BlockingIOError:
            return
        except BrokenPipeError:  # the worker is gone: reading its pipe finds that out and says so
            self.outgoing.clear()
            return
        del self.outgoing[:written]

    def read(self) -> None:
        inbox = self.inbox
        while True:
            try:
                data = os.read(self.results, _READ_SIZE)
            except BlockingIOError:
                break
            if not data:  # the worker ended with chunks not done
                for task in self.pending:
                    task.done, task.error = True, _ended()
                self.pending.clear()
                self.end()
                return
            inbox.add(data)
        while (frame := inbox.next()) is not None:
            task = self.pending.popleft()
            task.done = True
            try:
                task.value = _opened(*frame)
            except BaseException as error:  # what the chunk raised, raised again in its turn
                task.error = error

    def end(self) -> None:
        import signal

        if not self.pid:
            return
        self.outgoing.clear()
        os.close(self.tasks)
        os.close(self.results)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.pid = 0


def _ended() -> RuntimeError:
    return RuntimeError("a worker process ended without giving back its work")


def _widen(descriptor: int) -> None:
    """Let a pipe hold a megabyte, where the system allows it: a worker then seldom waits for this process,
    busy with its own work, to take in a result, nor this process for it to take in a chunk."""
    try:
        import fcntl

        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _READ_SIZE)
    except (ImportError, AttributeError, OSError):
        pass


def _serve(parent: int, shared: Any, tasks: int, results: int, inherited: list[int]) -> None:
    """A worker: each chunk read from its pipe done, and its result or error sent back, in turn, until
    the pipe closes; and an exit that runs nothing of the parent's (no atexit, no flushing of the
    buffers it inherited)."""
    try:
        for descriptor in inherited:
            os.close(descriptor)
        _start_worker(parent, shared)
        on_fresh_stack(_serve_tasks, parent, tasks, results)
    finally:
        os._exit(0)


def _serve_tasks(parent: int, tasks: int, results: int) -> None:
    import pickle

    inbox = _Inbox()
    while True:
        frame = inbox.next()
        if frame is None:
            data = os.read(tasks, _READ_SIZE)
            if not data:  # the pool was ended, or its process is gone
                return
            inbox.add(data)
            continue
        function, chunk = pickle.loads(frame[1])
        try:
            sent = _value_frame(function(chunk))
        except BaseException as error:  # raised again in the parent, as its own
            sent = _raised(error)
        _send(parent, results, sent)


class Forked:
    """`function(argument)`, an iterable, run in a process forked for it alone while this process goes on
    with its own work; `results()` gives back what it yields, in order, as it comes, and raises what it
    raised in its turn.

    For one large piece of work a command splits between itself and a few
    others: a fork costs a few milliseconds, a pool of workers more. The child
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
        # As in WorkerPool: the child's collections leave the pages it shares with this process alone.
        gc.freeze()
        try:
            with signals.held():  # as in WorkerPool: the child sets its own handlers first
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
        self.inbox = _Inbox()  # what came through the pipe and is not yet given back
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
                self.inbox.add(data)
        except BlockingIOError:
            return

    def results(self) -> Iterator[Any]:
        """What the child yields, one value at a time, in order, waiting for each as needed."""
        assert self.reading is not None, "the results are taken once"
        if not self.waiting:
            os.set_blocking(self.reading, True)
            self.waiting = True
        inbox = self.inbox
        ended = False
        while True:
            frame = inbox.next()
            if frame is None:
                if ended:
                    break
                data = os.read(self.reading, _READ_SIZE)
                if data:
                    inbox.add(data)
                else:
                    ended = True
                continue
            if frame[0] in _CARRYING_VALUES:
                yield _opened(*frame)
                continue
            os.close(self.reading)
            self.reading = None
            self._reap()
            _opened(*frame)  # raises what the child raised
            return  # _ENDED
        os.close(self.reading)
        self.reading = None
        self._reap()
        raise _ended()

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


# What is read from a pipe at a time, and what a worker's pipes are widened to hold: more than a pipe holds.
_READ_SIZE = 1 << 20
# A frame of a pipe: its kind (a byte), the length of what follows (8 bytes, little-endian), and that.
# A value goes by marshal, which takes the built-in types of most values (strings, numbers, tuples,
# lists) at a fraction of pickle's cost, and pickle's import (some 8 million instructions) with it;
# anything else (a record's problems) by pickle. Both read only what this process's own child wrote.
_VALUE, _PICKLED, _RAISED, _ENDED = b"vpre"
_CARRYING_VALUES = (_VALUE, _PICKLED)
_HEAD = 9


class _Inbox:
    """What came through a pipe and is not yet taken, taken a frame at a time."""

    __slots__ = ("received", "taken")

    def __init__(self) -> None:
        self.received = bytearray()
        self.taken = 0  # where in `received` the next frame starts

    def add(self, data: bytes) -> None:
        if self.taken:  # what was taken is let go before more is added
            del self.received[: self.taken]
            self.taken = 0
        self.received += data

    def next(self) -> tuple[int, bytearray] | None:
        """The kind and body of the next frame; None where it has not all come."""
        received, start = self.received, self.taken
        if len(received) - start < _HEAD:
            return None
        body = start + _HEAD
        stop = body + int.from_bytes(received[start + 1 : body], "little")
        if len(received) < stop:
            return None
        self.taken = stop
        return received[start], received[body:stop]


def _framed(kind: int, body: bytes) -> bytes:
    return bytes((kind,)) + len(body).to_bytes(_HEAD - 1, "little") + body


def _value_frame(value: Any) -> bytes:
    try:
        return _framed(_VALUE, marshal.dumps(value))
    except ValueError:  # not of the types marshal takes
        import pickle

        return _framed(_PICKLED, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _opened(kind: int, body: bytearray) -> Any:
    """The value a frame carries; for a frame that carries an error, that error, raised."""
    if kind == _VALUE:
        return marshal.loads(body)
    if kind == _ENDED:
        return None
    import pickle

    if kind == _PICKLED:
        return pickle.loads(body)
    raise pickle.loads(body)


def _run_forked(parent: int, function: Callable[[Any], Iterable[Any]], argument: Any, writing: int) -> None:
    """The forked child of `Forked`: each value that `function` yields sent down the pipe as it is made,
    then the end or what was raised; and an exit that runs nothing of this process's (no atexit, no
    flushing of the buffers it inherited).
    """
    try:
        _start_worker(parent, None)
        try:
            for value in function(argument):
                _send(parent, writing, _value_frame(value))
            frame = _framed(_ENDED, b"")
        except BaseException as error:  # raised again in the parent, as its own
            frame = _raised(error)
        _send(parent, writing, frame)
    finally:
        os._exit(0)


def _send(parent: int, writing: int, frame: bytes) -> None:
    """A frame down the pipe; where the parent is gone, the end of this process.

    Every process this module forks ends with its parent without asking the
    kernel to end it (prctl's PR_SET_PDEATHSIG needs ctypes, some 9 million
    instructions to import): before it sends each value it finds that it has
    another parent, or that no one reads its pipe any more (EPIPE); waiting
    for work, it finds its pipe closed.
    """
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


def shared() -> Any:
    """The `shared` value of the `parallel_map` this process is working for."""
    return _shared


def _share(value: Any) -> None:
    global _shared
    _shared = value


def _start_worker(parent: int, value: Any) -> None:
    import signal

    # Ctrl-C is the parent's to handle (it ends the workers); a worker would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A SIGTERM or SIGHUP sent to the whole group ends a worker at once, with nothing to clean up,
    # instead of unwinding as the parent's own handler would have it do.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    from lutnick_cli import signals

    signals.release_inherited()
    if os.getppid() != parent:  # the parent died before this process began
        os._exit(1)
    _share(value)
