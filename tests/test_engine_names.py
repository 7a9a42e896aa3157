"""Names (engine/names.py): initialisation, particles, scripts, et-al and counting."""

from __future__ import annotations

from pathlib import Path

from conftest import csl_suite_runner, shared

suite = csl_suite_runner()


def names(name_attributes: str, people: list[dict], names_attributes: str = "") -> str:
    body = (
        f'<citation><layout><names variable="author" {names_attributes}><name {name_attributes}/></names>'
        "</layout></citation>"
    )
    return suite.render_inline(body, [{"id": "a", "type": "book", "author": people}])


LUTNICK = {"family": "Lutnick", "given": "Alexandra"}


def test_initialize_false_keeps_full_given_names() -> None:
    # Chicago and MLA: initialize-with="." with initialize="false" only normalises existing initials.
    assert names('name-as-sort-order="all" initialize-with="." initialize="false"', [LUTNICK]) == "Lutnick, Alexandra"
    assert names('initialize-with="." initialize="false"', [{"family": "Behn", "given": "M E"}]) == "M.E. Behn"


def test_initialize_true_initialises() -> None:
    assert names('name-as-sort-order="all" initialize-with=". "', [LUTNICK]) == "Lutnick, A."


def test_hyphenated_given_names_initialise_per_part() -> None:
    person = {"family": "Sartre", "given": "Jean-Paul"}
    assert names('initialize-with="."', [person]) == "J.-P. Sartre"
    assert names('initialize-with="." initialize-with-hyphen="false"', [person]).replace(" ", "") == "J.P.Sartre"


def test_cjk_names_print_family_first_without_space() -> None:
    assert names("", [{"family": "村上", "given": "春樹"}]) == "村上春樹"


def test_particle_ending_in_apostrophe_joins_without_space() -> None:
    person = {"family": "Ancona", "given": "Luigi", "non-dropping-particle": "d'"}
    assert names("", [person]) == "Luigi d’Ancona"


def test_comma_suffix_and_no_initials_without_family_name() -> None:
    assert names("", [{"family": "Doe", "given": "Jeffrey", "suffix": "Jr.", "comma-suffix": True}]) == "Jeffrey Doe, Jr."
    assert names('initialize-with="."', [{"given": "Banksy"}]) == "Banksy"


def test_count_sums_across_variables() -> None:
    body = (
        '<citation><layout><names variable="author editor"><name form="count"/></names></layout></citation>'
    )
    item = {"id": "a", "type": "book", "author": [LUTNICK, {"family": "Roe"}], "editor": [{"family": "Doe"}]}
    assert suite.render_inline(body, [item]) == "3"


def test_delimiter_before_and_after_an_institution_is_not_inverted() -> None:
    people = [{"literal": "Productivity Commission"}, {"literal": "Treasury"}]
    assert names('and="symbol" delimiter-precedes-last="after-inverted-name" name-as-sort-order="all"', people) == (
        "Productivity Commission &#38; Treasury"
    )


def test_et_al_use_last() -> None:
    people = [{"family": f"N{i}", "given": "A"} for i in range(8)]
    assert names('et-al-min="7" et-al-use-first="3" et-al-use-last="true"', people) == "A N0, A N1, A N2, … A N7"


def test_suffix_written_into_the_given_name() -> None:
    assert names("", [{"family": "Ford", "given": "Henry, III"}]) == "Henry Ford III"
    assert names("", [{"family": "Douglass", "given": "Frederick,! Jr."}]) == "Frederick Douglass, Jr."


def test_a_bare_string_is_a_literal_name() -> None:
    assert names("", ["Ada Reviewer"]) == "Ada Reviewer"  # type: ignore[list-item]


def test_no_space_before_a_cjk_et_al_or_after_a_given_name_ending_in_a_space() -> None:
    body = (
        '<locale><terms><term name="et-al">等</term></terms></locale>'
        '<citation><layout><names variable="author"><name et-al-min="3" et-al-use-first="1"/></names>'
        "</layout></citation>"
    )
    people = [{"family": f"N{i}", "given": "A"} for i in range(3)]
    assert suite.render_inline(body, [{"id": "a", "type": "book", "author": people}]) == "A N0等"
    body = (
        '<citation><layout><names variable="author"><name><name-part name="given" suffix="&#160;"/></name>'
        "</names></layout></citation>"
    )
    assert suite.render_inline(body, [{"id": "a", "type": "book", "author": [LUTNICK]}]) == "Alexandra\u00a0Lutnick"


def test_particles_parsed_from_family_names() -> None:
    assert names('name-as-sort-order="all"', [{"family": "al-Rashid", "given": "Harun"}]) == "Rashid, Harun al-"
    assert names("", [{"family": "de'Medici", "given": "Lorenzo"}]) == "Lorenzo de’ Medici"
    assert names("", [{"family": "\"Van Buren\"", "given": "Martin"}]) == "Martin Van Buren"
    assert names("", [{"family": "Este", "given": "Beatrice d'"}]) == "Beatrice d’Este"


def test_et_al_needs_both_et_al_min_and_et_al_use_first() -> None:
    people = [{"family": f"N{i}", "given": "A"} for i in range(3)]
    assert names('et-al-min="3"', people) == "A N0, A N1, A N2"
    assert names('et-al-min="3" et-al-use-first="1"', people) == "A N0 et al."


def test_particles_with_periods_or_a_leading_apostrophe() -> None:
    assert names('name-as-sort-order="all"', [{"family": "v.d. Berg", "given": "Anna"}]) == "Berg, Anna v.d."
    assert names("", [{"family": "’t Hart", "given": "Joost"}]) == "Joost ’t Hart"


def test_shorthand_names_in_a_choose_inside_substitute_inherit_name_and_label() -> None:
    # Chicago's editor-only books: the editor's cs:names sits in a cs:choose within cs:substitute.
    body = (
        '<citation><layout><names variable="author">'
        '<name name-as-sort-order="first" initialize="false" initialize-with=". "/>'
        '<label form="short" prefix=", "/>'
        '<substitute><choose><if type="book"><names variable="editor"/></if></choose></substitute>'
        "</names></layout></citation>"
    )
    item = {"id": "a", "type": "book", "editor": [{"family": "Lutnick", "given": "Alexandra J."}]}
    assert suite.render_inline(body, [item]) == "Lutnick, Alexandra J., ed."


def test_a_suffix_takes_the_initials_punctuation() -> None:
    # NLM and AMA: "Lutnick A Jr" (initialize-with=""), as citeproc-js writes it.
    person = {"family": "Lutnick", "given": "Alexandra", "suffix": "Jr."}
    assert names('name-as-sort-order="all" sort-separator=" " initialize-with=""', [person]) == "Lutnick A Jr"
    assert names('initialize-with=". "', [person]) == "A. Lutnick Jr."
    assert names("", [person]) == "Alexandra Lutnick Jr."


def test_an_et_al_term_of_only_whitespace_prints_nothing() -> None:
    body = (
        '<locale><terms><term name="and others">\n      </term></terms></locale>'
        '<citation><layout><names variable="author" suffix=". "><name et-al-min="2" et-al-use-first="1"/>'
        '<et-al term="and others"/></names><text variable="title"/></layout></citation>'
    )
    people = [{"family": "Lutnick", "given": "A."}, {"family": "Doe", "given": "J."}]
    assert suite.render_inline(body, [{"id": "a", "type": "book", "author": people, "title": "Safety"}]) == (
        "A. Lutnick. Safety"
    )


def test_an_and_term_outside_the_spaced_scripts_joins_without_spaces() -> None:
    body = (
        '<locale><terms><term name="and">和</term></terms></locale>'
        '<citation><layout><names variable="author"><name and="text"/></names></layout></citation>'
    )
    people = [{"family": "村上", "given": "春樹"}, {"family": "王", "given": "小明"}]
    assert suite.render_inline(body, [{"id": "a", "type": "book", "author": people}]) == "村上春樹和王小明"
    assert names('and="text"', [LUTNICK, {"family": "Doe", "given": "Jane"}]) == "Alexandra Lutnick and Jane Doe"


def test_a_name_printed_before_prints_as_disambiguation_expands_it_each_time() -> None:
    # A cs:name formats each name once for a context; the form given-name disambiguation asks for is
    # part of what it is kept under, so the same name prints short, expanded, and short again.
    import dataclasses

    from lutnick_cli.citation.render import Renderer
    from lutnick_cli.load import load_embedded

    record = load_embedded().record
    alexandra = dataclasses.replace(record, id="a")
    jane = dataclasses.replace(record, id="b", authors=(dataclasses.replace(record.authors[0], given="Jane"),))
    renderer = Renderer("apa")
    assert renderer.in_text([alexandra]) == "(Lutnick, 2019)"
    together = renderer.bibliography([alexandra, jane], with_in_text=True)
    assert [in_text for _, _, in_text in together] == ["(A. Lutnick, 2019)", "(J. Lutnick, 2019)"]
    assert renderer.in_text([alexandra]) == "(Lutnick, 2019)"
    assert [entry[:13] for entry in renderer.entries([alexandra, jane])] == ["Lutnick, A. (", "Lutnick, J. ("]


def test_names_without_a_name_element_print_alike_on_every_render(tmp_path: Path) -> None:
    # A cs:names with no cs:name gets one when it first prints (placed first, so a label follows the
    # names); what the cs:names reads of its children once must follow that, render after render.
    import dataclasses

    from lutnick_cli.citation.render import Renderer
    from lutnick_cli.load import load_embedded

    style = tmp_path / "editors.csl"
    style.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
        "<info><id>editors</id><title>editors</title><updated>2024-01-01T00:00:00+00:00</updated></info>"
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography><layout><names variable="editor"><label form="short" prefix=" (" suffix=")"/></names>'
        "</layout></bibliography></style>",
        encoding="utf-8",
    )
    record = load_embedded().record
    edited = dataclasses.replace(record, editors=record.authors)
    renderer = Renderer(str(style))
    assert renderer.entries([edited]) == ["Alexandra Lutnick (ed.)"]
    assert renderer.entries([edited]) == ["Alexandra Lutnick (ed.)"]
    # the label is kept per variable and number: a second editor makes it plural, and one singular again
    jane = dataclasses.replace(record.authors[0], given="Jane", family="Doe")
    two = dataclasses.replace(record, id="two", editors=(*record.authors, jane))
    assert renderer.entries([two]) == ["Alexandra Lutnick, Jane Doe (eds.)"]
    assert renderer.entries([edited, two]) == ["Alexandra Lutnick (ed.)", "Alexandra Lutnick, Jane Doe (eds.)"]
    # the cs:name added is the one used from then on: one, however many renders
    names = next(renderer.style.root.iter("{http://purl.org/net/xbiblio/csl}names"))
    assert [child.tag for child in names] == ["EngineName", "{http://purl.org/net/xbiblio/csl}label"]


def test_ascii_text_is_romanesque_as_the_full_test_finds_it() -> None:
    # `is_romanesque` answers for ASCII text without its regular expression: every ASCII character is
    # one the expression allows, so both give the same answer.
    from lutnick_cli.citation.engine.names import _romanesque, is_romanesque

    for code in range(128):
        assert _romanesque().match(chr(code)) is not None
    assert is_romanesque("Lutnick", "Alexandra") and is_romanesque("O'Brien", "J.-P.")
    assert not is_romanesque("村上", "Haruki") and is_romanesque("García", "José")


# Characters on either side of each boundary the name patterns and their guards draw: Latin-1's lower case,
# apostrophes and quotation marks (plain, and as field marks), white space (and the no-break space), a
# hyphen, a period, a digit, a capital.
_NAME_PATTERN_ALPHABET = "azAZ`{\u00df\u00e0\u00ff\u0100'\u2019\"\ufdea\ufdee\ufdeb\ufdef\ufffe \u00a0\t\n-.1"


def _suite_name_parts() -> set[str]:
    """Every given and family name of the CSL test suite's records."""
    found: set[str] = set()
    for path in suite.fixture_paths(shared("csl-test-suite", "processor-tests", "humans")):
        for item in suite._items(suite.parse_fixture(path)):
            for value in item.values():
                for person in value if isinstance(value, list) else []:
                    if isinstance(person, dict):
                        found.update(str(person[key]) for key in ("given", "family") if person.get(key))
    return found


def _as_found(match) -> tuple | None:  # type: ignore[no-untyped-def]
    return None if match is None else (match.span(), match.groups())


def _assert_name_patterns_decide_as_their_guards(texts: set[str]) -> None:
    """`quoted_family`, `family_particle` and `given_particle` answer some names without their patterns;
    each must answer every text as its pattern does (and each pattern must find something among them)."""
    from lutnick_cli.citation.engine import names as engine_names

    found = {"quoted": 0, "family": 0, "given": 0}
    for text in texts:
        quoted = engine_names._quoted_pattern().match(text)
        assert _as_found(engine_names.quoted_family(text)) == _as_found(quoted), text
        family = engine_names._family_particle_pattern().match(text)
        assert _as_found(engine_names.family_particle(text)) == _as_found(family), text
        given = engine_names._given_particle_pattern().search(text)
        given = given if given and given.start() > 0 else None
        assert _as_found(engine_names.given_particle(text)) == _as_found(given), text
        found["quoted"] += quoted is not None
        found["family"] += family is not None
        found["given"] += given is not None
    assert all(found.values()), found


_REAL_NAME_PARTS = {
    "Lutnick", "Alexandra", "van Gogh", "d'Ancona", "d’Ancona", "al-Rashid", "Alexander von", "de la Fontaine",
    "Jean de", '"Van Buren"', "Ludwig van", " von", "  a b", "a  b", "von ", "\u00e9mile", "O'Brien",
}  # fmt: skip


def test_the_name_patterns_first_characters_decide_as_the_patterns_do() -> None:
    # every string of up to three characters of the alphabet above, and names with each of them in front
    from itertools import product

    texts = {"".join(chars) for length in range(4) for chars in product(_NAME_PATTERN_ALPHABET, repeat=length)}
    texts |= {f"{edge}{name}" for name in _REAL_NAME_PARTS for edge in _NAME_PATTERN_ALPHABET}
    _assert_name_patterns_decide_as_their_guards(texts | _REAL_NAME_PARTS)


def test_the_name_patterns_guards_decide_as_the_patterns_do_on_the_csl_suite_s_names() -> None:
    parts = _suite_name_parts()
    assert len(parts) > 100  # the suite's records were read
    edged = {f"{edge}{name}" for name in parts for edge in _NAME_PATTERN_ALPHABET}
    _assert_name_patterns_decide_as_their_guards(parts | edged)
