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


def protect_capitals(title: str, start: bool = True) -> str:
    """Escape a title and brace every word whose capitals must survive a style's case change.

    BibTeX and biblatex styles may lower-case titles (sentence case). The first
    letter of the title keeps its capital anyway; any other word with a capital
    letter is a proper noun, an acronym or a capital after a colon, and is
    protected whole, which keeps kerning intact, unlike bracing one letter.
    `start` is false for a piece of a title that does not begin it.
    """
    # A title in sentence case, the usual case, has no capital past its first character, so no word
    # to protect: what the loop below would give is the escaped title.
    if (title[1:] if start else title).islower():
        return escape(title)
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


# The record's rich text (CSL's HTML-like markup) and the LaTeX commands it comes from.
_RICH_TAG = re.compile(r'<(/?)(i|b|sc|sup|sub)>|<(/?)span(?: class="nocase")?>')
_FONT_COMMANDS = {"i": r"\textit", "b": r"\textbf", "sc": r"\textsc", "sup": r"\textsuperscript", "sub": r"\textsubscript"}


def from_rich_text(text: str, protect: bool = False) -> str:
    """The record's rich text as LaTeX: <i> → \\textit{…} (and <b>, <sc>, <sup>, <sub>), and
    <span class="nocase"> → a brace group, which keeps its words from a style's case change.

    The inverse of what `latex_text.to_rich_text` reads. Text is escaped, and with `protect` its
    capitalised words are braced as `protect_capitals` braces them. Markup that does not nest
    properly is no markup: the whole value is escaped and prints as written.
    """
    if "<" not in text:
        return protect_capitals(text) if protect else escape(text)
    out: list[str] = []
    stack: list[str] = []
    position = 0
    start = True  # no text yet: the title's first letter keeps its capital anyway
    for match in _RICH_TAG.finditer(text):
        if match.start() > position:
            out.append(_plain(text[position:match.start()], protect and "nocase" not in stack, start))
            start = False
        position = match.end()
        closing = bool(match.group(1) or match.group(3))
        if match.group(2):
            name = match.group(2)
        elif match.group(0) in ('<span class="nocase">', "</span>"):
            name = "nocase"
        else:
            return protect_capitals(text) if protect else escape(text)
        if not closing:
            stack.append(name)
            out.append("{" if name == "nocase" else _FONT_COMMANDS[name] + "{")
        elif stack and stack[-1] == name:
            stack.pop()
            out.append("}")
        else:
            return protect_capitals(text) if protect else escape(text)
    if stack:
        return protect_capitals(text) if protect else escape(text)
    if position < len(text):
        out.append(_plain(text[position:], protect, start))
    return "".join(out)


def _plain(text: str, protect: bool, start: bool) -> str:
    return protect_capitals(text, start) if protect else escape(text)
