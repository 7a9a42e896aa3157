"""Every validation rule, with the exact message and the line and column it points at."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import REPO


def write(tmp_path, text: str, name: str = "record.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


VALID = """
id: smith2020
type: article-journal
title: A title
authors:
  - family: Smith
    given: Jane
container:
  title: A Journal
  issn: 2286-7511
issued: 2020-01-31
pages: 1-10
"""


def check(run, tmp_path, text: str) -> list[str]:
    path = write(tmp_path, text)
    result = run("validate", str(path))
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    if result.exit_code == 0:
        assert lines == ["1 record valid"]
        return lines
    assert result.exit_code == 1
    assert lines[-1] == "lutnick: 1 error; 0 records processed"
    return [line.replace(str(path), "FILE") for line in lines[:-1]]


def test_the_embedded_record_and_the_test_records_are_valid(run):
    result = run("validate", str(REPO / "data" / "article.yaml"), str(REPO / "tests" / "records"))
    assert result.exit_code == 0
    assert result.stderr == "6 records valid\n"


def test_a_valid_record(run, tmp_path):
    assert check(run, tmp_path, VALID) == ["1 record valid"]


@pytest.mark.parametrize(
    "replace, replacement, expected",
    [
        ("type: article-journal", "type: journal-article", "FILE:2:7: [smith2020] type: 'journal-article' is not a known type (did you mean 'article-journal'?)"),
                ("title: A title", "title: [A, title]", "FILE:3:8: [smith2020] title: expected text, got a list"),
        ("    given: Jane", "    given: Dr Jane", "FILE:6:12: [smith2020] authors.0.given: 'Dr' is an honorific, not a given name: move it to 'honorific'"),
        ("    given: Jane", "    givne: Jane", "FILE:6:5: [smith2020] authors.0.givne: unknown field (did you mean 'given'?)"),
        ("  - family: Smith", "  - famly: Smith", "FILE:5:5: [smith2020] authors.0.famly: unknown field (did you mean 'family'?)"),
    ],
)
def test_each_problem_names_file_line_column_and_field(run, tmp_path, replace, replacement, expected):
    assert replace in VALID
    assert check(run, tmp_path, VALID.replace(replace, replacement)) == [expected]


def check_warnings(run, tmp_path, text: str) -> list[str]:
    """The warnings `validate` prints for a record that is kept; --strict refuses the same record."""
    path = write(tmp_path, text)
    result = run("validate", str(path))
    assert (result.exit_code, result.stdout) == (0, "")
    lines = result.stderr.splitlines()
    count = len(lines) - 2
    assert lines[-2:] == [f"lutnick: {count} warning{'s' if count > 1 else ''}; 1 record processed", "1 record valid"]
    strict = run("validate", "--strict", str(path))
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [
        *(line.replace(": warning: ", ": ", 1) for line in lines[:-2]), "lutnick: 1 error; 0 records processed"
    ]
    return [line.replace(str(path), "FILE") for line in lines[:-2]]


@pytest.mark.parametrize(
    "replace, replacement, expected",
    [
        ("issued: 2020-01-31", "issued: 2019-02-29", "FILE:10:9: warning: [smith2020] issued: '2019-02-29' is not a real date: February 2019 has no day 29; kept as given"),
        ("issued: 2020-01-31", "issued: 2020-25", "FILE:10:9: warning: [smith2020] issued: '2020-25' has no month 25; kept as given"),
        ("issued: 2020-01-31", "issued: 2021/2020", "FILE:10:9: warning: [smith2020] issued: '2021/2020' ends before it starts; kept as given"),
        ("issued: 2020-01-31", "issued: 3rd of May 2020", "FILE:10:9: warning: [smith2020] issued: '3rd of May 2020' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); kept as given"),
        ("issued: 2020-01-31", "issued: 1982–1983", "FILE:10:9: warning: [smith2020] issued: '1982–1983' is read as the EDTF date 1982/1983"),
        ("issued: 2020-01-31", "issued: 2020-1-5", "FILE:10:9: warning: [smith2020] issued: '2020-1-5' is read as the EDTF date 2020-01-05"),
        ("pages: 1-10", "pages: 154-140", "FILE:11:8: warning: [smith2020] pages: page range '154-140' runs backwards; kept as given"),
        ("pages: 1-10", "pages: 377--86", "FILE:11:8: warning: [smith2020] pages: '377--86' is read as 377–386"),
        ("pages: 1-10", "pages: C3-32", "FILE:11:8: warning: [smith2020] pages: 'C3-32' is not a page range lutnick can read; kept as a label"),
        ("issn: 2286-7511", "issn: 2286-7512", "FILE:9:9: warning: [smith2020] container.issn: ISSN '2286-7512' has a wrong check digit (expected 1); kept as given"),
        ("id: smith2020", "id: o'smith2020", "FILE:1:5: warning: [o'smith2020] id: \"o'smith2020\" has an apostrophe, which some LaTeX packages take for a closing quote; kept as given"),
        ("title: A title\n", "", "FILE:1:1: warning: [smith2020] title: the record has no title"),
    ],
)
def test_data_that_looks_wrong_is_kept_with_a_warning(run, tmp_path, replace, replacement, expected):
    assert replace in VALID
    assert check_warnings(run, tmp_path, VALID.replace(replace, replacement)) == [expected]


def test_several_identifiers_in_one_field_are_kept_as_a_list(run, tmp_path):
    text = VALID + "isbn: 0-201-13447-0; 978-3-16-148410-0\nurl: https://a.example/x ftp://b.example/y\ndoi: 10/abcd\n"
    assert check_warnings(run, tmp_path, text) == [
        "FILE:12:7: warning: [smith2020] isbn: holds 2 ISBNs; kept as a list",
        "FILE:13:6: warning: [smith2020] url: 'ftp://b.example/y' is an ftp:// URL, which browsers no longer open; kept as given",
        "FILE:13:6: warning: [smith2020] url: holds 2 URLs; kept as a list",
        "FILE:14:6: warning: [smith2020] doi: '10/abcd' is a shortDOI, an alias a resolver expands; kept as given",
    ]
    path = tmp_path / "record.yaml"
    assert run("get", "--json", "isbn", str(path)).stdout == '["0-201-13447-0", "978-3-16-148410-0"]\n'
    assert run("get", "url.1", str(path)).stdout == "ftp://b.example/y\n"


def test_unknown_field_is_reported_at_its_key(run, tmp_path):
    assert check(run, tmp_path, VALID.replace("title: A title", "titel: A title")) == [
        "FILE:3:1: [smith2020] titel: unknown field (did you mean 'title'?)",
    ]


def test_identifier_check_digits(run, tmp_path):
    text = VALID + "doi: 11.1234/x\nisbn: 0-201-13447-1\n"
    text = text.replace("    given: Jane", "    given: Jane\n    orcid: 0000-0002-1825-0098")
    # An identifier that is not one is data that looks wrong: kept as given, like a wrong check digit.
    assert check_warnings(run, tmp_path, text) == [
        "FILE:7:12: warning: [smith2020] authors.0.orcid: ORCID iD '0000-0002-1825-0098' has a wrong check digit (expected 7); kept as given",
        "FILE:13:6: warning: [smith2020] doi: '11.1234/x' is not a DOI (expected 10.<registrant>/<suffix>); kept as given",
        "FILE:14:7: warning: [smith2020] isbn: ISBN '0-201-13447-1' has a wrong check digit; kept as given",
    ]
    assert run("get", "doi", str(tmp_path / "record.yaml")).stdout == "11.1234/x\n"


def test_missing_required_fields_point_at_the_mapping(run, tmp_path):
    assert check(run, tmp_path, "id: x\nauthors:\n  - given: Jane\n") == [
        "FILE:3:5: [x] authors.0: a person needs a family name, or a literal name for an organisation",
        "FILE:1:1: [x] type: is required",
    ]


def test_an_empty_name_is_left_out_with_a_warning(run, tmp_path):
    # Generated CSL-JSON (Manubot's, from Crossref) may hold `{}` in an author list: nothing to keep,
    # and no reason to refuse the record for it.
    text = VALID.replace("    given: Jane\n", "    given: Jane\n  - {}\n  - family: Jones\n")
    assert check_warnings(run, tmp_path, text) == [
        "FILE:7:5: warning: [smith2020] authors.1: an empty name, with nothing in it; left out"
    ]
    exported = run("export", "--to", "csl-json", str(tmp_path / "record.yaml"))
    assert json.loads(exported.stdout)[0]["author"] == [{"family": "Smith", "given": "Jane"}, {"family": "Jones"}]


def test_a_name_of_nothing_but_a_given_name_is_still_refused(run, tmp_path):
    items = [{"id": "x", "type": "book", "title": "T", "author": [{}, {"given": "Jane"}]}]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.replace(str(path), "FILE").splitlines() == [
        "FILE:1: warning: [x] authors.0: an empty name, with nothing in it; left out",
        "FILE:1: [x] authors.1: a person needs a family name, or a literal name for an organisation",
        "lutnick: 1 error; 0 records processed",  # the warnings of a refused record are shown, not counted
    ]


def test_yaml_syntax_error(run, tmp_path):
    assert check(run, tmp_path, "title: [unclosed\ntype: book\n") == [
        "FILE:2:5: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)"
    ]


def test_duplicate_key(run, tmp_path):
    assert check(run, tmp_path, VALID + "title: Again\n") == ["FILE:12:1: [smith2020] title: duplicate key (first given on line 3)"]


def test_unquoted_number_where_text_is_needed(run, tmp_path):
    assert check(run, tmp_path, VALID + "isbn: 0262531143\n") == [
        "FILE:12:7: [smith2020] isbn: expected text, got a number (put it in quotes, or YAML reads it as a number)"
    ]


def test_empty_and_comment_only_files(run, tmp_path):
    assert check(run, tmp_path, "# nothing here\n") == ["FILE:1: no records in the file: it is empty or only comments"]


def test_python_tags_are_refused(run, tmp_path):
    text = "title: !!python/object/apply:os.system ['echo hacked']\ntype: book\n"
    assert check(run, tmp_path, text) == [
        "FILE:1:8: title: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system': records hold plain data only"
    ]


def test_alias_bomb_is_stopped(run, tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    lines.append("title: *a8")
    problems = check(run, tmp_path, "\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "too many nodes" in problems[0]


def test_binary_and_nul(run, tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"title: x\x00y\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: contains a NUL character: binary data, not a record\nlutnick: 1 error; 0 records processed\n"
    # Not UTF-8, and not text in Windows-1252 either: control characters a text file never holds.
    path.write_bytes(b"type: book\ntitle: \xff\x02\x03\n")
    result = run("validate", str(path))
    assert result.stderr == f"{path}:2: not UTF-8 text (byte 0xff at offset 18)\nlutnick: 1 error; 0 records processed\n"


def test_utf16_with_bom_and_utf8_bom_and_crlf_are_read(run, tmp_path):
    text = textwrap.dedent(VALID).lstrip("\n")
    for name, data in [
        ("utf16.yaml", text.encode("utf-16")),
        ("bom.yaml", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("crlf.yaml", text.replace("\n", "\r\n").encode("utf-8")),
    ]:
        (tmp_path / name).write_bytes(data)
    result = run("validate", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "3 records valid\n"


def test_control_characters_are_refused(run, tmp_path):
    assert check(run, tmp_path, VALID.replace("title: A title", 'title: "A\\x07title"')) == [
        "FILE:3:8: [smith2020] title: contains a control character"
    ]


def test_every_file_is_reported_not_just_the_first(run, tmp_path):
    write(tmp_path, VALID.replace("pages: 1-10", "pages: [1, 10]"), "a.yaml")
    write(tmp_path, VALID.replace("type: article-journal", "type: bok"), "b.yaml")
    result = run("validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.stderr.splitlines()] == [
        "[smith2020] pages: expected a page range such as 140–154, got a list",
        "[smith2020] type: 'bok' is not a known type (did you mean 'book'?)",
        "2 errors; 0 records processed",
    ]


def test_csl_json_problems_name_the_item_line(run, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"id": "a", "type": "book", "title": "Fine"},\n  {"id": "b", "type": "bok"}\n]\n')
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:3: [b] type: 'bok' is not a known type (did you mean 'book'?)\nlutnick: 1 error; 1 record processed\n"
    )


def test_broken_json(run, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"id": "a", "type": "book", "title": "Fine"}\n  {"id": "b"}\n]\n')
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"{path}:3:3: JSON syntax: expected ',' or ']' between items\nlutnick: 1 error; 1 record processed\n"
