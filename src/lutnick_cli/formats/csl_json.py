"""CSL-JSON: an array of items, valid against the official CSL data schema."""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import Any

from lutnick_cli.citation.csl import (
    DATE_VARIABLES,
    NAME_PARTS,
    NAME_VARIABLES,
    TEXT_VARIABLES,
    person_data,
    reading_warnings,
    record_data_from_csl,
    record_to_csl,
)
from lutnick_cli.errors import InvalidRecord, Problem, max_number_digits, number_too_long
from lutnick_cli.patterns import compiled_when_used
from lutnick_cli.record import (
    NUMERIC_TEXT_FIELDS,
    PLAIN_TEXT_FIELDS,
    Record,
    RecordType,
    Unquiet,
    assemble_record,
    quiet_converter,
    tidy_person,
)

EXTENSION = ".json"


def export(records: Iterable[Record]) -> Iterator[str]:
    opening = "["
    for record in records:
        yield opening + export_piece(record)
        opening = ","
    yield "[]\n" if opening == "[" else "\n]\n"


def export_piece(record: Record) -> str:
    """One record's item in the array, for writing the export in pieces in several processes
    (commands/export.py), which EXPORT_FRAME joins as `export` does."""
    return "\n  " + indented(record_to_csl(record), "\n  ")


# What opens the array, comes between two items, closes it, and is the text of none.
EXPORT_FRAME = ("[", ",", "\n]\n", "[]\n")


def indented(value: Any, margin: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, each line after the first led by `margin`.

    json indents in pure Python, a generator per level; the strings, lists and mappings of a CSL
    item are written quicker here, in the same text. Anything else goes to json as a whole.
    """
    written: list[str] = []
    try:
        _write(value, _level(margin), written.append)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", margin)
    return "".join(written)


class _NotPlain(Exception):
    pass


_encode_string = json.encoder.encode_basestring


class _Level:
    """What is written at one depth of indentation: its margin, the next level's, and each key as
    written there, with the comma or brace before it and the colon after it."""

    __slots__ = ("margin", "inner", "open_list", "between", "close_list", "close_mapping", "first_keys", "keys")

    def __init__(self, margin: str) -> None:
        self.margin = margin
        self.inner: _Level | None = None
        inner = margin + "  "
        self.open_list = "[" + inner
        self.between = "," + inner
        self.close_list = margin + "]"
        self.close_mapping = margin + "}"
        # A key's text after the opening brace, and after the item before it: an export writes the
        # same few dozen keys over and over.
        self.first_keys: dict[str, str] = {}
        self.keys: dict[str, str] = {}

    def deeper(self) -> _Level:
        if self.inner is None:
            self.inner = _Level(self.margin + "  ")
        return self.inner

    def key(self, key: Any, first: bool) -> str:
        if type(key) is not str:
            raise _NotPlain
        known = self.first_keys if first else self.keys
        if len(known) >= _KEYS_KEPT:
            known.clear()
        text = known[key] = ("{" if first else ",") + self.margin + "  " + _encode_string(key) + ": "
        return text


_KEYS_KEPT = 4096
_levels: dict[str, _Level] = {}


def _level(margin: str) -> _Level:
    level = _levels.get(margin)
    if level is None:
        if len(_levels) >= 64:
            _levels.clear()
        level = _levels[margin] = _Level(margin)
    return level


def _write(value: Any, level: _Level, write: Callable[[str], None]) -> None:
    """`value` as `indented` writes it at `level`, given to `write` in pieces, joined once for the whole value."""
    kind = type(value)
    if kind is dict:
        if not value:
            write("{}")
            return
        keys = level.first_keys
        for key, item in value.items():
            text = keys.get(key) if type(key) is str else None
            write(text if text is not None else level.key(key, keys is level.first_keys))
            keys = level.keys
            # Most values are strings: written here, without a call.
            if type(item) is str:
                write(_encode_string(item))
            else:
                _write(item, level.inner or level.deeper(), write)
        write(level.close_mapping)
    elif kind is list:
        if not value:
            write("[]")
            return
        lead = level.open_list
        for item in value:
            write(lead)
            lead = level.between
            # Strings, and the numbers of a date's parts, written here, without a call.
            if type(item) is str:
                write(_encode_string(item))
            elif type(item) is int:
                write(int.__repr__(item))
            else:
                _write(item, level.inner or level.deeper(), write)
        write(level.close_list)
    elif kind is str:
        write(_encode_string(value))
    elif kind is int:
        write(int.__repr__(value))
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif value is None:
        write("null")
    else:
        raise _NotPlain


def read(text: str, source: str) -> Iterator[tuple[Any, ...]]:
    """Each item of a CSL-JSON array, a lone object, or JSON Lines, as record data with the line it starts on.

    A key given twice in one object, or a number too long to convert, spoils
    only its item: it is reported with its line and field, and the items
    after it are read.
    """
    position, in_array = _opening(text, source)
    count = 0
    for item, line, _ in items(text, source, position, 1 + text.count("\n", 0, position), in_array):
        yield converted(item, line, source)
        count += 1
    if count == 0:
        raise InvalidRecord([Problem(source, "", "no records in the file: the array is empty", 1)])


def _opening(text: str, source: str) -> tuple[int, bool]:
    """Where the first item starts, and whether the items are in an array; an empty file is refused."""
    position = _skip_space(text, 0)
    if position == len(text):
        raise InvalidRecord([Problem(source, "", "no records in the file: it is empty", 1)])
    in_array = text[position] == "["
    if in_array:
        position = _skip_space(text, position + 1)
    return position, in_array


def items(
    text: str, source: str, position: int, line: int, in_array: bool, stop: int | None = None
) -> Generator[tuple[Any, int, int], None, int]:
    """The items from `position` (on line `line`) on, each as (the decoded item or the InvalidRecord that
    spoils it, its line, where it starts); with `stop`, none that starts there or after. Returns where
    it stopped. What ends the file (its syntax) is raised as an InvalidRecord, after the items before."""
    decoder = json.JSONDecoder(object_pairs_hook=_object)
    # Lines are counted on from the previous item, not from the start: a
    # count from 0 for each item made reading a long array quadratic.
    counted = position
    while position < len(text) and (stop is None or position < stop):
        if in_array and text[position] == "]":
            end = _skip_space(text, position + 1)
            if end != len(text):
                raise _json_problem(text, source, end, "extra data after the array")
            return end
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
        if not isinstance(item, (dict, InvalidRecord)):
            raise _json_problem(text, source, position, f"a CSL-JSON item must be an object, not {type(item).__name__}")
        yield item, line, position
        position = _skip_space(text, end)
        if in_array and position < len(text):
            if text[position] == ",":
                position = _skip_space(text, position + 1)
            elif text[position] != "]":
                raise _json_problem(text, source, position, "JSON syntax: expected ',' or ']' between items")
    if in_array and position >= len(text):
        raise _json_problem(text, source, len(text), "JSON syntax: the array is not closed")
    return position


def converted(item: dict[str, Any] | InvalidRecord, line: int, source: str) -> tuple[Any, ...]:
    """What `read` yields for an item that `items` gave."""
    if isinstance(item, InvalidRecord):
        return item, line
    record = quick_record(item)
    if record is not None:
        return record, line
    found: list[tuple[str, str]] = []
    data = record_data_from_csl(item, found)
    return data, line, reading_warnings(found, source, line, item)


def parts(text: str, source: str, shares: Sequence[float]) -> tuple[bool, list[tuple[int, int]]]:
    """Whether the items are in an array, and where parts of it start, each as (position, line): the
    first at the first item, each next one near its fraction of the text's length in `shares` (rising);
    fewer where the text is too short to split.

    The starts after the first are guesses, made without reading what comes before them: the `{` of an
    object with a "type" key that follows a `}` and the comma between items. A part is read (by
    `items`) from its start only once the part before it was read up to exactly there, which proves
    the guess: otherwise the part before it goes on past it.
    """
    position, in_array = _opening(text, source)
    line = 1 + text.count("\n", 0, position)
    starts = [(position, line)]
    separator = _ITEM_SEPARATOR if in_array else _LINE_SEPARATOR
    counted = position
    for share in shares:
        search_from = max(starts[-1][0] + 1, int(len(text) * share))
        for match in separator.finditer(text, search_from):
            start = match.end() - 1
            try:
                item, _ = _plain_decoder.raw_decode(text, start)
            except ValueError:
                continue
            if isinstance(item, dict) and "type" in item:
                line += text.count("\n", counted, start)
                counted = start
                starts.append((start, line))
                break
        else:
            break
    return in_array, starts


_ITEM_SEPARATOR = compiled_when_used(r"\}[ \t\r\n]*,[ \t\r\n]*\{")
_LINE_SEPARATOR = compiled_when_used(r"\}[ \t\r\n]*\{")
_plain_decoder = json.JSONDecoder()


# --- An item read straight into its record ----------------------------------
#
# Most items of a file are plain: an id, a type, text, names, dates, a journal and pages, with nothing
# to report or warn of. Such an item is read straight into its Record, the same Record, field by field
# and in the same order, that `parse_record(record_data_from_csl(item))` makes, without the record data
# between them, and with what recurs across a file (people, dates, journals) looked up by the item's
# own values. Any other item, or any value these steps do not take as it is, goes the general way,
# which reports or warns of it. tests/test_csl_json_quick.py proves both ways give the same records.


def quick_record(item: dict[str, Any]) -> Record | None:
    """The record of a plain item, read straight; None for an item to read the general way."""
    keys = tuple(item)
    plan = _quick_plans.get(keys)
    if plan is None:
        plan = _quick_plan(keys)
    if not plan:
        return None
    values: dict[str, Any] = {}
    try:
        for key, field, kind in plan:
            value = item[key]
            if kind is _PLAIN:
                if value.__class__ is str:
                    text = value.strip()
                    if text and text.isprintable():
                        values[field] = text
                        continue
                elif value.__class__ is int and field in NUMERIC_TEXT_FIELDS:
                    values[field] = str(value)  # digits, a sign at most: printable, never empty
                    continue
                if value is not None:
                    values[field] = _text(key, field, value)
            elif kind is _CONVERTED:
                if value is not None:
                    values[field] = _text(key, field, value)
            elif kind is _PEOPLE:
                if value.__class__ is list and value:
                    values[field] = _people(key, field, value)
                elif value:  # not a list: refused the general way
                    raise Unquiet
            elif kind is _DATE:
                if value is not None:
                    values[field] = _date(key, field, value)
            elif kind is _CONTAINER:
                container = _containers.get(value) if value.__class__ is str else None
                if container is None:
                    container = _general_value("container", key, value)
                    if value.__class__ is str:
                        _containers.remember(value, container)
                values["container"] = container
            elif kind is _ID:
                values["id"] = _quiet["id"](str(value))
            else:
                values["type"] = _TYPES.get(value) if value.__class__ is str else None
                if values["type"] is None:
                    values["type"] = _quiet["type"](value)
    except Unquiet:
        return None
    try:
        return assemble_record(values)
    except Unquiet:
        return None


class _Memory(dict[Any, Any]):
    """Values read before, by the item's own value; past `limit` of them it starts afresh."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key: Any, value: Any) -> None:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value


# The people of a large bibliography (13,600 distinct among 31,500 in 10,000 items of the benchmark
# corpus) fit; a smaller memory turned over before names recurred.
_people_seen = _Memory(1 << 15)
_dates_seen = _Memory(1 << 13)
_containers = _Memory(1 << 13)


def _people(key: str, field: str, names: list[Any]) -> tuple[Any, ...]:
    """The people of a name variable. A name is looked up by its parts as the item gives them; only
    text is a value two names can share (a part that is no text makes the name quiet or not on its
    own), and an unhashable part sends the item the general way, as does a key that is no CSL name part
    (the general way places or keeps it)."""
    people = []
    for name in names:
        if name.__class__ is not dict:
            raise Unquiet
        try:
            parts = tuple(name.items())
            person = _people_seen.get(parts)
        except TypeError:
            raise Unquiet from None
        if person is None:
            if not name.keys() <= NAME_PARTS:  # Crossref's ORCID, affiliation, sequence...: placed or kept
                raise Unquiet
            person = tidy_person(name)
            if person is None:
                # The one step of record_data_from_csl for a name of an item without `custom`.
                person = _quiet[field](person_data(name, None))
            _people_seen.remember(parts, person)
        people.append(person)
    return tuple(people)


def _date(key: str, field: str, value: Any) -> Any:
    """A date; the usual CSL date, date-parts alone, is looked up by its parts."""
    if value.__class__ is dict and len(value) == 1:
        parts = value.get("date-parts")
        if parts.__class__ is list:
            try:
                seen = tuple(map(tuple, parts))
                date = _dates_seen.get(seen)
            except TypeError:  # parts that are no lists of numbers: the general way refuses them
                raise Unquiet from None
            if date is None:
                date = _general_value(field, key, value)
                # Parts equal as keys (2019, 2019.0) are the same number to the general way's int().
                _dates_seen.remember(seen, date)
            return date
    return _general_value(field, key, value)


def _general_data(key: str, field: str, value: Any) -> Any:
    """What `record_data_from_csl` makes of one key of an item, where it makes it of that key alone;
    Unquiet where it warns, or makes nothing of it (a value that is no value)."""
    found: list[tuple[str, str]] = []
    data = record_data_from_csl({key: value}, found)
    if found or field not in data:
        raise Unquiet
    return data[field]


def _general_value(field: str, key: str, value: Any) -> Any:
    """One key of an item, read as the general way reads it into the record field `field`."""
    return _quiet[field](_general_data(key, field, value))


def _text(key: str, field: str, value: Any) -> Any:
    """A text field (or the pages) that is not null; a list, which CSL-JSON may give where CSL has
    text, is read the general way."""
    if value.__class__ is list:
        return _general_value(field, key, value)
    return _quiet[field](value)


_ID, _TYPE, _PLAIN, _CONVERTED, _PEOPLE, _DATE, _CONTAINER = (
    "id",
    "type",
    "plain",
    "converted",
    "people",
    "date",
    "container",
)
_TEXT_KEYS = {variable: field for field, variable in TEXT_VARIABLES.items()}
_NAME_KEYS = {variable: field for field, variable in NAME_VARIABLES.items()}
_DATE_KEYS = {variable: field for field, variable in DATE_VARIABLES.items()}
_TYPES = {member.value: member for member in RecordType}  # as parse_record looks a type up
# A text CSL may give several of in one value (ISBN), read with others: the general way.
_NOT_QUICK = frozenset({"ISBN"})
# Each record field's converter, as parse_record converts it (a person at a time for people).
_quiet = {
    field: quiet_converter(field)
    for field in ("id", "type", "container", "pages", *_TEXT_KEYS.values(), *_NAME_KEYS.values(), *_DATE_KEYS.values())
}
_quick_plans: dict[tuple[str, ...], tuple[tuple[str, str, str], ...]] = {}
_QUICK_PLANS_KEPT = 256


def _quick_plan(keys: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """For the keys of an item, in its order: each key, its record field and how it is read, in the
    order `record_data_from_csl` puts them (id, type, the item's own order, container, pages); empty
    for an item with a key these steps do not read."""
    if len(_quick_plans) >= _QUICK_PLANS_KEPT:
        _quick_plans.clear()
    plan: list[tuple[str, str, str]] = []
    if "id" in keys:
        plan.append(("id", "id", _ID))
    if "type" in keys:
        plan.append(("type", "type", _TYPE))
    for key in keys:
        if key in ("id", "type", "container-title", "page"):
            continue
        if key in _TEXT_KEYS and key not in _NOT_QUICK:
            field = _TEXT_KEYS[key]
            plan.append((key, field, _PLAIN if field in PLAIN_TEXT_FIELDS else _CONVERTED))
        elif key in _NAME_KEYS:
            plan.append((key, _NAME_KEYS[key], _PEOPLE))
        elif key in _DATE_KEYS:
            plan.append((key, _DATE_KEYS[key], _DATE))
        else:
            _quick_plans[keys] = ()
            return ()
    if "container-title" in keys:
        plan.append(("container-title", "container", _CONTAINER))
    if "page" in keys:
        plan.append(("page", "pages", _CONVERTED))
    _quick_plans[keys] = quick = tuple(plan)
    return quick


class _DuplicateKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused if a key is given twice: the json module would keep the last in silence."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


# JSON's tokens, for finding a spoiled item's fault: strings, numbers, punctuation, literals, white space.
_TOKEN = compiled_when_used(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[{}\[\]:,]|[A-Za-z]+|\s+')


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
        problem = problem.replace(record=record_id)
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
