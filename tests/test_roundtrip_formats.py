"""Property tests: generated records survive export and import; the loaders never fail but cleanly.

* Formats with an importer (CSL-JSON, BibTeX, biblatex, RIS): export → import
  gives the same record, for every field the format carries.
* Formats without one (CSL YAML, MODS, Dublin Core, CITATION.cff, JSON-LD,
  EndNote): the output is read by a real parser (PyYAML, lxml, json, and the
  tagged-line structure) and its fields compared.
* Every loader is fed arbitrary bytes, and valid files with a slice cut out or
  garbage put in: the only outcomes allowed are records or InvalidRecord.

Example counts are modest so the suite stays fast; CI runs them each time.
"""

from __future__ import annotations

import json
import re
import string

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lutnick_cli.errors import InvalidRecord
from lutnick_cli.formats import IMPORT_FORMATS, exporter
from lutnick_cli.load import load_bytes
from lutnick_cli.record import Record, parse_record, record_to_data

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words from letters, digits, the characters every format escapes differently, and some non-ASCII.
_LETTERS = string.ascii_letters + string.digits + "éøŁßçñÅ漢字Ωж"
_SPECIALS = "{}\\%$#&_~^\"'<>[]@*-.:;!?/()+=|`"
_word = st.text(alphabet=_LETTERS + _SPECIALS, min_size=1, max_size=8).filter(lambda word: word.strip() == word)
# LaTeX reads runs of spaces as one, so text is words joined by single spaces.
_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_name = st.text(alphabet=string.ascii_letters + "éøŁßÅ'-", min_size=1, max_size=10).filter(
    lambda name: name[0].isupper() and name[-1].isalpha()
)
_HONORIFICS = {"dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "rev", "revd", "hon"}


def _issn(digits: list[int]) -> str:
    total = sum(digit * weight for digit, weight in zip(digits, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    text = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return f"{text[:4]}-{text[4:]}"


def _isbn(digits: list[int]) -> str:
    body = [9, 7, 8, *digits]
    check = (10 - sum(digit * (3 if index % 2 else 1) for index, digit in enumerate(body)) % 10) % 10
    return "".join(map(str, body)) + str(check)


@st.composite
def people(draw, particles=True):
    if draw(st.integers(0, 9)) == 0:
        return {"literal": " ".join(draw(st.lists(_name, min_size=1, max_size=3)))}
    person = {"family": draw(_name)}
    given = draw(st.none() | st.lists(_name, min_size=1, max_size=2).map(" ".join))
    if given and given.split(" ")[0].rstrip(".").lower() not in _HONORIFICS:
        person["given"] = given
    if particles and draw(st.booleans()):
        person["particle"] = draw(st.sampled_from(["van", "van den", "de", "de la", "von", "di"]))
    if draw(st.integers(0, 5)) == 0:
        person["suffix"] = draw(st.sampled_from(["Jr.", "Sr.", "III"]))
    return person


@st.composite
def dates(draw, seasons=True, ranges=True):
    year = draw(st.integers(1500, 2100))
    kind = draw(st.sampled_from(["year", "month", "day", "season", "range", "circa"]))
    if kind == "season" and seasons:
        return f"{year}-{draw(st.integers(21, 24))}"
    if kind == "range" and ranges:
        return f"{year}/{year + draw(st.integers(1, 5))}"
    if kind == "circa" and ranges:
        return f"{year}~"
    if kind == "year":
        return str(year)
    month = draw(st.integers(1, 12))
    if kind == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{draw(st.integers(1, 28)):02d}"


@st.composite
def records(draw, *, kinds=("article-journal", "book", "chapter", "report", "paper-conference"),
            seasons=True, ranges=True, particles=True, languages=None):
    kind = draw(st.sampled_from(kinds))
    data = {
        "id": draw(st.text(alphabet=string.ascii_lowercase + string.digits + "-:", min_size=1, max_size=12)),
        "type": kind,
        "title": draw(_text),
        "authors": draw(st.lists(people(particles), min_size=1, max_size=4)),
    }
    if kind in ("chapter", "paper-conference") and draw(st.booleans()):
        data["editors"] = draw(st.lists(people(particles), min_size=1, max_size=2))
    if kind in ("article-journal", "chapter", "paper-conference"):
        container = {"title": draw(_text)}
        if kind == "article-journal":
            issns = draw(st.lists(st.lists(st.integers(0, 9), min_size=7, max_size=7).map(_issn), max_size=2, unique=True))
            container.update(zip(("issn", "eissn"), issns))
        data["container"] = container
    if kind == "article-journal":
        data["volume"] = draw(st.none() | st.integers(1, 999).map(str))
        data["issue"] = draw(st.none() | st.integers(1, 99).map(str))
    if kind == "report":
        data["number"] = draw(st.none() | st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=6))
    first = draw(st.integers(1, 5000))
    data["pages"] = draw(st.none() | st.just(f"{first}-{first + draw(st.integers(0, 50))}") | st.just(f"e{first}"))
    data["issued"] = draw(dates(seasons, ranges))
    data["doi"] = draw(st.none() | st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9._;()/-]{1,12}", fullmatch=True))
    data["url"] = draw(st.none() | st.from_regex(r"https://[a-z]{1,8}\.org/[a-zA-Z0-9/_.~?=&-]{0,16}", fullmatch=True))
    if kind in ("book", "chapter", "report"):
        data["isbn"] = draw(st.none() | st.lists(st.integers(0, 9), min_size=9, max_size=9).map(_isbn))
    data["keywords"] = draw(st.lists(_text.map(lambda text: text.replace(",", "")).filter(lambda text: text.strip() == text and text),
                                     max_size=3, unique=True))
    data["abstract"] = draw(st.none() | _text)
    data["publisher"] = draw(st.none() | _text)
    data["publisher_place"] = draw(st.none() | _text)
    data["language"] = draw(st.none() | st.sampled_from(languages or ["en", "de", "fr", "en-GB", "pt-BR", "nl"]))
    data["note"] = draw(st.none() | _text)
    data = {key: value for key, value in data.items() if value not in (None, [])}
    try:
        return parse_record(data, lambda path, at_key=False: (None, None), "generated")
    except InvalidRecord as error:  # a generated value the model rightly refuses, such as e-ISSN = ISSN
        from hypothesis import assume

        assume(False)
        raise AssertionError from error


def _round_trip(target: str, source: str, record: Record) -> Record:
    text = "".join(exporter(target).export([record]))
    (loaded,) = list(load_bytes(text.encode("utf-8"), "round trip", source))
    return loaded.record


def record_to_data_person(person) -> dict:
    return {key: getattr(person, key) for key in ("family", "given", "particle", "suffix", "literal") if getattr(person, key)}


def _carried(record: Record, fields: tuple[str, ...]) -> dict:
    data = record_to_data(record)
    result = {field: data.get(field) for field in fields}
    for role in ("authors", "editors", "translators"):
        if role in fields:
            result[role] = [record_to_data_person(person) for person in getattr(record, role)]
    return result


@PROPERTY
@given(records())
def test_csl_json_round_trip_is_lossless(record):
    assert _round_trip("csl-json", "csl-json", record) == record


BIBTEX_FIELDS = ("id", "type", "title", "authors", "editors", "container", "volume", "issue", "number", "pages",
                 "issued", "doi", "url", "isbn", "keywords", "abstract", "publisher", "publisher_place", "language", "note")


def _unprotected(data: dict) -> dict:
    """The data without the case protection a BibTeX export adds: it braces every capitalised word of a
    title (so bibtex styles keep it), and the braces are read back as <span class="nocase">."""
    return json.loads(re.sub(r'<span class=\\"nocase\\">([^<]*)</span>', r"\1", json.dumps(data, ensure_ascii=False)))


@PROPERTY
@given(records())
def test_bibtex_round_trip_keeps_every_field_bibtex_holds(record):
    back = _round_trip("bibtex", "bibtex", record)
    assert _unprotected(_carried(back, BIBTEX_FIELDS)) == _carried(record, BIBTEX_FIELDS)


@PROPERTY
@given(records(kinds=("article-journal", "book", "chapter")))
def test_biblatex_round_trip_keeps_every_field_biblatex_holds(record):
    # biblatex's article has no publisher or location field (see formats/biblatex.py).
    article = record.type.value == "article-journal"
    fields = tuple(field for field in BIBTEX_FIELDS if not (article and field in ("publisher", "publisher_place")))
    assert _unprotected(_carried(_round_trip("biblatex", "bibtex", record), fields)) == _carried(record, fields)


RIS_FIELDS = ("id", "type", "title", "authors", "editors", "container", "volume", "issue", "number", "pages",
              "issued", "doi", "url", "isbn", "keywords", "abstract", "publisher", "publisher_place", "language", "note")


@PROPERTY
@given(records(ranges=False))
def test_ris_round_trip_keeps_every_field_ris_holds(record):
    # RIS has no date ranges or `~` (PY and DA hold one date), hence ranges=False.
    assert _carried(_round_trip("ris", "ris", record), RIS_FIELDS) == _carried(record, RIS_FIELDS)


# --- formats read back by a real parser -----------------------------------------------------------


def _markdown_unescaped(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@PROPERTY
@given(records())
def test_outputs_without_an_importer_hold_the_fields_for_their_parsers(record):
    from lxml import etree

    authors = [person.literal or person.family for person in record.authors]
    # CSL YAML: PyYAML reads the YAML, and pandoc's Markdown reading undoes the backslashes.
    (item,) = yaml.safe_load("".join(exporter("csl-yaml").export([record])))["references"]
    assert _markdown_unescaped(item["title"]) == record.title
    assert [_markdown_unescaped(name.get("literal") or name["family"]) for name in item["author"]] == authors
    # MODS and Dublin Core: lxml.
    mods = etree.fromstring("".join(exporter("mods").export([record])).encode("utf-8"))
    namespace = {"m": "http://www.loc.gov/mods/v3"}
    assert mods.xpath("m:mods/m:titleInfo/m:title/text()", namespaces=namespace) == [record.title]
    if record.abstract:
        assert mods.xpath("m:mods/m:abstract/text()", namespaces=namespace) == [record.abstract]
    assert mods.xpath("m:mods/m:subject/m:topic/text()", namespaces=namespace) == list(record.keywords)
    dc = etree.fromstring("".join(exporter("dc").export([record])).encode("utf-8"))
    assert dc.xpath("//*[local-name()='title']/text()") == [record.title]
    # CITATION.cff: PyYAML.
    cff = yaml.safe_load("".join(exporter("cff").export([record])))
    assert cff["preferred-citation"]["title"] == record.title
    assert cff["preferred-citation"].get("doi") == record.doi
    # JSON-LD: json.
    node = json.loads("".join(exporter("jsonld").export([record])))
    assert node["name"] == record.title
    assert node.get("keywords", []) == list(record.keywords)
    # EndNote: one tag per line, one record.
    lines = "".join(exporter("endnote").export([record])).rstrip("\n").split("\n")
    assert all(re.fullmatch(r"%[0-9A-Z@!#$&()*+<=>?\[\\\]^~] .+", line) for line in lines)
    assert [line[3:] for line in lines if line.startswith("%T ")] == [record.title]


# --- fuzzing the loaders --------------------------------------------------------------------------------

FORMATS = ("yaml", *IMPORT_FORMATS)
# The deadline catches a loader that hangs or blows up on some input; it is generous so a busy machine never trips it.
FUZZ = settings(max_examples=150, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])


def _load_cleanly(data: bytes, input_format: str) -> None:
    try:
        for item in load_bytes(data, "fuzz", input_format):
            assert isinstance(item.record, Record)
    except InvalidRecord as error:
        assert error.problems and all(str(problem).startswith("fuzz") for problem in error.problems)


@FUZZ
@given(st.sampled_from(FORMATS), st.binary(max_size=400))
def test_arbitrary_bytes_load_or_fail_cleanly(input_format, data):
    _load_cleanly(data, input_format)


@FUZZ
@given(st.sampled_from(["bibtex", "biblatex", "ris", "csl-json", "yaml"]), records(), st.data())
def test_damaged_files_load_or_fail_cleanly(target, record, data):
    """A valid export with a slice replaced by arbitrary text: the shapes a real file breaks in."""
    if target == "yaml":
        text = yaml.safe_dump(record_to_data(record), allow_unicode=True)
        source = "yaml"
    else:
        text = "".join(exporter(target).export([record]))
        source = "bibtex" if target == "biblatex" else target
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    damaged = text[:start] + data.draw(st.text(max_size=20)) + text[end:]
    _load_cleanly(damaged.encode("utf-8", "surrogatepass"), source)


_CSL_KEYS = ["id", "type", "title", "author", "editor", "issued", "accessed", "container-title", "ISSN", "page",
             "keyword", "custom", "family", "given", "literal", "date-parts", "season", "circa", "raw", "issue", "DOI"]
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["article-journal", "book", "2019-04-29", "2287-0113"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(_CSL_KEYS), children, max_size=6),
    max_leaves=25,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(_CSL_KEYS), _json_values, max_size=10))
@example({"author": [None], "custom": {"author": True}})  # custom facts not a list: crashed with a TypeError
def test_csl_json_items_of_any_shape_load_or_fail_cleanly(item):
    """CSL-JSON that is valid JSON but any shape of item: wrong types, nested where text belongs."""
    _load_cleanly(json.dumps([item]).encode("utf-8"), "csl-json")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_pandoc_reads_generated_csl_yaml_exactly_as_the_csl_json(record):
    """pandoc parses CSL YAML strings as Markdown; the escaping must give back every character."""
    import subprocess

    import pytest

    pypandoc = pytest.importorskip("pypandoc")
    result = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "csljson"],
                            input="".join(exporter("csl-yaml").export([record])), capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    (item,) = json.loads(result.stdout)
    (expected,) = json.loads("".join(exporter("csl-json").export([record])))
    for key in ("title", "container-title", "publisher", "publisher-place", "abstract", "note", "DOI", "URL", "keyword"):
        assert item.get(key) == expected.get(key), key
    assert [name.get("family") or name.get("literal") for name in item["author"]] == [
        name.get("family") or name.get("literal") for name in expected["author"]]


_RECORD_KEYS = ["id", "type", "title", "authors", "editors", "container", "issn", "eissn", "family", "given", "literal",
                "honorific", "orcid", "issued", "accessed", "pages", "doi", "isbn", "url", "keywords", "language", "issue"]
_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["book", "article-journal", "2019-04-29", "2287-0113", "Dr Jane"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(_RECORD_KEYS) | st.integers(0, 3), children, max_size=6),
    max_leaves=25,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(_RECORD_KEYS), _yaml_values, max_size=10))
def test_yaml_records_of_any_shape_load_or_fail_cleanly(data):
    """YAML that parses, but with any shape: wrong types, numbers as keys, nesting where text belongs."""
    _load_cleanly(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "yaml")


@PROPERTY
@given(st.text(alphabet="-`'?!<>,. aé’\n\t", max_size=30))
def test_the_fast_path_decodes_plain_text_as_pylatexenc_does(text):
    """Text with no macro or group is decoded without pylatexenc's parser, with the same result."""
    from pylatexenc.latex2text import LatexNodes2Text

    from lutnick_cli.latex_text import to_rich_text

    assert to_rich_text(text) == LatexNodes2Text(strict_latex_spaces=True).latex_to_text(text).strip()


# The fields the BibTeX export writes under biblatex's names, which bibtex ignores: read back exactly.
BIBLATEX_NAMED = ("short_title", "number_of_volumes", "part_number", "number_of_pages", "original_title",
                  "original_publisher", "original_publisher_place")


@PROPERTY
@given(st.sampled_from(["article-journal", "book", "chapter", "report", "thesis"]), st.data())
def test_bibtex_round_trip_keeps_the_fields_it_writes_under_biblatex_names(kind, data):
    values = {name: data.draw(_text, label=name) for name in BIBLATEX_NAMED}
    container = {"title": data.draw(_text), "short_title": data.draw(_text)}
    record = parse_record({"id": "k", "type": kind, "title": "T", **values, "container": container},
                          lambda path, at_key=False: (None, None), "generated")
    fields = (*BIBLATEX_NAMED, "container")
    assert _unprotected(_carried(_round_trip("bibtex", "bibtex", record), fields)) == _carried(record, fields)
