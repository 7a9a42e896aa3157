"""CSL-JSON: an array of items, valid against the official CSL data schema."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lutnick_cli.citation.csl import reading_warnings, record_data_from_csl, record_to_csl
from lutnick_cli.errors import InvalidRecord, Problem, max_number_digits, number_too_long
from lutnick_cli.record import Record

EXTENSION = ".json"


def export(records: Iterable[Record | str]) -> Iterator[str]:
    """The records as one array; a record given as text is its `item_text`, made ahead (by a reader's workers)."""
    opening = "["
    for record in records:
        yield opening + "\n  " + (record if isinstance(record, str) else item_text(record))
        opening = ","
    yield "[]\n" if opening == "[" else "\n]\n"


def item_text(record: Record) -> str:
    """One record's item as `export` writes it in the array."""
    return indented(record_to_csl(record), "\n  ")


def indented(value: Any, margin: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, each line after the first led by `margin`.

    json indents in pure Python, a generator per level; the strings, lists and mappings of a CSL
    item are written quicker here, in the same text. Anything else goes to json as a whole.
    """
    try:
        return _indented(value, margin)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", margin)


class _NotPlain(Exception):
    pass


_encode_string = json.encoder.encode_basestring


def _indented(value: Any, margin: str) -> str:
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = margin + "  "
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            # Most values are strings: written here, without a call.
            text = _encode_string(item) if type(item) is str else _indented(item, inner)
            parts.append(_encode_string(key) + ": " + text)
        return "{" + inner + ("," + inner).join(parts) + margin + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = margin + "  "
        return (
            "["
            + inner
            + ("," + inner).join(
                [_encode_string(item) if type(item) is str else _indented(item, inner) for item in value]
            )
            + margin
            + "]"
        )
    if kind is int:
        return int.__repr__(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    raise _NotPlain


def read(text: str, source: str) -> Iterator[tuple[Any, ...]]:
    """Each item of a CSL-JSON array, a lone object, or JSON Lines, as record data with the line it starts on.

    A key given twice in one object, or a number too long to convert, spoils
    only its item: it is reported with its line and field, and the items
    after it are read.
    """
    decoder = json.JSONDecoder(object_pairs_hook=_object)
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
        except ValueError:
            # A key given twice (see _object), or a number Python will not convert: found
            # again by a scan that knows where each value is.
            item, end = _spoiled_item(text, source, position)
        line += text.count("\n", counted, position)
        counted = position
        if isinstance(item, InvalidRecord):
            yield item, line
        elif not isinstance(item, dict):
            raise _json_problem(text, source, position, f"a CSL-JSON item must be an object, not {type(item).__name__}")
        else:
            found: list[tuple[str, str]] = []
            data = record_data_from_csl(item, found)
            yield data, line, reading_warnings(found, source, line, item)
        count += 1
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


class _DuplicateKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused if a key is given twice: the json module would keep the last in silence."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


# JSON's tokens, for finding a spoiled item's fault: strings, numbers, punctuation, literals, white space.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[{}\[\]:,]|[A-Za-z]+|\s+')


def _spoiled_item(text: str, source: str, start: int) -> tuple[InvalidRecord, int]:
    """The fault of an item the decoder refused (a key given twice, a number too long to convert)
    as a problem naming its line, column and field, and where the item ends."""
    # Each open object or array: [path, keys seen (an object) or None, the next key or index].
    stack: list[list[Any]] = []
    expecting_key = False
    problem: Problem | None = None
    record_id: str | None = None
    position = start
    while True:
        match = _TOKEN.match(text, position)
        if match is None:  # the decoder read this far, so this is not reached; stop rather than loop
            break
        token, position = match.group(), match.end()
        if token[0] in "{[":
            path = stack[-1][0] + [stack[-1][2]] if stack else []
            stack.append([path, set() if token == "{" else None, 0])
            expecting_key = token == "{"
        elif token[0] in "}]":
            stack.pop()
            if not stack:
                break
            expecting_key = False
        elif token == ",":
            frame = stack[-1]
            if frame[1] is None:
                frame[2] += 1
            expecting_key = frame[1] is not None
        elif token == ":" or token.isspace():
            continue
        elif expecting_key:
            key = json.loads(token)
            frame = stack[-1]
            if key in frame[1] and problem is None:
                problem = _problem_at(text, source, match.start(), frame[0] + [key], f"the key {key!r} is given twice")
            frame[1].add(key)
            frame[2] = key
            expecting_key = False
        else:
            if len(stack) == 1 and stack[0][2] == "id" and token[0] == '"':
                record_id = json.loads(token)
            digits = token.lstrip("-")
            if digits.isdigit() and len(digits) > max_number_digits() and problem is None:
                path = stack[-1][0] + [stack[-1][2]] if stack else []
                problem = _problem_at(text, source, match.start(), path, number_too_long(len(digits)))
            if not stack:
                break
    if problem is None:
        problem = _problem_at(text, source, start, [], "unreadable item")
    if record_id is not None:
        problem = dataclasses.replace(problem, record=record_id)
    return InvalidRecord([problem]), position


def _problem_at(text: str, source: str, position: int, path: list[Any], message: str) -> Problem:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(source, ".".join(str(part) for part in path), message, line, column)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _json_problem(text: str, source: str, position: int, message: str) -> InvalidRecord:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return InvalidRecord([Problem(source, "", message, line, column)])
