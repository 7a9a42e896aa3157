"""The BibTeX and biblatex exports name exactly what does not come back.

Every record field (and part of one), set alone on a record of every type, is
written and read back by lutnick's .bib reader, or named by the format's
`unplaced_fields`: never both, never neither. This holds the writers, their
tables of what they place, and biblatex's fields by entry type together: a
field one writes and the other forgets fails here. `lutnick export` names
what is left out in one warning per record, and with --strict refuses it.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from lutnick_cli.formats import exporter
from lutnick_cli.load import load_bytes
from lutnick_cli.record import (
    Container,
    DateValue,
    LiteralDate,
    PageRange,
    PartialDate,
    Person,
    Record,
    RecordType,
    record_to_data,
)
from test_unplaced_fields import BASE, Probe, _named, probes

FORMATS = ("bibtex", "biblatex")

# Besides the probes of every format: languages babel names in part, other fields with the name of a field
# the entry writes, and dates kept as given.
BIB_PROBES = [
    Probe({"language": "en-AU"}, "language", ("en-AU",)),
    Probe({"language": "nb"}, "language", ('"nb"',)),
    Probe({"language": "de-AT"}, "language", ("de-AT",)),
    Probe({"other_fields": {"title": "Qxothertitle"}}, "other_fields.title", ("Qxothertitle",)),
    Probe({"other_fields": {"Qx Name": "Qxspaced"}}, "other_fields.Qx Name", ("Qxspaced",)),
    *(
        Probe({name: LiteralDate(f"Qxliteral{name}")}, name, (f"Qxliteral{name}",))
        for name in ("original_date", "event_date", "submitted")
    ),
    Probe({"issue": "Spring"}, "issue", ("Spring",)),
    Probe({"issue": "7771", "number": "Qxnumber"}, "number", ("Qxnumber",)),
    Probe({"number": "7772", "collection_number": "Qxcollectionnumber"}, "collection_number", ("Qxcollectionnumber",)),
    Probe({"container": Container(title="Qxcontainer", eissn="0000-0019")}, "container.eissn", ("0000-0019",)),
]

# What the .bib reader loses of what BibTeX writes: it takes a print and an electronic ISSN from
# `issn`, and no more. When the reader keeps them, this fails, and the entry goes.
READER_LOSES = {("bibtex", "container.eissn (all but the first)")}


def _named_here(names: list[str], probe: Probe) -> bool:
    """Whether the probe is named: as `_named` has it, or with the list its person is in (when the entry
    type has no place for the list), or as the container's title."""
    fields = {name.partition(" (")[0] for name in names}
    if probe.name.startswith("person ") and "authors" in fields:
        return True
    return _named(names, probe) or (probe.name == "container" and "container.title" in fields)


def _read_back(target: str, record: Record) -> str:
    """The record written and read again, as JSON text to look for the probe's values in."""
    text = "".join(exporter(target).export([record]))
    (loaded,) = load_bytes(text.encode("utf-8"), "round trip", "bibtex")
    return json.dumps(record_to_data(loaded.record), ensure_ascii=False)


@pytest.mark.parametrize("target", FORMATS)
def test_every_field_comes_back_or_is_named_and_never_both(target):
    module = exporter(target)
    wrong = []
    lost_on_reading = set()
    for kind in RecordType:
        for probe in probes() + BIB_PROBES:
            record = Record(type=kind, **{"id": "qxkey", **BASE, **probe.values})
            back = _read_back(target, record)
            kept = any(text in back for text in probe.texts)
            named = _named_here(module.unplaced_fields(record), probe)
            if (target, probe.name) in READER_LOSES and not kept and not named:
                lost_on_reading.add((target, probe.name))
            elif kept == named:
                wrong.append(f"{kind.value} {probe.name}: {'kept and named' if kept else 'neither'}")
    assert wrong == []
    assert lost_on_reading == {loss for loss in READER_LOSES if loss[0] == target}


_FIELDS = {spec.name for spec in dataclasses.fields(Record)}


def _every_field() -> tuple[dict, list[Probe]]:
    """Values for every field of a record, and the probes of them: each field's own value, the parts
    of the container and of a person, each a text no other value holds."""
    held = []
    for probe in probes():
        if probe.name in _FIELDS and probe.name not in {held_probe.name for held_probe in held}:
            (value,) = probe.values.values()
            # A text that is the whole value is looked for as the whole of a value: `Qxnumber` is the start
            # of `Qxnumberofpages`.
            held.append(probe._replace(texts=(json.dumps(value),)) if probe.texts == (value,) else probe)
    values = {name: value for probe in held for name, value in probe.values.items()}
    container = {"short_title": "Qxjournalabbrev", "issn": "1234-5679", "eissn": "2049-3630"}
    values["container"] = Container(title="Qxcontainer", **container)
    held += [Probe({}, f"container.{part}", (value,)) for part, value in container.items()]
    parts = {part: f"Qxperson{part}" for part in ("honorific", "affiliation", "biography")}
    parts.update(orcid="0000-0002-1825-0097", email="qx@example.org")
    values["authors"] = (Person(family="Qxauthors", given="Ann", **parts),)
    held += [Probe({}, f"person {part}", (value,)) for part, value in parts.items()]
    return values, held


@pytest.mark.parametrize("target", FORMATS)
def test_a_record_with_every_field_loses_what_is_named(target):
    """Every field at once, where the entry has one place for two fields (an issue and a number): each
    value that does not come back is named, and each named does not come back."""
    module = exporter(target)
    values, held = _every_field()
    wrong = []
    for kind in RecordType:
        record = Record(type=kind, **values)
        back = _read_back(target, record)
        named = module.unplaced_fields(record)
        for probe in held:
            kept = any(text in back for text in probe.texts)
            if kept == _named_here(named, probe):
                wrong.append(f"{kind.value} {probe.name}: {'kept and named' if kept else 'neither'}")
    assert wrong == []


@pytest.mark.parametrize("target", FORMATS)
def test_a_record_of_the_usual_fields_loses_nothing(target):
    container = Container(title="Journal", short_title="J.", issn="1234-5679")
    author = Person(family="Berg", given="Jo", particle="van den", suffix="Jr.")
    for kind in (RecordType.ARTICLE_JOURNAL, RecordType.BOOK, RecordType.CHAPTER, RecordType.REPORT):
        record = Record(
            type=kind,
            id="k",
            title="T",
            authors=(author,),
            **({"editors": (Person(literal="Board"),)} if kind is not RecordType.REPORT else {}),
            issued=DateValue(PartialDate(2001, 2)),
            doi="10.1/x",
            url="https://example.org/",
            pages=PageRange("1", "9"),
            language="en-GB",
            **({"container": container, "volume": "3", "issue": "2"} if kind is RecordType.ARTICLE_JOURNAL else {}),
            **({"publisher": "Press", "publisher_place": "Oslo"} if kind is not RecordType.ARTICLE_JOURNAL else {}),
        )
        assert exporter(target).unplaced_fields(record) == [], kind


# --- what the export command says -----------------------------------------------------------------------

BOOK = """\
id: doe2001
type: book
title: A Book
short_title: Book
authors:
  - family: Doe
    given: Jane
composers:
  - family: Roe
    given: Rick
archive: State Archive
call_number: QA76
medium: Print
original_title: Ein Buch
number_of_pages: "320"
publisher: Press
issued: 2001
"""
# biblatex's article has no publisher, nor a place of publication.
ARTICLE = """\
id: roe2020
type: article-journal
title: An Article
authors:
  - family: Roe
    given: Rick
container:
  title: Journal
  issn: 1234-5679
publisher: Society
publisher_place: Oslo
issued: 2020
"""
LEFT_OUT = {
    ("bibtex", "doe2001"): "composers, medium, archive, call_number",
    ("biblatex", "doe2001"): "composers, medium, archive, call_number",
    ("biblatex", "roe2020"): "publisher, publisher_place",
}


@pytest.mark.parametrize("target", FORMATS)
@pytest.mark.parametrize("source", [BOOK, ARTICLE], ids=["book", "article"])
def test_export_warns_of_what_it_leaves_out_and_writes_the_rest(run, target, source):
    key = source.split("\n")[0].removeprefix("id: ")
    result = run("export", "--to", target, "-", input=source)
    assert result.exit_code == 0
    assert result.stdout.startswith("@book{doe2001," if key == "doe2001" else "@article{roe2020,")
    expected = ""
    if (target, key) in LEFT_OUT:
        expected = (
            f"<stdin>:1: warning: [{key}] {target} has no field for {LEFT_OUT[target, key]}; left out of the export\n"
            "lutnick: 1 warning; 1 record processed\n"
        )
    assert result.stderr == expected


@pytest.mark.parametrize("target", FORMATS)
def test_strict_refuses_a_record_the_format_cannot_hold_whole(run, tmp_path, target):
    output = tmp_path / "out.bib"
    result = run("export", "--to", target, "--strict", "-o", str(output), "-", input=BOOK)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"<stdin>:1: [doe2001] {target} has no field for {LEFT_OUT[target, 'doe2001']}; left out of the export\n"
        f"lutnick: 1 error; 0 records processed; nothing was written to {output}\n"
    )
    assert not output.exists()


def test_strict_writes_a_record_bibtex_holds_whole(run, tmp_path):
    output = tmp_path / "out.bib"
    result = run("export", "--to", "bibtex", "--strict", "-o", str(output), "-", input=ARTICLE)
    assert (result.exit_code, result.stderr) == (0, f"wrote 1 record to {output}\n")
    assert "publisher = {Society}" in output.read_text(encoding="utf-8")
