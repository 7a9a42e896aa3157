"""A bad record is reported with its file, line and id, and the rest of the batch goes on."""

from __future__ import annotations

import json
import textwrap


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


STREAM = """
id: first
type: book
title: First book
issued: 2001
---
id: broken
type: book
title: Broken book
issued: {year: 2001}
---
type: book
title: No id and no year either
pages: [9, 1]
---
id: last
type: book
title: Last book
issued: 2003
"""


def test_a_bad_document_in_a_yaml_stream_is_reported_and_the_rest_processed(run, tmp_path):
    path = write(tmp_path, "stream.yaml", STREAM)
    result = run("get", "id", str(path))
    assert result.exit_code == 1
    assert result.stdout == "first\nlast\n"
    assert result.stderr == (
        f"{path}:9:9: [broken] issued: expected an EDTF date such as 2019-04-29, got a mapping\n"
        f"{path}:13:8: pages: expected a page range such as 140–154, got a list\n"
        "lutnick: 2 errors; 2 records processed\n"
    )


def test_fail_fast_stops_at_the_first_bad_record(run, tmp_path):
    path = write(tmp_path, "stream.yaml", STREAM)
    result = run("get", "id", "--fail-fast", str(path))
    assert result.exit_code == 1
    assert result.stdout == "first\n"
    assert result.stderr == (
        f"{path}:9:9: [broken] issued: expected an EDTF date such as 2019-04-29, got a mapping\n"
        "lutnick: stopped at the first error (--fail-fast)\n"
    )


def test_a_bad_item_in_a_csl_json_array_is_skipped_by_export(run, tmp_path):
    items = [
        {"id": "good1", "type": "book", "title": "One", "issued": {"date-parts": [[2001]]}},
        {"id": "bad", "type": "boook", "title": "Two"},
        {"id": "good2", "type": "book", "title": "Three"},
    ]
    path = tmp_path / "refs.json"
    path.write_text("[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n", encoding="utf-8")
    result = run("export", "--to", "bibtex", str(path))
    assert result.exit_code == 1
    assert result.stdout == (
        "@book{good1,\n  title = {One},\n  year  = {2001},\n  date  = {2001}\n}\n"
        "\n"
        "@book{good2,\n  title = {Three}\n}\n"
    )
    assert result.stderr == (
        f"{path}:3: [bad] type: 'boook' is not a known type (did you mean 'book'?)\n"
        "lutnick: 1 error; 2 records processed\n"
    )


def test_a_syntax_error_ends_its_file_and_the_next_file_is_read(run, tmp_path):
    broken = write(tmp_path, "a.yaml", "id: a\ntype: book\ntitle: A\n---\ntitle: [unclosed\n")
    fine = write(tmp_path, "b.yaml", "id: b\ntype: book\ntitle: B\n")
    result = run("get", "title", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == "A\nB\n"
    assert result.stderr == (
        f"{broken}:6:1: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)\n"
        "lutnick: 1 error; 2 records processed\n"
    )
    assert fine.exists()


def test_a_pinned_id_used_twice_is_reported_not_renamed(run, tmp_path):
    path = write(tmp_path, "twice.yaml", "id: same\ntype: book\ntitle: A\n---\nid: Same\ntype: book\ntitle: B\n")
    result = run("get", "id", str(path))
    assert result.exit_code == 1
    assert result.stdout == "same\n"
    assert result.stderr == (
        f"{path}:5: [Same] id: 'Same' is already the key of the record at {path}:1\n"
        "lutnick: 1 error; 1 record processed\n"
    )


def test_validate_goes_on_after_a_bad_record(run, tmp_path):
    path = write(tmp_path, "stream.yaml", STREAM)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "lutnick: 2 errors; 2 records processed"


def test_derived_keys_get_suffixes_on_a_clash_and_pinned_keys_are_kept(run, tmp_path):
    path = write(
        tmp_path,
        "clash.yaml",
        """
        type: book
        title: The safety of things
        authors: [{family: Smith}]
        issued: 2019
        ---
        type: book
        title: Safety first
        authors: [{family: Smith}]
        issued: 2019
        ---
        id: smith2019safetyb
        type: book
        title: A pinned key
        ---
        type: book
        title: Safety again
        authors: [{family: Smith}]
        issued: 2019
        ---
        type: book
        title: Safety, once more
        authors: [{family: Smith}]
        issued: 2019
        """,
    )
    result = run("get", "id", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "smith2019safety\nsmith2019safetya\nsmith2019safetyb\nsmith2019safetyc\nsmith2019safetyd\n"


def test_an_import_reader_may_report_one_bad_record_and_go_on(run, tmp_path, monkeypatch):
    """The contract with import formats: a problem confined to one record is yielded in its place, not raised."""
    from lutnick_cli.errors import InvalidRecord, Problem
    from lutnick_cli.formats import csl_json

    def read(text, source):
        yield {"id": "one", "type": "book", "title": "One"}, 1
        yield InvalidRecord([Problem(source, "title", "unbalanced braces", 2)]), 2
        yield {"id": "three", "type": "book", "title": "Three"}, 3

    monkeypatch.setattr(csl_json, "read", read)
    path = tmp_path / "refs.json"
    path.write_text("[]\n", encoding="utf-8")
    result = run("get", "title", str(path))
    assert result.exit_code == 1
    assert result.stdout == "One\nThree\n"
    assert result.stderr == f"{path}:2: title: unbalanced braces\nlutnick: 1 error; 2 records processed\n"
