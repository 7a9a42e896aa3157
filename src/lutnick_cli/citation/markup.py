"""Output markup for rendered citations: text, HTML, Markdown, RTF, LaTeX and Typst.

The engine renders once, marking font changes with Unicode noncharacters
(U+FDD0 onwards, which never occur in interchanged text and which record
validation refuses). Each output format then escapes the whole string by its
own rules and turns the marks into its own markup. So escaping happens in one
pass, for data and style affixes alike, and a format never sees half-escaped
text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

OUTPUT_FORMATS = ("text", "html", "markdown", "rtf", "latex", "typst")

# Pairs of (open, close) marks, one pair per font feature the CSL spec knows,
# the "normal" features that switch one off inside another (CSL's flip-flop),
# and the `display` blocks of a bibliography entry.
_FEATURES = (
    "italic", "bold", "small-caps", "underline", "superscript", "subscript",
    "roman", "normal-weight", "normal-variant",
    "block", "left-margin", "right-inline", "indent",
)  # fmt: skip
MARKS = {feature: (chr(0xFDD0 + 2 * index), chr(0xFDD1 + 2 * index)) for index, feature in enumerate(_FEATURES)}
_MARK = re.compile("[\ufdd0-\ufde9]")
_OPEN = {MARKS[feature][0]: feature for feature in _FEATURES}
_CLOSE = {MARKS[feature][1]: feature for feature in _FEATURES}


def _wrapper(feature: str) -> Callable[[str], str]:
    opening, closing = MARKS[feature]

    def wrap(text: str) -> str:
        return f"{opening}{text}{closing}"

    return wrap


class MarkingFormatter:
    """The citeproc-py formatter: leaves text alone and brackets font changes with marks."""

    @staticmethod
    def preformat(text: str) -> str:
        return text

    Italic = staticmethod(_wrapper("italic"))
    Oblique = staticmethod(_wrapper("italic"))
    Bold = staticmethod(_wrapper("bold"))
    Light = staticmethod(str)  # no output format here has a light weight
    Underline = staticmethod(_wrapper("underline"))
    Superscript = staticmethod(_wrapper("superscript"))
    Subscript = staticmethod(_wrapper("subscript"))
    SmallCaps = staticmethod(_wrapper("small-caps"))


def _escape_html(text: str) -> str:
    # citeproc-js writes numeric character references, and Zotero users paste its output.
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


def _escape_rtf(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    # RTF is 7-bit: everything else is a \uN escape, with '?' as the fallback for old readers.
    return "".join(
        char if ord(char) < 128 else "".join(f"\\u{_signed16(unit)}?" for unit in _utf16_units(char))
        for char in escaped
    )


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[index : index + 2], "big") for index in range(0, len(data), 2)]


def _signed16(unit: int) -> int:
    return unit - 0x10000 if unit > 0x7FFF else unit


# The patterns of formats other than text and HTML are left to `re`'s cache, compiled on their first use
# rather than by every process that imports this module.
_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>#|~^$])"


def _escape_markdown(text: str) -> str:
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", text)


# Typst markup: characters that always start markup (maths, code, strong, emphasis, raw, labels,
# references, smart quotes, non-breaking space), and ones that do only in some places: `//` and `/*`
# start a comment (and keep `https://` from becoming a link), `--` and `-?` are dashes and soft
# hyphens, `...` an ellipsis; at the start of a piece (a line, or just after a closing `]`, where
# `.name` or `(…)` would continue the call) `=`, `+`, `-`, `/`, `1.`, `(` and `.` are markup too.
_TYPST_SPECIAL = r"""[\\#$*_\[\]<>@~'"`]|/(?=[/*])|-(?=[-?])|\.(?=\.)|^(?:[=+\-/(.]|\d+(?=\.))"""


def _escape_typst(text: str) -> str:
    """Text that Typst's markup mode prints as exactly this text: each special character backslashed
    (a number opening a piece has its full stop backslashed instead)."""
    return re.sub(_TYPST_SPECIAL, lambda match: match[0] + "\\" if match[0].isdigit() else "\\" + match[0], text)


def _escape_latex(text: str) -> str:
    from lutnick_cli import latex  # LaTeX's rules, imported only where LaTeX is written

    return latex.escape(text)


_UNMARKED_DISPLAY = {feature: ("", "") for feature in ("block", "left-margin", "right-inline", "indent")}
_UNMARKED = {feature: ("", "") for feature in ("roman", "normal-weight", "normal-variant")} | _UNMARKED_DISPLAY

_MARKUP: dict[str, tuple[Callable[[str], str], dict[str, tuple[str, str]]]] = {
    "text": (lambda text: text, {feature: ("", "") for feature in _FEATURES}),
    # (the formats below other than HTML have no display blocks: their marks print nothing)
    "html": (
        _escape_html,
        {
            "italic": ("<i>", "</i>"),
            "bold": ("<b>", "</b>"),
            "small-caps": ('<span style="font-variant:small-caps;">', "</span>"),
            "underline": ('<span style="text-decoration:underline;">', "</span>"),
            "superscript": ("<sup>", "</sup>"),
            "subscript": ("<sub>", "</sub>"),
            "roman": ('<span style="font-style:normal;">', "</span>"),
            "normal-weight": ('<span style="font-weight:normal;">', "</span>"),
            "normal-variant": ('<span style="font-variant:normal;">', "</span>"),
            "block": ('<div class="csl-block">', "</div>"),
            "left-margin": ('<div class="csl-left-margin">', "</div>"),
            "right-inline": ('<div class="csl-right-inline">', "</div>"),
            "indent": ('<div class="csl-indent">', "</div>"),
        },
    ),
    "markdown": (
        _escape_markdown,
        {
            "italic": ("*", "*"),
            "bold": ("**", "**"),
            "small-caps": ("[", "]{.smallcaps}"),
            "underline": ("[", "]{.underline}"),
            "superscript": ("^", "^"),
            "subscript": ("~", "~"),
            **_UNMARKED,
        },
    ),
    "rtf": (
        _escape_rtf,
        {
            "italic": ("{\\i ", "}"),
            "bold": ("{\\b ", "}"),
            "small-caps": ("{\\scaps ", "}"),
            "underline": ("{\\ul ", "}"),
            "superscript": ("{\\super ", "}"),
            "subscript": ("{\\sub ", "}"),
            "roman": ("{\\i0 ", "}"),
            "normal-weight": ("{\\b0 ", "}"),
            "normal-variant": ("{\\scaps0 ", "}"),
            **_UNMARKED_DISPLAY,
        },
    ),
    "latex": (
        _escape_latex,
        {
            "italic": ("\\emph{", "}"),
            "bold": ("\\textbf{", "}"),
            "small-caps": ("\\textsc{", "}"),
            "underline": ("\\underline{", "}"),
            "superscript": ("\\textsuperscript{", "}"),
            "subscript": ("\\textsubscript{", "}"),
            "roman": ("\\textup{", "}"),
            "normal-weight": ("\\textmd{", "}"),
            "normal-variant": ("\\textup{", "}"),
            **_UNMARKED_DISPLAY,
        },
    ),
    "typst": (
        _escape_typst,
        {
            "italic": ("#emph[", "]"),
            "bold": ("#strong[", "]"),
            "small-caps": ("#smallcaps[", "]"),
            "underline": ("#underline[", "]"),
            "superscript": ("#super[", "]"),
            "subscript": ("#sub[", "]"),
            "roman": ('#text(style: "normal")[', "]"),
            "normal-weight": ('#text(weight: "regular")[', "]"),
            "normal-variant": ("#text(features: (smcp: 0))[", "]"),
            **_UNMARKED_DISPLAY,
        },
    ),
}


def finish(marked: str, output_format: str) -> str:
    """Escape marked engine output for one format and turn its marks into that format's markup."""
    escape, tags = _MARKUP[output_format]
    marked = _drop_empty_spans(marked)
    if output_format != "html":
        marked = _space_after_margin(_without_space_after_right_inline(marked))
    else:
        marked = _superscript_marks(marked)
    pieces = [escape(piece) for piece in _MARK.split(marked)]
    marks = _MARK.findall(marked)
    result = [pieces[0]]
    for mark, piece in zip(marks, pieces[1:]):
        if mark in _OPEN:
            result.append(tags[_OPEN[mark]][0])
        else:
            result.append(tags[_CLOSE[mark]][1])
        result.append(piece)
    return "".join(result)


# citeproc-js writes Unicode superscript letters and digits (French and Spanish
# ordinals: 1ʳᵉ, 2.ª) as <sup> around the plain character in HTML: every
# character Unicode decomposes as "<super>" something, from the blocks that have them.
@lru_cache(maxsize=1)
def _superscripts() -> tuple[dict[str, str], re.Pattern[str]]:
    import unicodedata

    # the few superscripts Unicode does not decompose as such
    table = {"ª": "a", "º": "o", "ˀ": "ʔ", "ˁ": "ʕ", "ۥ": "و", "ۦ": "ي"}
    blocks = (
        (0x00B2, 0x00BA),
        (0x02B0, 0x02FF),
        (0x1D2C, 0x1DBF),
        (0x2070, 0x209F),
        (0x2120, 0x2122),
        (0x3192, 0x319F),
        (0xA69C, 0xA69D),
        (0xA770, 0xA770),
        (0xA7F8, 0xA7F9),
        (0xAB5C, 0xAB5F),
    )
    for first, last in blocks:
        for code in range(first, last + 1):
            decomposition = unicodedata.decomposition(chr(code))
            if decomposition.startswith("<super> "):
                table[chr(code)] = "".join(chr(int(unit, 16)) for unit in decomposition.split()[1:])
    return table, re.compile("[" + "".join(table) + "]")


def _superscript_marks(marked: str) -> str:
    table, pattern = _superscripts()
    opening, closing = MARKS["superscript"]
    return pattern.sub(lambda match: opening + table[match.group()] + closing, marked)


# The display marks the two rules below look for, and where they are not in an entry (most styles
# have no display blocks), the patterns are neither used nor compiled.
_MARGIN_SEAM = MARKS["left-margin"][1] + MARKS["right-inline"][0]
_RIGHT_INLINE_CLOSE = MARKS["right-inline"][1]


@cache
def _margin_seam() -> re.Pattern[str]:
    return re.compile(f"(?<!\\s){_MARGIN_SEAM}(?!\\s)")


@cache
def _right_inline_end() -> re.Pattern[str]:
    return re.compile(f"{_RIGHT_INLINE_CLOSE}\\s+$")


def _without_space_after_right_inline(marked: str) -> str:
    """Whitespace after an entry's right-inline block is HTML layout (citeproc-js writes it after the
    block's closing tag); formats without display blocks end the entry at its last printed character."""
    return _right_inline_end().sub(_RIGHT_INLINE_CLOSE, marked) if _RIGHT_INLINE_CLOSE in marked else marked


def _space_after_margin(marked: str) -> str:
    """Formats without display blocks separate an entry's left margin from the rest with a space,
    as HTML's layout does."""
    return _margin_seam().sub(_MARGIN_SEAM + " ", marked) if _MARGIN_SEAM in marked else marked


_EMPTY_SPAN = re.compile("|".join(re.escape(opening + closing) for opening, closing in MARKS.values()))


def _drop_empty_spans(marked: str) -> str:
    return _EMPTY_SPAN.sub("", marked)
