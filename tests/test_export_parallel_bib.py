"""A large .bib file exported in several processes gives what one process gives: the same output,
warnings and errors in the same order, the same keys and exit status, wherever the parts are cut."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO
from lutnick_cli import parallel_export
from lutnick_cli.formats import bib_syntax, csl_json
from test_export_parallel import Runs, _same


def _corpus(count: int) -> str:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from corpus import bib_text
    finally:
        sys.path.remove(str(REPO / "bench"))
    return bib_text(count)


@pytest.fixture(params=[2, 3])
def runs(request, run, monkeypatch) -> Runs:
    return Runs(run, monkeypatch, request.param)


def _entries(text: str) -> list[str]:
    """The corpus's entries (its first @string aside), each with the line break after it."""
    return ["@" + entry + "\n" for entry in text.rstrip("\n").split("\n@")[1:]]


def _planted(what: str, at: int, count: int = 40) -> str:
    """The corpus of `count` entries with `what` put before entry `at`."""
    text = _corpus(count)
    head = text[: text.index("\n@") + 1]
    entries = _entries(text)
    return head + "".join(entries[:at]) + what + "".join(entries[at:])


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("options", [(), ("--strict",)])
def test_the_corpus_exports_the_same_split_or_not(runs, tmp_path, options):
    source = _write(tmp_path / "corpus.bib", _corpus(300))
    _same(*runs.both("export", "--to", "csl-json", *options, source))


# What may stand anywhere in a file, and what each tells apart: the parts read as one reading does
# (a warning, a bad entry, a macro defined midway), or a part not read so, read on in this process.
PLANTED = {
    "undefined macro": "@article{undefined, title = {Kept}, journal = nomacro, year = 2001}\n\n",
    "bad entry": "@article{broken, title = {Unclosed, year = 2001}\n\n",
    "bad field": "@article{badyear, title = {A year}, year = {MMXX}}\n\n",
    "macro defined midway": "@string{jn = {Nature Redefined}}\n@string{late = jn # { Letters}}\n\n",
    "key met again": "@article{r000001, title = {Again}, year = 2001}\n\n",
    "key met again, other case": "@article{R000002, title = {Again}, year = 2001}\n\n",
    "no key": "@article{, author = {Sal, Yara}, title = {No key}, year = 1976}\n\n",
    "an @ line inside a value": "@article{inside, title = {One\n@article{not, an entry}\nline}, year = 2001}\n\n",
    "@string in a comment": "@comment{\n@string{jn = {Hidden}}\n}\n\n",
    "comment": "@comment{a note, with braces {and @} an at}\n\n",
    "duplicate field": "@article{twice, title = {One}, title = {Two}, year = 2001}\n\n",
}


@pytest.mark.parametrize("planted", sorted(PLANTED))
@pytest.mark.parametrize("at", [2, 14, 19, 27])
def test_what_a_part_holds_is_settled_as_one_process_settles_it(runs, tmp_path, planted, at):
    # Three copies, so that some part is cut near one of them whatever the number of cores.
    text = _planted(PLANTED[planted] * 3, at)
    source = _write(tmp_path / "planted.bib", text)
    for options in ((), ("--strict",), ("--fail-fast",)):
        _same(*runs.both("export", "--to", "csl-json", *options, source))


def test_keys_derived_alike_in_two_parts_are_written_with_their_suffix(runs, tmp_path):
    unkeyed = "@article{, author = {Sal, Yara}, title = {No key}, year = 1976}\n\n"
    text = _planted(unkeyed, 5, 60)
    entries = _entries(text)
    source = _write(tmp_path / "unkeyed.bib", text[: text.index("\n@") + 1] + "".join(entries[:50]) + unkeyed)
    alone, split = runs.both("export", "--to", "csl-json", source)
    _same(alone, split)
    # The second, in the second part, was written there with the key the first one gets.
    assert (split.stdout.count('"id": "sal1976no"'), split.stdout.count('"id": "sal1976noa"')) == (1, 1)


def test_a_file_with_crossrefs_goes_the_usual_way(runs, tmp_path):
    parent = "@book{parent, title = {The book}, publisher = {P}, year = 2001}\n\n"
    child = "@inbook{child, crossref = {parent}, title = {A chapter}}\n\n"
    source = _write(tmp_path / "crossref.bib", _planted(child + parent, 20))
    runs.monkeypatch.setattr(parallel_export, "PARALLEL_BYTES", 1)
    runs.run("export", "--to", "csl-json", source)
    assert runs.split == [False]


def test_a_file_of_macros_alone_is_no_error(runs, tmp_path):
    macros = "".join(f"@string{{m{number} = {{Macro {number}}}}}\n" for number in range(200))
    source = _write(tmp_path / "strings.bib", macros)
    alone, split = runs.both("export", "--to", "csl-json", source)
    _same(alone, split)
    assert (split.exit_code, split.stdout) == (0, "[]\n")


def test_a_file_without_entries_says_so(runs, tmp_path):
    source = _write(tmp_path / "comments.bib", "% a comment line\n" * 200 + "@comment{x}\n" + "% more\n" * 200)
    alone, split = runs.both("export", "--to", "csl-json", source)
    _same(alone, split)
    assert split.exit_code == 1 and "no records in the file" in split.stderr


def _job(text: str) -> parallel_export._Job:
    return parallel_export._Job(text, "parts.bib", True, False, csl_json.export_piece, None)


def test_a_clean_part_is_taken_as_read():
    text = _corpus(100)
    starts = bib_syntax.cuts(text, [0.5])
    assert len(starts) == 2 and text[starts[1][0]] == "@"
    assert starts[1][1] == 1 + text.count("\n", 0, starts[1][0])
    first = parallel_export._read_part((_job(text), 0, 1, starts[1][0], ()))
    second = parallel_export._read_part((_job(text), *starts[1], None, ()))
    assert first is not None and second is not None
    assert len(first.outcomes) + len(second.outcomes) == 100
    assert first.keys[0] == "r000000" and second.keys[-1] == "r000099"


@pytest.mark.parametrize(
    "planted, cut",
    [
        ("an @ line inside a value", "@article{not"),  # the cut falls inside an entry
        ("@string in a comment", "@string{jn = {Hidden"),  # inside a comment
        ("@string in a comment", None),  # after a definition the pass reads and the reader does not
        ("bad entry", None),  # after an entry that fails to read
    ],
)
def test_a_part_not_read_as_the_whole_file_reads_it_is_refused(planted, cut):
    text = _planted(PLANTED[planted], 20)
    start = text.index(cut) if cut else text.index(PLANTED[planted]) + len(PLANTED[planted])
    assert parallel_export._read_part((_job(text), 0, 1, start, ())) is None
    whole = parallel_export._read_part((_job(text), 0, 1, None, ()))
    assert whole is not None and whole.end == len(text)


def test_the_macros_of_a_part_are_those_defined_before_it():
    text = "@string{a = {One}}\n@article{x, title = a}\n@string{a = {Two}}\n@string{b = a # { more}}\n@article{y, title = b}\n"
    start = text.index("@article{y")
    piece = bib_syntax.piece_at(text, start, 5, None)
    assert (piece.macros["a"], piece.macros["b"], piece.strings) == ("Two", "Two more", [])
    piece = bib_syntax.piece_at(text, text.index("@string{a = {Two"), 3, start)
    assert (piece.macros["a"], "b" in piece.macros, piece.strings) == ("One", False, [0, 19])
    entry = bib_syntax.entry_at(text, start, 5)
    assert isinstance(entry, bib_syntax.Entry) and (entry.key, entry.fields["title"]) == ("y", "Two more")
