"""`lutnick check --citation`: a pasted citation against its record, the journal's own line first, exact output."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, shared

# The nine styles lutnick proves its citations in (compare/), the ones a pasted citation is matched against.
STYLES = ["apa", "chicago-author-date", "chicago-notes-bibliography", "modern-language-association",
          "harvard-cite-them-right", "ieee", "vancouver-nlm", "american-medical-association", "nature"]
# The journal's "How to Cite" line on the article page, as printed there.
JOURNAL_LINE = (
    "Lutnick, D. A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
    "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154."
)
JOURNAL_FAULTS = (
    "<citation>:1:10: L802 error [lutnick2019] authors.0.given: the initials 'D. A.' where 'A.' is right: "
    "the honorific 'Dr' was taken as an initial\n"
    "<citation>:1:165: L806 error [lutnick2019] doi: the DOI is missing; APA 7 requires it as "
    "https://doi.org/10.14197/atr.201219129\n"
)
LECUN = "tests/records/lecun2015.yaml"
LECUN_APA = ("LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521(7553), 436–444. "
             "https://doi.org/10.1038/nature14539")


@pytest.fixture(autouse=True)
def at_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def test_the_journals_own_line_has_exactly_its_two_faults(run):
    result = run("check", "--citation", JOURNAL_LINE)
    assert result.stdout == JOURNAL_FAULTS
    assert result.stderr == (
        "lutnick check: <citation>:1: [lutnick2019] reads as apa, reference-list entry, 92% alike\n"
        "lutnick check: 2 errors; 1 citation checked against 1 record\n"
    )
    assert result.exit_code == 1


def test_the_journals_line_is_the_one_on_the_article_page(run):
    page = shared("seed", "000_6e003bc802fee549.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in page.splitlines() if line.strip().startswith("Lutnick, D. A. (2019)")]
    assert lines == [JOURNAL_LINE]
    assert run("check", "--citation", lines[0]).stdout == JOURNAL_FAULTS


def _cite(run, style: str, record: str | None, in_text: bool) -> str:
    result = run("cite", "--style", style, *(["--in-text"] if in_text else []), *([record] if record else []))
    assert result.exit_code == 0
    return result.stdout.rstrip("\n")


@pytest.mark.parametrize("in_text", [False, True], ids=["entry", "in-text"])
@pytest.mark.parametrize("record", [None, LECUN, "tests/records/vandenberg2020.yaml"], ids=["lutnick", "lecun", "vandenberg"])
@pytest.mark.parametrize("style", STYLES)
def test_a_right_citation_in_each_style_has_no_finding(run, style, record, in_text):
    text = _cite(run, style, record, in_text)
    result = run("check", "--citation", text, *([record] if record else []))
    assert result.stdout == ""
    assert result.exit_code == 0
    assert result.stderr.endswith("lutnick check: no findings; 1 citation checked against 1 record\n")


@pytest.mark.parametrize("style", STYLES)
def test_what_pasting_does_to_a_citation_is_no_fault(run, style):
    text = _cite(run, style, LECUN, False)
    words = text.split(" ")
    variants = {
        "straight quotes": text.translate(str.maketrans("‘’“”", "''\"\"")),
        "hyphens for dashes": text.replace("–", "-"),
        "no pp.": re.sub(r"\bpp?\. ", "", text),
        "doi: for https://doi.org/": text.replace("https://doi.org/", "doi:"),
        "https://doi.org/ for doi:": re.sub(r"doi: ?10\.", "https://doi.org/10.", text),
        "markdown italics": text.replace("Nature", "*Nature*", 1),
        "wrapped": " ".join(words[:5]) + "\n" + " ".join(words[5:]),
        "spaces doubled": text.replace(" ", "  "),
    }
    for name, variant in variants.items():
        result = run("check", "--citation", variant, LECUN)
        assert (name, result.stdout) == (name, "")


@pytest.mark.parametrize(
    ("pasted", "finding"),
    [
        (LECUN_APA.replace("(2015)", "(2016)"), "1:38: L807 error [lecun2015] issued: the year 2016 where 2015 is right"),
        (LECUN_APA.replace("436–444", "436–448"),
         "1:79: L808 error [lecun2015] pages: the pages 436–448 where 436–444 is right"),
        (LECUN_APA.replace("521(", "512("), "1:68: L809 error [lecun2015] volume: the volume 512 where 521 is right"),
        (LECUN_APA.replace("(7553)", "(7535)"), "1:72: L810 error [lecun2015] issue: the issue 7535 where 7553 is right"),
        (LECUN_APA.replace("14539", "14593"),
         "1:88: L806 error [lecun2015] doi: the DOI 10.1038/nature14593 where 10.1038/nature14539 is right"),
        (LECUN_APA.replace(". https://doi.org/10.1038/nature14539", "."),
         "1:86: L806 error [lecun2015] doi: the DOI is missing; APA 7 requires it as https://doi.org/10.1038/nature14539"),
        (LECUN_APA.replace("Deep learning", "Deep machine learning"),
         "1:50: L811 error [lecun2015] title: the title has 'machine' that it does not have"),
        (LECUN_APA.replace("Deep learning", "Deep leaning"),
         "1:50: L811 error [lecun2015] title: the title has 'leaning' where 'learning' is right"),
        (LECUN_APA.replace("Nature,", "Nature Reviews,"),
         "1:67: L812 error [lecun2015] container.title: the journal has 'Reviews' that it does not have"),
        (LECUN_APA.replace("Bengio, Y.", "Bengio, J."),
         "1:20: L801 error [lecun2015] authors.1.given: the initials 'J.' where 'Y.' is right"),
        (LECUN_APA.replace("LeCun, Y.,", "LeCun, Y. A.,"),
         "1:8: L801 error [lecun2015] authors.0.given: the initials 'Y. A.' where 'Y.' is right: an extra initial"),
        (LECUN_APA.replace("Bengio, Y., ", ""),
         "1:1: L803 error [lecun2015] authors.1: the author Yoshua Bengio is missing (author 2 of 3)"),
        (LECUN_APA.replace("LeCun, Y., Bengio, Y.,", "Bengio, Y., LeCun, Y.,"),
         "1:1: L804 error [lecun2015] authors: the authors are in the order Bengio, LeCun, Hinton, where LeCun, Bengio, "
         "Hinton is right"),
        (LECUN_APA.replace("Bengio, Y., & Hinton, G.", "et al."),
         "1:1: L805 error [lecun2015] authors: 'et al.' in place of Yoshua Bengio, Geoffrey Hinton, where APA 7 lists "
         "every name"),
        (LECUN_APA.replace("Hinton", "Hinten"),
         "1:26: L814 error [lecun2015] authors.2.family: the family name 'Hinten' where 'Hinton' is right"),
        ("(LeCun et al., 2014)", "1:16: L807 error [lecun2015] issued: the year 2014 where 2015 is right"),
        ("[1] Y. LeCun, Y. Bengio, and G. Hinton, “Deep learning,” Nature, vol. 521, no. 7553, pp. 436–444, May 2015, "
         "doi: 10.1038/nature14539.".replace("Y. LeCun", "Y. A. LeCun"),
         "1:5: L801 error [lecun2015] authors.0.given: the initials 'Y. A.' where 'Y.' is right: an extra initial"),
        ("LeCun Y, Hinton G, Bengio Y. Deep learning. Nature. 2015;521(7553):436-444. doi:10.1038/nature14539",
         "1:1: L804 error [lecun2015] authors: the authors are in the order LeCun, Hinton, Bengio, where LeCun, Bengio, "
         "Hinton is right"),
    ],
    ids=["year", "pages", "volume", "issue", "doi-wrong", "doi-missing", "title-extra-word", "title-wrong-word",
         "journal", "wrong-initial", "extra-initial", "author-missing", "author-order", "et-al", "family-name",
         "in-text-year", "ieee-extra-initial", "ama-author-order"],
)
def test_each_fault_is_one_finding_named_by_its_field(run, pasted, finding):
    result = run("check", "--citation", pasted, LECUN)
    assert result.stdout == f"<citation>:{finding}\n"
    assert result.exit_code == 1


def test_an_honorific_printed_whole_in_a_given_name(run):
    pasted = ("Lutnick, Dr Alexandra. “The ‘Prioritizing Safety for Sex Workers Policy’: A Sex Worker Rights and "
              "Anti-Trafficking Initiative.” Anti-Trafficking Review, no. 12, Apr. 2019, pp. 140–54, "
              "https://doi.org/10.14197/atr.201219129.")
    result = run("check", "--citation", pasted)
    assert result.stdout == (
        "<citation>:1:10: L802 error [lutnick2019] authors.0.given: the given name 'Dr Alexandra' where 'Alexandra' "
        "is right: the honorific 'Dr' is no part of the name\n"
    )
    assert "reads as modern-language-association, reference-list entry, 99% alike" in result.stderr


def test_a_reference_list_from_stdin_each_line_against_its_own_record(run):
    lutnick = _cite(run, "apa", None, False)
    lines = [
        LECUN_APA.replace("(2015)", "(2016)"),
        "",
        lutnick,
        "Someone, A. (2001). A work no record describes. Journal of Nothing, 1, 1–2.",
        "van den Berg M, Ðorđević Z, King ML Jr. Søren’s “Either/Or” & the 100% solution: Ångström-scale {braces}, "
        "#hashtags and $dollars in Łódź. Journal of Typographic Hazards. 2021;7(2):e1034. doi:10.5555/jth.2020.7.2.e1034",
    ]
    result = run("check", "--citation", "-", "tests/records", "data/article.yaml", input="\n".join(lines) + "\n")
    assert result.stdout == (
        "<stdin>:1:38: L807 error [lecun2015] issued: the year 2016 where 2015 is right\n"
        "<stdin>:4:1: L820 error no record given matches this citation by DOI, title or first author\n"
        "<stdin>:5:171: L807 error [vandenberg2020] issued: the year 2021 where 2020 is right\n"
    )
    assert result.stderr == (
        "lutnick check: <stdin>:1: [lecun2015] reads as apa, reference-list entry, 99% alike\n"
        "lutnick check: <stdin>:3: [lutnick2019] reads as apa, reference-list entry, 100% alike\n"
        "lutnick check: <stdin>:4: no record matches\n"
        "lutnick check: <stdin>:5: [vandenberg2020] reads as american-medical-association, reference-list entry, 99% alike\n"
        "lutnick check: 3 errors; 4 citations checked against 6 records\n"
    )
    assert result.exit_code == 1


def test_json_report_names_the_style_matched(run):
    result = run("check", "--citation", JOURNAL_LINE, "--format", "json")
    report = json.loads(result.stdout)
    assert report["citations"] == [
        {"file": "<citation>", "line": 1, "record": "lutnick2019", "style": "apa", "kind": "entry", "closeness": 91.5},
    ]
    assert [(finding["rule"], finding["field"]) for finding in report["findings"]] == [
        ("L802", "authors.0.given"), ("L806", "doi")]


def test_style_names_the_one_style_to_compare_with(run):
    text = _cite(run, "ieee", None, False)
    assert run("check", "--citation", text, "--style", "ieee").stdout == ""
    result = run("check", "--citation", text, "--style", "apa")
    assert "reads as apa, reference-list entry" in result.stderr


def test_style_other_than_apa_needs_citation(run):
    result = run("check", "--style", "ieee")
    assert result.exit_code == 2
    assert "--style ieee: without --citation, only apa is known" in result.stderr


def test_citations_and_records_cannot_both_come_from_stdin(run):
    result = run("check", "--citation", "-", "-", input="")
    assert result.exit_code == 2
    assert "the records cannot come from it too" in result.stderr


def test_select_and_ignore_apply_to_citation_rules(run):
    result = run("check", "--citation", JOURNAL_LINE, "--ignore", "citation-doi")
    assert result.stdout == JOURNAL_FAULTS.splitlines(keepends=True)[0]
    assert run("check", "--citation", JOURNAL_LINE, "--select", "L806").stdout == JOURNAL_FAULTS.splitlines(keepends=True)[1]


def _load_bench():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("check_citation_bench", REPO / "bench" / "check_citation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_planted_faults_of_every_kind_are_found_and_right_citations_left_alone(run, tmp_path):
    """bench/check_citation.py on its first four records: which kinds are found, and how often, pinned."""
    bench = _load_bench()
    chosen = bench.records(4)
    cases = list(bench.cases(chosen))
    library = bench.write_library(tmp_path, chosen)
    result = run("check", "--citation", "-", "--format", "json", "--fail-on", "never", str(library),
                 input=bench.pasted_lines(cases))
    table = bench.score(cases, json.loads(result.stdout)["findings"])
    # kind: (citations, found with the right rule and field, other findings); "none" is a right citation.
    assert {kind: (row["cases"], row["found"], row["false"]) for kind, row in table.items()} == {
        "none": (203, 0, 0), "year": (20, 20, 0), "pages": (6, 6, 0), "volume": (6, 6, 0), "issue": (4, 4, 0),
        "doi-missing": (4, 4, 0), "doi-wrong": (4, 4, 0), "title-word": (2, 2, 0), "journal-word": (3, 3, 0),
        "wrong-initial": (4, 4, 0), "extra-initial": (4, 4, 0), "honorific-initial": (2, 2, 0),
        "family-misspelt": (15, 15, 0), "author-missing": (12, 12, 1), "author-order": (19, 19, 0), "et-al": (7, 7, 0),
    }


def test_an_empty_citation_is_a_usage_error(run):
    result = run("check", "--citation", " ")
    assert result.exit_code == 2
    assert "--citation: the citation is empty (give its text, or - to read citations from stdin)" in result.stderr


def test_a_record_that_cannot_be_read_is_reported_and_fails_the_run(run):
    result = run("check", "--citation", JOURNAL_LINE, "tests/check/absent.bib")
    assert result.stdout == (
        "<citation>:1:1: L820 error no record given matches this citation by DOI, title or first author\n"
    )
    assert result.stderr == (
        "tests/check/absent.bib: cannot read: No such file or directory\n"
        "lutnick check: <citation>:1: no record matches\n"
        "lutnick check: 1 error; 1 citation checked against 0 records\n"
        "lutnick: 1 error; 0 records processed\n"
    )
    assert result.exit_code == 1
