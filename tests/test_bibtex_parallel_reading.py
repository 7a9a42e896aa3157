"""A large .bib file read with worker processes gives what one process gives: records, order, warnings, errors.

A file with crossrefs, xdata or sets is split by this process (so @string
macros and crossrefs are settled first); the workers turn the entries into
record data. Any other file is cut into pieces that the workers read whole. Small
thresholds here make a short file go the parallel way, in many chunks, so
that macros, crossrefs and sets meet across chunk boundaries.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import TESTS
from lutnick_cli import pool
from lutnick_cli.formats import bib_reader, bib_syntax


def _library() -> str:
    """Entries of every kind reading meets, repeated, with macros defined and redefined along the way."""
    parts = ["@string{jn = {Journal of Tests}}\n@set{bundle, entryset = {a0, a1}}\n"]
    for number in range(12):
        parts.append(f"""
@article{{a{number},
  author = {{S{{\\'a}}l, Yara and Kuov, Zolt{{\\'a}}n and {{World Health Organization}}}},
  title = {{Water and {{CARE}} -- part {number}}},
  journal = jn # {{ }} # late{number % 3},
  year = {{20{number:02d}}}, month = aug,
  pages = {{1--{number + 2}}},
}}
@inbook{{c{number}, crossref = {{p{number}}}, title = {{Chapter \\foo{{{number}}}}}, author = {{Smith, J. and others}}}}
@book{{p{number}, title = {{Parent {number}}}, publisher = {{Press}}, year = 1999, editor = {{von Gogh, Vincent}}}}
@whatever{{w{number}, title = {{Of a type no one knows}}, note = undefined{number}}}
@misc{{bad{number}, author = {{Smith, John, Jr, Extra}}}}
@article{{a{number}, title = {{A key given twice}}}}
@article{{broken{number}, title = {{no closing brace}}
""")
        parts.append(f"@string{{late{number % 3} = {{volume {number}}}}}\n")
        if number == 5:
            parts.append("@string{jn = {Renamed Journal}}\n")
    return "".join(parts)


@pytest.fixture()
def library(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(_library(), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [("export", "--to", "csl-json"), ("validate", "--format", "json"),
                                     ("export", "--to", "bibtex", "--strict")])
def test_worker_processes_read_what_one_process_reads(run, library, monkeypatch, command) -> None:
    one = run(*command, str(library))
    spans: list[int] = []
    iterate = pool.parallel_iter

    def counted(pool, function, chunks, **options):  # type: ignore[no-untyped-def]
        spans.append(len(chunks))
        return iterate(pool, function, chunks, **options)

    monkeypatch.setattr(bib_reader, "PARALLEL_ENTRIES", 10)
    monkeypatch.setattr(bib_reader, "_CHUNK", 7)
    monkeypatch.setattr(pool, "available_cores", lambda: 3)
    monkeypatch.setattr(pool, "parallel_iter", counted)
    many = run(*command, str(library))
    assert spans and spans[0] > 4  # the workers did read it, in many chunks
    assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr)
    # The file holds what is to be compared: good records, warnings and errors.
    assert one.exit_code == 1
    if "csl-json" in command:  # a macro redefined halfway, and one defined after its first use
        assert "Renamed Journal volume 3" in one.stdout and "Journal of Tests late0" in one.stdout
    for message in ("@string 'late0' is not defined", "@string 'undefined0' is not defined", "unknown LaTeX command",
                    "@set bundle groups a0, a1", "Too many commas", "duplicate entry key", "expected ',' or '}'"):
        assert message in one.stdout + one.stderr, message


# --- a file with no crossref, xdata or @set: split in pieces, each read by a worker ----------------------

# What could make a piece read otherwise than the whole file: each is put halfway through a clean library.
_TRAPS = {
    "none": "",
    "a line starting with @ inside a value": "@misc{inside, abstract = {One line\n@misc{fake, title = {x}}\nand on}}\n",
    "an @string inside a comment": "@comment{old macros\n@string{jn = {Commented Out}}\n}\n",
    "a key repeated from an earlier piece": "@article{e0, title = {Given twice}}\n",
    "a broken entry": "@article{broken, title = {no closing brace}\n",
    "a broken @string": "@string{jn = {no closing brace}\n",
    "an address in the text between entries": "Mail ann@example.org for the data.\n",
    "a macro redefined": "@string{jn = {Renamed Journal}}\n",
}


def _independent_library(trap: str) -> str:
    parts = ["@string{jn = {Journal of Tests}}\n"]
    for number in range(16):
        parts.append(f"""
@article{{e{number},
  author = {{S{{\\'a}}l, Yara and {{World Health Organization}}}},
  title = {{Water and {{CARE}} -- part {number}}},
  journal = jn # {{ }} # late{number % 3},
  year = {{20{number:02d}}}, month = aug, note = {{see \\foo{{{number}}}}},
}}
@whatever{{w{number}, title = {{Of a type no one knows}}, note = undefined{number}}}
@misc{{bad{number}, author = {{Smith, John, Jr, Extra}}}}
""")
        parts.append(f"@string{{late{number % 3} = {{volume {number}}}}}\n")
        if number == 8:
            parts.append(trap)
    return "".join(parts)


def _read_in_pieces(text: str, size: int, settle: bool = True) -> tuple[list, bib_syntax.Definitions, int]:
    """What bibtex's reader does with workers, in this process: the results, the definitions, and how
    many pieces were taken as read."""
    definitions = bib_syntax.Definitions()
    seen: set[str] = set()
    results: list = []
    taken = 0
    for piece in bib_syntax.pieces(text, definitions, size):
        read = bib_syntax.read_piece(piece)
        if not bib_syntax.accept(piece, read, definitions, seen):
            results += bib_syntax.parse(text, definitions, piece.start, piece.line, seen)
            break
        # Whether an entry's parents were followed matters only to those the definitions keep.
        results += [replace(result, inherited=True) if isinstance(result, bib_syntax.Entry) else result
                    for result in read.results]
        taken += 1
    if settle:
        bib_syntax.settle(definitions)
    return results, definitions, taken


@pytest.mark.parametrize("trap", _TRAPS)
def test_a_file_read_in_pieces_gives_what_reading_it_whole_gives(trap) -> None:
    text = _independent_library(_TRAPS[trap])
    assert bib_syntax.independent(text)
    whole = bib_syntax.Definitions()
    expected = bib_syntax.parse(text, whole)
    for size in (1, 50, 120, 300, 700, 1500, 10**6):
        results, definitions, taken = _read_in_pieces(text, size)
        assert results == expected, (trap, size)
        assert (definitions.macros, definitions.undefined) == (whole.macros, whole.undefined), (trap, size)
        assert definitions.entries == whole.entries, (trap, size)
        if size < 1500:  # the pieces before the trap at least were taken as read
            assert taken > 2, (trap, size)


@pytest.mark.parametrize("trap", ["none", "a key repeated from an earlier piece", "a broken entry"])
def test_workers_reading_pieces_give_what_one_process_gives(run, tmp_path, monkeypatch, trap) -> None:
    library = tmp_path / "library.bib"
    library.write_text(_independent_library(_TRAPS[trap]), encoding="utf-8")
    pieces: list[bib_syntax.Piece] = []
    iterate = pool.parallel_iter

    def counted(pool, function, chunks, **options):  # type: ignore[no-untyped-def]
        def each():  # type: ignore[no-untyped-def]
            for chunk in chunks:
                pieces.append(chunk)
                yield chunk

        return iterate(pool, function, each(), **options)

    for command in (("export", "--to", "csl-json"), ("validate", "--format", "json")):
        one = run(*command, str(library))
        monkeypatch.setattr(bib_reader, "PARALLEL_ENTRIES", 10)
        monkeypatch.setattr(bib_reader, "_PIECE", 300)
        monkeypatch.setattr(pool, "available_cores", lambda: 3)
        monkeypatch.setattr(pool, "parallel_iter", counted)
        many = run(*command, str(library))
        monkeypatch.undo()
        assert sum(isinstance(piece, bib_syntax.Piece) for piece in pieces) > 4
        pieces.clear()
        assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr)
        assert one.exit_code == 1
        for message in (
            "@string 'late0' is not defined",
            "@string 'undefined0' is not defined",
            "Too many commas",
            "unknown LaTeX command",
        ):
            assert message in one.stdout + one.stderr, message
        # The line of an entry in the last piece, counted on from the pieces before it.
        text = library.read_text(encoding="utf-8")
        line = text[: text.index("@misc{bad15")].count("\n") + 1
        assert f"library.bib:{line}: author: Cannot split" in one.stderr or f'"line": {line}' in one.stdout



def test_a_file_read_after_one_read_in_pieces_inherits_from_its_entries() -> None:
    later = "@inbook{child, crossref = {e3}, title = {A chapter}}\n@article{e3, title = {Not the parent}}\n"
    whole = bib_syntax.Definitions()
    bib_syntax.parse(_independent_library(""), whole)
    expected = bib_syntax.parse(later, whole)
    _, definitions, taken = _read_in_pieces(_independent_library(""), 300, settle=False)
    assert taken > 2 and definitions.deferred and not definitions.entries  # read again only when asked
    assert bib_syntax.parse(later, definitions) == expected
    assert expected[0].fields["journal"] == "Journal of Tests volume 0"  # the first file's e3, inherited


# Entries whose records depend on the batch: no key (one is derived, and may clash), a key that a derived
# one took before it (a clash the batch finds), warnings, a record refused; and a file that is not UTF-8.
_KEYS_AND_CLASHES = """
@article{, author = {Kuov, Zolt{\\'a}n}, title = {Water}, year = 2001}
@article{, author = {Kuov, Zolt{\\'a}n}, title = {Water}, year = 2001}
@article{KUOV2001WATER, title = {Pinned the derived key}}
@article{q1, title = {A month that is none}, year = 2001, month = {Smarch}}
@article{q2, title = {A date that is none}, date = {2001-13-45}}
@misc{\u00e9t\u00e9, title = {Caf\u00e9}}
"""


@pytest.mark.parametrize(
    "options",
    [
        ("export", "--to", "csl-json"),
        ("export", "--to", "csl-json", "--strict"),
        ("export", "--to", "csl-json", "-o", "{out}"),
        ("export", "--to", "csl-json", "--encoding", "cp1252"),
        ("export", "--to", "csl-json", "--fail-fast"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_file_read_by_the_workers_exports_as_one_process_exports_it(run, tmp_path, monkeypatch, options, encoding):
    library = tmp_path / "library.bib"
    text = _independent_library("") + _KEYS_AND_CLASHES + _independent_library("").replace("{", "{f")
    library.write_bytes(text.replace("\\'a", "\u00e1").encode(encoding))
    out = tmp_path / "out.json"

    def outcome():  # type: ignore[no-untyped-def]
        result = run(*(option.format(out=out) for option in options), str(library))
        written = out.read_text(encoding="utf-8") if out.exists() else None
        out.unlink(missing_ok=True)
        return result.exit_code, result.stdout, result.stderr, written

    one = outcome()
    monkeypatch.setattr(bib_reader, "PARALLEL_ENTRIES", 10)
    monkeypatch.setattr(bib_reader, "_PIECE", 300)
    monkeypatch.setattr(pool, "available_cores", lambda: 3)
    many = outcome()
    assert many == one
    assert one[0] == 1  # records refused: the clash, a name that cannot be split
    if len(options) == 3:  # written to stdout, every record that can be
        for message in ("'KUOV2001WATER' is already the key", "is not a month", "kuov2001watera"):
            assert message in one[1] + one[2] + (one[3] or ""), message


@pytest.mark.parametrize("name", ["jabref-complex", "better-bibtex", "mendeley-tags", "legacy-handkept",
                                  "better-biblatex", "biblatex-examples"])
def test_real_files_read_by_workers_give_what_one_process_gives(run, monkeypatch, name) -> None:
    path = TESTS / "realworld" / "bibtex" / f"{name}.bib"
    one = run("export", "--to", "csl-json", str(path))
    monkeypatch.setattr(bib_reader, "PARALLEL_ENTRIES", 10)
    monkeypatch.setattr(bib_reader, "_PIECE", 2000)
    monkeypatch.setattr(pool, "available_cores", lambda: 3)
    many = run("export", "--to", "csl-json", str(path))
    assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert one.stdout.count('"id": ') > 15
