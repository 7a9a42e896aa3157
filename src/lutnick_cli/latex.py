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
    return _LIGATURE.sub("{}", _SPECIAL.sub(_special, text))


def _special(match: re.Match[str]) -> str:
    return _SPECIALS[match.group()]


# BibTeX and biber count every brace in a field value, \{ and \} included: a brace with no
# partner would end the field early (and what followed it would be read as more fields, or
# as entries of their own). Such a brace is written as a command with no brace in its name.
_LONE_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_BRACE = re.compile(r"[{}]")
_NO_BRACES: frozenset[int] = frozenset()


def lone_braces(text: str) -> frozenset[int]:
    """The positions of the braces in `text` that have no partner, pairing them as BibTeX counts."""
    opened: list[int] = []
    lone: list[int] = []
    for match in _BRACE.finditer(text):
        if match.group() == "{":
            opened.append(match.start())
        elif opened:
            opened.pop()
        else:
            lone.append(match.start())
    return frozenset(lone + opened)


def escape_field(text: str, lone: frozenset[int] | None = None, offset: int = 0) -> str:
    """Escape text for a BibTeX or biblatex field value: as `escape`, and safe for BibTeX's brace count.

    Braces that pair up are written \\{ and \\}, which keeps the count balanced; a brace with no
    partner is written \\textbraceleft{} or \\textbraceright{}, which BibTeX does not count. `lone`
    gives the positions of such braces in a larger text of which `text` starts at `offset`; by
    default they are found in `text` itself.
    """
    # The same first test as `escape`: most values have nothing to escape, and an export of
    # 10,000 records makes some 110,000 calls.
    if not _ESCAPABLE.search(text):
        return text
    if lone is None:
        lone = lone_braces(text) if "{" in text or "}" in text else _NO_BRACES
    if not lone:
        return _LIGATURE.sub("{}", _SPECIAL.sub(_special, text))

    def special(match: re.Match[str]) -> str:
        char = match.group()
        if char in _LONE_BRACES and match.start() + offset in lone:
            return _LONE_BRACES[char]
        return _SPECIALS[char]

    return _LIGATURE.sub("{}", _SPECIAL.sub(special, text))


# A word: letters and digits, with inner hyphens or apostrophes (Anti-Trafficking, O’Brien).
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def protect_capitals(title: str, start: bool = True) -> str:
    """Escape a title for a BibTeX field (see `escape_field`)
    and brace every word whose capitals must survive a style's case change.

    BibTeX and biblatex styles may lower-case titles (sentence case). The first
    letter of the title keeps its capital anyway; any other word with a capital
    letter is a proper noun, an acronym or a capital after a colon, and is
    protected whole, which keeps kerning intact, unlike bracing one letter.
    `start` is false for a piece of a title that does not begin it.
    """
    # A title in sentence case, the usual case, has no capital past its first character, so no word
    # to protect: what the loop below would give is the escaped title.
    lone = lone_braces(title) if "{" in title or "}" in title else _NO_BRACES
    if (title[1:] if start else title).islower():
        return escape_field(title, lone)
    # The text between protected words is escaped in one piece: a pair `escape` must keep apart
    # (--, ``, ...) is two punctuation marks, and a word begins and ends with a letter or a
    # digit, so no pair straddles a word's edge and escaping the run whole is the same.
    pieces = []
    position = 0
    for index, match in enumerate(_WORD.finditer(title)):
        text = match.group()
        # A word with no capital at all (islower: every cased character lower-case) needs no look at its letters.
        if text.islower() or not _has_capital(text, index == 0 and start):
            continue
        pieces.append(escape_field(title[position : match.start()], lone, position))
        pieces.append("{" + escape(text) + "}")
        position = match.end()
    pieces.append(escape_field(title[position:], lone, position))
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


# The record's rich text (CSL's HTML-like markup) and the LaTeX commands it comes from.
_RICH_TAG = re.compile(r'<(/?)(i|b|sc|sup|sub)>|<(/?)span(?: class="nocase")?>')
_FONT_COMMANDS = {
    "i": r"\textit",
    "b": r"\textbf",
    "sc": r"\textsc",
    "sup": r"\textsuperscript",
    "sub": r"\textsubscript",
}


def from_rich_text(text: str, protect: bool = False) -> str:
    """The record's rich text as LaTeX: <i> → \\textit{…} (and <b>, <sc>, <sup>, <sub>), and
    <span class="nocase"> → a brace group, which keeps its words from a style's case change.

    The inverse of what `latex_text.to_rich_text` reads.
    Text is escaped for a BibTeX field (`escape_field`), and with `protect` its
    capitalised words are braced as `protect_capitals` braces them. Markup that does not nest
    properly is no markup: the whole value is escaped and prints as written.
    """
    if "<" not in text:
        return protect_capitals(text) if protect else escape_field(text)
    out: list[str] = []
    stack: list[str] = []
    position = 0
    start = True  # no text yet: the title's first letter keeps its capital anyway
    for match in _RICH_TAG.finditer(text):
        if match.start() > position:
            out.append(_plain(text[position : match.start()], protect and "nocase" not in stack, start))
            start = False
        position = match.end()
        closing = bool(match.group(1) or match.group(3))
        if match.group(2):
            name = match.group(2)
        elif match.group(0) in ('<span class="nocase">', "</span>"):
            name = "nocase"
        else:
            return protect_capitals(text) if protect else escape_field(text)
        if not closing:
            stack.append(name)
            out.append("{" if name == "nocase" else _FONT_COMMANDS[name] + "{")
        elif stack and stack[-1] == name:
            stack.pop()
            out.append("}")
        else:
            return protect_capitals(text) if protect else escape_field(text)
    if stack:
        return protect_capitals(text) if protect else escape_field(text)
    if position < len(text):
        out.append(_plain(text[position:], protect, start))
    return "".join(out)


def _plain(text: str, protect: bool, start: bool) -> str:
    return protect_capitals(text, start) if protect else escape_field(text)
