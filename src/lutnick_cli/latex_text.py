"""LaTeX field values as the record's rich text: what bibtex and biber print, in CSL's markup.

A .bib value is LaTeX. It becomes Unicode text (accents, \\TeX, \\&, ~ as a
no-break space, -- as an en dash), with the font commands a citation keeps
written as CSL's HTML-like tags (\\textit and \\emph → <i>, \\textbf → <b>,
\\textsc → <sc>, \\textsuperscript → <sup>), and maths turned into Unicode
(\\Delta → Δ, x_2 → x<sub>2</sub>). siunitx quantities read as their text
(\\SI{70}{\\celsius} → 70 °C, \\qtyrange → 0.3–1.2 MeV), and chemformula's and
mhchem's formulas in a common subset (\\ch{^{8}Li} → <sup>8</sup>Li, \\ch{H2O} →
H<sub>2</sub>O). In a title, a brace group protects its
text from a style's case change, as it does for bibtex: it becomes
<span class="nocase">…</span>. A brace group that opens with a command
(`{\\"o}`, `{\\TeX}`) is bibtex's "special character" and protects nothing.

pylatexenc parses the value and knows the symbols; the walk over its nodes
is ours, because its text conversion drops fonts and braces. The TeX most
values hold (groups, ties, escaped characters, accents, bibtex's special
letters) is read without the parser, to the same result. A command it
does not know keeps the text of its arguments and is reported, so no
backslash or dollar sign ever reaches a citation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Font commands and the tag each becomes; the commands a citation ignores keep their text only.
_FONT_COMMANDS = {
    "textit": "i",
    "emph": "i",
    "textsl": "i",
    "mkbibemph": "i",
    "mkbibitalic": "i",
    "mathit": "i",
    "textbf": "b",
    "mkbibbold": "b",
    "mathbf": "b",
    "boldsymbol": "b",
    "textsc": "sc",
    "textsuperscript": "sup",
    "mkbibsuperscript": "sup",
    "textsubscript": "sub",
    "mkbibsubscript": "sub",
}
# Quotation commands: the straight quotes become the style's quotation marks.
_QUOTE_COMMANDS = frozenset({"mkbibquote", "enquote", "textquote"})
_PLAIN_COMMANDS = frozenset(
    "textup textrm textnormal textsf texttt textmd mbox hbox text mathrm mathsf mathtt mathnormal ensuremath "
    "url path nolinkurl uppercase lowercase MakeUppercase MakeLowercase MakeTextUppercase MakeTextLowercase "
    "foreignlanguage hyphenation".split()
)
# Old-style switches inside a group: {\it word}, {\bf word}, {\sc word}.
_FONT_SWITCHES = {
    "it": "i",
    "itshape": "i",
    "em": "i",
    "sl": "i",
    "slshape": "i",
    "bf": "b",
    "bfseries": "b",
    "sc": "sc",
    "scshape": "sc",
}
_PLAIN_SWITCHES = frozenset(
    "rm sf tt normalfont upshape mdseries rmfamily sffamily ttfamily small footnotesize large".split()
)
# Logos and marks pylatexenc's text conversion leaves out.
_SYMBOLS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "ConTeXt": "ConTeXt",
    "AmS": "AMS",
    "AMS": "AMS",
    "biber": "Biber",
    "slash": "/",
    "textendash": "–",
    "textemdash": "—",
    "nobreakspace": "\u00a0",
    "textbackslash": "\\",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textbraceleft": "{",
    "textbraceright": "}",
    "-": "\u00ad",
    "/": "",
    "@": "",
    "relax": "",
    "protect": "",
    "ignorespaces": "",
    "noopsort": "",
    "nocite": "",
    "hbox": "",
    "\\": " ",
    "newline": " ",
    "linebreak": " ",
    "hyphen": "-",
}
# Where the argument of a command pylatexenc does not know is the group right after it.
_ONE_ARGUMENT = {*_FONT_COMMANDS, *_PLAIN_COMMANDS, *_QUOTE_COMMANDS} - {"foreignlanguage"}
_MATH_SCRIPT = {"_": "sub", "^": "sup"}

# What is more than text: commands, groups, ties, maths, comments. Anything else gets LaTeX's
# ligatures only: the same result, a hundred times faster than parsing.
_LATEX = re.compile(r"[\\{}~$%]")
_LIGATURE_TEXT = {"---": "—", "--": "–", "``": "“", "''": "”", "?`": "¿", "!`": "¡"}
_LIGATURES = re.compile("|".join(re.escape(ligature) for ligature in _LIGATURE_TEXT))
# A per cent sign is a comment to LaTeX, but in a .bib value it is nearly always meant as itself.
_BARE_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")


def to_rich_text(value: str, protect: bool = False, unknown: list[str] | None = None) -> str:
    """A LaTeX value as rich text; `protect` makes brace groups case-protected (titles).

    Commands that were not understood are appended to `unknown`, by name, backslash included.
    """
    if not _LATEX.search(value):
        return _ligatures(value).strip()
    text = _common(value, protect)
    if text is not None:
        return text
    text, found = _parsed(value, protect)
    if unknown is not None:
        unknown.extend(found)
    return text


@lru_cache(maxsize=4096)
def _parsed(value: str, protect: bool) -> tuple[str, tuple[str, ...]]:
    # Cached: names, journals and publishers come back entry after entry, and parsing costs a millisecond.
    walker, to_text = _tools()
    if "%" in value:
        value = _BARE_PERCENT.sub(r"\1\\%", value)
    nodes = walker(value).get_latex_nodes()[0]
    found: list[str] = []
    return _Walk(to_text, found).nodes(nodes, protect, top=True).strip(), tuple(found)


# The TeX most values hold, read without the parser (a hundred times slower): brace groups, ties,
# escaped characters (\\&), accents on one letter (\\'a, \\'{a}, \\v c, \\'\\i), bibtex's special
# letters (\\o, \\ss{}), the common font commands with their group (\\emph{…}, \\texttt{…}) and logos
# (\\TeX, \\slash). Anything else (another command, maths, a backslash not so followed) is left to
# the parser: `_common` gives None for it.
_COMMON_FONTS = "emph|textit|textsl|textbf|textsc|textsuperscript|textsubscript|texttt|textrm|textsf|textup|textnormal"
_COMMON_SYMBOLS = "TeX|LaTeXe|LaTeX|BibTeX|XeTeX|XeLaTeX|LuaTeX|LuaLaTeX|ConTeXt|AmS|AMS|slash|textendash|textemdash"
_COMMON_TOKEN = re.compile(
    r"""(?P<text>[^\\{}~$%]+)|(?P<brace>[{}])|(?P<tie>~)|(?P<percent>%)|\\(?P<escape>[&%$#_{}])"""
    rf"""|\\(?P<font>{_COMMON_FONTS})\{{|\\(?P<symbol>{_COMMON_SYMBOLS})(?![^\W_]|@)\s*"""
    r"""|\\(?P<accent>['"`^~=.]|[cvuHkrdb](?![^\W\d_]))\s*"""
    r"""(?:\{(?P<braced>[A-Za-z]|\\[ij])\}|(?P<bare>[A-Za-z]|\\[ij](?![^\W\d_])\s*))"""
    r"""|\\(?P<letter>ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![^\W\d_])(?:\{\}|\s*)"""
)
# Each accent as the combining mark the parser puts on its letter.
_COMBINING = {
    "'": "\u0301",
    '"': "\u0308",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
# bibtex's special letters, as the parser reads them.
_LETTERS = {
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}


@lru_cache(maxsize=1 << 14)
def _common(value: str, protect: bool) -> str | None:
    """The value as the parser and `_Walk` make it, if its only TeX is what `_COMMON_TOKEN` reads; else None.

    Text between two pieces of markup gets the ligatures. A group at the top protects its text in a
    title when the text has a letter, unless a command opens it ({\\"o}, bibtex's special character);
    groups inside it only group. Cached: a given name (Zolt{\\'a}n), a proceedings' title or a publisher
    comes back entry after entry, where the name or the entry as a whole does not.
    """
    if "\n" in value:
        # A blank line after a command is a paragraph to the parser, which keeps it; a .bib value
        # never has a line break (reading folds them), so this costs reading nothing.
        return None
    out: list[str] = []
    pieces = out  # where text goes: the innermost open group's pieces, or the value's
    # For each open group, the pieces of what holds it, and the tag its text takes: None for a
    # group, a tag ("" for none) for a font command's argument.
    open_groups: list[tuple[list[str], str | None]] = []
    opened = False  # whether a group at the top has just opened, and nothing but space come in it
    opens_with_command = False
    position = 0
    end = len(value)
    while position < end:
        match = _COMMON_TOKEN.match(value, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind == "brace":
            if match.group() == "{":
                if open_groups:
                    opened = False
                else:
                    opened, opens_with_command = True, False
                open_groups.append((pieces, None))
                pieces = []
                continue
            if not open_groups:
                return None
            holder, tag = open_groups.pop()
            text = "".join(pieces)
            pieces = holder
            opened = False
            if tag is not None:
                if tag and text:
                    text = f"<{tag}>{text}</{tag}>"
            elif (
                not open_groups and protect and not opens_with_command and text and any(char.isalpha() for char in text)
            ):
                text = f'<span class="nocase">{text}</span>'
            pieces.append(text)
            continue
        if kind == "font":
            if opened:
                opened, opens_with_command = False, True
            open_groups.append((pieces, _FONT_COMMANDS.get(match.group("font"), "")))
            pieces = []
            continue
        if kind == "text":
            piece = _ligatures(match.group())
            if opened and piece.strip():
                opened = False
        else:
            if opened:
                opened, opens_with_command = False, kind != "tie"
            if kind == "tie":
                piece = "\u00a0"
            elif kind == "percent":
                piece = "%"
            elif kind == "escape":
                piece = match.group("escape")
            elif kind == "letter":
                piece = _LETTERS[match.group("letter")]
            elif kind == "symbol":
                piece = _SYMBOLS[match.group("symbol")]
            else:
                letter = (match.group("braced") or match.group("bare")).strip()
                if letter.startswith("\\"):
                    letter = letter[1]  # \\i and \\j are dotless i and j, which take the accent
                piece = unicodedata.normalize("NFC", letter + _COMBINING[match.group("accent")])
        pieces.append(piece)
    if open_groups:
        return None
    return "".join(out).strip()


def _ligatures(text: str) -> str:
    if "-" not in text and "`" not in text and "'" not in text:
        return text
    return _LIGATURES.sub(lambda match: _LIGATURE_TEXT[match.group()], text)


class _Walk:
    """One value's conversion: the text of each node, and the commands it met but did not know."""

    def __init__(self, to_text: Any, unknown: list[str]):
        self.to_text = to_text
        self.unknown = unknown

    def nodes(self, nodes: list[Any], protect: bool = False, top: bool = False, math: bool = False) -> str:
        from pylatexenc.latexwalker import (
            LatexCharsNode,
            LatexCommentNode,
            LatexGroupNode,
            LatexMacroNode,
            LatexMathNode,
            LatexSpecialsNode,
        )

        out: list[str] = []
        index = 0
        nodes = [node for node in nodes if node is not None]
        while index < len(nodes):
            node = nodes[index]
            index += 1
            if isinstance(node, LatexCharsNode):
                if math:
                    index = self._math_chars(node.chars, nodes, index, out)
                else:
                    out.append(_ligatures(node.chars))
            elif isinstance(node, LatexGroupNode):
                out.append(self.group(node.nodelist, protect and top, math))
            elif isinstance(node, LatexMathNode):
                out.append(self.nodes(node.nodelist, math=True))
            elif isinstance(node, LatexSpecialsNode):
                out.append("&" if node.specials_chars == "&" else self.to_text.node_to_text(node))
            elif isinstance(node, LatexMacroNode):
                text, index = self.macro(node, nodes, index, math)
                out.append(text)
            elif isinstance(node, LatexCommentNode):
                continue
            else:  # an environment, in a field value: its text, with the commands it holds
                out.append(self.nodes(getattr(node, "nodelist", None) or [], math=math))
        return "".join(out)

    def group(self, nodes: list[Any], protect: bool, math: bool) -> str:
        from pylatexenc.latexwalker import LatexCharsNode, LatexMacroNode

        first = next(
            (node for node in nodes if not (isinstance(node, LatexCharsNode) and not node.chars.strip())), None
        )
        if isinstance(first, LatexMacroNode) and (
            first.macroname in _FONT_SWITCHES or first.macroname in _PLAIN_SWITCHES
        ):
            text = self.nodes(nodes[nodes.index(first) + 1 :], math=math).strip()
            tag = _FONT_SWITCHES.get(first.macroname)
            return f"<{tag}>{text}</{tag}>" if tag and text else text
        text = self.nodes(nodes, math=math)
        # {\"o} and {\TeX} are bibtex's special characters: case-changed like any letter.
        if protect and text and not isinstance(first, LatexMacroNode) and any(char.isalpha() for char in text):
            return f'<span class="nocase">{text}</span>'
        return text

    def macro(self, node: Any, nodes: list[Any], index: int, math: bool) -> tuple[str, int]:
        from pylatexenc.latexwalker import LatexGroupNode

        name = node.macroname
        arguments = [argument for argument in (node.nodeargd.argnlist if node.nodeargd else []) if argument is not None]
        if name in _SYMBOLS:
            return _SYMBOLS[name], index
        if name in _SIUNITX and node.nodeargd is not None:
            return self._quantity(name, node.nodeargd.argnlist), index
        if name in _CHEMISTRY_COMMANDS and node.nodeargd is not None:
            formula = _formula(node.nodeargd.argnlist[-1])
            if formula is not None:
                return formula, index
        if (
            name in _FONT_COMMANDS
            or name in _PLAIN_COMMANDS
            or name in _QUOTE_COMMANDS
            or name in ("href", "NoCaseChange")
        ):
            if not arguments and index < len(nodes) and isinstance(nodes[index], LatexGroupNode):
                arguments = [nodes[index]]
                index += 1
            if name == "href" and len(arguments) == 2:
                arguments = arguments[1:]
            text = "".join(self._argument(argument, math) for argument in arguments[-1:])
            if name == "NoCaseChange":
                return f'<span class="nocase">{text}</span>', index
            if name in _QUOTE_COMMANDS:
                return f'"{text}"', index
            tag = _FONT_COMMANDS.get(name)
            return (f"<{tag}>{text}</{tag}>" if tag and text else text), index
        if name == "frac" and len(arguments) == 2:
            return f"{self._argument(arguments[0], True)}/{self._argument(arguments[1], True)}", index
        if self.to_text.latex_context.get_macro_spec(name) is not None:
            text = self.to_text.node_to_text(node)
            return (text.strip() if math else text), index
        # Not known: its text is kept, the command itself is reported.
        self.unknown.append("\\" + name)
        while index < len(nodes) and isinstance(nodes[index], LatexGroupNode):
            arguments.append(nodes[index])
            index += 1
        return "".join(self._argument(argument, math) for argument in arguments), index

    def _quantity(self, name: str, arguments: list[Any]) -> str:
        """A siunitx number, range or unit: "70 °C", "0.3–1.2 MeV/u", "50%"."""
        _, number_at, unit_at = _SIUNITX[name]
        numbers = [self._number(arguments[at]) for at in number_at if arguments[at] is not None]
        number = "–".join(number for number in numbers if number)
        unit = self._unit(arguments[unit_at]) if unit_at is not None and arguments[unit_at] is not None else ""
        if not number or not unit:
            return number + unit
        return number + ("" if unit in _UNSPACED_UNITS else "\u00a0") + unit

    def _number(self, node: Any) -> str:
        number = self._argument(node, True).strip()
        exponent = _NUMBER_EXPONENT.match(number)
        if exponent:
            mantissa, power = exponent.groups()
            number = f"{mantissa} × 10<sup>{power}</sup>" if mantissa.lstrip("+-") != "1" else f"10<sup>{power}</sup>"
        return number.replace("-", "−")

    def _unit(self, node: Any) -> str:
        """siunitx's unit macros as their symbols; letters and anything else as written."""
        from pylatexenc.latexwalker import LatexGroupNode, LatexMacroNode

        out: list[str] = []
        power = ""  # from \square or \cubic, for the next unit
        after_unit = False  # a unit right after a unit is a product: siunitx parts them with a thin space
        for part in node.nodelist if isinstance(node, LatexGroupNode) else [node]:
            if not isinstance(part, LatexMacroNode):
                out.append(self.nodes([part], math=True))
                after_unit = False
                continue
            name = part.macroname
            if name in _UNIT_PREFIXES or name in _UNITS:
                if after_unit:
                    out.append("\u202f")
                if name in _UNIT_PREFIXES:
                    out.append(_UNIT_PREFIXES[name])
                    after_unit = False
                    continue
                out.append(_UNITS[name] + (f"<sup>{power}</sup>" if power else ""))
                power, after_unit = "", True
            elif name in _UNIT_POWERS:
                out.append(f"<sup>{_UNIT_POWERS[name]}</sup>")
            elif name in _UNIT_POWERS_BEFORE:
                power = _UNIT_POWERS_BEFORE[name]
            elif name == "per":
                out.append("/")
                after_unit = False
            else:  # a unit siunitx would know, or one a document declares: its name stands for it
                self.unknown.append("\\" + name)
                out.append(name)
                after_unit = True
        return "".join(out).strip()

    def _argument(self, node: Any, math: bool) -> str:
        from pylatexenc.latexwalker import LatexGroupNode

        if isinstance(node, LatexGroupNode):
            return self.nodes(node.nodelist, math=math)
        return self.nodes([node], math=math)

    def _math_chars(self, chars: str, nodes: list[Any], index: int, out: list[str]) -> int:
        """Characters of a formula; _ and ^ take the next character, group or command as a script."""
        position = 0
        while position < len(chars):
            char = chars[position]
            position += 1
            tag = _MATH_SCRIPT.get(char)
            if tag is None:
                out.append(char)
                continue
            while position < len(chars) and chars[position] == " ":
                position += 1
            if position < len(chars):
                script = chars[position]
                position += 1
            elif index < len(nodes):
                script = self._argument(nodes[index], True)
                index += 1
            else:
                script = ""
            if script:
                out.append(f"<{tag}>{script}</{tag}>")
        return index


# siunitx: the commands, the arguments each takes (pylatexenc's spec: [ optional, { mandatory), and
# which of them hold numbers and which the unit. The options ([…]) are read and left out.
_SIUNITX = {
    "SI": ("[{[{", (1,), 3),
    "qty": ("[{{", (1,), 2),
    "si": ("[{", (), 1),
    "unit": ("[{", (), 1),
    "num": ("[{", (1,), None),
    "SIrange": ("[{{{", (1, 2), 3),
    "qtyrange": ("[{{{", (1, 2), 3),
    "numrange": ("[{{", (1, 2), None),
}
_UNIT_PREFIXES = {
    "yocto": "y", "zepto": "z", "atto": "a", "femto": "f", "pico": "p", "nano": "n", "micro": "µ",
    "milli": "m", "centi": "c", "deci": "d", "deca": "da", "deka": "da", "hecto": "h", "kilo": "k",
    "mega": "M", "giga": "G", "tera": "T", "peta": "P", "exa": "E", "zetta": "Z", "yotta": "Y",
}  # fmt: skip
_UNITS = {
    "second": "s", "meter": "m", "metre": "m", "gram": "g", "kelvin": "K", "celsius": "°C", "electronvolt": "eV",
    "tesla": "T", "hertz": "Hz", "volt": "V", "ampere": "A", "ohm": "Ω", "joule": "J", "watt": "W",
    "pascal": "Pa", "mole": "mol", "liter": "L", "litre": "L", "percent": "%", "degree": "°", "angstrom": "Å",
    "barn": "b", "gauss": "G", "minute": "min", "hour": "h", "day": "d", "newton": "N", "coulomb": "C",
    "farad": "F", "henry": "H", "weber": "Wb", "siemens": "S", "becquerel": "Bq", "gray": "Gy",
    "sievert": "Sv", "candela": "cd", "radian": "rad", "steradian": "sr", "bar": "bar", "dalton": "Da",
    "atomicmassunit": "u", "tonne": "t", "arcminute": "′", "arcsecond": "″", "decibel": "dB",
}  # fmt: skip
_UNIT_POWERS = {"squared": "2", "cubed": "3"}  # after their unit; \square and \cubic go before it
_UNIT_POWERS_BEFORE = {"square": "2", "cubic": "3"}
# APA (and siunitx) set a space between a number and its unit, but none before %, ° of an angle, ′ or ″.
# A no-break space: "70 °C" is one word to a reader, and a line is not to part it.
_UNSPACED_UNITS = ("%", "°", "′", "″")
_NUMBER_EXPONENT = re.compile(r"^([-+]?[\d.,]*\d)\s*[eEdD]\s*([-+]?\d+)$")

# chemformula and mhchem: the subset read here. Isotopes and charges (^{116}In, Mg^2+), subscripts
# (UC_{x}, H2O), a trailing charge (Li+, Fe3+) and reaction arrows; anything else is left to the fallback.
_CHEMISTRY_COMMANDS = frozenset({"ch", "ce"})
_CHEMISTRY_TOKEN = re.compile(
    r"(?P<script>[_^])(?:\{(?P<braced>[\w+\-.,]*)\}|(?P<charge>\d*[+-])(?=\s|$|[)\]])|(?P<bare>\w))"
    r"|(?P<arrow>->)"
    r"|(?P<element>[A-Z][a-z]?|\))(?:(?P<ion>\d*[+-])(?=\s|$|[)\]])|(?P<count>\d+))?"
    r"|(?P<text>[a-z\d\s.,*=()\[\]/'-]|\+)"
)


def _formula(node: Any) -> str | None:
    """A \\ch or \\ce formula in the subset `_CHEMISTRY_TOKEN` reads, as rich text; else None."""
    from pylatexenc.latexwalker import LatexGroupNode

    if not isinstance(node, LatexGroupNode):
        return None
    formula = node.latex_verbatim()[1:-1].strip()
    out: list[str] = []
    position = 0
    while position < len(formula):
        match = _CHEMISTRY_TOKEN.match(formula, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup
        if match.group("script"):
            tag = _MATH_SCRIPT[match.group("script")]
            script = match.group("braced") or match.group("charge") or match.group("bare") or ""
            out.append(f"<{tag}>{script}</{tag}>" if script else "")
        elif kind == "arrow":
            out.append("→")
        elif match.group("element"):
            out.append(match.group("element"))
            if match.group("ion"):
                out.append(f"<sup>{match.group('ion')}</sup>")
            elif match.group("count"):
                out.append(f"<sub>{match.group('count')}</sub>")
        else:
            out.append(match.group())
    return "".join(out)


_TOOLS: list[Any] = []


def _tools() -> tuple[Any, Any]:
    """The parser's context and the symbol table, built once a run: each costs a millisecond to build."""
    if not _TOOLS:
        from pylatexenc import macrospec
        from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
        from pylatexenc.latexwalker import LatexWalker
        from pylatexenc.latexwalker import get_default_latex_context_db as walker_context_db

        # Commands the parser must know take an argument, so that their group is not read as a protected one.
        parsing = walker_context_db().filter_context(keep_categories=None)
        parsing.add_context_category(
            "lutnick",
            prepend=True,
            macros=[
                *(macrospec.MacroSpec(name, "{") for name in sorted(_ONE_ARGUMENT)),
                macrospec.MacroSpec("href", "{{"),
                macrospec.MacroSpec("NoCaseChange", "{"),
                macrospec.MacroSpec("foreignlanguage", "{{"),
                macrospec.MacroSpec("frac", "{{"),
                *(macrospec.MacroSpec(name, spec) for name, (spec, _, _) in _SIUNITX.items()),
                *(macrospec.MacroSpec(name, "[{") for name in sorted(_CHEMISTRY_COMMANDS)),
            ],
        )
        # \textasciicircum prints the ASCII circumflex (pylatexenc's default is U+02C6), which is what
        # lutnick_cli.latex writes for ‘^’.
        symbols = get_default_latex_context_db().filter_context(keep_categories=None)
        symbols.add_context_category("lutnick", prepend=True, macros=[MacroTextSpec("textasciicircum", "^")])
        to_text = LatexNodes2Text(
            latex_context=symbols, math_mode="text", keep_braced_groups=False, strict_latex_spaces=True
        )

        def walker(text: str) -> Any:
            return LatexWalker(text, latex_context=parsing, tolerant_parsing=True)

        _TOOLS.extend((walker, to_text))
    return _TOOLS[0], _TOOLS[1]
