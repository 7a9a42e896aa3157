"""Numbers too long for Python to convert (past 4,300 digits) are an error on their field, never an internal error.

Python refuses to turn such text into an int (a guard against conversions
that take quadratic time). Whether the number comes as a YAML integer, a
JSON number, a date part, a page, or a BibTeX month or day, lutnick names the
file, the line and the field, refuses the record and exits 1.
"""

from __future__ import annotations

import pytest

LONG = "9" * 4301
TOO_LONG = "a number of 4,301 digits is too long to read (at most 4,300)"


def _errors(run, path, *command: str) -> tuple[int, list[str]]:
    result = run(*(command or ("validate",)), str(path))
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    return result.exit_code, [line.replace(str(path), "FILE").replace(LONG, "N") for line in result.stderr.splitlines()]


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("volume.yaml", f"id: a\ntype: book\ntitle: T\nvolume: {LONG}\n", f"FILE:4:9: [a] volume: {TOO_LONG}"),
        ("issued.yaml", f"id: a\ntype: book\ntitle: T\nissued: {LONG}\n", f"FILE:4:9: [a] issued: {TOO_LONG}"),
        # Hexadecimal converts at any length, but a number past 4,300 decimal digits could never be printed.
        ("hex.yaml", f"id: a\ntype: book\ntitle: T\nvolume: {hex(10 ** 4300)}\n",
         "FILE:4:9: [a] volume: a number of more than 4,300 digits is too long to read"),
        ("key.yaml", f"id: a\ntype: book\ntitle: T\ncontainer:\n  title: J\n  ? {LONG}\n  : x\n",
         f"FILE:6:5: [a] container: {TOO_LONG}"),
        ("pages.yaml", f"id: a\ntype: book\ntitle: T\npages: 1-{LONG}\n", f"FILE:4:8: [a] pages: {TOO_LONG}"),
        ("page.yaml", f"id: a\ntype: book\ntitle: T\npages: '{LONG}'\n", f"FILE:4:8: [a] pages: {TOO_LONG}"),
        ("volume.json", f'[{{"id": "a", "type": "book", "title": "T", "volume": {LONG}}}]',
         f"FILE:1:54: [a] volume: {TOO_LONG}"),
        ("date.json", f'[{{"id": "a", "type": "book", "title": "T",\n  "issued": {{"date-parts": [[2019, {LONG}]]}}}}]',
         f"FILE:2:36: [a] issued.date-parts.0.1: {TOO_LONG}"),
    ],
)
def test_a_number_too_long_to_convert_is_an_error_on_its_field(run, tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _errors(run, path) == (1, [expected, "lutnick: 1 error; 0 records processed"])
    for command in (("cite",), ("export", "--to", "bibtex")):
        assert _errors(run, path, *command) == (1, [expected, "lutnick: 1 error; 0 records processed"])


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("month.bib", f"@book{{a, title = {{T}}, year = 2019, month = {LONG}}}\n",
         "FILE:1: warning: [a] month: 'N' is not a month: kept as written"),
        ("day.bib", f"@book{{a, title = {{T}}, year = 2019, month = 1, day = {LONG}}}\n",
         "FILE:1: warning: [a] day: 'N' is not a day: kept as written"),
    ],
)
def test_a_long_bibtex_month_or_day_is_kept_as_written_with_a_warning(run, tmp_path, name, text, expected):
    # A .bib month or day that is no month or day is data that looks wrong, as a month of 25 is.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _errors(run, path, "export", "--to", "csl-json")[1][0] == expected
    assert _errors(run, path, "validate", "--strict") == (1, [expected.replace(" warning:", ""), "lutnick: 1 error; 0 records processed"])


def test_the_items_after_a_long_json_number_are_still_read(run, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text(f'[{{"id": "a", "type": "book", "title": "T", "volume": {LONG}}},\n'
                    '{"id": "b", "type": "book", "title": "U"}]', encoding="utf-8")
    result = run("get", "title", str(path))
    assert (result.exit_code, result.stdout) == (1, "U\n")
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        f"FILE:1:54: [a] volume: {TOO_LONG}", "lutnick: 1 error; 1 record processed"
    ]


def test_a_number_just_short_of_the_limit_is_read(run, tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text(f"id: a\ntype: book\ntitle: T\nvolume: {hex(10 ** 4300 - 1)}\n", encoding="utf-8")
    result = run("get", "volume", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "9" * 4300 + "\n", "")


def test_a_long_number_of_volumes_as_text_is_cited(run, tmp_path):
    # Text is not converted, but the style's label asks whether the number is more than one.
    path = tmp_path / "record.yaml"
    path.write_text(f"id: a\ntype: book\ntitle: T\nnumber_of_volumes: '{LONG}'\n", encoding="utf-8")
    result = run("cite", "--style", "chicago-author-date", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"T. n.d. {LONG} vols.\n", "")


def test_a_field_path_with_a_long_index_is_past_the_end_of_the_list(run):
    assert [(result.exit_code, result.stdout, result.stderr) for result in (
        run("get", f"authors.{LONG}.family"), run("get", "authors.99.family")
    )] == [(0, "\n", "")] * 2
