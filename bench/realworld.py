"""How well real bibliographies come through lutnick, beside pandoc, measured against independent readers.

    .venv/bin/python bench/realworld.py            # the table
    .venv/bin/python bench/realworld.py --diff     # and every record that is not intact, field by field
    .venv/bin/python bench/realworld.py --json     # the whole report, for scripts

The corpus is `tests/realworld/` (its PROVENANCE.md says where each file comes
from). For every file and every record it reports, for lutnick (in this
process) and for pandoc (run here, `-t csljson`):

- acceptance: the record was read (a record refused with a message counts as
  reported, not accepted; one neither read nor reported is lost);
- intactness: the record was read, and its authors (family names, in order,
  and how many), title, year, container title, pages, DOI, ISBN, ISSN and
  URL are equal to what the reference reader finds. A field the reference
  does not find is not compared.

The reference readers know nothing of lutnick: pybtex for .bib (with the
`crossref` rule bibtex applies, and biblatex's title → booktitle rule for
files read as biblatex) with pylatexenc for TeX → Unicode; rispy for RIS; the
JSON itself for CSL-JSON. The records are the ones the reference reader
finds: one it cannot read either is not counted.

Both tools are compared through CSL-JSON: pandoc's output as it is, and
lutnick's records as `lutnick export --to csl-json` writes them. Before
comparing, every value is normalised the same way on both sides:

- TeX is turned into Unicode (reference side only: both tools do it too),
  HTML tags are removed (pandoc marks `<span class="nocase">`, lutnick `<i>`),
  braces are removed, Unicode is NFC, and runs of white space become one
  space. Titles and container titles are compared without case or
  quotation marks: BibTeX lets a style recase any word not in braces,
  pandoc keeps English titles in sentence case, as CSL expects, and quotation
  marks are markup (biblatex's `\\mkbibquote`, pandoc's smart quotes);
- a title with a biblatex `titleaddon` may carry it after a full stop, and a
  volume of a multi-volume work may name the work as its title and itself as
  CSL's `volume-title`, as pandoc writes them;
- a title with a biblatex `subtitle` is "Title: Subtitle", as CSL has it;
- names: the family name with its particles ("van Gogh"), or the literal name
  of an organisation, compared without case; BibTeX's `and others` is no
  author; an RIS name is its part before the comma ("Alceste, F"), or
  without its initials ("Liu R.");
- year: the first four-digit year of the date (a year before 1000 with its
  leading zeros);
- pages: every kind of dash is "-", spaces are removed, and an abbreviated
  range is written in full ("4044-52" is "4044-4052");
- DOI: without resolver (any host: doi.org, doi.acm.org) or `doi:` prefix,
  lower case;
- ISBN and ISSN: the set of numbers in the field, digits and X only (RIS
  puts both in `SN`: eight characters make an ISSN, ten or thirteen an ISBN);
- URL: as written, without the TeX escapes of `\\_`, `\\%`, `\\&` and `\\#`;
  several URLs (RIS's several UR) are compared as one text, a space between each.

It also reports every field of a source record that lutnick accepted but
kept nowhere, and named in no message: "dropped without a message". A field
is kept when the record field it belongs in is filled (a table below, or
the record field of its CSL name: `original-date` → `original_date`,
`container-author` → `container_authors`), when its name is a key of the
record's `other_fields`, when all the family names of a names field are
among the record's people, or when its value (four characters or more,
normalised as above) appears in the record as `lutnick import` writes it.
It is named when a warning or error of the record names it. That count must
reach 0.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "realworld")
sys.path.insert(0, os.path.join(ROOT, "src"))

COMPARED = ("authors", "title", "year", "container", "pages", "doi", "isbn", "issn", "url")


# --- the corpus ----------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to the corpus folder
    kind: str  # bibtex, biblatex, ris, csl-json

    @property
    def full_path(self) -> str:
        return os.path.join(CORPUS, self.path)


def corpus_files(corpus: str = CORPUS) -> list[CorpusFile]:
    """Every bibliography file of the corpus, with the dialect it is read in.

    A .bib file is biblatex when its name says so (biblatex's own examples,
    Better BibLaTeX's export); every other .bib is BibTeX.
    """
    found = []
    for root, folders, names in os.walk(corpus):
        folders.sort()
        for name in sorted(names):
            relative = os.path.relpath(os.path.join(root, name), corpus)
            if name.endswith(".bib"):
                found.append(CorpusFile(relative, "biblatex" if "biblatex" in name else "bibtex"))
            elif name.endswith(".ris"):
                found.append(CorpusFile(relative, "ris"))
            elif name.endswith(".json") and name != "expected.json":
                found.append(CorpusFile(relative, "csl-json"))
    return found


# --- normalisation ------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_QUOTES = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a]|(?<![\w])'|'(?![\w])")
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
# Any resolver: doi.org, dx.doi.org, and publishers' own (doi.acm.org).
_DOI_PREFIX = re.compile(r"^(?:https?://[^/\s]+/(?=10[./])|doi:\s*)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def folded(value: Any) -> str:
    """`text` without case or quotation marks, for titles.

    BibTeX lets a style recase every word not in braces, and pandoc keeps
    English titles in sentence case, as CSL expects: case says nothing about
    what was read. Quotation marks are markup here (biblatex's \\mkbibquote,
    pandoc's smart quotes); a typographic apostrophe is an apostrophe.
    """
    return _QUOTES.sub("", text(value).replace("\u2019", "'").replace("\u2018", "'")).casefold()


def text(value: Any) -> str:
    """Unicode NFC, no HTML tags or braces, white space folded."""
    if value is None:
        return ""
    value = html.unescape(_TAG.sub("", str(value)))
    value = value.replace("{", "").replace("}", "")
    return _SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def name_key(family: str) -> str:
    return text(family).casefold()


def year_of(value: Any) -> str:
    match = _YEAR.search(str(value or ""))
    return match.group(1) if match else ""


def pages_key(value: Any) -> str:
    pages = _DASHES.sub("-", text(value)).replace(" ", "")
    # An abbreviated range is the same pages as the full one: 4044-52 is 4044-4052.
    short = re.fullmatch(r"(\d+)-+(\d+)", pages)
    if short and len(short.group(2)) < len(short.group(1)) and int(short.group(2)) > 0:
        first, last = short.groups()
        full = first[:len(first) - len(last)] + last
        if int(full) > int(first):
            pages = f"{first}-{full}"
    return pages


def doi_key(value: Any) -> str:
    return _DOI_PREFIX.sub("", text(value)).strip().lower()


def numbers(value: Any) -> tuple[set[str], set[str]]:
    """The ISSNs and ISBNs written in one field, each as digits and X."""
    issns, isbns = set(), set()
    for token in re.split(r"[,;\s]+|\(", str(value or "")):
        digits = re.sub(r"[^0-9Xx]", "", token).upper()
        if len(digits) == 8:
            issns.add(digits)
        elif len(digits) in (10, 13):
            isbns.add(digits)
    return issns, isbns


def url_key(value: Any) -> str:
    # Several URLs are one text with a space between each, as lutnick writes CSL's one URL.
    value = " ".join(str(value or "").strip().strip("{}").split())
    return re.sub(r"\\([_%&#])", r"\1", value)


# --- canonical form: what is compared -----------------------------------------------


def canonical_from_csl(item: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of a CSL-JSON item (pandoc's output, lutnick's export, a CSL-JSON source)."""
    authors = []
    for person in item.get("author") or []:
        if not isinstance(person, dict):
            continue
        if person.get("literal"):
            authors.append(name_key(person["literal"]))
        else:
            parts = [person.get("dropping-particle"), person.get("non-dropping-particle"), person.get("family")]
            authors.append(name_key(" ".join(text(part) for part in parts if part)))
    issued = item.get("issued")
    year = ""
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if parts and parts[0] and parts[0][0] not in (None, ""):
            # A year before 1000 is a number of fewer digits in date-parts (0004-03 is [[4, 3]]).
            first = parts[0][0]
            year = year_of(f"{first:04d}" if isinstance(first, int) else first)
        else:
            year = year_of(issued.get("raw") or issued.get("literal"))
    elif issued:
        year = year_of(issued)
    issns, _ = numbers(item.get("ISSN"))
    _, isbns = numbers(item.get("ISBN"))
    return {
        "authors": authors,
        "title": folded(item.get("title")),
        "volume_title": folded(item.get("volume-title")),
        "year": year,
        "container": folded(item.get("container-title")),
        "pages": pages_key(item.get("page")),
        "doi": doi_key(item.get("DOI")),
        "isbn": sorted(isbns),
        "issn": sorted(issns),
        "url": url_key(item.get("URL")),
    }


def differences(reference: dict[str, Any], other: dict[str, Any] | None) -> dict[str, tuple[Any, Any]]:
    """Each compared field the reference has and the other side does not have equal."""
    found = {}
    for name in COMPARED:
        expected = reference.get(name)
        if not expected:
            continue
        got = other.get(name) if other else None
        if got == expected or (other and _same_title(name, reference, other)):
            continue
        found[name] = (expected, got)
    return found


def _same_title(name: str, reference: dict[str, Any], other: dict[str, Any]) -> bool:
    """A title or container title written another way CSL allows.

    A biblatex volume of a multi-volume work may come out as the work's title
    with the volume's title in `volume-title` (pandoc does this), and a title
    may carry its biblatex `titleaddon` after it.
    """
    if name not in ("title", "container"):
        return False
    got = other.get(name) or ""
    if other.get("volume_title") == reference[name]:
        return True
    return any(got == form for form in reference.get(f"{name}_forms", ()))


# --- reference readers --------------------------------------------------------------


@dataclass
class SourceRecord:
    """One record as the reference reader finds it."""

    key: str
    canonical: dict[str, Any]
    fields: dict[str, str]  # the source's own field names (lower case for BibTeX) and values as text
    line: int | None = None
    # For each field that holds names: the family names, to find them among the record's people.
    families: dict[str, list[str]] = field(default_factory=dict)


def _latex_to_text(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    # A bare & (Mendeley writes them) means the ampersand, not a table column.
    value = re.sub(r"(?<!\\)&", r"\\&", value)
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True).latex_to_text(value)


_BIBLATEX_INHERITED = {  # biblatex: field of the child ← field of the parent, beyond same-name inheritance
    "booktitle": "title",
    "booksubtitle": "subtitle",
    "maintitle": "title",
}


_BIBLATEX_OWN_TITLES = {"title", "subtitle", "titleaddon", "shorttitle", "sorttitle", "indextitle", "indexsorttitle"}


def read_bib_reference(path: str, dialect: str) -> list[SourceRecord]:
    import pybtex.errors
    from pybtex.database import parse_file

    pybtex.errors.set_strict_mode(False)
    # pybtex reports what it skips (an entry without a key) as it goes: kept
    # quiet here, since a record the reference cannot read is not counted.
    with pybtex.errors.capture():
        data = parse_file(path, bib_format="bibtex")
    entries = {key.lower(): entry for key, entry in data.entries.items()}
    raw = open(path, encoding="utf-8-sig").read()
    lines, unnamed = {}, []
    for match in re.finditer(r"(?m)^\s*@(\w+)\s*[{(]\s*([^,\s]*)\s*,", raw):
        line = raw.count("\n", 0, match.start()) + 1
        if match.group(2):
            lines.setdefault(match.group(2).lower(), line)
        elif match.group(1).lower() not in ("string", "comment", "preamble"):
            unnamed.append(line)  # pybtex calls these unnamed-1, unnamed-2, … in order
    for number, line in enumerate(unnamed, 1):
        lines.setdefault(f"unnamed-{number}", line)
    records = []
    for key, entry in data.entries.items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        persons = {role.lower(): people for role, people in entry.persons.items()}
        parent = entries.get(fields.get("crossref", "").lower()) if fields.get("crossref") else None
        if parent is not None:
            inherited = {name.lower(): value for name, value in parent.fields.items()}
            if dialect == "biblatex" and entry.type.lower() in ("inproceedings", "incollection", "inbook", "bookinbook"):
                for child_name, parent_name in _BIBLATEX_INHERITED.items():
                    if child_name not in fields and parent_name in inherited:
                        fields[child_name] = inherited[parent_name]
            for name, value in inherited.items():
                # biblatex passes a parent's titles on only under other names (the rule above).
                if dialect == "biblatex" and name in _BIBLATEX_OWN_TITLES:
                    continue
                fields.setdefault(name, value)
            for role, people in parent.persons.items():
                persons.setdefault(role.lower(), people)
        families = {role.lower(): [name_key(_latex_to_text(" ".join(person.prelast_names + person.last_names)))
                                   for person in people] for role, people in entry.persons.items()}
        records.append(SourceRecord(key, _bib_canonical(entry.type.lower(), fields, persons, dialect),
                                    _bib_source_fields(entry), lines.get(key.lower()), families))
    return records


def _bib_source_fields(entry: Any) -> dict[str, str]:
    found = {name.lower(): str(value) for name, value in entry.fields.items()}
    for role, people in entry.persons.items():
        found[role.lower()] = " and ".join(str(person) for person in people)
    return found


def _bib_canonical(entry_type: str, fields: dict[str, str], persons: dict[str, Any], dialect: str) -> dict[str, Any]:
    def plain(name: str) -> str:
        value = fields.get(name)
        return text(_latex_to_text(value)) if value else ""

    authors = []
    for person in persons.get("author", []):
        family = " ".join(person.prelast_names + person.last_names)
        if not family and person.first_names == ["others"] or family.lower() == "others":
            continue
        authors.append(name_key(_latex_to_text(family)))
    title = plain("title")
    if title and fields.get("subtitle"):
        title = f"{title}: {plain('subtitle')}"
    container = ""
    if entry_type in ("article", "periodical", "suppperiodical"):
        container = plain("journaltitle") or plain("journal")
        if container and fields.get("journalsubtitle"):
            container = f"{container}: {plain('journalsubtitle')}"
    elif entry_type.startswith("in") or entry_type in ("bookinbook", "suppbook", "suppcollection"):
        container = plain("booktitle")
        if container and fields.get("booksubtitle"):
            container = f"{container}: {plain('booksubtitle')}"
    title_forms = [folded(f"{title}. {plain('titleaddon')}")] if title and fields.get("titleaddon") else []
    container_forms = ([folded(f"{container}. {plain('booktitleaddon')}")]
                       if container and fields.get("booktitleaddon") else [])
    year = year_of(fields.get("year")) or year_of(fields.get("date"))
    issns, _ = numbers(fields.get("issn"))
    _, isbns = numbers(fields.get("isbn"))
    return {
        "authors": authors,
        "title": folded(title),
        "title_forms": title_forms,
        "year": year,
        "container": folded(container),
        "container_forms": container_forms,
        "pages": pages_key(_latex_to_text(fields["pages"])) if fields.get("pages") else "",
        "doi": doi_key(url_key(fields.get("doi"))),
        "isbn": sorted(isbns),
        "issn": sorted(issns),
        "url": url_key(fields.get("url")),
    }


_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def read_ris_reference(path: str) -> list[SourceRecord]:
    """rispy's reading of the file, with the line each record starts on and the tags it has."""
    import rispy

    raw = open(path, encoding="utf-8-sig").read()
    starts, tags = [], []
    inside = False
    last: list[str] | None = None
    for number, line in enumerate(raw.splitlines(), 1):
        match = _RIS_TAG.match(line.rstrip())
        if not match:
            # EndNote and Embase go on with a value on lines of their own ("SN  - 1932-8494" then "1932-8486").
            if inside and last is not None and line.strip():
                last.append(line.strip())
            continue
        if match.group(1) == "TY":
            starts.append(number)
            tags.append({})
            inside = True
        elif match.group(1) == "ER":
            inside, last = False, None  # what follows ER (Ovid's "NL" and notes) is in no record
        elif inside:
            last = tags[-1].setdefault(match.group(1), [])
            last.append((match.group(2) or "").strip())
    entries = rispy.loads(raw, skip_unknown_tags=False)
    records = []
    for index, entry in enumerate(entries):
        line = starts[index] if index < len(starts) else None
        own = tags[index] if index < len(tags) else {}
        canonical = _ris_canonical(entry)
        # rispy keeps one `SN` of several; every one of them counts.
        issns, isbns = numbers(" ".join(own.get("SN", [])))
        canonical["issn"], canonical["isbn"] = sorted(issns), sorted(isbns)
        fields = {tag: " ".join(values) for tag, values in own.items()}
        records.append(SourceRecord(str(line), canonical, fields, line))
    return records


def _first(entry: dict[str, Any], *names: str) -> str:
    for name in names:
        value = entry.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if value and str(value).strip():
            return str(value).strip()
    return ""


_INITIALS = re.compile(r"^(?:[A-Z]\.?-?)+$")


def _ris_family(name: str) -> str:
    """The family name of an RIS name: before the comma ("Alceste, F"), or before the initials ("Liu R.")."""
    if "," in name:
        return name.split(",")[0]
    words = name.split()
    while len(words) > 1 and _INITIALS.match(words[-1]):
        words.pop()
    return " ".join(words)


def _ris_canonical(entry: dict[str, Any]) -> dict[str, Any]:
    authors = [name_key(_ris_family(name)) for name in
               (entry.get("first_authors") or []) + (entry.get("authors") or []) if name.strip()]
    start, end = _first(entry, "start_page"), _first(entry, "end_page")
    pages = f"{start}-{end}" if start and end and start != end else start
    return {
        "authors": authors,
        "title": folded(_first(entry, "title", "primary_title")),
        "year": year_of(_first(entry, "year", "publication_year", "date")),
        # The full title first: T2, JF, JO; then the abbreviations JA and J2.
        "container": folded(_first(entry, "secondary_title", "alternate_title3", "journal_name",
                                   "alternate_title2", "alternate_title1")),
        "pages": pages_key(pages),
        "doi": doi_key(_first(entry, "doi")),
        "url": url_key(" ".join(entry.get("urls") or []) or _first(entry, "url")),
    }


def read_csl_reference(path: str) -> list[SourceRecord]:
    items = json.load(open(path, encoding="utf-8-sig"))
    items = items if isinstance(items, list) else [items]
    raw = open(path, encoding="utf-8-sig").read()
    return [SourceRecord(str(item.get("id")), canonical_from_csl(item),
                         {name: json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
                          for name, value in item.items()}, _line_of_id(raw, item.get("id")), _csl_families(item))
            for item in items]


def _csl_families(item: dict[str, Any]) -> dict[str, list[str]]:
    """The family (or literal) names of each CSL name variable of an item."""
    found = {}
    for name, value in item.items():
        if isinstance(value, list) and value and all(isinstance(person, dict) for person in value):
            found[name] = [name_key(person.get("family") or person.get("literal") or "") for person in value]
    return found


def _line_of_id(raw: str, record_id: Any) -> int | None:
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(record_id, ensure_ascii=False)), raw)
    return raw.count("\n", 0, match.start()) + 1 if match else None


def read_reference(corpus_file: CorpusFile) -> list[SourceRecord]:
    if corpus_file.kind in ("bibtex", "biblatex"):
        return read_bib_reference(corpus_file.full_path, corpus_file.kind)
    if corpus_file.kind == "ris":
        return read_ris_reference(corpus_file.full_path)
    return read_csl_reference(corpus_file.full_path)


# --- lutnick --------------------------------------------------------------------------


@dataclass
class LutnickResult:
    """What lutnick made of one source record."""

    accepted: bool = False
    reported: bool = False  # refused with a message naming the file and line
    messages: list[str] = field(default_factory=list)
    canonical: dict[str, Any] | None = None
    data: dict[str, Any] | None = None  # the record as `lutnick import` writes it


def read_lutnick(corpus_file: CorpusFile) -> tuple[dict[str, LutnickResult], dict[int, LutnickResult], list[str]]:
    """Lutnick's reading of a file, by the key that matches the reference's and by line; and the file's fatal messages."""
    from lutnick_cli import load
    from lutnick_cli.citation.csl import record_to_csl
    from lutnick_cli.record import record_to_data

    results: dict[str, LutnickResult] = {}
    by_line: dict[int, LutnickResult] = {}
    fatal: list[str] = []
    for loaded in load.iter_loaded([corpus_file.full_path], corpus_file.kind):
        if isinstance(loaded, load.BadRecord):
            messages = [str(problem) for problem in loaded.problems]
            if loaded.fatal:
                fatal.extend(messages)
                continue
            key = _lutnick_key(corpus_file, loaded.record_id, loaded.line)
            results[key] = LutnickResult(reported=loaded.line is not None, messages=messages)
            if loaded.line is not None:
                by_line[loaded.line] = results[key]
            continue
        record = loaded.record
        key = _lutnick_key(corpus_file, record.id, loaded.line)
        results[key] = LutnickResult(
            accepted=True,
            messages=[str(problem) for problem in loaded.warnings],
            canonical=canonical_from_csl(record_to_csl(record)),
            data=record_to_data(record),
        )
        if loaded.line is not None:
            by_line[loaded.line] = results[key]
    return results, by_line, fatal


def _lutnick_key(corpus_file: CorpusFile, record_id: Any, line: int | None) -> str:
    if corpus_file.kind == "ris":
        return str(line)
    return str(record_id).lower() if corpus_file.kind in ("bibtex", "biblatex") else str(record_id)


# --- dropped fields ------------------------------------------------------------------

# Source field → the record fields (dotted paths of `lutnick import`'s YAML) where it belongs.
_HOMES = {
    "author": ["authors"], "editor": ["editors"], "translator": ["translators"],
    "title": ["title"], "shorttitle": ["short_title"], "title-short": ["short_title"],
    "journal": ["container.title"], "journaltitle": ["container.title"], "booktitle": ["container.title"],
    "container-title": ["container.title"], "container-title-short": ["container.short_title"],
    "shortjournal": ["container.short_title"], "journal-abbreviation": ["container.short_title"],
    "year": ["issued"], "date": ["issued"], "month": ["issued"], "issued": ["issued"],
    "urldate": ["accessed"], "accessed": ["accessed"],
    "pages": ["pages"], "page": ["pages"], "doi": ["doi"], "isbn": ["isbn"], "url": ["url"],
    "issn": ["container.issn", "container.eissn"],
    "volume": ["volume"], "number": ["issue", "number", "collection_number"], "issue": ["issue"],
    "publisher": ["publisher"], "school": ["publisher"], "institution": ["publisher"],
    "organization": ["publisher"], "address": ["publisher_place"], "location": ["publisher_place"],
    "publisher-place": ["publisher_place"], "city": ["publisher_place"],
    "edition": ["edition"], "series": ["collection_title"], "collection-title": ["collection_title"],
    "collection-number": ["collection_number"], "abstract": ["abstract"], "keywords": ["keywords"],
    "keyword": ["keywords"], "note": ["note"], "language": ["language"], "langid": ["language"],
    "type": ["genre", "type"], "genre": ["genre"], "version": ["version"],
    "volumes": ["number_of_volumes"], "number-of-volumes": ["number_of_volumes"],
    "eventtitle": ["event_title"], "event-title": ["event_title"], "event": ["event_title"],
    "venue": ["event_place"], "event-place": ["event_place"], "id": ["id"],
    # biblatex fields whose record field has another name
    "annotation": ["annote"], "part": ["part_number"], "pagetotal": ["number_of_pages"],
    "bookauthor": ["container_authors"],
    # RIS tags
    "AU": ["authors"], "A1": ["authors"], "A2": ["editors", "container.title"], "ED": ["editors"],
    "TI": ["title"], "T1": ["title"], "T2": ["container.title"], "JO": ["container.title", "container.short_title"],
    "JF": ["container.title"], "JA": ["container.short_title", "container.title"],
    "J2": ["container.short_title", "container.title"], "BT": ["container.title", "title"],
    "T3": ["collection_title"], "PY": ["issued"], "Y1": ["issued"], "DA": ["issued"],
    "SP": ["pages"], "EP": ["pages"], "VL": ["volume"], "IS": ["issue"], "DO": ["doi"],
    "SN": ["isbn", "container.issn", "container.eissn"], "UR": ["url"], "PB": ["publisher"],
    "CY": ["publisher_place"], "AB": ["abstract"], "N2": ["abstract"], "KW": ["keywords"],
    "N1": ["note"], "LA": ["language"], "ET": ["edition"], "ST": ["short_title"], "M3": ["genre"],
    "Y2": ["accessed"], "TY": ["type"], "DB": ["source"], "DP": ["source"],
}


def _path_value(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _dump_text(data: Any) -> str:
    return text(json.dumps(data, ensure_ascii=False)).casefold()


def dropped_fields(source: SourceRecord, result: LutnickResult, kind: str) -> list[str]:
    """The source's fields kept nowhere in lutnick's record and named in none of its messages."""
    if not result.accepted or result.data is None:
        return []
    data = result.data
    dump = _dump_text(data)
    other = data.get("other_fields") if isinstance(data.get("other_fields"), dict) else {}
    other_names = {name.lower() for name in other}
    said = " ".join(result.messages).casefold()
    dropped = []
    for name, value in source.fields.items():
        if name in ("ER",) or (kind in ("bibtex", "biblatex") and name == "crossref"):
            continue
        if value in ("", "[]", "{}"):
            continue  # an empty value (Crossref's `original-title: []`) holds nothing to keep
        if name.lower() in other_names:
            continue
        # The record's own name for a CSL variable: lower case, "_" for "-", plural for names.
        own = name.lower().replace("-", "_")
        # CSL-JSON's upper-case variables (ISSN, DOI) have the homes of their lower-case names.
        homes = [*_HOMES.get(name, _HOMES.get(name.lower(), ())), own, own + "s"]
        if any(_path_value(data, path) not in (None, "", [], {}) for path in homes):
            continue
        families = [family for family in source.families.get(name, ()) if family]
        if families and all(json.dumps(family, ensure_ascii=False)[1:-1] in dump for family in families):
            continue
        shown = text(_latex_to_text(value) if kind in ("bibtex", "biblatex") else value).casefold()
        if len(shown) >= 4 and shown in dump:
            continue
        if re.search(r"\b" + re.escape(name.casefold()) + r"\b", said):
            continue
        dropped.append(name)
    return dropped


# --- pandoc ------------------------------------------------------------------------------


def pandoc_binary() -> str | None:
    """The newest pandoc at hand: the one pypandoc-binary ships (it reads RIS), else the one on PATH."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def pandoc_reads(binary: str) -> set[str]:
    listed = subprocess.run([binary, "--list-input-formats"], capture_output=True, text=True, check=True)
    return set(listed.stdout.split())


def read_pandoc(binary: str, corpus_file: CorpusFile, formats: set[str]) -> tuple[list[dict[str, Any]] | None, str]:
    """pandoc's CSL-JSON for the file, or None and why not."""
    reader = {"bibtex": "bibtex", "biblatex": "biblatex", "ris": "ris", "csl-json": "csljson"}[corpus_file.kind]
    if reader not in formats:
        return None, f"this pandoc does not read {reader}"
    run = subprocess.run([binary, "-f", reader, "-t", "csljson", corpus_file.full_path],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        return None, " ".join(run.stderr.split("\n")[:2]).strip() or f"exit {run.returncode}"
    return json.loads(run.stdout or "[]"), run.stderr.strip()


def _pandoc_by_key(items: list[dict[str, Any]], corpus_file: CorpusFile, references: list[SourceRecord]) -> dict[str, dict]:
    if corpus_file.kind == "ris":
        # pandoc makes up its own ids for RIS records: they come out in the file's order.
        return {reference.key: item for reference, item in zip(references, items)}
    if corpus_file.kind == "csl-json":
        return {str(item.get("id")): item for item in items}
    return {str(item.get("id")).lower(): item for item in items}


# --- the measurement ------------------------------------------------------------------------


@dataclass
class RecordReport:
    key: str
    line: int | None
    lutnick: str  # accepted, reported, lost
    lutnick_diff: dict[str, Any]
    pandoc: str  # accepted, lost
    pandoc_diff: dict[str, Any]
    dropped: list[str]
    messages: list[str]

    @property
    def lutnick_intact(self) -> bool:
        return self.lutnick == "accepted" and not self.lutnick_diff

    @property
    def pandoc_intact(self) -> bool:
        return self.pandoc == "accepted" and not self.pandoc_diff


@dataclass
class FileReport:
    path: str
    kind: str
    records: list[RecordReport]
    lutnick_fatal: list[str]
    pandoc_note: str


def measure_lutnick(corpus_file: CorpusFile, references: list[SourceRecord]) -> tuple[list[RecordReport], list[str]]:
    results, by_line, fatal = read_lutnick(corpus_file)
    # A source record that is no record to lutnick (a biblatex @set) is reported when a warning names it.
    named: dict[str, list[str]] = {}
    for result in results.values():
        for message in result.messages:
            for match in re.findall(r"warning: \[([^\]]+)\]", message):
                named.setdefault(match, []).append(message)
    reports = []
    for reference in references:
        key = reference.key.lower() if corpus_file.kind in ("bibtex", "biblatex") else reference.key
        # A record without a key of its own is found by its line.
        result = results.get(key) or by_line.get(reference.line)
        if result is None:
            state = "reported" if reference.key in named else "lost"
            diff, dropped, messages = {}, [], named.get(reference.key, [])
        else:
            state = "accepted" if result.accepted else ("reported" if result.reported else "lost")
            diff = differences(reference.canonical, result.canonical) if result.accepted else {}
            dropped = dropped_fields(reference, result, corpus_file.kind)
            messages = result.messages
        reports.append(RecordReport(reference.key, reference.line, state, diff, "", {}, dropped, messages))
    return reports, fatal


def measure(corpus_file: CorpusFile, pandoc: str | None, formats: set[str]) -> FileReport:
    references = read_reference(corpus_file)
    reports, fatal = measure_lutnick(corpus_file, references)
    note = "pandoc not found"
    by_key: dict[str, dict] = {}
    if pandoc:
        items, note = read_pandoc(pandoc, corpus_file, formats)
        by_key = _pandoc_by_key(items, corpus_file, references) if items is not None else {}
    for reference, report in zip(references, reports):
        key = reference.key.lower() if corpus_file.kind in ("bibtex", "biblatex") else reference.key
        item = by_key.get(key)
        report.pandoc = "accepted" if item is not None else "lost"
        report.pandoc_diff = differences(reference.canonical, canonical_from_csl(item)) if item is not None else {}
    return FileReport(corpus_file.path, corpus_file.kind, reports, fatal, note)


def measure_all(files: Iterable[CorpusFile] | None = None, with_pandoc: bool = True) -> list[FileReport]:
    pandoc = pandoc_binary() if with_pandoc else None
    formats = pandoc_reads(pandoc) if pandoc else set()
    return [measure(corpus_file, pandoc, formats) for corpus_file in (files or corpus_files())]


# --- output --------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _counts(records: list[RecordReport]) -> dict[str, int]:
    return {
        "records": len(records),
        "lutnick_accepted": sum(r.lutnick == "accepted" for r in records),
        "lutnick_reported": sum(r.lutnick == "reported" for r in records),
        "lutnick_intact": sum(r.lutnick_intact for r in records),
        "pandoc_accepted": sum(r.pandoc == "accepted" for r in records),
        "pandoc_intact": sum(r.pandoc_intact for r in records),
        "dropped_fields": sum(len(r.dropped) for r in records),
        "records_with_dropped_fields": sum(bool(r.dropped) for r in records),
    }


def table(reports: list[FileReport]) -> str:
    header = (f"{'file':<46} {'records':>7}  {'lutnick read':>12} {'intact':>7}  "
              f"{'pandoc read':>11} {'intact':>7}  {'dropped':>7}")
    lines = [header, "-" * len(header)]
    everything: list[RecordReport] = []
    for report in reports:
        counts = _counts(report.records)
        everything += report.records
        lines.append(_row(report.path, counts))
    lines.append("-" * len(header))
    lines.append(_row(f"all {len(reports)} files", _counts(everything)))
    lines.append("")
    lines.append("read: records accepted; intact: read, and authors, title, year, container, pages, DOI,")
    lines.append("ISBN, ISSN and URL equal to the reference reader's; dropped: fields lutnick kept nowhere")
    lines.append("and named in no message.")
    return "\n".join(lines)


def _row(name: str, counts: dict[str, int]) -> str:
    records = counts["records"]
    return (f"{name:<46} {records:>7}  {_percent(counts['lutnick_accepted'], records):>12} "
            f"{_percent(counts['lutnick_intact'], records):>7}  {_percent(counts['pandoc_accepted'], records):>11} "
            f"{_percent(counts['pandoc_intact'], records):>7}  {counts['dropped_fields']:>7}")


def diff_listing(reports: list[FileReport]) -> str:
    lines = []
    for report in reports:
        for message in report.lutnick_fatal:
            lines.append(f"{report.path}: lutnick stopped reading: {message}")
        if report.pandoc_note and all(r.pandoc != "accepted" for r in report.records):
            lines.append(f"{report.path}: pandoc: {report.pandoc_note}")
        for record in report.records:
            if record.lutnick_intact and record.pandoc_intact and not record.dropped:
                continue
            lines.append(f"{report.path}:{record.line or '?'} [{record.key}]")
            if record.lutnick != "accepted":
                lines.append(f"  lutnick: {record.lutnick}" + "".join(f"\n    {m}" for m in record.messages))
            for name, (expected, got) in record.lutnick_diff.items():
                lines.append(f"  lutnick {name}: {got!r}, reference {expected!r}")
            if record.dropped:
                lines.append(f"  lutnick dropped without a message: {', '.join(record.dropped)}")
            if record.pandoc != "accepted":
                lines.append("  pandoc: not read")
            for name, (expected, got) in record.pandoc_diff.items():
                lines.append(f"  pandoc {name}: {got!r}, reference {expected!r}")
    return "\n".join(lines)


def as_json(reports: list[FileReport]) -> dict[str, Any]:
    everything = [record for report in reports for record in report.records]
    return {
        "total": _counts(everything),
        "files": [
            {
                "path": report.path,
                "kind": report.kind,
                **_counts(report.records),
                "lutnick_fatal": report.lutnick_fatal,
                "pandoc_note": report.pandoc_note,
                "record_reports": [
                    {
                        "key": r.key,
                        "line": r.line,
                        "lutnick": r.lutnick,
                        "lutnick_intact": r.lutnick_intact,
                        "lutnick_diff": {k: {"reference": e, "lutnick": g} for k, (e, g) in r.lutnick_diff.items()},
                        "pandoc": r.pandoc,
                        "pandoc_intact": r.pandoc_intact,
                        "pandoc_diff": {k: {"reference": e, "pandoc": g} for k, (e, g) in r.pandoc_diff.items()},
                        "dropped_without_message": r.dropped,
                        "messages": r.messages,
                    }
                    for r in report.records
                ],
            }
            for report in reports
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    parser.add_argument("--diff", action="store_true", help="after the table, every record not intact or with dropped fields")
    parser.add_argument("--no-pandoc", action="store_true", help="measure lutnick alone")
    parser.add_argument("files", nargs="*", help="corpus files (paths under tests/realworld/); all by default")
    options = parser.parse_args(argv)
    files = corpus_files()
    if options.files:
        wanted = {os.path.relpath(os.path.abspath(name), CORPUS) if os.path.exists(name) else name for name in options.files}
        files = [corpus_file for corpus_file in files if corpus_file.path in wanted]
    reports = measure_all(files, with_pandoc=not options.no_pandoc)
    if options.json:
        print(json.dumps(as_json(reports), ensure_ascii=False, indent=2))
        return 0
    pandoc = pandoc_binary()
    if pandoc and not options.no_pandoc:
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        where = "pypandoc-binary's" if "pypandoc" in pandoc else "on PATH"
        print(f"pandoc: {version}, {where}\n")
    print(table(reports))
    if options.diff:
        print()
        print(diff_listing(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
