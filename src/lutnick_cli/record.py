"""The typed record model, its validation, and the JSON Schema derived from it.

Every input format is turned into plain data shaped like the canonical YAML
record and passed through `parse_record`; every output format reads the typed
`Record`. So each rule about names, dates, pages and identifiers is written
once, here or in `identifiers`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import MISSING, dataclass, field, fields
from enum import Enum
from typing import Any, Callable, Iterator

from lutnick_cli import identifiers
from lutnick_cli.errors import InvalidRecord, Problem, max_number_digits, number_too_long

Path = tuple[str | int, ...]


class RecordType(str, Enum):
    """The kinds of work a record can describe: CSL 1.0.2's item types."""

    ARTICLE = "article"
    ARTICLE_JOURNAL = "article-journal"
    ARTICLE_MAGAZINE = "article-magazine"
    ARTICLE_NEWSPAPER = "article-newspaper"
    BILL = "bill"
    BOOK = "book"
    BROADCAST = "broadcast"
    CHAPTER = "chapter"
    CLASSIC = "classic"
    COLLECTION = "collection"
    DATASET = "dataset"
    DOCUMENT = "document"
    ENTRY = "entry"
    ENTRY_DICTIONARY = "entry-dictionary"
    ENTRY_ENCYCLOPEDIA = "entry-encyclopedia"
    EVENT = "event"
    FIGURE = "figure"
    GRAPHIC = "graphic"
    HEARING = "hearing"
    INTERVIEW = "interview"
    LEGAL_CASE = "legal_case"
    LEGISLATION = "legislation"
    MANUSCRIPT = "manuscript"
    MAP = "map"
    MOTION_PICTURE = "motion_picture"
    MUSICAL_SCORE = "musical_score"
    PAMPHLET = "pamphlet"
    PAPER_CONFERENCE = "paper-conference"
    PATENT = "patent"
    PERFORMANCE = "performance"
    PERIODICAL = "periodical"
    PERSONAL_COMMUNICATION = "personal_communication"
    POST = "post"
    POST_WEBLOG = "post-weblog"
    REGULATION = "regulation"
    REPORT = "report"
    REVIEW = "review"
    REVIEW_BOOK = "review-book"
    SOFTWARE = "software"
    SONG = "song"
    SPEECH = "speech"
    STANDARD = "standard"
    THESIS = "thesis"
    TREATY = "treaty"
    WEBPAGE = "webpage"


class Season(int, Enum):
    """Seasons, numbered as EDTF numbers them (21–24)."""

    SPRING = 21
    SUMMER = 22
    AUTUMN = 23
    WINTER = 24


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month, the day, or the season."""

    year: int
    month: int | None = None
    day: int | None = None
    season: Season | None = None

    def edtf(self) -> str:
        text = f"{self.year:04d}" if self.year >= 0 else f"-{-self.year:04d}"
        if self.season is not None:
            return f"{text}-{self.season.value}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def parts(self) -> list[int]:
        """Year, month and day as far as known: the shape of CSL's date-parts."""
        return [part for part in (self.year, self.month, self.day) if part is not None]


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or a date range, possibly approximate, written in EDTF in the YAML record."""

    start: PartialDate
    end: PartialDate | None = None
    circa: bool = False

    def edtf(self) -> str:
        text = self.start.edtf()
        if self.end is not None:
            text += "/" + self.end.edtf()
        return text + ("~" if self.circa else "")


@dataclass(frozen=True, slots=True)
class PageRange:
    """The pages a work occupies: a first page and, for a range, a last one."""

    first: str
    last: str | None = None

    def text(self, dash: str = "–") -> str:
        return self.first if self.last is None else f"{self.first}{dash}{self.last}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """A contributor. An organisation, or a name that must not be split, uses `literal`."""

    family: str | None = field(default=None, metadata={"doc": "Family name (surname)."})
    given: str | None = field(default=None, metadata={"doc": "Given names, as the person writes them."})
    particle: str | None = field(
        default=None,
        metadata={"doc": "Particle kept with the family name when sorting under it (‘van’ in Vincent van Gogh)."},
    )
    dropping_particle: str | None = field(
        default=None,
        metadata={"doc": "Particle dropped when the name is inverted (‘von’ in Ludwig von Beethoven)."},
    )
    suffix: str | None = field(default=None, metadata={"doc": "Generational suffix such as ‘Jr.’ or ‘III’."})
    honorific: str | None = field(
        default=None,
        metadata={"doc": "Title of address such as ‘Dr’ or ‘Prof.’: never part of the given name, never cited."},
    )
    literal: str | None = field(
        default=None, metadata={"doc": "The whole name as one unit: an organisation or a mononym."}
    )
    affiliation: str | None = field(default=None, metadata={"doc": "Institution the person was with."})
    orcid: str | None = field(default=None, metadata={"doc": "ORCID iD, NNNN-NNNN-NNNN-NNNC."})
    email: str | None = field(default=None, metadata={"doc": "Contact address."})
    biography: str | None = field(default=None, metadata={"doc": "Biography as printed with the work."})

    def display_name(self) -> str:
        """The name in reading order, as a person would say it, without honorific."""
        if self.literal:
            return self.literal
        family = " ".join(part for part in (self.particle, self.family) if part)
        name = " ".join(part for part in (self.given, self.dropping_particle, family) if part)
        return f"{name}, {self.suffix}" if self.suffix else name


@dataclass(frozen=True, slots=True, kw_only=True)
class Container:
    """The work a record appears in: a journal, a book, proceedings, a website."""

    title: str = field(metadata={"doc": "Title of the journal, book, proceedings or website."})
    short_title: str | None = field(default=None, metadata={"doc": "Abbreviated title (‘Anti-Traffick. Rev.’)."})
    issn: str | None = field(default=None, metadata={"doc": "Print ISSN, check digit verified."})
    eissn: str | None = field(default=None, metadata={"doc": "Electronic ISSN, check digit verified."})


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One scholarly work."""

    id: str | None = field(default=None, metadata={"doc": "Citation key; derived from author, year and title if absent."})
    type: RecordType = field(metadata={"doc": "Kind of work, one of CSL's item types."})
    title: str = field(metadata={"doc": "Title as printed, with its own capitalisation and quotation marks."})
    short_title: str | None = field(default=None, metadata={"doc": "Short form of the title."})
    authors: tuple[Person, ...] = field(default=(), metadata={"doc": "Authors, in the order printed."})
    editors: tuple[Person, ...] = field(default=(), metadata={"doc": "Editors, in the order printed."})
    translators: tuple[Person, ...] = field(default=(), metadata={"doc": "Translators, in the order printed."})
    container: Container | None = field(default=None, metadata={"doc": "The journal, book or site the work appears in."})
    collection_title: str | None = field(default=None, metadata={"doc": "Title of the series."})
    collection_number: str | None = field(default=None, metadata={"doc": "Number within the series."})
    publisher: str | None = field(default=None, metadata={"doc": "Publisher (of the journal, for an article)."})
    publisher_place: str | None = field(default=None, metadata={"doc": "Place of publication."})
    event_title: str | None = field(default=None, metadata={"doc": "Name of the conference or event."})
    event_place: str | None = field(default=None, metadata={"doc": "Place of the conference or event."})
    genre: str | None = field(default=None, metadata={"doc": "Kind within the type (‘PhD thesis’, ‘Working paper’)."})
    volume: str | None = field(default=None, metadata={"doc": "Volume; leave out when the venue has none."})
    issue: str | None = field(default=None, metadata={"doc": "Issue number."})
    number: str | None = field(default=None, metadata={"doc": "Report, patent or other number."})
    edition: str | None = field(default=None, metadata={"doc": "Edition (‘2’ or ‘Revised’)."})
    number_of_volumes: str | None = field(default=None, metadata={"doc": "How many volumes a multi-volume work has."})
    version: str | None = field(default=None, metadata={"doc": "Version of software or a dataset."})
    pages: PageRange | None = field(default=None, metadata={"doc": "Page or page range, e.g. ‘140–154’."})
    issued: DateValue | None = field(
        default=None,
        metadata={"doc": "Publication date in EDTF: 2019-04-29, 2019-04, 2019, 2019-21 (spring), 2019/2020, 2019~."},
    )
    accessed: DateValue | None = field(default=None, metadata={"doc": "Date the URL was accessed, in EDTF."})
    doi: str | None = field(default=None, metadata={"doc": "DOI without resolver prefix."})
    isbn: str | None = field(default=None, metadata={"doc": "ISBN-10 or ISBN-13, check digit verified."})
    url: str | None = field(default=None, metadata={"doc": "URL of the work's page."})
    language: str | None = field(default=None, metadata={"doc": "Language as a BCP 47 tag (‘en’, ‘pt-BR’)."})
    keywords: tuple[str, ...] = field(default=(), metadata={"doc": "Keywords as printed."})
    abstract: str | None = field(default=None, metadata={"doc": "Abstract, verbatim."})
    note: str | None = field(default=None, metadata={"doc": "Any other information."})


# ---------------------------------------------------------------------------
# Converters: each turns one kind of YAML value into its typed form, and
# describes that form as JSON Schema.


class _Invalid(Exception):
    def __init__(self, path: Path, message: str):
        self.path = path
        self.message = message


class _Converter:
    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


class _Context:
    """Collects problems and warnings while a record is converted, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[tuple[Path, str, bool]] = []
        self.warnings: list[tuple[Path, str, bool]] = []

    def report(self, path: Path, message: str, at_key: bool = False) -> None:
        """Note a problem with the value at `path`, or with its key itself (`at_key`)."""
        self.problems.append((path, message, at_key))

    def warn(self, path: Path, message: str, at_key: bool = False) -> None:
        """Note that the value at `path` was understood but looks wrong; the record keeps it."""
        self.warnings.append((path, message, at_key))


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


class _Text(_Converter):
    """Text; numbers are accepted where the value is often numeric (volume 12)."""

    def __init__(self, numeric: bool = False, check: Callable[[str], str] | None = None, pattern: str | None = None):
        self.numeric = numeric
        self.check = check
        self.pattern = pattern
        # Compiled once here: re.fullmatch with a pattern string looks it up in re's cache on every call.
        self._fullmatch = re.compile(pattern).fullmatch if pattern else None
        # Text with no pattern or check to meet only needs trimming and the control-character test.
        self.plain = check is None and pattern is None

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if self.numeric and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            hint = " (put it in quotes, or YAML reads it as a number)" if isinstance(value, (int, float)) else ""
            raise _Invalid(path, f"expected text, got {_type_name(value)}{hint}")
        text = value.strip()
        if not text:
            raise _Invalid(path, "must not be empty")
        if not _no_control_character(text):
            raise _Invalid(path, "contains a control character")
        if self._fullmatch is not None and not self._fullmatch(text):
            raise _Invalid(path, f"{text!r} does not match {self.pattern}")
        if self.check is not None:
            try:
                return self.check(text)
            except ValueError as error:
                raise _Invalid(path, str(error)) from None
        return text

    def schema(self) -> dict[str, Any]:
        text: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.pattern:
            text["pattern"] = f"^(?:{self.pattern})$"
        return {"type": ["string", "integer"]} if self.numeric else text


# Tab, newline and carriage return are ordinary in long text; other C0/C1 controls
# are not, nor are the noncharacters the renderer reserves for its markup, nor
# U+FFFE/U+FFFF and lone surrogates (which JSON's \uD800 escapes can produce):
# no UTF-8 output and no XML document can carry those.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def _no_control_character(text: str) -> bool:
    """Whether text has none of the characters above.

    Every one of them is also unprintable to `str.isprintable`, which is several
    times quicker than the search, so the search is only for text with a tab,
    a newline or another unprintable character that is allowed.
    """
    return text.isprintable() or not _CONTROL.search(text)


class _Choice(_Converter):
    def __init__(self, enum: type[Enum]):
        self.enum = enum
        # A dict lookup is a fraction of calling the enum class, which does the same lookup and more.
        self.members = {member.value: member for member in enum}

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        try:
            return self.members[value]
        except (KeyError, TypeError):
            pass
        try:
            return self.enum(value)
        except ValueError:
            choices = [member.value for member in self.enum]
            hint = _did_you_mean(str(value), choices)
            raise _Invalid(path, f"{value!r} is not a known type{hint}") from None

    def schema(self) -> dict[str, Any]:
        return {"enum": [member.value for member in self.enum]}


class _List(_Converter):
    def __init__(self, item: _Converter):
        self.item = item

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if not isinstance(value, list):
            raise _Invalid(path, f"expected a list, got {_type_name(value)}")
        converted = []
        for index, element in enumerate(value):
            try:
                converted.append(self.item.convert(element, path + (index,), context))
            except _Invalid as problem:
                context.report(problem.path, problem.message)
            except _Skip:
                pass
        return tuple(converted)

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema()}


class _Object(_Converter):
    """A mapping converted field by field into a dataclass, rejecting unknown keys."""

    def __init__(
        self, cls: type, converters: dict[str, _Converter], check: Callable[[Any, Path, _Context], None] | None = None
    ):
        self.cls = cls
        self.converters = converters
        self.check = check
        # Worked out once per class, not once per value: a batch converts thousands.
        self.required = tuple(spec.name for spec in fields(cls) if _is_required(spec))
        self.plain_text = frozenset(
            name for name, converter in converters.items() if isinstance(converter, _Text) and converter.plain
        )

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if not isinstance(value, dict):
            raise _Invalid(path, f"expected a mapping, got {_type_name(value)}")
        known = self.converters
        plain_text = self.plain_text
        arguments: dict[str, Any] = {}
        failed = False
        for key, element in value.items():
            if key in plain_text and element.__class__ is str:
                # Most values are plain text, accepted here as _Text would accept them but without
                # a call per field (_no_control_character inlined); what this does not accept goes
                # to the field's converter, which says what is wrong.
                text = element.strip()
                if text and (text.isprintable() or not _CONTROL.search(text)):
                    arguments[key] = text
                    continue
            converter = known.get(key)
            if converter is None:
                context.report(path + (key,), f"unknown field{_did_you_mean(str(key), list(known))}", at_key=True)
                failed = True
                continue
            if element is None:
                continue
            try:
                arguments[key] = converter.convert(element, path + (key,), context)
            except _Invalid as problem:
                context.report(problem.path, problem.message)
                failed = True
            except _Skip:
                failed = True
        for name in self.required:
            # A required field given as null (`title:` with nothing after it) is missing too.
            if name not in arguments and value.get(name) is None:
                context.report(path + (name,), "is required")
                failed = True
        if failed:
            raise _Skip
        result = self.cls(**arguments)
        if self.check is not None:
            self.check(result, path, context)
        return result

    def schema(self) -> dict[str, Any]:
        properties = {}
        for spec in fields(self.cls):
            described = dict(self.converters[spec.name].schema())
            described["description"] = spec.metadata["doc"]
            properties[spec.name] = described
        required = list(self.required)
        schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        return schema


class _Skip(Exception):
    """A nested object was invalid; its problems are already reported."""


def _is_required(spec: Any) -> bool:
    return spec.default is MISSING and spec.default_factory is MISSING


def _did_you_mean(word: str, choices: list[str]) -> str:
    # The same words in another order (journal-article for article-journal) beat spelling.
    reordered = [choice for choice in choices if sorted(re.split(r"[-_]", choice)) == sorted(re.split(r"[-_]", word))]
    import difflib  # only for a mistake's hint: not at start-up

    close = reordered or difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


_EDTF_DATE = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_partial_date(text: str) -> PartialDate:
    """One EDTF date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-SS (season 21–24)."""
    match = _EDTF_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    if month is not None and 21 <= month <= 24 and day is None:
        return PartialDate(year, season=Season(month))
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"{text!r} is not a real date: {calendar.month_name[month]} {year} has no day {day}")
    return PartialDate(year, month, day)


def parse_date(text: str) -> DateValue:
    """An EDTF date or interval, optionally approximate (`~`)."""
    value = text.strip()
    circa = value.endswith("~")
    if circa:
        value = value[:-1]
    start_text, _, end_text = value.partition("/")
    start = parse_partial_date(start_text)
    end = parse_partial_date(end_text) if end_text else None
    if end is not None and _sort_key(end) < _sort_key(start):
        raise ValueError(f"{text!r} ends before it starts")
    return DateValue(start, end, circa)


def _sort_key(date: PartialDate) -> tuple[int, int, int]:
    return (date.year, date.month or 0, date.day or 0)


class _Date(_Converter):
    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise _Invalid(path, f"expected an EDTF date such as 2019-04-29, got {_type_name(value)}")
        try:
            return parse_date(value)
        except ValueError as error:
            raise _Invalid(path, str(error)) from None

    def schema(self) -> dict[str, Any]:
        part = r"-?\d{4}(-(0[1-9]|1[0-2]|2[1-4])(-(0[1-9]|[12]\d|3[01]))?)?"
        return {"type": ["string", "integer"], "pattern": f"^{part}(/{part})?~?$"}


_DIGITS = re.compile(r"\d+")
_PAGE_SPLIT = re.compile(r"\s*(?:--|[-–—‐‑])\s*")


def parse_pages(text: str) -> PageRange:
    """‘140–154’, ‘140-154’, ‘e1234’, ‘xii–xx’; a numeric range must run forward."""
    value = text.strip()
    # Styles turn page numbers into numbers: one past what Python converts is refused here.
    if len(value) > max_number_digits():
        longest = max((len(run) for run in _DIGITS.findall(value)), default=0)
        if longest > max_number_digits():
            raise ValueError(number_too_long(longest))
    pieces = _PAGE_SPLIT.split(value)
    if len(pieces) == 1:
        return PageRange(pieces[0])
    if len(pieces) != 2 or not all(pieces):
        raise ValueError(f"{text!r} is not a page or a page range")
    first, last = pieces
    if first.isdigit() and last.isdigit() and int(last) < int(first):
        raise ValueError(f"page range {text!r} runs backwards")
    return PageRange(first, last)


class _Pages(_Converter):
    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(path, f"expected a page range such as 140–154, got {_type_name(value)}")
        try:
            return parse_pages(value)
        except ValueError as error:
            raise _Invalid(path, str(error)) from None

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "integer"], "minLength": 1}


def _check_person(person: Person, path: Path, context: _Context) -> None:
    if person.literal is None and person.family is None:
        context.report(path, "a person needs a family name, or a literal name for an organisation")
        raise _Skip
    if person.literal is not None and (person.family or person.given):
        context.report(path + ("literal",), "a literal name stands alone: leave out family and given")
        raise _Skip
    if person.given:
        honorific, _ = split_honorific(person.given)
        if honorific:
            context.report(path + ("given",), f"{honorific!r} is an honorific, not a given name: move it to 'honorific'")
            raise _Skip


_HONORIFICS = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "rev", "revd", "hon"})


def split_honorific(given: str) -> tuple[str | None, str]:
    """Split a leading title of address off a given name: ‘Dr Alexandra’ → (‘Dr’, ‘Alexandra’).

    Only a title followed by a further name counts, so a given name that is
    itself ‘Sir’ or ‘Dame’ alone is left as it is.
    """
    if " " not in given:  # one word alone is never split
        return None, given
    first, _, rest = given.strip().partition(" ")
    if rest and first.rstrip(".").lower() in _HONORIFICS:
        return first, rest.strip()
    return None, given


def _check_record(record: Record, path: Path, context: _Context) -> None:
    if record.container is not None and record.container.eissn and record.container.eissn == record.container.issn:
        context.report(path + ("container", "eissn"), "is the same as the print ISSN")
        raise _Skip


_LANGUAGE = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"

_PERSON = _Object(Person, {
    "family": _Text(),
    "given": _Text(),
    "particle": _Text(),
    "dropping_particle": _Text(),
    "suffix": _Text(),
    "honorific": _Text(),
    "literal": _Text(),
    "affiliation": _Text(),
    "orcid": _Text(check=identifiers.orcid),
    "email": _Text(pattern=r"[^@\s]+@[^@\s]+"),
    "biography": _Text(),
}, _check_person)
_CONTAINER = _Object(Container, {
    "title": _Text(),
    "short_title": _Text(),
    "issn": _Text(check=identifiers.issn),
    "eissn": _Text(check=identifiers.issn),
})
_people = _List(_PERSON)
_RECORD = _Object(Record, {
    "id": _Text(pattern=r"[^\s{}(),=\\#%~\"']+"),
    "type": _Choice(RecordType),
    "title": _Text(),
    "short_title": _Text(),
    "authors": _people,
    "editors": _people,
    "translators": _people,
    "container": _CONTAINER,
    "collection_title": _Text(),
    "collection_number": _Text(numeric=True),
    "publisher": _Text(),
    "publisher_place": _Text(),
    "event_title": _Text(),
    "event_place": _Text(),
    "genre": _Text(),
    "volume": _Text(numeric=True),
    "issue": _Text(numeric=True),
    "number": _Text(numeric=True),
    "edition": _Text(numeric=True),
    "number_of_volumes": _Text(numeric=True),
    "version": _Text(numeric=True),
    "pages": _Pages(),
    "issued": _Date(),
    "accessed": _Date(),
    "doi": _Text(check=identifiers.doi),
    "isbn": _Text(check=identifiers.isbn),
    "url": _Text(check=identifiers.url),
    "language": _Text(pattern=_LANGUAGE),
    "keywords": _List(_Text()),
    "abstract": _Text(),
    "note": _Text(),
}, _check_record)

RECORD_FIELDS: tuple[str, ...] = tuple(spec.name for spec in fields(Record))


Locate = Callable[[Path, bool], tuple[int | None, int | None]]


def parse_record(data: Any, locate: Locate, source: str, warnings: list[Problem] | None = None) -> Record:
    """Convert plain data shaped like the YAML record into a Record, or raise InvalidRecord.

    `locate` maps a field's path to its line and column in the input, so each
    problem points at the place to fix. What was understood but looks wrong is
    kept in the record and appended to `warnings`.
    """
    context = _Context()
    try:
        record = _RECORD.convert(data, (), context)
    except _Invalid as problem:
        context.report(problem.path, problem.message)
    except _Skip:
        pass
    if context.problems:
        raise InvalidRecord([_problem(path, message, at_key, locate, source) for path, message, at_key in context.problems])
    if warnings is not None:
        warnings.extend(_problem(path, message, at_key, locate, source, True) for path, message, at_key in context.warnings)
    return record


def _problem(path: Path, message: str, at_key: bool, locate: Locate, source: str, warning: bool = False) -> Problem:
    line, column = locate(path, at_key)
    return Problem(source, ".".join(str(part) for part in path), message, line, column, warning=warning)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the YAML record, derived from the model above."""
    schema = _RECORD.schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://lutnick-cli.invalid/record.schema.json",
        "title": "lutnick record",
        "description": "One scholarly work, as kept in a lutnick YAML record.",
        **schema,
    }


def record_to_data(record: Record) -> dict[str, Any]:
    """The record as plain data in the YAML record's shape: the inverse of parse_record."""
    return {name: value for name, value in _plain_fields(record)}


def _plain_fields(obj: Any) -> Iterator[tuple[str, Any]]:
    for spec in fields(obj):
        value = _plain(getattr(obj, spec.name))
        if value is None or value == [] or value == ():
            continue
        yield spec.name, value


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, DateValue):
        return value.edtf()
    if isinstance(value, PageRange):
        return value.text()
    if isinstance(value, tuple):
        return [_plain(element) for element in value]
    if hasattr(value, "__dataclass_fields__"):
        return dict(_plain_fields(value))
    return value


def plain_data(value: Any) -> Any:
    """Any typed value of the model (a person, a date, a list of them) as plain data in the YAML record's shape."""
    return _plain(value)
