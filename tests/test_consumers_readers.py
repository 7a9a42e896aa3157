"""Reference-manager and catalogue formats, read back by the real parsers and validators.

* rispy reads the RIS export;
* bibutils (bib2xml, ris2xml, end2xml) turns the BibTeX, RIS and EndNote
  exports into MODS, and xml2bib turns the MODS export into BibTeX;
* lxml validates the MODS and Dublin Core exports against the official XSDs,
  offline through the shared XML catalogue;
* cffconvert validates CITATION.cff against the CFF 1.2.0 schema;
* jsonschema validates CSL-JSON against the official CSL data schema;
* rdflib parses the schema.org JSON-LD into RDF triples.

Each test compares the facts the parser found with the record. Where a
program cannot read something the export holds, the gap is asserted by name
(so a fixed program shows up as a failing test) and explained here:

* bibutils 7.2's ris2xml reads RIS's DO tag only for a DOI whose registrant
  code has four digits (10.1038/…, not 10.14197/…), and end2xml never reads
  EndNote's %R. bib2xml ignores biblatex's `date`, so
  from a .bib it has the year and month but not the day.
* ris2xml takes RIS's Y2 (the access date, as the 2011 RIS specification and
  Zotero use it) for a second publication date and appends it to PY's.
* bibutils names what it read but could not place: ris2xml a season (RIS's DA
  keeps it in the ‘other’ part), end2xml a report's access date.
* ris2xml and end2xml split an organisation's name into given and family
  names, though RIS marks one by having no comma and EndNote by a trailing one;
  end2xml and keeps the comma before a suffix in the given name.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import ALL_RECORDS, shared, require_programs
from facts import RECORDS, exported, facts, plain

pytestmark = pytest.mark.consumers

MODS = "{http://www.loc.gov/mods/v3}"



# --- rispy --------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_RECORDS)
def test_rispy_reads_every_field(name):
    rispy = pytest.importorskip("rispy")
    # SN repeats for a print and an electronic ISSN; rispy keeps the repeats when told SN is a list tag.
    references = rispy.loads(exported("ris", [name]), list_tags=[*rispy.LIST_TYPE_TAGS, "SN"])
    assert len(references) == 1
    ref = references[0]
    expected = facts(RECORDS[name])
    assert ref["title"] == expected.title
    assert [author.split(",")[0] for author in ref["authors"]] == [
        " ".join(filter(None, (person.particle, person.literal or person.family))) for person in RECORDS[name].authors
    ]
    assert ref.get("secondary_title") == expected.journal
    assert (ref.get("volume"), ref.get("number")) == (expected.volume, expected.issue)
    assert (ref.get("start_page"), ref.get("end_page")) == (expected.first_page, expected.last_page)
    assert ref["year"] == str(expected.year)
    if expected.date:
        assert tuple(int(part) for part in ref["date"].split("/")[:3] if part) == expected.date
    assert ref.get("doi") == expected.doi
    assert ref.get("issn", []) == expected.issns + ([expected.isbn] if expected.isbn else [])
    assert ref.get("urls", []) == ([expected.url] if expected.url else [])
    assert ref.get("keywords", []) == expected.keywords
    assert ref.get("abstract") == (plain(expected.abstract) if expected.abstract else None)
    assert ref.get("publisher") == expected.publisher
    assert ref.get("language") == expected.language


# --- bibutils -------------------------------------------------------------------


def _bibutils(program: str, text: str, tmp_path, suffix: str, unused: list[str] = ()):
    """The MODS collection a bibutils program made; it must report nothing but its count and,
    for each tag it read but has no place for, exactly the `unused` entries named."""
    from lxml import etree

    require_programs(program)
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run([program, str(path)], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    messages = result.stderr.decode("utf-8").splitlines()
    assert messages[-1] == f"{program}: Processed {len(ALL_RECORDS)} references."
    assert [line.split(":", 1)[1].strip() for line in messages if re.search(r"'\S+', '", line)] == list(unused)
    return etree.fromstring(result.stdout.removeprefix(b"\xef\xbb\xbf"))


def _mods_facts(mods) -> dict:
    def texts(path: str) -> list[str]:
        return [element.text for element in mods.iterfind(path, {"m": MODS[1:-1]}) if element.text]

    title = texts("m:titleInfo/m:title")[0]
    subtitle = texts("m:titleInfo/m:subTitle")
    families = []
    for name in mods.iterfind(f"{MODS}name"):
        roles = [term.text for term in name.iterfind(f"{MODS}role/{MODS}roleTerm")]
        if roles and "author" not in roles:
            continue
        parts = name.findall(f"{MODS}namePart")
        family = [part.text for part in parts if part.get("type") == "family"]
        families.append(family[0] if family else parts[0].text)
    dates = texts(".//m:originInfo/m:dateIssued")
    part = "m:relatedItem[@type='host']/m:part" if texts("m:relatedItem[@type='host']/m:part//m:number") else "m:part"
    pages = (texts(".//m:part/m:extent/m:start") + [None])[:1] + (texts(".//m:part/m:extent/m:end") + [None])[:1]
    if pages == [None, None] and texts(".//m:part/m:detail[@type='page']/m:number"):
        pages = [texts(".//m:part/m:detail[@type='page']/m:number")[0], None]  # bibutils' shape for one page
    date = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", dates[0]) if dates else None
    return {
        "title": title + (": " + subtitle[0] if subtitle else ""),
        "families": families,
        # bibutils nests a series as the host's host, and files a RIS chapter's T2 (book title) as the
        # abbreviated title of a nested host: the first title of any host is what it read.
        "journal": (texts(".//m:relatedItem[@type='host']//m:titleInfo/m:title") + [None])[0],
        "volume": (texts(f"{part}/m:detail[@type='volume']/m:number") + [None])[0],
        "issue": (texts(f"{part}/m:detail[@type='issue']/m:number") + [None])[0],
        "pages": pages,
        "date": tuple(int(part) for part in date.groups() if part) if date else None,
        "date_text": dates[0] if dates else None,
        "doi": (texts(".//m:identifier[@type='doi']") + [None])[0],
        "issns": [issn for text in texts(".//m:identifier[@type='issn']") for issn in text.split(", ")],
        "url": (texts(".//m:location/m:url") + [None])[0],
        "keywords": [word for text in texts("m:subject/m:topic") for word in text.split(", ")],
        "abstract": (texts("m:abstract") + [None])[0],
        "publisher": (texts(".//m:originInfo/m:publisher") + [None])[0],
    }


def _expected_mods(name: str, *, day: bool = True, doi: bool = True, series_as_host: bool = True) -> dict:
    """What a MODS reading of the record holds; bibutils makes a book's series its host item."""
    expected = facts(RECORDS[name])
    date = expected.date if day or not expected.date else expected.date[:2]
    return {
        "title": expected.title,
        "families": [" ".join(filter(None, (person.particle, person.literal or person.family)))
                     for person in RECORDS[name].authors],
        "journal": expected.journal or (RECORDS[name].collection_title if series_as_host else None),
        "volume": expected.volume,
        "issue": expected.issue,
        "pages": [expected.first_page, expected.last_page],
        "date": date,
        "date_text": RECORDS[name].issued.edtf() if RECORDS[name].issued else None,
        "doi": expected.doi if doi else None,
        "issns": expected.issns,
        "url": expected.url,
        "keywords": expected.keywords,
        "abstract": plain(expected.abstract) if expected.abstract else None,
        "publisher": expected.publisher,
    }


def _season_date(name: str, found: dict) -> dict:
    # bibutils has no seasons: a seasonal date comes back as its year alone, or not at all.
    if RECORDS[name].issued and RECORDS[name].issued.start.season:
        found["date"] = found["date"][:1] if found["date"] else (RECORDS[name].issued.start.year,)
    return found


def test_bib2xml_reads_the_bibtex_export(tmp_path):
    collection = _bibutils("bib2xml", exported("bibtex"), tmp_path, ".bib")
    found = [_mods_facts(mods) for mods in collection]
    assert len(found) == len(ALL_RECORDS)
    for name, facts_found in zip(ALL_RECORDS, found):
        facts_found.pop("date_text")  # compared as numbers: BibTeX's year and month
        expected = _expected_mods(name, day=False)
        expected.pop("date_text")
        assert _season_date(name, facts_found) == expected, name


def test_ris2xml_reads_the_ris_export(tmp_path):
    # RIS keeps a season in DA's ‘other’ part; bibutils has no place for it and says so.
    collection = _bibutils("ris2xml", exported("ris"), tmp_path, ".ris", ["'DATE:OTHER', 'Summer', 0"])
    found = [_mods_facts(mods) for mods in collection]
    assert len(found) == len(ALL_RECORDS)
    for name, facts_found in zip(ALL_RECORDS, found):
        expected = _expected_mods(name, doi=bool(re.match(r"10\.\d{4}/", RECORDS[name].doi or "")))
        if name == "who2021":
            # ris2xml takes Y2 (the access date in RIS since 2011) for a second publication date.
            assert facts_found["date_text"] == "2009-2021/03/15/"
            facts_found["date"] = (2009,)
            # and splits the organisation's name, which RIS marks by having no comma.
            assert facts_found["families"] == ["Organization"]
            facts_found["families"] = expected["families"]
        elif expected["date_text"] and "-2" not in expected["date_text"][4:]:
            assert facts_found["date_text"] == expected["date_text"]
        facts_found.pop("date_text")
        expected.pop("date_text")
        assert _season_date(name, facts_found) == expected, name


def test_end2xml_reads_the_endnote_export(tmp_path):
    # bibutils has no access date for a report and says so.
    collection = _bibutils("end2xml", exported("endnote"), tmp_path, ".enw", ["'ACCESSDATE', 'March 15, 2021', 0"])
    found = [_mods_facts(mods) for mods in collection]
    assert len(found) == len(ALL_RECORDS)
    for name, facts_found in zip(ALL_RECORDS, found):
        expected = _expected_mods(name, doi=False)
        facts_found.pop("date_text")
        expected.pop("date_text")
        if name == "who2021":
            # The organisation split at its last space (see the module's docstring).
            assert facts_found["families"] == ["Organization"]
            facts_found["families"] = expected["families"]
        assert _season_date(name, facts_found) == expected, name


def test_xml2bib_reads_the_mods_export(tmp_path):
    require_programs("xml2bib")
    import bibtexparser

    path = tmp_path / "export.xml"
    path.write_text(exported("mods"), encoding="utf-8")
    result = subprocess.run(["xml2bib", str(path)], capture_output=True, timeout=60)
    assert result.returncode == 0
    assert re.fullmatch(rb"\S+: Processed \d+ references\.\n", result.stderr), result.stderr
    from bibtexparser.model import DuplicateFieldKeyBlock, Entry

    library = bibtexparser.parse_string(result.stdout.decode("utf-8").removeprefix("\ufeff"))
    # xml2bib writes `url` twice when there is a DOI (the work's URL and the DOI's); bibtexparser
    # flags that, and keeps the entry with the first of the two.
    entries = [block.ignore_error_block if isinstance(block, DuplicateFieldKeyBlock) else block
               for block in library.blocks if isinstance(block, (Entry, DuplicateFieldKeyBlock))]
    assert len(entries) == len(ALL_RECORDS)
    for name, entry in zip(ALL_RECORDS, entries):
        expected = facts(RECORDS[name])
        from lutnick_cli.latex_text import to_rich_text as decode

        fields = {field.key.lower(): decode(field.value.removeprefix('"').removesuffix('"')) for field in entry.fields}
        # xml2bib writes single quotes as TeX's ligatures (`…'), which print as ‘…’.
        assert fields["title"].replace("`", "‘").replace("'", "’") == expected.title
        authors = [author.split(",")[0].strip("{}") for author in re.split(r"\s+and\s+", fields["author"])]
        # xml2bib puts a suffix after the family name (‘King Jr., Martin Luther’), where BibTeX reads it
        # as part of the family name; BibTeX's own form is ‘King, Jr., Martin Luther’.
        assert authors == [" ".join(filter(None, (person.particle, person.literal or person.family, person.suffix)))
                           for person in RECORDS[name].authors]
        assert fields.get("journal", fields.get("booktitle", fields.get("series"))) == (
            expected.journal or RECORDS[name].collection_title)
        if expected.url:
            assert f'url="{expected.url}"' in result.stdout.decode("utf-8")
        # A book's number in its series is MODS's series detail of type volume; xml2bib makes it the volume.
        assert fields.get("volume") == (expected.volume or RECORDS[name].collection_number)
        assert fields.get("number") == expected.issue
        assert fields.get("pages") == ("–".join(filter(None, [expected.first_page, expected.last_page])) or None)
        assert fields["year"] == str(expected.year)
        assert fields.get("doi") == expected.doi
        assert fields.get("issn") == (expected.issns[0] if expected.issns else None)
        assert fields.get("keywords", "").split("; ") == (expected.keywords or [""])
        assert fields.get("publisher") == expected.publisher


# --- lxml against the XSDs --------------------------------------------------------


@pytest.fixture(scope="module")
def xml_catalog():
    catalog = shared("consumer-schemas", "xml", "catalog.xml")
    previous = os.environ.get("XML_CATALOG_FILES")
    os.environ["XML_CATALOG_FILES"] = str(catalog)
    yield catalog.parent
    if previous is None:
        del os.environ["XML_CATALOG_FILES"]
    else:
        os.environ["XML_CATALOG_FILES"] = previous


def _schema(path):
    from lxml import etree

    # No network: every import must resolve through the catalogue to a local copy.
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def test_mods_export_is_valid_mods_3_8_and_holds_every_field(xml_catalog):
    from lxml import etree

    schema = _schema(xml_catalog / "mods" / "3.8" / "mods-3-8.xsd")
    document = etree.fromstring(exported("mods").encode("utf-8"), etree.XMLParser(no_network=True))
    schema.assertValid(document)
    found = [_mods_facts(mods) for mods in document]
    for name, facts_found in zip(ALL_RECORDS, found, strict=True):
        expected = _expected_mods(name, series_as_host=False)
        expected["abstract"] = facts(RECORDS[name]).abstract
        if RECORDS[name].issued.start.season:
            facts_found["date"] = (RECORDS[name].issued.start.year,)  # EDTF 2020-22 is year and season
        assert facts_found == expected, name
    languages = [mods.findtext(f"{MODS}language/{MODS}languageTerm") for mods in document]
    assert languages == [RECORDS[name].language for name in ALL_RECORDS]


def test_dc_export_is_valid_qualified_dc_and_holds_every_field(xml_catalog):
    from urllib.parse import parse_qsl

    from lxml import etree

    schema = _schema(xml_catalog / "dc" / "2008" / "qualifieddc.xsd")
    document = etree.fromstring(exported("dc").encode("utf-8"), etree.XMLParser(no_network=True))
    dc, dcterms = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
    records = list(document)
    assert len(records) == len(ALL_RECORDS)
    for name, element in zip(ALL_RECORDS, records):
        schema.assertValid(etree.ElementTree(element))
        expected = facts(RECORDS[name])
        assert element.findtext(f"{dc}title") == expected.title
        assert [creator.text for creator in element.iterfind(f"{dc}creator")] == [
            ", ".join(filter(None, (" ".join(filter(None, (p.particle, p.literal or p.family))), p.given, p.suffix)))
            for p in RECORDS[name].authors
        ]
        identifiers = [identifier.text for identifier in element.iterfind(f"{dc}identifier")]
        assert identifiers == [value for value in (
            f"https://doi.org/{expected.doi}" if expected.doi else None, expected.url,
            f"urn:ISBN:{expected.isbn}" if expected.isbn else None, RECORDS[name].id) if value]
        part_of = [relation.text for relation in element.iterfind(f"{dcterms}isPartOf")]
        assert part_of[: 1 + len(expected.issns)] == (
            [expected.journal] + [f"urn:ISSN:{issn}" for issn in expected.issns] if expected.journal else part_of[:1]
        )
        citation = dict(parse_qsl(element.findtext(f"{dcterms}bibliographicCitation") or ""))
        if expected.journal:
            assert citation.get("rft.jtitle", citation.get("rft.btitle")) == expected.journal
            assert (citation.get("rft.volume"), citation.get("rft.issue")) == (expected.volume, expected.issue)
            assert (citation.get("rft.spage"), citation.get("rft.epage")) == (expected.first_page, expected.last_page)
            assert [citation.get("rft.issn"), citation.get("rft.eissn")][: len(expected.issns)] == expected.issns
        assert element.findtext(f"{dcterms}issued") == RECORDS[name].issued.edtf()
        assert [subject.text for subject in element.iterfind(f"{dc}subject")] == expected.keywords
        assert element.findtext(f"{dcterms}abstract") == expected.abstract
        assert element.findtext(f"{dc}publisher") == expected.publisher
        assert element.findtext(f"{dc}language") == expected.language


# --- cffconvert ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_RECORDS)
def test_cffconvert_validates_citation_cff(tmp_path, name):
    """cffconvert validates the whole file against CFF 1.2.0 (preferred-citation included) and
    converts the top level; the preferred citation is then read as the YAML it is."""
    require_programs("cffconvert")
    path = tmp_path / "CITATION.cff"
    path.write_text(exported("cff", [name]), encoding="utf-8")
    result = subprocess.run(["cffconvert", "--validate", "-i", str(path)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Citation metadata are valid according to schema version 1.2.0.\n"
    zenodo = subprocess.run(["cffconvert", "-f", "zenodo", "-i", str(path)], capture_output=True, text=True, timeout=60)
    assert zenodo.returncode == 0, zenodo.stderr
    converted = json.loads(zenodo.stdout)
    expected = facts(RECORDS[name])
    assert converted["title"] == expected.title
    assert [creator["name"].split(",")[0] for creator in converted["creators"]] == [
        " ".join(filter(None, (person.particle, person.literal or person.family, person.suffix)))
        for person in RECORDS[name].authors
    ]
    assert converted.get("keywords", []) == expected.keywords
    assert converted.get("description") == expected.abstract
    cited = yaml.safe_load(path.read_text(encoding="utf-8"))["preferred-citation"]
    assert cited["type"] == {"article-journal": "article", "chapter": "generic", "book": "book", "report": "report"}.get(
        RECORDS[name].type.value, cited["type"]
    )
    assert cited["title"] == expected.title
    assert cited.get("journal", cited.get("collection-title")) == expected.journal or RECORDS[name].collection_title
    assert (cited.get("volume"), cited.get("issue")) == (expected.volume, expected.issue)
    assert (cited.get("start"), cited.get("end")) == (expected.first_page, expected.last_page)
    assert cited["year"] == expected.year
    if expected.date and len(expected.date) == 3:
        assert cited["date-published"] == "%04d-%02d-%02d" % expected.date
    assert cited.get("doi") == expected.doi
    others = cited.get("identifiers", [])
    issns = [cited.get("issn")] + [other["value"] for other in others if "ISSN" in other.get("description", "")]
    assert [issn for issn in issns if issn] == expected.issns
    assert [other["value"] for other in others if other.get("description") == "citation key"] == [RECORDS[name].id]
    assert cited.get("url") == expected.url
    assert cited.get("keywords", []) == expected.keywords
    assert cited.get("abstract") == expected.abstract
    publisher = cited.get("publisher", cited.get("institution", {})).get("name")
    assert publisher == expected.publisher


# --- CSL-JSON schema -------------------------------------------------------------------


def test_csl_json_export_is_valid_against_the_official_schema():
    import jsonschema

    schema = json.loads(shared("consumer-schemas", "csl", "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(exported("csl-json"))
    jsonschema.validate(items, schema)
    assert [item["id"] for item in items] == ALL_RECORDS
    for item, name in zip(items, ALL_RECORDS):
        expected = facts(RECORDS[name])
        assert item["title"] == expected.title
        assert item.get("container-title") == expected.journal
        assert item.get("issue") == expected.issue
        assert item.get("DOI") == expected.doi
        assert [part for part in item.get("ISSN", "").split(", ") if part] == expected.issns
        assert item.get("keyword", "") == ", ".join(expected.keywords)


# --- JSON-LD: rdflib's JSON-LD parser ---------------------------------------------------------------------


# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally; that says nothing about our data.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", ALL_RECORDS)
def test_rdflib_reads_the_json_ld_as_schema_org_triples(name):
    """rdflib parses the JSON-LD into RDF and SPARQL reads the facts back. Offline, the remote
    https://schema.org context is replaced by its essence, the schema.org vocabulary; RDF does not
    keep the order of repeated values, so authors, ISSNs and keywords are compared as sets."""
    rdflib = pytest.importorskip("rdflib")
    document = json.loads(exported("jsonld", [name]))
    assert document.pop("@context") == "https://schema.org"
    document["@context"] = {"@vocab": "https://schema.org/"}
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    schema = rdflib.Namespace("https://schema.org/")
    (work,) = [subject for subject in graph.subjects(rdflib.RDF.type, None) if (subject, schema.name, None) in graph
               and (subject, schema.author, None) in graph]

    def values(subject, *path):
        found = {subject}
        for step in path:
            found = {value for item in found for value in graph.objects(item, schema[step])}
        return {str(value) for value in found}

    expected = facts(RECORDS[name])
    assert values(work, "name") == {expected.title}
    assert values(work, "author", "familyName") | values(work, "author", "name") >= {
        " ".join(filter(None, (person.particle, person.literal or person.family))) for person in RECORDS[name].authors
    }
    hosts = values(work, "isPartOf", "name") | values(work, "isPartOf", "isPartOf", "name") | values(
        work, "isPartOf", "isPartOf", "isPartOf", "name")
    assert ({expected.journal} if expected.journal else set()) <= hosts
    if RECORDS[name].type.value == "article-journal":
        issue = values(work, "isPartOf", "issueNumber")
        assert issue == ({expected.issue} if expected.issue else set())
        periodical = ("isPartOf",) * (1 + bool(expected.issue) + bool(expected.volume))
        assert values(work, *periodical, "issn") == set(expected.issns)
    assert values(work, "pageStart") == ({expected.first_page} if expected.first_page else set())
    assert values(work, "pageEnd") == ({expected.last_page} if expected.last_page else set())
    assert values(work, "datePublished") == {RECORDS[name].issued.edtf()}
    assert values(work, "identifier", "value") == {RECORDS[name].id} | ({expected.doi} if expected.doi else set())
    assert values(work, "url") == ({expected.url} if expected.url else set())
    assert values(work, "keywords") == set(expected.keywords)
    assert values(work, "abstract") == ({expected.abstract} if expected.abstract else set())
    assert values(work, "publisher", "name") | values(work, "sourceOrganization", "name") == (
        {expected.publisher} if expected.publisher else set())
    assert values(work, "inLanguage") == ({expected.language} if expected.language else set())
