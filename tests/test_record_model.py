"""The record model's classes behave as the frozen, keyword-only dataclasses they are declared as."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from lutnick_cli.errors import Problem
from lutnick_cli.record import Container, PartialDate, Person, Record, RecordType, Season


def test_fields_left_out_take_their_defaults_and_each_record_its_own_other_fields():
    record = Record(type=RecordType.BOOK, title="T")
    assert (record.id, record.authors, record.container, record.keywords) == (None, (), None, ())
    assert record.other_fields == {}
    assert record.other_fields is not Record(type=RecordType.BOOK).other_fields
    assert record == Record(type=RecordType.BOOK, title="T", authors=(), other_fields={})
    assert hash(Person(family="Lovelace")) == hash(Person(family="Lovelace", given=None))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Record(title="T"), "Record.__init__() missing 1 required keyword-only argument: 'type'"),
        (
            lambda: Record(type=RecordType.BOOK, titel="T"),
            "Record.__init__() got an unexpected keyword argument 'titel'",
        ),
        (lambda: Container(), "Container.__init__() missing 1 required keyword-only argument: 'title'"),
        (lambda: Person(name="Ada"), "Person.__init__() got an unexpected keyword argument 'name'"),
        (lambda: Person("Lovelace"), "Person.__init__() takes 1 positional argument but 2 were given"),
    ],
)
def test_an_argument_unknown_missing_or_positional_is_a_type_error(make, message):
    with pytest.raises(TypeError) as raised:
        make()
    assert str(raised.value) == message


def test_records_are_frozen_and_replace_copy_and_pickle_keep_them_equal():
    record = Record(
        type=RecordType.ARTICLE_JOURNAL,
        title="T",
        authors=(Person(family="Lovelace", given="Ada"),),
        container=Container(title="J"),
        other_fields={"x": "y"},
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "U"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.authors[0].family = "Byron"  # type: ignore[misc]
    assert dataclasses.replace(record, id="k") == Record(**{**vars(record), "id": "k"})
    assert dataclasses.replace(record, id="k").title == "T"
    assert pickle.loads(pickle.dumps(record)) == record
    assert copy.deepcopy(record) == record
    assert repr(Container(title="J")) == "Container(title='J', short_title=None, issn=None, eissn=None)"


def test_equality_hash_and_repr_are_those_of_a_generated_dataclass():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Generated:
        family: str | None = None
        given: str | None = None
        particle: str | None = None
        dropping_particle: str | None = None
        suffix: str | None = None
        honorific: str | None = None
        literal: str | None = None
        affiliation: str | None = None
        orcid: str | None = None
        email: str | None = None
        biography: str | None = None

    people = [Person(family="Lovelace", given="Ada"), Person(family="Lovelace"), Person(literal="ACM")]
    twins = [Generated(**vars(person)) for person in people]
    assert [hash(person) for person in people] == [hash(twin) for twin in twins]
    shown = [repr(twin).removeprefix(Generated.__qualname__) for twin in twins]
    assert [repr(person) for person in people] == [f"Person{text}" for text in shown]
    assert [[a == b for b in people] for a in people] == [[a == b for b in twins] for a in twins]
    # Another class never compares equal, even with the same fields: as dataclasses decide it.
    assert people[0] != twins[0] and people[0].__eq__(twins[0]) is NotImplemented
    with pytest.raises(TypeError, match="unhashable type: 'dict'"):
        hash(Record(type=RecordType.BOOK, other_fields={"x": "y"}))


def test_the_small_value_classes_behave_as_frozen_slotted_dataclasses():
    @dataclasses.dataclass(frozen=True, slots=True)
    class Generated:
        year: int
        month: int | None = None
        day: int | None = None
        season: Season | None = None

    dates = [PartialDate(2019), PartialDate(2019, 4, 29), PartialDate(2019, season=Season.SPRING)]
    twins = [Generated(date.year, date.month, date.day, date.season) for date in dates]
    shown = [repr(twin).removeprefix(Generated.__qualname__) for twin in twins]
    assert [repr(date) for date in dates] == [f"PartialDate{text}" for text in shown]
    assert [hash(date) for date in dates] == [hash(twin) for twin in twins]
    assert [[a == b for b in dates] for a in dates] == [[a == b for b in twins] for a in twins]
    assert dates[0].__eq__(twins[0]) is NotImplemented
    assert [pickle.loads(pickle.dumps(date)) for date in dates] == dates
    assert copy.deepcopy(dates) == dates and dataclasses.replace(dates[0], day=3) == PartialDate(2019, None, 3)
    assert dataclasses.astuple(dates[1]) == (2019, 4, 29, None)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'year'"):
        dates[0].year = 2020  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'month'"):
        del dates[0].month  # type: ignore[misc]
    problem = Problem("refs.bib", "pages", "kept as a label", 3, record="a")
    assert repr(problem) == (
        "Problem(source='refs.bib', field='pages', message='kept as a label', line=3, column=None, record='a', "
        "warning=False)"
    )
    assert pickle.loads(pickle.dumps(problem)) == problem and hash(problem) == hash(copy.copy(problem))
