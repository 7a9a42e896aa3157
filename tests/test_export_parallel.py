"""A large CSL-JSON file exported in several processes gives what one process gives: the same output,
warnings and errors in the same order, the same keys and exit status."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from conftest import REPO
from lutnick_cli import parallel_export, pool
from lutnick_cli.formats import csl_json


def _corpus(count: int) -> list[dict]:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from corpus import csl_items
    finally:
        sys.path.remove(str(REPO / "bench"))
    return csl_items(count)


# An item the reader warns of (a name list's `sequence` that does not fit its place).
WARNED = {
    "id": "carberry",
    "type": "article-journal",
    "title": "Kinetics of a condensate",
    "author": [
        {"given": "Josiah", "family": "Carberry", "sequence": "first"},
        {"name": "GTEx Consortium", "sequence": "first"},
    ],
}


class Runs:
    """The export run twice in this process: in one process, and split across `cores` processes."""

    def __init__(self, run, monkeypatch, cores: int) -> None:
        self.run = run
        self.monkeypatch = monkeypatch
        self.cores = cores
        self.split: list[bool] = []
        made = parallel_export.export_chunks

        def noted(*arguments):  # type: ignore[no-untyped-def]
            chunks = made(*arguments)
            self.split.append(chunks is not None)
            return chunks

        monkeypatch.setattr(parallel_export, "export_chunks", noted)
        monkeypatch.setattr(pool, "available_cores", lambda: self.cores)

    def both(self, *arguments: str):  # type: ignore[no-untyped-def]
        self.monkeypatch.setattr(parallel_export, "PARALLEL_BYTES", 1 << 40)
        alone = self.run(*arguments)
        self.monkeypatch.setattr(parallel_export, "PARALLEL_BYTES", 1)
        split = self.run(*arguments)
        assert self.split == [False, True]  # the second run really was split
        self.split.clear()
        return alone, split


@pytest.fixture(params=[2, 3])
def runs(request, run, monkeypatch) -> Runs:
    return Runs(run, monkeypatch, request.param)


def _same(alone, split) -> None:
    assert (split.exit_code, split.stdout, split.stderr) == (alone.exit_code, alone.stdout, alone.stderr)


def _write(path: Path, items: list, indent: int | None = None) -> str:
    path.write_text(json.dumps(items, indent=indent, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("target", ["bibtex", "biblatex", "csl-json", "ris"])
@pytest.mark.parametrize("indent", [None, 2])
def test_the_corpus_exports_the_same_split_or_not(runs, tmp_path, target, indent):
    path = _write(tmp_path / "refs.json", _corpus(300), indent)
    if target == "ris":  # no pieces: RIS goes the one way whatever the size
        runs.monkeypatch.setattr(parallel_export, "PARALLEL_BYTES", 1)
        assert runs.run("export", "--to", target, path).exit_code == 0
        assert runs.split == [False]
        return
    alone, split = runs.both("export", "--to", target, path)
    assert alone.exit_code == 0 and alone.stdout.count("\n") > 2000
    _same(alone, split)


def test_json_lines_export_the_same_split_or_not(runs, tmp_path):
    path = tmp_path / "refs.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in _corpus(100)), encoding="utf-8")
    _same(*runs.both("export", "--to", "bibtex", str(path)))


def _no_ids(items: list[dict]) -> list[dict]:
    return [{key: value for key, value in item.items() if key != "id"} for item in items]


def test_keys_made_unique_across_parts_are_written_with_their_suffix(runs, tmp_path):
    # Records with no id, each met again in every part: their derived keys get suffixes in input order.
    items = _no_ids(_corpus(20)) * 6
    alone, split = runs.both("export", "--to", "bibtex", _write(tmp_path / "refs.json", items))
    assert alone.exit_code == 0 and "a,\n" in alone.stdout and "e,\n" in alone.stdout
    _same(alone, split)
    alone, split = runs.both("export", "--to", "csl-json", _write(tmp_path / "refs.json", items))
    _same(alone, split)


@pytest.mark.parametrize("case", [str, str.upper])
def test_an_id_given_twice_is_reported_in_its_place(runs, tmp_path, case):
    items = _corpus(60)
    items[50] = {**items[50], "id": case(items[3]["id"])}  # keys are the same whatever their case
    alone, split = runs.both("export", "--to", "bibtex", _write(tmp_path / "refs.json", items, 2))
    assert alone.exit_code == 1 and "is already the key of the record at" in alone.stderr
    _same(alone, split)


def _troubled(count: int) -> list:
    """The corpus with warned items and bad ones spread through it."""
    items: list = _corpus(count)
    for index in range(5, count, count // 7):
        items[index] = {**copy.deepcopy(WARNED), "id": f"warned{index}"}
    items[count // 3] = {**items[count // 3], "issued": {"date-parts": [["spring"]]}}
    items[count - 4] = {**items[count - 4], "type": "no-such-type"}
    return items


@pytest.mark.parametrize("options", [(), ("--strict",), ("--fail-fast",), ("--strict", "--fail-fast")])
def test_warnings_and_errors_come_in_input_order(runs, tmp_path, options):
    path = _write(tmp_path / "refs.json", _troubled(90), 2)
    alone, split = runs.both("export", "--to", "bibtex", *options, path)
    assert alone.exit_code == 1 and alone.stderr.count("\n") > 1
    _same(alone, split)


def test_warnings_alone_are_counted_and_exit_0(runs, tmp_path):
    items = _corpus(80)
    items[70] = WARNED
    alone, split = runs.both("export", "--to", "biblatex", _write(tmp_path / "refs.json", items))
    assert alone.exit_code == 0 and "1 warning; 80 records processed" in alone.stderr
    _same(alone, split)


def test_a_key_given_twice_in_an_item_is_reported_with_its_line(runs, tmp_path):
    text = json.dumps(_corpus(40), indent=2)
    # The 31st item's id given twice: a problem of that item alone.
    at = text.index('"id"', text.index('"id"') + 1)
    for _ in range(29):
        at = text.index('"id"', at + 1)
    text = text[:at] + '"id": "twice",\n    ' + text[at:]
    path = tmp_path / "refs.json"
    path.write_text(text, encoding="utf-8")
    alone, split = runs.both("export", "--to", "bibtex", str(path))
    assert alone.exit_code == 1 and "is given twice" in alone.stderr
    _same(alone, split)


@pytest.mark.parametrize("fault", ["][", "1, ", "{", ""])
def test_what_ends_the_file_ends_it_in_the_same_place(runs, tmp_path, fault):
    text = json.dumps(_corpus(40), indent=2)
    cut = text.rindex("\n  {")  # before the last item: the last part has the fault
    text = text[:cut] + fault + text[cut:] if fault else text[:-2]  # "": the array is not closed
    path = tmp_path / "refs.json"
    path.write_text(text, encoding="utf-8")
    alone, split = runs.both("export", "--to", "csl-json", str(path))
    assert alone.exit_code == 1 and "refs.json:" in alone.stderr
    _same(alone, split)


def test_a_wrong_guess_of_where_a_part_starts_is_read_on(runs, tmp_path):
    # Objects with a type inside every item: a part may be guessed to start at one of them.
    items = [{**item, "x-shapes": [{"a": 1}, {"type": "book"}]} for item in _corpus(60)]
    path = _write(tmp_path / "refs.json", items)
    text = Path(path).read_text(encoding="utf-8")
    _, starts = csl_json.parts(text, path, [0.5])
    assert text[starts[1][0] - 2 : starts[1][0]] == ", " and text[starts[1][0] : starts[1][0] + 8] == '{"type":'
    alone, split = runs.both("export", "--to", "bibtex", path)
    assert alone.exit_code == 0
    _same(alone, split)


def test_an_output_file_is_the_same_and_written_only_when_every_record_is_good(runs, tmp_path):
    good = _write(tmp_path / "good.json", _corpus(50))
    alone, split = runs.both("export", "--to", "bibtex", "-o", str(tmp_path / "a.bib"), good)
    assert alone.exit_code == 0
    # Written again to the other name, with the same messages but for the name.
    split_again = runs.run("export", "--to", "bibtex", "-o", str(tmp_path / "b.bib"), good)
    runs.split.clear()
    assert split_again.stderr == alone.stderr.replace("a.bib", "b.bib")
    assert (tmp_path / "a.bib").read_text(encoding="utf-8") == (tmp_path / "b.bib").read_text(encoding="utf-8")
    bad = _write(tmp_path / "bad.json", _troubled(60))
    alone, split = runs.both("export", "--to", "bibtex", "-o", str(tmp_path / "c.bib"), bad)
    assert alone.exit_code == 1 and "nothing was written" in alone.stderr
    _same(alone, split)
    assert not (tmp_path / "c.bib").exists()


def test_where_no_process_can_be_forked_the_rest_is_read_in_this_one(runs, tmp_path):
    started = []
    forked = pool.Forked

    def fork_once(*arguments):  # type: ignore[no-untyped-def]
        if started:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        started.append(True)
        return forked(*arguments)

    runs.monkeypatch.setattr(pool, "Forked", fork_once)
    alone, split = runs.both("export", "--to", "bibtex", _write(tmp_path / "refs.json", _troubled(90), 2))
    assert alone.exit_code == 1
    _same(alone, split)
    assert started == [True]


def test_the_parts_of_a_file_start_at_its_items(tmp_path):
    items = _corpus(30)
    text = json.dumps(items, indent=2)
    in_array, starts = csl_json.parts(text, "refs.json", [0.25, 0.5, 0.75])
    assert in_array and len(starts) == 4
    decoder = json.JSONDecoder()
    read = [decoder.raw_decode(text, start)[0] for start, _ in starts]
    assert read == [items[items.index(item)] for item in read] and read[0] == items[0]
    assert [line for _, line in starts] == [text.count("\n", 0, start) + 1 for start, _ in starts]
    # Too short to split: the first part alone.
    assert csl_json.parts(json.dumps(items[:1]), "one.json", [0.5]) == (True, [(1, 1)])
