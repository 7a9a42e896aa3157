"""Dates (CSL 1.0.2, "Date", "Date-part", "Date Ranges", "Localized Date Formats"; CSL-JSON dates).

citeproc-py's `model.Date.process` / `render_date_range` and
`model.Date_Part.process` are replaced by `render_date()`, because they

- merge a style's date-part attributes into the locale's date-part element
  in place (`attrib.update`), so one style's override leaks into every later
  date, and a localized date could lose the locale's delimiter (`2021Jun`);
- render a range's shared parts from a list they mutate, giving
  `June 3,–July 4, 2021` for `June 3–July 4, 2021`, and return nothing for
  season ranges;
- never print a season given as a month 13–16 or a `season` with a full
  date missing, nor parse `raw` dates or numeric strings with blanks;
- ignore formatting and text-case on `cs:date` itself;
- print `100 BC` (citeproc-js and the locale terms give `100BC`).

Rules followed: a localized date (`form="text"|"numeric"`) takes the
locale's parts, order and delimiter; the style's `cs:date-part` children
override their formatting, `form` and `range-delimiter`, not their affixes;
`date-parts` limits the parts. A range prints the parts both ends share once
and joins the differing ones with the `range-delimiter` of the largest
differing part (en dash by default), dropping the affix at the seam. A date
kept as given (a CSL-JSON `literal`, or a `raw` date that does not parse)
prints in the year's place, as citeproc-js does: a `cs:date` without a year
prints nothing of it, so a date split in two (a year, then a month and day)
prints it once, not twice (citeproc-py printed it whole for every `cs:date`).

Tests: tests/test_engine_dates.py.
"""

from __future__ import annotations

import re
from functools import cache

from citeproc import model
from citeproc.source import Date, DateRange, LiteralDate
from citeproc.string import MixedString, NoCase, String

from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.performance import added, join
from lutnick_cli.citation.engine.textcase import apply_case

_UNITS = ("year", "month", "day")
_FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")
_NO_AFFIX = String("")  # an affix left off, as the String it stands for (`String("") + text` is a MixedString)


class _Part:
    """A date-part's attributes: the element's, with a localized date's overrides; never written back.
    What `_render_part` reads of them at every date (its form, periods stripped or not, text case and
    affixes) is read here, once per part of a `DateRules.parts_plan`."""

    def __init__(self, element, overrides: dict | None = None) -> None:  # type: ignore[no-untyped-def]
        self.element = element
        self.attrs = dict(element.attrib)
        for key, value in (overrides or {}).items():
            if key not in ("prefix", "suffix"):
                self.attrs[key] = value
        self._formatted = model.Formatted
        # none of the five formatting attributes: citeproc-py's five formatting steps each return the text
        self.plain = not any(name in self.attrs for name in _FORMATTING)
        self.form = self.attrs.get("form", "numeric" if element.get("name") == "day" else "long")
        self.strips_periods = self.attrs.get("strip-periods", "false") == "true"
        self.text_case = self.attrs.get("text-case")
        self.prefix = String(self.attrs.get("prefix", ""))
        self.suffix = String(self.attrs.get("suffix", ""))
        self.texts: dict = {}  # the part's text for each value of what it prints (see `_part_text`)

    def get(self, name: str, default=None):  # type: ignore[no-untyped-def]
        return self.attrs.get(name, default)

    def get_formatter(self):  # type: ignore[no-untyped-def]
        return self.element.get_formatter()

    def format(self, text):  # type: ignore[no-untyped-def]
        if self.plain and isinstance(text, (str, MixedString)):
            return text
        return self._formatted.format(self, text)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        method = getattr(self._formatted, name, None)
        if method is None:
            raise AttributeError(name)
        return method.__get__(self)


def _values(date) -> dict[str, int | str | None]:  # type: ignore[no-untyped-def]
    values: dict[str, int | str | None] = {}
    for unit in ("year", "month", "day", "season"):
        value = date.get(unit)
        values[unit] = value if value not in (None, "", 0) else None
    if isinstance(values["month"], int) and 13 <= values["month"] <= 24:
        # seasons as months: 13–16, 17–20 and 21–24 are each spring to winter, as citeproc-js reads them
        values["season"], values["month"] = (values["month"] - 13) % 4 + 1, None
    if isinstance(values["month"], int) and not 1 <= values["month"] <= 12:
        values["month"] = None
    if values["month"] is None:
        values["day"] = None
    return values


# What the text of each date part depends on, of a date's values (with the cs:date's locale, and the part).
_PRINTS = {"year": ("year",), "month": ("month", "season"), "day": ("day", "month")}
# The texts a date part keeps (`_Part.texts`): past this many it starts again, so that memory stays bounded.
_PART_TEXTS_KEPT = 10_000


def _part_text(part: _Part, name: str, values: dict, context) -> str | None:  # type: ignore[no-untyped-def]
    """The text of date part `name` of a date: made once per part for each value of what it prints (a
    month's locale term is looked up through the locales, an ordinal day through its rules)."""
    key = tuple([(type(values[unit]), values[unit]) for unit in _PRINTS.get(name, ())])  # 2019 is not "2019"
    texts = part.texts
    try:
        return texts[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be a key (a date not from CSL-JSON): made every time
        return _make_part_text(part, name, values, context)
    if len(texts) >= _PART_TEXTS_KEPT:
        texts.clear()
    text = texts[key] = _make_part_text(part, name, values, context)
    return text


def _make_part_text(part: _Part, name: str, values: dict, context) -> str | None:  # type: ignore[no-untyped-def]
    if name == "year":
        year = values["year"]
        if year is None:
            return None
        if not isinstance(year, int):
            return str(year)
        if part.form == "short":
            return str(abs(year))[-2:]
        text = str(abs(year))
        if year < 0:
            text += str(context.get_single_term("bc"))
        elif year < 1000:
            text += str(context.get_single_term("ad"))
        return text
    if name == "month":
        form = part.form
        if values["month"] is None:
            season = values["season"]
            if season is None:
                return None
            if isinstance(season, int) or str(season).isdigit():
                return str(context.get_single_term(f"season-{int(season):02}"))
            return str(season)
        month = int(values["month"])
        if form == "numeric":
            return str(month)
        if form == "numeric-leading-zeros":
            return f"{month:02}"
        return str(context.get_single_term(f"month-{month:02}", form="short" if form == "short" else None))
    if name == "day":
        day = values["day"]
        if day is None:
            return None
        form = part.form
        if (
            form == "ordinal"
            and (context.get_locale_option("limit-day-ordinals-to-day-1") or "false").lower() == "true"
            and int(day) > 1
        ):
            form = "numeric"
        if form == "numeric-leading-zeros":
            return f"{int(day):02}"
        if form == "ordinal":
            from lutnick_cli.citation.engine.numbers import _term_gender, ordinal

            month = values["month"]
            gender = _term_gender(context, f"month-{int(month):02}") if month else None
            return ordinal(int(day), context, gender)
        return str(day)
    return None


def _render_part(part: _Part, name: str, values: dict, context, prefix: bool = True, suffix: bool = True):  # type: ignore[no-untyped-def]
    text = _part_text(part, name, values, context)
    if not text:
        return None
    if part.strips_periods:
        text = text.replace(".", "")
    text = part.format(apply_case(part.text_case, String(text)))
    # `prefix + text + suffix`, as citeproc-py's operators add them
    return added(added(part.prefix if prefix else _NO_AFFIX, text), part.suffix if suffix else _NO_AFFIX)


def _parts(element, variable_form, date_parts):  # type: ignore[no-untyped-def]
    """The (name, _Part) list and delimiter a cs:date renders with."""
    if variable_form is None:
        parts = [(child.get("name"), _Part(child)) for child in element.findall("cs:date-part", element.nsmap)]
        return parts, element.get("delimiter", "")
    locale_date = element.get_date(variable_form)
    overrides = {child.get("name"): dict(child.attrib) for child in element.findall("cs:date-part", element.nsmap)}
    shown = (date_parts or "year-month-day").split("-")
    parts = [
        (child.get("name"), _Part(child, overrides.get(child.get("name"))))
        for child in locale_date.findall("cs:date-part", locale_date.nsmap)
        if child.get("name") in shown
    ]
    return parts, locale_date.get("delimiter", "")


def _join(pieces: list, delimiter: str):  # type: ignore[no-untyped-def]
    pieces = [piece for piece in pieces if piece is not None and str(piece) != ""]
    return join(pieces, delimiter) if pieces else None


def render_date(element, item, variable: str):  # type: ignore[no-untyped-def]
    """A cs:date for one item: the text, before the cs:date's own affixes."""
    value = item.reference.get(variable.replace("-", "_"))
    if value is None:
        return None
    parts, delimiter = element.parts_plan
    if isinstance(value, LiteralDate):
        return _literal(parts, value)
    if isinstance(value, DateRange):
        start, end = _values(value.begin), _values(value.get("end", {}) or {})
    else:
        start, end = _values(value), None
    if end is not None and all(end[unit] is None for unit in ("year", "month", "day", "season")):
        # an open range ("2016–"): citeproc-py's parser kept [0] as the end
        text = _join([_render_part(part, name, start, element) for name, part in parts], delimiter)
        return String(str(text)) + String("\u2013") if text is not None else None
    names = [name for name, _ in parts]
    if end is None or all(
        start[u] == end[u] for u in ("year", "month", "day", "season") if u != "day" or "day" in names
    ):
        text = _join([_render_part(part, name, start, element) for name, part in parts], delimiter)
        if end is not None and text is not None and end == start:
            return text
        if end is not None and text is not None and value.get("end") and not _has_shown_difference(start, end, names):
            return text
        return text
    # a range: the largest differing unit decides what is shared
    differing = [unit for unit in _UNITS if unit in names and _unit_value(start, unit) != _unit_value(end, unit)]
    if not differing:
        return _join([_render_part(part, name, start, element) for name, part in parts], delimiter)
    largest = differing[0]
    block_units = set(_UNITS[_UNITS.index(largest) :])
    indexes = [index for index, (name, _) in enumerate(parts) if name in block_units]
    range_part = dict(parts)[largest]
    range_delimiter = range_part.get("range-delimiter", "\u2013")
    if indexes != list(range(indexes[0], indexes[-1] + 1)):
        first = _join([_render_part(part, name, start, element) for name, part in parts], delimiter)
        last = _join([_render_part(part, name, end, element) for name, part in parts], delimiter)
        return String(str(first or "")) + String(range_delimiter) + String(str(last or ""))
    low, high = indexes[0], indexes[-1]
    before = [_render_part(part, name, start, element) for name, part in parts[:low]]
    after = [_render_part(part, name, start, element) for name, part in parts[high + 1 :]]
    start_block = [
        _render_part(part, name, start, element, suffix=index != high)
        for index, (name, part) in enumerate(parts)
        if low <= index <= high
    ]
    end_block = [
        _render_part(part, name, end, element, prefix=index != low)
        for index, (name, part) in enumerate(parts)
        if low <= index <= high
    ]
    first = _join(start_block, delimiter)
    last = _join(end_block, delimiter)
    if first is None or last is None:
        middle = first if first is not None else last
    else:
        middle = String(str(first).rstrip()) + String(range_delimiter) + last
    return _join(before + [middle] + after, delimiter)


def _literal(parts: list, value: LiteralDate):  # type: ignore[no-untyped-def]
    """A date kept as given, printed in the year's place, with the year part's affixes and formatting; by a
    date without a year, nothing. A style splitting a date across two `cs:date` elements (APA's newspaper
    `(2019, May 3)`) prints the text once, as citeproc-js does, not once for the year and again for the day."""
    for name, part in parts:
        if name == "year":
            text = part.format(apply_case(part.text_case, String(value.text)))
            return part.prefix + text + part.suffix
    return None


def _unit_value(values: dict, unit: str):  # type: ignore[no-untyped-def]
    if unit == "month":
        return (values["month"], values["season"])
    return values[unit]


def _has_shown_difference(start: dict, end: dict, names: list[str]) -> bool:
    return any(_unit_value(start, unit) != _unit_value(end, unit) for unit in names)


@cache
def _raw_date() -> re.Pattern[str]:
    """An ISO-like `raw` date (`2019-04-27`, `2019/4`), compiled when first used (few dates are raw)."""
    return re.compile(r"^\s*(-?\d{1,4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?\s*$")


def parse_date(self, json_data):  # type: ignore[no-untyped-def]
    """`CiteProcJSON.parse_date` as the engine reads them (`LenientDates`): CSL-JSON dates as
    citeproc-py's date objects, more leniently.

    Numeric strings and blanks in `date-parts` are read as numbers, months 13–16
    as seasons, `season` kept, `raw` ISO-like dates (and `a/b` ranges) parsed,
    anything else kept as a literal.
    """
    if not isinstance(json_data, dict):
        return LiteralDate(str(json_data)) if json_data else None
    circa = bool(json_data.get("circa"))
    parts = []
    for raw_part in json_data.get("date-parts") or []:
        numbers = []
        for value in raw_part or []:
            try:
                numbers.append(int(str(value).strip()))
            except ValueError:
                break
        numbers = numbers[:3]
        while numbers and numbers[-1] == 0:
            numbers.pop()
        parts.append(numbers)
    if not parts or not parts[0]:
        raw = json_data.get("raw")
        if raw:
            pieces = [_raw_date().match(piece) for piece in str(raw).split("/")]
            if all(pieces):
                parts = [[int(group) for group in match.groups() if group] for match in pieces]
    season = json_data.get("season")

    def make(numbers: list[int], with_season: bool):  # type: ignore[no-untyped-def]
        data: dict = dict(zip(("year", "month", "day"), numbers))
        if with_season and season not in (None, "") and "month" not in data:
            data["season"] = season
        return _date(circa, data)

    if parts and parts[0]:
        if len(parts) > 1 and parts[1]:
            return DateRange(begin=make(parts[0], True), end=make(parts[1], False), circa=circa)
        if len(parts) > 1:  # [[2016], [0]]: open-ended
            return DateRange(begin=make(parts[0], True), end=Date(year=0), circa=circa)
        return make(parts[0], True)
    if json_data.get("literal"):
        return LiteralDate(str(json_data["literal"]), circa=circa)
    if json_data.get("raw"):
        return LiteralDate(str(json_data["raw"]), circa=circa)
    return None


def _date(circa: bool, units: dict):  # type: ignore[no-untyped-def]
    """citeproc-py's `Date(circa=circa, **units)` for `units` with a year and no day without a month (as
    `parse_date` makes them), the same mapping, built directly: each value made a number where `int()`
    can, as `Date.__init__` does, without the checks its base class makes of the keys, which cost more
    than the rest of reading the date."""
    date = Date.__new__(Date)
    for key, value in (("circa", circa), *units.items()):
        try:
            value = int(value)
        except ValueError:
            pass
        dict.__setitem__(date, key, value)
    return date


class DateRules:
    """Rule mixin for `cs:date` (composed in engine/elements.py)."""

    def process(self, item, variable=None, show_parts=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Date.process` (replaced, with `render_date()`; see the module docstring): a date's text
        made once per element for each date value (`dates_made`). Test: tests/test_engine_dates.py."""
        variable = variable or self.attributes.get("variable")
        key = _date_key(item.reference.get(variable.replace("-", "_")), self.units_printed)
        if key is None:
            return _date_text(self, item, variable)
        made = self.dates_made
        key = (variable, key)
        text = made.get(key)
        if text is None:
            text = _date_text(self, item, variable)
            if _immutable(text):
                _keep(made, key, text)
            return text
        return MixedString(text) if type(text) is MixedString else text  # a list: each render has its own

    @cached_property
    def units_printed(self) -> tuple[str, ...]:
        """The units of a single date (not a range) that the text of its parts depends on (`_PRINTS`)."""
        return tuple(dict.fromkeys(unit for name, _ in self.parts_plan[0] for unit in _PRINTS.get(name, ())))

    @cached_property
    def dates_made(self) -> dict:
        """The texts this cs:date made, by variable and date value (`_date_key`): what it prints depends on
        those alone, with the style and its locale (a record's date is rendered for its sort key, its cite
        and its entry, and most records of a bibliography share their years with others). Only immutable
        texts are kept (`_immutable`)."""
        return {}

    @cached_property
    def parts_plan(self) -> tuple[list, str]:
        """The (name, _Part) list and delimiter the date renders with: its own, or its locale's date form
        with its overrides. The style's and its locale's alone: worked out once (the parts are never
        written to)."""
        return _parts(self, self.get("form"), self.get("date-parts"))  # type: ignore[attr-defined]


def _date_text(element, item, variable: str):  # type: ignore[no-untyped-def]
    """What `DateRules.process` gives: `render_date()`, with the cs:date's text case, formatting and affixes."""
    text = render_date(element, item, variable)
    if text is None or str(text) == "":
        return None
    text = element.format(apply_case(element.attributes.get("text-case"), text))
    return element.wrap(text)


def _immutable(text) -> bool:  # type: ignore[no-untyped-def]
    """Whether `text` is a string, or a MixedString of strings (a list, copied when given out again): not
    an output format's marked-up text, nor None."""
    kind = type(text)
    if kind is MixedString:
        return all(isinstance(segment, str) for segment in text)
    return kind is String or kind is str or kind is NoCase


def _date_key(value, units: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Of a date value, all that `render_date()` reads of it, as a key, or None for no date, or one that
    cannot be a key. Of a single date, the values of the `units` its parts print, as `render_date()` reads
    them (`_values`); of a range, every unit of both ends. Each value goes with its type, as `_part_text`
    keys them (the year 2019 prints as the year "2019" does, but is kept apart)."""
    if value is None:
        return None
    try:
        if isinstance(value, LiteralDate):
            return ("literal", value.text)
        if isinstance(value, DateRange):
            end = value.get("end", {}) or {}
            key: tuple = (
                "range",
                *[(type(part), part) for date in (value.begin, end) for part in map(date.get, _ALL_UNITS)],
            )
        else:
            values = _values(value)
            key = tuple([(type(values[unit]), values[unit]) for unit in units])
        hash(key)
    except (AttributeError, TypeError):
        return None
    return key


_ALL_UNITS = ("year", "month", "day", "season")


def _keep(memo: dict, key, value) -> None:  # type: ignore[no-untyped-def]
    """`value` kept in `memo` under `key`; a memo grown to `_PART_TEXTS_KEPT` starts again."""
    if len(memo) >= _PART_TEXTS_KEPT:
        memo.clear()
    memo[key] = value


class LenientDates:
    """Rule mixin for the CSL-JSON source (composed in engine/elements.py)."""

    def parse_date(self, json_data):  # type: ignore[no-untyped-def]
        """Overrides `CiteProcJSON.parse_date` (replaced, with `parse_date()`). Test: tests/test_engine_dates.py."""
        return parse_date(self, json_data)
