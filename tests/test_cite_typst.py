"""`lutnick cite --format typst`: citation text as Typst markup, proven by Typst printing it back.

Each citation is compiled by the real Typst (the pinned wheel) into a PDF,
which must have no warning, and into HTML, whose text must be the `--format
text` output exactly and whose emphasis must be where `--format html` puts it.
"""

from __future__ import annotations

import html
import re

import pytest
import typst

from conftest import RECORD_FILES

pytestmark = pytest.mark.consumers

HTML_EXPORT_NOTICE = "html export is under active development and incomplete"
STYLES = ["apa", "chicago-author-date", "ieee", "modern-language-association", "vancouver-nlm"]

# Every character Typst's markup gives a meaning to, where it gives it one.
HOSTILE = """\
id: hostile
type: article-journal
title: "1. #tag $5 *star* _under_ [box] <label> @ref ~ 'single' \\"double\\" `raw` \\\\ back // no comment /* nor */ -- -? ... = + -"
authors:
  - family: "= Equals"
    given: "+ Plus"
container:
  title: "(Parenthesised) Journal"
issued: 2020
volume: "7"
pages: 1-2
url: https://example.org/a_b//c
"""


def typeset(folder, lines: list[str]) -> list[tuple[str, str]]:
    """Each line of markup as Typst prints it: its text, and its HTML with only emphasis and strength kept."""
    source = folder / "cited.typ"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    pdf, warnings = typst.compile_with_warnings(str(source), root=str(folder), format="pdf")
    assert pdf.startswith(b"%PDF")
    assert [warning.message for warning in warnings] == []
    page, warnings = typst.compile_with_warnings(str(source), root=str(folder), format="html")
    assert [warning.message for warning in warnings] == [HTML_EXPORT_NOTICE]
    paragraphs = re.findall(r"<p>(.*?)</p>", page.decode("utf-8"), re.S)
    return [(_text(paragraph), _emphasis(paragraph.replace("<em>", "<i>").replace("</em>", "</i>")
                                         .replace("<strong>", "<b>").replace("</strong>", "</b>")))
            for paragraph in paragraphs]


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _emphasis(markup: str) -> str:
    return html.unescape(re.sub(r"<(?!/?[ib]>)[^>]+>", "", markup))


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cited(run, *arguments: str) -> list[str]:
    result = run("cite", *arguments)
    assert result.exit_code == 0
    return result.stdout.splitlines()


@pytest.mark.parametrize("style", STYLES)
def test_typst_prints_the_markup_of_every_entry_as_lutnick_does(run, tmp_path, style):
    records = [str(path) for path in RECORD_FILES.values()]
    markup = _cited(run, "--style", style, "--format", "typst", *records)
    citation = _cited(run, "--style", style, "--format", "typst", "--in-text", *records)
    printed = typeset(tmp_path, markup + citation)
    text = _cited(run, "--style", style, *records) + _cited(run, "--style", style, "--in-text", *records)
    assert [plain for plain, _ in printed] == text
    # HTML puts a numbered style's entry on several lines: the emphasis is compared over the whole list.
    emphasised = _emphasis("".join(_cited(run, "--style", style, "--format", "html", *records)))
    assert _unspaced("".join(marked for _, marked in printed[: len(markup)])) == _unspaced(emphasised)


def test_every_character_typst_reads_as_markup_is_printed_as_itself(run, tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    markup = _cited(run, "--style", "vancouver-nlm", "--format", "typst", str(path))
    assert markup == [
        "1\\. = Equals + P. 1. \\#tag \\$5 \\*star\\* \\_under\\_ \\[box\\] \\<label\\> \\@ref \\~ “single” "
        "‘double’ \\`raw\\` \\\\ back \\// no comment \\/\\* nor \\*/ \\-- \\-? \\.. = + -. (Parenthesised) Journal "
        "\\[Internet\\]. 2020;7:1–2. Available from: https:\\//example.org/a\\_b\\//c",
    ]
    for style in ("vancouver-nlm", "apa"):
        markup = _cited(run, "--style", style, "--format", "typst", str(path))
        assert [plain for plain, _ in typeset(tmp_path, markup)] == _cited(run, "--style", style, str(path))
