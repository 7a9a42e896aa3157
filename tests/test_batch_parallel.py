"""parallel_map: results in input order whatever the processes, shared values, fresh stacks."""

from __future__ import annotations

import threading

import pytest

from lutnick_cli.batch import available_cores, chunked, jobs_for, on_fresh_stack, parallel_map, shared


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


def test_work_runs_on_a_fresh_stack_and_its_result_or_error_comes_back() -> None:
    caller = threading.get_ident()
    assert on_fresh_stack(lambda a, b: (a + b, threading.get_ident() != caller), 2, 3) == (5, True)
    with pytest.raises(KeyError):
        on_fresh_stack({}.__getitem__, "missing")


def test_one_process_for_a_small_batch_every_core_for_a_large_one() -> None:
    assert jobs_for(10, None) == 1
    assert jobs_for(10_000, None) == available_cores()
    assert jobs_for(10_000, 3) == 3
    assert jobs_for(10, 0) == 1
