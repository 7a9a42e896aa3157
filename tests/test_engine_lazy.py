"""The engine's lock-free `cached_property` answers as `functools.cached_property` does."""

from __future__ import annotations

import functools

import pytest

from lutnick_cli.citation.engine import elements, performance
from lutnick_cli.citation.engine.lazy import cached_property


class _Counted:
    def __init__(self, fail_first: bool = False) -> None:
        self.calls = 0
        self.fail_first = fail_first

    @cached_property
    def answer(self) -> int:
        """The answer, worked out once."""
        self.calls += 1
        if self.fail_first and self.calls == 1:
            raise IndexError("not yet")
        return 40 + self.calls


def test_the_value_is_computed_once_per_instance_and_kept_in_its_dict() -> None:
    first, second = _Counted(), _Counted()
    assert (first.answer, first.answer, first.calls) == (41, 41, 1)
    assert first.__dict__["answer"] == 41
    assert (second.answer, second.calls) == (41, 1)


def test_a_value_that_raises_is_not_kept() -> None:
    counted = _Counted(fail_first=True)
    with pytest.raises(IndexError):
        counted.answer  # noqa: B018
    assert "answer" not in counted.__dict__
    assert (counted.answer, counted.calls) == (42, 2)


def test_it_can_be_set_and_deleted_as_functools_one_can() -> None:
    counted = _Counted()
    counted.answer = 7
    assert (counted.answer, counted.calls) == (7, 0)
    del counted.answer
    assert (counted.answer, counted.calls) == (41, 1)


def test_on_the_class_it_is_the_descriptor_with_the_function_s_doc() -> None:
    descriptor = _Counted.__dict__["answer"]
    assert _Counted.answer is descriptor
    assert descriptor.__doc__ == "The answer, worked out once."
    assert descriptor.name == "answer"


def test_one_descriptor_under_two_names_is_refused() -> None:
    shared = cached_property(lambda self: 1)
    # Python 3.11 reports the error of __set_name__ inside a RuntimeError; 3.12 raises it as it is.
    with pytest.raises((RuntimeError, TypeError)) as raised:

        class Twice:
            first = shared
            second = shared

    error = raised.value.__cause__ or raised.value
    assert str(error) == "one cached_property cannot be both 'first' and 'second'"


def test_the_engine_s_answers_use_it_and_not_functools_one() -> None:
    for module in (elements, performance):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attribute in vars(value).values():
                    assert not isinstance(attribute, functools.cached_property), (value, attribute)
    assert isinstance(vars(performance.StyleQueries)["root_element"], cached_property)
