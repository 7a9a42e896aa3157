"""Typst reads the Hayagriva export, with zero errors and zero warnings, and prints what the records hold.

A clean compile proves little, as Typst drops unknown or misplaced fields
without a word; so the bibliography Typst renders in APA is read back (from
its HTML export, whose only warning is that the exporter itself is
experimental) and compared with the records: every author's family name, the
title, the journal or book, the year, the pages and the DOI.
"""

from __future__ import annotations

import html
import re

import pytest
import typst

from conftest import ALL_RECORDS
from facts import RECORDS, exported, plain

pytestmark = pytest.mark.consumers

# The one warning of Typst's HTML exporter, about itself.
HTML_EXPORT_NOTICE = "html export is under active development and incomplete"

DOCUMENT = '{citations}\n\n#bibliography("refs.yml", style: "apa")\n'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The in-text citations and the reference list entries Typst renders, as plain text."""
    folder = tmp_path_factory.mktemp("typst")
    (folder / "refs.yml").write_text(exported("hayagriva"), encoding="utf-8")
    source = folder / "main.typ"
    source.write_text(DOCUMENT.format(citations=" ".join(f"@{name}" for name in ALL_RECORDS)), encoding="utf-8")
    pdf, warnings = typst.compile_with_warnings(str(source), root=str(folder), format="pdf")
    assert pdf.startswith(b"%PDF")
    assert [warning.message for warning in warnings] == []
    page, warnings = typst.compile_with_warnings(str(source), root=str(folder), format="html")
    assert [warning.message for warning in warnings] == [HTML_EXPORT_NOTICE]
    text = page.decode("utf-8")
    entries = [_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", text, re.S)]
    citations = _text(re.search(r"<p>(.*?)</p>", text, re.S).group(1))
    return citations, entries


def _text(markup: str) -> str:
    return plain(html.unescape(re.sub(r"<[^>]+>", "", markup)))


def test_typst_renders_the_reference_list_in_apa(rendered):
    _, entries = rendered
    assert entries == [
        "Habermas, J. (1992). Further reflections on the public sphere (T. Burger, Trans.). "
        "In C. Calhoun (Ed.), Habermas and the Public Sphere (pp. 421–461). MIT Press.",
        "Knuth, D. E. (1984). The TeXbook. Addison-Wesley.",
        "LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521(7553), 436–444. "
        "https://doi.org/10.1038/nature14539",
        "Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
        "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154. https://doi.org/10.14197/atr.201219129",
        "van den Berg, M., Ðorđević, Z., & King, M. L., Jr. (2020). Søren’s “Either/Or” & the 100% solution: "
        "Ångström-scale {braces}, #hashtags and $dollars in Łódź. Journal of Typographic Hazards, 7(2), e1034. "
        "https://doi.org/10.5555/jth.2020.7.2.e1034",
        "World Health Organization. (2009). WHO guidelines on hand hygiene in health care: First global patient "
        "safety challenge — clean care is safer care. World Health Organization. "
        "https://www.who.int/publications/i/item/9789241597906",
    ]


def test_typst_cites_every_record(rendered):
    citations, _ = rendered
    assert citations == (
        "(Habermas, 1992; Knuth, 1984; LeCun et al., 2015; Lutnick, 2019; van den Berg et al., 2020; "
        "World Health Organization, 2009)"
    )


@pytest.mark.parametrize("name", ALL_RECORDS)
def test_typst_prints_the_facts_of_each_record(rendered, name):
    record = RECORDS[name]
    _, entries = rendered
    families = [person.literal or " ".join(part for part in (person.particle, person.family) if part) for person in record.authors]
    [entry] = [entry for entry in entries if entry.startswith(families[0])]
    for family in families:
        assert family in entry
    assert plain(record.title) in entry
    assert f"({record.issued.start.year})" in entry
    if record.container is not None:
        assert record.container.title in entry
    if record.pages is not None:
        assert record.pages.text() in entry
    if record.doi:
        assert f"https://doi.org/{record.doi}" in entry
