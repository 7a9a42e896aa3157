"""Text case (CSL 1.0.2, "Text-case", "Title case conversion").

citeproc-py's `model.TextCased.case` splits on spaces and re-joins with one
space (losing no-break spaces), capitalises a word only when its very first
character is a lower-case letter (so a word after a quotation mark or a font
mark stays lower case: “new Career”), treats a hyphenated compound as one word
(`Anti-trafficking`), and lower-cases `nocase` spans under `text-case="lowercase"`.
Its stop-word list is shorter than citeproc-js's, so `among`, `through`,
`during`, `about`, `up`, `down` ... were capitalised.

`TextCase.case` (a rule mixin, see engine/elements.py) replaces it with
`apply_case()`. Title case, as the spec and citeproc-js do it:
only English items (no `language`, or one starting with `en`) are converted;
a word all in lower case is capitalised unless it is a stop word; stop words
are lower-cased unless first, last, or after a colon, period, question or
exclamation mark; each part of a hyphenated compound is a word, the first
part always capitalised (`Out-of-Date`, `Anti-Trafficking`); words with
capitals elsewhere are left alone; `nocase` text is never touched.

Tests: tests/test_engine_textcase.py.
"""

from __future__ import annotations

import re
from functools import cache

from citeproc.string import MixedString, NoCase, String

from lutnick_cli.citation.engine.lazy import cached_property

# Articles, conjunctions and prepositions that stay lower case in English
# title case (the list citeproc-js uses), and the name particles it keeps
# lower case in titles ("John von Doe", "de l’Égypte moderne").
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "afore",
        "after",
        "against",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "an",
        "and",
        "anenst",
        "apropos",
        "apud",
        "around",
        "as",
        "aside",
        "astride",
        "at",
        "athwart",
        "atop",
        "barring",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "but",
        "by",
        "circa",
        "despite",
        "down",
        "during",
        "except",
        "for",
        "forenenst",
        "from",
        "given",
        "in",
        "inside",
        "into",
        "lest",
        "like",
        "modulo",
        "near",
        "next",
        "nor",
        "notwithstanding",
        "of",
        "off",
        "on",
        "onto",
        "or",
        "out",
        "over",
        "per",
        "plus",
        "pro",
        "qua",
        "sans",
        "since",
        "so",
        "than",
        "the",
        "through",
        "thru",
        "throughout",
        "thruout",
        "till",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "versus",
        "via",
        "vis-à-vis",
        "vs",
        "vs.",
        "v",
        "v.",
        "with",
        "within",
        "without",
        "yet",
        "de",
        "d'",
        "d’",
        "van",
        "von",
    ]
)

_WORD = re.compile(r"\S+")
# A word's parts between hyphens and slashes, the runs of them kept (`_hyphen_parts`). A class reaching
# past U+00FF takes `re` a quarter of a millisecond to compile, so the Unicode dashes have a pattern of
# their own, compiled when a word has one.
_ASCII_HYPHEN_PARTS = re.compile(r"([\-/]+)")


@cache
def _unicode_hyphen_parts() -> re.Pattern[str]:
    return re.compile(r"([\-\u2010\u2011\u2013\u2014/]+)")


def _hyphen_parts(word: str) -> list[str]:
    """`word` split at runs of hyphens, Unicode dashes (U+2010, U+2011, U+2013, U+2014) and slashes, the runs
    kept. Test: tests/test_cold_patterns.py::test_a_word_is_split_at_hyphens_as_one_pattern_splits_it."""
    if word.isascii() or not ("\u2010" in word or "\u2011" in word or "\u2013" in word or "\u2014" in word):
        return _ASCII_HYPHEN_PARTS.split(word)
    return _unicode_hyphen_parts().split(word)


_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_SENTENCE_END = ":.?!"


@cache
def _opening() -> re.Pattern[str]:
    """The quotes and marks a word opens with, compiled when first used (title case)."""
    return re.compile("^[\"'\u2018\u2019\u201c\u201d\u00ab\u201e\ufdd0-\ufdef\ufffe\uffff]*")


def _capitalize(word: str) -> str:
    """Capitalise a word's first letter, looking past opening quotes and marks only (not `{`, `#`, `$`...)."""
    opening = _opening().match(word)
    assert opening is not None  # it may match nothing, so it always matches
    index = opening.end()
    if index >= len(word) or not word[index].isalpha() or not _latin(word[index]):
        return word  # English title case leaves other scripts alone (β-Blockers)
    return word[:index] + word[index].upper() + word[index + 1 :]


def _latin(char: str) -> bool:
    import unicodedata

    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def _core(word: str) -> str:
    """The word without surrounding punctuation, quotes or marks, lower-cased for stop-word look-up."""
    return re.sub(r"^[^\w]+|[^\w.]+$", "", word).lower()


def title_case(text: str, protected: list[bool]) -> str:
    chars = list(text)
    words = list(_WORD.finditer(text))
    previous_end = ""
    for index, match in enumerate(words):
        word = match.group()
        first = index == 0 or (previous_end and previous_end[-1] in _SENTENCE_END)
        last = index == len(words) - 1
        stripped = re.sub(r"[^\w.:?!]+$", "", word)
        previous_end = stripped[-1:] if stripped else ""
        position = match.start()
        pieces = _hyphen_parts(word)
        for piece_index, piece in enumerate(pieces):
            start = position
            position += len(piece)
            if piece_index % 2 or not _LETTERS.search(piece):
                continue
            if any(protected[start:position]):
                continue
            core = _core(piece)
            is_stop = core in STOP_WORDS
            leading_part = piece_index == 0
            if piece_index > 0 and len(piece) == 1:
                continue  # a single letter after a hyphen stays as it is ("type 07-x")
            if piece == piece.lower():
                if (
                    is_stop
                    and not (first and leading_part)
                    and not (last and piece_index == len(pieces) - 1)
                    and not (leading_part and len(pieces) > 1)
                ):
                    continue
                new = _capitalize(piece)
            elif is_stop and not first and not last and piece[1:] == piece[1:].lower() and len(pieces) == 1:
                new = piece.lower()
            else:
                continue
            chars[start:position] = list(new)
    return "".join(chars)


def _flatten(text) -> tuple[str, list[bool], list[tuple[type, int]]]:  # type: ignore[no-untyped-def]
    segments = list(text) if isinstance(text, MixedString) else [text]
    plain, protected, layout = "", [], []
    for segment in segments:
        value = str(segment)
        plain += value
        protected += [isinstance(segment, NoCase)] * len(value)
        layout.append((NoCase if isinstance(segment, NoCase) else String, len(value)))
    return plain, protected, layout


def _rebuild(plain: str, layout: list[tuple[type, int]]):  # type: ignore[no-untyped-def]
    output, position = [], 0
    for kind, length in layout:
        output.append(kind(plain[position : position + length]))
        position += length
    if len(output) == 1 and output[0].__class__ is String:
        return output[0]
    return MixedString(output)


@cache
def _first_word() -> re.Pattern[str]:
    """The first word of a text past spaces, quotes and marks, compiled when first used (`capitalize-first`)."""
    return re.compile("[\\s\"'\u2018\u2019\u201c\u201d\u00ab\u201e\ufdd0-\ufdef\ufffe\uffff]*(\\S*)")


def _capitalize_first(plain: str, protected: list[bool]) -> str:
    """`capitalize-first` as citeproc-js applies it: the first character of the first word is upper-cased,
    unless that word already has a capital (`arXiv:1810.04805`) or starts with a digit (`2nd Vintage Books`,
    not `2Nd`). Leading spaces, quotation marks and font marks are looked past.
    """
    match = _first_word().match(plain)
    assert match is not None  # it may match nothing, so it always matches
    word, index = match.group(1), match.start(1)
    if not word or word != word.lower() or protected[index] or not word[0].isalpha():
        return plain
    return plain[:index] + plain[index].upper() + plain[index + 1 :]


def _map(plain: str, protected: list[bool], function) -> str:  # type: ignore[no-untyped-def]
    return "".join(char if keep else function(char) for char, keep in zip(plain, protected))


class TextCase:
    """Rule mixin for every element with a `text-case` (citeproc-py's `TextCased`)."""

    def case(self, text, language=None):  # type: ignore[no-untyped-def]
        """Overrides `model.TextCased.case` (replaced, see the module docstring). Title case, the costly
        one, is worked out once per element for each text it is given (`titled`)."""
        text_case = self.text_case
        if text_case is None:
            return text
        if text_case == "title":
            return _titled(self.titled, text, language)
        return apply_case(text_case, text, language)

    @cached_property
    def titled(self) -> dict:
        """The title-cased texts made so far, by language and text (see `_titled`)."""
        return {}

    @cached_property
    def text_case(self) -> str | None:
        """The element's `text-case`, or None: read once."""
        return self.get("text-case")  # type: ignore[attr-defined]


# How many title-cased texts an element keeps (`TextCase.titled`); beyond, it starts again.
_TITLED_KEPT = 4_096


def _titled(memo: dict, text, language):  # type: ignore[no-untyped-def]
    """`apply_case("title", text, language)`, kept in `memo` by language and text, segment by segment.

    A container title recurs across entries (a journal's name in every one of
    its articles), and title case walks each word of it with several
    patterns. Kept only where the answer is made afresh from the text's
    characters and segment kinds alone: an English item's String, or a
    MixedString of Strings and NoCase segments (no other kind, no nesting);
    the text a language other than English gets back is the text itself, so
    it is never kept. A kept MixedString is handed out as a copy of its list,
    as a fresh one would be (its segments are immutable strings).
    Test: tests/test_engine_textcase.py::test_title_case_kept_per_element_is_title_case.
    """
    if language not in (None, "en") and not str(language).startswith("en"):
        return apply_case("title", text, language)
    kind = type(text)
    if kind is String:
        key: tuple | None = (language, str(text))
    elif kind is MixedString and all(type(segment) in (String, NoCase) for segment in text):
        key = (language, tuple((type(segment), str(segment)) for segment in text))
    else:
        key = None
    try:
        found = memo.get(key) if key is not None else None
    except TypeError:  # a language that cannot be a key (not from CSL-JSON): cased every time
        key = None
    if key is None:
        return apply_case("title", text, language)
    if found is None:
        if len(memo) >= _TITLED_KEPT:
            memo.clear()
        found = memo[key] = apply_case("title", text, language)
    return MixedString(found) if type(found) is MixedString else found


def apply_case(text_case: str | None, text, language=None):  # type: ignore[no-untyped-def]
    """`text` in the CSL text case `text_case` (None: as it is), for an item in `language`."""
    if text_case is None or text is None:
        return text
    if isinstance(text, (int, float)) or not isinstance(text, (String, MixedString)):
        text = String(str(text))
    plain, protected, layout = _flatten(text)
    if text_case == "lowercase":
        plain = _map(plain, protected, str.lower)
    elif text_case == "uppercase":
        if str(language or "")[:2] in ("tr", "az"):  # Turkish and Azeri: dotted i → İ
            plain = _map(plain, protected, lambda char: "\u0130" if char == "i" else char)
        plain = _map(plain, protected, str.upper)
    elif text_case == "capitalize-first":
        plain = _capitalize_first(plain, protected)
    elif text_case == "capitalize-all":
        chars = list(plain)
        for match in _WORD.finditer(plain):
            letter = _LETTERS.search(match.group())
            if letter and not protected[match.start() + letter.start()]:
                index = match.start() + letter.start()
                chars[index] = chars[index].upper()
        plain = "".join(chars)
    elif text_case == "title":
        if language not in (None, "en") and not str(language).startswith("en"):
            return text
        plain = title_case(plain, protected)
    elif text_case == "sentence":
        upper = plain.upper() == plain
        chars = list(plain)
        for match in _WORD.finditer(plain):
            word = match.group()
            if upper or word != word.upper():
                for index in range(match.start(), match.end()):
                    if not protected[index]:
                        chars[index] = chars[index].lower()
        plain = "".join(chars)
        first_letter = _LETTERS.search(plain)
        if first_letter and not protected[first_letter.start()]:
            at = first_letter.start()
            plain = plain[:at] + plain[at].upper() + plain[at + 1 :]
    return _rebuild(plain, layout)
