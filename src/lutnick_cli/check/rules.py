"""The rules of `lutnick check`, findings, and choosing rules by id or name."""

from __future__ import annotations

from enum import IntEnum

from lutnick_cli.errors import frozen_value


class Level(IntEnum):
    """How bad a finding is; --fail-on compares with it."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


# Frozen values whose __init__ is written out (errors.frozen_value): a dataclass compiles its methods
# when it is defined, some 4M instructions a class on every `lutnick check`.
@frozen_value
class Rule:
    id: str
    name: str
    level: Level
    summary: str

    def __init__(self, id: str, name: str, level: Level, summary: str) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "summary", summary)


# ANSI colours of the levels on a terminal: red, yellow, cyan.
_COLOURS = {Level.ERROR: "31", Level.WARNING: "33", Level.INFO: "36"}


@frozen_value
class Finding:
    """One thing wrong in a record: where, which record and field, and what is right."""

    rule: Rule
    source: str
    line: int | None
    column: int | None
    record: str | None
    field: str
    message: str
    level: Level

    def __init__(
        self,
        rule: Rule,
        source: str,
        line: int | None,
        column: int | None,
        record: str | None,
        field: str,
        message: str,
        level: Level,
    ) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "record", record)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "level", level)

    def place(self) -> str:
        place = self.source
        if self.line is not None:
            place += f":{self.line}:{self.column or 1}"
        return place

    def text(self, colour: bool = False) -> str:
        """One line, as ruff prints one; with `colour`, the rule in bold and the level in its colour (ANSI)."""
        key = f"[{self.record}] " if self.record else ""
        field = f"{self.field}: " if self.field else ""
        rule, level = self.rule.id, str(self.level)
        if colour:
            rule, level = f"\x1b[1m{rule}\x1b[0m", f"\x1b[{_COLOURS[self.level]}m{level}\x1b[0m"
        return f"{self.place()}: {rule} {level} {key}{field}{self.message}"

    def json(self) -> dict:
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "level": str(self.level),
            "file": self.source,
            "line": self.line,
            "column": self.column,
            "record": self.record,
            "field": self.field or None,
            "message": self.message,
        }


# The table's level column, one letter each.
E, W, I = Level.ERROR, Level.WARNING, Level.INFO  # noqa: E741
_TABLE = [
    Rule("L001", "unreadable-record", E, "A record the loader refused, for a reason no other rule names."),
    Rule("L002", "doubtful-value", W, "A value the loader kept as given but doubts, for a reason no other rule names."),
    Rule("L101", "doi-syntax", E, "A DOI that is not 10.<registrant>/<suffix>, or a shortDOI alias."),
    Rule("L102", "isbn-check-digit", E, "An ISBN-10 or ISBN-13 of the wrong length or with a wrong check digit."),
    Rule("L103", "issn-check-digit", E, "An ISSN (print or electronic) that is malformed or has a wrong check digit."),
    Rule("L104", "orcid-check-digit", E, "An ORCID iD that is malformed or has a wrong check digit."),
    Rule(
        "L105",
        "arxiv-syntax",
        E,
        "An arXiv identifier that is neither YYMM.NNNNN nor archive/YYMMNNN, or names month 13.",
    ),
    Rule("L106", "pmid-syntax", E, "A PubMed id that is not 1 to 8 digits."),
    Rule("L107", "pmcid-syntax", E, "A PubMed Central id that is not PMC followed by digits."),
    Rule("L110", "doi-in-url", W, "A DOI given in the URL field (doi.org or doi:) while the record has no DOI."),
    Rule("L201", "future-year", E, "A publication year after the current one."),
    Rule("L202", "impossible-month", E, "A month that is no month (13, 0)."),
    Rule(
        "L203",
        "year-contradicts-identifier",
        W,
        "A year before the one an arXiv id carries, or far from the year a DOI embeds.",
    ),
    Rule("L301", "pages-backwards", E, "A page range whose last page comes before its first."),
    Rule("L401", "article-without-journal", E, "A journal article with no journal."),
    Rule("L402", "book-without-publisher", W, "A book with no publisher."),
    Rule("L403", "thesis-without-institution", W, "A thesis with no institution (publisher, BibTeX school)."),
    Rule(
        "L410",
        "apa-doi-missing",
        I,
        "With --style apa: a journal article without a DOI, which APA 7 asks for when one exists.",
    ),
    Rule("L501", "duplicate-doi", E, "Two records with the same DOI."),
    Rule(
        "L502",
        "near-duplicate",
        W,
        "Two records with the same normalised title, first author and year under different keys.",
    ),
    Rule(
        "L503",
        "preprint-beside-published",
        W,
        "A preprint listed beside its published version (same title and first author).",
    ),
    Rule("L601", "journal-spelled-two-ways", W, "One journal spelled two ways across the bibliography."),
    Rule("L602", "author-spelled-two-ways", W, "One author spelled two ways beside the same co-authors."),
    Rule(
        "L701",
        "honorific-in-given-name",
        W,
        "An honorific (Dr, Prof) inside a given name, where styles print it as an initial.",
    ),
    Rule(
        "L702",
        "title-all-capitals",
        W,
        "A title written in capitals, which styles cannot set in sentence or title case.",
    ),
    Rule(
        "L703",
        "acronym-not-protected",
        W,
        "In BibTeX, an all-capital word outside braces, which styles will lower-case.",
    ),
    Rule("L704", "authors-joined-with-commas", E, "Authors joined with commas instead of `and`, read as one name."),
    Rule(
        "L801",
        "citation-initials",
        E,
        "With --citation: initials that are wrong, extra or missing beside an author's family name.",
    ),
    Rule("L802", "citation-honorific-initial", E, "With --citation: an honorific (Dr, Prof) printed as an initial."),
    Rule("L803", "citation-author-missing", E, "With --citation: an author of the record left out."),
    Rule("L804", "citation-author-order", E, "With --citation: the authors in another order than the record's."),
    Rule("L805", "citation-et-al", E, "With --citation: 'et al.' in place of names the style prints in full."),
    Rule(
        "L806",
        "citation-doi",
        E,
        "With --citation: a DOI missing where the style prints it, or another DOI than the record's.",
    ),
    Rule("L807", "citation-year", E, "With --citation: a year missing or other than the record's."),
    Rule("L808", "citation-pages", E, "With --citation: pages missing or other than the record's (140–54 is 140–154)."),
    Rule("L809", "citation-volume", E, "With --citation: a volume missing or other than the record's."),
    Rule("L810", "citation-issue", E, "With --citation: an issue missing or other than the record's."),
    Rule(
        "L811",
        "citation-title",
        E,
        "With --citation: title words missing, extra or other than the record's (case aside).",
    ),
    Rule("L812", "citation-journal", E, "With --citation: the journal's (container's) title other than the record's."),
    Rule(
        "L813",
        "citation-other-field",
        E,
        "With --citation: another printed field (publisher, place, edition, editors) other than the record's.",
    ),
    Rule(
        "L814",
        "citation-family-name",
        E,
        "With --citation: an author's family name spelled otherwise than in the record.",
    ),
    Rule(
        "L820",
        "citation-without-record",
        E,
        "With --citation: a citation no record given matches (by DOI, title and first author).",
    ),
]
RULES = {rule.id: rule for rule in _TABLE}


def choose(select: tuple[str, ...], ignore: tuple[str, ...]) -> set[str]:
    """The ids of the rules chosen: those --select names (all when none), less those --ignore names.

    A selector is a rule id or name, or a prefix of one ("L1" is every
    identifier rule, "doi" both DOI rules); a selector matching nothing is a
    usage error.
    """

    def matching(selector: str) -> set[str]:
        wanted = selector.strip()
        found = {
            rule.id for rule in _TABLE if rule.id.startswith(wanted.upper()) or rule.name.startswith(wanted.lower())
        }
        if not wanted or not found:
            raise ValueError(f"{selector!r} is no rule id or name, nor a prefix of one (see --list-rules)")
        return found

    chosen = set().union(*(matching(part) for part in _split(select))) if select else set(RULES)
    for part in _split(ignore):
        chosen -= matching(part)
    return chosen


def _split(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


def silenced(other_fields: dict[str, str]) -> set[str]:
    """The rule ids or names a record's `lutnick-noqa` field silences for itself (comma-separated)."""
    value = other_fields.get("lutnick-noqa", "")
    return {part.strip() for part in value.split(",") if part.strip()}
