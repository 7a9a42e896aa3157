"""pandoc reads each export it has a reader for, with zero warnings, and finds every field in it.

pandoc reads BibTeX, biblatex, CSL-JSON and RIS as input formats, and CSL YAML
as a document's `references` (of EndNote it reads only EndNote XML, not the
tagged .enw this project writes; bibutils reads that); each is converted to CSL-JSON (`-t csljson`),
which is what pandoc's citeproc then uses, and compared with the record.

Where pandoc itself loses or changes something the export holds, the test
says so by name rather than skipping the field:

* every reader: curly quotes in a title are parsed as quotation and written
  back with CSL's quote marks (‘x’ becomes “x”), so quotes are compared by kind;
* RIS: pandoc's reader takes the date from PY alone (the year; DA, where RIS
  keeps the full date, is ignored), keeps only one SN (ISSN) line, lists
  keywords in reverse, reads ‘Last, First, Suffix’ in BibTeX's order
  (the suffix becomes the given name: the family name is still right), takes
  SN for an ISSN even when it holds a book's ISBN, and splits an organisation's
  name (RIS marks one only by having no comma in it) into given and family names;
* biblatex: the e-ISSN is in `usera`, which pandoc does not read, and an
  article has no publisher field nor a report an ISBN field (see formats/biblatex.py);
* BibTeX and biblatex: pandoc reads an EDTF season (2020-22) as month 22 and
  CSL-JSON's `season` is dropped, so for a seasonal date only the year is compared.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from conftest import ALL_RECORDS
from facts import RECORDS, exported, facts, plain

pytestmark = pytest.mark.consumers

# pandoc reader → our export format.
READERS = {"bibtex": "bibtex", "biblatex": "biblatex", "csljson": "csl-json", "ris": "ris", "markdown": "csl-yaml"}


def _pandoc() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pytest.skip("pandoc is not installed (the test extra installs pypandoc-binary)")


@pytest.fixture(scope="module")
def read_back(tmp_path_factory):
    """What pandoc read from each export of all the records, as CSL-JSON items by id."""
    pandoc = _pandoc()
    folder = tmp_path_factory.mktemp("pandoc")
    results = {}
    for reader, target in READERS.items():
        path = folder / f"refs.{target}"
        path.write_text(exported(target), encoding="utf-8")
        result = subprocess.run(
            [pandoc, "--fail-if-warnings", "-f", reader, "-t", "csljson", str(path)],
            capture_output=True, text=True, timeout=120,
        )
        results[reader] = (result, {item["id"]: item for item in json.loads(result.stdout or "[]")})
    return results


@pytest.mark.parametrize("reader", READERS)
def test_pandoc_reads_the_export_without_a_warning(read_back, reader):
    result, items = read_back[reader]
    assert (result.returncode, result.stderr) == (0, "")
    assert sorted(items) == sorted(ALL_RECORDS)


_QUOTES = str.maketrans({"‘": '"', "’": '"', "“": '"', "”": '"'})


def _date(issued: dict | None) -> tuple[int, ...] | None:
    if not issued or not issued.get("date-parts"):
        return None
    return tuple(int(part) for part in issued["date-parts"][0])


@pytest.mark.parametrize("name", ALL_RECORDS)
@pytest.mark.parametrize("reader", READERS)
def test_pandoc_reads_every_field(read_back, reader, name):
    expected = facts(RECORDS[name])
    item = read_back[reader][1][name]
    # Apostrophes and quotation marks are compared by kind (see the module's docstring).
    assert item["title"].translate(_QUOTES) == expected.title.translate(_QUOTES)
    names = [person.get("literal") or person["family"] for person in item["author"]]
    if reader == "ris":
        names = [
            " ".join(filter(None, (person.get("given"), person["family"]))) if literal else text
            for person, text, literal in zip(item["author"], names, [author.literal for author in RECORDS[name].authors])
        ]
    assert names == expected.families
    assert item.get("container-title") == expected.journal
    assert item.get("volume") == expected.volume
    assert item.get("issue") == expected.issue
    pages = re.split(r"[-–]", item["page"]) if "page" in item else []
    assert pages == [page for page in (expected.first_page, expected.last_page) if page]
    date = _date(item.get("issued"))
    if reader == "ris":
        assert date == (expected.year,)
    elif expected.date is not None and len(expected.date) == 1 and RECORDS[name].issued.start.season:
        assert date[0] == expected.year
    else:
        assert date == expected.date
    assert item.get("DOI") == expected.doi
    issns = [part for part in re.split(r"[,;\s]+", item.get("ISSN", "")) if part]
    report = RECORDS[name].type.value == "report"
    if reader == "ris":
        assert issns == (expected.issns or [expected.isbn])[:1]
        assert item.get("ISBN") is None
    else:
        assert issns == (expected.issns[:1] if reader == "biblatex" else expected.issns)
        assert item.get("ISBN") == (None if reader == "biblatex" and report else expected.isbn)
    assert item.get("URL") == expected.url
    keywords = [word.strip() for word in item.get("keyword", "").split(",") if word.strip()]
    assert (sorted(keywords) if reader == "ris" else keywords) == (
        sorted(expected.keywords) if reader == "ris" else expected.keywords
    )
    assert plain(item.get("abstract", "")).translate(_QUOTES) == plain(expected.abstract or "").translate(_QUOTES)
    article = RECORDS[name].type.value == "article-journal"
    assert item.get("publisher") == (None if reader == "biblatex" and article else expected.publisher)
    assert (item.get("language") or "").split("-")[0] == (expected.language or "").split("-")[0]
