"""`lutnick check`: every rule on real-looking records, exact output, rule choice, noqa, exit statuses."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, assert_golden

TODAY = "2026-12-07"
BIB = "tests/check/refs.bib"


@pytest.fixture(autouse=True)
def at_repo(monkeypatch):
    """Findings name files as given: relative to the repository."""
    monkeypatch.chdir(REPO)


def test_check_bibtex_every_family_of_rules(run):
    result = run("check", "--today", TODAY, BIB)
    assert result.exit_code == 1
    assert_golden("check/refs.txt", result.stdout)
    assert result.stderr == "lutnick check: 6 errors, 11 warnings; 8 records checked\n"


def test_check_json_report(run):
    result = run("check", "--today", TODAY, "--format", "json", "--select", "L301,L501", BIB)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report == {
        "records": 8, "errors": 2, "warnings": 0, "infos": 0,
        "findings": [
            {"rule": "L301", "name": "pages-backwards", "level": "error", "file": BIB, "line": 21, "column": 3,
             "record": "jones2031", "field": "pages", "message": "page range '50–40' runs backwards; kept as given"},
            {"rule": "L501", "name": "duplicate-doi", "level": "error", "file": BIB, "line": 13, "column": 3,
             "record": "smith2020b", "field": "doi",
             "message": f"the DOI 10.1128/jvi.2020.01234 is also in [smith2020] ({BIB}:1); keep one record"},
        ],
    }


def test_check_select_by_name_prefix_and_ignore(run):
    result = run("check", "--today", TODAY, "--select", "journal,near", "--ignore", "L502", BIB)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{BIB}:18:3: L601 warning [jones2031] container.title: the journal 'Anti-Trafficking Review' is spelled "
        f"'Anti Trafficking Review' in [kay2018] ({BIB}:50); spell it one way",
        f"{BIB}:4:3: L601 warning [smith2020] container.title: the journal 'Journal of Virology' looks like "
        f"'Journal of Virolgy' in [smith2020b] ({BIB}:8); spell it one way",
    ]
    assert result.stderr == "lutnick check: 2 warnings; 8 records checked\n"


def test_check_unknown_rule_is_a_usage_error(run):
    result = run("check", "--select", "L999")
    assert result.exit_code == 2
    assert "'L999' is no rule id or name, nor a prefix of one (see --list-rules)" in result.stderr


def test_check_noqa_silences_a_rule_for_its_record_alone(run):
    # quiet2031 (2031, lutnick-noqa = {L201,future}) is silent; jones2031 is not.
    result = run("check", "--today", TODAY, "--select", "future-year", BIB)
    assert result.stdout == (
        f"{BIB}:19:3: L201 error [jones2031] issued: the year 2031 is in the future (it is 2026); "
        "give the year the work appeared\n"
    )


def test_check_fail_on_level(run):
    assert run("check", "--today", TODAY, "--select", "L6", BIB).exit_code == 0
    assert run("check", "--today", TODAY, "--select", "L6", "--fail-on", "warning", BIB).exit_code == 1
    assert run("check", "--today", TODAY, "--select", "L6", "--fail-on", "info", BIB).exit_code == 1
    assert run("check", "--today", TODAY, "--fail-on", "never", BIB).exit_code == 0


def test_check_embedded_record_is_clean_also_for_apa(run):
    for args in ((), ("--style", "apa")):
        result = run("check", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "lutnick check: no findings; 1 record checked\n")


def test_check_list_rules_documents_every_rule(run):
    from lutnick_cli.check.rules import RULES

    result = run("check", "--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES)
    assert lines[2] == "L101 doi-syntax (error): A DOI that is not 10.<registrant>/<suffix>, or a shortDOI alias."


YAML = """\
id: ada2015
type: article-journal
title: Counting trafficked persons
authors:
  - family: Ada
    given: Alexandra
    orcid: 0000-0002-1825-0098
container:
  title: Anti-Trafficking Review
  issn: 2286-7512
issued: 2015
doi: 10.1016/j.cell.2019.03.012
pmid: "012345"
pmcid: "1234567"
other_fields:
  eprint: "1513.01234"
  archiveprefix: arXiv
---
id: bell2020
type: article-journal
title: On ISBN and DNA
authors:
  - family: Bell, Ann, Cole
container:
  title: Anti-Trafficking Review
issued: 2020
url: https://example.org/landing?doi:10.1000/abc
---
id: cole2019
type: article-journal
title: Honorifics
authors:
  - family: Cole
    given: Dr Alexandra
container:
  title: Anti-Trafficking Review
issued: 2019
doi: 10.1000/xyz
"""


def test_check_yaml_identifiers_names_and_dates(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "records.yaml").write_text(YAML, encoding="utf-8")
    result = run("check", "--today", TODAY, "--style", "apa", "records.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "records.yaml:7:5: L104 error [ada2015] authors.0.orcid: ORCID iD '0000-0002-1825-0098' is not valid "
        "(malformed or wrong check digit); an ORCID iD is NNNN-NNNN-NNNN-NNNC",
        "records.yaml:10:3: L103 error [ada2015] container.issn: ISSN '2286-7512' is not valid (the number's checksum "
        "or check digit is invalid); an ISSN is NNNN-NNNC",
        "records.yaml:11:1: L203 warning [ada2015] issued: the year 2015 contradicts the year 2019 the DOI "
        "10.1016/j.cell.2019.03.012 embeds; check the year",
        "records.yaml:13:1: L106 error [ada2015] pmid: PMID '012345' is not a PubMed id; one is 1 to 8 digits, "
        "without a leading zero",
        "records.yaml:14:1: L107 error [ada2015] pmcid: PMCID '1234567' is not a PubMed Central id; one is PMC "
        "followed by digits",
        "records.yaml:16:3: L105 error [ada2015] eprint: '1513.01234' is not an arXiv id; one is YYMM.NNNNN (2007 on) "
        "or archive/YYMMNNN",
        "records.yaml:19:1: L410 info [bell2020] doi: APA 7 gives a journal article's DOI as https://doi.org/…; "
        "add the DOI if the article has one",
        "records.yaml:23:5: L704 error [bell2020] authors.0.family: the family name 'Bell, Ann, Cole' holds commas: "
        "several authors joined with commas; separate them with 'and'",
        "records.yaml:27:1: L110 warning [bell2020] url: the URL 'https://example.org/landing?doi:10.1000/abc' holds "
        "the DOI 10.1000/abc; give it in the doi field, where styles print it",
        # The reader refuses "Dr" as a given name; check names the rule it breaks.
        "records.yaml:34:5: L701 error [cole2019] authors.0.given: 'Dr' is an honorific, not a given name: move it to 'honorific'",
    ]
    assert result.stderr == "lutnick check: 7 errors, 2 warnings, 1 info; 2 records checked\n"


def test_check_reports_the_readers_problems_under_their_rules(run):
    # A DOI that is none (kept by the reader, an error to check), a kept shortDOI, an ftp URL (no rule
    # of its own: L002), an unreadable language (L001), a URL field holding doi:… (kept, named as L110).
    result = run("check", "--today", TODAY, "tests/check/more.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tests/check/more.yaml:1:1: L401 error [doe2018] container: a journal article without its journal; "
        "give the journal's title",
        "tests/check/more.yaml:18:1: L101 warning [roe2018] doi: '10/abcd' is a shortDOI, an alias a resolver "
        "expands; kept as given",
        "tests/check/more.yaml:19:1: L002 warning [roe2018] url: 'ftp://example.org/roe.pdf' is an ftp:// URL, "
        "which browsers no longer open; kept as given",
        "tests/check/more.yaml:26:1: L101 error [poe2018] doi: '10.abc/xyz' is not a DOI "
        "(expected 10.<registrant>/<suffix>)",
        "tests/check/more.yaml:33:1: L001 error [moe2018] language: 'xx-notalanguage' does not match "
        "[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*",
        "tests/check/more.yaml:40:1: L110 warning [zoe2018] url: the URL 'doi:10.1000/zoe' holds the DOI 10.1000/zoe; "
        "give it in the doi field, where styles print it",
    ]
    assert result.stderr == "lutnick check: 3 errors, 3 warnings; 4 records checked\n"


def test_check_passes_what_only_looks_wrong(run, tmp_path, monkeypatch):
    # A braced acronym, a DOI whose digits run into a year-like number
    # (atr.201219129), a published article citing its own arXiv id, the same title in two years.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fine.bib").write_text(
        "@article{a, author = {Ames, Ann}, title = {The {HIV} epidemic}, journal = {AIDS Care}, year = {2019},\n"
        "  pages = {377--386}, doi = {10.14197/atr.201219129}, eprint = {1801.01234}, archiveprefix = {arXiv}}\n"
        "@article{b, author = {Ames, Ann}, title = {The {HIV} epidemic}, journal = {AIDS Care}, year = {2021},\n"
        "  doi = {10.1000/b}}\n",
        encoding="utf-8",
    )
    result = run("check", "--today", TODAY, "--style", "apa", "fine.bib")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "lutnick check: no findings; 2 records checked\n")


def test_check_honorific_the_reader_took_out_of_a_given_name(run, tmp_path, monkeypatch):
    # CSL-JSON has no place for an honorific: "Dr Alexandra" is read apart, and reported, since other tools
    # print "D. A.". Journals one letter apart ("Physics A", "Physics B") are two journals, not a typo.
    monkeypatch.chdir(tmp_path)
    items = [
        {"id": "lutnick2019", "type": "article-journal", "title": "Prioritizing safety", "DOI": "10.14197/atr.201219129",
         "author": [{"family": "Lutnick", "given": "Dr Alexandra"}], "container-title": "Journal of Physics A"},
        {"id": "kay2019", "type": "article-journal", "title": "Another", "DOI": "10.1000/kay",
         "author": [{"family": "Kay", "given": "Ann"}], "container-title": "Journal of Physics B"},
    ]
    (tmp_path / "items.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
    result = run("check", "--today", TODAY, "items.json")
    assert result.exit_code == 0
    assert result.stdout == (
        "items.json:10:5: L701 warning [lutnick2019] authors.0.given: the given name began with the honorific 'Dr', "
        "which lutnick sets apart but other tools print as an initial (D.); write the given name alone\n"
    )


def test_check_one_author_spelled_two_ways_beside_the_same_co_authors(run):
    # Lutnik beside Cohan is Lutnick misspelled, Debroah is Deborah; "Lutnick, A." is a shorter form, not a
    # misspelling; Cole and Colt, four letters one apart, are taken for two people.
    result = run("check", "--select", "L602", "tests/check/authors.bib")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "tests/check/authors.bib:2:1: L602 warning [a2] authors: the author 'Lutnik, Alexandra' is spelled "
        "'Lutnick, Alexandra' in [a1] (tests/check/authors.bib:1), beside the same co-authors; spell the name one way",
        "tests/check/authors.bib:4:1: L602 warning [a4] authors: the author 'Cohan, Debroah' is spelled "
        "'Cohan, Deborah' in [a1] (tests/check/authors.bib:1), beside the same co-authors; spell the name one way",
    ]


def test_check_impossible_month_in_each_format_is_one_finding(run, tmp_path, monkeypatch):
    # RIS's reader and the record's date both doubt 2019/13/01: one fault, one finding. 2019-21 is EDTF spring.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text("id: m\ntype: book\ntitle: T\npublisher: P\nissued: 2019-13\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("id: s\ntype: book\ntitle: T\npublisher: P\nissued: 2019-21\n", encoding="utf-8")
    (tmp_path / "m.ris").write_text("TY  - BOOK\nTI  - T\nPB  - P\nPY  - 2019/13/01/\nDA  - 2019/13/01\nER  - \n", encoding="utf-8")
    result = run("check", "m.yaml", "s.yaml", "m.ris")
    assert result.stdout.splitlines() == [
        "m.yaml:5:1: L202 error [m] issued: '2019-13' has no month 13; kept as given",
        "m.ris:4:1: L202 error PY: '2019/13/01/' is not a date lutnick can read; kept as given",
    ]
    assert result.stderr == "lutnick check: 2 errors; 3 records checked\n"


def test_check_colours_rule_and_level_for_a_terminal():
    from lutnick_cli.check.rules import RULES, Finding, Level

    finding = Finding(RULES["L501"], "refs.bib", 4, 3, "b", "doi", "the DOI 10.1000/x is also in [a]; keep one record",
                      Level.ERROR)
    assert finding.text(colour=True) == (
        "refs.bib:4:3: \x1b[1mL501\x1b[0m \x1b[31merror\x1b[0m [b] doi: the DOI 10.1000/x is also in [a]; keep one record")


def test_check_noqa_silences_a_duplicate_for_the_record_that_names_it(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "twice.bib").write_text(
        "@book{a, title = {One}, publisher = {P}, year = {2019}, doi = {10.1000/x}}\n"
        "@book{b, title = {Two}, publisher = {P}, year = {2019}, doi = {10.1000/x}, lutnick-noqa = {duplicate-doi}}\n"
        "@book{c, title = {Three}, publisher = {P}, year = {2019}, doi = {10.1000/x}}\n",
        encoding="utf-8",
    )
    result = run("check", "twice.bib")
    assert result.stdout == "twice.bib:3:1: L501 error [c] doi: the DOI 10.1000/x is also in [a] (twice.bib:1); keep one record\n"


def test_check_sarif_report_for_code_scanning(run):
    result = run("check", "--today", TODAY, "--format", "sarif", BIB)
    assert result.exit_code == 1
    assert_golden("check/refs.sarif", result.stdout)
    log = json.loads(result.stdout)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    results = log["runs"][0]["results"]
    # Each result names its rule twice, by id and by place in the driver's list, and says what the text line says.
    text = run("check", "--today", TODAY, BIB).stdout.splitlines()
    assert len(results) == len(text) == 17
    for result_, line in zip(results, text):
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
        region = result_["locations"][0]["physicalLocation"]["region"]
        assert line.startswith(f"{BIB}:{region['startLine']}:{region['startColumn']}: {result_['ruleId']} ")
        assert line.endswith(result_["message"]["text"])


def test_check_sarif_citation_findings_have_no_file(run):
    pasted = ("Lutnick, D. A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
              "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154.")
    log = json.loads(run("check", "--format", "sarif", "--citation", pasted).stdout)
    assert log["runs"][0]["results"][1] == {
        "ruleId": "L806", "ruleIndex": 32, "level": "error",
        "message": {"text": "doi: the DOI is missing; APA 7 requires it as https://doi.org/10.14197/atr.201219129"},
        "locations": [{"logicalLocations": [{"name": "lutnick2019", "kind": "object"}]}],
        "properties": {"record": "lutnick2019", "field": "doi", "source": "<citation>", "line": 1},
    }


def test_check_accuracy_on_the_real_world_corpus_kind_by_kind():
    """bench/check_accuracy.py: 19 kinds of fault planted in every other real record; which are found, pinned."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("check_accuracy_bench", REPO / "bench" / "check_accuracy.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    table, _ = bench.measure(bench.corpus_items())
    # kind: (planted, found by its rule on its record, other new findings on that kind's records)
    assert {kind: (row["planted"], row["found"], row["false"]) for kind, row in table.items()} == {
        "DOI syntax": (19, 19, 0), "ISBN check digit": (20, 20, 0), "ISSN check digit": (15, 15, 0),
        "PMID syntax": (20, 20, 0), "PMCID syntax": (20, 20, 0), "DOI in URL": (6, 6, 0), "future year": (15, 15, 0),
        "impossible month": (20, 20, 0), "pages backwards": (20, 20, 0), "article without journal": (18, 18, 1),
        "book without publisher": (19, 19, 0), "thesis without institution": (19, 19, 0), "same DOI twice": (6, 6, 0),
        "near-duplicate": (17, 17, 0), "preprint beside published": (6, 6, 0), "journal spelled two ways": (4, 4, 0),
        "author spelled two ways": (6, 6, 0), "honorific in given name": (13, 13, 0), "title in capitals": (18, 18, 0),
        # The corpus's own eLife/ELIFE, named on another record once a planted fault takes the first one's journal away.
        "none": (0, 0, 1),
    }
