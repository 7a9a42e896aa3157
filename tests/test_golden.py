"""Exact output of every command and format, on the embedded record and on varied records."""

from __future__ import annotations

import pytest

from conftest import ALL_RECORDS, assert_golden, record_arguments

CITE_FORMATS = {"text": "txt", "html": "html", "markdown": "md", "rtf": "rtf", "latex": "tex"}
STYLES = ["apa", "ieee", "chicago-author-date", "modern-language-association", "vancouver-nlm"]


@pytest.mark.parametrize("record", ALL_RECORDS)
@pytest.mark.parametrize("output_format", CITE_FORMATS)
def test_cite_apa_in_every_output_format(run, record, output_format):
    result = run("cite", "--format", output_format, *record_arguments(record))
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{record}/cite-apa.{CITE_FORMATS[output_format]}", result.stdout)


@pytest.mark.parametrize("record", ALL_RECORDS)
@pytest.mark.parametrize("style", STYLES)
def test_cite_entry_and_in_text_in_each_style(run, record, style):
    entry = run("cite", "--style", style, *record_arguments(record))
    in_text = run("cite", "--style", style, "--in-text", *record_arguments(record))
    html = run("cite", "--style", style, "--format", "html", *record_arguments(record))
    assert entry.exit_code == in_text.exit_code == html.exit_code == 0
    assert_golden(f"{record}/style-{style}.txt", entry.stdout + in_text.stdout)
    assert_golden(f"{record}/style-{style}.html", html.stdout)


# Each export format and the extension of its golden file (two formats write .bib, two .xml).
EXPORT_GOLDEN = {
    "bibtex": "bib",
    "biblatex": "biblatex.bib",
    "csl-json": "json",
    "csl-yaml": "yaml",
    "ris": "ris",
    "endnote": "enw",
    "mods": "mods.xml",
    "dc": "dc.xml",
    "cff": "cff",
    "jsonld": "jsonld",
    "hayagriva": "hayagriva.yml",
}


def test_every_export_format_has_golden_files():
    from lutnick_cli.formats import EXPORT_FORMATS

    assert sorted(EXPORT_GOLDEN) == sorted(EXPORT_FORMATS)


@pytest.mark.parametrize("record", ALL_RECORDS)
@pytest.mark.parametrize("target, extension", EXPORT_GOLDEN.items())
def test_export(run, record, target, extension):
    result = run("export", "--to", target, *record_arguments(record))
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{record}/export.{extension}", result.stdout)


@pytest.mark.parametrize("record", ALL_RECORDS)
@pytest.mark.parametrize("output_format, extension", [(None, "txt"), ("json", "json"), ("yaml", "yaml")])
def test_show(run, record, output_format, extension):
    options = ["--format", output_format] if output_format else []
    result = run("show", *options, *record_arguments(record))
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{record}/show.{extension}", result.stdout)


def test_bibliography_of_several_records_is_sorted(run):
    result = run("cite", *[argument for record in ALL_RECORDS[1:] for argument in record_arguments(record)])
    assert result.exit_code == 0, result.stderr
    assert_golden("bibliography-apa.txt", result.stdout)


def test_in_text_citation_of_several_records(run):
    arguments = [argument for record in ALL_RECORDS[1:3] for argument in record_arguments(record)]
    result = run("cite", "--in-text", *arguments)
    assert result.exit_code == 0, result.stderr
    assert_golden("in-text-apa.txt", result.stdout)


@pytest.mark.parametrize("record", ALL_RECORDS)
def test_show_on_a_terminal(run, monkeypatch, record):
    # What a person sees: the rich panel, as text at a fixed width.
    from lutnick_cli.commands import show

    monkeypatch.setattr(show, "for_a_person", lambda stream: True)
    result = run("show", *record_arguments(record), env={"COLUMNS": "90", "TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    assert "╭─ " in result.stdout
    assert_golden(f"{record}/show-terminal.txt", result.stdout)


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    from lutnick_cli.terminal import for_a_person

    class Terminal:
        def isatty(self):
            return True

    class Pipe:
        def isatty(self):
            return False

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert for_a_person(Terminal()) and not for_a_person(Pipe())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not for_a_person(Terminal())
