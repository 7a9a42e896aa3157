"""Reading BibTeX and RIS written by other tools, and what every export does with an honorific.

Files written by other programs are imported, checked field by field, and
exported again in their own format: every field both the format and the
record carry comes back with the same value.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import ALL_RECORDS, record_arguments
from lutnick_cli.formats import EXPORT_FORMATS

# As a reference manager writes it: month macro, LaTeX accents, {} protection, -- ranges, @string.
FOREIGN_BIB = textwrap.dedent(r"""
    % exported by a reference manager
    @string{natrev = "Nature Reviews Neuroscience"}

    @Article{M_ller_2021,
      author    = {M{\"u}ller, J{\"o}rg and de la Fuente, Ana Mar{\'\i}a and {Royal Society} and King, Jr., Martin Luther},
      title     = {{DNA} repair in {S}chr{\"o}dinger's cat: 50\% faster --- a {\textit{review}}},
      journal   = natrev,
      year      = {2021},
      month     = mar,
      volume    = {22},
      number    = {3},
      pages     = {101--118},
      doi       = {10.1038/s41583-021-00001-2},
      issn      = {1471-003X},
      url       = {https://www.nature.com/articles/s41583-021-00001-2},
      keywords  = {DNA repair, cats},
      abstract  = {We review \emph{everything}.},
      publisher = {Nature Publishing Group},
      language  = {english},
    }
    """).lstrip()

FOREIGN_RIS = textwrap.dedent("""
    TY  - JOUR
    AU  - Müller, Jörg
    AU  - de la Fuente, Ana María
    AU  - Royal Society
    TI  - DNA repair in Schrödinger's cat
    T2  - Nature Reviews Neuroscience
    J2  - Nat. Rev. Neurosci.
    VL  - 22
    IS  - 3
    SP  - 101
    EP  - 118
    PY  - 2021
    DA  - 2021/03/15/
    SN  - 1471-003X
    SN  - 1471-0048
    DO  - 10.1038/s41583-021-00001-2
    UR  - https://www.nature.com/articles/s41583-021-00001-2
    KW  - DNA repair
    KW  - cats
    AB  - We review everything,
      and then some.
    PB  - Nature Publishing Group
    LA  - en
    N1  - A note
    ER  - 
    """).lstrip()


def _show(run, *arguments, input=None):
    result = run("show", "--format", "json", *arguments, input=input)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_foreign_bib_file_is_decoded_into_the_record(run, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(FOREIGN_BIB, encoding="utf-8")
    assert _show(run, str(path)) == {
        "id": "M_ller_2021",
        "type": "article-journal",
        # Braces protect from a style's case change; \textit and \emph are italics.
        "title": '<span class="nocase">DNA</span> repair in <span class="nocase">S</span>chrödinger\'s cat: 50% faster — '
                 "a <i>review</i>",
        "authors": [
            {"family": "Müller", "given": "Jörg"},
            {"family": "Fuente", "given": "Ana María", "particle": "de la"},
            {"literal": "Royal Society"},
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        ],
        "container": {"title": "Nature Reviews Neuroscience", "issn": "1471-003X"},
        "publisher": "Nature Publishing Group",
        "volume": "22",
        "issue": "3",
        "pages": "101–118",
        "issued": "2021-03",
        "doi": "10.1038/s41583-021-00001-2",
        "url": "https://www.nature.com/articles/s41583-021-00001-2",
        "language": "en",
        "keywords": ["DNA repair", "cats"],
        "abstract": "We review <i>everything</i>.",
    }


def test_a_foreign_ris_file_is_read_into_the_record(run, tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(FOREIGN_RIS, encoding="utf-8")
    assert _show(run, str(path)) == {
        "type": "article-journal",
        "title": "DNA repair in Schrödinger's cat",
        "authors": [
            {"family": "Müller", "given": "Jörg"},
            {"family": "Fuente", "given": "Ana María", "particle": "de la"},
            {"literal": "Royal Society"},
        ],
        "container": {"title": "Nature Reviews Neuroscience", "short_title": "Nat. Rev. Neurosci.",
                      "issn": "1471-003X", "eissn": "1471-0048"},
        "publisher": "Nature Publishing Group",
        "volume": "22",
        "issue": "3",
        "pages": "101–118",
        "issued": "2021-03-15",
        "doi": "10.1038/s41583-021-00001-2",
        "url": "https://www.nature.com/articles/s41583-021-00001-2",
        "language": "en",
        "keywords": ["DNA repair", "cats"],
        "abstract": "We review everything, and then some.",
        "note": "A note",
    }


@pytest.mark.parametrize("source, text, target", [("bib", FOREIGN_BIB, "bibtex"), ("ris", FOREIGN_RIS, "ris")])
def test_import_then_export_then_import_gives_the_same_record(run, tmp_path, source, text, target):
    path = tmp_path / f"refs.{source}"
    path.write_text(text, encoding="utf-8")
    first = _show(run, str(path))
    exported = run("export", "--to", target, str(path))
    assert exported.exit_code == 0, exported.stderr
    second = _show(run, "--from", target, "-", input=exported.stdout)
    # A record read without an id is exported under its derived citation key.
    assert second == first | {"id": first.get("id", "muller2021dna")}


def test_import_then_export_keeps_each_ris_line_it_carries(run, tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(FOREIGN_RIS, encoding="utf-8")
    exported = run("export", "--to", "ris", str(path)).stdout.splitlines()
    original = FOREIGN_RIS.splitlines()
    # Every tag line of the original is in the export, but the abstract's continuation joined to it.
    kept = [line for line in original if line[:2] != "AB" and not line.startswith("  ")]
    assert [line for line in kept if line not in exported] == []
    assert "AB  - We review everything, and then some." in exported


def test_bib_and_ris_are_found_by_extension_in_folders_and_sniffed_on_stdin(run, tmp_path):
    (tmp_path / "a.bib").write_text(FOREIGN_BIB, encoding="utf-8")
    (tmp_path / "b.ris").write_text(FOREIGN_RIS, encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert (result.exit_code, result.stderr) == (0, "2 records valid\n")
    for text in (FOREIGN_BIB.split("\n", 1)[1], FOREIGN_RIS):  # stdin starting with @string, and with TY
        assert _show(run, "-", input=text)["volume"] == "22"


# --- honorifics ----------------------------------------------------------------------------------

# Formats that can hold an honorific in a field of its own; every other format leaves it out.
HONORIFIC_FIELDS = {"csl-json": '"honorific": "Dr"', "csl-yaml": "honorific: Dr", "jsonld": '"honorificPrefix": "Dr"'}


@pytest.mark.parametrize("target", EXPORT_FORMATS)
def test_an_honorific_never_becomes_part_of_a_name(run, target):
    result = run("export", "--to", target, *record_arguments("lutnick2019"))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    # The biography, printed with some formats, begins ‘Dr Alexandra Lutnick is…’.
    text = text.replace("Dr Alexandra Lutnick is", "")
    expected = HONORIFIC_FIELDS.get(target)
    if expected:
        assert text.count("Dr") == 1 and expected in text
    else:
        assert "Dr" not in text


@pytest.mark.parametrize("record", ALL_RECORDS)
def test_exports_are_deterministic(run, record):
    for target in EXPORT_FORMATS:
        first = run("export", "--to", target, *record_arguments(record)).stdout
        assert run("export", "--to", target, *record_arguments(record)).stdout == first


def test_ris_in_older_and_other_programs_spellings(run, tmp_path):
    # The 1990s tags (T1, A1, Y1, N2), ED for editors, and the journal in JF/JA as PubMed writes it.
    path = tmp_path / "old.ris"
    path.write_text("TY  - JOUR\nT1  - Old style\nA1  - Smith, J.\nED  - Ed, Itor\nJF  - Journal Full\n"
                    "JA  - J. Full\nY1  - 2001/02/03/\nN2  - Abstract here\nER  - \n", encoding="utf-8")
    assert _show(run, str(path)) == {
        "type": "article-journal", "title": "Old style", "authors": [{"family": "Smith", "given": "J."}],
        "editors": [{"family": "Ed", "given": "Itor"}], "container": {"title": "Journal Full", "short_title": "J. Full"},
        "issued": "2001-02-03", "abstract": "Abstract here",
    }


def test_ris_lines_end_with_cr_lf_and_records_follow_each_other_directly():
    # The RIS specification's line ending; click's test runner shows output with LF only, so the
    # exporter is called directly here.
    from facts import exported

    text = exported("ris", ["lecun2015", "who2021"])
    assert text.count("\r\n") == text.count("\n")
    assert "ER  - \r\nTY  - RPRT\r\n" in text and "\r\n\r\n" not in text
    assert text.endswith("ER  - \r\n")


def test_a_broken_bibtex_entry_is_reported_and_the_others_still_read(run, tmp_path):
    path = tmp_path / "mixed.bib"
    path.write_text(
        "@article{good1, title = {Fine}, author = {A, B}, journal = {J}, year = 2020}\n"
        "@article{bad, title = {T} journal = {J}}\n"
        "@book{good2, title = {Also fine}, year = 2021}\n"
        "@book{unclosed, title = {T}\n",
        encoding="utf-8",
    )
    result = run("get", "id", str(path))
    assert result.exit_code == 1
    assert result.stdout == "good1\ngood2\n"
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        "FILE:2: BibTeX syntax: expected ',' or '}' at line 2, found 'j'",
        "FILE:4: BibTeX syntax: Unexpectedly reached end of file.",
        "lutnick: 2 errors; 2 records processed",
    ]
