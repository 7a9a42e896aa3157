"""Records that look wrong are kept as given, warned about, and every command and export copes with them.

tests/doubtful/kept-as-given.yaml holds one record with each doubtful shape:
identifier lists, a wrong check digit, a shortDOI, an ftp:// URL, a year
range, an abbreviated page range, a date in words, a page label, a month of
25, an apostrophe in a key, and a record with no title.
"""

from __future__ import annotations

import pytest

from conftest import REPO, assert_golden
from test_golden import EXPORT_GOLDEN

PATH = REPO / "tests" / "doubtful" / "kept-as-given.yaml"
SOURCE = "tests/doubtful/kept-as-given.yaml"

WARNINGS = f"""\
{SOURCE}:5:5: warning: [o'brien1982] id: "o'brien1982" has an apostrophe, which some LaTeX packages take for a closing quote; kept as given
{SOURCE}:11:7: warning: [o'brien1982] isbn: ISBN '978-3-16-148410-1' has a wrong check digit; kept as given
{SOURCE}:11:7: warning: [o'brien1982] isbn: holds 2 ISBNs; kept as a list
{SOURCE}:12:6: warning: [o'brien1982] url: 'ftp://ftp.example.org/pub/letters.pdf' is an ftp:// URL, which browsers no longer open; kept as given
{SOURCE}:12:6: warning: [o'brien1982] url: holds 2 URLs; kept as a list
{SOURCE}:13:6: warning: [o'brien1982] doi: '10/abcd' is a shortDOI, an alias a resolver expands; kept as given
{SOURCE}:14:9: warning: [o'brien1982] issued: '1982–1983' is read as the EDTF date 1982/1983
{SOURCE}:15:11: warning: [o'brien1982] accessed: 'Spring 2019' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); kept as given
{SOURCE}:16:8: warning: [o'brien1982] pages: '377--86' is read as 377–386
{SOURCE}:30:9: warning: [untitled] container.issn: ISSN '2286-7512' has a wrong check digit (expected 1); kept as given
{SOURCE}:30:9: warning: [untitled] container.issn: holds 2 ISSNs; kept as a list
{SOURCE}:32:8: warning: [untitled] pages: 'C3-32' is not a page range lutnick can read; kept as a label
{SOURCE}:33:9: warning: [untitled] issued: '2019-25' has no month 25; kept as given
{SOURCE}:24:1: warning: [untitled] title: the record has no title
lutnick: 14 warnings; 2 records processed
"""


@pytest.fixture
def here(monkeypatch):
    monkeypatch.chdir(REPO)


def test_validate_keeps_both_records_and_names_every_doubt(run, here):
    result = run("validate", SOURCE)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", WARNINGS + "2 records valid\n")


def test_strict_refuses_both_records(run, here):
    result = run("validate", "--strict", SOURCE)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "lutnick: 2 errors; 0 records processed"
    assert result.stderr.count(": warning: ") == 0


# CFF holds one record; Hayagriva's export is tested in tests/test_export_hayagriva.py.
@pytest.mark.parametrize(
    "target, extension", [(target, extension) for target, extension in EXPORT_GOLDEN.items() if target not in ("cff", "hayagriva")]
)
def test_every_export_writes_the_doubtful_shapes(run, here, target, extension):
    result = run("export", "--to", target, SOURCE)
    # A format's warnings of what it leaves out are counted too; tests/test_unplaced_fields.py has their text.
    left_out = [line for line in result.stderr.splitlines(keepends=True) if f" {target} has no field for " in line]
    reading = "".join(line for line in result.stderr.splitlines(keepends=True) if line not in left_out)
    assert (result.exit_code, reading) == (0, WARNINGS.replace("14 warnings", f"{14 + len(left_out)} warnings"))
    assert_golden(f"kept-as-given/export.{extension}", result.stdout)


def test_citation_file_format_takes_the_first_of_several_identifiers_and_lists_the_rest(run, here):
    first = PATH.read_text(encoding="utf-8").split("\n---\n")[0]
    result = run("export", "--to", "cff", "-", input=first)
    assert result.exit_code == 0
    assert_golden("kept-as-given/export.cff", result.stdout)


def test_citation_file_format_needs_a_title(run, here):
    untitled = PATH.read_text(encoding="utf-8").split("\n---\n")[1]
    result = run("export", "--to", "cff", "-", input=untitled)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "lutnick: CITATION.cff needs the work's title, and the record has none"


def test_cite_and_show_print_what_was_kept(run, here):
    result = run("cite", SOURCE)
    assert (result.exit_code, result.stderr) == (0, WARNINGS)
    assert_golden("kept-as-given/cite-apa.txt", result.stdout)
    result = run("show", SOURCE)
    assert (result.exit_code, result.stderr) == (0, WARNINGS)
    assert_golden("kept-as-given/show.txt", result.stdout)


def test_get_reaches_lists_literal_dates_and_other_fields(run, here):
    def get(*arguments: str) -> str:
        result = run("get", *arguments, SOURCE)
        assert result.exit_code == 0
        return result.stdout

    assert get("isbn") == "0-201-13447-0\n978-3-16-148410-1\n\n"
    assert get("url.1") == "ftp://ftp.example.org/pub/letters.pdf\n\n"
    assert get("issued") == "1982/1983\n2019-25\n"
    assert get("issued.year") == "1982\n2019\n"
    assert get("accessed") == "Spring 2019\n\n"
    assert get("pages") == "377–386\nC3-32\n"
    assert get("other_fields.timestamp") == "2020-01-02\n\n"
    assert get("title") == "Letters from the Harbour\n\n"
    assert get("--json", "container.issn") == 'null\n["2286-7512", "2287-0113"]\n'


def test_import_writes_the_shapes_back_as_they_were_read(run, here, tmp_path):
    result = run("import", SOURCE, "--to-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    imported = [str(tmp_path / "o'brien1982.yaml"), str(tmp_path / "untitled.yaml")]
    assert run("export", "--to", "csl-json", *imported).stdout == run("export", "--to", "csl-json", SOURCE).stdout
    # Normalised values (the page and year ranges) and identifier lists, now written as lists, are read back
    # without a word; what was kept as given is warned about again.
    again = run("validate", *imported)
    assert again.exit_code == 0
    assert again.stderr.count(": warning: ") == 9


def test_the_schema_accepts_what_is_kept_with_a_warning():
    import jsonschema
    import yaml

    from lutnick_cli.record import json_schema
    from lutnick_cli.yaml_nodes import RecordLoader

    for document in yaml.load_all(PATH.read_text(encoding="utf-8"), Loader=RecordLoader):
        jsonschema.validate(document, json_schema())


NEWSPAPER = (
    '[{"id": "n1", "type": "article-newspaper", "title": "A headline", "container-title": "The Times",'
    ' "author": [{"family": "Smith", "given": "Jo"}], "issued": {"literal": "Late spring 2019"}}]'
)


@pytest.mark.parametrize(
    "style, entry",
    [
        ("apa", "Smith, J. (Late spring 2019). A headline. The Times.\n"),
        ("chicago-author-date", "Smith, Jo. Late spring 2019. “A Headline.” The Times.\n"),
        ("harvard-cite-them-right", "Smith, J. (Late spring 2019) “A headline,” The Times.\n"),
        ("modern-language-association", "Smith, Jo. “A Headline.” The Times, Late spring 2019.\n"),
    ],
)
def test_a_date_kept_as_given_is_cited_once(run, style, entry):
    # A newspaper's date is split in two (the year, then the month and day) by these styles but MLA;
    # the date kept as given stands in the year's place, and the month and day print nothing.
    result = run("cite", "--style", style, "--from", "csl-json", "-", input=NEWSPAPER)
    assert (result.exit_code, result.stdout) == (0, entry)
    assert result.stderr == (
        "<stdin>:1: warning: [n1] issued: 'Late spring 2019' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD);"
        " kept as given\nlutnick: 1 warning; 1 record processed\n"
    )
