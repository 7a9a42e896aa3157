"""CSL-JSON: an array of items, valid against the official CSL data schema."""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from lutnick_cli.csl import record_data_from_csl, record_to_csl
from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.record import Record

EXTENSION = ".json"


def export(records: Iterable[Record]) -> Iterator[str]:
    opening = "["
    for record in records:
        item = json.dumps(record_to_csl(record), ensure_ascii=False, indent=2)
        yield opening + "\n  " + item.replace("\n", "\n  ")
        opening = ","
    yield "[]\n" if opening == "[" else "\n]\n"


def read(text: str, source: str) -> Iterator[tuple[dict[str, Any], int]]:
    """Each item of a CSL-JSON array, a lone object, or JSON Lines, as record data with the line it starts on."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if position == len(text):
        raise InvalidRecord([Problem(source, "", "no records in the file: it is empty", 1)])
    in_array = text[position] == "["
    if in_array:
        position = _skip_space(text, position + 1)
    count = 0
    # Lines are counted on from the previous item, not from the start: a
    # count from 0 for each item made reading a long array quadratic.
    line, counted = 1, 0
    while position < len(text):
        if in_array and text[position] == "]":
            position = _skip_space(text, position + 1)
            if position != len(text):
                raise _json_problem(text, source, position, "extra data after the array")
            break
        try:
            item, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise _json_problem(text, source, error.pos, f"JSON syntax: {error.msg}") from None
        except RecursionError:
            # The decoder recurses once per level: thousands of nested arrays are not a record.
            raise _json_problem(text, source, position, "nested too deeply to be a record") from None
        line += text.count("\n", counted, position)
        counted = position
        if not isinstance(item, dict):
            raise _json_problem(text, source, position, f"a CSL-JSON item must be an object, not {type(item).__name__}")
        count += 1
        yield record_data_from_csl(item), line
        position = _skip_space(text, end)
        if in_array and position < len(text):
            if text[position] == ",":
                position = _skip_space(text, position + 1)
            elif text[position] != "]":
                raise _json_problem(text, source, position, "JSON syntax: expected ',' or ']' between items")
    else:
        if in_array:
            raise _json_problem(text, source, len(text), "JSON syntax: the array is not closed")
    if count == 0:
        raise InvalidRecord([Problem(source, "", "no records in the file: the array is empty", 1)])


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _json_problem(text: str, source: str, position: int, message: str) -> InvalidRecord:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return InvalidRecord([Problem(source, "", message, line, column)])
