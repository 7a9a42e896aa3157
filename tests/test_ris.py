"""Reading RIS as EndNote, Web of Science, Scopus, Zotero and PubMed's exporters write it (formats/ris.py)."""

from __future__ import annotations

import json

import pytest

from conftest import TESTS, assert_golden
from lutnick_cli.formats.ris import read, read_ris_date

REALWORLD = TESTS / "realworld" / "ris"


def _validate(run, path):
    result = run("validate", str(path))
    return result.exit_code, result.stderr.replace(str(path), "FILE")


def _records(run, path) -> list[dict]:
    """The records read from path, as `lutnick show --format json` gives them (an object for one, else a list)."""
    result = run("show", "--format", "json", str(path))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return data if isinstance(data, list) else [data]


def _one(run, tmp_path, text: str) -> dict:
    path = tmp_path / "one.ris"
    path.write_text(text, encoding="utf-8")
    (record,) = _records(run, path)
    return record


# --- a broken record spoils only itself ----------------------------------------------------------

BROKEN = """TY  - JOUR
TI  - First
ER  - 
TY  - JOUR
TI  - Second, never closed
TY  - JOUR
TI  - Third
ER  - 
TI  - Fourth, with no TY line
ER  - 
TY  - BOOK
TI  - Fifth
ER  - 
TY  - JOUR
TI  - Sixth, last and never closed
"""


def test_a_broken_record_is_reported_and_the_records_after_it_are_read(run, tmp_path):
    path = tmp_path / "broken.ris"
    path.write_text(BROKEN, encoding="utf-8")
    assert _validate(run, path) == (1, (
        "FILE:4: RIS record has no ER line: the next begins on line 6\n"
        "FILE:9: tag lines outside a record: no ‘TY  - ’ line opens it\n"
        "FILE:14: RIS record has no ER line to close it\n"
        "lutnick: 3 errors; 3 records processed\n"
    ))
    result = run("cite", "--style", "apa", "--each", str(path))
    assert result.stdout == "First. (n.d.).\nThird. (n.d.).\nFifth. (n.d.).\n"


def test_a_record_whose_type_line_runs_on_is_reported_once(run, tmp_path):
    path = tmp_path / "runon.ris"
    path.write_text("TY  - JOUR\nnot a tag\nTI  - A\nER  - \nTY  - JOUR\nTI  - B\nER  - \n", encoding="utf-8")
    assert _validate(run, path) == (1, (
        "FILE:2: a line without a tag cannot continue the TY line\n"
        "lutnick: 1 error; 1 record processed\n"
    ))


def test_text_outside_the_records_is_skipped_with_a_warning(run, tmp_path):
    path = tmp_path / "header.ris"
    path.write_text("Provider: A Publisher\nContent: text/plain\n\nTY  - JOUR\nTI  - One\nER  - \n\n"
                    "TY  - JOUR\nTI  - Two\nER  - \n\nexported 2024-01-01\n", encoding="utf-8")
    assert _validate(run, path) == (0, (
        "FILE:1: warning: 2 lines outside any record skipped, from 'Provider: A Publisher'\n"
        "FILE:12: warning: a line outside any record skipped, from 'exported 2024-01-01'\n"
        "lutnick: 2 warnings; 2 records processed\n"
        "2 records valid\n"
    ))
    assert run("validate", "--strict", str(path)).exit_code == 1


def test_text_alone_is_not_ris(run, tmp_path):
    path = tmp_path / "notes.ris"
    path.write_text("\nsome notes\n", encoding="utf-8")
    assert _validate(run, path) == (1, (
        "FILE:2: not RIS: expected a ‘TY  - ’ line, found 'some notes'\n"
        "lutnick: 1 error; 0 records processed\n"
    ))


# --- every tag the big exporters write -----------------------------------------------------------

def test_a_journal_article_with_every_tag(run, tmp_path):
    text = """TY  - JOUR
ID  - smith2019
A1  - Smith, Jane
AU  - Roe, Ann
A2  - Editor, Ed
A3  - Series, Sam
A4  - Translator, Tom
T1  - An older title tag
TI  - The title
ST  - Title
T2  - Journal of Things
J2  - J. Things
T3  - A series
VL  - 12
IS  - 3
SP  - 140
EP  - 154
PY  - 2019
DA  - 2019/04/29/
Y2  - 2024/01/05/
SN  - 2286-7511; 2287-0113 (Electronic)
DO  - 10.14197/atr.201219129
UR  - https://example.org/a
UR  - https://example.org/b
L1  - file:///papers/a.pdf
AB  - The abstract,
  continued.
N2  - An older abstract tag
KW  - first
KW  - second
third
LA  - English
M3  - Article
C2  - PMC1234567
C7  - e12345
AN  - 31234567
DB  - PubMed
CN  - QA76 .S5
N1  - A note
RN  - Research notes
ET  - 2
CY  - San Francisco
PB  - A Press
AD  - A University
WE  - Science Citation Index Expanded
ER  - 
"""
    assert _one(run, tmp_path, text) == {
        "id": "smith2019", "type": "article-journal", "title": "The title", "short_title": "Title",
        "authors": [{"family": "Roe", "given": "Ann"}], "editors": [{"family": "Editor", "given": "Ed"}],
        "translators": [{"family": "Translator", "given": "Tom"}],
        "collection_editors": [{"family": "Series", "given": "Sam"}],
        "container": {"title": "Journal of Things", "short_title": "J. Things", "issn": "2286-7511", "eissn": "2287-0113"},
        "collection_title": "A series", "publisher": "A Press", "publisher_place": "San Francisco",
        "volume": "12", "issue": "3", "number": "e12345", "edition": "2", "pages": "140–154",
        "issued": "2019-04-29", "accessed": "2024-01-05", "doi": "10.14197/atr.201219129", "pmid": "31234567",
        "pmcid": "PMC1234567", "url": ["https://example.org/a", "https://example.org/b"], "source": "PubMed", "call_number": "QA76 .S5",
        "language": "en", "keywords": ["first", "second", "third"], "abstract": "The abstract, continued.",
        "annote": "Research notes", "note": "A note",
        # Nothing is dropped: the tags with no field, and the values a field had no room for.
        "other_fields": {
            "A1": "Smith, Jane", "T1": "An older title tag", "N2": "An older abstract tag", "M3": "Article",
            "L1": "file:///papers/a.pdf", "AD": "A University",
            "WE": "Science Citation Index Expanded",
        },
    }


def test_a_conference_paper_reads_its_event_from_c1_and_c3(run, tmp_path):
    text = ("TY  - CPAPER\nAU  - Doe, Jane\nTI  - A paper\nT2  - Proceedings of the Meeting\nC3  - The Meeting 2020\n"
            "C1  - Lisbon\nPY  - 2020///\nM3  - Poster\nER  - \n")
    assert _one(run, tmp_path, text) == {
        "type": "paper-conference", "title": "A paper", "authors": [{"family": "Doe", "given": "Jane"}],
        "container": {"title": "Proceedings of the Meeting"}, "event_title": "The Meeting 2020",
        "event_place": "Lisbon", "genre": "Poster", "issued": "2020",
    }


def test_a_book_reads_bt_as_its_title_and_sn_as_isbns(run, tmp_path):
    text = ("TY  - BOOK\nAU  - Doe, Jane\nBT  - A book\nSN  - 978-0-19-953556-9, 0-19-953556-0\nET  - 3rd\n"
            "SE  - 4\nCY  - Oxford\nPB  - Oxford University Press\nY1  - 2008///Spring\nER  - \n")
    assert _one(run, tmp_path, text) == {
        "type": "book", "title": "A book", "authors": [{"family": "Doe", "given": "Jane"}],
        "publisher": "Oxford University Press", "publisher_place": "Oxford", "section": "4", "edition": "3rd",
        "isbn": ["978-0-19-953556-9", "0-19-953556-0"], "issued": "2008-21",
    }


def test_scopus_pmid_and_issn_without_hyphen(run, tmp_path):
    text = ("TY  - JOUR\nAU  - Wilson, L.N.\nTI  - T\nT2  - Nature Communications\nSN  - 20411723 (ISSN)\n"
            "C2  - 38580657\nDB  - Scopus\nAN  - 2-s2.0-85189760133\nM3  - Article\nER  - \n")
    assert _one(run, tmp_path, text) == {
        "type": "article-journal", "title": "T", "authors": [{"family": "Wilson", "given": "L.N."}],
        "container": {"title": "Nature Communications", "issn": "2041-1723"}, "pmid": "38580657",
        "source": "Scopus", "archive_location": "2-s2.0-85189760133", "other_fields": {"M3": "Article"},
    }


def test_web_of_science_takes_month_and_day_from_da_and_the_year_from_py(run, tmp_path):
    text = ("TY  - JOUR\nAU  - Sampson, SD\nTI  - T\nT2  - PLOS ONE\nPU  - PUBLIC LIBRARY SCIENCE\nPI  - SAN FRANCISCO\n"
            "J9  - PLOS ONE\nJI  - PLoS One\nDA  - SEP 22\nPY  - 2010\nAN  - WOS:000282053100002\nER  -\n")
    assert _one(run, tmp_path, text) == {
        "type": "article-journal", "title": "T", "authors": [{"family": "Sampson", "given": "SD"}],
        "container": {"title": "PLOS ONE", "short_title": "PLoS One"}, "publisher": "PUBLIC LIBRARY SCIENCE",
        "publisher_place": "SAN FRANCISCO", "issued": "2010-09-22", "archive_location": "WOS:000282053100002",
        "other_fields": {"J9": "PLOS ONE"},
    }


def test_what_cannot_be_read_is_kept_with_a_warning(run, tmp_path):
    path = tmp_path / "odd.ris"
    path.write_text("TY  - ODDTYPE\nTI  - T\nLA  - Klingon\nPY  - 2019\nDA  - Michaelmas term\nSN  - n/a\n"
                    "Y2  - last week\nER  - \n", encoding="utf-8")
    assert _validate(run, path) == (0, (
        "FILE:1: warning: TY: unknown RIS type 'ODDTYPE', read as a document\n"
        "FILE:1: warning: SN: kept as given, with no field to hold it: n/a\n"
        "FILE:1: warning: LA: kept as given: 'Klingon' is neither a language tag nor the name of a language CSL knows\n"
        "FILE:1: warning: DA: 'Michaelmas term' is not a date lutnick can read; kept as given\n"
        "FILE:1: warning: accessed: 'last week' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); kept as given\n"
        "lutnick: 5 warnings; 1 record processed\n"
        "1 record valid\n"
    ))
    (record,) = _records(run, path)
    assert record == {
        "type": "document", "title": "T", "issued": "2019", "accessed": "last week",
        "other_fields": {"TY": "ODDTYPE", "LA": "Klingon", "DA": "Michaelmas term", "SN": "n/a"},
    }


def test_a_date_that_is_all_there_is_goes_to_the_record_as_given(run, tmp_path):
    path = tmp_path / "press.ris"
    path.write_text("TY  - JOUR\nTI  - T\nY1  - in press\nPY  - forthcoming\nER  - \n", encoding="utf-8")
    assert _validate(run, path) == (0, (
        "FILE:1: warning: PY: 'forthcoming' is not a date lutnick can read; kept as given\n"
        "FILE:1: warning: issued: 'in press' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); kept as given\n"
        "lutnick: 2 warnings; 1 record processed\n"
        "1 record valid\n"
    ))
    (record,) = _records(run, path)
    assert (record["issued"], record["other_fields"]) == ("in press", {"PY": "forthcoming"})


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("2019", None, "2019"),
        ("2019///", None, "2019"),
        ("2019/04//", None, "2019-04"),
        ("2019/04/29/", None, "2019-04-29"),
        ("2019/04/29/Spring", None, "2019-04-29"),
        ("2019///Spring", None, "2019-21"),
        ("2019///Fall", None, "2019-23"),
        ("2019/4/9", None, "2019-04-09"),
        ("2019-04-29", None, "2019-04-29"),
        ("2019-04", None, "2019-04"),
        ("2019-04-29T00:00:00Z", None, "2019-04-29"),
        ("SEP 22", "2010", "2010-09-22"),
        ("SEP", "2010", "2010-09"),
        ("September 22, 2010", None, "2010-09-22"),
        ("Jun 2024", None, "2024-06"),
        ("JUL-DEC", "2010", "2010-07/2010-12"),
        ("SPR", "2010", "2010-21"),
        ("Winter", "2010", "2010-24"),
        ("SEP 22", None, None),
        ("2019/02/30/", None, None),
        ("2019/13//", None, None),
        ("in press", None, None),
    ],
)
def test_dates_in_every_form_programs_write(text, year, expected):
    assert read_ris_date(text, year) == expected


def test_a_da_in_another_year_than_py_is_kept_and_py_gives_the_date(run, tmp_path):
    path = tmp_path / "years.ris"
    path.write_text("TY  - JOUR\nTI  - T\nPY  - 2020\nDA  - 2019/11/02/\nER  - \n", encoding="utf-8")
    assert _validate(run, path) == (0, (
        "FILE:1: warning: DA: '2019/11/02/' is in another year than PY '2020'; the date of issue is PY's, DA is kept as given\n"
        "lutnick: 1 warning; 1 record processed\n"
        "1 record valid\n"
    ))
    (record,) = _records(run, path)
    assert (record["issued"], record["other_fields"]) == ("2020", {"DA": "2019/11/02/"})


# --- continuation lines --------------------------------------------------------------------------

def test_a_value_of_fifty_thousand_lines_is_read_whole():
    # Continuation lines are gathered and joined once (formats/ris.py, _Record): linear in the file.
    lines = [f"line {number}" for number in range(50_000)]
    text = "TY  - JOUR\nTI  - T\nAB  - " + "\n".join(lines) + "\nER  - \n"
    ((data, line, warnings),) = list(read(text, "big.ris"))
    assert (line, warnings) == (1, [])
    assert data["abstract"] == " ".join(lines)


def test_endnote_continuation_lines_are_further_values_of_list_tags(run, tmp_path):
    text = ("TY  - JOUR\nTI  - T\nT2  - J\nAU  - Doe, Jane\nRoe, Ann\nKW  - article\nbiostratigraphy\n"
            "SN  - 1932-8494\n1932-8486\nN1  - L2030246463\n2024-06-24\nER  - \n")
    assert _one(run, tmp_path, text) == {
        "type": "article-journal", "title": "T",
        "authors": [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Ann"}],
        "container": {"title": "J", "issn": "1932-8494", "eissn": "1932-8486"},
        "keywords": ["article", "biostratigraphy"], "note": "L2030246463 2024-06-24",
    }


# --- real exports --------------------------------------------------------------------------------

REAL_EXPORTS = sorted(path.name for path in REALWORLD.glob("*.ris"))


def test_the_real_exports_are_all_here():
    assert REAL_EXPORTS == ["endnote.ris", "scopus.ris", "webofscience.ris"]


@pytest.mark.parametrize("name", REAL_EXPORTS)
def test_a_real_export_is_read_whole(run, name):
    """Every record of the export is read and validated, and each field holds what its tag said."""
    path = REALWORLD / name
    assert _validate(run, path) == (0, "10 records valid\n")
    result = run("show", "--format", "yaml", str(path))
    assert result.exit_code == 0
    assert_golden(f"realworld-ris/{name[:-4]}.yaml", result.stdout)
