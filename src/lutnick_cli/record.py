"""The typed record model, its validation, and the JSON Schema derived from it.

Every input format is turned into plain data shaped like the canonical YAML
record and passed through `parse_record`; every output format reads the typed
`Record`. So each rule about names, dates, pages and identifiers is written
once, here or in `identifiers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from lutnick_cli import identifiers
from lutnick_cli.errors import (
    InvalidRecord,
    Problem,
    frozen_value,
    max_number_digits,
    number_too_long,
    set_methods,
    slot_setters,
    value_methods,
)
from lutnick_cli.patterns import compiled_when_used

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


@frozen_value
class PartialDate:
    """A calendar date known to the year, the month, the day, or the season."""

    year: int
    month: int | None = None
    day: int | None = None
    season: Season | None = None

    def __init__(
        self, year: int, month: int | None = None, day: int | None = None, season: Season | None = None
    ) -> None:
        _set_year(self, year)
        _set_month(self, month)
        _set_day(self, day)
        _set_season(self, season)

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


_set_year, _set_month, _set_day, _set_season = slot_setters(PartialDate, "year", "month", "day", "season")


@frozen_value
class DateValue:
    """A date or a date range, possibly approximate, written in EDTF in the YAML record."""

    start: PartialDate
    end: PartialDate | None = None
    circa: bool = False

    def __init__(self, start: PartialDate, end: PartialDate | None = None, circa: bool = False) -> None:
        _set_start(self, start)
        _set_end(self, end)
        _set_circa(self, circa)

    def edtf(self) -> str:
        text = self.start.edtf()
        if self.end is not None:
            text += "/" + self.end.edtf()
        return text + ("~" if self.circa else "")


_set_start, _set_end, _set_circa = slot_setters(DateValue, "start", "end", "circa")


@frozen_value
class LiteralDate:
    """A date kept as the source wrote it (‘Spring 2019’, ‘2019-25’), because it is no EDTF date."""

    text: str

    def __init__(self, text: str) -> None:
        _set_text(self, text)

    def year(self) -> int | None:
        """The first four-digit year in the text, if it has one."""
        match = re.search(r"(?<!\d)\d{4}(?!\d)", self.text)
        return int(match.group()) if match else None


(_set_text,) = slot_setters(LiteralDate, "text")


def all_of(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The values of a field that holds one identifier or several (isbn, url, issn), as a tuple."""
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def date_year(date: DateValue | LiteralDate) -> int | None:
    """The year a date starts in, where it is known."""
    return date.start.year if isinstance(date, DateValue) else date.year()


@frozen_value
class PageRange:
    """The pages a work occupies: a first page and, for a range, a last one.

    Pages that are no range lutnick can read (‘C3-32’, ‘1-2, 5-7’) are a label
    kept whole in `first`.
    """

    first: str
    last: str | None = None

    def __init__(self, first: str, last: str | None = None) -> None:
        _set_first(self, first)
        _set_last(self, last)

    def text(self, dash: str = "–") -> str:
        return self.first if self.last is None else f"{self.first}{dash}{self.last}"


_set_first, _set_last = slot_setters(PageRange, "first", "last")


def _field_values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of these attributes of an object, as a tuple (attrgetter gives one name's bare)."""
    if len(names) == 1:
        (name,) = names
        return lambda instance: (getattr(instance, name),)
    return attrgetter(*names)


if TYPE_CHECKING:
    # Type checkers see the classes below as the dataclasses they are, __init__ included.
    from dataclasses import dataclass as _keyword_dataclass
else:

    def _keyword_dataclass(**options: Any) -> Callable[[type], type]:
        """`dataclass(**options)` for frozen classes of keyword-only fields, without slots, with one
        shared kind of __init__.

        That __init__ takes what dataclasses' own would (keywords only, each
        field's default, a TypeError for an argument unknown or missing), and
        leaves the defaults on the class: an instance's __dict__ holds the
        fields given, as `_Object` builds it. dataclasses would compile an
        __init__ of its own for each class on every start, a hundred lines for
        Record: a sixth of importing this module, in every cold command. Its
        __repr__, __eq__, __hash__, __setattr__ and __delattr__ would cost as
        much again, so these are shared too, with the same results: the fields
        compared as a tuple, in order, by a class that must be the same, and
        FrozenInstanceError for a field (or, on the class itself, any
        attribute) set or deleted.
        """

        def make(cls: type) -> type:
            model = dataclass(kw_only=True, init=False, repr=False, eq=False)(cls)
            specs = fields(model)
            names = frozenset(spec.name for spec in specs)
            compared = _field_values(tuple(spec.name for spec in specs if spec.compare))
            shown = tuple(spec.name for spec in specs if spec.repr)
            required = tuple(spec.name for spec in specs if spec.default is MISSING and spec.default_factory is MISSING)
            factories = tuple(
                (spec.name, spec.default_factory) for spec in specs if spec.default_factory is not MISSING
            )
            where = f"{model.__qualname__}.__init__()"

            def __init__(self: Any, **values: Any) -> None:
                if not names.issuperset(values):
                    unknown = next(name for name in values if name not in names)
                    raise TypeError(f"{where} got an unexpected keyword argument {unknown!r}")
                for name in required:
                    if name not in values:
                        raise TypeError(f"{where} missing 1 required keyword-only argument: {name!r}")
                for name, factory in factories:
                    if name not in values:
                        values[name] = factory()
                self.__dict__.update(values)

            def __setattr__(self: Any, name: str, value: Any) -> None:
                if type(self) is model or name in names:
                    raise FrozenInstanceError(f"cannot assign to field {name!r}")
                super(model, self).__setattr__(name, value)

            def __delattr__(self: Any, name: str) -> None:
                if type(self) is model or name in names:
                    raise FrozenInstanceError(f"cannot delete field {name!r}")
                super(model, self).__delattr__(name)

            def __reduce__(self: Any) -> tuple[Callable[..., Any], tuple[type, dict[str, Any]]]:
                # The fields given, set again as they were (see _rebuilt); copyreg's way, the default,
                # cost some 10k instructions more a person.
                return _rebuilt, (model, self.__dict__)

            set_methods(model, __init__, *value_methods(shown, compared), __setattr__, __delattr__, __reduce__)
            return model

        if options != {"frozen": True, "kw_only": True}:
            raise TypeError("only for frozen classes of keyword-only fields, without slots")
        return make


def _rebuilt(cls: type, fields: dict[str, Any]) -> Any:
    """An instance of a class made by _keyword_dataclass with these fields given, as pickling gives them."""
    instance: Any = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


# Not slotted, like Record below and for the same reason: a batch builds tens of thousands.
@_keyword_dataclass(frozen=True, kw_only=True)
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


@_keyword_dataclass(frozen=True, kw_only=True)
class Container:
    """The work a record appears in: a journal, a book, proceedings, a website."""

    title: str = field(metadata={"doc": "Title of the journal, book, proceedings or website."})
    short_title: str | None = field(default=None, metadata={"doc": "Abbreviated title (‘Anti-Traffick. Rev.’)."})
    issn: str | tuple[str, ...] | None = field(
        default=None, metadata={"doc": "Print ISSN (or a list of them), check digit verified."}
    )
    eissn: str | tuple[str, ...] | None = field(
        default=None, metadata={"doc": "Electronic ISSN (or a list of them), check digit verified."}
    )


def _text_field(doc: str, numeric: bool = False) -> Any:
    """An optional text field; `numeric` marks one CSL treats as a number (YAML may give it unquoted)."""
    return field(default=None, metadata={"doc": doc, "numeric": numeric})


def _people_field(doc: str) -> Any:
    return field(default=(), metadata={"doc": doc})


def _date_field(doc: str) -> Any:
    return field(default=None, metadata={"doc": doc})


# Not slotted, unlike the small classes above: a record's defaults stay on the class and its
# instance dictionary holds only the fields it has, which `_Object` fills directly (see there).
@_keyword_dataclass(frozen=True, kw_only=True)
class Record:
    """One scholarly work: every variable of CSL 1.0.2, and the fields CSL has no home for."""

    id: str | None = field(
        default=None, metadata={"doc": "Citation key; derived from author, year and title if absent."}
    )
    type: RecordType = field(metadata={"doc": "Kind of work, one of CSL's item types."})
    title: str | None = field(
        default=None, metadata={"doc": "Title as printed, with its own capitalisation and quotation marks."}
    )
    short_title: str | None = field(default=None, metadata={"doc": "Short form of the title."})
    authors: tuple[Person, ...] = field(default=(), metadata={"doc": "Authors, in the order printed."})
    editors: tuple[Person, ...] = field(default=(), metadata={"doc": "Editors, in the order printed."})
    translators: tuple[Person, ...] = field(default=(), metadata={"doc": "Translators, in the order printed."})
    chairs: tuple[Person, ...] = _people_field("Chairs of a session or committee.")
    collection_editors: tuple[Person, ...] = _people_field("Editors of the series.")
    compilers: tuple[Person, ...] = _people_field("Compilers of the work (of a dataset, a bibliography).")
    composers: tuple[Person, ...] = _people_field("Composers of the music.")
    container_authors: tuple[Person, ...] = _people_field("Authors of the container (of the book a chapter is in).")
    contributors: tuple[Person, ...] = _people_field("Other contributors.")
    curators: tuple[Person, ...] = _people_field("Curators of an exhibition or collection.")
    directors: tuple[Person, ...] = _people_field("Directors of a film or performance.")
    editorial_directors: tuple[Person, ...] = _people_field("Managing editors (‘Directeur de la Publication’).")
    editor_translators: tuple[Person, ...] = _people_field("People who both edited and translated the work.")
    executive_producers: tuple[Person, ...] = _people_field("Executive producers.")
    guests: tuple[Person, ...] = _people_field("Guests of a broadcast or podcast.")
    hosts: tuple[Person, ...] = _people_field("Hosts of a broadcast or podcast.")
    illustrators: tuple[Person, ...] = _people_field("Illustrators.")
    interviewers: tuple[Person, ...] = _people_field("Interviewers.")
    narrators: tuple[Person, ...] = _people_field("Narrators.")
    organizers: tuple[Person, ...] = _people_field("Organisers of an event.")
    original_authors: tuple[Person, ...] = _people_field("Authors of the original work (of what was translated).")
    performers: tuple[Person, ...] = _people_field("Performers.")
    producers: tuple[Person, ...] = _people_field("Producers.")
    recipients: tuple[Person, ...] = _people_field("Recipients of a letter or personal communication.")
    reviewed_authors: tuple[Person, ...] = _people_field("Authors of the work reviewed.")
    script_writers: tuple[Person, ...] = _people_field("Writers of a script or screenplay.")
    series_creators: tuple[Person, ...] = _people_field("Creators of a series.")
    container: Container | None = field(
        default=None, metadata={"doc": "The journal, book or site the work appears in."}
    )
    collection_title: str | None = field(default=None, metadata={"doc": "Title of the series."})
    collection_number: str | None = field(default=None, metadata={"doc": "Number within the series."})
    volume_title: str | None = _text_field("Title of the volume, in a multi-volume work.")
    volume_title_short: str | None = _text_field("Short form of the volume title.")
    part_title: str | None = _text_field("Title of the part, in a work published in parts.")
    original_title: str | None = _text_field("Title of the original work (of what was translated).")
    reviewed_title: str | None = _text_field("Title of the work reviewed, when a review has a title of its own.")
    reviewed_genre: str | None = _text_field("Kind of the work reviewed (‘film’, ‘book’).")
    publisher: str | None = field(default=None, metadata={"doc": "Publisher (of the journal, for an article)."})
    publisher_place: str | None = field(default=None, metadata={"doc": "Place of publication."})
    original_publisher: str | None = _text_field("Publisher of the original work.")
    original_publisher_place: str | None = _text_field("Place the original work was published.")
    event_title: str | None = field(default=None, metadata={"doc": "Name of the conference or event."})
    event_place: str | None = field(default=None, metadata={"doc": "Place of the conference or event."})
    genre: str | None = field(default=None, metadata={"doc": "Kind within the type (‘PhD thesis’, ‘Working paper’)."})
    medium: str | None = _text_field("Medium or format (‘CD’, ‘PDF’, ‘oil on canvas’).")
    status: str | None = _text_field("Publication status (‘in press’, ‘forthcoming’), cited in place of a date.")
    volume: str | None = field(default=None, metadata={"doc": "Volume; leave out when the venue has none."})
    issue: str | None = field(default=None, metadata={"doc": "Issue number."})
    number: str | None = field(default=None, metadata={"doc": "Report, patent or other number."})
    section: str | None = _text_field("Section of a newspaper or of a code (‘Business’, ‘§ 12’).", numeric=True)
    chapter_number: str | None = _text_field("Number of the chapter.", numeric=True)
    part_number: str | None = _text_field("Number of the part.", numeric=True)
    supplement_number: str | None = _text_field("Number of the supplement.", numeric=True)
    edition: str | None = field(default=None, metadata={"doc": "Edition (‘2’ or ‘Revised’)."})
    printing: str | None = _text_field("Printing (‘3’ for the third printing).", numeric=True)
    number_of_volumes: str | None = field(default=None, metadata={"doc": "How many volumes a multi-volume work has."})
    number_of_pages: str | None = _text_field("How many pages the work has.", numeric=True)
    version: str | None = field(default=None, metadata={"doc": "Version of software or a dataset."})
    pages: PageRange | None = field(default=None, metadata={"doc": "Page or page range, e.g. ‘140–154’."})
    issued: DateValue | LiteralDate | None = field(
        default=None,
        metadata={"doc": "Publication date in EDTF: 2019-04-29, 2019-04, 2019, 2019-21 (spring), 2019/2020, 2019~."},
    )
    original_date: DateValue | LiteralDate | None = _date_field("Date the original work was published, in EDTF.")
    event_date: DateValue | LiteralDate | None = _date_field("Date of the conference or event, in EDTF.")
    submitted: DateValue | LiteralDate | None = _date_field(
        "Date the work was submitted (for a patent: filed), in EDTF."
    )
    available_date: DateValue | LiteralDate | None = _date_field(
        "Date the work was first made available (online first), in EDTF."
    )
    accessed: DateValue | LiteralDate | None = field(
        default=None, metadata={"doc": "Date the URL was accessed, in EDTF."}
    )
    doi: str | None = field(default=None, metadata={"doc": "DOI without resolver prefix."})
    isbn: str | tuple[str, ...] | None = field(
        default=None, metadata={"doc": "ISBN-10 or ISBN-13 (or a list of them), check digit verified."}
    )
    pmid: str | None = _text_field("PubMed identifier.")
    pmcid: str | None = _text_field("PubMed Central identifier (‘PMC1234567’).")
    url: str | tuple[str, ...] | None = field(
        default=None, metadata={"doc": "URL of the work's page (or a list of them)."}
    )
    archive: str | None = _text_field("Archive, repository or database the work is kept in.")
    archive_collection: str | None = _text_field("Collection within the archive.")
    archive_location: str | None = _text_field("Place of the work within the archive (box and folder).")
    archive_place: str | None = _text_field("Place of the archive.")
    call_number: str | None = _text_field("Call number in a library.")
    source: str | None = _text_field("Database or catalogue the record came from (‘PubMed’).")
    dimensions: str | None = _text_field("Physical size or running time (‘2 h 13 min’, ‘25 × 30 cm’).")
    scale: str | None = _text_field("Scale of a map.")
    division: str | None = _text_field("Subdivision of an authority (‘Patent Office’).")
    jurisdiction: str | None = _text_field("Jurisdiction of a legal work (‘US’, ‘Federal’).")
    authority: str | None = _text_field("Court, agency or office that issued or granted the work.")
    license: str | None = _text_field("Licence under which the work may be used (‘CC BY 4.0’).")
    references: str | None = _text_field("Where the work is cited or indexed, as a legal style lists it.")
    language: str | None = field(default=None, metadata={"doc": "Language as a BCP 47 tag (‘en’, ‘pt-BR’)."})
    keywords: tuple[str, ...] = field(default=(), metadata={"doc": "Keywords as printed."})
    abstract: str | None = field(default=None, metadata={"doc": "Abstract, verbatim."})
    annote: str | None = _text_field("A reader's annotation, as in an annotated bibliography.")
    note: str | None = field(default=None, metadata={"doc": "Any other information."})
    other_fields: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "doc": "Fields with no CSL home, by the name the source gave them (BibTeX names lower-cased), as text."
        },
    )


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

    __slots__ = ("problems", "warnings", "found")

    def __init__(self) -> None:
        self.problems: list[tuple[Path, str, bool]] = []
        self.warnings: list[tuple[Path, str, bool]] = []
        self.found: list[tuple[Path, str, bool, bool]] = []  # both, in the order met, each marked whether a warning

    def report(self, path: Path, message: str, at_key: bool = False) -> None:
        """Note a problem with the value at `path`, or with its key itself (`at_key`)."""
        self.problems.append((path, message, at_key))
        self.found.append((path, message, at_key, False))

    def warn(self, path: Path, message: str, at_key: bool = False) -> None:
        """Note that the value at `path` was understood but looks wrong; the record keeps it."""
        self.warnings.append((path, message, at_key))
        self.found.append((path, message, at_key, True))


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


class _Text(_Converter):
    """Text; numbers are accepted where the value is often numeric (volume 12)."""

    def __init__(
        self,
        numeric: bool = False,
        check: Callable[[str], str] | None = None,
        pattern: str | None = None,
        keep_unreadable: bool = False,
    ):
        self.numeric = numeric
        self.check = check
        # An identifier that cannot be read as one is data that looks wrong: kept as given, with a warning.
        self.keep_unreadable = keep_unreadable
        self.pattern = pattern
        # Compiled once, when first used: re.fullmatch with a pattern string looks it up in re's cache on
        # every call.
        self._compiled = compiled_when_used(pattern) if pattern else None
        # Text with no pattern or check to meet only needs trimming and the control-character test.
        self.plain = check is None and pattern is None

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if value.__class__ is not str:  # most values are text, and need neither step
            if self.numeric and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                hint = " (put it in quotes, or YAML reads it as a number)" if isinstance(value, (int, float)) else ""
                raise _Invalid(path, f"expected text, got {_type_name(value)}{hint}")
        text = value.strip()
        if not text:
            raise _Invalid(path, "must not be empty")
        if not (text.isprintable() or _no_control_character(text)):
            raise _Invalid(path, "contains a control character")
        if self._compiled is not None and not self._compiled.fullmatch(text):
            raise _Invalid(path, f"{text!r} does not match {self.pattern}")
        if self.check is not None:
            try:
                return self.check(text)
            except identifiers.Doubtful as doubt:
                context.warn(path, str(doubt))
                return doubt.value
            except ValueError as error:
                if not self.keep_unreadable:
                    raise _Invalid(path, str(error)) from None
                context.warn(path, f"{error}; kept as given")
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
_CONTROL = compiled_when_used("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


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
        if self.item.__class__ is _Remembered:
            return self.item.convert_list(value, path, context)
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


class _Identifiers(_Converter):
    """One identifier, or several (a list, or one field holding several, which is kept as a list with a warning)."""

    def __init__(self, check: Callable[[str], str], kind: str):
        self.one = _Text(check=check)
        self.kept = _Text(check=check, keep_unreadable=True)
        self.kind = kind

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if isinstance(value, list):
            if not value:
                raise _Invalid(path, "must not be empty")
            return tuple(self.kept.convert(element, path + (index,), context) for index, element in enumerate(value))
        try:
            return self.one.convert(value, path, context)
        except _Invalid:
            pieces = identifiers.several(value, self.kind) if isinstance(value, str) else []
            if len(pieces) < 2:
                return self.kept.convert(value, path, context)
        # Several identifiers only if every piece reads as one; otherwise the field is one value kept as given.
        trial = _Context()
        try:
            found = tuple(self.one.convert(piece, path, trial) for piece in pieces)
        except _Invalid:
            return self.kept.convert(value, path, context)
        for warned_path, message, at_key in trial.warnings:
            context.warn(warned_path, message, at_key)
        context.warn(path, f"holds {len(found)} {self.kind.upper()}s; kept as a list")
        return found

    def schema(self) -> dict[str, Any]:
        one = self.one.schema()
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}


class _Key(_Text):
    """A citation key: no white space or character BibTeX gives a meaning; an apostrophe is kept with a warning.

    `=` is refused too: biber stops reading the whole file at a key holding one, and bibtexparser drops the entry.
    """

    def __init__(self) -> None:
        super().__init__(pattern=r"[^\s{}(),=\\#%~\"]+")

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if value.__class__ is str:
            # The usual key, printable text that matches, accepted as the steps below accept it.
            key = value.strip()
            if key and key.isprintable() and "'" not in key and self._compiled.fullmatch(key):  # type: ignore[union-attr]
                return key
        key = super().convert(value, path, context)
        if "'" in key:
            context.warn(
                path, f"{key!r} has an apostrophe, which some LaTeX packages take for a closing quote; kept as given"
            )
        return key


class _TextMapping(_Converter):
    """A mapping from a name to text: the fields a record keeps without a CSL home."""

    def __init__(self) -> None:
        self.text = _Text(numeric=True)

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if not isinstance(value, dict):
            raise _Invalid(path, f"expected a mapping, got {_type_name(value)}")
        converted = {}
        for key, element in value.items():
            if not isinstance(key, str) or not key.strip():
                context.report(path + (str(key),), "a field name must be text", at_key=True)
                continue
            try:
                converted[key] = self.text.convert(element, path + (key,), context)
            except _Invalid as problem:
                context.report(problem.path, problem.message)
        return converted

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.text.schema()}


class _Object(_Converter):
    """A mapping converted field by field into a dataclass, rejecting unknown keys."""

    def __init__(
        self,
        cls: type,
        converters: dict[str, _Converter],
        check: Callable[[Any, Path, _Context], None] | None = None,
        tidy: Callable[[Any], Any] | None = None,
    ):
        self.cls = cls
        self.converters = converters
        self.check = check
        # The value of the commonest shape made at once, as the steps below make it; None for any other.
        self.tidy = tidy
        # Worked out once per class, not once per value: a batch converts thousands.
        self.required = tuple(spec.name for spec in fields(cls) if _is_required(spec))
        self.plain_text = frozenset(
            name for name, converter in converters.items() if isinstance(converter, _Text) and converter.plain
        )
        # A frozen dataclass's __init__ sets every field through object.__setattr__: for a record's
        # hundred fields, three times as long as validating it. A class without slots keeps its
        # defaults as class attributes, so an instance needs only the fields given, set at once.
        self.build_directly = not hasattr(cls, "__slots__")
        self.factories = tuple(
            (spec.name, spec.default_factory) for spec in fields(cls) if spec.default_factory is not MISSING
        )

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if self.tidy is not None:
            tidy = self.tidy(value)
            if tidy is not None:
                return tidy
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
        if self.build_directly:
            for name, factory in self.factories:
                if name not in arguments:
                    arguments[name] = factory()
            result: Any = object.__new__(self.cls)
            result.__dict__.update(arguments)
        else:
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


class _Remembered(_Converter):
    """Another converter, which gives back what it made of a value it has met before.

    In a batch the same author, journal or date recurs from record to record:
    its conversion (a frozen Person, Container or DateValue, which records can
    share) is done once. Only text, or a mapping whose values are all text, is
    remembered, and only when converting it found nothing to report or warn
    of: a problem names the path it was found at, which differs from record
    to record, so a value with one is converted anew each time.
    """

    # Enough for the names and dates of a large bibliography; past it the memory starts afresh. The
    # benchmark's 100,000-entry .bib names some 18,000 people: at 8,192, two in three were converted anew.
    LIMIT = 32768

    def __init__(self, converter: _Converter):
        self.converter = converter
        self.known: dict[Any, Any] = {}

    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if value.__class__ is str:
            key: Any = value
        elif value.__class__ is dict:
            for element in value.values():
                # Text only: 1 and True are equal keys, but not equal values to convert.
                if element.__class__ is not str:
                    return self.converter.convert(value, path, context)
            key = tuple(value.items())
        else:
            return self.converter.convert(value, path, context)
        known = self.known
        result = known.get(key)
        if result is not None:
            return result
        noted = len(context.found)
        result = self.converter.convert(value, path, context)
        if len(context.found) == noted:
            if len(known) >= self.LIMIT:
                known.clear()
            known[key] = result
        return result

    def convert_list(self, values: list[Any], path: Path, context: _Context) -> tuple[Any, ...]:
        """What `_List(self).convert` gives for a list, in one loop: a batch converts tens of thousands of people,
        and most of a person's time went into the two calls per element."""
        known = self.known
        converter = self.converter
        converted = []
        for index, value in enumerate(values):
            key: Any = None
            if value.__class__ is dict:
                try:
                    key = tuple(value.items())
                    result = known.get(key)
                except TypeError:  # a value that cannot be a key (a list): converted below, and refused
                    key = result = None
                if result is not None:  # only mappings of text are remembered, and text equals no other value
                    converted.append(result)
                    continue
                for element in value.values():
                    if element.__class__ is not str:
                        key = None
                        break
            noted = len(context.found)
            try:
                result = converter.convert(value, path + (index,), context)
            except _Invalid as problem:
                context.report(problem.path, problem.message)
                continue
            except _Skip:
                continue
            if key is not None and len(context.found) == noted:
                if len(known) >= self.LIMIT:
                    known.clear()
                known[key] = result
            converted.append(result)
        return tuple(converted)

    def schema(self) -> dict[str, Any]:
        return self.converter.schema()


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
    if day is not None and month is not None:
        import calendar  # here, not at the top: only a date with a day needs it

        if not 1 <= day <= calendar.monthrange(year, month)[1]:
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


# Dates as people write them outside EDTF, each read as the EDTF it means. Compiled where first
# used (re keeps them), not at import: most records have none.
_YEAR_RANGE = r"(-?\d{4})\s*(?:--|[-–—‐‑])\s*(\d{4})"
_UNPADDED = r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?"


def _read_date(text: str) -> tuple[DateValue | LiteralDate, str | None]:
    """The date, and a note for the warning when it was not EDTF as given."""
    try:
        return parse_date(text), None
    except ValueError as error:
        problem = str(error)
    value = text.strip()
    reading = None
    if match := re.fullmatch(_YEAR_RANGE, value):
        reading = f"{match.group(1)}/{match.group(2)}"
    elif match := re.fullmatch(_UNPADDED, value):
        reading = "-".join(f"{int(part):02d}" if index else part for index, part in enumerate(match.groups()) if part)
    if reading is not None:
        try:
            return parse_date(reading), f"{text!r} is read as the EDTF date {reading}"
        except ValueError:
            pass
    return LiteralDate(value), f"{problem}; kept as given"


class _Date(_Converter):
    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, dict) and "date-parts" in value:  # from CSL-JSON, which may have only these
            raise _Invalid(path, f"date-parts {value['date-parts']!r} are no date (expected [[year, month, day]])")
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(path, f"expected an EDTF date such as 2019-04-29, got {_type_name(value)}")
        date, note = _read_date(value)
        if note is not None:
            context.warn(path, note)
        return date

    def schema(self) -> dict[str, Any]:
        # Any text: a date that is no EDTF is kept as given, with a warning.
        return {"type": ["string", "integer"], "minLength": 1}


_PAGE_SPLIT = compiled_when_used(r"\s*(?:--|[-–—‐‑])\s*")


def parse_pages(text: str) -> tuple[PageRange, str | None]:
    """‘140–154’, ‘140-154’, ‘e1234’, ‘xii–xx’, and a note for the warning when they were read otherwise.

    An abbreviated range (‘377--86’) is read in full (377–386), as the style
    manuals read it. Pages that make no range (‘C3-32’, ‘1-2, 5-7’, a range
    running backwards) are kept whole, as a label.
    """
    value = text.strip()
    # Styles turn page numbers into numbers: one past what Python converts is refused here.
    if len(value) > max_number_digits():
        longest = max((len(run) for run in re.findall(r"\d+", value)), default=0)
        if longest > max_number_digits():
            raise ValueError(number_too_long(longest))
    # A .bib file's `--` is read as an en dash: the usual ranges are 140-154 and 140–154.
    first, dash, last = value.partition("-") if "-" in value else value.partition("–")
    # isdecimal, not isdigit: ‘²’ is a digit that int() refuses; ‘١٤٠’ is a decimal number it reads.
    if dash and first.isdecimal() and last.isdecimal():
        # The usual range: the two pieces the split below would give, found without it.
        pieces = [first, last]
    else:
        pieces = _PAGE_SPLIT.split(value)
    if len(pieces) == 1:
        return PageRange(pieces[0]), None
    if len(pieces) == 2 and pieces[0] and pieces[1]:
        first, last = pieces
        if first.isdecimal() and last.isdecimal():
            if int(last) >= int(first):
                return PageRange(first, last), None
            whole = first[: len(first) - len(last)] + last
            if len(last) < len(first) and int(whole) > int(first):
                return PageRange(first, whole), f"{text!r} is read as {first}–{whole}"
            return PageRange(value), f"page range {text!r} runs backwards; kept as given"
        if _page_shape(first) == _page_shape(last):
            return PageRange(first, last), None
    return PageRange(value), f"{text!r} is not a page range lutnick can read; kept as a label"


# The least `max_number_digits` can be: Python allows no limit below 640 digits but none at all.
_FEWEST_MAX_DIGITS = 640


def _page_range(first: str, last: str | None) -> PageRange:
    """`PageRange(first, last)`, made without a call to its __init__."""
    pages = _new_object(PageRange)
    _set_first(pages, first)
    _set_last(pages, last)
    return pages


_new_object = object.__new__


def _page_shape(page: str) -> str:
    """A page with its digits left out (‘S12’ → ‘S’, ‘xii’ → ‘’): the two ends of a range share it."""
    return page.rstrip("0123456789") if page[-1:].isdigit() else ("" if page.isalpha() else page)


class _Pages(_Converter):
    def convert(self, value: Any, path: Path, context: _Context) -> Any:
        if value.__class__ is str and len(value) <= _FEWEST_MAX_DIGITS:
            # The usual pages, one page or a rising range of numbers (140, 140-154, 140–154), read as
            # parse_pages reads them, without its steps for the rest: text this short is no number too
            # long to read, and ends of digits alone have no space to trim.
            first, dash, last = value.partition("-") if "-" in value else value.partition("–")
            if first.isdecimal():
                if not dash:
                    return _page_range(first, None)
                if last.isdecimal() and int(last) >= int(first):
                    return _page_range(first, last)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(path, f"expected a page range such as 140–154, got {_type_name(value)}")
        try:
            pages, note = parse_pages(value)
        except ValueError as error:  # a number past what Python converts
            raise _Invalid(path, str(error)) from None
        if note is not None:
            context.warn(path, note)
        return pages

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "integer"], "minLength": 1}


def _check_person(person: Person, path: Path, context: _Context) -> None:
    if person.literal is None and person.family is None:
        if person == _NO_ONE:
            # An empty name (`{}`, as some generated CSL-JSON has) holds nothing to keep: the record is kept
            # without it, and the warning names where it stood.
            context.warn(path, "an empty name, with nothing in it; left out")
            raise _Skip
        context.report(path, "a person needs a family name, or a literal name for an organisation")
        raise _Skip
    if person.literal is not None and (person.family or person.given):
        context.report(path + ("literal",), "a literal name stands alone: leave out family and given")
        raise _Skip
    if person.given:
        honorific, _ = split_honorific(person.given)
        if honorific:
            context.report(
                path + ("given",), f"{honorific!r} is an honorific, not a given name: move it to 'honorific'"
            )
            raise _Skip


_NO_ONE = Person()


def tidy_person(name: Any) -> Person | None:
    """The person parse_record makes of the commonest name, a family name and then a one-word given
    name, each plain text (trimmed, as validation trims it), made at once; None for any other name.
    A given name of several words may open with an honorific, which validation refuses there; and
    validation keeps a person's parts in the order given, so a name giving its given name first goes
    the general way."""
    if name.__class__ is not dict or len(name) != 2 or next(iter(name)) != "family":
        return None
    family = name.get("family")
    given = name.get("given")
    if family.__class__ is not str or given.__class__ is not str or " " in given:
        return None
    family = family.strip()
    given = given.strip()
    if family and given and family.isprintable() and given.isprintable():
        person = _new_object(Person)
        person.__dict__.update(family=family, given=given)
        return person
    return None


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
    if record.title is None:
        context.warn(path + ("title",), "the record has no title")
    if record.container is not None and record.container.eissn and record.container.eissn == record.container.issn:
        context.report(path + ("container", "eissn"), "is the same as the print ISSN")
        raise _Skip


_LANGUAGE = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"

_PERSON = _Object(
    Person,
    {
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
    },
    _check_person,
    tidy_person,
)
_CONTAINER = _Object(
    Container,
    {
        "title": _Text(),
        "short_title": _Text(),
        "issn": _Identifiers(identifiers.issn, "issn"),
        "eissn": _Identifiers(identifiers.issn, "issn"),
    },
)
_people = _List(_Remembered(_PERSON))
# Fields with a rule of their own; every other field's converter follows from its type below.
_SPECIAL_FIELDS: dict[str, _Converter] = {
    "id": _Key(),
    "type": _Choice(RecordType),
    "container": _Remembered(_CONTAINER),
    "collection_number": _Text(numeric=True),
    "volume": _Text(numeric=True),
    "issue": _Text(numeric=True),
    "number": _Text(numeric=True),
    "edition": _Text(numeric=True),
    "number_of_volumes": _Text(numeric=True),
    "version": _Text(numeric=True),
    "pages": _Pages(),
    "doi": _Text(check=identifiers.doi, keep_unreadable=True),
    "isbn": _Identifiers(identifiers.isbn, "isbn"),
    "url": _Identifiers(identifiers.url, "url"),
    "language": _Text(pattern=_LANGUAGE),
    "keywords": _List(_Text()),
    "other_fields": _TextMapping(),
}


# How the model spells the type of a date field, for telling date fields by their type.
DATE_TYPE = "DateValue | LiteralDate | None"


def _converter_for(spec: Any) -> _Converter:
    if spec.name in _SPECIAL_FIELDS:
        return _SPECIAL_FIELDS[spec.name]
    if spec.type == "tuple[Person, ...]":
        return _people
    if spec.type == DATE_TYPE:
        return _Remembered(_Date())
    return _Text(numeric=spec.metadata.get("numeric", False))


_RECORD = _Object(Record, {spec.name: _converter_for(spec) for spec in fields(Record)}, _check_record)

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
        # The warnings too, in the order met, so that one pass over a refused record shows all there is to fix.
        raise InvalidRecord(
            [
                _problem(path, message, at_key, locate, source, warning)
                for path, message, at_key, warning in context.found
            ]
        )
    if warnings is not None and context.warnings:
        warnings.extend(
            _problem(path, message, at_key, locate, source, True) for path, message, at_key in context.warnings
        )
    return record


# --- Records a reader builds itself ------------------------------------------
#
# A reader whose common records have a simple shape (CSL-JSON's items: text, names, a date) may build
# them here, a field at a time, without the data in the YAML record's shape that parse_record reads.
# Each piece does what parse_record does for that field and gives up, with Unquiet, wherever
# parse_record would report or warn of anything: the reader then takes the general path for the whole
# record, which says what it found at the right place.


class Unquiet(Exception):
    """parse_record would report or warn of something in this value: read the record the general way."""


# The fields parse_record takes as plain text (trimmed, not empty, no control character), and those
# among them that also take a whole number, as its digits.
PLAIN_TEXT_FIELDS: frozenset[str] = _RECORD.plain_text
NUMERIC_TEXT_FIELDS: frozenset[str] = frozenset(
    name for name in PLAIN_TEXT_FIELDS if getattr(_RECORD.converters[name], "numeric", False)
)


def quiet_converter(name: str) -> Callable[[Any], Any]:
    """The field `name`'s value as parse_record converts it, or Unquiet where it would report or warn.

    People are converted one at a time: `quiet_converter("authors")` takes one person's data.
    """
    converter = _RECORD.converters[name]
    if isinstance(converter, _List) and isinstance(converter.item, _Remembered):
        converter = converter.item  # the same memory of people parse_record uses
    path = (name,)
    # One context for every call: it stays empty but where a value is found unquiet, and is emptied then.
    context = _Context()

    def convert(value: Any) -> Any:
        try:
            result = converter.convert(value, path, context)
        except (_Invalid, _Skip):
            _clear(context)
            raise Unquiet from None
        if context.found:
            _clear(context)
            raise Unquiet
        return result

    return convert


def _clear(context: _Context) -> None:
    context.problems.clear()
    context.warnings.clear()
    context.found.clear()


_REQUIRED_FIELDS = _RECORD.required
_FACTORIES = _RECORD.factories


def assemble_record(values: dict[str, Any]) -> Record:
    """The Record parse_record makes of data whose fields, in this order, convert to `values`
    (each value as `quiet_converter` or the plain-text rule gives it; fields left out are absent
    or null); Unquiet where parse_record would report or warn of the record as a whole."""
    for name in _REQUIRED_FIELDS:
        if name not in values:
            raise Unquiet
    for name, factory in _FACTORIES:
        if name not in values:
            values[name] = factory()
    record: Any = object.__new__(Record)
    record.__dict__.update(values)
    # _check_record's two findings: no title (a warning), an e-ISSN given as the print ISSN.
    container = record.container
    if record.title is None or (container is not None and container.eissn and container.eissn == container.issn):
        raise Unquiet
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
        if value is None or value == [] or value == () or value == {}:
            continue
        yield spec.name, value


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, DateValue):
        return value.edtf()
    if isinstance(value, LiteralDate):
        return value.text
    if isinstance(value, PageRange):
        return value.text()
    if isinstance(value, tuple):
        return [_plain(element) for element in value]
    if isinstance(value, dict):
        return dict(value)
    if hasattr(value, "__dataclass_fields__"):
        return dict(_plain_fields(value))
    return value


def plain_data(value: Any) -> Any:
    """Any typed value of the model (a person, a date, a list of them) as plain data in the YAML record's shape."""
    return _plain(value)
