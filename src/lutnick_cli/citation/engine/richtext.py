"""Quotes, punctuation and in-field markup (CSL 1.0.2, "Quotes", "Punctuation in quote", "Rich text markup").

citeproc-py inserts quotation marks as plain characters when a `cs:text`
has `quotes="true"`, treats field values as plain text apart from
`<span class="nocase">`, and never moves punctuation into quotes. Here, a
quotation is instead bracketed by two reserved noncharacters, like the font
marks of `lutnick_cli.citation.markup`, and the finished citation or entry is
resolved in one pass (`resolve()`), which

- picks outer or inner quotation marks by nesting depth (“…‘…’…”),
- moves a following period or comma inside the closing quotation mark when
  the locale sets `punctuation-in-quote`,
- flips italic, bold and small caps back to normal inside themselves, as
  citeproc-js does (`<i>A <i>B</i></i>` prints B upright),
- drops a period that would double one already printed before a closing
  mark (`et al.</i>.`, `J.</sc>.`).

Field values are parsed by `parse_field()`: the HTML-like tags CSL-JSON
allows (`<i>`, `<b>`, `<sup>`, `<sub>`, `<sc>`, small-caps and `nocase` /
`nodecor` spans), straight quotes used as quotation marks, and apostrophes,
which become typographic (O'Brien → O’Brien).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from citeproc import model
from citeproc.source import Name, VariableError
from citeproc.string import MixedString, NoCase, String

from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.markup import MARKS

QUOTE_OPEN = "\ufdea"
QUOTE_CLOSE = "\ufdeb"
# Quotation marks typed in a cite's prefix or suffix: nested like the others, but
# punctuation-in-quote does not pull the user's own punctuation into them.
INERT_QUOTE_OPEN = "\ufdee"
INERT_QUOTE_CLOSE = "\ufdef"
NODECOR_OPEN = "\ufdec"
NODECOR_CLOSE = "\ufded"
# Right after a field's outermost opening quote mark, which quotation marks it
# takes when nothing encloses it (citeproc-js): INNER_HINT, the inner ones (a
# straight quote of the other kind than the field's first straight quote);
# CURLY_HINT, the inner ones where the locale's inner quotes open with “ (en-GB).
# Without a hint, the outer ones. (U+FFFE and U+FFFF, refused in records too.)
INNER_HINT = "\ufffe"
CURLY_HINT = "\uffff"
QUOTE_HINTS = INNER_HINT + CURLY_HINT

_FONT_OPEN = {MARKS[f][0]: f for f in MARKS}
_FONT_CLOSE = {MARKS[f][1]: f for f in MARKS}
# A feature and the one that switches it off inside itself.
_FLIP = {"italic": "roman", "bold": "normal-weight", "small-caps": "normal-variant"}
_UNFLIP = {value: key for key, value in _FLIP.items()}
ALL_MARKS = (
    set(_FONT_OPEN)
    | set(_FONT_CLOSE)
    | {
        QUOTE_OPEN,
        QUOTE_CLOSE,
        NODECOR_OPEN,
        NODECOR_CLOSE,
        INERT_QUOTE_OPEN,
        INERT_QUOTE_CLOSE,
        INNER_HINT,
        CURLY_HINT,
    }
)
_MARK_RE = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")


def strip_marks(text: str) -> str:
    return _MARK_RE.sub("", text)


# Field values


@cache
def _tag_pattern() -> re.Pattern[str]:
    """A tag of CSL-JSON's rich text, compiled when first used (by a value with a `<` in it)."""
    return re.compile(
        r"<(/?)(i|b|sup|sub|sc)>|<span\s+(class|style)=\"([^\"]*)\"\s*>|</span>",
        re.IGNORECASE,
    )


def tag_matches(text: str) -> Iterator[re.Match[str]]:
    """The tags in a value: none without a `<`, with which every tag opens, so most values (quotation marks
    and apostrophes, no tags) are answered without the pattern.
    Test: tests/test_engine_richtext.py::test_tag_matches_finds_what_the_tag_pattern_finds."""
    return _tag_pattern().finditer(text) if "<" in text else iter(())


_SPAN_KINDS = {
    "nocase": "nocase",
    "nodecor": "nodecor",
    "font-variant:small-caps;": "small-caps",
    "font-variant:small-caps": "small-caps",
    "font-style:italic;": "italic",
    "font-weight:bold;": "bold",
}
_TAG_KINDS = {"i": "italic", "b": "bold", "sup": "superscript", "sub": "subscript", "sc": "small-caps"}


def _tokens(text: str) -> list[tuple[str, str]]:
    """Text as (kind, value) tokens: ("text", s), ("open", kind), ("close", kind); unmatched tags stay text."""
    raw: list[list] = []
    position = 0
    for match in tag_matches(text):
        if match.start() > position:
            raw.append(["text", text[position : match.start()]])
        if match.group(2):
            kind = _TAG_KINDS[match.group(2).lower()]
            raw.append(["close" if match.group(1) else "open", kind, match.group()])
        elif match.group(3):
            value = match.group(4).replace(" ", "").lower()
            span_kind = _SPAN_KINDS.get(value)
            raw.append(["open", span_kind, match.group()] if span_kind else ["text", match.group()])
        else:
            raw.append(["close", "span", match.group()])
        position = match.end()
    if position < len(text):
        raw.append(["text", text[position:]])
    # match opening and closing tags; what does not match is literal text
    stack: list[int] = []
    for index, token in enumerate(raw):
        if token[0] == "open":
            stack.append(index)
        elif token[0] == "close":
            for depth in range(len(stack) - 1, -1, -1):
                opener = raw[stack[depth]]
                if opener[1] == token[1] or (token[1] == "span" and opener[2].lower().startswith("<span")):
                    token[1] = opener[1]
                    token.append("matched")
                    opener.append("matched")
                    for unmatched in stack[depth + 1 :]:
                        raw[unmatched][0] = "text"
                    del stack[depth:]
                    break
            else:
                token[0] = "text"
    for index in stack:
        raw[index][0] = "text"
    return [(token[0], token[2] if token[0] == "text" and len(token) > 2 else token[1]) for token in raw]


# citeproc-js leaves the case of text in small caps, superscript, subscript and nodecor spans alone.
_IMPLICIT_NOCASE = {"small-caps", "superscript", "subscript", "nodecor"}
_OPENING_CONTEXT = set(" \t\n([{\u00a0/-\u2014\u2013\u201c\u2018") | {QUOTE_OPEN, INERT_QUOTE_OPEN}
_SINGLE_QUOTES = "'\u2018\u2019"


def _quotes(chars: list[str], opening: str = QUOTE_OPEN, closing: str = QUOTE_CLOSE) -> list[str]:
    """Straight (and curly double) quotes used as quotation marks become quote marks; apostrophes become ’.

    As in citeproc-js, the field's outermost quotations keep their own level
    (hints, see INNER_HINT), and a quotation directly followed by punctuation
    in the field itself is inert: that punctuation is the author's, and
    nothing moves into the quotation or merges with it (`“A ‘new normal’?”:`).
    """

    def before(index: int) -> str:
        while index > 0:
            index -= 1
            if chars[index] not in _FONT_OPEN and chars[index] not in (NODECOR_OPEN,):
                return chars[index]
        return " "

    def after(index: int) -> str:
        while index < len(chars) - 1:
            index += 1
            if chars[index] not in _FONT_CLOSE and chars[index] not in (NODECOR_CLOSE,):
                return chars[index]
        return " "

    result = list(chars)
    stack: list[tuple[str, int]] = []
    hints: dict[int, str] = {}
    first_straight = None
    for index, char in enumerate(chars):
        if char not in "\"'\u201c\u201d\u2018\u2019":
            continue
        if char in "\u2018\u2019" and not any(k == "double" for k, _ in stack):
            continue  # curly single quotes are quotation marks only inside a field's own double quotes
        previous, following = before(index), after(index)
        kind = "double" if char in '"\u201c\u201d' else "single"
        if kind == "single" and previous.isalnum() and following.isalnum():
            result[index] = "\u2019"
            continue
        opens = (
            (previous in _OPENING_CONTEXT or previous == " ") and not following.isspace() and char not in "\u201d\u2019"
        )
        closes = not previous.isspace() and char not in "\u201c\u2018" and any(k == kind for k, _ in stack)
        if closes and not (following.isalnum() and opens):
            while stack:
                open_kind, open_index = stack.pop()
                if open_kind == kind:
                    inert = following in ".,;:!?" and opening == QUOTE_OPEN
                    result[open_index] = (INERT_QUOTE_OPEN if inert else opening) + hints.get(open_index, "")
                    result[index] = INERT_QUOTE_CLOSE if inert else closing
                    break
            continue
        if opens:
            if not stack:
                if char in "\"'":
                    first_straight = first_straight or char
                    if char != first_straight:
                        hints[index] = INNER_HINT
                elif char == "\u201c":
                    hints[index] = CURLY_HINT
            stack.append((kind, index))
            continue
        if kind == "single":
            result[index] = "\u2019" if char == "'" else char
    for kind, index in stack:
        if kind == "single":
            result[index] = "\u2019" if chars[index] == "'" else chars[index]
    return result


# Without these a value has no tags and no quotation marks or apostrophes to read: `<`, `"` or `'`,
# or a curly quotation mark, looked for only in a value beyond ASCII. (One character class of all
# seven took `re` half a millisecond to compile at every start, as any class reaching past U+00FF does.)
_MARKUP_OR_ASCII_QUOTE = re.compile("[<\"']")


def _has_curly_quote(text: str) -> bool:
    return "\u2019" in text or "\u2018" in text or "\u201c" in text or "\u201d" in text


def parse_field(text: str, inert_quotes: bool = False):  # type: ignore[no-untyped-def]
    """A CSL-JSON string value as citeproc-py's (Mixed)String, with its markup as marks.

    With `inert_quotes` (a cite's own prefix or suffix), its quotation marks do
    not take in punctuation that follows them.
    """
    if text and not _MARKUP_OR_ASCII_QUOTE.search(text) and (text.isascii() or not _has_curly_quote(text)):
        return String(text)  # most values: what the steps below would make of them, at a fraction of the cost
    chars: list[str] = []
    nocase_flags: list[bool] = []
    nocase = 0
    kinds: list[str] = []
    for kind, value in _tokens(text):
        if kind == "text":
            chars.extend(value)
            nocase_flags.extend([nocase > 0] * len(value))
        elif kind == "open":
            kinds.append(value)
            if value == "nocase":
                nocase += 1
            else:
                if value in _IMPLICIT_NOCASE:
                    nocase += 1
                chars.append(NODECOR_OPEN if value == "nodecor" else MARKS[value][0])
                nocase_flags.append(nocase > 0)
        else:
            if value == "nocase":
                nocase -= 1
            else:
                if value in _IMPLICIT_NOCASE:
                    nocase -= 1
                chars.append(NODECOR_CLOSE if value == "nodecor" else MARKS[value][1])
                nocase_flags.append(nocase > 0)
    chars = _quotes(chars, *((INERT_QUOTE_OPEN, INERT_QUOTE_CLOSE) if inert_quotes else (QUOTE_OPEN, QUOTE_CLOSE)))
    output = MixedString()
    segment: list[str] = []
    current = None
    for char, flag in zip(chars, nocase_flags):
        if flag is not current and segment:
            output.append((NoCase if current else String)("".join(segment)))
            segment = []
        current = flag
        segment.append(char)
    if segment:
        output.append((NoCase if current else String)("".join(segment)))
    segments = list(output)  # MixedString's own indexing is by character
    if len(segments) == 1 and not isinstance(segments[0], NoCase):
        return segments[0]
    return output


# Finishing a citation or an entry


@lru_cache(maxsize=64)
def _quote_terms(root) -> tuple[tuple[str, str], tuple[str, str], bool]:  # type: ignore[no-untyped-def]
    def term(name: str, fallback: str) -> str:
        value = str(root.get_single_term(name) or "")
        return value or fallback

    outer = (term("open-quote", "\u201c"), term("close-quote", "\u201d"))
    inner = (term("open-inner-quote", "\u2018"), term("close-inner-quote", "\u2019"))
    piq = (root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    return outer, inner, piq


# Plain text between marks, as the tokens `resolve()` works on: each punctuation mark the punctuation
# rules look at alone, and runs of white space and of other characters whole. The rules read a token's
# value only as a punctuation mark, as white space, or as neither, so a run answers as each of its
# characters would, and an entry of a few hundred characters is a few dozen tokens, not hundreds.
_PLAIN_RUNS = re.compile(r"[.:;!?,]|\s+|[^.:;!?,\s]+")


def resolve(text: str, root) -> str:  # type: ignore[no-untyped-def]
    """Resolve quote marks, flip-flopped fonts and punctuation of one finished citation or entry."""
    if not _MARK_RE.search(text) and not _MERGING_PAIR.search(text):
        return text
    outer, inner, piq = _quote_terms(root)
    tokens: list[tuple[str, str]] = []  # ("c", plain run) | ("m", font mark) | ("qo"/"qc", quote text)
    # (kind, the font feature or closing quote, the features a nodecor span turned off)
    stack: list[tuple[str, str, tuple[str, ...]]] = []
    effective: list[str] = []
    levels: list[int] = []  # of the open quotations: 0 outer, 1 inner

    def active(feature: str) -> bool:
        for name in reversed(effective):
            if name == feature:
                return True
            if _UNFLIP.get(name) == feature:
                return False
        return False

    position = 0
    for found in _MARK_RE.finditer(text):
        # the plain text up to the next mark as it is; only marks need the steps below
        start = found.start()
        if start > position:
            tokens += [("c", run) for run in _PLAIN_RUNS.findall(text, position, start)]
        position = start + 1
        char = found.group()
        if char in _FONT_OPEN:
            feature = _FONT_OPEN[char]
            if feature in _UNFLIP and not active(_UNFLIP[feature]):
                stack.append(("silent", feature, ()))  # a style's "normal" with nothing to undo prints nothing
                continue
            if feature in _FLIP and active(feature):
                feature = _FLIP[feature]
            effective.append(feature)
            stack.append(("font", feature, ()))
            tokens.append(("m", MARKS[feature][0]))
        elif char in _FONT_CLOSE or char in (NODECOR_CLOSE, QUOTE_CLOSE, INERT_QUOTE_CLOSE):
            if not stack:
                continue
            kind, value, turned_off = stack.pop()
            if kind == "silent":
                continue
            if kind == "font":
                effective.pop()
                tokens.append(("m", MARKS[value][1]))
            elif kind == "nodecor":
                for feature in reversed(turned_off):
                    effective.pop()
                    tokens.append(("m", MARKS[feature][1]))
            else:
                levels.pop()
                tokens.append(("qc" if kind == "quote" else "qi", value))
        elif char == NODECOR_OPEN:
            flipped = [_FLIP[f] for f in _FLIP if active(f)]
            for feature in flipped:
                effective.append(feature)
                tokens.append(("m", MARKS[feature][0]))
            stack.append(("nodecor", "", tuple(flipped)))
        elif char in (QUOTE_OPEN, INERT_QUOTE_OPEN):
            # a quotation inside another takes the other level; an outermost one its own
            level = 1 - levels[-1] if levels else 0
            levels.append(level)
            opening, closing = inner if level else outer
            stack.append(("quote" if char == QUOTE_OPEN else "inert-quote", closing, ()))
            tokens.append(("qo", opening))
        elif char in QUOTE_HINTS:
            if len(levels) == 1 and tokens and tokens[-1][0] == "qo":
                level = 1 if char == INNER_HINT or (inner[0] == "\u201c" and outer[0] != "\u201c") else 0
                levels[-1] = level
                opening, closing = inner if level else outer
                stack[-1] = (stack[-1][0], closing, ())
                tokens[-1] = ("qo", opening)
        else:
            tokens.append(("c", char))
    tokens += [("c", run) for run in _PLAIN_RUNS.findall(text, position)]
    # unclosed marks are closed at the end
    while stack:
        kind, value, turned_off = stack.pop()
        if kind == "silent":
            continue
        if kind == "font":
            tokens.append(("m", MARKS[value][1]))
        elif kind == "nodecor":
            for feature in reversed(turned_off):
                tokens.append(("m", MARKS[feature][1]))
        else:
            tokens.append(("qc" if kind == "quote" else "qi", value))
    # The first two steps change only punctuation that, marks set aside, follows punctuation it
    # merges with; the last, only punctuation after a quotation. Most entries have neither.
    if _MERGING_PAIR.search(_MARK_RE.sub("", text)):
        tokens = _drop_doubled_periods(tokens)
        tokens = _merge_punctuation(tokens)  # first, so that what moves into a quote is already merged
    if piq and QUOTE_OPEN in text:
        tokens = _punctuation_into_quotes(tokens)
    return "".join(value for _, value in tokens)


def _previous_char(tokens: list[tuple[str, str]], index: int) -> tuple[int, bool]:
    """Index of the last character before `index`, and whether marks lie between."""
    crossed = False
    index -= 1
    while index >= 0 and tokens[index][0] != "c" and tokens[index][0] != "qo":
        crossed = True
        index -= 1
    return index, crossed


def _punctuation_into_quotes(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """CSL: with punctuation-in-quote, a period or comma after a closing quote moves inside it
    (citeproc-js moves `!` and `?` too; a period after `.`, `!` or `?` is dropped)."""
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if kind == "c" and value in ".,!?" and index > 0 and _closing_run_has_quote(tokens, index):
            start = index - 1
            while start > 0 and tokens[start - 1][0] in ("qc", "m") and not _is_open_mark(tokens[start - 1]):
                start -= 1
            # the punctuation goes inside the innermost quotation
            first_quote = next(i for i in range(start, index) if tokens[i][0] == "qc")
            before, _ = _previous_char(tokens, first_quote)
            del tokens[index]
            if not (value == "." and before >= 0 and tokens[before][0] == "c" and tokens[before][1] in ".!?"):
                tokens.insert(first_quote, ("c", value))
                index += 1
            continue
        index += 1
    return tokens


def _closing_run_has_quote(tokens: list[tuple[str, str]], index: int) -> bool:
    """Whether the closing marks right before `index` include a closing quote (`“A”</i>.`)."""
    index -= 1
    while index >= 0 and (tokens[index][0] == "qc" or (tokens[index][0] == "m" and not _is_open_mark(tokens[index]))):
        if tokens[index][0] == "qc":
            return True
        index -= 1
    return False


def _is_open_mark(token: tuple[str, str]) -> bool:
    return token[0] == "m" and token[1] in _FONT_OPEN


# citeproc-js's rule for two punctuation marks meeting at a seam (the second
# one followed by a space or the end): drop the second, or let it replace the first.
_DROP_SECOND = {
    (";", ":"), ("!", ":"), ("?", ":"), (":", ":"),
    (":", "."), (";", "."), ("!", "."), ("?", "."), (".", "."),
    (";", ";"), ("!", "!"), ("?", "?"), (",", ","),
}  # fmt: skip
_REPLACE_FIRST = {(":", "!"), (";", "!"), (":", "?"), (";", "?")}
# Two marks the rules above merge, one right after the other (the doubled periods dropped are among them):
# text without such a pair anywhere is left as it is (`et al.,` in every cite of three authors has none).
_MERGING_PAIR = re.compile("|".join(re.escape(first + second) for first, second in _DROP_SECOND | _REPLACE_FIRST))


def _merge_punctuation(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    output: list[tuple[str, str]] = []
    for index, token in enumerate(tokens):
        if token[0] == "c" and token[1] in ".:;!?," and _ends_word(tokens, index):
            previous, _ = _previous_char(output, len(output))
            # not across an inert quotation's end: `“Who?”:` as typed in a field
            if (
                previous >= 0
                and output[previous][0] == "c"
                and not any(kind == "qi" for kind, _ in output[previous + 1 :])
            ):
                pair = (output[previous][1], token[1])
                if pair in _DROP_SECOND:
                    continue
                if pair in _REPLACE_FIRST:
                    output[previous] = token
                    continue
        output.append(token)
    return output


def _ends_word(tokens: list[tuple[str, str]], index: int) -> bool:
    """Whether only marks lie between tokens[index] and the next space (or the end)."""
    index += 1
    while index < len(tokens) and tokens[index][0] in ("m", "qc"):
        index += 1
    return index >= len(tokens) or (tokens[index][0] == "c" and tokens[index][1].isspace())


def _drop_doubled_periods(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    output: list[tuple[str, str]] = []
    for token in tokens:
        if token == ("c", "."):
            index, crossed = _previous_char(output, len(output))
            if index >= 0 and output[index][0] == "c":
                previous = output[index][1]
                if previous in "?!" or (previous == "." and crossed):
                    continue
        output.append(token)
    return output


# Font style and script


# The scripts citeproc-js italicises (its "romanesque" characters: digits, the
# hyphen, Latin, Greek, Cyrillic, Hebrew, Arabic and Thai letters, a few
# direction and joining marks). A text with none of them (CJK) keeps its
# own `font-style` off.
@cache
def _romanesque() -> re.Pattern[str]:
    """A character of a script citeproc-js italicises, compiled when first used (an italic string)."""
    return re.compile(
        "[-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
        "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e]"
    )


class ScriptAwareFontStyle:
    """Rule mixin for every formatted element (citeproc-py's `Formatted`)."""

    def font_style(self, text):  # type: ignore[no-untyped-def]
        """Overrides `Formatted.font_style`: no italic (or oblique) on a text in none of the scripts italics suit.

        citeproc-js drops the `font-style` of a single printed string (a `cs:text`
        variable, value or term, a `cs:number`, a `cs:label`) that has no Latin,
        Greek, Cyrillic, Hebrew, Arabic or Thai letter and no digit: Chinese,
        Japanese and Korean journal titles print upright (`心理学报`, not
        `<i>心理学报</i>`). A group's or macro's font style still applies.
        An explicit `font-style="normal"` is a "roman" mark, which `resolve()`
        turns into upright text inside italics and drops elsewhere.
        Test: tests/test_engine_quotes.py.
        """
        style = self.attributes.get("font-style")
        if style == "normal":
            # an explicit "normal" undoes an enclosing italic; resolve() drops it where there is none
            return String(MARKS["roman"][0]) + text + String(MARKS["roman"][1]) if text else text
        if style is None:
            return text
        if (
            isinstance(self, (model.Number, model.Label))
            or (isinstance(self, model.Text) and "macro" not in self.attributes)
        ) and not _romanesque().search(str(text)):
            return text
        return super().font_style(text)


# Rule mixins (composed in engine/elements.py)


class QuoteMarks:
    """Rule mixin for every element with `quotes` (citeproc-py's `Quoted`)."""

    def quote(self, string):  # type: ignore[no-untyped-def]
        """Overrides `Quoted.quote` (replaced): bracket with quote marks, resolved by `resolve()` once the
        whole output exists.

        CSL: quotes="true" encloses the rendered text in the locale's open-quote and
        close-quote terms, and quotes nested in quotes use the inner-quote terms.
        citeproc-py's `model.Quoted.quote` pastes the outer terms in directly, so
        nesting and punctuation-in-quote can never be applied.
        Tests: tests/test_engine_quotes.py.
        """
        if self.quoted:
            # each side a MixedString already: the same sum, where `MixedString.__add__` of a str tries the
            # list sum first, which raises and catches a TypeError, before making it a MixedString itself
            if isinstance(string, str) and string:
                string = MixedString([string])
            return String(QUOTE_OPEN) + string + MixedString([String(QUOTE_CLOSE)])
        return string

    @cached_property
    def quoted(self) -> bool:
        """Whether the element has `quotes="true"`: read once."""
        return self.get("quotes", "false").lower() == "true"  # type: ignore[attr-defined]


class RichTextValue:
    """Rule mixin for `cs:text`."""

    def process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Text.process`: a `value` is rich text too (markup and quotes), as in citeproc-js.
        Tests: tests/test_engine_quotes.py."""
        if self.has_value:
            try:
                language = item.reference.language[:2]
            except (VariableError, AttributeError, TypeError):
                language = self.get_root().get("default-locale", "en")[:2]
            return parse_field(self.get("value")), language
        return super().process(item, context=context, **kwargs)

    @cached_property
    def has_value(self) -> bool:
        """Whether the text has a `value`: read once."""
        return "value" in self.attrib  # type: ignore[attr-defined]


class ResolvedLayout:
    """Rule mixin for `cs:layout`: quote marks, flip-flops and punctuation resolved in the finished output
    (`resolve()`). Tests: tests/test_engine_quotes.py."""

    def render_citation(self, citation, callback):  # type: ignore[no-untyped-def]
        """Overrides `Layout.render_citation`: the citation's text, resolved."""
        text = super().render_citation(citation, callback)
        return resolve(str(text), self.get_root()) if text is not None else text

    def render_bibliography(self, citation_items):  # type: ignore[no-untyped-def]
        """Overrides `Layout.render_bibliography`: each entry, resolved."""
        root = self.get_root()
        return [resolve(str(text), root) for text in super().render_bibliography(citation_items)]


class RawValue(str):
    """A field value read as it is, without markup (citeproc-js does not parse number variables)."""


class RichTextFields:
    """Rule mixin for the engine's CSL-JSON source (citeproc-py's `CiteProcJSON`)."""

    def parse_string(self, string):  # type: ignore[no-untyped-def]
        """Overrides `CiteProcJSON.parse_string` (replaced): field markup and quotes, see `parse_field()`."""
        if isinstance(string, RawValue):
            return String(str(string))
        return parse_field(str(string))

    def parse_names(self, json_data):  # type: ignore[no-untyped-def]
        """Overrides `CiteProcJSON.parse_names` (replaced): name parts get field markup and typographic
        apostrophes too."""
        names = []
        if isinstance(json_data, (str, dict)):
            json_data = [json_data]
        for name_data in json_data:
            if isinstance(name_data, str):  # a bare string is a literal name
                name_data = {"literal": name_data}
            data = {
                key: (str(parse_field(value)) if isinstance(value, str) else value) for key, value in name_data.items()
            }
            names.append(_name(data))
        return names


# The parts `Name.__init__` accepts without a warning of a name that is not a literal one.
_NAME_PARTS = frozenset(("family", "given", "dropping-particle", "non-dropping-particle", "suffix"))


def _name(data: dict):  # type: ignore[no-untyped-def]
    """citeproc-py's `Name(**data)`, the same mapping; built directly where it holds only the parts
    `Name.__init__` accepts without a warning (nearly every name), sparing the set arithmetic of its
    check, which cost more than the rest of reading the name."""
    if "literal" in data:
        if len(data) != 1:
            return Name(**data)  # a literal name with other parts: `Name.__init__` warns of them
    elif not _NAME_PARTS.issuperset(data):
        return Name(**data)
    name = Name.__new__(Name)
    dict.update(name, data)
    return name
