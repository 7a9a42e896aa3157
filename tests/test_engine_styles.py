"""The engine's headline fixes, seen through lutnick's Renderer with real styles and the embedded article."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from lutnick_cli.citation.render import Renderer
from lutnick_cli.load import load_embedded
from lutnick_cli.record import DateValue, PartialDate

ARTICLE = load_embedded().record
TITLE = "The ‘Prioritizing Safety for Sex Workers Policy’: A Sex Worker Rights and Anti-Trafficking Initiative"


def test_apa_is_unchanged() -> None:
    assert Renderer("apa").entries([ARTICLE]) == [
        (
            "Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
            "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154. https://doi.org/10.14197/atr.201219129"
        )
    ]
    assert Renderer("apa").in_text([ARTICLE]) == "(Lutnick, 2019)"


def test_chicago_full_given_names_title_case_and_period_inside_quotes() -> None:
    assert Renderer("chicago-author-date").entries([ARTICLE]) == [
        (
            f"Lutnick, Alexandra. 2019. “{TITLE}.” Anti-Trafficking Review, no. 12 (April): 140–54. "
            "https://doi.org/10.14197/atr.201219129."
        )
    ]


def test_mla_in_text_has_no_title_unless_disambiguation_needs_it() -> None:
    assert Renderer("modern-language-association").in_text([ARTICLE]) == "(Lutnick)"
    other = dataclasses.replace(ARTICLE, id="lutnick2016", title="Sex worker health")
    assert Renderer("modern-language-association").in_text([ARTICLE, other]) == (
        f"(Lutnick, “{TITLE}”; Lutnick, “Sex Worker Health”)"
    )


def test_ieee_left_margin_in_text_and_html() -> None:
    text = Renderer("ieee").entries([ARTICLE])[0]
    assert text.startswith("[1] A. Lutnick, “The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and ")
    assert ",” Anti-Trafficking Review, no. 12, pp. 140–154, Apr. 2019" in text
    html = Renderer("ieee", output_format="html").entries([ARTICLE])[0]
    # citeproc-js puts the display blocks on a line of their own, indented.
    assert html.startswith(
        '<div class="csl-entry">\n    <div class="csl-left-margin">[1]</div><div class="csl-right-inline">A. Lutnick, '
    )
    assert html.endswith("doi: 10.14197/atr.201219129.</div>\n  </div>")


def test_vancouver_keeps_the_locale_date_delimiter() -> None:
    assert "Anti-Trafficking Review. 2019 Apr 29;(12):140–54." in Renderer("vancouver-nlm").entries([ARTICLE])[0]


def test_a_date_range_in_issued() -> None:
    ranged = dataclasses.replace(ARTICLE, issued=DateValue(PartialDate(2019), PartialDate(2020)))
    assert Renderer("apa").in_text([ranged]) == "(Lutnick, 2019–2020)"


def test_year_suffixes_in_apa_entries_and_in_text() -> None:
    other = dataclasses.replace(ARTICLE, id="lutnick2019b", title="Another title")
    entries = Renderer("apa").entries([ARTICLE, other])
    assert [entry[:20] for entry in entries] == ["Lutnick, A. (2019a).", "Lutnick, A. (2019b)."]
    assert Renderer("apa").in_text([ARTICLE, other]) == "(Lutnick, 2019a, 2019b)"


SOFTWARE = {
    "id": "bates2023", "type": "software", "title": "lme4: Linear mixed-effects models",
    "author": [{"family": "Bates", "given": "Douglas"}], "version": "1.1-35",
    "issued": {"date-parts": [[2023]]}, "publisher": "CRAN", "URL": "https://cran.r-project.org/package=lme4",
}
SPEECH = {
    "id": "lutnick2019talk", "type": "speech", "title": "The Future of Citation",
    "author": [{"family": "Lutnick", "given": "Alexandra"}], "event-title": "Annual Meeting of the Society",
    "event-place": "Chicago, IL", "publisher-place": "Chicago, IL", "issued": {"date-parts": [[2019, 5, 3]]},
}
BOOK = {
    "id": "adams2020", "type": "book", "title": "A Book", "author": [{"family": "Adams", "given": "Ann"}],
    "publisher": "Press", "publisher-place": "Boston", "issued": {"date-parts": [[2020]]},
}


def _csl_json(tmp_path: Path, *items: dict) -> str:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(list(items)), encoding="utf-8")
    return str(path)


def test_apa_software_with_a_hyphenated_version_has_a_singular_label(run, tmp_path: Path) -> None:
    result = run("cite", _csl_json(tmp_path, SOFTWARE))
    assert result.exit_code == 0
    assert result.stdout == (
        "Bates, D. (2023). lme4: Linear mixed-effects models (Version 1.1-35) [Computer software]. CRAN. "
        "https://cran.r-project.org/package=lme4\n"
    )


def test_a_speech_chicago_leaves_out_of_its_bibliography_prints_no_entry(run, tmp_path: Path) -> None:
    # Chicago 18 leaves unpublished speeches out of the bibliography: citeproc-js renders no entry for
    # this one, and the note is the only citation.
    records = _csl_json(tmp_path, SPEECH, BOOK)
    style = ("--style", "chicago-notes-bibliography")
    entries = run("cite", *style, records)
    assert entries.exit_code == 0
    assert entries.stdout == "Adams, Ann. A Book. Press, 2020.\n"
    assert entries.stderr == (
        f"{records}:1: warning: [lutnick2019talk] the style leaves it out of its bibliography\n"
        "lutnick: 1 warning; 2 records processed\n"
    )
    strict = run("cite", *style, "--strict", records)
    assert strict.exit_code == 1
    assert strict.stdout == entries.stdout
    assert strict.stderr.startswith(f"{records}:1: [lutnick2019talk] the style leaves it out of its bibliography\n")
    html = run("cite", *style, "--format", "html", records)
    assert html.exit_code == 0
    assert html.stdout == '<div class="csl-entry">Adams, Ann. <i>A Book</i>. Press, 2020.</div>\n'
    note = run("cite", *style, "--in-text", _csl_json(tmp_path, SPEECH))
    assert note.exit_code == 0
    assert note.stdout == (
        "Alexandra Lutnick, “The Future of Citation,” Annual Meeting of the Society, Chicago, IL, May 3, 2019.\n"
    )


def test_render_returns_the_engine_s_warnings_and_prints_none(capsys: pytest.CaptureFixture[str]) -> None:
    from lutnick_cli.citation.render import CitationInput, EngineWarning, Entry, Result, render
    from lutnick_cli.citation.styles import load_style

    style = load_style("chicago-notes-bibliography")
    odd = {**BOOK, "id": "odd", "flavour": "sweet"}
    result = render(
        style, [SPEECH, odd], [CitationInput(({"id": "odd"}, {"id": "nobody"}))], "text", uncited=["lutnick2019talk"]
    )
    assert result == Result(
        entries=(Entry("odd", "Adams, Ann. A Book. Press, 2020."), Entry("lutnick2019talk", None)),
        citations=("Ann Adams, A Book (Press, 2020); nobody?",),  # the engine marks a missing item so
        warnings=(
            EngineWarning("flavour: no CSL variable of that name; no style prints it"),
            EngineWarning("cited item 'nobody' is not among the items", "nobody"),
            EngineWarning("the style leaves it out of its bibliography", "lutnick2019talk"),
        ),
    )
    assert capsys.readouterr() == ("", "")


def test_an_entry_left_out_of_a_numbered_list_keeps_its_number_as_citeproc_js_marks_it() -> None:
    from lutnick_cli.citation.render import EngineWarning, Entry, render
    from lutnick_cli.citation.styles import engine_style

    def style(citation: str):  # type: ignore[no-untyped-def]
        return engine_style((
            '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id/><title/>'
            f"<updated>2024-01-01T00:00:00+00:00</updated></info><citation><layout>{citation}</layout></citation>"
            '<bibliography><layout><choose><if type="personal_communication" match="none">'
            '<group delimiter=". "><text variable="citation-number"/><text variable="title"/></group>'
            "</if></choose></layout></bibliography></style>"
        ).encode("utf-8"), None, "numbered")

    kinds = (("a", "book", "One"), ("b", "personal_communication", "Letter"), ("c", "book", "Two"))
    items = [{"id": key, "type": kind, "title": title} for key, kind, title in kinds]
    # citations that print the number: the list's second entry is citeproc-js's mark, so that 3 is still 3
    result = render(style('<text variable="citation-number"/>'), items, uncited=["a", "b", "c"])
    assert result.entries == (
        Entry("a", "1. One"), Entry("b", "2. [CSL STYLE ERROR: reference with no printed form.]"), Entry("c", "3. Two"),
    )
    assert result.warnings == (EngineWarning("the style leaves it out of its bibliography", "b"),)
    # citations that do not: the entry is left out
    result = render(style('<text variable="title"/>'), items, uncited=["a", "b", "c"])
    assert result.entries == (Entry("a", "1. One"), Entry("b", None), Entry("c", "3. Two"))
    assert result.warnings == (EngineWarning("the style leaves it out of its bibliography", "b"),)
