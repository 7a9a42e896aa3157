"""The BibTeX and CSL-JSON exports, read by the programs people use: zero warnings, every field.

Each consumer reads all test records at once. Missing programs skip with the
reason; CI installs them all.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import jsonschema
import pytest

from conftest import ALL_RECORDS, record_arguments, shared

pytestmark = pytest.mark.consumers


def _require(*programs: str) -> None:
    for program in programs:
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (CI installs it with .ci/run)")


def _export(run, target: str) -> str:
    arguments = [argument for record in ALL_RECORDS for argument in record_arguments(record)]
    if ALL_RECORDS[0] == "lutnick2019":
        # The embedded record is named by no argument; name its file so it joins the batch.
        from conftest import REPO

        arguments.insert(0, str(REPO / "data" / "article.yaml"))
    result = run("export", "--to", target, *arguments)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _pandoc() -> str:
    try:
        import pypandoc
    except ImportError:
        pytest.skip("pypandoc-binary is not installed")
    return pypandoc.get_pandoc_path()


def _latex(folder, name: str, *steps: list[str]) -> str:
    logs = []
    for step in steps:
        result = subprocess.run(step, cwd=folder, capture_output=True, text=True, timeout=120)
        logs.append(result.stdout + result.stderr)
        assert result.returncode == 0, "\n".join(logs)
    return "\n".join(logs)


# bibtex writes "Warning--…", biber "WARN - …" or "ERROR - …", LaTeX and its packages "… Warning: …".
_WARNING = re.compile(r"^(?:Warning--|.* (?:WARN|ERROR) - |.*Warning: ).*$", re.MULTILINE)


def _warnings(text: str) -> list[str]:
    return _WARNING.findall(text)


def test_bibtex_with_natbib_reads_every_record_without_a_warning(run, tmp_path):
    _require("pdflatex", "bibtex")
    (tmp_path / "refs.bib").write_text(_export(run, "bibtex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{url}\n"
        "\\usepackage[natbibapa]{apacite}\n\\begin{document}\n\\nocite{*}\n"
        "\\bibliographystyle{apacite}\n\\bibliography{refs}\n\\end{document}\n",
        encoding="utf-8",
    )
    pdflatex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    _latex(tmp_path, "doc", pdflatex, ["bibtex", "doc"], pdflatex, pdflatex)
    blg = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert _warnings(blg) == []
    assert _warnings(log) == []
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    for fact in ("Lutnick", "Anti-Trafficking Review", "{12}{140--154}", "10.14197/atr.201219129", "LeCun"):
        assert fact in bbl


def test_biber_with_biblatex_reads_every_field_without_a_warning(run, tmp_path):
    _require("pdflatex", "biber")
    (tmp_path / "refs.bib").write_text(_export(run, "bibtex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[style=apa,backend=biber]{biblatex}\n"
        "\\addbibresource{refs.bib}\n\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    pdflatex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    output = _latex(tmp_path, "doc", pdflatex, ["biber", "doc"], pdflatex, pdflatex)
    assert _warnings((tmp_path / "doc.blg").read_text(encoding="utf-8")) == []
    assert _warnings((tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")) == [], output
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    entry = bbl[bbl.index("\\entry{lutnick2019}"):]
    entry = entry[: entry.index("\\endentry")]
    for field in (
        "\\field{day}{29}",
        "\\field{month}{4}",
        "\\field{year}{2019}",
        "\\field{number}{12}",
        "\\field{journaltitle}{Anti-Trafficking Review}",
        "\\field{issn}{2286-7511, 2287-0113}",
        "\\keyw{sex work,human trafficking,policy,coalitions,violence,crime victim}",
        "\\verb{doi}",
        "\\verb 10.14197/atr.201219129",
        "\\verb{url}",
        "\\field{abstract}{This article presents a case study",
        "family={Lutnick}",
        "given={Alexandra}",
    ):
        assert field in entry, field
    assert "\\field{volume}" not in entry


def test_csl_json_is_valid_against_the_official_schema(run):
    schema = json.loads(shared("consumer-schemas", "csl", "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(_export(run, "csl-json"))
    jsonschema.validate(items, schema)
    assert len(items) == len(ALL_RECORDS)


def _pandoc_read(path, input_format: str) -> list[dict]:
    result = subprocess.run(
        [_pandoc(), "--fail-if-warnings", "-f", input_format, "-t", "csljson", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    return {item["id"]: item for item in json.loads(result.stdout)}


@pytest.mark.parametrize("target, pandoc_format, extension", [("csl-json", "csljson", "json"), ("bibtex", "bibtex", "bib")])
def test_pandoc_reads_the_export_without_a_warning_and_keeps_every_field(run, tmp_path, target, pandoc_format, extension):
    path = tmp_path / f"refs.{extension}"
    path.write_text(_export(run, target), encoding="utf-8")
    items = _pandoc_read(path, pandoc_format)
    assert len(items) == len(ALL_RECORDS)
    article = items["lutnick2019"]
    assert article["author"] == [{"family": "Lutnick", "given": "Alexandra"}]
    assert article["issued"] == {"date-parts": [[2019, 4, 29]]}
    assert article["issue"] == "12" and "volume" not in article
    assert article["page"].replace("–", "-") == "140-154"
    assert article["DOI"] == "10.14197/atr.201219129"
    assert article["URL"] == "https://www.antitraffickingreview.org/index.php/atrjournal/article/view/382"
    assert article["ISSN"] == "2286-7511, 2287-0113"
    assert article["container-title"] == "Anti-Trafficking Review"
    assert article["abstract"].startswith("This article presents a case study")
    assert article["keyword"] == "sex work, human trafficking, policy, coalitions, violence, crime victim"
    assert "Prioritizing Safety for Sex Workers Policy" in article["title"]
