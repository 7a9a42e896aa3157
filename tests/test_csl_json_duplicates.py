"""A key given twice in one CSL-JSON object is an error naming the file, the line and the key.

The json module keeps the last value in silence; YAML and BibTeX input
already refuse a key or field given twice. Only the spoiled item is refused:
the items after it are read.
"""

from __future__ import annotations

import pytest

from lutnick_cli.errors import InvalidRecord
from lutnick_cli.formats import csl_json
from lutnick_cli.record import Record, record_to_data


def _read(text: str) -> list[object]:
    # A plain item is read straight into its record (see test_csl_json_quick.py): its data is the record's.
    return [record_to_data(data) if isinstance(data, Record)
            else data if not isinstance(data, InvalidRecord) else [str(problem) for problem in data.problems]
            for data, *_ in csl_json.read(text, "refs.json")]


@pytest.mark.parametrize(
    "text, problem",
    [
        ('[{"id": "a", "type": "book",\n  "title": "T", "title": "U"}]', "refs.json:2:17: [a] title: the key 'title' is given twice"),
        ('{"id": "a", "type": "book", "title": "T",\n "author": [{"family": "X"},\n  {"family": "Y", "family": "Z"}]}',
         "refs.json:3:19: [a] author.1.family: the key 'family' is given twice"),
        ('{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [[2019]], "date-parts": [[2020]]}}',
         "refs.json:1:78: [a] issued.date-parts: the key 'date-parts' is given twice"),
        # A key spelt with an escape is the same key.
        ('{"id": "a", "type": "book", "title": "T", "\\u0074itle": "U"}', "refs.json:1:43: [a] title: the key 'title' is given twice"),
        ('{"type": "book", "title": "T", "type": "book"}', "refs.json:1:32: type: the key 'type' is given twice"),
    ],
)
def test_a_key_given_twice_is_named_with_its_line(text, problem):
    assert _read(text) == [[problem]]


def test_the_items_around_a_spoiled_one_are_read_in_order():
    text = ('{"id": "a", "type": "book", "title": "A"}\n'
            '{"id": "b", "type": "book", "title": "B", "note": "x", "note": "y"}\n'
            '{"id": "c", "type": "book", "title": "C: a \\"quoted\\" {brace} [bracket], comma"}\n')
    assert [item if isinstance(item, list) else item["title"] for item in _read(text)] == [
        "A", ["refs.json:2:56: [b] note: the key 'note' is given twice"], 'C: a "quoted" {brace} [bracket], comma'
    ]


def test_the_same_key_in_different_objects_is_no_duplicate():
    text = '[{"id": "a", "type": "book", "title": "T", "author": [{"family": "X"}, {"family": "Y"}],\n' \
           ' "issued": {"date-parts": [[2019]]}, "accessed": {"date-parts": [[2020]]}}]'
    (item,) = _read(text)
    assert [person["family"] for person in item["authors"]] == ["X", "Y"]


def test_the_command_line_reports_it_and_exits_1(run, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text('[{"id": "a", "type": "book", "title": "T", "title": "U"}]', encoding="utf-8")
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr.replace(str(path), "FILE")) == (
        1, "FILE:1:44: [a] title: the key 'title' is given twice\nlutnick: 1 error; 0 records processed\n"
    )
