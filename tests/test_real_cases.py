"""Cases met in real bibliographies (tests/realworld/): each read, kept, and warned about exactly.

Every snippet is cut from a file of the corpus, named above its test.
"""

from __future__ import annotations

import json

from lutnick_cli.latex_text import to_rich_text


def export(run, tmp_path, name: str, text: str, to: str = "csl-json") -> tuple[str, list[str]]:
    """`lutnick export` of one file: its output, and its messages with the file's path as FILE."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run("export", "--to", to, str(path))
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr.replace(str(path), "FILE").splitlines()


def items(run, tmp_path, name: str, text: str) -> tuple[list[dict], list[str]]:
    output, messages = export(run, tmp_path, name, text)
    return json.loads(output), messages


# bibtex/jabref-complex.bib: JabRef's ACM import writes the DOI behind ACM's resolver.
ACM = r"""@InProceedings{1137631,
  author     = {Gustav Bostr\"{o}m and Jaana W\"{a}yrynen},
  title      = {Extending XP practices to support security requirements engineering},
  doi        = {http://doi.acm.org/10.1145/1137627.1137631},
  year       = {2006},
}
@Article{dx,
  author = {Doe, Jane},
  title  = {On resolvers},
  doi    = {https://dx.doi.org/10.1000/XYZ.1},
  year   = {2020},
}
@Article{scheme,
  author = {Doe, Jane},
  title  = {On schemes},
  doi    = {doi:10.1000/abc},
  year   = {2020},
}
"""


def test_a_doi_behind_any_resolver_is_read_as_the_doi(run, tmp_path):
    found, messages = items(run, tmp_path, "acm.bib", ACM)
    assert [item["DOI"] for item in found] == ["10.1145/1137627.1137631", "10.1000/XYZ.1", "10.1000/abc"]
    assert messages == [
        "FILE:1: warning: [1137631] doi: 'http://doi.acm.org/10.1145/1137627.1137631' is a DOI written with its "
        "resolver; read as '10.1145/1137627.1137631'",
        "FILE:7: warning: [dx] doi: 'https://dx.doi.org/10.1000/XYZ.1' is a DOI written with its resolver; "
        "read as '10.1000/XYZ.1'",
        "FILE:13: warning: [scheme] doi: 'doi:10.1000/abc' is a DOI written with its resolver; read as '10.1000/abc'",
        "lutnick: 3 warnings; 3 records processed",
    ]


def test_a_doi_that_is_none_is_kept_as_given(run, tmp_path):
    text = "@article{odd,\n  author = {Doe, Jane},\n  title = {Odd},\n  doi = {DOI 10-1234},\n  year = {2020},\n}\n"
    found, messages = items(run, tmp_path, "odd.bib", text)
    assert found[0]["DOI"] == "DOI 10-1234"
    assert messages == [
        "FILE:1: warning: [odd] doi: 'DOI 10-1234' is not a DOI (expected 10.<registrant>/<suffix>); kept as given",
        "lutnick: 1 warning; 1 record processed",
    ]


# bibtex/mendeley-desktop.bib: Mendeley writes a journal's ISSN in isbn.
MENDELEY = r"""@generic{Callahan2011,
   author = {Ewa S Callahan and Susan C Herring},
   doi = {10.1002/asi.21577},
   isbn = {1532-2882},
   journal = {Journal of the American Society for Information Science & Technology},
   pages = {1899-1915},
   title = {Cultural bias in Wikipedia content on famous persons},
   volume = {62},
   year = {2011},
}
@article{both,
   author = {Doe, Jane},
   isbn = {0360-9170},
   issn = {1532-2890},
   journal = {A Journal},
   title = {Both},
   year = {2011},
}
@article{same,
   author = {Doe, Jane},
   isbn = {0360-9170},
   issn = {0360-9170},
   journal = {A Journal},
   title = {Same},
   year = {2011},
}
"""


def test_an_issn_in_the_isbn_field_is_the_containers(run, tmp_path):
    found, messages = items(run, tmp_path, "mendeley.bib", MENDELEY)
    assert [(item.get("ISSN"), item.get("ISBN")) for item in found] == [
        ("1532-2882", None),
        ("1532-2890, 0360-9170", None),
        ("0360-9170", None),
    ]
    assert messages == [
        "FILE:4: warning: [Callahan2011] isbn: '1532-2882' is an ISSN, not an ISBN: read as the container's ISSN",
        "FILE:13: warning: [both] isbn: '0360-9170' is an ISSN, not an ISBN: read as the container's ISSN",
        "FILE:21: warning: [same] isbn: '0360-9170' is an ISSN, not an ISBN: read as the container's ISSN",
        "lutnick: 3 warnings; 3 records processed",
    ]


# bibtex/better-bibtex.bib: a binding in the isbn field, and eight digits that are no ISBN.
BINDINGS = r"""@book{Villanueva-1991-Consciousness,
  title = {Consciousness},
  author = {Villanueva, Enrique},
  year = {1991},
  isbn = {(PBK)},
}
@book{Collier-1990-IntrinsicInformation,
  title = {Intrinsic Information},
  author = {Collier, John},
  year = {1990},
  isbn = {08470502},
}
"""


def test_an_isbn_that_is_none_is_kept_as_given(run, tmp_path):
    found, messages = items(run, tmp_path, "bindings.bib", BINDINGS)
    assert [item["ISBN"] for item in found] == ["(PBK)", "08470502"]
    assert messages == [
        "FILE:1: warning: [Villanueva-1991-Consciousness] isbn: '(PBK)' is not an ISBN-10 or ISBN-13; kept as given",
        "FILE:7: warning: [Collier-1990-IntrinsicInformation] isbn: '08470502' is not an ISBN-10 or ISBN-13; "
        "kept as given",
        "lutnick: 2 warnings; 2 records processed",
    ]


# ris-samples/jabref-science.ris: ScienceDirect's protocol-relative link, and its DOI behind dx.doi.org.
SCIENCEDIRECT = """TY  - JOUR
T1  - Phase separation and ω transformation in binary V-Ti and ternary V-Ti-Cr alloys
JO  - Acta Materialia
VL  - 121
SP  - 310
EP  - 324
PY  - 2016/12//
AU  - Ghosh, Chanchal
SN  - 1359-6454
DO  - http://dx.doi.org/10.1016/j.actamat.2016.09.028
UR  - //www.sciencedirect.com/science/article/pii/S1359645416307273
ER  - 
"""


def test_a_protocol_relative_url_is_kept_as_given(run, tmp_path):
    found, messages = items(run, tmp_path, "science.ris", SCIENCEDIRECT)
    assert (found[0]["URL"], found[0]["DOI"]) == (
        "//www.sciencedirect.com/science/article/pii/S1359645416307273", "10.1016/j.actamat.2016.09.028")
    assert messages == [
        "FILE:1: warning: doi: 'http://dx.doi.org/10.1016/j.actamat.2016.09.028' is a DOI written with its "
        "resolver; read as '10.1016/j.actamat.2016.09.028'",
        "FILE:1: warning: url: '//www.sciencedirect.com/science/article/pii/S1359645416307273' is a "
        "protocol-relative URL, with no http: or https:; kept as given",
        "lutnick: 2 warnings; 1 record processed",
    ]


# ris/endnote.ris: EndNote's Embase export, two URLs in one UR and no DO.
EMBASE = """TY  - JOUR
AU  - Boisvert, C.
TI  - Description of a new specimen of Haplocanthosaurus from the Dry Mesa Dinosaur Quarry
T2  - Anatomical Record
PY  - 2024
UR  - https://www.embase.com/search/results?subaction=viewrecord&id=L2030246463&from=export http://dx.doi.org/10.1002/ar.25520
ER  - 
"""


def test_several_urls_in_one_ris_value_are_several_urls_and_give_the_doi(run, tmp_path):
    output, messages = export(run, tmp_path, "embase.ris", EMBASE, to="ris")
    assert [line for line in output.splitlines() if line[:2] in ("UR", "DO")] == [
        "DO  - 10.1002/ar.25520",
        "UR  - https://www.embase.com/search/results?subaction=viewrecord&id=L2030246463&from=export",
        "UR  - http://dx.doi.org/10.1002/ar.25520",
    ]
    assert messages == []


def test_an_embase_name_is_a_family_name_and_initials(run, tmp_path):
    # ris-samples/embase.ris
    text = "TY  - JOUR\nAU  - Eloubeidi M.A.\nAU  - Quintanilla-Dieck L.\nAU  - World Health Organization\nTI  - T\nER  - \n"
    found, messages = items(run, tmp_path, "embase.ris", text)
    assert found[0]["author"] == [
        {"family": "Eloubeidi", "given": "M.A."},
        {"family": "Quintanilla-Dieck", "given": "L."},
        {"literal": "World Health Organization"},
    ]
    assert messages == []


# csl-json/manubot/crossref-winter-scabs.json and crossref-deep-review.json: Crossref's lists.
CROSSREF = {
    "id": "12IWnziJW",
    "type": "article-journal",
    "title": "Winter Scabs",
    "original-title": [],
    "short-title": [],
    "container-title": ["Nature", "Nature (London)"],
    "publisher-place": ["London"],
    "ISSN": ["0028-0836", "1476-4687"],
    "license": [{"URL": "http://www.springer.com/tdm", "content-version": "unspecified"}],
    "author": [{"family": "Doe", "given": "Jane"}],
}


def test_crossref_lists_where_csl_has_text(run, tmp_path):
    text = json.dumps([CROSSREF])
    output, messages = export(run, tmp_path, "crossref.json", text, to="csl-yaml")
    found, _ = items(run, tmp_path, "crossref.json", text)
    item = found[0]
    assert (item["container-title"], item["publisher-place"], item["ISSN"], "original-title" in item) == (
        "Nature", "London", "0028-0836, 1476-4687", False)
    assert item["custom"] == {
        "container-title": "Nature (London)",
        "license": '[{"URL": "http://www.springer.com/tdm", "content-version": "unspecified"}]',
    }
    assert messages == [
        "FILE:1: warning: [12IWnziJW] container-title: is a list where CSL has text: read as its first, 'Nature'; "
        "the rest kept in other_fields",
        "FILE:1: warning: [12IWnziJW] publisher-place: is a list where CSL has text: read as its one text",
        "FILE:1: warning: [12IWnziJW] ISSN: is a list where CSL has text: read as 2 ISSNs",
        "FILE:1: warning: [12IWnziJW] license: is a list where CSL has text: kept as its JSON in other_fields",
        "lutnick: 4 warnings; 1 record processed",
    ]
    assert "    container-title: Nature (London)\n" in output
    assert "original-title" not in output and "short-title" not in output


def test_an_issn_with_no_journal_named_is_kept_with_a_warning(run, tmp_path):
    """A Zotero item whose journal title was left empty: the record is read, its ISSN and short
    title kept as given (a record's container needs a title), and --strict refuses it."""
    item = {"id": "a", "type": "article-journal", "title": "T", "ISSN": "2286-7511",
            "journalAbbreviation": "Anti-Traffick. Rev.", "author": [{"family": "Doe", "given": "Jane"}]}
    found, messages = items(run, tmp_path, "zotero.json", json.dumps([item]))
    assert "container-title" not in found[0]
    assert found[0]["custom"] == {"ISSN": "2286-7511", "journalAbbreviation": "Anti-Traffick. Rev."}
    assert messages == [
        "FILE:1: warning: [a] ISSN: has no journal title (container-title) to belong to; kept in other_fields",
        "FILE:1: warning: [a] journalAbbreviation: has no journal title (container-title) to belong to; "
        "kept in other_fields",
        "lutnick: 2 warnings; 1 record processed",
    ]
    strict = run("validate", "--strict", str(tmp_path / "zotero.json"))
    assert strict.exit_code == 1


def test_crossref_lists_in_csl_yaml(run, tmp_path):
    text = "- id: x\n  type: book\n  title: T\n  original-title: []\n  ISBN: [0-201-13447-0, 978-3-16-148410-0]\n"
    found, messages = items(run, tmp_path, "items.yaml", text)
    assert (found[0]["ISBN"], "original-title" in found[0]) == ("0-201-13447-0, 978-3-16-148410-0", False)
    assert messages == [
        "FILE:1: warning: [x] ISBN: is a list where CSL has text: read as 2 ISBNs",
        "lutnick: 1 warning; 1 record processed",
    ]


# bibtex/biblatex-examples.bib: a @set is no work, but what it groups is said.
SETS = r"""@set{set,
  entryset     = {herrmann,aksin,yoon},
  annotation   = {A \texttt{set} with three members.},
}

@article{aksin,
  author       = {Aks{\i}n, {\"O}zge and T{\"u}rkmen, Hayati},
  title        = {Effect of immobilization on catalytic characteristics},
  journaltitle = {J.~Organomet. Chem.},
  date         = 2006,
}
"""


def test_a_biblatex_set_is_named_in_a_warning(run, tmp_path):
    found, messages = items(run, tmp_path, "sets.bib", SETS)
    assert [item["id"] for item in found] == ["aksin"]
    assert messages == [
        "FILE:2: warning: [set] entryset: @set set groups herrmann, aksin, yoon: a set is not a record, so it is "
        "not read, nor its annotation; its members are read as records of their own",
        "lutnick: 1 warning; 1 record processed",
    ]


def test_a_discretionary_hyphen_is_a_soft_hyphen():
    # bibtex/jabref51-groups.bib
    assert to_rich_text(r"Imperial Metabolism in the Pre\-Columbian Andes", True, []) == (
        "Imperial Metabolism in the Pre\u00adColumbian Andes")


def test_an_organization_beside_a_booktitle_is_kept(run, tmp_path):
    # bibtex/jabref-authors.bib
    text = r"""@InProceedings{SchoenbergerSchwalbWirtz2011,
  author       = {Andreas Sch\"onberger and Johannes Schwalb},
  booktitle    = {Proceedings of the 9\textsuperscript{th} International Conference on Web Services (ICWS 2011)},
  title        = {{Has {WS-I}'s Work Resulted in {WS-*} Interoperability?}},
  organization = {IEEE},
  year         = {2011},
}
"""
    output, messages = export(run, tmp_path, "org.bib", text, to="bibtex")
    assert output.endswith("  organization = {IEEE}\n}\n")
    assert messages == []


# Modelled on JOSS papers' paper.bib (a standard cited as a @manual of its consortium) and R's citation():
# organization is who published the work, printed by biblatex where a publisher would be.
_MANUALS = r"""@manual{ogc_cf,
  organization = {Open Geospatial Consortium},
  title        = {{CF Conventions Encoding Standard}},
  year         = 2013,
  number       = {OGC 11-165r2},
  url          = {http://www.opengis.net/doc/cf-standard/1.0},
}
@Manual{rcore,
  title        = {R: A Language and Environment for Statistical Computing},
  author       = {{R Core Team}},
  organization = {R Foundation for Statistical Computing},
  address      = {Vienna, Austria},
  year         = {2023},
}
@manual{both,
  title        = {Handbook},
  organization = {Sponsoring Society},
  publisher    = {Press},
  year         = {2020},
}
"""


def test_an_organization_with_no_publisher_is_the_publisher(run, tmp_path):
    path = tmp_path / "manuals.bib"
    path.write_text(_MANUALS, encoding="utf-8")
    result = run("cite", "--style", "apa", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "CF Conventions Encoding Standard (OGC 11-165r2). (2013). Open Geospatial Consortium. "
        "http://www.opengis.net/doc/cf-standard/1.0\n"
        "Handbook. (2020). Press.\n"
        "R Core Team. (2023). R: A Language and Environment for Statistical Computing. "
        "R Foundation for Statistical Computing.\n"
    )
    records, messages = items(run, tmp_path, "manuals.bib", _MANUALS)
    assert [record.get("publisher") for record in records] == [
        "Open Geospatial Consortium", "R Foundation for Statistical Computing", "Press"]
    assert not any("container-title" in record for record in records)
    # Beside a publisher, the organization has no home: it is kept, and goes back to BibTeX as it came.
    assert records[2]["custom"] == {"organization": "Sponsoring Society"}
    assert messages == []


def test_an_organization_is_a_conference_sponsor_beside_its_proceedings(run, tmp_path):
    # As a JOSS paper.bib gives a talk: the organization is the only name of the conference.
    text = r"""@inproceedings{talk,
  author       = {Rew, Russ and Hartnett, Ed},
  title        = {{NetCDF-4: Software for the Geosciences}},
  organization = {22nd Conference on Interactive Information Processing Systems},
  year         = {2006},
}
"""
    (record,), messages = items(run, tmp_path, "talk.bib", text)
    assert record["container-title"] == "22nd Conference on Interactive Information Processing Systems"
    assert "publisher" not in record
    assert messages == []


# Modelled on the @misc entries of READMEs and paper.bib files that cite a repository.
_REPOSITORIES = r"""@misc{toolbox,
  title        = {{Seg}: A Segmentation Toolbox},
  author       = {{Seg Contributors}},
  howpublished = {\url{https://github.com/example/seg_tool~v2}},
  year         = {2020}
}
@misc{href,
  author       = {Doe, Jane},
  title        = {Tracker},
  howpublished = {\href{https://github.com/example/tracker}{GitHub repository}},
  year         = {2021}
}
@misc{same,
  author       = {Roe, Rick},
  title        = {Same Link},
  howpublished = {https://example.org/a\_b},
  url          = {https://example.org/a_b},
  year         = {2022}
}
@misc{other,
  author       = {Poe, Pat},
  title        = {Two Links},
  howpublished = {\url{https://mirror.example.org/x}},
  url          = {https://example.org/x},
  year         = {2022}
}
@misc{words,
  author       = {Moe, Max},
  title        = {Notes},
  howpublished = {GitHub},
  year         = {2019}
}
"""


def test_a_howpublished_link_is_the_records_link(run, tmp_path):
    path = tmp_path / "repositories.bib"
    path.write_text(_REPOSITORIES, encoding="utf-8")
    result = run("cite", "--style", "apa", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Doe, J. (2021). Tracker. GitHub repository. https://github.com/example/tracker\n"
        "Moe, M. (2019). Notes. GitHub.\n"
        "Poe, P. (2022). Two Links. https://example.org/x\n"
        "Roe, R. (2022). Same Link. https://example.org/a_b\n"
        "Seg Contributors. (2020). Seg: A Segmentation Toolbox. https://github.com/example/seg_tool~v2\n"
    )
    records, messages = items(run, tmp_path, "repositories.bib", _REPOSITORIES)
    by_id = {record["id"]: record for record in records}
    assert by_id["toolbox"]["URL"] == "https://github.com/example/seg_tool~v2"
    assert by_id["href"]["URL"] == "https://github.com/example/tracker"
    assert by_id["href"]["publisher"] == "GitHub repository"
    assert "custom" not in by_id["same"]
    # A second link is kept, and said to be.
    assert by_id["other"]["custom"] == {"howpublished": "https://mirror.example.org/x"}
    assert by_id["words"]["publisher"] == "GitHub"
    assert not any("container-title" in record or "medium" in record for record in records)
    assert messages == [
        "FILE:23: warning: [other] howpublished: a link other than the entry's url: kept as written",
        "lutnick: 1 warning; 5 records processed",
    ]


def _unprotected(record: dict) -> dict:
    """The record without the brace protection the BibTeX export gives a title's capitalised words."""
    return json.loads(json.dumps(record).replace('<span class=\\"nocase\\">', "").replace("</span>", ""))


def test_a_misc_goes_back_to_bibtex_and_reads_back_the_same(run, tmp_path):
    """A @misc's container title is written as `journal` and its publisher as `publisher`: both read back
    as they were, as does a second link kept in other_fields."""
    records, _ = items(run, tmp_path, "repositories.bib", _REPOSITORIES + _MANUALS)
    # A website's page, as BibTeX has it: a @misc, read back as a document.
    records.append({"id": "site", "type": "document", "title": "Page", "container-title": "Site", "publisher": "Org"})
    records.append({"id": "blog", "type": "document", "title": "Post", "container-title": "Blog"})
    source = json.dumps(records)
    bibtex, _ = export(run, tmp_path, "records.json", source, to="bibtex")
    assert "  journal   = {Site},\n  publisher = {Org}\n}" in bibtex
    back, messages = items(run, tmp_path, "back.bib", bibtex)
    assert [_unprotected(record) for record in back] == [_unprotected(record) for record in records]
    assert messages == ["FILE:32: warning: [other] howpublished: a link other than the entry's url: kept as written",
                        "lutnick: 1 warning; 10 records processed"]
