"""Every record type, with every field filled, through the validating consumers.

One record per CSL item type carries all the facts a record can hold, so each
type's mapping (entry type, CFF type, MODS genre, DCMI type) and each field
that type allows are checked by the program that knows the format:
biber --validate-datamodel against biblatex's standard data model, the MODS
and Dublin Core XSDs, and cffconvert. (biblatex-apa adds a data model and
source maps of its own, which turn @inproceedings into @inbook and want an
author for @collection; the test records in test_consumers_latex.py are
checked against it.)
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import require_programs, shared
from lutnick_cli.formats import exporter
from lutnick_cli.record import Record, RecordType, parse_record

pytestmark = pytest.mark.consumers


# The fields beyond the common ones, each person with every part: what a format writes of them
# must be valid too (tests/test_unplaced_fields.py checks each is written or named).
_EVERY_OTHER_FIELD = {
    **{field: [{"family": field.title().replace("_", ""), "given": "A", "honorific": "Dr", "affiliation": "Univ",
                "orcid": "0000-0002-1825-0097", "email": "a@example.org", "biography": "Life."}]
       for field in ("chairs", "collection_editors", "compilers", "composers", "container_authors", "contributors",
                     "curators", "directors", "editorial_directors", "editor_translators", "executive_producers",
                     "guests", "hosts", "illustrators", "interviewers", "narrators", "organizers", "original_authors",
                     "performers", "producers", "recipients", "reviewed_authors", "script_writers", "series_creators")},
    **{field: field.replace("_", " ").capitalize()
       for field in ("volume_title", "volume_title_short", "part_title", "original_title", "reviewed_title",
                     "reviewed_genre", "original_publisher", "original_publisher_place", "medium", "status", "section",
                     "archive", "archive_collection", "archive_location", "archive_place", "call_number", "source",
                     "dimensions", "division", "jurisdiction", "authority", "references", "annote")},
    "chapter_number": "3", "part_number": "2", "supplement_number": "1", "printing": "3", "number_of_pages": "340",
    "original_date": "1850", "event_date": "2019-06-01", "submitted": "2019-01-01", "available_date": "2019-02-01",
    "pmid": "12345678", "pmcid": "PMC1234567", "scale": "1:50000", "license": "CC-BY-4.0",
    "other_fields": {"timestamp": "2020-01-02", "C5": "15368318"},
}


def _full_record(kind: RecordType, every_field: bool = False) -> Record:
    data = {
        "id": "r-" + kind.value.replace("_", "-"), "type": kind.value, "title": f"A {kind.value} title",
        "short_title": "Short", "authors": [{"family": "Smith", "given": "Jane", "suffix": "Jr."}],
        "editors": [{"family": "Berg", "particle": "van den", "given": "Ann"}],
        "translators": [{"literal": "Translation Office"}],
        "container": {"title": "Host Title", "short_title": "Host", "issn": "2286-7511", "eissn": "2287-0113"},
        "collection_title": "Series", "collection_number": "7", "publisher": "Pub", "publisher_place": "Place",
        "event_title": "Conference", "event_place": "City", "genre": "Genre", "volume": "3", "issue": "4",
        "number": "N-5", "edition": "2", "number_of_volumes": "2", "version": "1.0", "pages": "1-10",
        "issued": "2020-05-06", "accessed": "2021-01-01", "doi": "10.1234/abc", "isbn": "0262531143",
        "url": "https://example.org/x", "language": "en", "keywords": ["k1", "k2"], "abstract": "Abstract.",
        "note": "Note",
    }
    if every_field:
        data.update(_EVERY_OTHER_FIELD)
    return parse_record(data, lambda path, at_key=False: (None, None), "test")


RECORDS = [_full_record(kind) for kind in RecordType]
# Every type with every field, for the consumers of formats that write what the others leave out.
WHOLE_RECORDS = [_full_record(kind, every_field=True) for kind in RecordType]


def test_biber_finds_every_type_valid_against_the_biblatex_data_model(tmp_path):
    require_programs("pdflatex", "biber")
    (tmp_path / "refs.bib").write_text("".join(exporter("biblatex").export(RECORDS)), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n", encoding="utf-8")
    latex = subprocess.run(["pdflatex", "-interaction=nonstopmode", "doc"], cwd=tmp_path, capture_output=True, timeout=180)
    assert latex.returncode == 0
    result = subprocess.run(["biber", "--validate-datamodel", "doc"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0
    assert [line for line in result.stdout.splitlines() if not line.startswith("INFO")] == []


@pytest.mark.parametrize("target, schema_path", [("mods", ("mods", "3.8", "mods-3-8.xsd")),
                                                 ("dc", ("dc", "2008", "qualifieddc.xsd"))])
def test_every_type_is_valid_mods_and_dc(monkeypatch, target, schema_path):
    from lxml import etree

    catalog = shared("consumer-schemas", "xml", "catalog.xml")
    monkeypatch.setenv("XML_CATALOG_FILES", str(catalog))
    schema = etree.XMLSchema(etree.parse(str(catalog.parent.joinpath(*schema_path)), etree.XMLParser(no_network=True)))
    document = etree.fromstring("".join(exporter(target).export([*RECORDS, *WHOLE_RECORDS])).encode("utf-8"))
    assert len(document) == 2 * len(RECORDS)
    if target == "mods":
        schema.assertValid(document)
    else:
        for element in document:
            schema.assertValid(etree.ElementTree(element))


_VALIDATE_ALL = """
import sys
from cffconvert.citation import Citation
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        Citation(handle.read(), src=path).validate()
    print("valid", path)
"""


def test_cffconvert_finds_every_type_valid(tmp_path):
    """cffconvert's own validation, run once for all the files in the Python that runs the
    cffconvert command (its venv), rather than starting the command forty-five times."""
    command = shutil.which("cffconvert")
    if command is None:
        pytest.skip("cffconvert is not installed (CI installs it in a venv of its own)")
    with open(command, encoding="utf-8", errors="replace") as handle:
        interpreter = handle.readline().removeprefix("#!").strip()
    paths = []
    for record in [*RECORDS, *WHOLE_RECORDS]:
        path = tmp_path / f"{record.id}{'-whole' if record.pmid else ''}.cff"
        path.write_text("".join(exporter("cff").export([record])), encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run([interpreter, "-c", _VALIDATE_ALL, *paths], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"valid {path}" for path in paths]


@pytest.mark.parametrize("target", ["bibtex", "biblatex", "ris", "csl-json", "hayagriva"])
def test_every_type_reads_back_through_its_own_importer(target):
    from lutnick_cli.load import load_bytes

    text = "".join(exporter(target).export(RECORDS))
    source = "bibtex" if target == "biblatex" else target
    back = [item.record for item in load_bytes(text.encode("utf-8"), "export", source)]
    assert [record.title for record in back] == [record.title for record in RECORDS]
    if target == "csl-json":
        assert back == RECORDS
