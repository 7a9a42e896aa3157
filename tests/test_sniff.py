"""Input without a telling name (standard input, an unknown extension) is read in the format its content has."""

from __future__ import annotations

import json

import pytest

from lutnick_cli.load import sniff_format

BIB_ENTRY = "@article{smith2020,\n  author = {Smith, Jane},\n  title = {A title},\n  journal = {A Journal},\n  year = {2020},\n}\n"
RIS_RECORD = "TY  - JOUR\r\nID  - smith2020\r\nAU  - Smith, Jane\r\nTI  - A title\r\nT2  - A Journal\r\nPY  - 2020\r\nER  - \r\n"
CSL_JSON = '[{"id": "smith2020", "type": "article-journal", "title": "A title", ' \
    '"author": [{"family": "Smith", "given": "Jane"}], "container-title": "A Journal", "issued": {"date-parts": [[2020]]}}]'
YAML_RECORD = "id: smith2020\ntype: article-journal\ntitle: A title\nauthors:\n  - family: Smith\n    given: Jane\n" \
    "container:\n  title: A Journal\nissued: 2020\n"

# What every one of these inputs is, read.
EXPECTED = {
    "id": "smith2020", "type": "article-journal", "title": "A title", "authors": [{"family": "Smith", "given": "Jane"}],
    "container": {"title": "A Journal"}, "issued": "2020",
}

CASES = {
    "bib opening with % comments": ("bibtex", "% Encoding: UTF-8\n%% written by JabRef\n\n" + BIB_ENTRY),
    "bib opening with @comment": ("bibtex", "@comment{jabref-meta: databaseType:bibtex;}\n\n" + BIB_ENTRY),
    "bib opening with @preamble": ("bibtex", '@preamble{"\\newcommand{\\noop}[1]{}"}\n' + BIB_ENTRY),
    "bib opening with @string": ("bibtex", "@String{jnl = {A Journal}}\n" + BIB_ENTRY.replace("{A Journal}", "jnl")),
    "bib opening with blank lines": ("bibtex", "\n\n  \n" + BIB_ENTRY),
    "bib opening with free text": ("bibtex", "This file was created with JabRef 2.10.\nEncoding: UTF8\n\n" + BIB_ENTRY),
    "bib with a BOM": ("bibtex", "\ufeff" + BIB_ENTRY),
    "ris": ("ris", RIS_RECORD),
    "ris opening with a BOM": ("ris", "\ufeff" + RIS_RECORD),
    "ris opening with blank lines": ("ris", "\r\n\r\n" + RIS_RECORD),
    "csl-json": ("csl-json", CSL_JSON),
    "csl-json opening with blank lines and a BOM": ("csl-json", "\ufeff\n  " + CSL_JSON),
    "yaml": ("yaml", YAML_RECORD),
    "yaml with a directive": ("yaml", "%YAML 1.2\n---\n" + YAML_RECORD),
    "yaml with a comment": ("yaml", "# @article{not, bibtex}\n" + YAML_RECORD),
}


@pytest.mark.parametrize("text", [text for _, text in CASES.values()], ids=list(CASES))
def test_standard_input_is_read_in_the_format_of_its_content(run, text):
    result = run("show", "--format", "json", "-", input=text.encode("utf-8"))
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert {key: data[key] for key in EXPECTED} == EXPECTED


@pytest.mark.parametrize("name, case", CASES.items(), ids=list(CASES))
def test_the_format_is_told_by_content(name, case):
    expected, text = case
    assert sniff_format(text.encode("utf-8")) == expected


def test_ris_after_a_providers_header_is_ris():
    # As some publishers' sites write it; the RIS reader warns of the lines it skips (test_ris).
    assert sniff_format(b"Provider: A Publisher\r\nContent: text/plain\r\n\r\n" + RIS_RECORD.encode()) == "ris"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_seen_through(encoding):
    assert sniff_format(("\ufeff" + RIS_RECORD).encode(encoding)) == "ris"
    assert sniff_format(("\ufeff" + "% comment\n" + BIB_ENTRY).encode(encoding)) == "bibtex"


def test_a_file_with_an_unknown_extension_is_read_by_content(run, tmp_path):
    for name, text in (("savedrecs.txt", RIS_RECORD), ("library.bibtex", "% JabRef\n" + BIB_ENTRY),
                       ("items.data", CSL_JSON), ("record", YAML_RECORD)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = run("show", "--format", "json", str(path))
        assert (result.exit_code, result.stderr) == (0, ""), name
        data = json.loads(result.stdout)
        assert {key: data[key] for key in EXPECTED} == EXPECTED, name
