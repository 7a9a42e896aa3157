"""Parts of a style the record has no variable for are skipped, with the same output (engine/absent.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csl_suite_runner
from lutnick_cli.citation.engine import absent

suite = csl_suite_runner()

COMPARE_CORPUS = Path(__file__).resolve().parent.parent / "compare" / "corpus"


@pytest.fixture
def never_skipping(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Render every part, as the engine did before parts were skipped."""

    def render_with_and_without(render):  # type: ignore[no-untyped-def]
        skipped = render()
        with monkeypatch.context() as patch:
            patch.setattr(absent, "can_print", lambda element, item: True)
            walked = render()
        return skipped, walked

    return render_with_and_without


# Each body holds a part that prints something, or nothing, for the item below, by a rule the
# skipping must follow exactly.
BODIES = {
    "a term beside an absent variable": '<group delimiter=" "><text term="in"/><text variable="container-title"/></group>',
    "a term alone in a group": '<group><text term="in"/></group>',
    "a term in the branch a choose takes": (
        '<group delimiter=" "><choose><if type="book"><text term="edition"/></if></choose>'
        '<text variable="container-title"/></group>'
    ),
    "a term beside a choose that calls": (
        '<group delimiter=" "><text term="in"/><choose><if type="book"><text variable="genre"/></if>'
        "</choose></group>"
    ),
    "a macro of terms": '<text macro="terms"/>',
    "a macro with a term and an absent variable": '<text macro="in-container"/>',
    "a substitute that prints": '<names variable="author"><substitute><text variable="title"/></substitute></names>',
    "a short form with only the short title": '<text variable="container-title" form="short"/>',
    "page-first from page": '<group><text variable="page-first"/></group>',
    "a label of an absent variable": '<group delimiter=" "><label variable="volume"/><text term="in"/></group>',
    "no date": (
        '<group><choose><if variable="issued"><date variable="issued"><date-part name="year"/></date></if>'
        '<else><text term="no date" form="short"/></else></choose></group>'
    ),
    "a count of absent names": '<group><names variable="editor"><name form="count"/></names></group>',
    "a citation number": '<group><text variable="citation-number"/></group>',
    "a locator": '<group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>',
    "a branch for the type": '<group><choose><if type="report"><text term="in"/></if><else-if type="book"><text variable="genre"/></else-if><else><text value="other"/></else></choose></group>',
    "a branch for the type and a variable": '<group><choose><if type="book" variable="genre"><text term="in"/></if><else-if type="report" match="any" variable="edition"><text term="and"/></else-if></choose></group>',
    "a branch for no other type": '<choose><if type="report" match="none"><text variable="genre"/></if><else><text term="in"/></else></choose>',
    "a nested group": '<group delimiter=", "><group><text term="in"/><text variable="edition"/></group><text value="x"/></group>',
}

MACROS = (
    '<macro name="terms"><text term="in"/><text value="!"/></macro>'
    '<macro name="in-container"><text term="in"/><text variable="container-title"/></macro>'
)

ITEMS = [
    {"id": "a", "type": "book", "title": "Safety", "container-title-short": "ATR", "page": "140-154"},
    {"id": "b", "type": "report", "title": "Rights", "genre": "Memo", "edition": "2"},
    {"id": "c", "type": "article-journal", "title": "Policy", "container-title": "Review"},
]


@pytest.mark.parametrize("case", list(BODIES))
@pytest.mark.parametrize("locator", [None, "12"])
def test_skipping_prints_what_rendering_prints(case: str, locator: str | None, never_skipping) -> None:  # type: ignore[no-untyped-def]
    body = f"{MACROS}<citation><layout delimiter=\"; \">{BODIES[case]}</layout></citation>"
    for item in ITEMS:
        cite = {"id": item["id"], **({"locator": locator, "label": "page"} if locator else {})}
        skipped, walked = never_skipping(lambda: suite.render_inline(body, [item], citation_items=[[cite]]))
        assert skipped == walked, item["id"]


def test_what_a_part_needs() -> None:
    from lutnick_cli.citation.styles import load_style

    macro = load_style("apa").root.get_macro
    article = "article-journal"
    assert absent.needs(macro("label-page"), article) == {"page"}
    assert absent.needs(macro("label-edition"), article) == {"edition"}  # the label's short form is the term's
    assert absent.needs(macro("identifier-series"), "report") == {"collection_number", "collection_title"}
    assert absent.needs(macro("identifier-series"), article) == frozenset()  # APA prints a series for reports only
    assert absent.needs(macro("description-review-title"), article) == {"reviewed_title", "title"}
    assert absent.needs(macro("label-locator"), article) == {"locator"}  # the cite's, not the record's
    assert absent.needs(macro("author"), article) is None  # prints "Anonymous" or a title in its place
    # A branch a type rules out does not count: a dataset is labelled "[Data set]" whatever it has,
    # an article never.
    assert absent.needs(macro("description-format-term-generic"), "dataset") is None
    assert absent.needs(macro("description-format-term-generic"), article) == frozenset()
    assert absent.needs(macro("description-format"), article) == {"genre", "medium"}


@pytest.mark.parametrize(
    "style",
    ["apa", "chicago-author-date", "chicago-notes-bibliography", "modern-language-association", "ieee",
     "harvard-cite-them-right", "vancouver-nlm", "nature", "american-medical-association", "elsevier-harvard",
     "din-1505-2", "springer-basic-author-date"],
)  # fmt: skip
def test_every_record_of_the_agreement_corpus_renders_as_before(style: str, never_skipping) -> None:  # type: ignore[no-untyped-def]
    from lutnick_cli.citation.render import Renderer
    from lutnick_cli.load import SourcedRecord, iter_loaded

    records = [loaded.record for loaded in iter_loaded([str(COMPARE_CORPUS)], None, None) if isinstance(loaded, SourcedRecord)]
    assert len(records) > 50
    renderer = Renderer(style)
    skipped, walked = never_skipping(lambda: renderer.bibliography(records, with_in_text=True))
    assert skipped == walked


# Every type of CSL 1.0.2, and one no style tests for.
CSL_TYPES = (
    "article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection "
    "dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview "
    "legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference patent "
    "performance periodical personal_communication post post-weblog regulation report review review-book "
    "software song speech standard thesis treaty webpage no-such-type"
).split()


@pytest.mark.parametrize(
    "style", ["apa", "chicago-notes-bibliography", "modern-language-association", "ieee", "american-medical-association"]
)
def test_needs_kept_for_every_type_are_those_worked_out_for_the_type_alone(style: str) -> None:
    """What a part needs is worked out once for every type where the type has no say in it: for every
    group and macro, and every type, the needs found after every other type was met are those of a
    freshly parsed style that meets only that type."""
    from lutnick_cli.citation.styles import _read_style_bytes, engine_style, find_style

    data = _read_style_bytes(find_style(style).independent_path)

    def parts(root):  # type: ignore[no-untyped-def]
        return [element for element in root.iter() if isinstance(element.tag, str) and element.tag.endswith(("}group", "}macro"))]

    shared = parts(engine_style(data, None, style).root)
    assert len(shared) > 20
    for kind in CSL_TYPES:
        alone = [absent.needs(element, kind) for element in parts(engine_style(data, None, style).root)]
        assert [absent.needs(element, kind) for element in shared] == alone, kind
