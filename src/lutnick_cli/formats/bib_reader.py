"""Reading .bib files into record data.

It takes BibTeX and biblatex alike: `bib_syntax` reads the file as
bibtex and biber do (macros, `#`, crossref and xdata), bibtexparser 2 splits
the names, and `latex_text` turns LaTeX into the record's rich text. For an
article `number` is the issue; elsewhere it is the report or series number.
Every field lands in a record field or, with no home there, in other_fields.
Two marks of reading live there too (`bibtex.READING_MARKS`): `etal`, the name lists
that ended with ‘and others’, which CSL cannot hold and the BibTeX exports
write back; and `entrytype`, an entry type lutnick does not know, read as a
document and written back as itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from lutnick_cli import identifiers
from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.formats import bib_syntax
from lutnick_cli.formats.bibtex import LANGUAGES
from lutnick_cli.latex_text import to_rich_text
from lutnick_cli.record import RecordType, all_of, split_honorific

# bib_syntax splits the file as bibtex does (macros, #, crossref); here each entry's fields become
# the record's, decoded from LaTeX by latex_text. Every field lands somewhere: in a record field,
# or, as written, in other_fields.

_READ_TYPES = {
    "article": RecordType.ARTICLE_JOURNAL,
    "suppperiodical": RecordType.ARTICLE_JOURNAL,
    "book": RecordType.BOOK,
    "mvbook": RecordType.BOOK,
    "collection": RecordType.BOOK,
    "mvcollection": RecordType.BOOK,
    "proceedings": RecordType.BOOK,
    "mvproceedings": RecordType.BOOK,
    "reference": RecordType.BOOK,
    "mvreference": RecordType.BOOK,
    "booklet": RecordType.PAMPHLET,
    "incollection": RecordType.CHAPTER,
    "inbook": RecordType.CHAPTER,
    "bookinbook": RecordType.CHAPTER,
    "suppbook": RecordType.CHAPTER,
    "suppcollection": RecordType.CHAPTER,
    "inreference": RecordType.ENTRY_ENCYCLOPEDIA,
    "inproceedings": RecordType.PAPER_CONFERENCE,
    "conference": RecordType.PAPER_CONFERENCE,
    "techreport": RecordType.REPORT,
    "report": RecordType.REPORT,
    "manual": RecordType.REPORT,
    "phdthesis": RecordType.THESIS,
    "mastersthesis": RecordType.THESIS,
    "thesis": RecordType.THESIS,
    "unpublished": RecordType.MANUSCRIPT,
    "online": RecordType.WEBPAGE,
    "electronic": RecordType.WEBPAGE,
    "www": RecordType.WEBPAGE,
    "dataset": RecordType.DATASET,
    "software": RecordType.SOFTWARE,
    "patent": RecordType.PATENT,
    "periodical": RecordType.PERIODICAL,
    "standard": RecordType.STANDARD,
    "review": RecordType.REVIEW,
    "artwork": RecordType.GRAPHIC,
    "image": RecordType.GRAPHIC,
    "audio": RecordType.SONG,
    "music": RecordType.SONG,
    "movie": RecordType.MOTION_PICTURE,
    "video": RecordType.MOTION_PICTURE,
    "performance": RecordType.PERFORMANCE,
    "letter": RecordType.PERSONAL_COMMUNICATION,
    "jurisdiction": RecordType.LEGAL_CASE,
    "legislation": RecordType.LEGISLATION,
    "legal": RecordType.LEGISLATION,
    "misc": RecordType.DOCUMENT,
    "set": RecordType.DOCUMENT,
    # Mendeley's and JabRef's own types.
    "book_section": RecordType.CHAPTER,
    "web_page": RecordType.WEBPAGE,
    "magazine_article": RecordType.ARTICLE_MAGAZINE,
    "newspaper_article": RecordType.ARTICLE_NEWSPAPER,
    "encyclopedia_article": RecordType.ENTRY_ENCYCLOPEDIA,
    "conference_proceedings": RecordType.PAPER_CONFERENCE,
    "working_paper": RecordType.REPORT,
    "computer_program": RecordType.SOFTWARE,
    "television_broadcast": RecordType.BROADCAST,
    "film": RecordType.MOTION_PICTURE,
    "statute": RecordType.LEGISLATION,
    "bill": RecordType.BILL,
    "case": RecordType.LEGAL_CASE,
    "hearing": RecordType.HEARING,
    "generic": RecordType.DOCUMENT,
}
# The same, as the record's type names: looking up an enum member, or its value, costs some 250 ns
# each time, about as much as the rest of taking a field.
_READ_TYPE_VALUES = {kind: record_type.value for kind, record_type in _READ_TYPES.items()}
# The types whose `number` is an issue.
_ISSUE_NUMBERED = frozenset(
    record_type.value
    for record_type in (
        RecordType.ARTICLE_JOURNAL,
        RecordType.ARTICLE_MAGAZINE,
        RecordType.ARTICLE_NEWSPAPER,
        RecordType.REVIEW,
        RecordType.PERIODICAL,
    )
)
# biblatex's localisation keys, as its English strings print them.
_KEY_WORDS = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master’s thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Computer software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
    "patent": "Patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "Patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
    "newseries": "new series",
    "oldseries": "old series",
    "inpress": "in press",
    "inpreparation": "in preparation",
    "forthcoming": "forthcoming",
    "submitted": "submitted",
    "prepublished": "pre-published",
}
_BABEL_TO_BCP47: dict[str, str] = {}
for _tag, _babel in LANGUAGES.items():
    _BABEL_TO_BCP47.setdefault(_babel, _tag if "-" not in _tag else _tag[:3] + _tag[3:].upper())
_BABEL_TO_BCP47.update(
    {
        "german": "de",
        "english": "en",
        "UKenglish": "en-GB",
        "USenglish": "en-US",
        "british": "en-GB",
        "american": "en-US",
        "norwegian": "no",
        "austrian": "de-AT",
        "swissgerman": "de-CH",
        "latin": "la",
        "japanese": "ja",
        "chinese": "zh",
        "korean": "ko",
        "arabic": "ar",
        "icelandic": "is",
        "irish": "ga",
        "welsh": "cy",
        "basque": "eu",
        "galician": "gl",
    }
)
_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]")

# Name lists with a home in the record; other name fields (editora, holder, …) stay as written.
_NAME_FIELDS = {
    "author": "authors",
    "editor": "editors",
    "translator": "translators",
    "bookauthor": "container_authors",
}
# Text fields with a home of the same meaning.
_TEXT_FIELDS = {
    "shorttitle": "short_title",
    "series": "collection_title",
    "edition": "edition",
    "volume": "volume",
    "volumes": "number_of_volumes",
    "eventtitle": "event_title",
    "venue": "event_place",
    "version": "version",
    "isbn": "isbn",
    "abstract": "abstract",
    "note": "note",
    "annote": "annote",
    "annotation": "annote",
    "origtitle": "original_title",
    "origpublisher": "original_publisher",
    "origlocation": "original_publisher_place",
    "pagetotal": "number_of_pages",
    "chapter": "chapter_number",
    "part": "part_number",
    "library": "call_number",
    "pmid": "pmid",
    "pmcid": "pmcid",
    "issuetitle": "volume_title",
}
# The order they are taken in, which decides between two of the same home (annote, annotation).
_TEXT_FIELD_ORDER = {name: index for index, name in enumerate(_TEXT_FIELDS)}
# Fields whose brace groups protect words from a style's case change.
_TITLE_FIELDS = frozenset(
    "title subtitle titleaddon booktitle booksubtitle booktitleaddon maintitle mainsubtitle maintitleaddon "
    "journal journaltitle journalsubtitle series eventtitle origtitle issuetitle shorttitle".split()
)
# Fields kept in other_fields as written, not as LaTeX: keys of other entries, paths and links.
_KEEP_AS_WRITTEN = frozenset(
    {
        "crossref",
        "xdata",
        "xref",
        "ids",
        "entryset",
        "related",
        "file",
        "pdf",
        "localfile",
        "eprint",
        "urlraw",
        "verba",
        "verbb",
        "verbc",
        "mendeley-groups",
        "groups",
    }
)


def read(text: str, source: str, definitions: bib_syntax.Definitions | None = None) -> Iterator[tuple[Any, ...]]:
    """Each entry of a .bib file as record data with the line it starts on, and what looked wrong in it.

    `definitions` carries @string macros and entries from the files read before this one.
    """
    definitions = definitions if definitions is not None else bib_syntax.Definitions()
    pool = _worker_pool(text)
    try:
        yield from _read(text, source, definitions, pool)
    finally:
        if pool is not None:
            pool.terminate()


def _read(text: str, source: str, definitions: bib_syntax.Definitions, pool: Any) -> Iterator[tuple[Any, ...]]:
    sets: list[Problem] = []
    if pool is not None and bib_syntax.independent(text):
        outcomes = _outcomes_in_pieces(text, definitions, pool)
    else:
        results = bib_syntax.parse(text, definitions)
        # A @set groups entries that are records of their own and is no work to cite: the record model
        # has no place for it, so the first record of the file carries a warning naming each set.
        sets = [
            _set_warning(result, source)
            for result in results
            if not isinstance(result, bib_syntax.Failure) and result.kind == "set"
        ]
        outcomes = _outcomes(results, pool)
    read_any = False
    for outcome in outcomes:
        read_any = True
        if outcome is None:
            continue
        if len(outcome) == 3:  # the failure to read an entry
            at, name, message = outcome
            yield InvalidRecord([Problem(source, name, message, at)]), at
            continue
        data, line, key, found = outcome
        if data is None:
            name, message, _ = found[-1]
            yield InvalidRecord([Problem(source, name, message, line)]), line
            continue
        if not found and not sets:  # most entries: nothing to warn of
            yield data, line
            continue
        warnings = [Problem(source, name, message, at, warning=True, record=key or None) for name, message, at in found]
        yield data, line, sets + warnings
        sets = []
    # A file of @string definitions alone is what a strings file is.
    if not read_any and not _STRING.search(text):
        raise InvalidRecord([Problem(source, "", "no records in the file: it has no @entry", 1)])


# From this many entries on, a file's entries are read and become record data in other processes,
# while this one validates and writes the records before them, and reads the next entries itself
# whenever those it is to write next are not ready. Below it, starting the others costs more.
PARALLEL_ENTRIES = 2000
_CHUNK = 500
# How much of a file a worker reads at a time: some 500 entries.
_PIECE = 1 << 17


def _worker_pool(text: str) -> Any:
    """Worker processes for a large file, where there are cores to spare; forked before the file is split."""
    from lutnick_cli.pool import available_cores, worker_pool

    workers = available_cores() - 1  # one core is this process's, which validates and writes first
    # Each entry starts with an @: a file with fewer has fewer entries.
    if workers < 1 or text.count("@") < PARALLEL_ENTRIES:
        return None
    return worker_pool(workers)


def _outcomes(results: list[bib_syntax.Entry | bib_syntax.Failure], pool: Any) -> Iterator[_Outcome]:
    """`_outcome` of each result, in order: by the workers of `pool`, if there is one."""
    if pool is None:
        return map(_outcome, results)
    from lutnick_cli.pool import parallel_iter

    # The entries travel to the workers pickled: 0.05 s per 10,000.
    chunks = [results[start : start + _CHUNK] for start in range(0, len(results), _CHUNK)]
    return (outcome for chunk in parallel_iter(pool, _outcomes_of_chunk, chunks, share=True) for outcome in chunk)


def _outcomes_in_pieces(text: str, definitions: bib_syntax.Definitions, pool: Any) -> Iterator[_Outcome]:
    """The `_outcome` of each result of the file, in order, the file split and read by the workers of `pool`.

    This process only finds where the pieces start and the macros each starts with; from a piece
    that was not read as one reading of the file reads it, the file is split here, as a file with
    crossrefs is, and the workers make record data of the entries.
    """
    from collections import deque

    from lutnick_cli.pool import parallel_iter

    sent: deque[bib_syntax.Piece] = deque()

    def sending() -> Iterator[bib_syntax.Piece]:
        for piece in bib_syntax.pieces(text, definitions, _PIECE):
            sent.append(piece)
            yield piece

    seen: set[str] = set()
    for weighed, outcomes in parallel_iter(pool, _read_piece, sending(), share=True):
        piece = sent.popleft()
        if not bib_syntax.accept(piece, bib_syntax.PieceRead([], *weighed), definitions, seen):
            yield from _outcomes(bib_syntax.parse(text, definitions, piece.start, piece.line, seen), pool)
            return
        yield from outcomes


def _read_piece(piece: bib_syntax.Piece) -> tuple[tuple[Any, ...], list[_Outcome]]:
    """The outcomes of a piece's entries, and what `accept` weighs of its reading (the fields of its
    PieceRead after `results`): plain values all, which travel by marshal, at a fraction of pickle's cost."""
    read = bib_syntax.read_piece(piece)
    outcomes = [_outcome(result) for result in read.results]
    # The outcomes hold all the reading process needs of the entries: they travel without them, as
    # sending an entry costs more than its record data.
    return (read.strings, read.macros, read.undefined, read.keys, read.failed), outcomes


def _outcomes_of_chunk(chunk: list[bib_syntax.Entry | bib_syntax.Failure]) -> list[_Outcome]:
    return [_outcome(result) for result in chunk]


# What one result becomes: nothing (no work: @xdata, @set); the (line, field, message) of the failure
# to read it; or its record data, line and key, with the (field, message, line) warnings of reading it;
# or, where an error refuses the entry, None for its data and, last of those, the error. Built-in
# types only, so that a worker's outcomes travel by marshal.
_Outcome = tuple[dict[str, Any] | None, int, str, tuple[tuple[str, str, int], ...]] | tuple[int, str, str] | None


def _outcome(result: bib_syntax.Entry | bib_syntax.Failure) -> _Outcome:
    if isinstance(result, bib_syntax.Failure):
        return result.line, result.field, result.message
    if result.kind in ("xdata", "set"):
        # Not works: an @xdata holds fields for other entries to take.
        return None
    found: list[tuple[str, str]] = list(result.warnings)
    try:
        data = entry_data(result.kind, result.key, result.fields, found)
    except _NameError as error:
        data = None
        found.append((error.field, error.message))
    if not found:
        return data, result.line, result.key, ()
    lines, line = result.lines, result.line
    return data, line, result.key, tuple((name, message, lines.get(name, line)) for name, message in found)


def _set_warning(result: bib_syntax.Entry, source: str) -> Problem:
    members = ", ".join(member.strip() for member in result.fields.get("entryset", "").split(",") if member.strip())
    others = sorted(name for name in result.fields if name != "entryset")
    also = f", nor its {', '.join(others)}" if others else ""
    return Problem(
        source,
        "entryset",
        f"@set {result.key} groups {members or 'no entries'}: a set is not a record, "
        f"so it is not read{also}; its members are read as records of their own",
        result.lines.get("entryset", result.line),
        warning=True,
        record=result.key or None,
    )


_STRING = re.compile(r"@\s*string\s*[{(]", re.IGNORECASE)
# The patterns of reading, compiled once: an entry uses a dozen of them.
_ESCAPED_IN_LINK = re.compile(r"\\([_%&#$~])")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_YEAR = re.compile(r"(-?\d{1,4})(?:\s*(?:--?|–|/)\s*(\d{4}))?")
_EDTF_DATE = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")
_FONT_TAG = re.compile(r"</?(?:i|b|sc|sup|sub)>")
_BRACED_WHOLE = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
# Fields entry_data takes together, if the entry has any of them.
_CONTAINER_TITLE_FIELDS = frozenset(
    ("journaltitle", "journal", "journalsubtitle", "booktitle", "booksubtitle", "booktitleaddon")
)
_MAIN_TITLE_FIELDS = frozenset(("maintitle", "mainsubtitle", "maintitleaddon"))
_PUBLISHER_NAMES = frozenset(("publisher", "institution", "school"))
# The types whose organization sponsored the conference (biblatex's meaning), rather than published the work.
_SPONSORED = frozenset(("inproceedings", "conference", "proceedings", "mvproceedings"))
# A howpublished that is a link alone, as many @misc entries give theirs, from before bibtex styles knew
# `url`: \href{link}{text} (text with groups one deep), \url{link} or a bare link, with _ % & # $ ~ escaped
# or not; or text that decodes to a link alone.
_URL_AS_WRITTEN = r"(?:https?|ftp)://(?:[^{}\s\\]|\\[_%&#$~])+"
_LINK_AS_WRITTEN = re.compile(
    r"\\href\s*\{([^{}\s]+)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}"
    rf"|\\url\s*\{{({_URL_AS_WRITTEN})\}}|({_URL_AS_WRITTEN})"
)
_LINK = re.compile(r"(?:https?|ftp)://\S+")
_PLACE_FIELDS = frozenset(("location", "address", "city"))


def shared_state() -> bib_syntax.Definitions:
    """What the files of one run share: @string macros and entries to crossref, in the order read."""
    return bib_syntax.Definitions()


def entry_data(kind: str, key: str, fields: dict[str, str], warnings: list[tuple[str, str]]) -> dict[str, Any]:
    """One entry as plain data in the YAML record's shape, for parse_record to validate.

    Each field is taken by name; what is left is kept as written in other_fields.
    """
    left = dict(fields)
    record_type = _READ_TYPE_VALUES.get(kind)
    data: dict[str, Any] = {"id": key} if key else {}
    other: dict[str, str] = {}
    if record_type is None:
        warnings.append(("", f"unknown entry type @{kind}: read as a document, and written back as @{kind}"))
        record_type = RecordType.DOCUMENT.value
        other["entrytype"] = kind
    data["type"] = record_type
    if not key:
        warnings.append(("", "the entry has no key: its key is made from author, year and title"))

    def take(name: str) -> str | None:
        """A field's value as rich text, and taken off the fields left."""
        value = left.pop(name, None)
        if value is None or not value.strip():
            return None
        if "\\" not in value:
            # Only a command can be one not understood: most values have none.
            return to_rich_text(value, name in _TITLE_FIELDS) or None
        unknown: list[str] = []
        text = to_rich_text(value, name in _TITLE_FIELDS, unknown)
        for command in dict.fromkeys(unknown):
            warnings.append((name, f"unknown LaTeX command {command}: its text is kept"))
        return text or None

    def verbatim(name: str) -> str | None:
        # DOIs and URLs are verbatim to biber; for bibtex, other tools often escape _ % & # in them,
        # and a backslash can never be part of a URL or DOI as written, so it is dropped.
        value = left.pop(name, None)
        if value is None or not value.strip():
            return None
        value = value.strip()
        if value.startswith("\\url{") and value.endswith("}"):
            value = value[5:-1]
        if "\\" in value:
            value = _ESCAPED_IN_LINK.sub(r"\1", value)
        return value.strip("{}").strip() or None

    for name, field_name in _NAME_FIELDS.items():
        if name not in left:
            continue
        names = left.pop(name)
        if not names.strip():
            continue
        people, more = _people(names, name)
        if people:
            data[field_name] = people
        if more:
            # CSL has no "and others": the marker is kept, so that BibTeX gets it back.
            other["etal"] = f"{other['etal']} {name}" if "etal" in other else name
    # Below, a field most entries do not have is taken only if it is there: an entry has some 30
    # fields to look for, and a call for each one it does not have cost more than the rest together.
    title = take("title")
    if "subtitle" in left or "titleaddon" in left:
        title = _joined(title, take("subtitle"), take("titleaddon"))
    if title:
        data["title"] = title
    # Most entries have few of them: the entry's fields are looked up, not every one of these.
    text_fields = [name for name in left if name in _TEXT_FIELDS]
    if len(text_fields) > 1:
        text_fields.sort(key=_TEXT_FIELD_ORDER.__getitem__)
    for name in text_fields:
        value = take(name)
        field_name = _TEXT_FIELDS[name]
        if value and field_name not in data:
            data[field_name] = value
    if data.get("collection_title") in _KEY_WORDS:
        data["collection_title"] = _KEY_WORDS[data["collection_title"]]
    container_title = None
    if not left.keys().isdisjoint(_CONTAINER_TITLE_FIELDS):
        container_title = _joined(take("journaltitle") or take("journal"), take("journalsubtitle")) or _joined(
            take("booktitle"), take("booksubtitle"), take("booktitleaddon")
        )
    main_title = None
    if not left.keys().isdisjoint(_MAIN_TITLE_FIELDS):
        main_title = _joined(take("maintitle"), take("mainsubtitle"), take("maintitleaddon"))
    if main_title:
        # CSL's title (or container title) is the whole work, volume-title the volume's own.
        if container_title:
            data.setdefault("volume_title", container_title)
            container_title = main_title
        elif title:
            data.setdefault("volume_title", title)
            data["title"] = main_title
    # organization and howpublished name who published the work where the entry has no publisher, as
    # biblatex prints them in the publisher's place; a howpublished that is a link is the record's link.
    publisher_given = not left.keys().isdisjoint(_PUBLISHER_NAMES) and any(
        left.get(name, "").strip() for name in _PUBLISHER_NAMES
    )
    published_by = None
    howpublished_link = None
    if "howpublished" in left:
        link = _LINK_AS_WRITTEN.fullmatch(left["howpublished"].strip())
        if link:
            # A link is verbatim, as `url` is (LaTeX would make ~ a space and -- a dash).
            href, text, url, bare = link.groups()
            howpublished_link = _ESCAPED_IN_LINK.sub(r"\1", href or url or bare)
            # \href's text is read as any howpublished is, unless it only repeats the link.
            left["howpublished"] = text if text and text.strip() != href else ""
    howpublished = take("howpublished") if "howpublished" in left else None
    if howpublished and howpublished_link is None and _LINK.fullmatch(howpublished):
        # A link escaped as text, as the BibTeX export writes one kept in other_fields.
        howpublished_link, howpublished = howpublished, None
    organization = take("organization") if "organization" in left else None
    if organization and kind in _SPONSORED:
        # A conference's sponsor: with no proceedings' title, the one name of the conference it has.
        if not container_title:
            container_title, organization = organization, None
    elif organization and not publisher_given:
        published_by, organization = organization, None
    if organization:
        # CSL has no home for a conference's sponsor, nor for an organization beside a publisher: kept as written.
        other["organization"] = organization
    if howpublished:
        if not publisher_given and published_by is None:
            published_by = howpublished
        elif not container_title:
            # As lutnick wrote a container's title before it wrote one as `journal`.
            container_title = howpublished
        elif howpublished != container_title:
            data["medium"] = howpublished
    container: dict[str, Any] = {}
    if container_title:
        container["title"] = container_title
    if "shortjournal" in left or "journal-abbrev" in left:
        short_journal = take("shortjournal") or take("journal-abbrev")
        if short_journal:
            container["short_title"] = short_journal
    issn_text = take("issn") if "issn" in left else None
    issns = _ISSN.findall(issn_text or "")
    if issns:
        container["issn"] = issns[0]
        eissn = left.get("usera", "").strip()
        if len(issns) > 1:
            container["eissn"] = issns[1]
        elif _ISSN.fullmatch(eissn):
            container["eissn"] = take("usera")
    elif issn_text:
        container["issn"] = issn_text
    if "isbn" in data and identifiers.looks_like_issn(data["isbn"]):
        # Mendeley writes a journal's ISSN in isbn: it is the container's.
        moved = data.pop("isbn")
        known = _ISSN.findall(issn_text or "")
        if moved not in known:
            container["issn"] = [*all_of(container.get("issn")), moved] if container.get("issn") else moved
        warnings.append(("isbn", f"{moved!r} is an ISSN, not an ISBN: read as the container's ISSN"))
    if container and "title" not in container:
        # An ISSN with no journal: a periodical's own, or a book series' (the record keeps ISSNs
        # on its container, so the periodical or the series stands as the container).
        container["title"] = data.get("collection_title") or data.get("title")
    if container and container.get("title"):
        data["container"] = container
    number = take("number") if "number" in left else None
    issue = take("issue") if "issue" in left else None
    if record_type in _ISSUE_NUMBERED:
        if number and issue:
            data["issue"], data["number"] = issue, number
        elif number or issue:
            data["issue"] = number or issue
    else:
        if issue:
            data["issue"] = issue
        if number:
            in_series = (
                kind in ("book", "mvbook", "collection", "mvcollection", "proceedings") and "collection_title" in data
            )
            data["collection_number" if in_series else "number"] = number
    pages = take("pages")
    if pages:
        data["pages"] = pages
    if not left.keys().isdisjoint(_PUBLISHER_NAMES):
        publisher = take("publisher") or take("institution") or take("school")
        if publisher:
            data["publisher"] = publisher
    if published_by:
        data.setdefault("publisher", published_by)
    if not left.keys().isdisjoint(_PLACE_FIELDS):
        place = take("location") or take("address") or take("city")
        if place:
            data["publisher_place"] = place
    genre = take("type") if "type" in left else None
    if genre:
        data["genre"] = _KEY_WORDS.get(genre, genre)
    if kind in ("phdthesis", "mastersthesis") and "genre" not in data:
        data["genre"] = _KEY_WORDS["phdthesis" if kind == "phdthesis" else "mathesis"]
    status = take("pubstate") if "pubstate" in left else None
    if status:
        data["status"] = _KEY_WORDS.get(status, status)
    _dates(data, left, other, warnings, kind)
    for name in ("doi", "url"):
        value = verbatim(name) if name in left else None
        if value:
            data[name] = value
    if howpublished_link:
        if "url" not in data:
            data["url"] = howpublished_link
        elif data["url"] != howpublished_link:
            other["howpublished"] = howpublished_link
            warnings.append(("howpublished", "a link other than the entry's url: kept as written"))
    if "eprint" in left:
        _eprint(data, left, other, verbatim)
    language_field = "langid" if "langid" in left else "language"
    language = (take("langid") or take("language")) if "langid" in left or "language" in left else None
    if language:
        tag = _BABEL_TO_BCP47.get(language, _BABEL_TO_BCP47.get(language.lower(), language))
        if _LANGUAGE_TAG.fullmatch(tag):
            data["language"] = tag
        else:
            # A language named in a way neither babel nor BCP 47 knows (‘English; French’) is kept as written.
            other[language_field] = language
    keywords = take("keywords") if "keywords" in left else None
    if keywords:
        data["keywords"] = [word.strip() for word in keywords.split(",") if word.strip()]
    for name in list(left):
        # Kept as text, which the BibTeX export escapes again; paths, keys and links as written.
        value = verbatim(name) if name in _KEEP_AS_WRITTEN else take(name)
        if value:
            other[name] = value
    if other:
        data["other_fields"] = other
    return data


def _joined(title: str | None, subtitle: str | None, addon: str | None = None) -> str | None:
    """Title, subtitle and addon as biblatex prints them: ‘Title: Subtitle. Addon’."""
    if not title:
        return subtitle
    text = title
    if subtitle:
        text += ("" if text[-1:] in "?!:." else ":") + " " + subtitle
    if addon:
        text += ("" if text[-1:] in "?!." else ".") + " " + addon
    return text


def _people(value: str, name: str) -> tuple[list[dict[str, str]], bool]:
    """A name list as people, and whether it ended with bibtex's ‘and others’."""
    names = split_names(value)
    more = bool(names) and names[-1].strip().lower() == "others"
    if more:
        names = names[:-1]
    people = []
    for person in names:
        try:
            people.append(dict(_person_data(person)))
        except ValueError as error:
            raise _NameError(name, str(error)) from None
    return people, more


@lru_cache(maxsize=1 << 16)
def _person_data(name: str) -> dict[str, str]:
    # Cached: in a large file the same authors come back entry after entry, and splitting a name
    # into its parts and decoding each costs some 30 µs. The caller copies the dict it is given.
    return _person(_name_parts(name))


# ‘and’ between two names, in any case, with space around it.
_AND = re.compile(r"[ \r\n\t]+[aA][nN][dD][ \r\n\t]+")
# A brace group with no group or escaped brace inside ({\'a}, {World Health Organization}): no ‘and’
# in it splits names.
_FLAT_GROUP = re.compile(r"\{(?:[^{}\\]|\\[^{}])*\}")
# A space inside a group, where every brace is one of a flat group's.
_SPACED_GROUP = re.compile(r"\{[^}]*[ \r\n\t]")
# Text whose braces are all those of flat groups with no space in them, and with no backslash outside
# them (S{\\'a}l, Kuov, Zolt{\\'a}n): the list is searched as it is, as the tests below would find.
# Written as runs, each of which can end only one way, so that a text that fails fails at once.
_SPACELESS_GROUPS = re.compile(r"[^{}\\]*(?:\{[^{}\\ \r\n\t]*(?:\\[^{} \r\n\t][^{}\\ \r\n\t]*)*\}[^{}\\]*)*")


def split_names(value: str) -> list[str]:
    """A name list split at each ‘and’ outside braces, exactly as bibtexparser's split_multiple_persons_names.

    That walks the value a character at a time; where no group nests in another and no backslash
    stands outside them, a search for ‘and’ finds the same places, and the walk is left to the rest.
    """
    names = value.strip(" \r\n\t")
    if not names:
        return []
    searched = names
    if ("{" in names or "}" in names or "\\" in names) and not _SPACELESS_GROUPS.fullmatch(names):
        outside = _FLAT_GROUP.sub("", names)
        if "{" in outside or "}" in outside or "\\" in outside:
            from bibtexparser.middlewares.names import split_multiple_persons_names

            return split_multiple_persons_names(value)
        if _SPACED_GROUP.search(names):
            # Each group becomes as many letters: to the walk, they start no ‘and’ and end none. A group
            # with no space in it (S{\\'a}l) can hold no ‘and’ between spaces: most lists are searched as they are.
            searched = _FLAT_GROUP.sub(lambda group: "x" * len(group.group()), names)
    if searched is names:
        return _AND.split(names)
    found: list[str] = []
    start = 0
    for separator in _AND.finditer(searched):
        found.append(names[start : separator.start()])
        start = separator.end()
    found.append(names[start:])
    return found


def _eprint(
    data: dict[str, Any], left: dict[str, str], other: dict[str, str], verbatim: Callable[[str], str | None]
) -> None:
    """biblatex's eprint: kept as written; an arXiv id also gives the link (and, outside a journal, the
    number) Zotero gives a preprint, a PubMed one the PMID, a DOI the DOI."""
    identifier = left.get("eprint", "").strip()
    kind = (left.get("eprinttype") or left.get("archiveprefix") or "").strip().lower()
    if not identifier:
        return
    if kind == "arxiv":
        # A preprint's number, as Zotero gives it; a journal article's number is its issue.
        if "container" not in data:
            data.setdefault("number", f"arXiv:{identifier}")
        data.setdefault("url", f"https://arxiv.org/abs/{identifier}")
    elif kind == "pubmed" and identifier.isdigit():
        data.setdefault("pmid", identifier)
    elif kind == "doi":
        data.setdefault("doi", verbatim("eprint"))
        return
    elif kind == "pmc":
        data.setdefault("pmcid", identifier)


# biblatex's date fields, and where each goes.
_DATE_FIELDS = {"date": "issued", "origdate": "original_date", "eventdate": "event_date", "urldate": "accessed"}
# What EDTF allows beyond the record's dates: uncertain (?), both (%), open ends (.. or nothing).
_EDTF_QUALIFIERS = re.compile(r"[~?%]")


def _dates(
    data: dict[str, Any], left: dict[str, str], other: dict[str, str], warnings: list[tuple[str, str]], kind: str
) -> None:
    for name, field_name in _DATE_FIELDS.items() if not left.keys().isdisjoint(_DATE_FIELDS) else ():
        if name not in left:
            continue
        value = left.pop(name)
        if not value.strip():
            continue
        date, exact = _edtf(value.strip())
        if date is None:
            data[field_name] = value.strip()  # kept as given, with the record's warning
            continue
        data[field_name] = date
        if not exact:
            # The record's date is approximate or closed where biblatex's was uncertain or open.
            other[name] = value.strip()
    if "issued" in data:
        for name in ("year", "month", "day"):
            if name in left and _year_month_day_agree(data["issued"], name, left[name]):
                del left[name]
        return
    year = (left.get("year") or "").strip()
    if not year:
        return
    if year.isdigit() and year.isascii() and len(year) <= 4:
        # The usual year, four digits: what the general way below makes of it, without decoding it.
        start = f"{int(year):04d}"
    else:
        year_text = to_rich_text(year)
        if year_text.lower() in ("in press", "inpress", "forthcoming", "submitted", "in preparation"):
            data.setdefault("status", _KEY_WORDS.get(year_text.lower().replace(" ", ""), year_text.lower()))
            del left["year"]
            return
        match = _YEAR.fullmatch(year_text)
        if not match:
            # The record keeps a date it cannot read as given, and says so.
            del left["year"]
            data["issued"] = year_text
            return
        start = f"{int(match.group(1)):04d}"
        if match.group(2):
            del left["year"]
            data["issued"] = f"{start}/{match.group(2)}"
            return
    del left["year"]
    month = left.pop("month", None)
    month = to_rich_text(month).strip() if month else ""
    day = left.pop("day", None)
    day = to_rich_text(day).strip() if day else ""
    number = _month_number(month)
    if month and number is None:
        warnings.append(("month", f"{month!r} is not a month: kept as written"))
        other["month"] = month
    date = start if number is None else f"{start}-{number:02d}"
    if number is not None and day and _is_small_number(day):
        date += f"-{int(day):02d}"
    elif day:
        if number is not None:
            warnings.append(("day", f"{day!r} is not a day: kept as written"))
        other["day"] = day
    data["issued"] = date


@lru_cache(maxsize=256)
def _month_number(text: str) -> int | None:
    """1–12 from ‘3’, ‘mar’, ‘Mar.’ or ‘March’; None from anything else.

    Cached: every entry of a large file has a month, written in one of a few dozen ways."""
    if text.isdigit():
        return int(text) if _is_small_number(text) and 1 <= int(text) <= 12 else None
    word = text.rstrip(".").lower()
    if len(word) < 3:
        return None
    return next((index for index, name in enumerate(bib_syntax.MONTHS, start=1) if name.startswith(word)), None)


def _year_month_day_agree(issued: str, name: str, value: str) -> bool:
    """Whether the classic year, month or day repeats `date` (lutnick writes both), so it can go."""
    text = to_rich_text(value).strip().lower()
    parts = issued.split("/")[0].rstrip("~").split("-")
    index = {"year": 0, "month": 1, "day": 2}[name]
    if len(parts) <= index or not parts[index].isdigit():
        return False  # a date kept as given (‘15:’) repeats nothing
    if name == "month":
        return _month_number(text) == int(parts[1])
    return _is_small_number(text) and int(text) == int(parts[index])


def _is_small_number(text: str) -> bool:
    """Digits that can be a day, a month or a year: converting many more could fail, as Python limits
    how many digits it converts, so such a value is kept as written instead."""
    return text.isdigit() and len(text.lstrip("0")) <= 4


def _edtf(value: str) -> tuple[str | None, bool]:
    """biblatex's EDTF date as the record's (a date or range, perhaps circa), and whether it is exact."""
    start, slash, end = value.partition("/")
    circa = bool(_EDTF_QUALIFIERS.search(value))
    start = _EDTF_QUALIFIERS.sub("", start)
    end = _EDTF_QUALIFIERS.sub("", end)
    if not _EDTF_DATE.fullmatch(start):
        return None, False
    if slash and end in ("", ".."):
        return start + ("~" if circa else ""), False
    if slash and not _EDTF_DATE.fullmatch(end):
        return None, False
    date = start + (f"/{end}" if slash else "") + ("~" if circa else "")
    return date, date == value


def _name_text(text: str) -> str:
    # A name is plain text: fonts in it are left out (\\textsc{Smith} is Smith).
    text = to_rich_text(text)
    return _FONT_TAG.sub("", text) if "<" in text else text


class _NameError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message


def _name_parts(name: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """BibTeX's four name parts (first, von, last, jr), by bibtexparser, where it follows BibTeX; two
    cases it does not:

    * a trailing comma (‘King, Jr.,’: no first name) is an empty first part to BibTeX, an error
      to bibtexparser, so it is given an empty group as first name;
    * in ‘van Gogh’ without a first name, BibTeX's von part is ‘van’; bibtexparser makes it the
      first name, so lower-case first words with nothing after them but the last name are von.
    """
    text = name.strip()
    if text.endswith(","):
        text += " {}"
    parts = _plain_name_parts(text)
    if parts is None:
        from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

        try:
            split = parse_single_name_into_parts(text)
        except InvalidNameError as error:
            raise ValueError(str(error)) from None
        parts = (split.first, split.von, split.last, split.jr)
    first, von, last, jr = parts
    if "," not in text and first and not von and all(word[:1].islower() for word in first):
        return [], first, last, jr
    return parts


def _plain_name_parts(text: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """The parts bibtexparser gives a name of the shapes most are written in, or None for any other.

    Those are ‘Last, First Middle’ with one word before its one comma, and ‘First Last’ or ‘Last’,
    with no brace but groups that hold none and no backslash outside them. There the words
    are what lies between spaces, a group is part of its word, and which part a word is in does
    not depend on its case; the parser walks the name a character at a time to the same result.
    """
    match = _PLAIN_NAME.fullmatch(text)
    if match is None:
        return _von_last_first(text)
    word, first, last = match.groups()
    if first is not None:
        return _NAME_WORD.findall(first), [], [word], []
    if last is not None:
        return [word], [], [last], []
    return [], [], [word], []


# A word of a name, in those shapes: no space (for bibtexparser, the tie too), comma, brace or
# backslash, but groups that hold no group, nor an escaped brace. Greedy, not possessive: a word's
# two kinds of piece share no character, so there is one way to match, and some Python 3.11
# releases (3.11.2 among them) let a possessive group match an unclosed brace (‘A{’).
_NAME_WORD = re.compile(r"(?:[^ ~\r\n\t,{}\\]|\{(?:[^{}\\]|\\[^{}])*\})+")
_PLAIN_NAME = re.compile(
    rf"({_NAME_WORD.pattern})"
    rf"(?:,[ ~\r\n\t]*((?:{_NAME_WORD.pattern})(?:[ ~\r\n\t]+(?:{_NAME_WORD.pattern}))*)"
    rf"|[ ~\r\n\t]+({_NAME_WORD.pattern}))?[ ~\r\n\t]*"
)


def _von_last_first(text: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """The parts bibtexparser gives ‘von Last, First’ with words before the comma that hold no brace
    or backslash (‘van der Berg, Chlo{\\'e}’), or None for a name of any other shape.

    Such a word's case is that of its first letter (a letter neither upper nor lower case counts
    as lower, as the parser counts it). The von part runs from the first word to the last lower-case
    one but the last word; the rest is the last name.
    """
    match = _VON_LAST_FIRST.fullmatch(text)
    if match is None:
        return None
    words = _NAME_SPACE.split(match.group(1))
    split = 0
    for index, word in enumerate(words[:-1]):
        letter = next((char for char in word if char.isalpha()), "")
        if letter and not letter.isupper():
            split = index + 1
    return _NAME_WORD.findall(match.group(2)), words[:split], words[split:], []


_NAME_SPACE = re.compile(r"[ ~\r\n\t]+")
_PLAIN_NAME_WORD = r"[^ ~\r\n\t,{}\\]+"
_VON_LAST_FIRST = re.compile(
    rf"((?:{_PLAIN_NAME_WORD}[ ~\r\n\t]+)+{_PLAIN_NAME_WORD}),[ ~\r\n\t]*"
    rf"((?:{_NAME_WORD.pattern})(?:[ ~\r\n\t]+(?:{_NAME_WORD.pattern}))*)[ ~\r\n\t]*"
)


def _person(parts: tuple[list[str], list[str], list[str], list[str]]) -> dict[str, str]:
    first, von, last, jr = (" ".join(part) for part in parts)
    if not (first or von or jr) and _BRACED_WHOLE.fullmatch(last):
        return {"literal": _name_text(last)}
    person: dict[str, str] = {}
    if last:
        person["family"] = _name_text(last)
    given = _name_text(first) if first else ""
    if given:
        honorific, given = split_honorific(given)
        if honorific:
            person["honorific"] = honorific
        person["given"] = given
    if von:
        person["particle"] = _name_text(von)
    if jr:
        person["suffix"] = _name_text(jr)
    return person
