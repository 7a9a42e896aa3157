"""A long bibliography is sorted from each record's leading sort key, and the rest only where it ties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lutnick_cli.citation.batch import break_ties
from lutnick_cli.citation.render import (
    _comparable,
    _sort_order_by_columns,
    _sort_order_compared,
    sort_equal,
    sort_order,
)

# Sort key values as the engine renders them: absent, text, numbers, numbers written differently.
values = st.one_of(st.none(), st.sampled_from(["smith", "Smith", "jones", "", "1", "01", "2", "10", "x1", "1x"]))


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.lists(values, min_size=3, max_size=3), max_size=25),
    descending=st.lists(st.booleans(), min_size=3, max_size=3),
    lead=st.integers(min_value=1, max_value=3),
)
def test_breaking_ties_gives_the_order_of_the_full_keys(keys, descending, lead) -> None:
    full = [tuple(_comparable(value) for value in key) for key in keys]
    asked: list[int] = []

    def rest_of_keys(tied: list[int]) -> list[tuple[object, ...]]:
        asked.extend(tied)
        return [full[index][lead:] for index in tied]

    settled = break_ties([key[:lead] for key in full], 3, rest_of_keys)
    assert sort_order(settled, descending) == sort_order(full, descending)
    # only records whose leading keys equal another's are asked for the rest
    leading = [tuple(sort_equal(part) for part in key[:lead]) for key in full]
    assert all(leading.count(leading[index]) > 1 for index in asked)


def test_equal_for_sorting_means_equal_to_the_comparison() -> None:
    samples = [_comparable(value) for value in [None, "1", "01", "1.0", "a", "A", "b", "", "10"]]
    for left in samples:
        for right in samples:
            # a stable sort keeps two equal keys in input order both ways round, and only those
            equal = sort_order([(left,), (right,)], [False]) == [0, 1] == sort_order([(right,), (left,)], [False])
            assert (sort_equal(left) == sort_equal(right)) is equal, (left, right)


# A column of sort keys is texts, numbers (written in more than one way), or both.
texts = st.one_of(st.none(), st.sampled_from(["smith", "Smith", "jones", "", "émile", "x1", "1x"]))
numbers = st.one_of(st.none(), st.sampled_from(["1", "01", "2", "10", "-3", "007"]))
column_kinds = st.sampled_from(["text", "number", "both"])


@settings(max_examples=300, deadline=None)
@given(kinds=st.lists(column_kinds, min_size=1, max_size=3), data=st.data())
def test_sorting_key_by_key_gives_the_order_of_the_comparison(kinds, data) -> None:
    strategy = {"text": texts, "number": numbers, "both": values}
    rows = data.draw(st.lists(st.tuples(*(strategy[kind] for kind in kinds)), max_size=30))
    keys = [tuple(_comparable(value) for value in row) for row in rows]
    descending = data.draw(st.lists(st.booleans(), min_size=len(kinds), max_size=len(kinds)))
    by_columns = _sort_order_by_columns(keys, descending)
    if "both" not in kinds:
        assert by_columns is not None  # texts alone and numbers alone are sorted key by key
    assert sort_order(keys, descending) == _sort_order_compared(keys, descending)
    if by_columns is not None:
        assert by_columns == _sort_order_compared(keys, descending)
