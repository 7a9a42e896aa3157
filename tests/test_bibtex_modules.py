"""Writing BibTeX and biblatex imports the writer alone: reading .bib files is another module's work."""

from __future__ import annotations

import json

import pytest

from tests.conftest import imported_modules

_READING = [
    "bibtexparser",
    "lutnick_cli.formats.bib_reader",
    "lutnick_cli.formats.bib_syntax",
    "lutnick_cli.latex_text",
    "pylatexenc",
]


@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
def test_an_export_from_csl_json_imports_nothing_of_the_bib_reader(target, tmp_path):
    records = tmp_path / "refs.json"
    records.write_text(json.dumps([{"id": "r1", "type": "book", "title": "Book", "author": [{"family": "Ng"}]}]))
    result, imported = imported_modules(["export", "--to", target, str(records)])
    assert result.stdout.startswith("@book{"), result.stderr
    assert "lutnick_cli.formats.bibtex" in imported
    assert sorted(imported.intersection(_READING)) == []
    # imported by gettext's first lookup of a text: lutnick looks none of click's up (see cli.Command)
    assert "locale" not in imported


def test_reading_a_bib_file_imports_the_reader(tmp_path):
    source = tmp_path / "refs.bib"
    source.write_text("@book{r1, title = {Book}, author = {Ng}}\n", encoding="utf-8")
    result, imported = imported_modules(["export", "--to", "csl-json", str(source)])
    assert json.loads(result.stdout)[0]["title"] == "Book", result.stderr
    assert {"lutnick_cli.formats.bib_reader", "lutnick_cli.formats.bib_syntax"} <= imported
