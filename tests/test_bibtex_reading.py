"""Reading .bib files as bibtex and biber read them: syntax, macros, inheritance, LaTeX, biblatex's
fields and types, the variants of Mendeley and JabRef, encodings; and nothing in an entry is lost.
"""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from conftest import REPO
from lutnick_cli.formats import bib_reader, bib_syntax
from lutnick_cli.latex import from_rich_text
from lutnick_cli.latex_text import to_rich_text

EXAMPLES = REPO / "tests" / "realworld" / "bibtex" / "biblatex-examples.bib"


def _bib(tmp_path, text: str, name: str = "refs.bib"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def _records(run, *arguments: str) -> tuple[list[dict], list[str]]:
    """The records as `show --format json` gives them, and stderr's lines with the file names left out."""
    result = run("show", "--format", "json", *arguments)
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    lines = [re.sub(r"^\S+?\.bib:", "FILE:", line) for line in result.stderr.splitlines()]
    return records if isinstance(records, list) else [records], lines


# --- syntax -----------------------------------------------------------------------------------------


def test_field_names_and_entry_types_in_any_case(run, tmp_path):
    path = _bib(tmp_path, """
        @ARTICLE{upper, AUTHOR = {Smith, Ann}, Title = {Upper}, JOURNAL = {J}, Year = 2020}
        @InProceedings{mixed, author = "Jones, Bo", TITLE = "Mixed", BookTitle = "Proc"}
        """)
    records, warnings = _records(run, str(path))
    assert records == [
        {"id": "upper", "type": "article-journal", "title": "Upper", "authors": [{"family": "Smith", "given": "Ann"}],
         "container": {"title": "J"}, "issued": "2020"},
        {"id": "mixed", "type": "paper-conference", "title": "Mixed", "authors": [{"family": "Jones", "given": "Bo"}],
         "container": {"title": "Proc"}},
    ]
    assert warnings == []


def test_concatenation_macros_months_and_folded_white_space(run, tmp_path):
    path = _bib(tmp_path, """
        @String{ jn = "Journal of " }
        @STRING(pub = {Example} # " Press")
        @article{a,
          title   = "A title " # {broken
                        over}   # " lines",
          journal = jn # {Things},
          publisher = pub,
          year    = 2019,
          month   = aug # "",
          day     = 7,
        }
        """)
    records, warnings = _records(run, str(path))
    assert records == [{
        "id": "a", "type": "article-journal", "title": "A title broken over lines",
        "container": {"title": "Journal of Things"}, "publisher": "Example Press", "issued": "2019-08-07",
    }]
    assert warnings == []


def test_an_undefined_macro_is_kept_as_its_name_with_a_warning(run, tmp_path):
    path = _bib(tmp_path, """
        @string{b = a # " Review"}
        @article{k, title = {T}, journal = nature, series = b, year = 2020}
        """)
    result = run("get", "container.title", str(path))
    assert result.exit_code == 0
    assert result.stdout == "nature\n"
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        "FILE:2: warning: [k] journal: @string 'nature' is not defined; kept as its name",
        "FILE:2: warning: [k] series: @string 'a' is not defined; kept as its name",
        "lutnick: 2 warnings; 1 record processed",
    ]
    strict = run("get", "container.title", "--strict", str(path))
    assert (strict.exit_code, strict.stdout) == (1, "")


def test_a_strings_file_given_first_serves_the_files_after_it(run, tmp_path):
    strings = _bib(tmp_path, '@string{natrev = "Nature Reviews"}\n@string{pub = "NPG"}\n', "strings.bib")
    refs = _bib(tmp_path, "@article{k, title = {T}, journal = natrev, publisher = pub, year = 2021}\n")
    result = run("export", "--to", "csl-json", str(strings), str(refs))
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == [{
        "id": "k", "type": "article-journal", "title": "T", "container-title": "Nature Reviews", "publisher": "NPG",
        "issued": {"date-parts": [[2021]]},
    }]
    # The other way round, the macros are not defined yet when refs.bib is read: as with bibtex.
    backwards = run("get", "container.title", str(refs), str(strings))
    assert backwards.stdout == "natrev\n"
    assert "@string 'natrev' is not defined" in backwards.stderr


def test_a_field_given_twice_keeps_the_first_and_names_the_second(run, tmp_path):
    path = _bib(tmp_path, "@book{a,\n  title = {T},\n  title = {U}\n}\n")
    result = run("get", "title", str(path))
    assert (result.exit_code, result.stdout) == (0, "T\n")
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        "FILE:2: warning: [a] title: the field is given twice; the second value 'U' is ignored, as bibtex ignores it",
        "lutnick: 1 warning; 1 record processed",
    ]


def test_a_warning_names_the_line_of_its_field(run, tmp_path):
    path = _bib(tmp_path, "@article{a,\n  title = {T},\n\n  journal = undefinedmacro,\n  year = 2020\n}\n")
    result = run("get", "id", str(path))
    assert result.stderr.replace(str(path), "FILE").splitlines()[0] == (
        "FILE:4: warning: [a] journal: @string 'undefinedmacro' is not defined; kept as its name")


def test_an_email_address_in_a_comment_is_not_an_entry():
    entries = bib_syntax.parse("Written by ann@example.org\n@misc{a, title = {T}}\n", bib_syntax.Definitions())
    assert [(entry.kind, entry.key, entry.fields, entry.line) for entry in entries] == [("misc", "a", {"title": "T"}, 2)]


def test_a_field_commented_out_with_a_percent_sign_is_a_comment(run, tmp_path):
    """As biber and pandoc read it; a % within a value is text."""
    path = _bib(tmp_path, """
        @article{a,
           %note = "Proceedings of {EMIS}, 11-15 May 2015",
           title = {Half {ISOL}, 50\\% off},
           % journal = {Not this one},
           journal = "J", % the journal
           url = {https://example.org/a%20b},
           year = 2016,
           %doi = {10.1000/x}
        }
        @misc{b, title = {Next}}
        """)
    records, warnings = _records(run, str(path))
    assert records == [
        {"id": "a", "type": "article-journal", "title": "Half <span class=\"nocase\">ISOL</span>, 50% off",
         "container": {"title": "J"},
         "issued": "2016", "url": "https://example.org/a%20b"},
        {"id": "b", "type": "document", "title": "Next"},
    ]
    assert warnings == []


def test_an_entry_commented_out_line_by_line_is_a_comment(run, tmp_path):
    path = _bib(tmp_path, """
        % @electronic{maxima,
        %   title = {Old},
        % }
        @misc{maxima, title = {Maxima}}
        %@online{arXiv:2307.09094,
        @article{arXiv:2307.09094, title = {Improved}, journal = {J}} % @misc{after, title = {No}}
        """)
    records, warnings = _records(run, str(path))
    assert [(record["id"], record["title"]) for record in records] == [
        ("maxima", "Maxima"), ("arXiv:2307.09094", "Improved")]
    assert warnings == []


# --- crossref and xdata -------------------------------------------------------------------------------


def test_crossref_follows_biblatex_inheritance_and_bibtex_same_name_rule(run, tmp_path):
    path = _bib(tmp_path, """
        @inproceedings{paper, author = {Smith, Ann}, title = {Our Paper}, pages = {1--10}, crossref = {proc}}
        @proceedings{proc, title = {Proceedings of the Meeting}, subtitle = {Volume One}, editor = {Jones, Bo},
                     publisher = {ACM}, year = 2020, shorttitle = {Proc.}}
        @incollection{chapter, title = {A Chapter}, crossref = {coll}}
        @collection{coll, title = {The Collection}, booktitle = {Ignored, the title wins}, address = {Paris},
                    year = 2001}
        @inbook{part, title = {Part}, crossref = {volume}}
        @book{volume, title = {Second Volume}, crossref = {whole}}
        @mvbook{whole, title = {Collected Works}, year = 1990}
        """)
    records, warnings = _records(run, str(path))
    assert records[0] == {
        "id": "paper", "type": "paper-conference", "title": "Our Paper", "authors": [{"family": "Smith", "given": "Ann"}],
        "editors": [{"family": "Jones", "given": "Bo"}], "container": {"title": "Proceedings of the Meeting: Volume One"},
        "publisher": "ACM", "pages": "1–10", "issued": "2020", "other_fields": {"crossref": "proc"},
    }
    assert records[2] == {
        "id": "chapter", "type": "chapter", "title": "A Chapter", "container": {"title": "The Collection"},
        "publisher_place": "Paris", "issued": "2001", "other_fields": {"crossref": "coll"},
    }
    # An @inbook in a @book in an @mvbook: the book's title is the volume's, the mvbook's the work's.
    assert records[4] == {
        "id": "part", "type": "chapter", "title": "Part", "container": {"title": "Collected Works"},
        "volume_title": "Second Volume", "issued": "1990", "other_fields": {"crossref": "volume"},
    }
    assert records[5]["title"] == "Collected Works" and records[5]["volume_title"] == "Second Volume"
    assert warnings == []


def test_a_crossref_parent_may_be_in_a_file_read_before(run, tmp_path):
    parents = _bib(tmp_path, "@proceedings{conf, title = {Proceedings of Things}, year = 2019}\n", "parents.bib")
    paper = _bib(tmp_path, "@inproceedings{p, title = {P}, crossref = {CONF}}\n")
    records, warnings = _records(run, str(parents), str(paper))
    assert records[1] == {"id": "p", "type": "paper-conference", "title": "P",
                          "container": {"title": "Proceedings of Things"}, "issued": "2019",
                          "other_fields": {"crossref": "CONF"}}
    assert warnings == []


def test_xdata_is_taken_and_is_no_record_of_its_own(run, tmp_path):
    path = _bib(tmp_path, """
        @xdata{acm, publisher = {ACM}, location = {New York}}
        @book{b, title = {B}, xdata = {acm}, year = 2000}
        """)
    records, warnings = _records(run, str(path))
    assert records == [{"id": "b", "type": "book", "title": "B", "publisher": "ACM", "publisher_place": "New York",
                        "issued": "2000", "other_fields": {"xdata": "acm"}}]
    assert warnings == []


def test_a_crossref_to_a_missing_entry_is_a_warning(run, tmp_path):
    path = _bib(tmp_path, "@inproceedings{p, title = {P}, crossref = {nowhere}}\n")
    records, warnings = _records(run, str(path))
    assert records == [{"id": "p", "type": "paper-conference", "title": "P", "other_fields": {"crossref": "nowhere"}}]
    assert warnings == ["FILE:1: warning: [p] crossref: no entry 'nowhere' to inherit from",
                        "lutnick: 1 warning; 1 record processed"]


# --- LaTeX to Unicode and rich text -----------------------------------------------------------------------


@pytest.mark.parametrize("latex, protect, text", [
    (r"Sch{\"o}dinger, Mar{\'\i}a, \v{S}koda, \c{c}a, {\ss}", False, "Schödinger, María, Škoda, ça, ß"),
    (r"{\TeX} and \LaTeX{} \& co~ltd -- 1--2 --- ok", False, "TeX and LaTeX & co\u00a0ltd – 1–2 — ok"),
    (r"\textit{It} \emph{em} {\em old} \textbf{b} {\bf b} \textsc{sc}", False,
     "<i>It</i> <i>em</i> <i>old</i> <b>b</b> <b>b</b> <sc>sc</sc>"),
    (r"Cu$_2$O and $\Delta$ and $\alpha$-helix and $x^{2}_{i}$", False,
     "Cu<sub>2</sub>O and Δ and α-helix and x<sup>2</sup><sub>i</sub>"),
    (r"{DNA} and {B}ayesian {The {RNA} world}", True,
     '<span class="nocase">DNA</span> and <span class="nocase">B</span>ayesian <span class="nocase">The RNA world</span>'),
    (r"{DNA} in a note", False, "DNA in a note"),
    (r"{\"O}zge", True, "Özge"),
    (r"50% off, 50\% off", False, "50% off, 50% off"),
    (r"\mkbibquote{Intention} and \enquote{this}", False, '"Intention" and "this"'),
    (r"\url{https://example.org/a_b} \href{https://x.org}{X}", False, "https://example.org/a_b X"),
    (r"plain `quoted' -- text", False, "plain `quoted' – text"),
    # siunitx: a number and its unit part at a no-break space, none before % or an angle's °.
    (r"{\SI{70}{\celsius}} and $T_{1/2} = \SI{0.84}{\second}$", True, "70\u00a0°C and T<sub>1/2</sub> = 0.84\u00a0s"),
    (r"\qtyrange[range-phrase=--,range-units=single]{0.3}{1.2}{\mega\electronvolt\per u}", False,
     "0.3–1.2\u00a0MeV/u"),
    (r"\qty{5}{\milli\tesla}, \SIrange{1}{2}{\nano\meter}, \SI[mode=text]{50}{\percent}, \qty{45}{\degree}", False,
     "5\u00a0mT, 1–2\u00a0nm, 50%, 45°"),
    (r"\si{\kilo\gram\metre\per\second\squared} \unit{\square\centi\meter} \si{\ohm}", False,
     "kg\u202fm/s<sup>2</sup> cm<sup>2</sup> Ω"),
    (r"\num{1.5e-3}, \num{-2}, \numrange{10}{20}", False, "1.5 × 10<sup>−3</sup>, −2, 10–20"),
    # chemformula and mhchem: isotopes, subscripts, charges, arrows.
    (r"\ch{^{116}In}, \ch{^{7}Li-^{8}Li} and \ch{UC_{x}}", True, "<sup>116</sup>In, <sup>7</sup>Li-<sup>8</sup>Li and UC<sub>x</sub>"),
    (r"\ch{Li+}, \ch{Mg^2+}, \ch{Fe3+}, \ch{SO4^{2-}}", False,
     "Li<sup>+</sup>, Mg<sup>2+</sup>, Fe<sup>3+</sup>, SO<sub>4</sub><sup>2-</sup>"),
    (r"\ce{2 H2 + O2 -> 2 H2O} in \ch{Ca(OH)2}", False,
     "2 H<sub>2</sub> + O<sub>2</sub> → 2 H<sub>2</sub>O in Ca(OH)<sub>2</sub>"),
])
def test_latex_becomes_unicode_and_the_records_rich_text(latex, protect, text):
    unknown: list[str] = []
    assert to_rich_text(latex, protect, unknown) == text
    assert unknown == []


def test_an_unknown_command_keeps_its_text_and_is_named():
    unknown: list[str] = []
    # LaTeX ends a command's name at the space after it, which it swallows.
    assert to_rich_text(r"A \foo{bar} and \baz b $\qux$", False, unknown) == "A bar and b"
    assert unknown == [r"\foo", r"\baz", r"\qux"]


def test_a_unit_or_formula_outside_what_is_read_keeps_its_text_and_is_named():
    unknown: list[str] = []
    # siunitx prints a unit macro's symbol; one this reading does not know stands as its name.
    assert to_rich_text(r"\SI{3}{\furlong\per\hour}", False, unknown) == "3\u00a0furlong/h"
    # \ch with a command inside is more of chemformula than is read: the text, as for any unknown command.
    assert to_rich_text(r"\ch{A ->[\Delta] B}", False, unknown) == "A ->[Δ] B"
    assert unknown == [r"\furlong", r"\ch"]


def test_units_and_formulas_of_a_physics_bibliography_reach_the_citation(run, tmp_path):
    path = _bib(tmp_path, r"""
        @article{ward2021, author = {Ward, Ada and Osei, Kwame},
          title = {Spin relaxation of \ch{^{8}Li} in \ch{SrTiO3} near \SI{70}{\kelvin}
                   with \qtyrange[range-units=single]{0.3}{1.2}{\mega\electronvolt\per u} beams},
          journal = {Journal of Test Physics}, volume = 12, pages = {1--9}, year = 2021}
        """)
    cited = run("cite", "--style", "apa", str(path))
    assert (cited.stdout, cited.stderr) == (
        "Ward, A., & Osei, K. (2021). Spin relaxation of 8Li in SrTiO3 near 70\u00a0K with 0.3–1.2\u00a0MeV/u beams."
        " Journal of Test Physics, 12, 1–9.\n", "")
    html = run("cite", "--style", "apa", "--format", "html", str(path))
    assert html.stdout == (
        '<div class="csl-entry">Ward, A., &#38; Osei, K. (2021). Spin relaxation of <sup>8</sup>Li in'
        " SrTiO<sub>3</sub> near 70\u00a0K with 0.3–1.2\u00a0MeV/u beams. <i>Journal of Test Physics</i>,"
        " <i>12</i>, 1–9.</div>\n")


@pytest.mark.parametrize("rich, latex", [
    ('<span class="nocase">DNA</span> repair in <i>E. coli</i>', r"{DNA} repair in \textit{E. coli}"),
    ("Cu<sub>2</sub>O and x<sup>2</sup>, <b>bold</b> <sc>caps</sc>",
     r"Cu\textsubscript{2}O and x\textsuperscript{2}, \textbf{bold} \textsc{caps}"),
    ("<i>unclosed & odd", r"<i>unclosed \& odd"),
    ("<script>x</script>", "<script>x</script>"),
])
def test_rich_text_goes_back_to_latex(rich, latex):
    assert from_rich_text(rich) == latex


def test_protected_words_keep_their_case_in_a_title_case_style_and_go_back_as_braces(run, tmp_path):
    path = _bib(tmp_path, r"""
        @article{w, author = {Smith, Ann},
          title = {Forces of {van der Waals} type in {DNA} and {B}ayesian \textit{E.~coli} models},
          journal = {J}, year = 2020}
        """)
    cited = run("cite", "--style", "modern-language-association", str(path))
    assert cited.stdout == "Smith, Ann. “Forces of van der Waals Type in DNA and Bayesian E.\u00a0Coli Models.” J, 2020.\n"
    # The export braces each capitalised word, as it does in every title; ~ was read as a no-break
    # space, which goes back as the character itself (U+00A0).
    exported = run("export", "--to", "bibtex", str(path))
    assert exported.stdout == textwrap.dedent(r"""
        @article{w,
          author  = {Smith, Ann},
          title   = {Forces of {van der Waals} type in {DNA} and {B}ayesian \textit{{E}. coli} models},
          journal = {J},
          year    = {2020},
          date    = {2020}
        }
        """).lstrip()


def test_an_unknown_command_in_a_field_is_a_warning(run, tmp_path):
    path = _bib(tmp_path, r"@book{b, title = {The \mycommand{Thing}}, year = 2000}" + "\n")
    result = run("get", "title", str(path))
    assert result.stdout == "The Thing\n"
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        r"FILE:1: warning: [b] title: unknown LaTeX command \mycommand: its text is kept",
        "lutnick: 1 warning; 1 record processed",
    ]


# --- names ----------------------------------------------------------------------------------------------


def test_and_others_is_an_et_al_mark_not_an_author(run, tmp_path):
    path = _bib(tmp_path, "@article{a, author = {Smith, Ann and Jones, Bo and others}, title = {T}, year = 2020}\n")
    records, warnings = _records(run, str(path))
    assert records[0]["authors"] == [{"family": "Smith", "given": "Ann"}, {"family": "Jones", "given": "Bo"}]
    assert records[0]["other_fields"] == {"etal": "author"}
    exported = run("export", "--to", "bibtex", str(path))
    assert "  author = {Smith, Ann and Jones, Bo and others},\n" in exported.stdout


# --- biblatex -----------------------------------------------------------------------------------------------


def test_biblatex_fields_types_and_localisation_keys(run, tmp_path):
    path = _bib(tmp_path, r"""
        @thesis{t, author = {Doe, Jan}, title = {Essay}, subtitle = {On Things}, titleaddon = {With Notes},
                type = {mathesis}, institution = {Uni}, date = {2019-21}}
        @patent{p, author = {Inventor, Ivy}, title = {Widget}, number = {123}, type = {patentus},
                date = {2001-02-03/2001-03-04}}
        @article{a, title = {Soon}, journaltitle = {J}, pubstate = {inpress}, series = {newseries},
                 origdate = {1901~}, eventdate = {2020?}, urldate = {2024-01-02}}
        @online{o, title = {Page}, url = {https://example.org/x\_y}, urldate = {2024-05-06}, date = {2023}}
        @misc{e, title = {Preprint}, eprint = {2101.00001}, eprinttype = {arXiv}, eprintclass = {cs.CL},
                 date = {2021}}
        @periodical{j, title = {Journal}, issuetitle = {Special Issue}, date = {1999}}
        @book{m, title = {Volume Two}, maintitle = {Collected Papers}, mainsubtitle = {1900--1950}, date = {1950}}
        """)
    records, warnings = _records(run, str(path))
    assert records == [
        {"id": "t", "type": "thesis", "title": "Essay: On Things. With Notes", "authors": [{"family": "Doe", "given": "Jan"}],
         "publisher": "Uni", "genre": "Master’s thesis", "issued": "2019-21"},
        {"id": "p", "type": "patent", "title": "Widget", "authors": [{"family": "Inventor", "given": "Ivy"}],
         "genre": "U.S. patent", "number": "123", "issued": "2001-02-03/2001-03-04"},
        {"id": "a", "type": "article-journal", "title": "Soon", "container": {"title": "J"},
         "collection_title": "new series", "status": "in press", "original_date": "1901~", "event_date": "2020~",
         "accessed": "2024-01-02", "other_fields": {"eventdate": "2020?"}},
        {"id": "o", "type": "webpage", "title": "Page", "issued": "2023", "accessed": "2024-05-06",
         "url": "https://example.org/x_y"},
        {"id": "e", "type": "document", "title": "Preprint", "number": "arXiv:2101.00001", "issued": "2021",
         "url": "https://arxiv.org/abs/2101.00001",
         "other_fields": {"eprint": "2101.00001", "eprinttype": "arXiv", "eprintclass": "cs.CL"}},
        {"id": "j", "type": "periodical", "title": "Journal", "volume_title": "Special Issue", "issued": "1999"},
        {"id": "m", "type": "book", "title": "Collected Papers: 1900–1950", "volume_title": "Volume Two", "issued": "1950"},
    ]
    assert warnings == []


def test_mendeley_and_jabref_variants_mean_what_they_say(run, tmp_path):
    path = _bib(tmp_path, r"""
        @book_section{s, author = {A, B}, title = {S}, booktitle = {Book}, city = {Leeds}, year = {2010}}
        @web_page{w, title = {W}, url = {https://example.org}, year = {2011}}
        @magazine_article{m, title = {M}, journal = {Mag}, year = {2012}}
        @newspaper_article{n, title = {N}, journal = {Paper}, year = {2013}}
        @generic{g, title = {G}, year = {2014},
          groups = {reading}, timestamp = {2020-01-01}, owner = {ann}, file = {:a.pdf:PDF},
          mendeley-tags = {x}, annotation = {Read twice}}
        """)
    records, warnings = _records(run, str(path))
    assert [(record["type"], record.get("container", {}).get("title")) for record in records] == [
        ("chapter", "Book"), ("webpage", None), ("article-magazine", "Mag"), ("article-newspaper", "Paper"),
        ("document", None)]
    assert records[0]["publisher_place"] == "Leeds"
    assert records[4]["annote"] == "Read twice"
    assert records[4]["other_fields"] == {"groups": "reading", "timestamp": "2020-01-01", "owner": "ann",
                                          "file": ":a.pdf:PDF", "mendeley-tags": "x"}
    assert warnings == []


def test_an_unknown_entry_type_is_a_document_and_goes_back_as_its_type(run, tmp_path):
    path = _bib(tmp_path, "@Gadget{g, title = {G}, year = 2000}\n")
    records, warnings = _records(run, str(path))
    assert records == [{"id": "g", "type": "document", "title": "G", "issued": "2000",
                        "other_fields": {"entrytype": "gadget"}}]
    assert warnings == ["FILE:1: warning: [g] unknown entry type @gadget: read as a document, and written back as @gadget",
                        "lutnick: 1 warning; 1 record processed"]
    assert run("export", "--to", "bibtex", str(path)).stdout.startswith("@gadget{g,\n")


def test_biblatex_keeps_every_field_of_a_type_its_data_model_does_not_define(run, tmp_path):
    path = _bib(tmp_path, "@customa{k, author = {Doe, Jane}, title = {T}, publisher = {P}, pages = {1--2}, year = 2020}\n")
    result = run("export", "--to", "biblatex", str(path))
    assert result.exit_code == 0
    assert result.stdout == ("@customa{k,\n  author    = {Doe, Jane},\n  title     = {T},\n  pages     = {1--2},\n"
                             "  publisher = {P},\n  date      = {2020}\n}\n")


def test_an_entry_with_an_empty_key_gets_a_derived_key_and_a_warning(run, tmp_path):
    path = _bib(tmp_path, "@article{, author = {Lutnick, Alexandra}, title = {Prioritizing Things}, year = 2019}\n")
    result = run("get", "id", str(path))
    assert result.stdout == "lutnick2019prioritizing\n"
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        "FILE:1: warning: the entry has no key: its key is made from author, year and title",
        "lutnick: 1 warning; 1 record processed",
    ]


def test_dates_from_year_month_and_words(run, tmp_path):
    path = _bib(tmp_path, """
        @article{a, title = {A}, year = {1982--1983}}
        @article{b, title = {B}, year = {in press}}
        @article{c, title = {C}, year = 2001, month = {Sept.}}
        @article{d, title = {D}, year = 2001, month = {Spring}}
        """)
    records, warnings = _records(run, str(path))
    assert [(record.get("issued"), record.get("status"), record.get("other_fields")) for record in records] == [
        ("1982/1983", None, None), (None, "in press", None), ("2001-09", None, None),
        ("2001", None, {"month": "Spring"})]
    assert warnings == ["FILE:4: warning: [d] month: 'Spring' is not a month: kept as written",
                        "lutnick: 1 warning; 4 records processed"]


# --- encodings ------------------------------------------------------------------------------------------------


def test_windows_1252_is_read_with_a_warning_and_encoding_overrides_the_guess(run, tmp_path):
    path = tmp_path / "old.bib"
    path.write_bytes("@book{b,\n  title = {Caf\u00e9 \u201cso\u201d},\n  year = 2000\n}\n".encode("cp1252"))
    result = run("get", "title", str(path))
    assert (result.exit_code, result.stdout) == (0, "Café “so”\n")
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        "FILE:2: warning: not UTF-8 (byte 0xe9 at offset 23): read as Windows-1252; give --encoding if it is another",
        "lutnick: 1 warning; 1 record processed",
    ]
    told = run("get", "title", "--encoding", "cp1252", str(path))
    assert (told.exit_code, told.stdout, told.stderr) == (0, "Café “so”\n", "")
    # A file in another encoding is read as Windows-1252 wrongly, and as itself when told.
    path.write_bytes("@book{b, title = {Café}, year = 2000}\n".encode("mac-roman"))
    assert run("get", "title", str(path)).stdout == "Caf\u017d\n"
    mac = run("get", "title", "--encoding", "mac-roman", str(path))
    assert (mac.exit_code, mac.stdout, mac.stderr) == (0, "Café\n", "")
    wrong = run("get", "title", "--encoding", "klingon", str(path))
    assert wrong.exit_code == 2 and "'klingon' is not an encoding Python knows" in wrong.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_a_bom_are_recognised(run, tmp_path, encoding):
    path = tmp_path / "refs.bib"
    path.write_bytes("@book{b, title = {Tōkyō}, year = 2000}\n".encode(encoding))
    result = run("get", "title", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Tōkyō\n", "")


# --- nothing is lost ----------------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]{3,}", text.casefold()))


def test_no_field_of_biblatex_examples_disappears(run):
    """Every field of every entry of biblatex's own example database is in the record: in a field of its
    own (its words are found in the record) or, as written, in other_fields."""
    definitions = bib_syntax.Definitions()
    entries = {entry.key: entry for entry in bib_syntax.parse(EXAMPLES.read_text(encoding="utf-8"), definitions)
               if isinstance(entry, bib_syntax.Entry) and entry.kind not in ("set", "xdata")}
    result = run("show", "--format", "json", str(EXAMPLES))
    records = {record["id"]: record for record in json.loads(result.stdout)}
    # Every entry is a record; what looked wrong in some (a list of page ranges, unknown commands) is named.
    assert set(records) == set(entries)
    assert len(records) == 90
    assert all(": warning: " in line for line in result.stderr.splitlines()[:-1])
    missing = []
    for key, record in records.items():
        other = record.get("other_fields", {})
        in_record = _words(json.dumps({name: value for name, value in record.items() if name != "other_fields"},
                                      ensure_ascii=False))
        for name, value in entries[key].fields.items():
            if name in other or name == "langid" and record.get("language"):
                continue
            # Name lists lose their ‘and’; localisation keys become words (newseries: new series).
            words = _words(to_rich_text(value)) - {"and"} - set(bib_reader._KEY_WORDS)
            if not words <= in_record and not re.fullmatch(r"[\d\s/~?-]*", value):
                missing.append((key, name, sorted(words - in_record)))
    assert missing == []


def test_a_date_kept_as_given_beside_a_year_keeps_the_year(run, tmp_path):
    # The year cannot repeat a date that is not one: it is kept, not compared (that raised).
    path = _bib(tmp_path, "@book{x, title = {T}, date = {15:}, year = {1500}}\n")
    records, errors = _records(run, str(path))
    assert records == [{"id": "x", "type": "book", "title": "T", "issued": "15:", "other_fields": {"year": "1500"}}]
    assert errors == ["FILE:1: warning: [x] issued: '15:' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); kept as given",
                      "lutnick: 1 warning; 1 record processed"]
