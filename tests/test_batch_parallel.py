"""parallel_map and parallel_iter: results in input order whatever the processes, shared values, fresh stacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, with_ctrl_c
from lutnick_cli.errors import Problem
from lutnick_cli.pool import (
    Forked, Workers, available_cores, chunked, jobs_for, on_fresh_stack, parallel_iter, parallel_map, shared,
    worker_pool,
)


def _sum_of_shared(chunk: range) -> list[int]:
    values = shared()
    return [values[index] * 2 for index in chunk]


@pytest.mark.parametrize("jobs", [1, 2])
def test_chunks_come_back_in_input_order_with_the_shared_value(jobs: int) -> None:
    values = list(range(100, 0, -1))
    chunks = chunked(range(len(values)), jobs)
    assert len(chunks) == (4 if jobs == 1 else 8)
    results = parallel_map(_sum_of_shared, chunks, jobs, shared=values)
    assert [value for chunk in results for value in chunk] == [value * 2 for value in values]
    assert shared() is None  # nothing left behind in this process


def _fail(chunk: range) -> list[int]:
    raise ValueError(f"chunk starting at {chunk.start}")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_chunk_raises_its_own_error(jobs: int) -> None:
    with pytest.raises(ValueError, match="chunk starting at 0"):
        parallel_map(_fail, chunked(range(10), jobs), jobs)


def _shared_with_process(chunk: range) -> tuple[list[int], int]:
    return _sum_of_shared(chunk), os.getpid()


def test_several_passes_share_one_set_of_workers() -> None:
    values = list(range(50))
    with Workers(2, shared=values) as workers:
        first = workers.map(_shared_with_process, chunked(range(50), 2))
        # Which of the pool's processes took a chunk depends on timing.
        started = set(workers.pool.pids)
        second = workers.map(_shared_with_process, chunked(range(49, -1, -1), 2))
        with pytest.raises(ValueError, match="chunk starting at 0"):
            workers.map(_fail, chunked(range(10), 2))  # a failing pass raises its own error; the workers go on
        third = workers.map(_shared_with_process, chunked(range(10), 2))
        running = set(workers.pool.pids)
    assert [value for chunk, _ in first for value in chunk] == [value * 2 for value in values]
    assert [value for chunk, _ in second for value in chunk] == [value * 2 for value in range(49, -1, -1)]
    assert len(started) == 2 and os.getpid() not in started
    assert running == started  # the same workers, none forked anew
    assert {process for _, process in first + second + third} <= started
    assert shared() is None and workers.pool is None


def _doubled(chunk: list[int]) -> list[int]:
    return [value * 2 for value in chunk]


@pytest.mark.parametrize("ahead", [1, 3, 50])
def test_results_come_one_by_one_in_input_order(ahead: int) -> None:
    values = list(range(100, 0, -1))
    chunks = [values[start:start + 7] for start in range(0, len(values), 7)]
    pool = worker_pool(2)
    try:
        results = parallel_iter(pool, _doubled, chunks, ahead=ahead)
        assert [value for chunk in results for value in chunk] == [value * 2 for value in values]
    finally:
        pool.terminate()


def test_a_failing_chunk_stops_the_iteration_with_its_own_error() -> None:
    pool = worker_pool(2)
    try:
        with pytest.raises(ValueError, match="chunk starting at 0"):
            list(parallel_iter(pool, _fail, chunked(range(10), 2)))
    finally:
        pool.terminate()


def _doubled_slowly(chunk: list[int]) -> tuple[list[int], int]:
    time.sleep(0.02)  # long enough that the worker is busy whenever the caller comes for a result
    if 13 in chunk:
        raise ValueError("chunk with 13")
    return [value * 2 for value in chunk], os.getpid()


@pytest.mark.parametrize("ahead", [1, 4])
def test_shared_work_comes_back_in_input_order_done_by_both_processes(ahead: int) -> None:
    values = list(range(40))
    chunks = [values[start:start + 2] for start in range(0, 12, 2)] + [values[start:start + 2]
                                                                       for start in range(14, 40, 2)]
    pool = _Counted(worker_pool(1))
    results = []
    try:
        for result in parallel_iter(pool, _doubled_slowly, chunks, ahead=ahead, share=True):
            results.append(result)
            # The workers never have more than `ahead` chunks: a chunk this process did sends them none.
            assert pool.sent - sum(process != os.getpid() for _, process in results) <= ahead
    finally:
        pool.terminate()
    assert [value for chunk, _ in results for value in chunk] == [value * 2 for chunk in chunks for value in chunk]
    processes = {process for _, process in results}
    assert os.getpid() in processes and len(processes) == 2


class _Counted:
    """A pool that counts the chunks sent to it."""

    def __init__(self, pool) -> None:
        self.pool = pool
        self.sent = 0

    def submit(self, *arguments):
        self.sent += 1
        return self.pool.submit(*arguments)

    def terminate(self) -> None:
        self.pool.terminate()


def test_a_chunk_failing_in_either_process_raises_in_its_turn() -> None:
    chunks = [[value] for value in range(30)]
    pool = worker_pool(1)
    handed: list[int] = []
    try:
        with pytest.raises(ValueError, match="chunk with 13"):
            for chunk, _ in parallel_iter(pool, _doubled_slowly, chunks, ahead=1, share=True):
                handed.extend(chunk)
    finally:
        pool.terminate()
    assert handed == [value * 2 for value in range(13)]


def test_work_runs_on_a_fresh_stack_and_its_result_or_error_comes_back() -> None:
    caller = threading.get_ident()
    assert on_fresh_stack(lambda a, b: (a + b, threading.get_ident() != caller), 2, 3) == (5, True)
    with pytest.raises(KeyError):
        on_fresh_stack({}.__getitem__, "missing")


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot travel")


def _values(count: int):
    """Plain values (marshal's), a record's problem (pickle's), then an error where `count` is negative."""
    for index in range(abs(count)):
        yield [index, str(index) * 3, (None, True, 2.5)]
        yield Problem("refs.json", "title", f"problem {index}", index + 1)
    if count < 0:
        raise _Unpicklable("no way back") if count == -2 else ValueError(f"after {-count} values")


def _expected(count: int) -> list:
    return [value for index in range(count)
            for value in ([index, str(index) * 3, (None, True, 2.5)], Problem("refs.json", "title", f"problem {index}", index + 1))]


def test_a_forked_process_gives_back_what_it_yields_in_order() -> None:
    with Forked(_values, 50) as forked:
        results = list(forked.results())
        assert forked.pid is None  # ended and reaped once its values were all taken
    assert results == _expected(50)
    assert [type(value) for value in results[:2]] == [list, Problem]


def test_a_forked_process_raises_its_error_in_its_turn() -> None:
    given = []
    with Forked(_values, -3) as forked:
        with pytest.raises(ValueError, match="after 3 values"):
            for value in forked.results():
                given.append(value)
    assert given == _expected(3)
    with Forked(_values, -2) as forked:  # an error that cannot travel comes back as its text
        with pytest.raises(RuntimeError, match="_Unpicklable: no way back"):
            list(forked.results())


def _ended(_: object):
    yield "one value"
    os._exit(3)


def test_a_forked_process_that_ends_without_its_end_is_an_error() -> None:
    with Forked(_ended, None) as forked:
        results = forked.results()
        assert next(results) == "one value"
        with pytest.raises(RuntimeError, match="ended without giving back its work"):
            next(results)


def _large(count: int):
    for index in range(count):
        yield str(index) * 20_000


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="sees the child end in /proc (Linux)")
def test_a_forked_process_sends_more_than_a_pipe_holds_while_this_one_collects() -> None:
    """The parent takes in what comes without waiting (collect), as it does between pieces of its own
    work: the child finishes all of its work without the parent asking for a single value."""
    with Forked(_large, 100) as forked:
        stat = Path(f"/proc/{forked.pid}/stat")
        give_up = time.monotonic() + 60  # a bound, so that a regression fails instead of hanging
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":  # not yet ended
            assert time.monotonic() < give_up, "the child never finished"
            forked.collect()
            time.sleep(0.001)
        forked.collect()
        assert len(forked.inbox.received) > 100 * 20_000
        assert list(forked.results()) == list(_large(100))


def test_one_process_for_a_small_batch_every_core_for_a_large_one() -> None:
    assert jobs_for(10, None) == 1
    assert jobs_for(10_000, None) == available_cores()
    assert jobs_for(10_000, 3) == 3
    assert jobs_for(10, 0) == 1


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the worker processes in /proc (Linux)")
def test_ctrl_c_during_a_parallel_bibliography_ends_every_process_without_a_traceback(tmp_path: Path) -> None:
    from test_batch_commands import corpus

    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(corpus(5000)), encoding="utf-8")
    # In a session of its own, so that Ctrl-C can be sent to the whole group, as a terminal does.
    process = subprocess.Popen(
        [sys.executable, "-m", "lutnick_cli", "cite", "--jobs", "2", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=with_ctrl_c,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "LUTNICK_CACHE_DIR": ""},
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    workers: list[str] = []
    give_up = time.monotonic() + 60  # a bound so a regression fails instead of hanging
    while process.poll() is None and not workers and time.monotonic() < give_up:
        workers = children.read_text().split()
        time.sleep(0.005)
    assert workers, "no worker process appeared"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in stderr
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < give_up:
        time.sleep(0.01)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived the command"


_FAILING_MAPS = """
from lutnick_cli.pool import chunked, parallel_map

def fail(chunk):
    raise ValueError(chunk.start)

for _ in range(500):
    try:
        parallel_map(fail, chunked(range(10), 2), 2)
    except ValueError:
        pass
"""


def test_ending_workers_while_they_send_their_results_never_hangs() -> None:
    """Every chunk fails at once, so the pool is ended while its workers are sending results. A pool of
    multiprocessing's, ended while a worker held the lock on its results, hung about once in a hundred."""
    subprocess.run(
        [sys.executable, "-c", _FAILING_MAPS], check=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONHASHSEED": "0"},
    )


def _ends_its_worker(chunk: range) -> list[int]:
    if chunk.start == 0:
        os._exit(3)
    return list(chunk)


def test_a_worker_that_ends_without_its_result_is_an_error() -> None:
    with Workers(2) as workers:
        with pytest.raises(RuntimeError, match="ended without giving back its work"):
            workers.map(_ends_its_worker, chunked(range(20), 2))
        # The other worker goes on with what it is given.
        assert workers.map(_shared_with_process, [range(0)])[0][0] == []


_POOL_THEN_SLEEP = """
import sys, time
from lutnick_cli.pool import worker_pool

pool = worker_pool(2)
print(*pool.pids, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="sees the workers end in /proc (Linux)")
def test_workers_end_when_their_parent_is_killed() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _POOL_THEN_SLEEP], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert process.stdout is not None
    workers = [int(pid) for pid in process.stdout.readline().split()]
    assert len(workers) == 2
    process.kill()  # SIGKILL: nothing of the parent's runs
    process.wait()

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        return state != "Z"

    give_up = time.monotonic() + 60  # a bound so a regression fails instead of hanging
    while any(alive(pid) for pid in workers) and time.monotonic() < give_up:
        time.sleep(0.01)
    assert not any(alive(pid) for pid in workers), "a worker outlived its parent"
