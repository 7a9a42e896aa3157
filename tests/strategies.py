"""Hypothesis strategies for generated records: every field, awkward characters included."""

from __future__ import annotations

from hypothesis import strategies as st

from lutnick_cli.record import Container, DateValue, PageRange, PartialDate, Person, Record, RecordType, Season

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
    return Record(
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
