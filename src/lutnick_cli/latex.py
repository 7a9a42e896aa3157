"""LaTeX text rules shared by the LaTeX citation output and the BibTeX family of exports."""

from __future__ import annotations

import re

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


# Pairs the fonts turn into one glyph: -- and --- into dashes, `` and '' into quotation marks,
# ?` and !` into inverted marks, << >> and ,, into guillemets and low quotes (T1). An empty
# group between the two keeps each character itself.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[?!])(?=`)|(?<=<)(?=<)|(?<=>)(?=>)|(?<=,)(?=,)")


# Any character that `escape` could change: most pieces of a title (words, spaces) have none,
# and one search is cheaper than the two substitutions (an export of 10,000 records calls it 240,000 times).
_ESCAPABLE = re.compile(r"[\\{}&%$#_~^`'?!<>,-]")


def escape(text: str) -> str:
    """Escape text so that every character prints as itself; UTF-8 is left to LaTeX's inputenc."""
    if not _ESCAPABLE.search(text):
        return text
    return _LIGATURE.sub("{}", _SPECIAL.sub(lambda match: _SPECIALS[match.group()], text))


# A word: letters and digits, with inner hyphens or apostrophes (Anti-Trafficking, O’Brien).
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def protect_capitals(title: str) -> str:
    """Escape a title and brace every word whose capitals must survive a style's case change.

    BibTeX and biblatex styles may lower-case titles (sentence case). The first
    letter of the title keeps its capital anyway; any other word with a capital
    letter is a proper noun, an acronym or a capital after a colon, and is
    protected whole, which keeps kerning intact, unlike bracing one letter.
    """
    # A title in sentence case, the usual case, has no capital past its first character, so no word
    # to protect: what the loop below would give is the escaped title.
    if title[1:].islower():
        return escape(title)
    # The text between protected words is escaped in one piece: a pair `escape` must keep apart
    # (--, ``, ...) is two punctuation marks, and a word begins and ends with a letter or a
    # digit, so no pair straddles a word's edge and escaping the run whole is the same.
    pieces = []
    position = 0
    for index, match in enumerate(_WORD.finditer(title)):
        text = match.group()
        # A word with no capital at all (islower: every cased character lower-case) needs no look at its letters.
        if text.islower() or not _has_capital(text, index == 0):
            continue
        pieces.append(escape(title[position:match.start()]))
        pieces.append("{" + escape(text) + "}")
        position = match.end()
    pieces.append(escape(title[position:]))
    return "".join(pieces)


def _has_capital(word: str, first: bool) -> bool:
    """Whether a letter of the word, past the title's first letter when it is the first word, is a capital."""
    # One pass that stops at the first capital: a capitalised word answers at its first letter.
    skip = first
    for char in word:
        if char.isalpha():
            if skip:
                skip = False
            elif char.isupper():
                return True
    return False
