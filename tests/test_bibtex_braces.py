"""Hostile text in BibTeX and biblatex output, read back by the real consumers.

BibTeX and biber count every brace of a field value, an escaped one too, so a
brace without a partner in a record's text must never reach them as a brace:
it would end the field early, and what follows could be read as more fields or
as an entry of its own. For each hostile text here, bibtex (through a style
that prints its fields as they are), biber (through a biblatex document),
pybtex, bibtexparser and lutnick's own reader must each find exactly the
entries written, every field whole, and the text read back must be the
record's. bibtex and biber run once over a fixed list; pybtex, bibtexparser
and lutnick's reader also over generated text.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import require_programs
from lutnick_cli import latex
from lutnick_cli.formats import bib_reader, biblatex, bibtex
from lutnick_cli.latex_text import to_rich_text
from lutnick_cli.record import Container, DateValue, PartialDate, Person, Record, RecordType
from strategies import text

HOSTILE = [
    "x}",
    "{x",
    "}{",
    "}}}",
    "{{{",
    "a {balanced} pair",
    "Closing} , note = {injected}",
    "x} , title = {pwned}}\n@book{injected, title = {Injected}}",
    "} @comment{ gone",
    '@preamble{"\\input{/etc/passwd}"}',
    "a backslash at the end \\",
    "\\",
    "\\}",
    "\\{",
    "100% sure # of items",
    '"quoted}" , and, commas',
    "~^_$& and \\textbraceleft{} written out",
    "line one}\n\nline two{",
    "and } and { and",
    "Über {Ärger}} in Köln",
]
# Keys a record may pin that BibTeX readers disagree least about; `=` is refused by the model.
KEYS = ["DBLP:journals/corr/abs-1106-5271", "a@b", "x;y<z>!", "schlüssel"]


def _record(index: int, title: str) -> Record:
    return Record(
        id=KEYS[index] if index < len(KEYS) else f"hostile{index}",
        type=RecordType.ARTICLE_JOURNAL,
        title=title,
        authors=(Person(family=f"Doe{index}", given="Jane"),),
        container=Container(title="Journal " + title),
        issued=DateValue(PartialDate(2020)),
        note=title,
    )


RECORDS = [_record(index, title) for index, title in enumerate(HOSTILE)]
FORMATS = {"bibtex": bibtex, "biblatex": biblatex}


def _written(record: Record) -> dict[str, str]:
    """The values the exports write for the record's title, note and journal, without their outer braces."""
    journal = latex.escape_field(record.container.title)
    return {"title": latex.protect_capitals(record.title), "note": latex.escape_field(record.note),
            "journal": journal, "journaltitle": journal}


def _spaced(value: str) -> str:
    # bibtex and biber turn each run of white space in a value into one space: ASCII white space
    # only, so a no-break space stays.
    return re.sub(r"[ \t\n\r]+", " ", value).strip(" ")


def _pybtex_spaced(value: str) -> str:
    # pybtex folds any Unicode white space, a no-break space included.
    return " ".join(value.split())


def _check_fields(found: dict[str, dict[str, str]], module, records, normalise=lambda value: value) -> None:
    """`found` (key → field → value as a consumer read it) holds exactly the records' entries and fields as written."""
    assert list(found) == [record.id for record in records]
    for record in records:
        written = _written(record)
        for name in ("title", "note", "journal" if module is bibtex else "journaltitle"):
            assert normalise(found[record.id][name]) == normalise(written[name]), (record.id, name)


# --- our writer's rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("a {b} c", r"a \{b\} c"),
        ("x}", r"x\textbraceright{}"),
        ("{x", r"\textbraceleft{}x"),
        ("}{", r"\textbraceright{}\textbraceleft{}"),
        ("{{x}", r"\textbraceleft{}\{x\}"),
        ("\\}", r"\textbackslash{}\textbraceright{}"),
    ],
)
def test_a_brace_without_a_partner_is_written_as_a_command(value, expected):
    assert latex.escape_field(value) == expected
    assert latex.lone_braces(latex.escape_field(value)) == frozenset()


def test_protected_capitals_pair_braces_across_the_whole_title():
    # The pair spans a protected word, so it is escaped in pieces: the pairing is the title's.
    assert latex.protect_capitals("a {NASA} b}") == r"a \{{NASA}\} b\textbraceright{}"


def test_latex_citation_output_keeps_its_own_escaping():
    # In LaTeX itself \{ and \} never group, so citation text keeps them whatever their partners.
    assert latex.escape("x}") == r"x\}"


@pytest.mark.parametrize(
    "person, written",
    [
        (Person(family="Doe", given="A, B"), "Doe, {A, B}"),
        (Person(family="Doe", given="Tom AND Jerry"), "Doe, Tom {AND} Jerry"),
        (Person(family="Doe", given="Jo", suffix="Jr, III"), "Doe, {Jr, III}, Jo"),
        (Person(family="Smi}th", given="{Jo"), r"Smi\textbraceright{}th, \textbraceleft{}Jo"),
        (Person(literal="{Org"), r"{\textbraceleft{}Org}"),
    ],
)
def test_a_name_part_never_splits_the_name_or_the_list(person, written):
    assert bibtex.names([person]) == written
    (entry,) = [item[0] for item in bib_reader.read(bibtex.entry(Record(id="k", type=RecordType.BOOK, title="T",
                                                                    authors=(person,))), "x.bib")]
    assert entry["authors"] == [{key: value for key, value in (
        ("literal", person.literal), ("family", person.family), ("given", person.given), ("suffix", person.suffix)
    ) if value}]


@pytest.mark.parametrize(
    "doi, written",
    [("10.1234/a{b}c", "10.1234/a{b}c"), ("10.1234/a}b{c", "10.1234/a%7Db%7Bc"), ("10.1234/a\\{b", "10.1234/a%5C%7Bb")],
)
def test_a_verbatim_field_keeps_paired_braces_and_encodes_the_rest(doi, written):
    assert bibtex.verbatim_safe(doi) == written


# --- our reader, pybtex and bibtexparser, over hostile and generated text ---------------------------


def _ours(module, records) -> None:
    text = "".join(module.export(records))
    read = [item[0] for item in bib_reader.read(text, "refs.bib")]
    assert [data["id"] for data in read] == [record.id for record in records]
    for data, record in zip(read, records):
        found = tuple(_unprotected(data[field]) for field in ("title", "note")) + (data["container"]["title"],)
        assert found == (_spaced(record.title), _spaced(record.note), _spaced(record.container.title))


def _unprotected(value: str) -> str:
    """The reader turns a brace group into <span class="nocase">; the writer braces capitalised title words."""
    return re.sub(r'<span class="nocase">([^<]*)</span>', r"\1", value)


def _pybtex(module, records) -> None:
    from pybtex.database import parse_string

    text = "".join(module.export(records))
    library = parse_string(text, "bibtex")
    assert library.preamble == ""
    found = {key: {name.lower(): value for name, value in entry.fields.items()} for key, entry in library.entries.items()}
    # pybtex, like bibtex, turns each run of white space into one space.
    _check_fields(found, module, records, _pybtex_spaced)
    for record in records:
        assert _pybtex_spaced(to_rich_text(found[record.id]["title"])) == _pybtex_spaced(record.title)


def _bibtexparser(module, records) -> None:
    import bibtexparser

    text = "".join(module.export(records))
    library = bibtexparser.parse_string(text)
    # Entries only: no @comment, @preamble or @string block, and none that failed.
    assert len(library.blocks) == len(library.entries)
    found = {entry.key: {field.key: field.value for field in entry.fields} for entry in library.entries}
    _check_fields(found, module, records)


@pytest.mark.parametrize("module", FORMATS.values(), ids=FORMATS.keys())
@pytest.mark.parametrize("reader", [_ours, _pybtex, _bibtexparser], ids=["lutnick", "pybtex", "bibtexparser"])
def test_readers_find_each_hostile_entry_whole(module, reader):
    if reader is _pybtex:
        pytest.importorskip("pybtex")
    reader(module, RECORDS)


@pytest.mark.parametrize("module", FORMATS.values(), ids=FORMATS.keys())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(text | st.text("{}\\@%#\",= \n", min_size=1).map(str.strip).filter(bool), min_size=1, max_size=3))
def test_readers_find_generated_text_whole(module, titles):
    pytest.importorskip("pybtex")
    records = [_record(len(KEYS) + index, title) for index, title in enumerate(titles)]
    for reader in (_ours, _pybtex, _bibtexparser):
        reader(module, records)


# --- bibtex and biber ---------------------------------------------------------------------------

# A style that writes each entry's key and fields exactly as bibtex read them, one per line.
_FIELDS_STYLE = """\
ENTRY { title journal note } {} {}
FUNCTION {show} {
  "@@@@" cite$ * write$ newline$
  "@@@title=" title * write$ newline$
  "@@@journal=" journal * write$ newline$
  "@@@note=" note * write$ newline$
}
FUNCTION {article} { show }
READ
ITERATE {call.type$}
"""


def _run(command: list[str], folder) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


@pytest.mark.consumers
def test_bibtex_reads_every_hostile_entry_whole(tmp_path):
    require_programs("bibtex")
    (tmp_path / "refs.bib").write_text("".join(bibtex.export(RECORDS)), encoding="utf-8")
    (tmp_path / "fields.bst").write_text(_FIELDS_STYLE, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{fields}\n\\bibdata{refs}\n", encoding="utf-8")
    result = _run(["bibtex", "doc"], tmp_path)
    assert result.returncode == 0, result.stdout
    # bibtex breaks a line longer than 79 characters at a space: a line that starts with no @@@ goes on the one before.
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    found: dict[str, dict[str, str]] = {}
    for line in re.split(r"\n(?=@@@)", bbl.strip()):
        line = line.replace("\n", " ")
        if line.startswith("@@@@"):
            key = line[4:]
            found[key] = {}
        else:
            name, _, value = line[3:].partition("=")
            found[key][name] = value
    _check_fields(found, bibtex, RECORDS, _spaced)


def _bbl_field(entry: str, name: str) -> str:
    """A field's value in biber's .bbl, up to its closing brace as TeX counts braces."""
    start = entry.index(f"\\field{{{name}}}{{") + len(f"\\field{{{name}}}{{")
    depth, position = 1, start
    while depth:
        char = entry[position]
        if char == "\\":
            position += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        position += 1
    return entry[start:position - 1]


@pytest.mark.consumers
def test_biber_reads_every_hostile_entry_whole_and_latex_typesets_it(tmp_path):
    require_programs("pdflatex", "biber")
    (tmp_path / "refs.bib").write_text("".join(biblatex.export(RECORDS)), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber,sorting=none]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    latex_run = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert _run(latex_run, tmp_path).returncode == 0
    result = _run(["biber", "doc"], tmp_path)
    assert result.returncode == 0, result.stdout
    assert "WARN" not in result.stdout and "ERROR" not in result.stdout, result.stdout
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    entries = re.findall(r"\\entry\{(.*?)\}\{article\}\{\}(.*?)\\endentry", bbl, re.DOTALL)
    found = {key: {name: _bbl_field(body, name) for name in ("title", "note", "journaltitle")} for key, body in entries}
    _check_fields(found, biblatex, RECORDS, _spaced)
    typeset = _run(latex_run, tmp_path)
    assert typeset.returncode == 0, typeset.stdout[-2000:]
