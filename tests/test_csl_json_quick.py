"""A plain CSL-JSON item read straight into its record gives the record the general way gives.

`csl_json.quick_record` builds the Record of an item with nothing to report
or warn of, without the record data `record_data_from_csl` makes for
`parse_record`. Wherever it gives a record, the general way must give the
same one, with its fields in the same order (the writers read a record's
fields in the order it was given them) and with no warning; wherever the
general way would warn or refuse, it must give none. Checked on every item
of the repository's CSL-JSON files, of the CSL test suite, of the benchmark
corpus, and on generated items, tidy and untidy.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lutnick_cli.citation.csl import record_data_from_csl, record_to_csl
from lutnick_cli.errors import InvalidRecord
from lutnick_cli.formats import csl_json
from lutnick_cli.record import Person, Record, parse_record
from tests.conftest import csl_suite_runner, shared
from tests.strategies import records

REPO = Path(__file__).resolve().parent.parent


def _general(item: dict) -> tuple[Record | None, list[str]]:
    """The general way: the record (None if refused) and every warning, the reader's and the validation's."""
    found: list[tuple[str, str]] = []
    data = record_data_from_csl(copy.deepcopy(item), found)
    warnings: list = []
    try:
        record = parse_record(data, lambda path, at_key=False: (1, None), "items.json", warnings)
    except InvalidRecord as error:
        return None, [str(problem) for problem in error.problems]
    return record, [f"{key}: {message}" for key, message in found] + [str(problem) for problem in warnings]


def _fields(value: object) -> object:
    """A record's or person's own fields, in the order given, each nested person's too."""
    if isinstance(value, (Record, Person)):
        return [(name, _fields(field)) for name, field in value.__dict__.items()]
    if isinstance(value, tuple):
        return [_fields(element) for element in value]
    return value


def check(item: dict) -> bool:
    """Assert that the quick reading, if it reads the item, gives what the general way gives; say whether it did.

    Each item is read twice, the second time from what the first remembered."""
    given = copy.deepcopy(item)
    quick = [csl_json.quick_record(item) for _ in range(2)]
    assert item == given, "the item was changed"
    assert (quick[0] is None) == (quick[1] is None)
    if quick[0] is None:
        return False
    record, warnings = _general(item)
    assert record is not None and warnings == [], f"read straight, but the general way says {warnings}"
    for read in quick:
        assert read == record
        assert _fields(read) == _fields(record)
    return True


def _items_of(path: Path) -> list:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


CSL_JSON_FILES = sorted(
    path for path in REPO.joinpath("tests").rglob("*.json")
    if path.parent.name != "golden" and "schema" not in path.name and path.name != "expected.json"
) + sorted(REPO.joinpath("tests", "golden").rglob("export.json"))


@pytest.mark.parametrize("path", CSL_JSON_FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_item_of_the_repositorys_files(path):
    for item in _items_of(path):
        if isinstance(item, dict):
            check(item)


def test_every_item_of_the_csl_suite():
    runner = csl_suite_runner()
    paths = runner.fixture_paths(shared("csl-test-suite", "processor-tests", "humans"))
    read = checked = 0
    for path in paths:
        for item in runner.parse_fixture(path).input:
            if isinstance(item, dict):
                checked += 1
                read += check(item)
    # Nearly half the suite's items are read straight (848 of 1,757): the comparison above covers many.
    assert checked > 1000 and read > checked // 3, (checked, read)


def test_every_item_of_the_benchmark_corpus_is_read_straight():
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from corpus import csl_items
    finally:
        sys.path.remove(str(REPO / "bench"))
    items = csl_items(3000)
    assert all(check(item) for item in items)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_generated_records_items(record):
    check(record_to_csl(record))


_KEYS = ["id", "type", "title", "author", "editor", "translator", "issued", "accessed", "original-date",
         "container-title", "page", "volume", "issue", "DOI", "URL", "ISBN", "language", "publisher", "note",
         "collection-number", "edition", "version", "custom", "keyword", "event", "title-short", "ISSN"]
_NAME_KEYS = ["family", "given", "literal", "suffix", "non-dropping-particle", "dropping-particle", "sequence",
              "ORCID", "affiliation", "name", "authenticated-orcid", "comma-suffix"]
_scalars = (
    st.none() | st.booleans() | st.integers(-3, 2030) | st.floats(allow_nan=False, width=16)
    | st.sampled_from(["", " ", "x", " Smith ", "Dr Jane", "sir", "and", "2019", "140-154", "377--86", "e12", "C3-32",
                       "10.1000/xyz", "10.1000", "https://example.org/a", "en-GB", "e n", "9780262033848",
                       "article-journal", "book", "Book", "journal-article", "O'Neil", "a\tb", "a\nb", "\x07",
                       "ISBN 0-262-03384-4, 978-0-262-03384-8", "\u00e9t\u00e9", "r1"])
)
_names = st.fixed_dictionaries({}, optional={key: _scalars | st.lists(_scalars, max_size=2) for key in _NAME_KEYS})
_dates = (
    st.fixed_dictionaries({"date-parts": st.lists(st.lists(st.integers(-5, 2030) | st.sampled_from(["2019", "x"]),
                                                           max_size=4), max_size=3)},
                          optional={"season": _scalars, "circa": _scalars, "raw": _scalars, "literal": _scalars})
    | st.sampled_from([{"date-parts": [[2019, 4, 31]]}, {"date-parts": [[2019, 2, 29]]}, {"date-parts": [[2019.0]]},
                       {"date-parts": [[True]]}, {"date-parts": []}, {"date-parts": [[2019, 21]]}])
    | _scalars
)
_values = _scalars | st.lists(_scalars, max_size=3) | st.lists(_names, max_size=3) | _dates


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_KEYS), _values, max_size=9), records())
@example({"id": "a", "type": "book", "title": "T", "author": [{"family": "X", "sequence": [1]}]}, None)
@example({"id": "a", "type": "book", "title": "T", "author": [{"family": "X", "sequence": "first", "affiliation": []}]},
         None)
@example({"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [["2019", 4]]}}, None)
@example({"id": 7, "type": "book", "title": " T ", "volume": 12, "page": 140}, None)
@example({"id": None, "type": "book", "title": "T", "editor": []}, None)
def test_untidy_items(item, record):
    """Items of any shape, alone and grafted onto a tidy item: a value of the wrong kind anywhere."""
    check(item)
    if record is not None:
        check({**record_to_csl(record), **item})


@pytest.mark.parametrize(
    "name",
    [
        {"family": "Smith", "given": "Jane"},
        {"given": "Jane", "family": "Smith"},
        {"family": " Smith ", "given": "Jane\n"},
        {"family": "Smith", "given": "Dr Jane"},
        {"family": "Smith", "given": "Dr"},
        {"family": "Smith", "given": "Jane "},
        {"family": "Sm\u00a0ith", "given": "J\u00e9r\u00f4me"},
        {"family": "a\tb", "given": "Jane"},
        {"family": "Smith", "given": "\x07"},
        {"family": "Smith", "given": ""},
        {"family": "", "given": "Jane"},
        {"family": " ", "given": "Jane"},
        {"family": "Smith", "given": 7},
        {"family": None, "given": "Jane"},
        {"family": "Smith", "literal": "Jane"},
    ],
)
def test_a_name_of_a_family_and_a_given_name(name):
    """The commonest name is made at once (record.tidy_person): the same person as the general way's."""
    item = {"id": "a", "type": "book", "title": "T", "author": [name]}
    check(item)
    check({**item, "editor": [dict(name), {"family": "Other", "given": "Name"}]})
