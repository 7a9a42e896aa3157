"""A large .bib file read with worker processes gives what one process gives: records, order, warnings, errors.

The file is split by this process (so @string macros and crossrefs are
settled first); the workers turn the entries into record data. Small
thresholds here make a short file go the parallel way, in many chunks, so
that macros, crossrefs and sets meet across chunk boundaries.
"""

from __future__ import annotations

import pytest

from lutnick_cli import pool
from lutnick_cli.formats import bibtex as bibtex_format


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

    monkeypatch.setattr(bibtex_format, "PARALLEL_ENTRIES", 10)
    monkeypatch.setattr(bibtex_format, "_CHUNK", 7)
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
