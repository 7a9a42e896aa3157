"""Running the rules over a batch of records, and placing each finding on its field's line."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator

from lutnick_cli.batch import Batch
from lutnick_cli.check import bibliography, completeness, dates, identifiers, names
from lutnick_cli.check.rules import RULES, Finding, Level, silenced
from lutnick_cli.errors import Problem
from lutnick_cli.load import SourcedRecord

# How a record's field is spelled in the files it may come from, to find its line.
_SPELLINGS = {
    "doi": ("doi", "DO"),
    "isbn": ("isbn", "SN"),
    "url": ("url", "UR", "URL"),
    "issued": ("issued", "year", "date", "PY", "DA"),
    "pages": ("pages", "page", "SP"),
    "container": ("container", "journal", "journaltitle", "container-title", "JO", "T2"),
    "container.title": ("journal", "journaltitle", "container-title", "JO", "T2"),
    "publisher": ("publisher", "school", "institution", "PB"),
    "container.issn": ("issn", "ISSN", "SN"),
    "container.eissn": ("eissn", "issn", "ISSN"),
    "title": ("title", "TI", "T1"),
    "eprint": ("eprint",),
    "number": ("number", "eprint"),
    "pmid": ("pmid", "PMID"),
    "pmcid": ("pmcid", "PMCID"),
    "month": ("month",),
    "author": ("author", "authors", "AU"),
    "authors": ("author", "authors", "AU"),
    "editors": ("editor", "editors", "ED"),
}


# The format a file was read in, by its name (as the loader picks it); standard input's is not known.
_FORMATS = {".bib": "bibtex", ".json": "csl-json", ".ris": "ris", ".yaml": "yaml", ".yml": "yaml"}


class Lines:
    """The lines of each file read, to place a finding on the line of its field rather than of its record."""

    def __init__(self) -> None:
        self.files: dict[str, list[str] | None] = {}

    def place(self, source: str, line: int | None, field: str) -> tuple[int | None, int | None]:
        if line is None:
            return None, None
        lines = self._lines(source)
        # authors.0.orcid is found as orcid (YAML) or else as the line of the authors (author = {…} in BibTeX).
        parts = [part for part in field.split(".") if not part.isdigit()] if field else []
        groups = [_SPELLINGS.get(part, (part,)) for part in reversed(parts)]
        if field in _SPELLINGS:  # container.title: journal = in BibTeX, else the container's own line
            groups = [_SPELLINGS[field], _SPELLINGS.get(parts[0], (parts[0],))]
        if lines is None:
            return line, 1
        indent = _indent(lines[line - 1]) if line <= len(lines) else 0
        for spellings in groups:
            alternatives = "|".join(map(re.escape, spellings))
            pattern = re.compile(rf"^(\s*(?:-\s+)?)[\"']?(?:{alternatives})[\"']?\s*(?:[:=]|-\s)", re.IGNORECASE)
            for number in range(line - 1, min(len(lines), line + 200)):
                text = lines[number]
                if number >= line and _indent(text) <= indent and re.match(r"\s*(@|---|TY  -|\{)", text):
                    break  # the next record
                match = pattern.match(text)
                if match:
                    return number + 1, len(match.group(1)) + 1
        return line, 1

    def _lines(self, source: str) -> list[str] | None:
        if source not in self.files:
            try:
                with open(source, encoding="utf-8", errors="replace") as handle:
                    self.files[source] = handle.read().splitlines()
            except OSError:  # standard input, the embedded record: the record's own line stands
                self.files[source] = None
        return self.files[source]


# Fields a date is read from, as the records and the readers name them (RIS: PY, DA, Y1).
_DATE_FIELDS = {
    "issued",
    "month",
    "date",
    "year",
    "PY",
    "DA",
    "Y1",
    "original_date",
    "event_date",
    "submitted",
    "available_date",
    "accessed",
}
_YEAR_MONTH = re.compile(r"'(\d{4})[/-](\d{1,2})(?:[/-]|')")


def _impossible_month(message: str) -> bool:
    """Whether a message quotes a date whose month is none (2019/13/01), an EDTF season (2019-21) excepted."""
    match = _YEAR_MONTH.search(message)
    return match is not None and (
        int(match.group(2)) == 0 or 12 < int(match.group(2)) and not 21 <= int(match.group(2)) <= 24
    )


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _loader_rule(problem: Problem) -> str:
    """The rule a problem the loader found belongs to (L001 or L002 when none is more specific)."""
    field, message = problem.field or "", problem.message
    last = re.split(r"[.\]]", field)[-1] if field else ""
    for rule, matches in (
        ("L101", field == "doi"),
        ("L102", field.startswith("isbn")),
        ("L103", "issn" in last or field.endswith("issn")),
        ("L104", field.endswith("orcid")),
        ("L106", field == "pmid"),
        ("L107", field == "pmcid"),
        ("L202", last in _DATE_FIELDS and ("month" in message or _impossible_month(message))),
        ("L301", field.startswith("pages") and "backwards" in message),
        ("L110", field.startswith("url") and identifiers.doi_in_url(message) is not None),
        ("L701", field.endswith("given") and "honorific" in message),
        ("L704", "Too many commas" in message),
    ):
        if matches:
            return rule
    return "L002" if problem.warning else "L001"


def check(
    batch: Batch,
    problems: list[Problem],
    chosen: set[str],
    *,
    today: datetime.date,
    style: str | None = None,
) -> Iterator[Finding]:
    """Every finding of the chosen rules in the batch's records, in input order, the bibliography's last.

    `problems` is the list the batch collects the loader's problems into.
    """
    lines = Lines()
    books = bibliography.Bibliography()
    quiet: dict[
        tuple[str, int | None], set[str]
    ] = {}  # the rules each record silences, for the bibliography's findings

    def finding(
        rule_id: str,
        source: str,
        line: int | None,
        key: str | None,
        field: str,
        message: str,
        level: Level | None = None,
        silence: set[str] | frozenset[str] = frozenset(),
    ) -> Finding | None:
        rule = RULES[rule_id]
        if rule_id not in chosen or rule_id in silence or rule.name in silence:
            return None
        at, column = lines.place(source, line, field)
        return Finding(rule, source, at, column, key, field, message, rule.level if level is None else level)

    seen = 0
    for loaded in batch:
        yield from _loader_findings(problems[seen:], loaded, finding)
        seen = len(problems)
        record, key = loaded.record, loaded.record.id
        silence = silenced(record.other_fields)
        if silence:
            quiet[(loaded.source, loaded.line)] = silence
        input_format = batch.input_format or _FORMATS.get(os.path.splitext(loaded.source)[1].lower())
        checked = [
            *identifiers.check(record),
            *dates.check(record, today),
            *completeness.check(record, style),
            *names.check(record, input_format),
        ]
        found: list[tuple[str, str, str, Level | None]] = [
            (rule_id, field, message, None) for rule_id, field, message in checked
        ]
        own = {(rule_id, field) for rule_id, field, _, _ in found}
        for problem in loaded.warnings:
            rule_id = _loader_rule(problem)
            if (rule_id, problem.field) not in own:
                # A DOI the reader kept (a shortDOI) is doubtful, not wrong: L101's error is for one it refused.
                level = Level.WARNING if rule_id == "L101" else None
                found.append((rule_id, problem.field, _sentence(problem.message), level))
        if any(rule_id == "L202" for rule_id, *_ in found):
            # One impossible month, one finding: what a reader then failed to read of the same date is no second fault.
            found = [item for item in found if not (item[0] == "L002" and item[1].split(".")[0] in _DATE_FIELDS)]
        made = (
            finding(rule_id, loaded.source, loaded.line, key, field, message, level, silence=silence)
            for rule_id, field, message, level in found
        )
        yield from sorted((item for item in made if item), key=lambda item: (item.line or 0, item.column or 0))
        books.add(record, bibliography.Entry(key, loaded.source, loaded.line))
    yield from _loader_findings(problems[seen:], None, finding)
    for rule_id, entry, field, message in books.findings():
        across = finding(
            rule_id,
            entry.source,
            entry.line,
            entry.key,
            field,
            message,
            silence=quiet.get((entry.source, entry.line), set()),
        )
        if across:
            yield across


def _loader_findings(problems: list[Problem], loaded: SourcedRecord | None, finding) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    """Findings for the problems of records the loader refused (a good record's own warnings are handled with it)."""
    own = set(map(id, loaded.warnings)) if loaded is not None else set()
    for problem in problems:
        if id(problem) in own:
            continue
        rule_id = _loader_rule(problem)
        level = Level.WARNING if problem.warning else Level.ERROR
        message = _sentence(problem.message)
        name = re.search(r"`(.*)`", message)
        if rule_id == "L704" and name:
            message = (
                f"the name {name.group(1)!r} has too many commas: authors joined with commas; separate them with 'and'"
            )
        if rule_id == "L110":
            message = f"{message}: it holds the DOI {identifiers.doi_in_url(message)}; give it in the doi field"
        made = finding(rule_id, problem.source, problem.line, problem.record, problem.field, message, level)
        if made:
            yield made


def _sentence(message: str) -> str:
    return message.rstrip(".")
