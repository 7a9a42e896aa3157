"""Rules across a bibliography: duplicates, one journal or one author spelled two ways.

Each record is added once to indexes keyed by a normalised value (DOI; title,
first author and year; title and first author; journal), so the work grows
with the number of records, not with its square. Only journals whose
normalised spellings differ are compared fuzzily, within a block of names that
share their first letter. An author is compared only with the one in the same
place of an author list that is otherwise the same: the same co-authors.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from lutnick_cli.check.identifiers import arxiv_id
from lutnick_cli.errors import frozen_value
from lutnick_cli.record import DateValue, Record, RecordType

# Above this similarity (0-100) two spellings are candidates for one journal ...
JOURNAL_SIMILARITY = 90
# ... and they are one when they differ in a single word of at least this many letters, by at most
# this many edits: "Virolgy" is a typo of "Virology"; "Physics A" and "Physics B" are two journals.
TYPO_WORD_LENGTH = 4
TYPO_EDITS = 2
# Two spellings of a name at least this similar (0-100), among the same co-authors, are one person's.
AUTHOR_SIMILARITY = 80
# Longer author lists are not indexed for L602: one record would add as many keys as it has authors.
MOST_AUTHORS = 30
_PERIODICAL = (RecordType.ARTICLE_JOURNAL, RecordType.ARTICLE_MAGAZINE, RecordType.ARTICLE_NEWSPAPER)


@frozen_value  # not a dataclass, which compiles its methods on every `lutnick check` (see errors.frozen_value)
class Entry:
    """Where a record is, for findings about it: its key, file and line."""

    key: str | None
    source: str
    line: int | None

    def __init__(self, key: str | None, source: str, line: int | None) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "line", line)


# What a rule across the bibliography finds: (rule id, entry, field, message).
Found = tuple[str, Entry, str, str]
# A record indexed by its work: its entry, whether it is a preprint, its year.
_Work = tuple[Entry, bool, int | None]


def normalised(text: str) -> str:
    """Lower case, accents and markup gone, every run of non-letters one space."""
    text = re.sub(r"<[^>]+>", "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


class Bibliography:
    def __init__(self) -> None:
        self.by_doi: dict[str, list[Entry]] = defaultdict(list)
        self.by_work: dict[tuple[str, str], list[_Work]] = defaultdict(list)
        self.journals: dict[str, dict[str, Entry]] = defaultdict(dict)  # normalised → spelling → first record
        # The author list with one place left blank → the names seen in that place, each with its first record.
        self.places: dict[tuple, dict[tuple[str, str], tuple[str, Entry]]] = defaultdict(dict)

    def add(self, record: Record, entry: Entry) -> None:
        if record.doi:
            self.by_doi[record.doi.lower()].append(entry)
        if record.title and record.authors:
            first = record.authors[0]
            author = normalised(first.family or first.literal or "")
            year = record.issued.start.year if isinstance(record.issued, DateValue) else None
            self.by_work[(normalised(record.title), author)].append((entry, _preprint(record), year))
        people = [
            (normalised(person.family or person.literal or ""), normalised(person.given or ""))
            for person in record.authors
        ]
        if 2 <= len(people) <= MOST_AUTHORS:
            for index, person in enumerate(record.authors):
                others = tuple(people[:index]) + (None,) + tuple(people[index + 1 :])
                self.places[others].setdefault(people[index], (_display(person), entry))
        if (
            record.type in _PERIODICAL
            and record.container is not None
            and record.container.title
            and not _preprint(record)
        ):
            self.journals[normalised(record.container.title)].setdefault(record.container.title, entry)

    def findings(self) -> Iterator[Found]:
        for doi, entries in self.by_doi.items():
            for entry in entries[1:]:
                yield "L501", entry, "doi", f"the DOI {doi} is also {_where(entries[0])}; keep one record"
        for works in self.by_work.values():
            yield from _same_work(works)
        yield from self._journal_spellings()
        yield from self._author_spellings()

    def _author_spellings(self) -> Iterator[Found]:
        for names in self.places.values():
            if len(names) < 2:
                continue
            seen = list(names.items())
            for index, ((family, given), (shown, entry)) in enumerate(seen[1:], 1):
                if any(
                    family == other and _initial_form(given, other_given) for (other, other_given), _ in seen[:index]
                ):
                    continue  # a form of a name already seen ("A." after "Alexandra"); its spelling is judged there
                for (other_family, other_given), (other_shown, other_entry) in seen[:index]:
                    if _same_person(family, given, other_family, other_given):
                        yield (
                            "L602",
                            entry,
                            "authors",
                            (
                                f"the author {shown!r} is spelled {other_shown!r} {_where(other_entry)}, "
                                f"beside the same co-authors; spell the name one way"
                            ),
                        )
                        break

    def _journal_spellings(self) -> Iterator[Found]:
        for spellings in self.journals.values():
            names = sorted(spellings)
            for name in names[1:]:
                yield (
                    "L601",
                    spellings[name],
                    "container.title",
                    (f"the journal {name!r} is spelled {names[0]!r} {_where(spellings[names[0]])}; spell it one way"),
                )
        blocks: dict[str, list[str]] = defaultdict(list)
        for key in self.journals:
            if key:
                blocks[key[0]].append(key)
        for keys in blocks.values():
            keys.sort()
            for index, key in enumerate(keys[1:], 1):
                match = process.extractOne(key, keys[:index], scorer=fuzz.ratio, score_cutoff=JOURNAL_SIMILARITY)
                if match and _typo(key, match[0]):
                    other = self.journals[match[0]]
                    name, entry = next(iter(self.journals[key].items()))
                    other_name, other_entry = next(iter(other.items()))
                    yield (
                        "L601",
                        entry,
                        "container.title",
                        (f"the journal {name!r} looks like {other_name!r} {_where(other_entry)}; spell it one way"),
                    )


def _display(person) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(part for part in (person.family or person.literal, person.given) if part)


def _initial_form(given: str, other_given: str) -> bool:
    """Whether one normalised given name is the other's initial ("a" and "alexandra")."""
    return bool(given and other_given) and given[0] == other_given[0] and min(len(given), len(other_given)) == 1


def _same_person(family: str, given: str, other_family: str, other_given: str) -> bool:
    """Whether two names in one place beside the same co-authors are one name spelled two ways.

    Given names agree when one is the other's initial or they are alike;
    family names when they are alike. The same family name with a given name
    and its initial is one name in two forms, not two spellings.
    """
    initial = _initial_form(given, other_given)
    if family == other_family:
        # "A." beside "Alexandra" is a shorter form, not a second spelling.
        return (
            bool(given and other_given)
            and given != other_given
            and not initial
            and (fuzz.ratio(given, other_given) >= AUTHOR_SIMILARITY)
        )
    givens_agree = (
        given == other_given
        or not given
        or not other_given
        or initial
        or (fuzz.ratio(given, other_given) >= AUTHOR_SIMILARITY)
    )
    return givens_agree and fuzz.ratio(family, other_family) >= AUTHOR_SIMILARITY


def _typo(one: str, other: str) -> bool:
    """Whether two normalised names differ in one word only, and there by a slip of the keyboard."""
    words, others = one.split(), other.split()
    if len(words) != len(others):
        return False
    differing = [(a, b) for a, b in zip(words, others) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    return (
        min(len(a), len(b)) >= TYPO_WORD_LENGTH
        and not (a.isdigit() or b.isdigit())
        and Levenshtein.distance(a, b) <= TYPO_EDITS
    )


def _same_work(entries: list[_Work]) -> Iterator[Found]:
    published = [item for item in entries if not item[1]]
    preprints = [item for item in entries if item[1]]
    if published:
        for entry, _, _ in preprints:
            yield "L503", entry, "", (f"a preprint of the published version {_where(published[0][0])}; cite that one")
    by_year: dict[int | None, list[Entry]] = defaultdict(list)
    for entry, _, year in published:
        by_year[year].append(entry)
    for same in by_year.values():
        for entry in same[1:]:
            if entry.key != same[0].key:
                yield (
                    "L502",
                    entry,
                    "",
                    (f"the same title, first author and year as {_where(same[0])}; keep one record"),
                )


def _preprint(record: Record) -> bool:
    container = normalised(record.container.title) if record.container is not None and record.container.title else ""
    return (
        arxiv_id(record) is not None
        and record.type is not RecordType.ARTICLE_JOURNAL
        or container in ("arxiv", "biorxiv", "medrxiv", "ssrn")
        or (record.genre or "").lower() == "preprint"
    )


def _where(entry: Entry) -> str:
    place = f"{entry.source}:{entry.line}" if entry.line else entry.source
    return f"in [{entry.key}] ({place})" if entry.key else f"in {place}"
