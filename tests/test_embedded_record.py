"""The embedded record says word for word what the journal's article page says.

The page (`../shared/seed/`, see its PROVENANCE.md) is the source of the
record's title, keywords, abstract and the author's biography. Its text is a
sequence of paragraphs separated by blank lines; the page's own furniture
("Metrics Loading ...", "Author Biography", the author's name) marks where
each part is.
"""

from __future__ import annotations

from conftest import shared

from lutnick_cli.load import load_embedded

PAGE = ("seed", "000_6e003bc802fee549.txt")


def page_paragraphs() -> list[str]:
    text = shared(*PAGE).read_text(encoding="utf-8")
    return [paragraph.strip() for paragraph in text.split("\n\n") if paragraph.strip()]


def test_title_is_the_pages_first_line():
    paragraphs = page_paragraphs()
    assert load_embedded().record.title == paragraphs[0]


def test_keywords_are_the_pages_list_in_its_order():
    paragraphs = page_paragraphs()
    # The author list (a bullet) comes between the title and the keywords.
    assert paragraphs[1].startswith("•")
    assert list(load_embedded().record.keywords) == paragraphs[2].split(", ")


def test_abstract_is_the_pages_paragraph_after_the_keywords():
    paragraphs = page_paragraphs()
    assert paragraphs[4] == "Metrics Loading ..."
    assert load_embedded().record.abstract == paragraphs[3]


def test_biography_is_the_pages_without_the_empty_email_line():
    paragraphs = page_paragraphs()
    heading = paragraphs.index("Author Biography")
    assert paragraphs[heading + 1] == "Dr Alexandra Lutnick"
    biography = paragraphs[heading + 2]
    # The page's text ends at "Email:" with no address after it.
    assert biography.endswith(" Email:")
    (author,) = load_embedded().record.authors
    assert author.biography == biography.removesuffix(" Email:")
    assert author.biography.endswith("(Columbia University Press, 2016).")
