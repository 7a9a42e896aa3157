"""Hypothesis strategies for generated records: every field, awkward characters included."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import strategies as st

from lutnick_cli.citation.csl import OWN_CUSTOM_KEYS
from lutnick_cli.record import DATE_TYPE, Container, DateValue, PageRange, PartialDate, Person, Record, RecordType, Season

# Printable text without the control characters and noncharacters records refuse,
# and without leading or trailing white space, which validation strips.
_alphabet = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
    blacklist_characters="\ufeff",
)
text = st.text(_alphabet, min_size=1, max_size=40).map(str.strip).filter(bool)
word = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=12)
number = st.integers(min_value=1, max_value=9999).map(str)


@st.composite
def partial_dates(draw) -> PartialDate:
    year = draw(st.integers(min_value=1000, max_value=2100))
    kind = draw(st.sampled_from(["year", "month", "day", "season"]))
    if kind == "year":
        return PartialDate(year)
    if kind == "season":
        return PartialDate(year, season=draw(st.sampled_from(list(Season))))
    month = draw(st.integers(min_value=1, max_value=12))
    if kind == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(min_value=1, max_value=28)))


@st.composite
def date_values(draw) -> DateValue:
    start = draw(partial_dates())
    if draw(st.booleans()):
        return DateValue(start, circa=draw(st.booleans()))
    end = PartialDate(start.year + draw(st.integers(min_value=1, max_value=5)))
    return DateValue(PartialDate(start.year), end)


@st.composite
def people(draw) -> Person:
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        return Person(literal=draw(text))
    given = draw(st.none() | word)
    return Person(
        family=draw(word),
        given=given,
        particle=draw(st.none() | st.sampled_from(["van", "de", "van der", "da"])),
        suffix=draw(st.none() | st.sampled_from(["Jr.", "III"])),
        honorific=draw(st.none() | st.sampled_from(["Dr", "Prof."])) if given else None,
        affiliation=draw(st.none() | text),
        orcid=draw(st.none() | st.just("0000-0002-1825-0097")),
        biography=draw(st.none() | text),
    )


@st.composite
def page_ranges(draw) -> PageRange:
    first = draw(st.integers(min_value=1, max_value=5000))
    if draw(st.booleans()):
        return PageRange(str(first))
    return PageRange(str(first), str(first + draw(st.integers(min_value=0, max_value=300))))


# Fields `records` draws with values of their own; the others are drawn by their type.
_DRAWN_BELOW = frozenset({
    "id", "type", "title", "short_title", "authors", "editors", "translators", "container", "publisher",
    "publisher_place", "volume", "issue", "edition", "pages", "issued", "accessed", "doi", "isbn", "url",
    "language", "keywords", "abstract", "note", "other_fields",
})  # fmt: skip
_WIDENED = [spec for spec in fields(Record) if spec.name not in _DRAWN_BELOW]
# The names lutnick's CSL `custom` object uses for its own facts are not free for other fields.
_other_field_name = st.from_regex(r"[a-z][a-z-]{1,10}", fullmatch=True).filter(lambda name: name not in OWN_CUSTOM_KEYS)
keyword = text.filter(lambda value: "," not in value)  # CSL-JSON keeps keywords comma-separated


@st.composite
def records(draw) -> Record:
    container = draw(
        st.none()
        | st.builds(
            Container,
            title=text,
            short_title=st.none() | text,
            issn=st.none() | st.sampled_from(["2286-7511", "0028-0836"]),
            eissn=st.none() | st.just("2287-0113"),
        )
    )
    widened = {}  # a few of the fields of every other CSL variable
    for spec in draw(st.lists(st.sampled_from(_WIDENED), max_size=6, unique=True)):
        if spec.type == "tuple[Person, ...]":
            widened[spec.name] = tuple(draw(st.lists(people(), max_size=1)))
        elif spec.type == DATE_TYPE:
            widened[spec.name] = draw(st.none() | date_values())
        elif spec.type == "str | None":
            widened[spec.name] = draw(st.none() | text)
    return Record(
        **widened,
        other_fields=draw(st.dictionaries(_other_field_name, text, max_size=2)),
        id=draw(st.none() | st.from_regex(r"[a-z][a-z0-9]{2,12}", fullmatch=True)),
        type=draw(st.sampled_from(list(RecordType))),
        title=draw(text),
        short_title=draw(st.none() | text),
        authors=tuple(draw(st.lists(people(), max_size=4))),
        editors=tuple(draw(st.lists(people(), max_size=2))),
        translators=tuple(draw(st.lists(people(), max_size=1))),
        container=container,
        publisher=draw(st.none() | text),
        publisher_place=draw(st.none() | text),
        volume=draw(st.none() | number),
        issue=draw(st.none() | number),
        edition=draw(st.none() | number),
        pages=draw(st.none() | page_ranges()),
        issued=draw(st.none() | date_values()),
        accessed=draw(st.none() | date_values()),
        doi=draw(st.none() | st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.]{1,12}", fullmatch=True)),
        isbn=draw(st.none() | st.just("0-201-13447-0")),
        url=draw(st.none() | st.just("https://example.org/a?b=1")),
        language=draw(st.none() | st.sampled_from(["en", "de", "pt-BR"])),
        keywords=tuple(draw(st.lists(keyword, max_size=4))),
        abstract=draw(st.none() | text),
        note=draw(st.none() | text),
    )


# --- CSL-JSON items with every variable -------------------------------------

# CSL variables a record keeps with a rule of its own, each given a value it accepts.
_IDENTIFIERS = {
    "DOI": st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.]{1,12}", fullmatch=True),
    "ISBN": st.sampled_from(["0-201-13447-0", "978-3-16-148410-0"]),
    "URL": st.sampled_from(["https://example.org/a?b=1", "http://example.com/"]),
    "language": st.sampled_from(["en", "de", "pt-BR"]),
}


@st.composite
def csl_names(draw) -> dict[str, str]:
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return {"literal": draw(text)}
    name = {"family": draw(word)}
    if draw(st.booleans()):
        name["given"] = draw(word)
    if draw(st.booleans()):
        name["non-dropping-particle"] = draw(st.sampled_from(["van", "de", "van der"]))
    return name


@st.composite
def csl_dates(draw) -> dict[str, object]:
    date = draw(date_values())
    parts = [date.start.parts()] + ([date.end.parts()] if date.end else [])
    value: dict[str, object] = {"date-parts": parts}
    if date.start.season is not None:
        value["season"] = list(Season).index(date.start.season) + 1
    if date.circa:
        value["circa"] = True
    return value


@st.composite
def csl_items(draw, roles, dates, texts) -> dict[str, object]:
    """A CSL-JSON item as lutnick writes one, with any of the given name, date and text variables."""
    item: dict[str, object] = {
        "id": draw(st.from_regex(r"[a-z][a-z0-9]{2,12}", fullmatch=True)),
        "type": draw(st.sampled_from(list(RecordType))).value,
    }
    for role in roles:
        if draw(st.booleans()):
            item[role] = draw(st.lists(csl_names(), min_size=1, max_size=3))
    for variable in texts:
        if variable == "title" or draw(st.booleans()):
            item[variable] = draw(_IDENTIFIERS.get(variable, text))
    if draw(st.booleans()):
        item["container-title"] = draw(text)
        if draw(st.booleans()):
            item["container-title-short"] = draw(text)
    if draw(st.booleans()):
        item["page"] = draw(page_ranges()).text("-")
    for variable in dates:
        if draw(st.booleans()):
            item[variable] = draw(csl_dates())
    if draw(st.booleans()):
        item["keyword"] = ", ".join(draw(st.lists(keyword, min_size=1, max_size=3)))
    if draw(st.booleans()):
        item["custom"] = {"zotero-key": draw(text)}
    return item
