"""Rich text of field values (engine/richtext.py): how a value's tags are found."""

from __future__ import annotations

from itertools import product

from conftest import csl_suite_runner, shared
from lutnick_cli.citation.engine import richtext

suite = csl_suite_runner()

# Pieces of tags and of text around them: what the tag pattern reads (in either case) and what it must not.
_PIECES = ("<", ">", "/", "i", "B", "sup", "SC", "span", " ", 'class="nocase"', 'style="font-style:italic;"', "x", "'")


def _found(matches) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(match.span(), match.groups()) for match in matches]


def _assert_as_the_pattern(texts: set[str]) -> int:
    """`tag_matches` finds in each text what the pattern finds; returns how many texts have a tag."""
    tagged = 0
    for text in texts:
        expected = _found(richtext._tag_pattern().finditer(text))
        assert _found(richtext.tag_matches(text)) == expected, text
        tagged += bool(expected)
    return tagged


def test_tag_matches_finds_what_the_tag_pattern_finds() -> None:
    texts = {"".join(pieces) for length in range(5) for pieces in product(_PIECES, repeat=length)}
    texts |= {"Lutnick's <i>Anti-Trafficking</i> Review", "a < b > c", '<span class="nocase">iPhone</span>'}
    assert _assert_as_the_pattern(texts) > 100


def test_tag_matches_finds_what_the_tag_pattern_finds_in_the_csl_suite_s_values() -> None:
    values: set[str] = set()
    for path in suite.fixture_paths(shared("csl-test-suite", "processor-tests", "humans")):
        for item in suite._items(suite.parse_fixture(path)):
            values.update(value for value in item.values() if isinstance(value, str))
    assert len(values) > 500  # the suite was read
    assert _assert_as_the_pattern(values) > 10
