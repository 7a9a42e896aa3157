"""The quick ways of turning a .bib file into CSL-JSON give exactly what the slow ones give.

A value whose only markup is brace groups, ties, escaped characters, accents
on one letter, bibtex's special letters ({\\o}), the common font commands and
logos (\\emph{…}, \\TeX) is decoded without the LaTeX parser: the result must
be the parser's, in titles and elsewhere, including what it reports as
unknown; so must it be for every value of the real .bib files under tests/.
Names are split
as bibtexparser splits them, common fields are read as the general path reads
them, and CSL-JSON items are written as json writes them.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TESTS
from lutnick_cli import latex_text, load
from lutnick_cli.formats import bib_reader
from lutnick_cli.latex_text import to_rich_text


def _by_the_parser(value: str, protect: bool) -> tuple[str, list[str]]:
    """What the LaTeX parser and its walk make of a value, and the commands they did not know."""
    text, unknown = latex_text._parsed(value, protect)
    return text, list(unknown)


# Pieces of real titles and names: words, spaces and line breaks, ligatures and punctuation, groups,
# letters and accents as commands, and the markup the fast paths must leave to the parser.
_PIECES = st.sampled_from([
    "a", "B", "é", "1", " ", "  ", "\n", "\t", "-", "--", "---", "'", "''", "`", "``", "?`", "!`", "&", "#", "^", "_",
    ".", ":", ",", "{", "}", "{}", "{ }", "{DNA}", "{B}", "{1990}", "{{RNA} world}",
    r"{\o}", r"{\O}", r"{\ss}", r"{\ae}", r"{\aa}", r"{\l}", r"{\i}", r"{\'a}", r"\"u", r"{\"{O}}", r"\o", r"\o{}",
    r"\textit{", r"\emph", r"\foo", r"\&", r"\\", "~", "$", "$x^", "%", r"\{", r"\}",
    r"\v c", r"\v{c}", r"\v{C}", r"\c{c}", r"{\c c}", r"\H{o}", r"\k a", r"\r{a}", r"\u{g}", r"\d{a}", r"\b{a}",
    r"\t{oo}", r"\'\i", r"\'{\i}", r"\"\j ", r"\' a", r"\'", r"\v", r"\^{}", r"\"{ab}", r"\~n", r"\=", r"\.I",
    r"\%", r"\#", r"\$", r"\_", r"{\& Co}", r"{ \&}", r"{~x}", r"{\'a b}", r"\o b", r"\ss{}", r"\AA", r"\oe{}",
    r"\L", r"\l ", r"\i", r"\j{}", r"\vc", r"\ud", r"\ob", r"\TeX", r"{\it x}", r"\textit{\'e}",
    r"\emph{", r"\emph {", r"\texttt{", r"\textbf{x}", r"\textsc{", r"\textsuperscript{", r"\textrm{}", r"\emphx{",
    r"\TeX{}", r"\LaTeX ", r"\LaTeXe", r"\BibTeX\ ", r"\slash", r"\slash{}", r"\AmS@", r"\TeXt", r"\textendash",
    r"{\emph{", r"{\TeX}", r"\textit{\emph{",
])
_MARKED = st.lists(_PIECES, min_size=1, max_size=14).map("".join).filter(lambda value: "{" in value or "\\" in value)


@settings(max_examples=3000, deadline=None)
@given(value=_MARKED, protect=st.booleans())
def test_the_fast_paths_give_what_the_parser_gives(value: str, protect: bool) -> None:
    unknown: list[str] = []
    text = to_rich_text(value, protect, unknown)
    assert (text, unknown) == _by_the_parser(value, protect)


@settings(max_examples=500, deadline=None)
@given(value=st.text(st.characters(codec="utf-8", exclude_characters="\\$%~\x00"), max_size=30), protect=st.booleans())
def test_any_text_with_braces_alone_gives_what_the_parser_gives(value: str, protect: bool) -> None:
    value = "{" + value + "}" + value
    assert to_rich_text(value, protect, []) == _by_the_parser(value, protect)[0]


def test_every_value_of_the_real_bib_files_gives_what_the_parser_gives(monkeypatch) -> None:
    decoded: set[tuple[str, bool]] = set()
    decode = bib_reader.to_rich_text

    def kept(value: str, protect: bool = False, unknown: list[str] | None = None) -> str:
        decoded.add((value, protect))
        return decode(value, protect, unknown)

    monkeypatch.setattr(bib_reader, "to_rich_text", kept)
    bib_reader._person_data.cache_clear()  # so that every name is decoded again
    files = sorted(TESTS.rglob("*.bib"))
    for path in files:
        list(load.iter_loaded([str(path)]))
    assert len(files) > 20 and len(decoded) > 3000
    for value, protect in sorted(decoded):
        for title in {protect, True}:
            unknown: list[str] = []
            assert (decode(value, title, unknown), unknown) == _by_the_parser(value, title), (value, title)


def test_braces_and_letters_decoded_without_the_parser() -> None:
    # The shapes reference managers write most, checked word for word as well.
    assert to_rich_text("Water and {CARE} -- the {{DNA} story}", True) == (
        'Water and <span class="nocase">CARE</span> – the <span class="nocase">DNA story</span>')
    assert to_rich_text("Water and {CARE} -- the {{DNA} story}", False) == "Water and CARE – the DNA story"
    assert to_rich_text(r"W{\o}r and {\O}rsted and Gro{\ss}", True) == "Wør and Ørsted and Groß"
    # An argument stays one: the letter is not taken out of a command's group.
    assert to_rich_text(r"\textit{\o} {CARE}", True) == '<i>ø</i> <span class="nocase">CARE</span>'
    # A blank line after a command is a paragraph, which the command's space does not take.
    assert to_rich_text("\\AA\n\na", False) == "Å\n\na"
    assert to_rich_text("\\'\n\na", False) == _by_the_parser("\\'\n\na", False)[0]


_NAME_PIECES = st.sampled_from([
    "A", "b", "and", "AND", "aNd", "an", "nd", " ", "  ", "\t", "\n", "\r", "\x0b", "~", ",", "x",
    "{", "}", "{B}", "{and}", "{A and B}", "{Ng}", r"{\'a}", r"{\o}", r"\'a", "\\", r"\{", r"{\}}", r"{a\ and}",
])


@settings(max_examples=3000, deadline=None)
@given(value=st.lists(_NAME_PIECES, max_size=16).map("".join))
def test_names_split_where_bibtexparser_splits_them(value: str) -> None:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    assert bib_reader.split_names(value) == split_multiple_persons_names(value)


_VALUES = st.sampled_from([
    "{Plain}", "{}", "{ Spaced  out\n  over lines }", "{{CARE} and {\\'a}}", "{a {b {c {d}}} e}", "{a {b {c {d {e}}}}}",
    "{\\{ not a group}", "{a \\} b}", '{say \\"x\\"}', "{unclosed", "{a}}", '"quoted {x}"', '"a" # {b}', "jn", "JN",
    "jn # { x}", "undefined", "1990", "1990 # jn", "{x}#{y}", "{x} # jn", "month", "aug", "{\\}",
])
_FIELDS = st.lists(st.tuples(st.sampled_from(["title", "Title", "author", "note", "x-y", "journal", "=", ""]),
                             st.sampled_from([" = ", "=", " =\n  ", " "]), _VALUES,
                             st.sampled_from([",\n  ", ",", " ,", "\n,", ",,", ""])), max_size=6)


@st.composite
def _bib_files(draw) -> str:
    parts = ["@string{jn = {Nature}}\n", "@STRING(month = jn # { } # {x})\n"]
    for number in range(draw(st.integers(1, 4))):
        body = "".join(f"{name}{equals}{value}{separator}" for name, equals, value, separator in draw(_FIELDS))
        opening, closing = draw(st.sampled_from(["{}", "()"]))
        parts.append(f"@{draw(st.sampled_from(['article', 'Book', 'misc']))}{opening}key{number},\n  {body}{closing}\n")
        parts.append(draw(st.sampled_from(["", "\n", "a comment\n", "@string{undefined = jn # {!}}\n"])))
    return "".join(parts)


@settings(max_examples=2000, deadline=None)
@given(text=_bib_files())
def test_fields_read_in_one_match_as_piece_by_piece(text: str) -> None:
    from lutnick_cli.formats import bib_syntax

    quick = bib_syntax.parse(text, bib_syntax.Definitions())
    common = bib_syntax._COMMON_FIELD
    try:
        bib_syntax._COMMON_FIELD = re.compile(r"(?!)")  # matches nothing: every field the general way
        general = bib_syntax.parse(text, bib_syntax.Definitions())
    finally:
        bib_syntax._COMMON_FIELD = common
    assert quick == general


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.tuples(children)
    | st.dictionaries(st.text(max_size=5) | st.integers(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=1000, deadline=None)
@given(value=_JSON, margin=st.sampled_from(["\n", "\n  "]))
def test_items_written_as_json_writes_them(value, margin: str) -> None:
    from lutnick_cli.formats.csl_json import indented

    assert indented(value, margin) == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", margin)


def _parts_by_bibtexparser(text: str) -> tuple[list[str], ...] | None:
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(text)
    except InvalidNameError:
        return None
    return parts.first, parts.von, parts.last, parts.jr


@settings(max_examples=5000, deadline=None)
@given(value=st.lists(_NAME_PIECES | st.sampled_from(["Smith", "van", "Jr", ", ", "-", "."]), max_size=10).map("".join))
def test_names_of_common_shapes_parted_as_bibtexparser_parts_them(value: str) -> None:
    text = value.strip()
    parts = bib_reader._plain_name_parts(text)
    if parts is not None:
        assert parts == _parts_by_bibtexparser(text), text


def test_every_name_of_the_real_bib_files_parted_as_bibtexparser_parts_it(monkeypatch) -> None:
    names: set[str] = set()
    split = bib_reader.split_names

    def kept(value: str) -> list[str]:
        found = split(value)
        names.update(name.strip() for name in found)
        return found

    monkeypatch.setattr(bib_reader, "split_names", kept)
    files = sorted(TESTS.rglob("*.bib"))
    for path in files:
        list(load.iter_loaded([str(path)]))
    quick = [name for name in sorted(names) if bib_reader._plain_name_parts(name) is not None]
    assert len(names) > 1000 and len(quick) > len(names) / 2
    for name in quick:
        assert bib_reader._plain_name_parts(name) == _parts_by_bibtexparser(name), name


@pytest.mark.parametrize(
    "name",
    [
        "van der Berg, Chlo{\\'e}",
        "de la Fontaine, Jean",
        "Smith van Berg, X.",
        "Berg van, Y",
        "Della Robbia, Luca",
        "von  Berg~Smith, A. B.",
        "1st van 2nd, x",
        "van der Berg, {}",
    ],
)
def test_von_last_first_parted_without_the_parser_as_bibtexparser_parts_it(name: str) -> None:
    parts = bib_reader._plain_name_parts(name)
    assert parts is not None and parts == _parts_by_bibtexparser(name)
