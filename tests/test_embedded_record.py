"""The embedded record says word for word what the journal's article page says.

The page (`../shared/seed/`, see its PROVENANCE.md) is the source of the
record's title, keywords, abstract and the author's biography. Its text is a
sequence of paragraphs separated by blank lines; the page's own furniture
("Metrics Loading ...", "Author Biography", the author's name) marks where
each part is.
"""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, UPDATE_GOLDEN, shared

from lutnick_cli import embedded, load
from lutnick_cli.citation.render import engine_item
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


def test_the_shipped_json_form_is_the_one_the_yaml_makes():
    made = load.embedded_record_json(load.embedded_record_text())
    shipped = REPO / "src" / "lutnick_cli" / "data" / "article.json"
    assert shipped.resolve() == Path(embedded.EMBEDDED_JSON_PATH).resolve()
    if UPDATE_GOLDEN:
        shipped.write_text(made, encoding="utf-8")
    assert shipped.read_text(encoding="utf-8") == made, "data/article.json is stale: run with LUTNICK_UPDATE_GOLDEN=1"


def test_the_json_form_reads_as_the_yaml_does():
    text = load.embedded_record_text()
    from_yaml = next(iter(load.load_bytes(text, load.EMBEDDED, "yaml")))
    from_json = load._prebuilt_embedded(text)
    assert from_json is not None
    assert from_json == from_yaml
    assert load.load_embedded() == from_yaml


def test_a_json_form_made_from_other_yaml_is_passed_over(tmp_path, monkeypatch):
    text = load.embedded_record_text()
    edited = text.replace(b"title: \"The ", b"title: \"Edited: The ")
    stale = tmp_path / "article.json"
    stale.write_text(load.embedded_record_json(edited), encoding="utf-8")
    monkeypatch.setattr(embedded, "EMBEDDED_JSON_PATH", str(stale))
    assert load._prebuilt_embedded(text) is None
    assert load._prebuilt_embedded(edited).record.title.startswith("Edited: The ")
    assert load.load_embedded() == next(iter(load.load_bytes(text, load.EMBEDDED, "yaml")))


def test_without_its_json_form_the_record_is_read_from_yaml(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "EMBEDDED_JSON_PATH", str(tmp_path / "missing.json"))
    assert load.load_embedded() == next(iter(load.load_bytes(load.embedded_record_text(), load.EMBEDDED, "yaml")))


def test_the_shipped_item_is_the_one_the_engine_gets_from_the_yaml():
    from_yaml = next(iter(load.load_bytes(load.embedded_record_text(), load.EMBEDDED, "yaml")))
    shipped = embedded.shipped_item()
    assert shipped == embedded.EmbeddedItem(engine_item(from_yaml.record), from_yaml.line)
    assert shipped.id == from_yaml.record.id == "lutnick2019"


APA_ENTRY = REPO / "tests" / "golden" / "lutnick2019" / "cite-apa.txt"


def _cite_outputs(run) -> list[tuple[int, str, str]]:
    results = [
        run("cite"),
        run("cite", "--in-text"),
        run("cite", "--format", "jsonl"),
        run("cite", "--style", "ieee", "--format", "html"),
        run("cite", "--each", "--in-text"),
    ]
    return [(result.exit_code, result.stdout, result.stderr) for result in results]


def test_citing_the_shipped_item_prints_what_citing_the_yaml_does(run, monkeypatch, tmp_path):
    monkeypatch.setenv("LUTNICK_CACHE_DIR", "")
    shipped = _cite_outputs(run)
    assert shipped[0] == (0, APA_ENTRY.read_text(encoding="utf-8"), "")
    monkeypatch.setattr(embedded, "EMBEDDED_JSON_PATH", str(tmp_path / "missing.json"))
    assert embedded.shipped_item() is None
    assert _cite_outputs(run) == shipped


# A style whose reference list prints a variable the embedded record lacks: the engine warns that the
# style leaves the record out, on the record.
SILENT_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Silent</title><id>silent</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="archive"/></layout></bibliography>
</style>
"""


def test_the_engines_warnings_on_the_shipped_item_are_those_on_the_yaml(run, monkeypatch, tmp_path):
    monkeypatch.setenv("LUTNICK_CACHE_DIR", "")
    style = tmp_path / "silent.csl"
    style.write_text(SILENT_STYLE, encoding="utf-8")

    def outputs() -> list[tuple[int, str, str]]:
        results = [run("cite", "--style", str(style)), run("cite", "--strict", "--style", str(style))]
        return [(result.exit_code, result.stdout, result.stderr) for result in results]

    shipped = outputs()
    line = embedded.shipped_item().line
    warning = f"embedded record:{line}: warning: [lutnick2019] the style leaves it out of its bibliography\n"
    assert shipped[0] == (0, "", warning + "lutnick: 1 warning; 1 record processed\n")
    refused = f"embedded record:{line}: [lutnick2019] the style leaves it out of its bibliography\n"
    assert shipped[1] == (1, "", refused + "lutnick: 1 error; 1 record processed\n")
    monkeypatch.setattr(embedded, "EMBEDDED_JSON_PATH", str(tmp_path / "missing.json"))
    assert outputs() == shipped


def test_a_stale_shipped_item_is_passed_over(run, monkeypatch, tmp_path):
    text = load.embedded_record_text()
    stale = tmp_path / "article.json"
    edited = text.replace("pages: 140–154".encode(), "pages: 141–154".encode())
    stale.write_text(load.embedded_record_json(edited), encoding="utf-8")
    monkeypatch.setattr(embedded, "EMBEDDED_JSON_PATH", str(stale))
    monkeypatch.setenv("LUTNICK_CACHE_DIR", "")
    assert embedded.shipped_item() is None
    result = run("cite")
    assert (result.exit_code, result.stdout) == (0, APA_ENTRY.read_text(encoding="utf-8"))
