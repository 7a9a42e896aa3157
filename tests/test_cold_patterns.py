"""The cheaper forms of the engine's and the markup's patterns find exactly what the patterns they stand for find.

A character class reaching past U+00FF costs `re` a tenth of a millisecond
or more to compile, at every start of the program; so where a value rarely
holds such a character, a pattern of the ASCII or Latin-1 characters (with a
plain test for the others) does the work, and the markup's patterns for
display blocks are used only where an entry has their marks. Each is checked here against the
pattern it stands for, written out as it was, on random text of the
characters that matter (the marks, the Unicode dashes and quotation marks,
white space and line breaks), of Latin-1 and of other scripts.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lutnick_cli.citation import markup
from lutnick_cli.citation.engine import names, numbers, richtext, textcase

_MARKS = [chr(code) for code in range(0xFDD0, 0xFDF0)] + ["\ufffe", "\uffff"]
# Each two marks side by side: empty spans, and the seam of a left margin and a right-inline block.
_PAIRS = [_MARKS[index] + _MARKS[index + 1] for index in range(len(_MARKS) - 1)]
_PIECES = st.sampled_from(
    [
        "a", "Z", "1", "42", "é", "ß", "\u00ab", "\u00a0", " ", "  ", "\t", "\n", "\r", "\u2028", ".", ",", "&", ":",
        "-", "--", "/", "<", "<i>", '"', "'", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
        "\u2018", "\u2019", "\u201a", "\u201b", "\u201c", "\u201d", "\u201e", "\u0100", "\u03b2", "\u4e2d",
        "\U0001f600", "\ufdcf", "\ufdf0", "\ufffd", "and", "ii",
        *_MARKS,
        *_PAIRS,
    ]
)  # fmt: skip
_TEXT = st.lists(_PIECES, max_size=12).map("".join)
_ALL_TEXT = st.one_of(_TEXT, st.text(max_size=20))


@settings(max_examples=1000, deadline=None)
@given(text=_ALL_TEXT)
def test_a_value_is_plain_as_one_class_of_tags_and_quotes_finds_it(text: str) -> None:
    markup_or_quote = re.compile("[<\"'\u201c\u201d\u2018\u2019]")
    plain = not richtext._MARKUP_OR_ASCII_QUOTE.search(text) and (text.isascii() or not richtext._has_curly_quote(text))
    assert plain == (markup_or_quote.search(text) is None)


@settings(max_examples=1000, deadline=None)
@given(word=_ALL_TEXT)
def test_a_word_is_split_at_hyphens_as_one_pattern_splits_it(word: str) -> None:
    assert textcase._hyphen_parts(word) == re.split(r"([\-\u2010\u2011\u2013\u2014/]+)", word)


@settings(max_examples=1000, deadline=None)
@given(given_name=_ALL_TEXT)
def test_a_given_name_is_read_as_one_pattern_reads_it(given_name: str) -> None:
    pattern = re.compile(r"([^\s.\-\u2010]+)(\.?)|([\-\u2010])")
    found = [(match.span(), match.groups()) for match in names._given_tokens(given_name)]
    assert found == [(match.span(), match.groups()) for match in pattern.finditer(given_name)]


@settings(max_examples=1000, deadline=None)
@given(word=_ALL_TEXT)
def test_a_word_s_marks_are_split_off_as_one_pattern_splits_them(word: str) -> None:
    pattern = re.compile("^([\ufdd0-\ufdef\ufffe\uffff]*)(.*?)([\ufdd0-\ufdef]*)$", re.DOTALL)
    match = pattern.match(word)
    assert match is not None
    assert names._split_marks(word) == match.groups()


def test_a_word_ending_in_a_line_break_keeps_the_pattern_s_reading() -> None:
    assert names._split_marks("Ann\n") == ("", "Ann", "")
    assert names._split_marks("\ufdd0Ann\ufdd1") == ("\ufdd0", "Ann", "\ufdd1")


@settings(max_examples=1000, deadline=None)
@given(piece=_ALL_TEXT)
def test_a_range_is_split_as_one_pattern_splits_it(piece: str) -> None:
    match = re.compile(r"^(\s*)(.*?)([-\u2013\u2014]+)(.*?)(\s*)$", re.DOTALL).match(piece)
    assert numbers._range_parts(piece) == (None if match is None else match.groups())


@settings(max_examples=1000, deadline=None)
@given(text=_ALL_TEXT)
def test_display_marks_are_tidied_as_the_two_patterns_tidy_them(text: str) -> None:
    seam = markup.MARKS["left-margin"][1] + markup.MARKS["right-inline"][0]
    right_inline_close = markup.MARKS["right-inline"][1]
    expected = re.sub(f"{right_inline_close}\\s+$", right_inline_close, text)
    expected = re.sub(f"(?<!\\s){seam}(?!\\s)", seam + " ", expected)
    assert markup._space_after_margin(markup._without_space_after_right_inline(text)) == expected


def test_a_left_margin_is_spaced_from_the_right_inline_block_and_a_trailing_space_goes() -> None:
    margin, right_inline = markup.MARKS["left-margin"], markup.MARKS["right-inline"]
    marked = f"{margin[0]}1.{margin[1]}{right_inline[0]}Text{right_inline[1]}  \n"
    assert markup._space_after_margin(markup._without_space_after_right_inline(marked)) == (
        f"{margin[0]}1.{margin[1]}{right_inline[0]} Text{right_inline[1]}"
    )
