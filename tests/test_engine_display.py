"""Display blocks and second-field-align (engine/display.py)."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()

NUMBERED = (
    '<citation><layout><text variable="citation-number"/></layout></citation>'
    '<bibliography second-field-align="flush"><layout>'
    '<text variable="citation-number" prefix="[" suffix="]"/>'
    '<group prefix=" " delimiter=", "><names variable="author"><name initialize-with=". "/></names>'
    '<text variable="title"/></group></layout></bibliography>'
)
ITEM = {"id": "a", "type": "book", "title": "Safety", "author": [{"family": "Lutnick", "given": "Alexandra"}]}


def test_second_field_align_in_html() -> None:
    assert suite.render_inline(NUMBERED, [ITEM], mode="bibliography") == (
        '<div class="csl-bib-body">\n'
        '  <div class="csl-entry">\n'
        '    <div class="csl-left-margin">[1]</div><div class="csl-right-inline"> A. Lutnick, Safety</div>\n'
        "  </div>\n"
        "</div>"
    )


def test_second_field_align_in_text() -> None:
    assert suite.render_inline(NUMBERED, [ITEM], mode="bibliography", output_format="text") == "[1] A. Lutnick, Safety"


def test_display_block_and_indent() -> None:
    body = (
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography><layout><text variable="title" display="block"/>'
        '<text variable="note" display="indent"/></layout></bibliography>'
    )
    item = {"id": "a", "type": "book", "title": "Safety", "note": "A note."}
    # citeproc-js's line breaks and indentation around the blocks, byte for byte
    assert suite.render_inline(body, [item], mode="bibliography") == (
        '<div class="csl-bib-body">\n'
        '  <div class="csl-entry">\n\n    <div class="csl-block">Safety</div>\n'
        '<div class="csl-indent">A note.</div>\n  </div>\n'
        "</div>"
    )


def test_text_output_separates_the_left_margin_with_a_space() -> None:
    body = NUMBERED.replace('<group prefix=" "', "<group")
    assert suite.render_inline(body, [ITEM], mode="bibliography", output_format="text") == "[1] A. Lutnick, Safety"


def test_layout_suffix_goes_inside_the_last_display_block() -> None:
    body = (
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography><layout suffix="."><text variable="title" display="block"/>'
        '<text variable="note" display="indent"/></layout></bibliography>'
    )
    item = {"id": "a", "type": "book", "title": "Safety", "note": "A note"}
    assert suite.render_inline(body, [item], mode="bibliography") == (
        '<div class="csl-bib-body">\n'
        '  <div class="csl-entry">\n\n    <div class="csl-block">Safety</div>\n'
        '<div class="csl-indent">A note.</div>\n  </div>\n'
        "</div>"
    )


def test_right_inline_block_is_trimmed() -> None:
    body = NUMBERED.replace("<text variable=\"title\"/></group>", "<text variable=\"title\" suffix=\". \"/></group>")
    assert suite.render_inline(body, [ITEM], mode="bibliography", output_format="text") == "[1] A. Lutnick, Safety."


def test_whitespace_after_the_right_inline_block_follows_its_closing_tag_in_html() -> None:
    body = NUMBERED.replace("<text variable=\"title\"/></group>", "<text variable=\"title\" suffix=\". \"/></group>")
    # citeproc-js: the block ends at "Safety.", the suffix's space comes after its </div>
    assert suite.render_inline(body, [ITEM], mode="bibliography") == (
        '<div class="csl-bib-body">\n'
        '  <div class="csl-entry">\n'
        '    <div class="csl-left-margin">[1]</div><div class="csl-right-inline"> A. Lutnick, Safety.</div>\n'
        "   </div>\n"
        "</div>"
    )


def test_the_cli_writes_an_html_entry_as_citeproc_js_does() -> None:
    from lutnick_cli.citation.engine.display import html_entry

    assert html_entry("Plain <i>entry</i>.") == '<div class="csl-entry">Plain <i>entry</i>.</div>'
    assert html_entry(
        '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">A. Lutnick, Safety.</div>'
    ) == (
        '<div class="csl-entry">\n    <div class="csl-left-margin">[1]</div>'
        '<div class="csl-right-inline">A. Lutnick, Safety.</div>\n  </div>'
    )
    assert html_entry('<div class="csl-block">Lutnick</div><div class="csl-left-margin">2019</div>'
                      '<div class="csl-right-inline">Safety.</div>') == (
        '<div class="csl-entry">\n\n    <div class="csl-block">Lutnick</div>\n\n'
        '    <div class="csl-left-margin">2019</div><div class="csl-right-inline">Safety.</div>\n  </div>'
    )
