"""Empty values, substitution and subsequent-author-substitute (engine/variables.py, engine/collapse.py)."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()


def test_a_title_substituted_through_a_macro_is_not_printed_twice() -> None:
    body = (
        '<macro name="title"><text variable="title" font-style="italic"/></macro>'
        '<citation><layout><group delimiter=". "><names variable="author"><substitute><text macro="title"/>'
        '</substitute></names><date variable="issued"><date-part name="year"/></date><text macro="title"/>'
        "</group></layout></citation>"
    )
    item = {"id": "a", "type": "report", "title": "Safety", "issued": {"date-parts": [[2019]]}}
    assert suite.render_inline(body, [item]) == "<i>Safety</i>. 2019"


def test_editors_substituted_under_names_without_a_name_element_are_not_printed_twice() -> None:
    # The names of Vancouver's author macro have no cs:name; the engine makes one for them, with the
    # engine's rules (names spent by substitution among them), as citeproc-py makes its own.
    body = (
        '<macro name="author"><names variable="author"><label prefix=", "/><substitute><names variable="editor"/>'
        '</substitute></names></macro>'
        '<citation><layout><group delimiter=". "><text macro="author"/><text variable="title"/>'
        '<names variable="editor"><name/><label prefix=", "/></names></group></layout></citation>'
    )
    item = {"id": "a", "type": "book", "title": "Handbook", "editor": [{"family": "Sawyer", "given": "Keith"}]}
    assert suite.render_inline(body, [item]) == "Keith Sawyer, editor. Handbook"


def test_empty_strings_are_no_value() -> None:
    body = (
        '<citation><layout><text variable="title"/><group prefix=", "><label variable="page" form="short"/>'
        '<text variable="page"/></group></layout></citation>'
    )
    item = {"id": "a", "type": "book", "title": "Safety", "page": ""}
    assert suite.render_inline(body, [item]) == "Safety"


def test_subsequent_author_substitute() -> None:
    body = (
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography subsequent-author-substitute="———"><sort><key variable="title"/></sort><layout>'
        '<group delimiter=", "><names variable="author"><name/></names><text variable="title"/></group>'
        "</layout></bibliography>"
    )
    author = [{"family": "Lutnick", "given": "Alexandra"}]
    items = [
        {"id": "a", "type": "book", "title": "A", "author": author},
        {"id": "b", "type": "book", "title": "B", "author": author},
    ]
    assert suite.render_inline(body, items, mode="bibliography", output_format="text") == (
        "Alexandra Lutnick, A\n———, B"
    )


def test_a_cite_with_no_printed_form_says_so() -> None:
    body = '<citation><layout><text variable="title"/></layout></citation>'
    assert suite.render_inline(body, [{"id": "a", "type": "book"}]) == (
        "[CSL STYLE ERROR: reference with no printed form.]"
    )


def test_a_label_prints_only_with_its_variable() -> None:
    body = (
        '<citation><layout><group delimiter=", "><text variable="title"/><group delimiter=" ">'
        '<label variable="page" form="short"/><text term="at"/></group></group></layout></citation>'
    )
    assert suite.render_inline(body, [{"id": "a", "type": "book", "title": "Safety"}]) == "Safety, at"


def test_journal_abbreviation_is_the_short_container_title() -> None:
    body = '<citation><layout><text variable="container-title" form="short"/></layout></citation>'
    item = {"id": "a", "type": "article-journal", "container-title": "Anti-Trafficking Review",
            "journalAbbreviation": "ATR"}  # fmt: skip
    assert suite.render_inline(body, [item]) == "ATR"


def test_a_macro_whose_variables_are_all_empty_prints_nothing() -> None:
    body = (
        '<macro name="container"><choose><if type="chapter"><text term="in" suffix=" "/></if></choose>'
        '<text variable="container-title" font-style="italic"/></macro>'
        '<citation><layout><group delimiter=", "><text variable="title"/><text macro="container"/></group>'
        "</layout></citation>"
    )
    chapter = {"id": "a", "type": "chapter", "title": "Safety"}
    assert suite.render_inline(body, [chapter]) == "Safety"
    chapter["container-title"] = "Review"
    assert suite.render_inline(body, [chapter]) == "Safety, in <i>Review</i>"


def test_variables_in_the_note_field_are_read() -> None:
    body = '<citation><layout><text variable="container-title" form="short"/></layout></citation>'
    item = {"id": "a", "type": "chapter", "container-title": "Review of Policy: Annual",
            "note": "container-title-short: Review\nother: ignored"}  # fmt: skip
    assert suite.render_inline(body, [item]) == "Review"


def test_a_macro_with_an_empty_variable_in_a_later_choose_prints_nothing() -> None:
    body = (
        '<macro name="container"><choose><if type="chapter"><text term="in" suffix=" "/></if></choose>'
        '<choose><if type="legal_case" match="none"><text variable="container-title"/></if></choose></macro>'
        '<citation><layout><group delimiter=". "><text variable="title"/><text macro="container"/></group>'
        "</layout></citation>"
    )
    assert suite.render_inline(body, [{"id": "a", "type": "chapter", "title": "Safety"}]) == "Safety"


def test_subsequent_author_substitute_replaces_the_names_and_keeps_the_label() -> None:
    body = (
        '<macro name="author"><names variable="author"><name name-as-sort-order="all"/><label prefix=" " form="short"/>'
        '<substitute><names variable="editor"/></substitute></names></macro>'
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography subsequent-author-substitute="---"><sort><key macro="author"/><key variable="title"/></sort>'
        '<layout><group delimiter=". "><text macro="author"/><text variable="title"/></group></layout></bibliography>'
    )
    doe = [{"family": "Doe", "given": "John"}]
    items = [
        {"id": "a", "type": "book", "title": "Report 1", "editor": doe},
        {"id": "b", "type": "book", "title": "Report 2", "author": doe},
    ]
    assert suite.render_inline(body, items, mode="bibliography", output_format="text") == (
        "Doe, John ed. Report 1\n---. Report 2"
    )


def test_an_empty_term_in_a_substitute_substitutes_nothing() -> None:
    body = (
        '<locale><terms><term name="editor"></term><term name="author">Writer</term></terms></locale>'
        '<citation><layout><group delimiter=" "><group><text value="Made by:"/></group><names variable="translator"><substitute>'
        '<text term="editor"/><text term="author"/></substitute></names></group></layout></citation>'
    )
    assert suite.render_inline(body, [{"id": "a", "type": "book"}]) == "Made by:"


def test_number_variables_are_not_rich_text() -> None:
    body = '<citation><layout><number variable="edition"/></layout></citation>'
    item = {"id": "a", "type": "book", "edition": "2<sup>nd</sup>"}
    assert suite.render_inline(body, [item]) == "2&#60;sup&#62;nd&#60;/sup&#62;"


def test_a_group_with_a_choose_counts_the_branch_it_took() -> None:
    # APA's theses: a branch printing only a text value does not keep a group whose variable is empty.
    body = (
        '<citation><layout><text variable="title"/><group delimiter=" " prefix=" (" suffix=")">'
        '<choose><if type="thesis" variable="genre"><text value="publication"/></if>'
        '<else><text variable="genre"/></else></choose>'
        '<text variable="number"/></group></layout></citation>'
    )
    item = {"id": "a", "type": "thesis", "title": "Safety", "genre": "PhD dissertation"}
    assert suite.render_inline(body, [item]) == "Safety"
    assert suite.render_inline(body, [{**item, "number": "12"}]) == "Safety (publication 12)"


def test_substitution_suppresses_only_the_variables_it_printed() -> None:
    # APA: the title substitutes for the author through a macro that could print the publisher too.
    body = (
        '<macro name="title"><choose><if type="thesis"><text variable="publisher"/></if>'
        '<else><text variable="title"/></else></choose></macro>'
        '<citation><layout delimiter="; "><group delimiter=". "><names variable="author">'
        '<substitute><text macro="title"/></substitute></names>'
        '<text variable="publisher"/></group></layout></citation>'
    )
    item = {"id": "a", "type": "manuscript", "title": "Herbal of safety", "publisher": "Wellcome Collection"}
    assert suite.render_inline(body, [item]) == "Herbal of safety. Wellcome Collection"


def test_a_term_form_no_locale_defines_falls_back() -> None:
    # en-US gives reviewed-author only a verb form ("by"), page no symbol form, section one ("§").
    body = (
        '<citation><layout><group delimiter=" "><names variable="reviewed-author"><label form="verb-short" suffix=" "/>'
        '<name/></names><text term="page" form="symbol"/><text term="section" form="symbol"/>'
        '<text term="page" form="verb"/></group></layout></citation>'
    )
    item = {"id": "a", "type": "review", "reviewed-author": [{"family": "Burtle", "given": "Beaver"}]}
    assert suite.render_inline(body, [item]) == "by Beaver Burtle p. § page"


def test_names_in_the_note_field_are_read() -> None:
    body = (
        '<citation><layout><group delimiter=", "><text variable="reviewed-title" font-style="italic"/>'
        '<names variable="reviewed-author"><label form="verb-short" suffix=" "/>'
        '<name and="symbol" initialize-with=". "/></names></group></layout></citation>'
    )
    note = "reviewed-title: Decrease of potential\nreviewed-author: Hall || W.C.\nreviewed-author: Unesco"
    item = {"id": "a", "type": "post-weblog", "title": "The future", "note": note}
    assert suite.render_inline(body, [item]) == "<i>Decrease of potential</i>, by W. C. Hall &#38; Unesco"


def test_written_particles_are_dropped_as_the_pattern_drops_them() -> None:
    # `without_written_particles` answers names that cannot open with a particle without its pattern: it must
    # answer every name as the pattern's substitution does, on every string of up to three characters from
    # either side of the boundaries the pattern draws, and on real names with each of them in front.
    from itertools import product

    from lutnick_cli.citation.engine.variables import _written_particles, without_written_particles

    alphabet = "azAZ`{\u00df\u00e0\u00ff\u0100'\u2019\" \u00a0\t\n-.1"
    real = {"Lutnick", "von Dipheria", "van der Berg", "d' Ancona", "’t Hooft", "de la Fontaine", "\u00e9mile Zola"}
    texts = {"".join(chars) for length in range(4) for chars in product(alphabet, repeat=length)}
    texts |= real | {f"{edge}{name}" for name in real for edge in alphabet}
    changed = 0
    for text in texts:
        expected = _written_particles().sub("", text)
        assert without_written_particles(text) == expected, text
        changed += expected != text
    assert changed > 100


def test_the_variables_a_part_prints_are_those_of_every_element_that_prints_one() -> None:
    # What a cs:substitute's child can print (`variables_of`) is read from the elements of each macro
    # it reaches that print a variable of their own: a cs:text, names, date, number or label, in any
    # namespace, not under a sort key; and the macros a cs:text calls. Every part of these styles
    # gives what a look at every element gives.
    from lutnick_cli.citation.engine.variables import _variables_in
    from lutnick_cli.citation.styles import load_style

    def every_element(node):  # type: ignore[no-untyped-def]
        variables, calls = [], []
        for sub in node.iter():
            if not isinstance(sub.tag, str):
                continue
            local = sub.tag.rsplit("}", 1)[-1]
            variable = sub.get("variable")
            if variable and local in ("text", "names", "date", "number", "label"):
                if sub.getparent().tag.rsplit("}", 1)[-1] != "key":
                    variables.extend(variable.split())
            if sub.get("macro") and local == "text":
                calls.append(sub.get("macro"))
        return tuple(variables), tuple(calls)

    compared = 0
    for style in ("apa", "chicago-notes-bibliography", "modern-language-association", "ieee", "vancouver-nlm"):
        for node in load_style(style).root.iter():
            if isinstance(node.tag, str):
                assert _variables_in(node) == every_element(node), (style, node.sourceline)
                compared += 1
    assert compared > 3_000


def test_what_a_substitute_s_child_can_print_is_read_once_that_child_is_the_substitution() -> None:
    from lutnick_cli.citation.render import CitationInput, render
    from lutnick_cli.citation.styles import engine_style

    csl = (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
        "<info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>"
        '<macro name="title"><text variable="title" prefix="“" suffix="”"/><text variable="genre" prefix=" "/></macro>'
        '<citation><layout><group delimiter=", "><names variable="author"><substitute><names variable="editor"/>'
        '<text macro="title"/><text variable="publisher"/></substitute></names>'
        '<text variable="title"/><text variable="genre"/></group></layout></citation></style>'
    )
    style = engine_style(csl.encode(), None, "inline")
    substitute = next(style.root.iter("{http://purl.org/net/xbiblio/csl}substitute"))
    items = [
        {"id": "a", "type": "book", "title": "Safety", "genre": "Memo"},
        {"id": "b", "type": "book", "title": "Rights", "author": [{"family": "Lutnick", "given": "Alexandra"}]},
    ]
    result = render(style, items, [CitationInput(({"id": "a"},)), CitationInput(({"id": "b"},))], bibliography=False)
    # the title and the genre the macro printed in the author's place are not printed again
    assert result.citations == ("“Safety” Memo", "Alexandra Lutnick, Rights")
    assert substitute.printable_variables == {1: frozenset({"title", "genre"})}


def test_the_citation_label_is_made_for_a_style_that_names_it_and_only_then() -> None:
    from lutnick_cli.citation.engine.elements import EngineSource
    from lutnick_cli.citation.render import _names_citation_label, render
    from lutnick_cli.citation.styles import load_style

    item = {"id": "a", "type": "book", "author": [{"family": "Lutnick"}], "issued": {"date-parts": [[2019]]}}
    body = (
        '<citation><layout><text variable="citation-label"/><text value=" "/><text variable="title"/>'
        "</layout></citation>"
    )
    assert suite.render_inline(body, [{**item, "title": "Policy"}]) == "Lutn19 Policy"
    assert _names_citation_label(load_style("american-mathematical-society-label", None))
    assert not _names_citation_label(load_style("apa", None))
    assert EngineSource([item])["a"]["citation_label"] == "Lutn19"
    assert "citation_label" not in EngineSource([item], citation_labels=False)["a"]
    # a long bibliography (whose source is read only after looking for the variable) in a style that prints it
    items = [{**item, "id": f"a{index}", "title": "Policy"} for index in range(300)]
    style = load_style("american-mathematical-society-label", None)
    entries = render(style, items, uncited=[each["id"] for each in items]).entries
    assert {entry.text for entry in entries} == {"[Lutn19] Lutnick, Policy, 2019."}
