"""Positions with note numbers (engine/positions.py)."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()

NOTE_STYLE = (
    '<citation><layout delimiter="; "><choose><if position="ibid"><text term="ibid"/></if>'
    '<else-if position="subsequent"><group delimiter=", "><text variable="title"/>'
    '<text variable="first-reference-note-number" prefix="n. "/></group></else-if>'
    '<else><text variable="title"/></else></choose></layout></citation>'
)


def render_notes(notes: list[tuple[int, list[str]]]) -> list[str]:
    """Citations (note number, item ids) as a word processor would pass them."""
    from lutnick_cli.citation.render import CitationInput, render
    from lutnick_cli.citation.styles import engine_style

    csl = (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><id/><title/>'
        f"<updated>2024-01-01T00:00:00+00:00</updated></info>{NOTE_STYLE}</style>"
    )
    items = [{"id": key, "type": "book", "title": f"Book {key}"} for key in ("a", "b")]
    citations = [CitationInput(tuple({"id": key} for key in keys), note) for note, keys in notes]
    result = render(engine_style(csl.encode("utf-8"), None, "notes"), items, citations, "text", bibliography=False)
    assert result.warnings == ()
    return list(result.citations)


def test_ibid_needs_the_previous_note_to_hold_one_cite_of_the_item() -> None:
    assert render_notes([(1, ["a"]), (1, ["b"]), (2, ["b"]), (3, ["b"])]) == [
        "Book a", "Book b", "Book b, n. 1", "Ibid.",
    ]  # fmt: skip


def test_without_note_numbers_the_previous_citation_decides() -> None:
    body = NOTE_STYLE
    items = [{"id": "a", "type": "book", "title": "Book a"}]
    assert suite.render_inline(body, items, citation_items=[[{"id": "a"}], [{"id": "a"}]], output_format="text") == (
        "Book a\nibid."
    )


def test_ibid_after_a_single_cite_citation_in_the_same_note() -> None:
    assert render_notes([(1, ["a"]), (2, ["b"]), (2, ["b"])]) == ["Book a", "Book b", "Ibid."]


def test_citations_in_the_text_and_in_notes_are_two_sequences() -> None:
    # citeproc-js: the in-text cite of a after a footnote citing b is ibid of the in-text cite before
    assert render_notes([(None, ["a"]), (1, ["b"]), (None, ["a"])]) == ["Book a", "Book b", "Ibid."]


def test_a_position_given_with_the_cite_is_taken_as_given() -> None:
    from lutnick_cli.citation.render import CitationInput, render
    from lutnick_cli.citation.styles import engine_style

    csl = (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><id/><title/>'
        f"<updated>2024-01-01T00:00:00+00:00</updated></info>{NOTE_STYLE}</style>"
    )
    items = [{"id": "a", "type": "book", "title": "Book a"}]
    citations = [
        CitationInput(({"id": "a", "position": 2},)),  # citeproc-js's number for ibid
        CitationInput(({"id": "a", "position": "first"},)),
    ]
    result = render(engine_style(csl.encode("utf-8"), None, "given"), items, citations, "text", bibliography=False)
    assert result.citations == ("Ibid.", "Book a")


def test_cites_so_far_answer_as_a_search_of_the_list_would() -> None:
    from citeproc import Citation, CitationItem

    from lutnick_cli.citation.engine.positions import CitesSoFar, cited_before

    def cite(key: str, note: int | None):  # type: ignore[no-untyped-def]
        item = CitationItem(key)
        citation = Citation([item])
        if note is not None:
            citation["note_index"] = note
        return item

    cites = CitesSoFar()
    in_text, in_note, later = cite("a", None), cite("b", 1), cite("c", 2)
    cites.append(in_text)
    cites.append(in_note)
    assert [cites.cited(key, note) for key in "abc" for note in (False, True, None)] == [
        True, False, True, False, True, True, False, False, False,
    ]  # fmt: skip
    assert (cites.last(False), cites.last(True)) == (in_text, in_note)
    cites[1:] = [later]  # changed other than by `append`: the index follows the list
    assert (cites.cited("b"), cites.cited("c", True), cites.last(True)) == (False, True, later)
    assert [cited_before([in_text, later], key, True) for key in "abc"] == [False, False, True]  # a plain list
