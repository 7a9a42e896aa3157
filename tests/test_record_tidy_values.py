"""The record model's quick steps for tidy values give what its general steps give; its pickled forms
give back the values pickled.

Three converters take their commonest values at once: pages of one number
or a rising range of numbers, a citation key of printable text that
matches, and a person of a family name and then a one-word given name. Each
is checked against the general steps it stands in for, on generated values,
tidy and untidy, on the values of the benchmark corpus, and on named cases:
the same value (with the same fields, in the same order), the same warnings,
the same refusal.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lutnick_cli.record import (
    _PERSON,
    Container,
    DateValue,
    LiteralDate,
    PageRange,
    PartialDate,
    Person,
    Record,
    Season,
    _check_person,
    _Context,
    _Invalid,
    _Key,
    _Object,
    _Pages,
    _Skip,
    _Text,
    parse_pages,
    tidy_person,
)
from tests.strategies import records

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _corpus_items() -> list[dict]:
    sys.path.insert(0, str(BENCH))
    try:
        from corpus import csl_items
    finally:
        sys.path.remove(str(BENCH))
    return csl_items(2000)


def _outcome(convert, value):
    """What a converter makes of a value: its result (or refusal), and what it noted, in order."""
    context = _Context()
    try:
        result = ("value", convert(value, ("field",), context))
    except _Invalid as problem:
        result = ("invalid", problem.path, problem.message)
    except _Skip:
        result = ("skipped",)
    return result, context.found


# --- Pages --------------------------------------------------------------------


def _pages_the_general_way(value, path, context):
    """_Pages.convert without its quick step: parse_pages, and its note as a warning."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(path, "expected a page range")
    try:
        pages, note = parse_pages(value)
    except ValueError as error:
        raise _Invalid(path, str(error)) from None
    if note is not None:
        context.warn(path, note)
    return pages


_PAGE_TEXT = st.text(alphabet="0123456789-–—‐ exiv,²١٤", max_size=12)


@given(_PAGE_TEXT)
@example("140–154")
@example("140-154")
@example("140")
@example("0")
@example("007-010")
@example("154-140")
@example("377-86")
@example(" 140-154")
@example("140-154 ")
@example("140 - 154")
@example("140--154")
@example("-140")
@example("140-")
@example("1-2-3")
@example("²-³")
@example("١٤٠–١٥٤")
@example("9" * 639 + "-1")
@example("1-" + "9" * 700)
def test_pages_read_at_once_are_the_pages_parse_pages_reads(text):
    quick, quick_notes = _outcome(_Pages().convert, text)
    general, general_notes = _outcome(_pages_the_general_way, text)
    if general[0] == "invalid":
        assert quick[0] == "invalid"
        return
    assert quick == general
    assert quick_notes == general_notes
    assert type(quick[1].first) is str and type(quick[1].last) in (str, type(None))


def test_the_corpus_pages_are_read_alike():
    for item in _corpus_items():
        if "page" in item:
            assert _outcome(_Pages().convert, item["page"]) == _outcome(_pages_the_general_way, item["page"])


def test_a_number_too_long_is_still_refused():
    """Past the fewest digits Python may allow, pages go the general way, which refuses a number too long."""
    text = "1-" + "9" * 5000
    quick, _ = _outcome(_Pages().convert, text)
    assert quick[0] == "invalid" and "too long" in quick[2]


# --- Citation keys ------------------------------------------------------------


def _key_the_general_way(value, path, context):
    """_Key.convert without its quick step: the text rules and pattern, then the apostrophe's warning."""
    converter = _Key()
    key = _Text.convert(converter, value, path, context)
    if "'" in key:
        context.warn(
            path, f"{key!r} has an apostrophe, which some LaTeX packages take for a closing quote; kept as given"
        )
    return key


@given(st.one_of(st.text(alphabet="ab1 '{}=\t\n\x07\u00a0é:-_.#", max_size=10), st.integers(), st.none()))
@example("smith2019")
@example(" smith2019 ")
@example("o'brien2019")
@example("smith 2019")
@example("smith=2019")
@example("")
@example("\t")
@example("a\u00a0b")
@example("a\x07")
def test_keys_read_at_once_are_the_keys_the_general_way_reads(value):
    assert _outcome(_Key().convert, value) == _outcome(_key_the_general_way, value)


def test_the_corpus_keys_are_read_alike():
    for item in _corpus_items():
        assert _outcome(_Key().convert, item["id"]) == _outcome(_key_the_general_way, item["id"])


# --- People -------------------------------------------------------------------

_PERSON_THE_GENERAL_WAY = _Object(Person, _PERSON.converters, _check_person)

_NAME_PART = st.one_of(st.text(alphabet="Ab é\t\n\u00a0.\x07", max_size=6), st.none(), st.integers(0, 3))


@given(
    st.dictionaries(
        st.sampled_from(["family", "given", "literal", "suffix"]),
        _NAME_PART,
        max_size=3,
    )
)
@example({"family": "Smith", "given": "Jane"})
@example({"given": "Jane", "family": "Smith"})
@example({"family": " Smith ", "given": "Jane\n"})
@example({"family": "Smith", "given": "Dr Jane"})
@example({"family": "Smith", "given": "Dr"})
@example({"family": "Smith", "given": " Jane"})
@example({"family": "Sm\u00a0ith", "given": "Jérôme"})
@example({"family": "Smith", "given": "\x07"})
@example({"family": "Smith", "given": ""})
@example({"family": "", "given": "Jane"})
@example({"family": "Smith", "given": 7})
@example({"family": None, "given": "Jane"})
@example({})
def test_a_person_made_at_once_is_the_person_the_general_way_makes(name):
    general, general_notes = _outcome(_PERSON_THE_GENERAL_WAY.convert, dict(name))
    person = tidy_person(dict(name))
    if person is not None:
        assert general == ("value", person) and general_notes == []
        # The same fields, in the same order, of the same types.
        assert list(person.__dict__.items()) == list(general[1].__dict__.items())
    assert _outcome(_PERSON.convert, dict(name)) == (general, general_notes)


def test_the_corpus_people_are_made_alike():
    made = 0
    for item in _corpus_items():
        for name in item.get("author", []):
            person = tidy_person(name)
            general, notes = _outcome(_PERSON_THE_GENERAL_WAY.convert, dict(name))
            if person is not None:
                made += 1
                assert general == ("value", person) and notes == []
    assert made > 1000


@pytest.mark.parametrize(
    "name",
    [
        {"family": "Smith", "given": "Jane", "suffix": "Jr."},
        {"given": "Jane", "family": "Smith"},
        {"family": "Smith", "given": "Mary Ann"},
        {"literal": "World Health Organization"},
        ["Smith", "Jane"],
        "Smith, Jane",
    ],
)
def test_other_names_go_the_general_way(name):
    assert tidy_person(name) is None


# --- Pickled forms ------------------------------------------------------------


def _shape(value: object) -> object:
    """A value of the model as its class, and its fields in the order it holds them, each nested value's too."""
    if isinstance(value, (Record, Person, Container)):
        return (type(value), [(name, _shape(field)) for name, field in value.__dict__.items()])
    if isinstance(value, (PartialDate, DateValue, LiteralDate, PageRange)):
        return (type(value), [_shape(getattr(value, spec.name)) for spec in dataclasses.fields(value)])
    if isinstance(value, tuple):
        return (tuple, [_shape(element) for element in value])
    if isinstance(value, dict):
        return (dict, [(key, _shape(element)) for key, element in value.items()])
    return (type(value), value)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=4))
def test_records_pickled_and_copied_are_the_same_records(made):
    """Records and their people, dates and pages come back from pickling (at every protocol) and
    copying equal, with the same fields in the same order, and as frozen as they were."""
    # The same person, date and pages shared by two records, as the converters' memories share them.
    made = [*made, dataclasses.replace(made[0], id="twin")]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(made, protocol))
        assert again == made and _shape(again) == _shape(made)
        assert again[-1].authors is again[0].authors or not made[0].authors
    for copied in (copy.copy(made), copy.deepcopy(made)):
        assert copied == made and _shape(copied) == _shape(made)


def test_values_pickled_are_as_frozen_as_they_were():
    pages, date = PageRange("140", "154"), DateValue(PartialDate(2019, season=Season.SPRING), circa=True)
    person = Person(family="Lovelace", given="Ada")
    for value, name in ((pages, "first"), (date, "start"), (date.start, "season"), (person, "family")):
        again = pickle.loads(pickle.dumps(value))
        assert again == value and hash(again) == hash(value)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(again, name, None)
    assert repr(pickle.loads(pickle.dumps(date))) == repr(date)
