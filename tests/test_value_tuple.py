"""errors.ValueTuple behaves as typing.NamedTuple does for a class written the same way."""

from __future__ import annotations

import copy
import pickle
from typing import NamedTuple

import pytest

from lutnick_cli.citation.batch import Cited
from lutnick_cli.citation.render import EngineWarning, Entry, Result
from lutnick_cli.errors import ValueTuple


class Made(ValueTuple):
    """A value of three fields, one with a default."""

    key: str
    count: int
    note: str | None = None

    @property
    def shout(self) -> str:
        return self.key.upper()


class Typed(NamedTuple):
    """The same class as typing.NamedTuple makes it."""

    key: str
    count: int
    note: str | None = None

    @property
    def shout(self) -> str:
        return self.key.upper()


def _both(*values, **named):  # type: ignore[no-untyped-def]
    return Made(*values, **named), Typed(*values, **named)


@pytest.mark.parametrize(
    "values, named",
    [(("a", 1), {}), (("a", 1, "n"), {}), (("a",), {"count": 2}), ((), {"note": "n", "count": 3, "key": "k"})],
)
def test_made_read_compared_and_shown_as_a_named_tuple(values, named) -> None:
    made, typed = _both(*values, **named)
    assert tuple(made) == tuple(typed)
    assert made == typed and hash(made) == hash(typed)
    assert (made.key, made.count, made.note, made.shout) == (typed.key, typed.count, typed.note, typed.shout)
    key, count, note = made
    assert (key, count, note) == (made[0], made[1], made[2])
    assert made[1:] == typed[1:]
    assert repr(made) == repr(typed).replace("Typed(", "Made(")
    assert made._asdict() == typed._asdict()
    assert made._replace(count=9) == typed._replace(count=9)
    assert type(made._replace(count=9)) is Made


def test_fields_defaults_and_doc_are_those_of_the_class_body() -> None:
    assert Made._fields == Typed._fields == ("key", "count", "note")
    assert Made._field_defaults == Typed._field_defaults == {"note": None}
    assert Made.__match_args__ == Typed.__match_args__
    assert Made.__doc__ == "A value of three fields, one with a default."
    assert isinstance(Made("a", 1), tuple)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickled_and_copied_by_value(protocol: int) -> None:
    made = Made("a", 1, "n")
    again = pickle.loads(pickle.dumps(made, protocol))
    assert again == made and type(again) is Made
    assert copy.copy(made) == made and type(copy.deepcopy(made)) is Made


def test_the_classes_lutnick_passes_between_processes_travel_whole() -> None:
    warning = EngineWarning("the style leaves it out of its bibliography", "b")
    cited = Cited(0, "b", "entry", "(B, 2019)", (warning,))
    result = Result((Entry("b", None),), ("(B, 2019)",), (warning,))
    for value in (cited, result):
        again = pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        assert again == value and type(again) is type(value)
    assert pickle.loads(pickle.dumps(cited)).warnings[0].item == "b"
    assert Cited(1, "a", "e", "t").warnings == ()


def test_no_attribute_can_be_set_or_added() -> None:
    made = Made("a", 1)
    with pytest.raises(AttributeError):
        made.key = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        made.other = 1  # type: ignore[attr-defined]
    assert not hasattr(made, "__dict__")


@pytest.mark.parametrize(
    "make",
    [
        lambda kind: kind(),
        lambda kind: kind("a"),
        lambda kind: kind("a", 1, "n", "extra"),
        lambda kind: kind("a", 1, key="b"),
        lambda kind: kind("a", 1, unknown=2),
    ],
)
def test_wrong_arguments_are_a_type_error_as_for_a_named_tuple(make) -> None:
    with pytest.raises(TypeError):
        make(Typed)
    with pytest.raises(TypeError):
        make(Made)


def test_replacing_an_unknown_field_is_a_value_error_as_for_a_named_tuple() -> None:
    with pytest.raises(ValueError, match="unexpected field names"):
        Typed("a", 1)._replace(unknown=2)
    with pytest.raises(ValueError, match="unexpected field names"):
        Made("a", 1)._replace(unknown=2)


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default"):

        class Wrong(ValueTuple):
            first: int = 0
            second: int
