"""Each export format names exactly what it leaves out of a record, and the export command warns of it.

Every field, set alone on a record of every type, is either written (its value
is in the output) or named by the format's `unplaced_fields`, never both and
never neither. `lutnick export` names what is left out in one warning per
record, and with --strict refuses the record.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import pytest

from conftest import REPO
from lutnick_cli.formats import exporter
from lutnick_cli.record import Container, DateValue, LiteralDate, PageRange, PartialDate, Person, Record, RecordType, Season

FORMATS = ("ris", "endnote", "mods", "dc", "cff", "jsonld", "hayagriva")
AUTHOR = Person(family="Basefamily", given="Bea")
BASE: dict[str, Any] = {"title": "Basetitle", "authors": (AUTHOR,)}


class Probe(NamedTuple):
    """A record's fields beyond the base, the name the format gives them if left out, and texts of which
    one is in the output if they are written."""

    values: dict[str, Any]
    name: str
    texts: tuple[str, ...]


def _sample(spec: dataclasses.Field, index: int) -> Probe | None:
    """A value for one record field that no other part of the output can hold."""
    name = spec.name
    if name in ("type", "other_fields"):
        return None
    if spec.type == "tuple[Person, ...]":
        family = f"Qx{name.replace('_', '')}"
        people = (Person(family=family, given="Ann"),)
        # The author of the base record stands aside when authors are probed, as CFF needs one author.
        return Probe({name: people} if name != "authors" else {"authors": people}, name, (family,))
    if spec.type.startswith("DateValue"):
        year = 1700 + index
        return Probe({name: DateValue(PartialDate(year, 3, 4))}, name, (str(year),))
    special = {
        "pages": ("7771", PageRange("7771", "7779")),
        "container": ("Qxcontainer", Container(title="Qxcontainer")),
        "keywords": ("Qxkeyword", ("Qxkeyword",)),
        "language": ("tlh", "tlh"),
        "url": ("https://example.org/qxurl", "https://example.org/qxurl"),
        "doi": ("10.9999/qxdoi", "10.9999/qxdoi"),
        "id": ("qxid", "qxid"),
    }
    text, value = special.get(name, (f"Qx{name.replace('_', '')}", f"Qx{name.replace('_', '')}"))
    return Probe({name: value}, name, (text,))


def probes() -> list[Probe]:
    """One probe for every record field, and for the parts of a field a format may write in part."""
    found = [probe for index, spec in enumerate(dataclasses.fields(Record)) if (probe := _sample(spec, index))]
    for part in ("short_title", "issn", "eissn"):
        value = f"Qx{part.replace('_', '')}"
        container = Container(title="Qxcontainer", **{part: value})
        found.append(Probe({"container": container}, f"container.{part}", (value,)))
    for part in ("honorific", "affiliation", "orcid", "email", "biography"):
        value = {"orcid": "0000-0002-1825-0097", "email": "qx@example.org"}.get(part, f"Qx{part}")
        for who in (Person(family="Basefamily", given="Bea", **{part: value}), Person(literal="Qxorg", **{part: value})):
            found.append(Probe({"authors": (who,)}, f"person {part}", (value,)))
    found += [
        Probe({"other_fields": {"qxname": "Qxothervalue"}}, "other_fields.qxname", ("Qxothervalue",)),
        Probe({"isbn": ("Qxisbnone", "Qxisbntwo")}, "isbn (all but the first)", ("Qxisbntwo",)),
        Probe({"url": ("https://a.org/qxone", "https://a.org/qxtwo")}, "url (all but the first)", ("qxtwo",)),
        Probe({"language": "tlh-Latn"}, "language", ("tlh-Latn",)),
    ]
    container = Container(title="Qxcontainer", issn=("1234-5679", "2049-3630"), eissn=("0000-0019", "1476-4687"))
    found += [
        Probe({"container": container}, "container.issn (all but the first)", ("2049-3630",)),
        Probe({"container": container}, "container.eissn (all but the first)", ("1476-4687",)),
    ]
    for name in ("issued", "accessed"):
        found += [
            Probe({name: DateValue(PartialDate(1901), PartialDate(1905))}, name, ("1905",)),
            Probe({name: DateValue(PartialDate(1902, season=Season.SUMMER))}, name, ("Summer", "1902-22")),
            Probe({name: DateValue(PartialDate(1903), circa=True)}, name, ("1903~", "~1903")),
            Probe({name: LiteralDate("Qxliteral 1904")}, name, ("Qxliteral",)),
        ]
    return found


def _named(names: list[str], probe: Probe) -> bool:
    """Whether the probe's field is named, whole or in part: `isbn (all but the first)` is part of `isbn`,
    `container.issn` of `container`."""
    field = probe.name.partition(" (")[0]
    wholes = {field, field.partition(".")[0]}
    return any(name.partition(" (")[0] in wholes for name in names)


@pytest.mark.parametrize("target", FORMATS)
def test_every_field_is_written_or_named_and_never_both(target):
    module = exporter(target)
    wrong = []
    for kind in RecordType:
        for probe in probes():
            record = Record(type=kind, **{**BASE, **probe.values})
            output = "".join(module.export([record]))
            written = any(text in output for text in probe.texts)
            named = _named(module.unplaced_fields(record), probe)
            if written == named:
                wrong.append(f"{kind.value} {probe.name}: {'written and named' if written else 'neither'}")
    assert wrong == []


@pytest.mark.parametrize("target", FORMATS)
def test_a_record_of_the_base_fields_alone_loses_nothing(target):
    module = exporter(target)
    assert [module.unplaced_fields(Record(type=kind, id="k", **BASE)) for kind in RecordType] == [[]] * len(RecordType)


# --- what the export command says -----------------------------------------------------------------------

KEPT = """\
id: kept
type: book
title: Kept
authors:
  - family: Doe
    given: Jane
accessed: 2021-05-06
other_fields:
  timestamp: 2020-01-02
"""
# What each format leaves out of KEPT: MODS has an access date only on a URL, DC and schema.org none;
# Hayagriva has a date of access only on a URL too, and writes an other field as a key Typst ignores.
KEPT_LEFT_OUT = {
    "ris": "other_fields.timestamp",
    "endnote": "other_fields.timestamp",
    "mods": "accessed, other_fields.timestamp",
    "dc": "accessed, other_fields.timestamp",
    "cff": "other_fields.timestamp",
    "jsonld": "accessed, other_fields.timestamp",
    "hayagriva": "accessed",
}


@pytest.mark.parametrize("target", KEPT_LEFT_OUT)
def test_export_warns_of_what_it_leaves_out_and_writes_the_rest(run, target):
    result = run("export", "--to", target, "-", input=KEPT)
    assert result.exit_code == 0
    assert "Kept" in result.stdout
    assert result.stderr == (
        f"<stdin>:1: warning: [kept] {target} has no field for {KEPT_LEFT_OUT[target]}; left out of the export\n"
        "lutnick: 1 warning; 1 record processed\n"
    )


@pytest.mark.parametrize("target", [target for target in KEPT_LEFT_OUT if target != "cff"])
def test_strict_refuses_a_record_the_format_cannot_hold_whole(run, tmp_path, target):
    output = tmp_path / "out"
    result = run("export", "--to", target, "--strict", "-o", str(output), "-", input=KEPT)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"<stdin>:1: [kept] {target} has no field for {KEPT_LEFT_OUT[target]}; left out of the export\n"
        f"lutnick: 1 error; 0 records processed; nothing was written to {output}\n"
    )
    assert not output.exists()


def test_strict_leaves_a_citation_file_nothing_to_describe(run, tmp_path):
    output = tmp_path / "CITATION.cff"
    result = run("export", "--to", "cff", "--strict", "-o", str(output), "-", input=KEPT)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "<stdin>:1: [kept] cff has no field for other_fields.timestamp; left out of the export\n"
        "lutnick: CITATION.cff describes one work; there is no record to export\n"
    )
    assert not output.exists()


# The embedded record's author has an honorific, an affiliation and a biography.
EMBEDDED_LEFT_OUT = {
    "ris": "person honorific, person affiliation, person biography",
    "endnote": "person honorific, person affiliation, person biography",
    "mods": "person honorific",
    "dc": "person honorific, person affiliation, person biography",
    "cff": "person honorific, person biography",
    "bibtex": "person honorific, person affiliation, person biography",
    # biblatex's article has no publisher.
    "biblatex": "publisher, person honorific, person affiliation, person biography",
}


@pytest.mark.parametrize("target", [*EMBEDDED_LEFT_OUT, "jsonld"])
def test_the_embedded_record(run, target):
    result = run("export", "--to", target)
    assert result.exit_code == 0
    expected = ""
    if target in EMBEDDED_LEFT_OUT:
        expected = (
            f"embedded record:5: warning: [lutnick2019] {target} has no field for {EMBEDDED_LEFT_OUT[target]}; "
            "left out of the export\n"
            "lutnick: 1 warning; 1 record processed\n"
        )
    assert result.stderr == expected


DOUBTFUL = "tests/doubtful/kept-as-given.yaml"
# What each format leaves out of the two doubtful records, beside the warnings of reading them
# (tests/test_kept_as_given.py); CFF takes one record at a time.
DOUBTFUL_LEFT_OUT = {
    "ris": [
        "5: warning: [o'brien1982] ris has no field for status, original_date, pmid, "
        "issued (a range: only its start is written), other_fields.groups, other_fields.timestamp",
    ],
    "endnote": [
        "5: warning: [o'brien1982] endnote has no field for status, original_date, pmid, "
        "issued (a range: only its start is written), other_fields.groups, other_fields.timestamp",
    ],
    "mods": ["5: warning: [o'brien1982] mods has no field for status, other_fields.groups, other_fields.timestamp"],
    "dc": [
        "5: warning: [o'brien1982] dc has no field for status, original_date, accessed, pmid, "
        "other_fields.groups, other_fields.timestamp",
        "24: warning: [untitled] dc has no field for section",
    ],
    "jsonld": [
        "5: warning: [o'brien1982] jsonld has no field for accessed, other_fields.groups, other_fields.timestamp",
        "24: warning: [untitled] jsonld has no field for section",
    ],
}


@pytest.mark.parametrize("target", DOUBTFUL_LEFT_OUT)
def test_the_doubtful_records(run, monkeypatch, target):
    monkeypatch.chdir(REPO)
    result = run("export", "--to", target, DOUBTFUL)
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if " has no field for " in line] == [
        f"{DOUBTFUL}:{line}; left out of the export" for line in DOUBTFUL_LEFT_OUT[target]
    ]
    assert result.stderr.splitlines()[-1] == f"lutnick: {14 + len(DOUBTFUL_LEFT_OUT[target])} warnings; 2 records processed"


def test_citation_file_of_a_doubtful_record(run, monkeypatch):
    monkeypatch.chdir(REPO)
    first = (REPO / DOUBTFUL).read_text(encoding="utf-8").split("\n---\n")[0]
    result = run("export", "--to", "cff", "-", input=first)
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if " has no field for " in line] == [
        "<stdin>:5: warning: [o'brien1982] cff has no field for status, original_date, accessed, "
        "issued (a range: only its start is written), other_fields.groups, other_fields.timestamp; "
        "left out of the export"
    ]
