"""Warnings: a record that was understood but looks wrong is kept and named; --strict refuses it."""

from __future__ import annotations

import dataclasses
import io

import pytest

from lutnick_cli import load as load_module
from lutnick_cli.batch import Batch, BatchFailed
from lutnick_cli.errors import Problem
from lutnick_cli.load import SourcedRecord, load_embedded


def _records_with_a_warning(*_arguments):
    record = load_embedded().record
    warning = Problem("refs.bib", "isbn", "check digit is wrong; kept as given", 7, warning=True, record="k")
    yield SourcedRecord(record, "refs.bib", 7, (warning,))
    yield SourcedRecord(record, "refs.bib", 12)


@pytest.fixture
def loader_with_a_warning(monkeypatch):
    # A batch takes the loader's records from `load` when it reads them.
    monkeypatch.setattr(load_module, "iter_loaded", _records_with_a_warning)


def test_a_warning_names_file_line_record_and_field():
    problem = Problem("refs.bib", "isbn", "check digit is wrong; kept as given", 7, 3, record="k", warning=True)
    assert str(problem) == "refs.bib:7:3: warning: [k] isbn: check digit is wrong; kept as given"
    assert str(Problem("refs.bib", "", "looks odd", warning=True)) == "refs.bib: warning: looks odd"


def test_a_record_with_a_warning_is_kept_and_the_run_ends_with_counts(loader_with_a_warning):
    err = io.StringIO()
    batch = Batch(["refs.bib"], err=err)
    assert len(list(batch)) == 2
    batch.finish()  # warnings alone do not fail the batch
    assert err.getvalue() == (
        "refs.bib:7: warning: [k] isbn: check digit is wrong; kept as given\n"
        "lutnick: 1 warning; 2 records processed\n"
    )


def test_strict_refuses_a_record_with_a_warning_and_fails_the_batch(loader_with_a_warning):
    err = io.StringIO()
    batch = Batch(["refs.bib"], strict=True, err=err)
    assert len(list(batch)) == 1
    with pytest.raises(BatchFailed, match=r"^1 error; 1 record processed$"):
        batch.finish()
    assert err.getvalue() == "refs.bib:7: [k] isbn: check digit is wrong; kept as given\n"


def test_a_record_given_a_new_key_keeps_its_warnings(monkeypatch):
    record = dataclasses.replace(load_embedded().record, id=None)  # keys derived, so both are given one
    warning = Problem("refs.bib", "isbn", "check digit is wrong; kept as given", 12, warning=True, record="k")
    twins = [SourcedRecord(record, "refs.bib", 7), SourcedRecord(record, "refs.bib", 12, (warning,))]
    monkeypatch.setattr(load_module, "iter_loaded", lambda *_arguments: iter(twins))
    first, second = Batch(["refs.bib"], keys=True, err=io.StringIO())
    assert second.record.id == f"{first.record.id}a"  # the same key twice: the second is given a suffix
    assert (first.warnings, second.warnings, second.line) == ((), (warning,), 12)


def test_collected_problems_are_not_printed(loader_with_a_warning):
    err = io.StringIO()
    collected: list[Problem] = []
    batch = Batch(["refs.bib"], err=err, collect=collected)
    list(batch)
    batch.finish()
    assert err.getvalue() == ""
    assert [problem.warning for problem in collected] == [True]


def test_validate_json_reports_errors_and_warnings_for_scripts(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntype: book\n---\nid: y\ntype: bok\ntitle: T\n", encoding="utf-8")
    result = run("validate", "--format", "json", str(bad))
    assert result.exit_code == 1
    import json

    report = json.loads(result.stdout)
    assert report == {
        "records": 1,
        "errors": 1,
        "warnings": 1,
        "problems": [
            {"level": "warning", "file": str(bad), "line": 1, "column": 1, "record": "x", "field": "title",
             "message": "the record has no title"},
            {"level": "error", "file": str(bad), "line": 5, "column": 7, "record": "y", "field": "type",
             "message": "'bok' is not a known type (did you mean 'book'?)"},
        ],
    }
    assert run("validate", "--format", "json").exit_code == 0
