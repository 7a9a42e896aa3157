"""Writing BibTeX and biblatex imports the writer alone: reading .bib files is another module's work."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Runs lutnick with the arguments given and prints, on its last line of standard error, the modules imported.
_MODULES_PROBE = """
import runpy, sys
sys.argv = ["lutnick", *sys.argv[1:]]
try:
    runpy.run_module("lutnick_cli", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""

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
    result = subprocess.run([sys.executable, "-c", _MODULES_PROBE, "export", "--to", target, str(records)],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("@book{"), result.stderr
    imported = set(result.stderr.splitlines()[-1].split())
    assert "lutnick_cli.formats.bibtex" in imported
    assert sorted(imported.intersection(_READING)) == []


def test_reading_a_bib_file_imports_the_reader(tmp_path):
    source = tmp_path / "refs.bib"
    source.write_text("@book{r1, title = {Book}, author = {Ng}}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", _MODULES_PROBE, "export", "--to", "csl-json", str(source)],
                            capture_output=True, text=True, timeout=60)
    assert json.loads(result.stdout)[0]["title"] == "Book", result.stderr
    imported = set(result.stderr.splitlines()[-1].split())
    assert {"lutnick_cli.formats.bib_reader", "lutnick_cli.formats.bib_syntax"} <= imported
