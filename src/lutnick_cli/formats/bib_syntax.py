"""The syntax of .bib files, as bibtex and biber read it.

Entries of any type, in any case (`@ARTICLE`, `Author =`), delimited by braces
or parentheses; values in braces, in quotes, bare numbers or @string macros,
joined by `#`; the month macros `jan`…`dec`; @string, @preamble and @comment.
Line breaks and runs of spaces inside a value fold into one space, as bibtex
folds them. Text outside entries is a comment.

Macros defined in one file serve the files read after it in the same run
(`Definitions`), so a strings file can come first, as on bibtex's command line.
An undefined macro is kept as its name, with a warning, as bibtex keeps going.

`crossref` and `xdata` are resolved here too, once the whole file is read:
a child takes what it lacks from its parent, by biblatex's inheritance rules
(`_INHERITANCE`) and otherwise under the same field name, which is bibtex's
own rule. The values stay LaTeX: decoding them is the reader's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

# jan…dec as bibtex's standard styles define them; the reader turns them into month numbers.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


@dataclass(slots=True)
class Entry:
    """One entry: type and field names lower-cased, values as LaTeX with macros expanded."""

    kind: str
    key: str
    fields: dict[str, str]
    line: int
    # (field, message) for what was understood but looks wrong, in the order met.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    inherited: bool = False  # whether its crossref and xdata parents have been followed
    lines: dict[str, int] = field(default_factory=dict)  # the line each field of its own starts on


@dataclass(slots=True)
class Failure:
    """An entry that could not be read, and why."""

    line: int
    field: str
    message: str


@dataclass(slots=True)
class Definitions:
    """What one file leaves for the files read after it: @string macros, and entries to crossref."""

    macros: dict[str, str] = field(default_factory=lambda: {month[:3]: month.capitalize() for month in MONTHS})
    entries: dict[str, Entry] = field(default_factory=dict)
    # A macro whose own definition used undefined macros, and those: an entry using it is told.
    undefined: dict[str, list[str]] = field(default_factory=dict)
    # Pieces of files read in pieces (`accept`), in order: their entries join `entries` only when a
    # file read after them is parsed (`settle`), as most runs read one file and crossref nothing.
    deferred: list[Piece] = field(default_factory=list)


class _Unreadable(Exception):
    def __init__(self, message: str, field_name: str = ""):
        self.message = message
        self.field = field_name


# Real titles nest braces three or four deep; the LaTeX decoder recurses once per level.
MAX_DEPTH = 32
# A name: an entry type, a field, a macro. bibtex allows any printable character but these.
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
# Space between the parts of an entry, where a % starts a comment to the end of its line: biber
# and pandoc read a field commented out so (`%note = {...},`); bibtex would stop the entry there.
_SPACE = re.compile(r"(?:\s+|%[^\n]*)*")
# What starts an entry: @, its type and the brace or parenthesis that opens it.
_ENTRY_START = re.compile(r"@\s*([^\s\"#%'(),={}]+)\s*([{(])")
# What ends an entry after a field: the closing brace or parenthesis, perhaps after a comma.
_END = {"{": re.compile(r"\s*(?:,\s*)?\}"), "(": re.compile(r"\s*(?:,\s*)?\)")}
_KEY = {"{": re.compile(r"[^,\s}]*"), "(": re.compile(r"[^,\s)]*")}
# An escaped brace or quote (\{ \} \") is text: bibtex would count it, but the files other tools
# write (and pandoc and bibtexparser read) rely on it not counting.
_BRACE = re.compile(r'\\[{}"]|[{}]')
_QUOTE_OR_BRACE = re.compile(r'\\[{}"]|["{}]')
_FOLD = re.compile(r"[ \t\r\n\f\v]+")
# Where reading goes on after a broken entry: the next line that starts an entry.
_NEXT_ENTRY = re.compile(r"^[ \t]*@", re.MULTILINE)
_CLOSING = {"{": "}", "(": ")"}
# The field most entries are made of, read in one match: `, name = {value}` with braces nested at
# most three deep, or `, name = word` (a number or a macro), and no `#` after it. Any other shape
# (quotes, `#`, deeper braces, a syntax error) is read piece by piece, by the general path.
_BRACED_TEXT = r'(?:[^{}\\]++|\\[{}"]?)'
_COMMON_FIELD = re.compile(
    r"\s*,\s*([^\s\"#%'(),={}]++)\s*=\s*(?:\{((?:"
    + _BRACED_TEXT
    + r"|\{(?:"
    + _BRACED_TEXT
    + r"|\{"
    + _BRACED_TEXT
    + r"*+\})*+\})*+)\}|([^\s\"#%'(),={}]++))(?!\s*#)"
)


def parse(
    text: str, definitions: Definitions, start: int = 0, line: int = 1, seen: Iterable[str] = ()
) -> list[Entry | Failure]:
    """Every entry of a file, or the failure in its place, in file order; crossrefs resolved.

    `start` is where reading begins, on `line`, with `seen` the (case folded) keys read before it.
    """
    settle(definitions)
    reader = _Reader(text, definitions)
    reader.position = start
    reader._counted = (start, line)
    reader.seen.update(seen)
    results = reader.read()
    entries = [result for result in results if isinstance(result, Entry)]
    for entry in entries:
        definitions.entries.setdefault(entry.key.casefold(), entry)
    for entry in entries:
        _inherit(entry, definitions.entries)
    return results


# --- reading a large file in pieces ------------------------------------------------------------------
#
# Entries are independent of each other once the macros defined before each are known, unless one
# inherits from another (crossref, xdata) or groups others (@set, whose warning goes on the file's
# first record). A file without those is cut at lines that start with @ into pieces of whole entries,
# each read on its own, in order; a pass over the @string definitions alone gives each piece the
# macros defined before it. Where a cut fell inside an entry or a comment, the piece before it fails
# to read to its end; where a key repeats one of an earlier piece, no piece can tell: in both cases,
# and wherever the pieces' @string definitions are not those the pass read, `accept` refuses the
# piece and the file is read on from it in one piece, so that every result is what `parse` gives.

_SET = re.compile(r"@\s*set\s*[{(]")
_STRING_START = re.compile(r"@\s*string\s*([{(])", re.IGNORECASE)


def independent(text: str) -> bool:
    """Whether no entry of the file can take fields from another or group others."""
    # Names are read lower-cased; searching a lower-cased copy is ten times quicker than ignoring case.
    lowered = text.lower()
    return "crossref" not in lowered and "xdata" not in lowered and _SET.search(lowered) is None


@dataclass(slots=True)
class Piece:
    """A run of a file's text from one line that starts with @ to the next such cut, or the end."""

    start: int  # where it starts in the file
    line: int  # the line it starts on
    text: str
    # The macros defined before it, and those defined with undefined ones (`Definitions`).
    macros: dict[str, str]
    undefined: dict[str, list[str]]
    strings: list[int]  # where, in the piece, the pass read each @string definition
    last: bool


@dataclass(slots=True)
class PieceRead:
    """A piece's entries and failures, where it read each @string definition, and, for the last piece,
    the macros as the file leaves them; what `accept` weighs is kept apart from the results, so that
    a reader that hands the results on in another form can drop them."""

    results: list[Entry | Failure]
    strings: list[int]
    macros: dict[str, str] | None
    undefined: dict[str, list[str]] | None
    keys: list[str]  # of its entries, case folded
    failed: bool  # whether an entry failed to read


def pieces(text: str, definitions: Definitions, size: int) -> Iterator[Piece]:
    """The file in pieces of about `size` characters; `definitions` is left as it is."""
    # The pass reads the definitions with copies of the macros, so that each piece has those before it.
    known = Definitions(dict(definitions.macros), {}, dict(definitions.undefined))
    strings = _Reader(text, known)
    start, line = 0, 1
    read: list[int] = []
    macros, undefined = dict(known.macros), dict(known.undefined)
    while start < len(text):
        cut = _NEXT_ENTRY.search(text, start + size)
        end = cut.end() - 1 if cut else len(text)
        if read:  # pieces between two definitions share the macros, which none of them changes
            macros, undefined = dict(known.macros), dict(known.undefined)
        read = []
        for match in _STRING_START.finditer(text, start, end):
            strings.position = match.end()
            try:
                strings._string(match.group(1))
            except _Unreadable:
                continue  # the piece reads it too, and fails on it
            read.append(match.start() - start)
        yield Piece(start, line, text[start:end], macros, undefined, read, end == len(text))
        line += text.count("\n", start, end)
        start = end


def read_piece(piece: Piece) -> PieceRead:
    """A piece's entries, read as `parse` reads them, crossrefs aside (a piece has none)."""
    definitions = Definitions(dict(piece.macros), {}, dict(piece.undefined))  # the piece stays as it was
    reader = _Reader(piece.text, definitions, piece.line)
    results = reader.read()
    keys = [result.key.casefold() for result in results if isinstance(result, Entry)]
    failed = len(keys) < len(results)
    if piece.last:
        return PieceRead(results, reader.strings, definitions.macros, definitions.undefined, keys, failed)
    return PieceRead(results, reader.strings, None, None, keys, failed)


def accept(piece: Piece, read: PieceRead, definitions: Definitions, seen: set[str]) -> bool:
    """Whether a piece was read as reading the whole file reads it, given the keys `seen` before it.

    If so, it joins the definitions' deferred pieces and its keys `seen`, and after the last piece the
    file's macros are the definitions'. If not, the definitions' macros are put back to those before it.
    """
    keys = read.keys
    whole = piece.last or not read.failed
    if not whole or read.strings != piece.strings or any(key and key in seen for key in keys):
        definitions.macros.clear()
        definitions.macros.update(piece.macros)
        definitions.undefined.clear()
        definitions.undefined.update(piece.undefined)
        return False
    seen.update(key for key in keys if key)
    definitions.deferred.append(piece)
    if read.macros is not None and read.undefined is not None:
        definitions.macros.update(read.macros)
        definitions.undefined.update(read.undefined)
    return True


def settle(definitions: Definitions) -> None:
    """The entries of the deferred pieces in `definitions.entries`, as `parse` would have put them there."""
    for piece in definitions.deferred:
        for result in read_piece(piece).results:
            if isinstance(result, Entry):
                definitions.entries.setdefault(result.key.casefold(), result)
                result.inherited = True  # nothing to inherit: the file has no crossref or xdata
    definitions.deferred.clear()


def _match_at(pattern: re.Pattern[str], text: str, position: int) -> re.Match[str]:
    """The match at position of a pattern that may match nothing, and so always matches."""
    match = pattern.match(text, position)
    assert match is not None
    return match


class _Reader:
    def __init__(self, text: str, definitions: Definitions, first_line: int = 1):
        self.text = text
        self.macros = definitions.macros
        self.undefined = definitions.undefined
        self.seen: set[str] = set()  # the keys of this file's entries, case folded
        self.strings: list[int] = []  # where each @string definition read starts
        self.position = 0
        self.first_line = first_line  # the line the text starts on
        self._counted = (0, first_line)  # a position and its line, so that counting lines goes on from there

    def line(self, position: int) -> int:
        start, line = self._counted
        if position < start:
            start, line = 0, self.first_line
        line += self.text.count("\n", start, position)
        self._counted = (position, line)
        return line

    def read(self) -> list[Entry | Failure]:
        text = self.text
        results: list[Entry | Failure] = []
        while True:
            at = text.find("@", self.position)
            if at < 0:
                return results
            if text.find("%", text.rfind("\n", 0, at) + 1, at) >= 0:
                # An entry commented out (`% @misc{...`): biber and pandoc skip the line, as does this.
                end_of_line = text.find("\n", at)
                self.position = len(text) if end_of_line < 0 else end_of_line
                continue
            match = _ENTRY_START.match(text, at)
            if match is None:
                # An @ in a comment (an e-mail address): bibtex skips it too.
                self.position = at + 1
                continue
            written_kind, opening = match.groups()
            kind = written_kind.lower()
            line = self.line(at)
            self.position = match.end()
            try:
                if kind == "comment":
                    self._skip_group(opening)
                elif kind == "preamble":
                    self._value()
                    self._close(opening)
                elif kind == "string":
                    self._string(opening)
                    self.strings.append(at)
                else:
                    results.append(self._entry(kind, opening, line))
            except _Unreadable as problem:
                results.append(Failure(line, problem.field, problem.message))
                resume = _NEXT_ENTRY.search(text, at + 1)
                self.position = resume.start() if resume else len(text)

    def _skip_space(self) -> int:
        self.position = _match_at(_SPACE, self.text, self.position).end()
        return self.position

    def _expect(self, what: str) -> str:
        position = self._skip_space()
        if position >= len(self.text):
            raise _Unreadable("BibTeX syntax: Unexpectedly reached end of file.")
        char = self.text[position]
        if char not in what:
            raise _Unreadable(
                f"BibTeX syntax: expected {' or '.join(repr(c) for c in what)} at line "
                f"{self.line(position)}, found {char!r}"
            )
        self.position += 1
        return char

    def _close(self, opening: str) -> None:
        self._expect(_CLOSING[opening])

    def _skip_group(self, opening: str) -> None:
        closing = _CLOSING[opening]
        depth = 1
        text = self.text
        position = self.position
        while depth:
            next_position = min(
                (found for found in (text.find(opening, position), text.find(closing, position)) if found >= 0),
                default=-1,
            )
            if next_position < 0:
                raise _Unreadable("BibTeX syntax: Unexpectedly reached end of file.")
            depth += 1 if text[next_position] == opening else -1
            position = next_position + 1
        self.position = position

    def _string(self, opening: str) -> None:
        self._skip_space()
        match = _NAME.match(self.text, self.position)
        if not match:
            raise _Unreadable("BibTeX syntax: @string without a name")
        self.position = match.end()
        self._expect("=")
        value, undefined = self._value()
        self._close(opening)
        name = match.group().lower()
        self.macros[name] = value
        if undefined:
            self.undefined[name] = undefined

    def _entry(self, kind: str, opening: str, line: int) -> Entry:
        text = self.text
        closing = _CLOSING[opening]
        self._skip_space()
        key_match = _match_at(_KEY[opening], text, self.position)
        key = key_match.group()
        self.position = key_match.end()
        entry = Entry(kind, key, {}, line)
        folded = key.casefold()
        if folded and folded in self.seen:
            self._skip_group(opening)  # a repeated key is refused whole; reading goes on after its entry
            raise _Unreadable(f"duplicate entry key {key!r}")
        self.seen.add(folded)
        fields = entry.fields
        lines = entry.lines
        # Lines are counted on from the field before, here rather than by `line`: most fields are
        # common ones, and a call per field costs more than the counting.
        counted, counted_line = self._counted
        # The position is kept here while fields are common ones, and in self.position on the general path.
        position = self.position
        undefined: Sequence[str]
        while True:
            common = _COMMON_FIELD.match(text, position)
            if common is not None:
                written_name, value, word = common.groups()
                name = written_name.lower()
                start = common.start(1)
                line_of_field = counted_line + text.count("\n", counted, start)
                counted, counted_line = start, line_of_field
                position = common.end()
                if value is None:
                    undefined = []
                    value = self._word(word, undefined)
                else:
                    undefined = ()
                    if "\n" in value or "  " in value or "\t" in value or "\r" in value:
                        value = _FOLD.sub(" ", value)
            else:
                self._counted = (counted, counted_line)
                end = _END[opening].match(text, position)
                if end is not None:  # most entries end so: as the general path below ends them
                    self.position = end.end()
                    return entry
                self.position = position
                separator = self._expect("," + closing)
                if separator == closing:
                    return entry
                if self._skip_space() < len(text) and text[self.position] == closing:
                    self.position += 1
                    return entry
                name_match = _NAME.match(text, self.position)
                if not name_match:
                    found = text[self.position : self.position + 1] or "the end of the file"
                    raise _Unreadable(
                        f"BibTeX syntax: expected a field name at line {self.line(self.position)}, found {found!r}"
                    )
                name = name_match.group().lower()
                line_of_field = self.line(self.position)
                self.position = name_match.end()
                self._expect("=")
                value, undefined = self._value(name)
                counted, counted_line = self._counted
                position = self.position
            if name in fields:
                # bibtex and biber both keep the first value; the second is named so it is not lost unseen.
                entry.warnings.append(
                    (name, f"the field is given twice; the second value {value!r} is ignored, as bibtex ignores it")
                )
                continue
            fields[name] = value
            lines[name] = line_of_field
            for macro in undefined:
                entry.warnings.append((name, f"@string {macro!r} is not defined; kept as its name"))

    def _value(self, name: str = "") -> tuple[str, list[str]]:
        """One value: its pieces joined, whitespace folded, and the macros that were not defined."""
        text = self.text
        pieces: list[str] = []
        undefined: list[str] = []
        while True:
            position = self._skip_space()
            char = text[position : position + 1]
            if char == "{":
                pieces.append(self._delimited(position + 1, _BRACE, name))
            elif char == '"':
                pieces.append(self._delimited(position + 1, _QUOTE_OR_BRACE, name))
            elif char:
                match = _NAME.match(text, position)
                if not match:
                    raise _Unreadable(
                        f"BibTeX syntax: expected a value at line {self.line(position)}, found {char!r}", name
                    )
                self.position = match.end()
                pieces.append(self._word(match.group(), undefined))
            else:
                raise _Unreadable("BibTeX syntax: Unexpectedly reached end of file.", name)
            if self._skip_space() < len(text) and text[self.position] == "#":
                self.position += 1
                continue
            value = pieces[0] if len(pieces) == 1 else "".join(pieces)
            if "\n" in value or "  " in value or "\t" in value or "\r" in value:
                value = _FOLD.sub(" ", value)
            return value, undefined

    def _word(self, word: str, undefined: list[str]) -> str:
        """A bare number as itself, a macro as its text; one not defined as its name, added to `undefined`."""
        if word.isdigit():
            return word
        name = word.lower()
        macro = self.macros.get(name)
        if name in self.undefined:
            undefined.extend(self.undefined[name])
        if macro is None:
            undefined.append(word)
            return word
        return macro

    def _delimited(self, start: int, marks: re.Pattern[str], name: str) -> str:
        """The text of a braced or quoted piece starting at `start`; braces inside must balance."""
        text = self.text
        depth = 0
        position = start
        while True:
            match = marks.search(text, position)
            if match is None:
                raise _Unreadable("BibTeX syntax: Unexpectedly reached end of file.", name)
            char = match.group()
            position = match.end()
            if len(char) == 2:
                continue
            if char == "{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Unreadable(f"braces nested more than {MAX_DEPTH} deep", name)
            elif char == "}":
                if depth == 0:
                    if marks is _BRACE:
                        self.position = position
                        return text[start : position - 1]
                    raise _Unreadable(
                        f"BibTeX syntax: unbalanced '}}' in a quoted value at line {self.line(position)}", name
                    )
                depth -= 1
            elif depth == 0:  # the closing quote
                self.position = position
                return text[start : position - 1]


# --- crossref and xdata ------------------------------------------------------------------------------


# biblatex's default inheritance (its manual, appendix "Default Inheritance Setup"): for a parent
# type and a child type, the parent's field → the child's field. Fields not named here are
# inherited under their own name; those in _NOT_INHERITED never are.
def _titles(prefix: str) -> dict[str, str]:
    return {
        "title": f"{prefix}title",
        "subtitle": f"{prefix}subtitle",
        "titleaddon": f"{prefix}titleaddon",
        "shorttitle": "",
        "sorttitle": "",
        "indextitle": "",
        "indexsorttitle": "",
    }


_MAIN = _titles("main")
_BOOK = _titles("book")
_INHERITANCE: dict[tuple[str, str], dict[str, str]] = {}
for _parent_kinds, _child_kinds, _rules in (
    (("mvbook", "book"), ("inbook", "bookinbook", "suppbook"), _BOOK),
    (("mvbook",), ("book", "inbook", "bookinbook", "suppbook"), _MAIN),
    (
        ("mvcollection", "mvreference"),
        ("collection", "reference", "incollection", "inreference", "suppcollection"),
        _MAIN,
    ),
    (("collection", "reference"), ("incollection", "inreference", "suppcollection"), _BOOK),
    (("mvproceedings",), ("proceedings", "inproceedings"), _MAIN),
    (("proceedings",), ("inproceedings",), _BOOK),
    (
        ("periodical",),
        ("article", "suppperiodical"),
        {
            "title": "journaltitle",
            "subtitle": "journalsubtitle",
            "titleaddon": "journaltitleaddon",
            "shorttitle": "shortjournal",
            "sorttitle": "",
            "indextitle": "",
            "indexsorttitle": "",
        },
    ),
):
    for _parent_kind in _parent_kinds:
        for _child_kind in _child_kinds:
            _INHERITANCE[(_parent_kind, _child_kind)] = _rules
_NOT_INHERITED = frozenset(
    "ids crossref xref xdata entryset entrysubtype execute label options presort related relatedoptions "
    "relatedstring relatedtype shorthand shorthandintro sortinit sortkey".split()
)


def _inherit(entry: Entry, entries: dict[str, Entry], visiting: frozenset[str] = frozenset()) -> None:
    """Fill an entry from its xdata and crossref parents, which are filled first."""
    if entry.inherited:
        return
    entry.inherited = True
    visiting = visiting | {entry.key.casefold()}
    for key in _keys(entry.fields.get("xdata")):
        parent = _parent(entry, key, "xdata", entries, visiting)
        if parent is not None:
            # xdata passes every field on under its own name.
            for name, value in parent.fields.items():
                if name not in _NOT_INHERITED:
                    entry.fields.setdefault(name, value)
    key = entry.fields.get("crossref", "").strip()
    if not key:
        return
    parent = _parent(entry, key, "crossref", entries, visiting)
    if parent is None:
        return
    rules = _INHERITANCE.get((parent.kind, entry.kind), {})
    for name, value in parent.fields.items():
        if name in _NOT_INHERITED:
            continue
        target = rules.get(name, name)
        if target:
            entry.fields.setdefault(target, value)


def _keys(value: str | None) -> list[str]:
    return [key.strip() for key in (value or "").split(",") if key.strip()]


def _parent(
    entry: Entry, key: str, field_name: str, entries: dict[str, Entry], visiting: frozenset[str]
) -> Entry | None:
    parent = entries.get(key.casefold())
    if parent is None:
        entry.warnings.append((field_name, f"no entry {key!r} to inherit from"))
        return None
    if parent.key.casefold() in visiting:
        entry.warnings.append((field_name, f"{key!r} inherits from this entry in turn; the loop is not followed"))
        return None
    _inherit(parent, entries, visiting)
    return parent
