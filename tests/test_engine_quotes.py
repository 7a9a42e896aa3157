"""Quotes, punctuation in quotes, flip-flopped fonts and markup in field values (engine/richtext.py)."""

from __future__ import annotations

import pytest

from conftest import csl_suite_runner

suite = csl_suite_runner()

TITLE_THEN_JOURNAL = (
    '<citation><layout><group delimiter=". ">'
    '<text variable="title" quotes="true"/><text variable="container-title"/>'
    "</group></layout></citation>"
)


def test_en_us_moves_the_period_inside_the_closing_quote() -> None:
    item = {"id": "a", "type": "article-journal", "title": "Safety in Districts", "container-title": "Journal"}
    assert suite.render_inline(TITLE_THEN_JOURNAL, [item]) == "“Safety in Districts.” Journal"


def test_en_gb_leaves_the_period_outside() -> None:
    item = {"id": "a", "type": "article-journal", "title": "Safety in Districts", "container-title": "Journal"}
    assert suite.render_inline(TITLE_THEN_JOURNAL, [item], locale="en-GB") == "‘Safety in Districts’. Journal"


def test_quotes_in_a_quoted_title_become_inner_quotes_and_take_the_period() -> None:
    body = '<citation><layout><text variable="title" quotes="true" suffix="."/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "Read 'The Policy'"}
    assert suite.render_inline(body, [item]) == "“Read ‘The Policy.’”"


def test_straight_apostrophes_become_typographic() -> None:
    body = '<citation><layout><text variable="title"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "O'Brien's 'We Weren't Asked': Survey '09"}
    assert suite.render_inline(body, [item]) == "O’Brien’s “We Weren’t Asked”: Survey ’09"


def test_field_markup_and_flip_flop_of_italics() -> None:
    body = '<citation><layout><text variable="title" font-style="italic"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": 'Roe <i>v.</i> H<sub>2</sub>O & <span class="nocase">co</span>'}
    assert suite.render_inline(body, [item]) == (
        '<i>Roe <span style="font-style:normal;">v.</span> H<sub>2</sub>O &#38; co</i>'
    )


def test_no_double_period_after_a_closing_font_mark() -> None:
    body = (
        '<citation><layout><group delimiter=". " suffix=".">'
        '<text variable="title" font-style="italic"/><text variable="publisher"/>'
        "</group></layout></citation>"
    )
    item = {"id": "a", "type": "book", "title": "Life, etc.", "publisher": "Press"}
    assert suite.render_inline(body, [item]) == "<i>Life, etc.</i> Press."


def test_period_moves_inside_a_quote_inside_italics() -> None:
    body = (
        '<citation><layout><group delimiter=". " suffix="."><group font-style="italic"><text variable="title" quotes="true"/></group>'
        '<date variable="issued"><date-part name="year"/></date></group></layout></citation>'
    )
    item = {"id": "a", "type": "book", "title": "Book A", "issued": {"date-parts": [[1900]]}}
    assert suite.render_inline(body, [item]) == "<i>“Book A.”</i> 1900."


def test_a_cite_prefix_starting_with_punctuation_replaces_the_delimiter() -> None:
    body = '<citation><layout delimiter="; "><text variable="title"/></layout></citation>'
    items = [{"id": "a", "type": "book", "title": "Book A"}, {"id": "b", "type": "book", "title": "Book B"}]
    cites = [[{"id": "a"}, {"id": "b", "prefix": ", cited in "}]]
    assert suite.render_inline(body, items, citation_items=cites) == "Book A, cited in Book B"


def test_punctuation_meeting_at_a_seam() -> None:
    body = (
        '<citation><layout><group delimiter=" | "><text variable="title" suffix=";"/><text variable="title" suffix="?"/>'
        '</group><text value="colon" prefix=": "/></layout></citation>'
    )
    item = {"id": "a", "type": "book", "title": "Why"}
    assert suite.render_inline(body, [item]) == "Why; | Why? colon"
    body = '<citation><layout><text variable="title" suffix=":"/><text value="next" prefix="? "/></layout></citation>'
    assert suite.render_inline(body, [item]) == "Why? next"


def test_name_variables_of_csl_1_0_2_are_names() -> None:
    body = '<citation><layout><names variable="reviewed-author"><name form="short"/></names></layout></citation>'
    item = {"id": "a", "type": "review", "reviewed-author": [{"family": "Reviewer", "given": "Ada"}]}
    assert suite.render_inline(body, [item]) == "Reviewer"


def test_question_and_exclamation_marks_move_in_too_but_not_a_cites_own_punctuation() -> None:
    body = '<citation><layout suffix="? Yes"><text variable="title" quotes="true"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "Safe"}
    assert suite.render_inline(body, [item]) == "“Safe?” Yes"
    body = '<citation><layout><text variable="title"/></layout></citation>'
    cites = [[{"id": "a", "prefix": "'quote', "}]]
    assert suite.render_inline(body, [item], citation_items=cites) == "“quote”, Safe"


def test_a_text_value_is_rich_text() -> None:
    body = (
        '<citation><layout prefix="They said " suffix=", twice."><text value="\'safety first\'"/></layout></citation>'
    )
    assert suite.render_inline(body, [{"id": "a", "type": "book"}]) == "They said “safety first,” twice."


def test_curly_quotes_in_a_field_alternate_with_nesting_but_top_level_singles_stay() -> None:
    body = '<citation><layout><text variable="title" quotes="true"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "Our “‘Safe’ <b>and</b> Legal” Work"}
    assert suite.render_inline(body, [item]) == "“Our ‘“Safe” <b>and</b> Legal’ Work”"
    plain = '<citation><layout><text variable="title"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "The ‘Prioritizing Safety’ Policy"}
    assert suite.render_inline(plain, [item]) == "The ‘Prioritizing Safety’ Policy"


def test_a_text_in_cjk_script_is_not_italicised() -> None:
    # citeproc-js drops the font style of a single string with no Latin-like letter or digit.
    body = (
        '<citation><layout delimiter="; "><text variable="container-title" font-style="italic"/>'
        '<group font-style="italic" prefix=" "><text variable="title"/></group></layout></citation>'
    )
    items = [{"id": "a", "type": "article-journal", "container-title": "心理学报", "title": "研究"}]
    assert suite.render_inline(body, items) == "心理学报 <i>研究</i>"
    items = [{"id": "a", "type": "article-journal", "container-title": "心理学报 2", "title": "研究"}]
    assert suite.render_inline(body, items) == "<i>心理学报 2</i> <i>研究</i>"


def test_a_fields_outermost_quotes_keep_their_own_level() -> None:
    # citeproc-js: the field's first kind of straight quote is outer, the other inner;
    # a curly “ is the locale's: outer in en-US, inner in en-GB, where ‘ opens.
    body = '<citation><layout><text variable="title"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "On \"safe\" and 'unsafe' districts"}
    assert suite.render_inline(body, [item]) == "On “safe” and ‘unsafe’ districts"
    assert suite.render_inline(body, [item], locale="en-GB") == "On ‘safe’ and “unsafe” districts"
    item = {"id": "a", "type": "book", "title": "The “Safe” district"}
    assert suite.render_inline(body, [item], locale="en-GB") == "The “Safe” district"


def test_punctuation_typed_after_a_quote_in_a_field_stays_where_it_is() -> None:
    # Neither moved into the quotation nor merged with the punctuation inside it.
    body = '<citation><layout><text variable="title"/></layout></citation>'
    item = {"id": "a", "type": "book", "title": "“A ‘safe district’?”: Policing, reconsidered"}
    assert suite.render_inline(body, [item]) == "“A ‘safe district’?”: Policing, reconsidered"


def test_font_style_normal_undoes_an_enclosing_italic_and_only_that() -> None:
    body = (
        '<citation><layout><text variable="title" font-style="normal"/>'
        '<group font-style="italic" prefix=" "><text variable="title" font-style="normal"/></group>'
        "</layout></citation>"
    )
    item = {"id": "a", "type": "book", "title": "Safety"}
    assert suite.render_inline(body, [item]) == 'Safety <i><span style="font-style:normal;">Safety</span></i>'


def test_an_edition_ending_in_a_period_takes_no_second_one() -> None:
    # "1st ed." as a record may give it, then the period a style adds: by a suffix, a text
    # value, a delimiter or a closing affix, with or without a font mark between.
    bodies = {
        '<group prefix="(" suffix=")"><text variable="edition" suffix="."/></group>': "(1st ed.)",
        '<text variable="edition" prefix="(" suffix=".)"/>': "(1st ed.)",
        '<group prefix="(" suffix=")"><text variable="edition"/><text value="."/></group>': "(1st ed.)",
        '<group prefix="(" suffix=")"><text variable="edition" font-style="italic"/><text value="."/></group>': "(<i>1st ed.</i>)",
        '<group prefix="(" suffix=")" delimiter=". "><text variable="edition"/><text variable="volume"/></group>': "(1st ed. 2)",
    }
    item = {"id": "a", "type": "book", "title": "T", "edition": "1st ed.", "volume": "2"}
    for body, expected in bodies.items():
        assert suite.render_inline(f"<citation><layout>{body}</layout></citation>", [item]) == expected, body


def test_an_edition_as_a_record_gives_it_prints_once_in_apa(run, tmp_path) -> None:
    for edition in ("1st ed.", "1st", "1"):
        path = tmp_path / "book.yaml"
        path.write_text(
            "id: smith2000\ntype: book\ntitle: A book\nauthors:\n  - family: Smith\n    given: Jane\n"
            f"publisher: Pub\nissued: 2000\nedition: {edition!r}\n",
            encoding="utf-8",
        )
        result = run("cite", "--style", "apa", str(path))
        assert (result.stdout, result.stderr) == ("Smith, J. (2000). A book (1st ed.). Pub.\n", ""), edition


def test_a_locator_is_rich_text_and_its_quotes_take_the_period() -> None:
    body = (
        '<citation><layout suffix="."><group delimiter=", "><text variable="title" font-style="italic"/>'
        '<group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>'
        "</group></layout></citation>"
    )
    item = {"id": "a", "type": "entry-dictionary", "title": "Dictionary"}
    # "sub verbo", CSL 1.0's spelling of the locator type, is read as CSL 1.0.2's "sub-verbo" (citeproc-js)
    cites = [[{"id": "a", "label": "sub verbo", "locator": '"gargoyle"'}]]
    assert suite.render_inline(body, [item], citation_items=cites) == "<i>Dictionary</i>, s.v. “gargoyle.”"
    cites = [[{"id": "a", "label": "sub-verbo", "locator": "<b>gargoyle</b>"}]]
    assert suite.render_inline(body, [item], citation_items=cites) == "<i>Dictionary</i>, s.v. <b>gargoyle</b>."


def _resolved_both_ways(texts, locale, monkeypatch) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """`resolve()` of each text as it is, and with its shortcuts off: plain text cut into single characters,
    and the punctuation rules run wherever two punctuation marks meet."""
    import re

    from lutnick_cli.citation.engine import richtext
    from lutnick_cli.citation.styles import load_style

    root = load_style("apa", locale).root
    runs = [richtext.resolve(text, root) for text in texts]
    with monkeypatch.context() as patch:
        patch.setattr(richtext, "_PLAIN_RUNS", re.compile(r"(?s)."))
        patch.setattr(richtext, "_MERGING_PAIR", re.compile(r"[.:;!?,][.:;!?,]"))
        chars = [richtext.resolve(text, root) for text in texts]
    return runs, chars


def test_resolve_with_shortcuts_equals_resolve_without_on_generated_text(monkeypatch) -> None:
    import random

    from lutnick_cli.citation.engine import richtext
    from lutnick_cli.citation.markup import MARKS

    marks = sorted(richtext.ALL_MARKS) + [MARKS["italic"][0], MARKS["italic"][1]] * 3
    pieces = [*marks, *".:;!?,", " ", "  ", "\u00a0", "\n", "Ab", "c", "é", "’", "“", "(", ")", "1999", "et al."]
    generator = random.Random(12)
    texts = ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 30))) for _ in range(6000)]
    for locale in ("en-US", "en-GB"):
        runs, chars = _resolved_both_ways(texts, locale, monkeypatch)
        assert runs == chars


def test_resolve_with_shortcuts_equals_resolve_without_on_rendered_entries(monkeypatch) -> None:
    """The texts `resolve()` is given for every entry and cite of the fixtures of the CSL suite."""
    from lutnick_cli.citation.engine import richtext

    if not suite.suite_directory().is_dir():
        pytest.skip("the CSL test suite is not checked out next to the repository (../shared/csl-test-suite)")

    given: list[str] = []
    resolve = richtext.resolve

    def keeping(text, root):  # type: ignore[no-untyped-def]
        given.append(text)
        return resolve(text, root)

    with monkeypatch.context() as patch:
        patch.setattr(richtext, "resolve", keeping)
        for path in suite.fixture_paths():
            suite.render(suite.parse_fixture(path))
    assert len(given) > 1500
    for locale in ("en-US", "en-GB"):
        runs, chars = _resolved_both_ways(given, locale, monkeypatch)
        assert runs == chars
