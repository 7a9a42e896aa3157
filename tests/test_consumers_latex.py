"""The BibTeX and biblatex exports, typeset by the real programs: pdflatex with bibtex and natbib
(apacite's natbibapa), and pdflatex with biber and biblatex-apa, with zero warnings from any of them.

What each program read is checked in the .bbl it wrote: bibtex's is the
formatted bibliography, so it shows what the style prints; biber's lists
every field it parsed, so it shows everything biblatex can use.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ALL_RECORDS, require_programs
from facts import RECORDS, exported, facts, plain
from lutnick_cli import latex
from lutnick_cli.formats.bibtex import langid

pytestmark = pytest.mark.consumers

_PROGRAMS = ("pdflatex", "bibtex", "biber")



def _run(command: list[str], folder) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=180)


def _warnings(text: str) -> list[str]:
    # ‘Warning’ with a capital W is how TeX, LaTeX packages, bibtex (‘Warning--’) and biber (‘WARN’) announce one.
    return [line for line in text.splitlines() if "Warning" in line or line.startswith("WARN") or line.startswith("!")]


NATBIB_DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{url}
\usepackage[natbibapa]{apacite}
\begin{document}
\nocite{*}
\bibliographystyle{apacite}
\bibliography{refs}
\end{document}
"""

BIBLATEX_DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[style=apa,backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def _compile(folder, bib: str, document: str, backend: str) -> list[str]:
    """pdflatex, the bibliography backend, pdflatex twice; the output of each run, the last as its log."""
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    (folder / "doc.tex").write_text(document, encoding="utf-8")
    pdflatex = ["pdflatex", "-interaction=nonstopmode", "doc"]
    logs = []
    for command in (pdflatex, [backend, "doc"], pdflatex, pdflatex):
        result = _run(command, folder)
        assert result.returncode == 0, result.stdout[-3000:]
        logs.append(result.stdout)
    logs[-1] = (folder / "doc.log").read_text(encoding="utf-8", errors="replace")
    return logs


@pytest.fixture(scope="module")
def natbib(tmp_path_factory):
    require_programs("pdflatex", "bibtex")
    folder = tmp_path_factory.mktemp("natbib")
    logs = _compile(folder, exported("bibtex"), NATBIB_DOCUMENT, "bibtex")
    return logs, (folder / "doc.bbl").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plainnat(tmp_path_factory):
    """natbib with plainnat, for the test records: plainnat rightly warns ‘number but no volume’ for
    the embedded record, an issue of a journal without volumes, so that one is left to apacite."""
    require_programs("pdflatex", "bibtex")
    folder = tmp_path_factory.mktemp("plainnat")
    names = [name for name in ALL_RECORDS if name != "lutnick2019"]
    document = NATBIB_DOCUMENT.replace("[natbibapa]{apacite}", "[round]{natbib}").replace("{apacite}", "{plainnat}")
    logs = _compile(folder, exported("bibtex", names), document, "bibtex")
    return names, logs, (folder / "doc.bbl").read_text(encoding="utf-8")


def test_plainnat_prints_the_test_records_without_a_warning(plainnat):
    """plainnat prints what apacite leaves out: ISSN (print and electronic) and a book's ISBN."""
    names, logs, bbl = plainnat
    assert _warnings(logs[1]) == []
    assert _warnings(logs[-1]) == []
    items = {key: plain(text) for key, text in re.findall(r"\\bibitem\[.*?\]\{(\w+)\}(.*?)(?=\\bibitem|\\end\{thebibliography)",
                                                         bbl, re.S)}
    assert sorted(items) == sorted(names)
    for name in names:
        expected = facts(RECORDS[name])
        item = items[name]
        assert plain(latex.protect_capitals(expected.title)) in item
        if expected.issns:
            assert f"ISSN {', '.join(expected.issns)}" in item
        if expected.isbn and RECORDS[name].type.value != "report":  # plainnat's techreport has no ISBN
            assert f"ISBN {expected.isbn}" in item
        if expected.doi:
            assert f"\\doi{{{expected.doi}}}" in item
        elif expected.url:
            assert f"\\url{{{expected.url}}}" in item


@pytest.fixture(scope="module")
def biblatex(tmp_path_factory):
    require_programs("pdflatex", "biber")
    folder = tmp_path_factory.mktemp("biblatex")
    logs = _compile(folder, exported("biblatex"), BIBLATEX_DOCUMENT, "biber")
    validation = _run(["biber", "--validate-datamodel", "doc"], folder)
    return logs, (folder / "doc.bbl").read_text(encoding="utf-8"), validation


def test_pdflatex_bibtex_natbib_run_without_a_warning(natbib):
    """The earlier LaTeX runs warn that citations are not yet resolved, as they must; bibtex's run
    and the final LaTeX log are the verdict."""
    logs, _ = natbib
    assert _warnings(logs[1]) == []
    assert _warnings(logs[-1]) == []


def _bibitem(bbl: str, key: str) -> str:
    start = bbl.index("{%\n" + key + "}")
    end = bbl.find("\\bibitem", start)
    return plain(bbl[start: end if end > 0 else len(bbl)])


@pytest.mark.parametrize("name", ALL_RECORDS)
def test_bibtex_with_apacite_prints_every_field_its_style_shows(natbib, name):
    """apacite prints authors, year and month, title, journal, volume, issue, pages, publisher or
    institution, URL and DOI. BibTeX styles never print ISSN, keywords or abstract, and bibtex has no
    day field: those are read from the .bib but not shown, so they are not looked for here."""
    _, bbl = natbib
    expected = facts(RECORDS[name])
    item = _bibitem(bbl, name)
    for family in expected.families:
        assert latex.escape(family) in item
    assert plain(latex.protect_capitals(expected.title)) in item
    article = RECORDS[name].type.value == "article-journal"
    protect = latex.escape if article else latex.protect_capitals
    if expected.journal:
        assert plain(protect(expected.journal)) in item
    if expected.date:
        assert f"{{{expected.date[0]}}}" in item
    if expected.date and len(expected.date) > 1:
        assert f"\\APACmonth{{{expected.date[1]:02d}}}" in item
    journal_line = re.search(r"\\APACjournalVolNumPages\{[^}]*\}\{([^}]*)\}\{([^}]*)\}\{([^}]*)\}", item)
    if RECORDS[name].type.value == "article-journal":
        assert journal_line.groups() == (expected.volume or "", expected.issue or "",
                                         "--".join(filter(None, [expected.first_page, expected.last_page])))
    elif expected.first_page:
        assert f"{expected.first_page}--{expected.last_page}" in item
    if expected.doi:
        assert f"\\doi{{{expected.doi}}}" in item
    elif expected.url:
        assert f"\\url{{{expected.url}}}" in item
    if expected.publisher and RECORDS[name].type.value != "article-journal":
        assert latex.escape(expected.publisher) in item


def test_pdflatex_biber_biblatex_apa_run_without_a_warning(biblatex):
    logs, _, _ = biblatex
    assert _warnings(logs[1]) == []
    assert _warnings(logs[-1]) == []


def test_biber_finds_the_export_valid_against_biblatex_data_model(biblatex):
    _, _, validation = biblatex
    assert validation.returncode == 0
    assert [line for line in validation.stdout.splitlines() if not line.startswith("INFO")] == []


def _entry(bbl: str, key: str) -> str:
    start = bbl.index(f"\\entry{{{key}}}")
    return bbl[start: bbl.index("\\endentry", start)]


def _field(entry: str, name: str) -> str | None:
    match = re.search(r"\\field\{" + name + r"\}\{", entry)
    if match is None:
        return None
    depth, position = 1, match.end()
    while depth:
        depth += {"{": 1, "}": -1}.get(entry[position], 0)
        position += 1
    return entry[match.end(): position - 1]


def _verb(entry: str, name: str) -> str | None:
    match = re.search(r"\\verb\{" + name + r"\}\n\s*\\verb (.*)\n", entry)
    return match.group(1) if match else None


@pytest.mark.parametrize("name", ALL_RECORDS)
def test_biber_reads_every_field(biblatex, name):
    """biber's .bbl lists each field it parsed. biblatex's article has no publisher field, so a
    journal's publisher is the one fact not in a biblatex article (see formats/biblatex.py)."""
    _, bbl, _ = biblatex
    record = RECORDS[name]
    expected = facts(record)
    entry = _entry(bbl, name)
    # An organisation, or a family name of several words, is one braced unit.
    authors = entry[entry.index("\\name{author}"): entry.index("\\strng{namehash}")]
    for role in ("editor", "translator"):
        if f"\\name{{{role}}}" in authors:
            authors = authors[: authors.index(f"\\name{{{role}}}")]
    assert re.findall(r"family=\{(.*)\},\n", authors) == [
        "{" + latex.escape(family) + "}" if " " in family else latex.escape(family) for family in expected.families
    ]
    assert _field(entry, "title") == latex.protect_capitals(expected.title)
    kind = "article" if record.type.value == "article-journal" else "other"
    if expected.journal:
        protect = latex.escape if kind == "article" else latex.protect_capitals
        assert plain(_field(entry, "journaltitle") or _field(entry, "booktitle") or "") == protect(expected.journal)
    if kind == "article":
        assert _field(entry, "number") == expected.issue
        assert _field(entry, "issn") == expected.issns[0]
        assert [_field(entry, "issn"), _field(entry, "usera")][: len(expected.issns)] == expected.issns
    assert _field(entry, "volume") == expected.volume
    if expected.first_page:
        assert _field(entry, "pages") == "\\bibrangedash ".join(filter(None, [expected.first_page, expected.last_page]))
    if expected.date:
        parts = [_field(entry, "year"), _field(entry, "month"), _field(entry, "day")]
        assert tuple(int(part) for part in parts if part) == expected.date
    else:
        assert (_field(entry, "year"), _field(entry, "yeardivision")) == (str(expected.year), "summer")
    assert _verb(entry, "doi") == expected.doi
    assert _verb(entry, "url") == expected.url
    keywords = re.search(r"\\keyw\{([^}]*)\}", entry)
    assert (keywords.group(1).split(",") if keywords else []) == expected.keywords
    assert _field(entry, "abstract") == expected.abstract
    assert _field(entry, "langid") == (langid(expected.language) if expected.language else None)
    if kind != "article" and expected.publisher:
        assert latex.escape(expected.publisher) in entry
    if record.isbn and record.type.value in ("book", "chapter"):
        assert _field(entry, "isbn") == record.isbn
