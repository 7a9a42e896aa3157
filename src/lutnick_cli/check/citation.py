"""A pasted citation against the record it should come from.

The record is rendered in every candidate style, as a reference-list entry and
as an in-text citation; the rendering closest to the pasted text is its style.
That rendering is the guide to the pasted text's structure: each field's
rendered words are found by rendering the record again with that field alone
changed, and the words that change are the field's. The two texts are aligned
word by word (punctuation, case, quote and dash forms, `doi:` or
`https://doi.org/`, "pp." and line breaks do not count), each field's words in
the pasted text are those between the aligned words around it, and each
field's two spans are compared as that field is read: names by family name and
initials, pages as a range, the year, the DOI, numbers, title words.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from lutnick_cli.citation.styles import PROVEN_STYLES
from lutnick_cli.errors import frozen_value
from lutnick_cli.record import Container, DateValue, PageRange, PartialDate, Person, Record, date_year

if TYPE_CHECKING:
    from lutnick_cli.citation.render import Renderer

# A pasted citation is matched against the styles the project proves its citations in, unless --style names one.
STYLES = PROVEN_STYLES
KINDS = ("entry", "in-text")
_KIND_NAMES = {"entry": "reference-list entry", "in-text": "in-text citation"}

# A DOI behind any of its usual prefixes is one token; a URL is one token; then numbers and words (an apostrophe
# inside a word keeps it whole). Punctuation is no token.
_TOKEN = re.compile(
    r"(?P<doi>(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/[^\s\"“”‘’<>]+)"
    r"|(?P<url>https?://[^\s\"“”<>]+)"
    r"|(?P<number>\d+)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)",
    re.IGNORECASE,
)
_TRAILING = ".,;:)]"
_DASHES = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
    }
)
_NAME_JOINERS = {"and", "et", "al", "&"}
_NAME_FIELDS = {"authors", "editors"}
_MARKUP = re.compile(r"<[^>]+>")


# Frozen values whose __init__ is written out (errors.frozen_value): a dataclass compiles its methods
# when it is defined, some 4M instructions a class on every start of the citation check.
@frozen_value
class Token:
    """A word, number, DOI or URL of a text: its comparison key and where it stands in the text."""

    key: str
    kind: str
    start: int
    end: int

    def __init__(self, key: str, kind: str, start: int, end: int) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)


def tokens(text: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        start, end = match.span()
        if kind in ("doi", "url"):
            while end > start and text[end - 1] in _TRAILING:
                end -= 1
            value = text[start:end]
            key = (
                "doi:" + re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I).lower()
                if kind == "doi"
                else value.lower()
            )
        else:
            key = _fold(match.group())
        found.append(Token(key, kind, start, end))
    return found


def _fold(word: str) -> str:
    """A word as compared: case, accents and the apostrophe's form set aside."""
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _flat(text: str) -> str:
    """A text as the style match compares it: one form of quotes, dashes, spaces and DOI, in lower case."""
    text = re.sub(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)(10\.)", r"doi:\1", text.translate(_DASHES), flags=re.I)
    return " ".join(text.replace("*", "").split()).casefold()


@frozen_value
class Difference:
    """One difference between a pasted citation and its record's rendering: the rule, the field, where, what."""

    rule: str
    field: str
    column: int
    message: str

    def __init__(self, rule: str, field: str, column: int, message: str) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "message", message)


@frozen_value
class Match:
    """The style and kind a pasted citation reads as, how close (0–100) and the differences found."""

    style: str
    kind: str
    closeness: float
    differences: tuple[Difference, ...]

    def __init__(self, style: str, kind: str, closeness: float, differences: tuple[Difference, ...]) -> None:
        object.__setattr__(self, "style", style)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "closeness", closeness)
        object.__setattr__(self, "differences", differences)

    def describe(self) -> str:
        return f"reads as {self.style}, {_KIND_NAMES[self.kind]}, {self.closeness:.0f}% alike"


class Checker:
    """Compares pasted citations with records; renderers and renderings are kept between citations."""

    def __init__(self, styles: Sequence[str] = STYLES, locale: str | None = None) -> None:
        self.styles = tuple(styles)
        self.locale = locale
        self._renderers: dict[str, Renderer] = {}
        self._rendered: dict[tuple[int, str, str], tuple[Record, str]] = {}
        self._cut: dict[int, tuple[Record, Record]] = {}
        self._labelled: dict[tuple[int, str, str], tuple[Record, list[str | None]]] = {}

    def _render(self, record: Record, style: str, kind: str) -> str:
        renderer = self._renderers.get(style)
        if renderer is None:
            from lutnick_cli.citation.render import Renderer

            renderer = self._renderers[style] = Renderer(style, self.locale)
        if kind == "entry":
            entries = renderer.entries([record])
            return entries[0] if entries else ""
        return renderer.in_text([record])

    def rendering(self, record: Record, style: str, kind: str) -> str:
        key = (id(record), style, kind)
        cached = self._rendered.get(key)
        if cached is None or cached[0] is not record:  # the record kept beside its rendering, so its id is not reused
            cached = self._rendered[key] = (record, self._render(record, style, kind))
        return cached[1]

    def _first_author_only(self, record: Record) -> Record | None:
        if len(record.authors) < 2:
            return None
        cached = self._cut.get(id(record))
        if cached is None or cached[0] is not record:
            cached = self._cut[id(record)] = (record, dataclasses.replace(record, authors=record.authors[:1]))
        return cached[1]

    def closest(self, text: str, record: Record) -> tuple[str, str, float]:
        """The style and kind whose rendering of the record is closest to the text, and how close (0–100)."""
        flat = _flat(text)
        best = ("", "", -1.0)
        # A pasted list of names cut short (et al., a name left out) must not hide the style: each style is also
        # tried on the record with its first author alone, and the closer of the two counts.
        first_only = self._first_author_only(record)
        for style in self.styles:
            for kind in KINDS:
                score = fuzz.ratio(flat, _flat(self.rendering(record, style, kind)))
                if first_only is not None:
                    score = max(score, fuzz.ratio(flat, _flat(self.rendering(first_only, style, kind))))
                if score > best[2]:
                    best = (style, kind, score)
        return best

    def compare(self, text: str, record: Record) -> Match:
        style, kind, closeness = self.closest(text, record)
        expected = self.rendering(record, style, kind)
        key = (id(record), style, kind)
        cached = self._labelled.get(key)
        if cached is None or cached[0] is not record:
            cached = self._labelled[key] = (record, self._labels(record, style, kind, expected))
        labels = cached[1]
        differences = _Comparison(text, expected, labels, record, style).differences()
        return Match(style, kind, closeness, tuple(differences))

    def _labels(self, record: Record, style: str, kind: str, expected: str) -> list[str | None]:
        """For each token of the rendering, the field it renders (None for the style's own words)."""
        keys = [token.key for token in tokens(expected)]
        labels: list[str | None] = [None] * len(keys)
        for field, changed in _changed_records(record):
            other = [token.key for token in tokens(self._render(changed, style, kind))]
            for tag, a0, a1, _, _ in SequenceMatcher(None, keys, other, autojunk=False).get_opcodes():
                if tag in ("replace", "delete"):
                    for index in range(a0, a1):
                        labels[index] = labels[index] or field
        # The style's "et al." belongs to the names it ends: a pasted text that names them instead is compared there.
        for index in range(1, len(keys) - 1):
            if keys[index : index + 2] == ["et", "al"] and labels[index - 1] in _NAME_FIELDS and labels[index] is None:
                labels[index] = labels[index + 1] = labels[index - 1]
        return labels


# Each field a citation prints, with a value no real record holds in its place:
# what changes in the rendering is the field's.
def _changed_records(record: Record) -> Iterator[tuple[str, Record]]:
    change = dataclasses.replace
    if record.authors:
        stand_ins = tuple(
            Person(family=f"Qxzorv{chr(ord('a') + index % 26) * (1 + index // 26)}", given=_stand_in_given(person))
            for index, person in enumerate(record.authors)
        )
        yield "authors", change(record, authors=stand_ins)
    if record.editors:
        yield "editors", change(record, editors=tuple(Person(family="Zyqqel", given="Vorm") for _ in record.editors))
    if record.title:
        yield "title", change(record, title="Plumbous quixotry of zyzzyvas")
    if record.container is not None and record.container.title:
        yield "container.title", change(record, container=Container(title="Vexillary Quarterly of Zomp"))
    if isinstance(record.issued, DateValue):
        start = record.issued.start
        stand_in_date = PartialDate(
            start.year - 37,
            None if start.month is None else start.month % 12 + 1,
            None if start.day is None else start.day % 27 + 1,
        )
        yield "issued", change(record, issued=DateValue(stand_in_date))
    for field, stand_in in (("volume", "8317"), ("issue", "7243"), ("edition", "23"), ("number", "6151")):
        if getattr(record, field):
            yield field, change(record, **{field: stand_in})
    if record.pages is not None:
        yield "pages", change(record, pages=PageRange("9601", "9688"))
    if record.doi:
        yield "doi", change(record, doi="10.99999/qzx.424242")
    for field, stand_in in (("publisher", "Quillwort Zephyr Press"), ("publisher_place", "Vexborough")):
        if getattr(record, field):
            yield field, change(record, **{field: stand_in})


def _stand_in_given(person: Person) -> str:
    """A given name whose initial is none of the person's, so that no initial of the stand-in lines up with theirs."""
    initials = {word[0].casefold() for word in re.findall(r"[^\W\d_]+", person.given or "")}
    return next(name for name in ("Quillon", "Xanthe", "Zephyrine", "Vortigern") if name[0].casefold() not in initials)


class _Span:
    """A field's tokens in the rendering, and where its words start and end in the pasted text."""

    __slots__ = ("field", "wanted", "start", "end")

    def __init__(self, field: str, wanted: range, start: int, end: int) -> None:
        self.field = field
        self.wanted = wanted
        self.start = start
        self.end = end


class _Comparison:
    """One pasted text against one rendering of its record, field by field."""

    def __init__(self, text: str, expected: str, labels: list[str | None], record: Record, style: str) -> None:
        self.text, self.expected, self.record, self.style = text, expected, record, style
        self.pasted = tokens(text)
        self.wanted = tokens(expected)
        self.labels = labels
        # Where each rendered token stands in the pasted text, for those the alignment pairs.
        self.paired: dict[int, int] = {}
        matcher = SequenceMatcher(None, [t.key for t in self.wanted], [t.key for t in self.pasted], autojunk=False)
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            # A word for a word (a year for a year) pairs too: what stands beside it then has its place.
            if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0):
                for offset in range(a1 - a0):
                    self.paired[a0 + offset] = b0 + offset
            elif tag == "replace":
                # Otherwise tokens of one shape pair in order ("Summer 2020" against "2019": the years).
                shapes = SequenceMatcher(
                    None,
                    [_shape(t, "wanted") for t in self.wanted[a0:a1]],
                    [_shape(t, "pasted") for t in self.pasted[b0:b1]],
                    autojunk=False,
                )
                for a, b, size in shapes.get_matching_blocks():
                    for offset in range(size):
                        self.paired[a0 + a + offset] = b0 + b + offset

    def differences(self) -> list[Difference]:
        found: list[Difference] = []
        for field, wanted, pasted in self._spans():
            compare = _COMPARE.get(field, _compare_text)
            found.extend(compare(self, field, wanted, pasted))
        return found

    def _spans(self) -> Iterator[tuple[str, range, range]]:
        """Each field's tokens in the rendering and in the pasted text, as index ranges."""
        runs: list[tuple[str, int, int]] = []
        for index, label in enumerate(self.labels):
            if label is None:
                continue
            if (
                runs
                and runs[-1][0] == label
                and index - runs[-1][2] <= 3
                and all(self.labels[between] is None for between in range(runs[-1][2], index))
            ):
                # A field interrupted by the style's own words ("and" between names) is one span.
                runs[-1] = (label, runs[-1][1], index + 1)
            else:
                runs.append((label, index, index + 1))
        spans = []
        for field, first, last in runs:
            before = [self.paired[index] for index in range(first) if index in self.paired]
            after = [self.paired[index] for index in range(last, len(self.wanted)) if index in self.paired]
            start = max(before) + 1 if before else 0
            end = min(after) if after else len(self.pasted)
            spans.append(_Span(field, range(first, last), start, max(start, end)))
        # Pasted words between two fields that the alignment left to both ("Bengio Y." moved to the end of the
        # names, just before the title) go to the field whose words they are.
        for left, right in zip(spans, spans[1:]):
            if right.start < left.end:
                left_keys, right_keys = self._keys(left.field, left.wanted), self._keys(right.field, right.wanted)
                shared = range(right.start, left.end)
                scores = [
                    (
                        sum(self.pasted[at].key in left_keys for at in range(shared.start, split))
                        + sum(self.pasted[at].key in right_keys for at in range(split, shared.stop)),
                        split,
                    )
                    for split in range(shared.start, shared.stop + 1)
                ]
                best, split = max(scores, key=lambda item: item[0])
                if best:
                    left.end, right.start = split, split
        for span in spans:
            yield span.field, span.wanted, range(span.start, max(span.start, span.end))

    def _keys(self, field: str, wanted: range) -> set[str]:
        """The words a field's span may hold: its rendered words,
        and for names every name of the record and "et al."."""
        keys = {self.wanted[index].key for index in wanted}
        if field in _NAME_FIELDS:
            for person in getattr(self.record, field):
                for part in (person.family, person.given, person.particle):
                    keys.update(token.key for token in tokens(part or ""))
                    keys.update(token.key[0] for token in tokens(part or "") if token.kind == "word")
            keys.update(_NAME_JOINERS)
        return keys

    # What the two spans say, as text.
    def wanted_text(self, span: range) -> str:
        return _quote(self.expected, self.wanted, span)

    def pasted_text(self, span: range) -> str:
        return _quote(self.text, self.pasted, span)

    def column(self, span: range) -> int:
        """The column (from 1) where a span of the pasted text starts; for an empty span, after the word before it."""
        if span.start < len(self.pasted) and len(span):
            return self.pasted[span.start].start + 1
        if span.start > 0:
            return self.pasted[span.start - 1].end + 1
        return 1


def _shape(token: Token, side: str) -> str:
    """What a token pairs by when its text differs: a year with a year, a number with a number; words not at all
    ("et al." against "and Bengio" says nothing of where each word belongs)."""
    if token.kind == "number":
        return "year" if len(token.key) == 4 else "number"
    return token.kind if token.kind != "word" else f"{side} word {token.start}"


def _quote(text: str, found: list[Token], span: range) -> str:
    if not len(span):
        return ""
    end = found[span.stop - 1].end
    if (
        end < len(text)
        and text[end] == "."
        and found[span.stop - 1].kind == "word"
        and len(found[span.stop - 1].key) == 1
    ):
        end += 1  # an initial keeps its full stop
    return " ".join(text[found[span.start].start : end].split())


_FIELD_NAMES = {"container.title": "journal", "issued": "year", "publisher_place": "place", "doi": "DOI"}
_RULES = {
    "doi": "L806",
    "issued": "L807",
    "pages": "L808",
    "volume": "L809",
    "issue": "L810",
    "title": "L811",
    "container.title": "L812",
}


def _compare_doi(self: _Comparison, field: str, wanted: range, pasted: range) -> Iterator[Difference]:
    right = next((self.wanted[index] for index in wanted if self.wanted[index].kind == "doi"), None)
    if right is None:
        return
    given = [self.pasted[index] for index in pasted if self.pasted[index].kind == "doi"]
    form = self.expected[right.start : right.end]
    if not given:
        yield Difference(
            "L806", "doi", self.column(pasted), f"the DOI is missing; {_style_name(self.style)} requires it as {form}"
        )
    elif all(token.key != right.key for token in given):
        yield Difference(
            "L806",
            "doi",
            given[0].start + 1,
            f"the DOI {given[0].key.removeprefix('doi:')} where {right.key.removeprefix('doi:')} is right",
        )


def _compare_year(self: _Comparison, field: str, wanted: range, pasted: range) -> Iterator[Difference]:
    right = [self.wanted[index].key for index in wanted if _is_year(self.wanted[index])]
    if not right:
        return
    given = [self.pasted[index] for index in pasted if _is_year(self.pasted[index])]
    if not given:
        yield Difference("L807", "issued", self.column(pasted), f"the year is missing; {right[0]} is right")
    elif given[0].key != right[0]:
        yield Difference("L807", "issued", given[0].start + 1, f"the year {given[0].key} where {right[0]} is right")


def _is_year(token: Token) -> bool:
    return token.kind == "number" and len(token.key) == 4


def _compare_pages(self: _Comparison, field: str, wanted: range, pasted: range) -> Iterator[Difference]:
    right = _page_range([self.wanted[index].key for index in wanted if self.wanted[index].kind == "number"])
    given = _page_range([self.pasted[index].key for index in pasted if self.pasted[index].kind == "number"])
    if right is None:
        return
    if given is None:
        yield Difference(
            "L808", "pages", self.column(pasted), f"the pages are missing; {self.wanted_text(wanted)} is right"
        )
    elif given != right:
        yield Difference(
            "L808",
            "pages",
            self.column(pasted),
            f"the pages {self.pasted_text(pasted)} where {self.wanted_text(wanted)} is right",
        )


def _page_range(numbers: list[str]) -> tuple[int, int] | None:
    """A page range as two numbers, its last page written in full (140–54 is 140–154)."""
    if not numbers:
        return None
    first = numbers[0]
    last = numbers[1] if len(numbers) > 1 else first
    if len(last) < len(first) and int(first[-len(last) :]) <= int(last):
        last = first[: len(first) - len(last)] + last
    return int(first), int(last)


def _compare_number(self: _Comparison, field: str, wanted: range, pasted: range) -> Iterator[Difference]:
    right = [self.wanted[index].key for index in wanted if self.wanted[index].kind == "number"]
    given = [self.pasted[index].key for index in pasted if self.pasted[index].kind == "number"]
    if not right or right == given[: len(right)]:
        return
    rule, name = _RULES.get(field, "L813"), _FIELD_NAMES.get(field, field)
    if not given:
        yield Difference(
            rule, field, self.column(pasted), f"the {name} is missing; {self.wanted_text(wanted)} is right"
        )
    else:
        yield Difference(
            rule, field, self.column(pasted), f"the {name} {' '.join(given)} where {' '.join(right)} is right"
        )


def _compare_text(self: _Comparison, field: str, wanted: range, pasted: range) -> Iterator[Difference]:
    right = [self.wanted[index].key for index in wanted]
    given = [self.pasted[index].key for index in pasted]
    # A word broken across lines or a hyphen written as a space is the same word.
    if "".join(right) == "".join(given):
        return
    rule, name = _RULES.get(field, "L813"), _FIELD_NAMES.get(field, field.replace("_", " "))
    if not given:
        yield Difference(
            rule, field, self.column(pasted), f"the {name} is missing; {self.wanted_text(wanted)!r} is right"
        )
        return
    matcher = SequenceMatcher(None, right, given, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if "".join(right[a0:a1]) == "".join(given[b0:b1]):
            continue
        wrong = range(pasted.start + b0, pasted.start + b1)
        good = range(wanted.start + a0, wanted.start + a1)
        if tag == "insert":
            what = f"the {name} has {self.pasted_text(wrong)!r} that it does not have"
        elif tag == "delete":
            what = f"the {name} lacks {self.wanted_text(good)!r}"
        else:
            what = f"the {name} has {self.pasted_text(wrong)!r} where {self.wanted_text(good)!r} is right"
        yield Difference(
            rule, field, self.column(wrong if len(wrong) else range(pasted.start + b0, pasted.start + b0)), what
        )


def _compare_names(self: _Comparison, field: str, wanted: range, pasted: range) -> Iterator[Difference]:
    people = getattr(self.record, field)
    expected = [self.wanted[index] for index in wanted]
    given = [self.pasted[index] for index in pasted]
    wanted_at = _find_families(people, expected, range(len(people)), set())
    shown = [index for index in range(len(people)) if index in wanted_at]  # the names the style prints
    taken: set[int] = set()
    found = _find_families(people, given, shown, taken)
    role = "author" if field == "authors" else field.rstrip("s").replace("_", " ")
    unfound = [index for index in shown if index not in found]
    # A name the style leaves to "et al." printed in place of one it shows: the names are out of order.
    hidden = _find_families(
        people, given, [index for index in range(len(people)) if index not in wanted_at], set(taken)
    )
    if unfound and hidden:
        first = min(hidden, key=lambda index: hidden[index])
        yield Difference(
            "L804",
            field,
            given[hidden[first]].start + 1,
            f"{people[first].family} stands where {people[unfound[0]].family} is right: the {role}s are out of order",
        )
        return
    # A family name misspelt: words no other name took, close to it.
    misspelt: dict[int, int] = {}
    for index in unfound:
        family = " ".join(_family_keys(people[index]))
        size = family.count(" ") + 1
        candidates = [
            (fuzz.ratio(family, " ".join(token.key for token in given[at : at + size])), at)
            for at, token in enumerate(given)
            if not taken.intersection(range(at, at + size))
            and token.kind == "word"
            and token.key not in _NAME_JOINERS
            and len(token.key) > 2
        ]
        score, at = max(candidates, default=(0, -1))
        if score >= 75:
            found[index] = misspelt[index] = at
            taken.update(range(at, at + size))
    # Two people of one family name, one of them misspelt: the misspelling is the one whose place keeps the order.
    for index in list(misspelt):
        for other in found:
            if (
                other != index
                and _family_keys(people[other]) == _family_keys(people[index])
                and (other < index) != (found[other] < found[index])
            ):
                found[index], found[other] = found[other], found[index]
                misspelt[other] = misspelt.pop(index)
                break
    for index, at in sorted(misspelt.items()):
        spelled = self.text[given[at].start : given[at + len(_family_keys(people[index])) - 1].end]
        yield Difference(
            "L814",
            f"{field}.{index}.family",
            given[at].start + 1,
            f"the family name {spelled!r} where {people[index].family!r} is right",
        )
    missing = [index for index in shown if index not in found]
    et_al = _has_et_al(given) and not _has_et_al(expected)
    if not missing and _has_et_al(expected) and not _has_et_al(given) and len(found) + len(hidden) < len(people):
        # The style shortens the list with "et al.", the pasted text ends it: a name is missing.
        absent = next(index for index in range(len(people)) if index not in found and index not in hidden)
        yield Difference(
            "L803",
            f"{field}.{absent}",
            self.column(pasted),
            f"the {role} {_display(people[absent])} is missing ({role} {absent + 1} of {len(people)}): "
            f"name every {role} or end the list with 'et al.', as {_style_name(self.style)} does",
        )
        return
    if missing and et_al:
        names = ", ".join(_display(people[index]) for index in missing)
        yield Difference(
            "L805",
            field,
            self.column(pasted),
            f"'et al.' in place of {names}, where {_style_name(self.style)} lists every name",
        )
    elif missing:
        for index in missing:
            yield Difference(
                "L803",
                f"{field}.{index}",
                self.column(pasted),
                f"the {role} {_display(people[index])} is missing ({role} {index + 1} of {len(people)})",
            )
    order = sorted(found, key=lambda index: found[index])
    if order != sorted(found):
        yield Difference(
            "L804",
            field,
            self.column(pasted),
            f"the {role}s are in the order {', '.join(people[index].family or '' for index in order)}, "
            f"where {', '.join(people[index].family or '' for index in sorted(found))} is right",
        )
        return  # the names beside each other's initials say nothing more
    for index in shown:
        if index in found:
            yield from _compare_given(
                self, field, index, people[index], expected, wanted_at[index], given, found[index]
            )


def _compare_given(
    self: _Comparison,
    field: str,
    index: int,
    person: Person,
    expected: list[Token],
    wanted_at: int,
    given: list[Token],
    given_at: int,
) -> Iterator[Difference]:
    """The given name's initials (or words) beside one family name, in the rendering and in the pasted text."""

    def family_length(found: list[Token], at: int) -> int:
        full = _family_keys(person)
        return (
            len(full)
            if [token.key for token in found[at : at + len(full)]] == full
            else len(_family_keys(person, particle=False))
        )

    words = [_fold(word) for word in re.findall(r"[^\W\d_]+", person.given or "")]
    initials = {word[0] for word in words}
    honorific = _fold(person.honorific or "")
    others = {key for other in _people_keys(self.record, field) - {tuple(_family_keys(person))} for key in other}

    def own(token: Token, text: str) -> bool:
        """Whether a rendered token is this person's given name: one of its words, initials or run-together initials."""
        letters = _initials_of(text, token)
        return token.key in words or (letters is not None and set(letters) <= initials)

    def pasted(token: Token, text: str) -> bool:
        """Whether a pasted token may be a given name: initials, the honorific, or a word close to a given word."""
        if token.kind != "word":
            return False
        # Own words and initials first: "Zafar Hussain Ibupoto" beside a co-author Hussain, Vancouver's
        # "Saitta ET" (no "et al."), "Weimann NG" beside a co-author Ng.
        if token.key in words or _initials_of(text, token) is not None:
            return True
        if token.key in _NAME_JOINERS or token.key in others:
            return False
        if token.key == honorific:
            return True
        return any(fuzz.ratio(token.key, word) >= 70 for word in words)

    def side(
        found: list[Token], at: int, text: str, after: bool, belongs: Callable[[Token, str], bool], limit: int
    ) -> list[Token]:
        run: list[Token] = []
        length = family_length(found, at)
        step = range(at + length, len(found)) if after else range(at - 1, -1, -1)
        previous = found[at + length - 1] if after else found[at]
        for position in step:
            token = found[position]
            gap = text[previous.end : token.start] if after else text[token.end : previous.start]
            # Between one initial and the next there is at most a full stop or a hyphen; a comma, semicolon or
            # bracket ends a name (the one between a family name and its initials aside).
            if len(run) >= limit or not belongs(token, text) or (run and re.search(r"[,;&()\[\]]", gap)):
                break
            run.append(token)
            previous = token
        return run if after else run[::-1]

    limit = max(1, len(words))
    right_after = side(expected, wanted_at, self.expected, True, own, limit)
    right_before = side(expected, wanted_at, self.expected, False, own, limit)
    # "Gardner, J. D., L. N. Wilson": the initials on the side that holds more of them are Gardner's; of two
    # sides that hold as many ("Y. LeCun, Y. Bengio"), the one not parted from the family name by a comma.
    if len(right_after) != len(right_before) or not right_before:
        after = len(right_after) >= len(right_before)
    else:
        first, last = expected[wanted_at], expected[wanted_at + family_length(expected, wanted_at) - 1]
        after = not (
            _comma_between(self.expected, last, right_after[0])
            and not _comma_between(self.expected, right_before[-1], first)
        )
    right = right_after if after else right_before
    if not right:
        return
    run = side(given, given_at, self.text, after, pasted, len(right) + 2)
    if not run:
        run = side(given, given_at, self.text, not after, pasted, len(right) + 2)
    right_letters = _letters(right, self.expected)
    given_letters = _letters(run, self.text)
    where = f"{field}.{index}.given"
    column = run[0].start + 1 if run else given[given_at].start + 1
    right_text = _span_text(self.expected, right)
    if not run:
        yield Difference("L801", where, column, f"no initials for {person.family} where {right_text!r} is right")
        return
    if right_letters == given_letters:
        full_right = [token.key for token in right if len(token.key) > 1]
        full_given = [token.key for token in run if len(token.key) > 1]
        if full_right and full_given and full_right != full_given:
            yield Difference(
                "L801", where, column, f"the given name {_span_text(self.text, run)!r} where {right_text!r} is right"
            )
        return
    given_text = _span_text(self.text, run)
    if honorific and run[0].key == honorific and given_letters[1:] == right_letters:
        yield Difference(
            "L802",
            where,
            column,
            f"the given name {given_text!r} where {right_text!r} is right: the honorific "
            f"{person.honorific!r} is no part of the name",
        )
    elif honorific and given_letters[1:] == right_letters and given_letters[:1] == [honorific[0]]:
        yield Difference(
            "L802",
            where,
            column,
            f"the initials {given_text!r} where {right_text!r} is right: the honorific "
            f"{person.honorific!r} was taken as an initial",
        )
    elif len(given_letters) > len(right_letters):
        yield Difference(
            "L801", where, column, f"the initials {given_text!r} where {right_text!r} is right: an extra initial"
        )
    else:
        yield Difference("L801", where, column, f"the initials {given_text!r} where {right_text!r} is right")


def _comma_between(text: str, left: Token, right: Token) -> bool:
    return "," in text[left.end : right.start]


def _letters(found: list[Token], text: str) -> list[str]:
    """The initials a run of given-name tokens stands for: "D. A.", "DA", "Dorothy Alexandra" and "D.-A." alike."""
    letters: list[str] = []
    for token in found:
        letters.extend(_initials_of(text, token) or [token.key[0]])
    return letters


def _initials_of(text: str, token: Token) -> list[str] | None:
    """The initials a token is, when it is initials: one letter,
    or up to five capitals run together (Vancouver's "DA")."""
    raw = text[token.start : token.end]
    if len(raw) == 1 and raw.isalpha():
        return [token.key]
    if 2 <= len(raw) <= 5 and raw.isupper() and raw.isalpha():
        return list(token.key)
    return None


def _span_text(text: str, found: list[Token]) -> str:
    end = found[-1].end
    if end < len(text) and text[end] == "." and len(found[-1].key) <= 3:
        end += 1
    return " ".join(text[found[0].start : end].split())


def _family_keys(person: Person, particle: bool = True) -> list[str]:
    name = " ".join(part for part in (person.particle if particle else None, person.family or person.literal) if part)
    return [_fold(word) for word in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", name)]


def _people_keys(record: Record, field: str) -> set[tuple[str, ...]]:
    return {tuple(_family_keys(person)) for person in getattr(record, field)}


def _find_families(
    people: Sequence[Person], found: list[Token], which: Sequence[int], taken: set[int]
) -> dict[int, int]:
    """Where each person's family name stands among the tokens: the first free place after the person before,
    else the first free place at all (names out of order); two people of one family name take two places.
    A family name is looked for with its particle ("van den Berg"), then alone ("Berg, Marieke van den")."""
    keys = [token.key for token in found]
    places: dict[int, int] = {}
    last = 0
    for index in which:
        spots: list[int] = []
        for family in (_family_keys(people[index]), _family_keys(people[index], particle=False)):
            spots = [
                at
                for at in range(len(keys) - len(family) + 1)
                if family
                and keys[at : at + len(family)] == family
                and not taken.intersection(range(at, at + len(family)))
            ]
            if spots:
                break
        if not spots:
            continue
        at = next((spot for spot in spots if spot >= last), spots[0])
        places[index] = at
        taken.update(range(at, at + len(family)))
        last = at + len(family)
    return places


def _has_et_al(found: list[Token]) -> bool:
    keys = [token.key for token in found]
    return any(keys[at : at + 2] == ["et", "al"] for at in range(len(keys) - 1))


def _display(person: Person) -> str:
    return " ".join(part for part in (person.given, person.particle, person.family or person.literal) if part)


def _style_name(style: str) -> str:
    return {
        "apa": "APA 7",
        "modern-language-association": "MLA 9",
        "chicago-author-date": "Chicago (author-date)",
        "chicago-notes-bibliography": "Chicago (notes and bibliography)",
        "ieee": "IEEE",
        "vancouver-nlm": "Vancouver",
        "american-medical-association": "AMA",
        "nature": "Nature",
        "harvard-cite-them-right": "Harvard (Cite Them Right)",
    }.get(style, style)


_COMPARE = {
    "authors": _compare_names,
    "editors": _compare_names,
    "doi": _compare_doi,
    "issued": _compare_year,
    "pages": _compare_pages,
    "volume": _compare_number,
    "issue": _compare_number,
    "edition": _compare_number,
    "number": _compare_number,
}


@frozen_value
class Pasted:
    """A pasted citation: its text, and where it was read (a line of standard input, or the --citation argument)."""

    text: str
    source: str
    line: int

    def __init__(self, text: str, source: str, line: int) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "line", line)


@frozen_value
class Report:
    """What one pasted citation was matched with: its record (None: none matched) and its style."""

    pasted: Pasted
    record: str | None
    match: Match | None

    def __init__(self, pasted: Pasted, record: str | None, match: Match | None) -> None:
        object.__setattr__(self, "pasted", pasted)
        object.__setattr__(self, "record", record)
        object.__setattr__(self, "match", match)

    def describe(self) -> str:
        place = f"{self.pasted.source}:{self.pasted.line}"
        if self.match is None:
            return f"{place}: no record matches"
        return f"{place}: [{self.record}] {self.match.describe()}"

    def json(self) -> dict:
        match = self.match
        return {
            "file": self.pasted.source,
            "line": self.pasted.line,
            "record": self.record,
            "style": match.style if match else None,
            "kind": match.kind if match else None,
            "closeness": round(match.closeness, 1) if match else None,
        }


def record_for(text: str, records: Sequence[Record]) -> Record | None:
    """The record a pasted citation comes from: the one whose DOI it gives, else the closest by title, first author
    and year (an in-text citation has no title: its first author and year decide)."""
    if len(records) == 1:
        return records[0]
    found = tokens(text)
    dois = {token.key for token in found if token.kind == "doi"}
    for record in records:
        if record.doi and "doi:" + record.doi.lower() in dois:
            return record
    flat = " ".join(token.key for token in found)
    words = [token.key for token in found if token.kind == "word"]
    numbers = {token.key for token in found if token.kind == "number"}
    best, best_score = None, 0.0
    for record in records:
        title = " ".join(token.key for token in tokens(_MARKUP.sub("", record.title or "")))
        # A title is looked for only in a text long enough to hold it.
        score = fuzz.partial_ratio(title, flat) if title and len(flat) >= len(title) else 0.0
        score = score if score >= 70 else 0.0
        named = [_named(person, words) for person in record.authors[:3]]
        if named and named[0]:
            score += 55 if score < 70 else 10
        elif any(named):  # another of the first authors: the names may be out of order
            score += 50 if score < 70 else 5
        year = record.issued and date_year(record.issued)
        if year is not None and str(year) in numbers:
            score += 20 if score < 70 else 5
        if score > best_score:
            best, best_score = record, score
    return best if best_score >= 50 else None


def _named(person: Person, words: list[str]) -> bool:
    """Whether a person's family name is among the words, maybe misspelt."""
    family = " ".join(_family_keys(person))
    size = family.count(" ") + 1
    return bool(family) and any(fuzz.ratio(family, " ".join(words[at : at + size])) >= 75 for at in range(len(words)))


def check_citations(
    pasted: Sequence[Pasted], records: Sequence[Record], checker: Checker
) -> Iterator[tuple[Report, list[tuple[Difference, int, int]]]]:
    """Each pasted citation's report and differences, each difference with its line and column in the source."""
    for item in pasted:
        record = record_for(item.text, records)
        if record is None:
            yield Report(item, None, None), []
            continue
        match = checker.compare(item.text, record)
        placed = []
        for difference in match.differences:
            offset = difference.column - 1
            line = item.line + item.text.count("\n", 0, offset)
            column = offset - (item.text.rfind("\n", 0, offset) + 1) + 1
            placed.append((difference, line, column))
        yield Report(item, record.id, match), placed
