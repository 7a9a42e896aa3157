"""Real bibliographies (tests/realworld/, see its PROVENANCE.md) read by lutnick, against independent readers.

`bench/realworld.py` does the measuring (and prints the table beside pandoc's);
these tests run its lutnick half in-process and hold the figures to
`tests/realworld/expected.json`, file by file:

- `lost`: records neither read nor refused with a message naming the file and
  line. Once every reader is forgiving, the list is empty everywhere.
- `authors_lost`: records read with fewer authors than the reference reader
  finds. Empty everywhere is the aim.
- `intact`: records whose authors, title, year, container, pages and
  identifiers equal the reference reader's.
- `dropped_without_message`: for each source field, how many times it was
  kept nowhere and named in no warning. Empty everywhere is the aim.

Each is an exact expectation, so a regression fails and so does an
improvement: the failure names the records that changed, and
`LUTNICK_UPDATE_GOLDEN=1` rewrites the file to today's figures (look at its diff).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from collections import Counter

import pytest

from conftest import REPO, UPDATE_GOLDEN

EXPECTED = REPO / "tests" / "realworld" / "expected.json"


def _load_bench():
    spec = importlib.util.spec_from_file_location("realworld_bench", REPO / "bench" / "realworld.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load_bench()
FILES = bench.corpus_files()


def _figures(reports) -> dict[str, dict]:
    figures = {}
    for report in reports:
        records = report.records
        figures[report.path] = {
            "records": len(records),
            "lost": sorted(r.key for r in records if r.lutnick == "lost"),
            "authors_lost": sorted(
                r.key for r in records
                if "authors" in r.lutnick_diff and len(r.lutnick_diff["authors"][1] or []) < len(r.lutnick_diff["authors"][0])
            ),
            "intact": sorted(r.key for r in records if r.lutnick_intact),
            # How often each source field was dropped without a message, in the file.
            "dropped_without_message": dict(sorted(Counter(name for r in records for name in r.dropped).items())),
        }
    return figures


@pytest.fixture(scope="module")
def measured():
    reports = bench.measure_all(FILES, with_pandoc=False)
    figures = _figures(reports)
    if UPDATE_GOLDEN:
        EXPECTED.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {report.path: report for report in reports}, figures


@pytest.fixture(scope="module")
def expected():
    assert EXPECTED.exists(), "no tests/realworld/expected.json; run with LUTNICK_UPDATE_GOLDEN=1 and review it"
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def _compare(name: str, measured, expected) -> None:
    _, figures = measured
    changes = []
    for path in sorted(set(figures) | set(expected)):
        now, then = figures.get(path, {}).get(name), expected.get(path, {}).get(name)
        if now == then:
            continue
        if isinstance(now, list) and isinstance(then, list):
            gained, gone = sorted(set(now) - set(then)), sorted(set(then) - set(now))
            changes.append(f"{path}: now also {gained}, no longer {gone}")
        elif isinstance(now, dict) and isinstance(then, dict):
            changed = {key: (then.get(key, 0), now.get(key, 0)) for key in set(now) | set(then) if now.get(key) != then.get(key)}
            changes.append(f"{path}: " + ", ".join(f"{key} {old} → {new}" for key, (old, new) in sorted(changed.items())))
        else:
            changes.append(f"{path}: {then!r} expected, {now!r} now")
    if changes:
        pytest.fail(
            f"real-world '{name}' changed (if for the better, rerun with LUTNICK_UPDATE_GOLDEN=1):\n" + "\n".join(changes),
            pytrace=False,
        )


def test_the_corpus_is_the_one_expected(measured, expected):
    _, figures = measured
    assert {path: figures[path]["records"] for path in figures} == {path: expected[path]["records"] for path in expected}


def test_every_record_is_read_or_reported(measured, expected):
    _compare("lost", measured, expected)


def test_a_refused_record_is_reported_with_its_file_and_line(measured):
    reports, _ = measured
    for path, report in reports.items():
        for record in report.records:
            if record.lutnick != "reported":
                continue
            assert record.messages, f"{path} [{record.key}] refused without a message"
            for message in record.messages:
                assert re.match(re.escape(os.path.join(bench.CORPUS, path)) + r":\d+", message), message


def test_no_record_loses_its_authors(measured, expected):
    _compare("authors_lost", measured, expected)


def test_records_intact(measured, expected):
    _compare("intact", measured, expected)


def test_fields_dropped_without_a_message(measured, expected):
    _compare("dropped_without_message", measured, expected)


def test_the_comparison_reads_what_the_values_mean():
    # Cases of the corpus: ACM's resolver (jabref-complex.bib), Mendeley's abbreviated ranges
    # (mendeley-tags.bib), a year before 1000 (better-biblatex.bib), Embase's two URLs (endnote.ris).
    assert bench.doi_key("http://doi.acm.org/10.1145/1137627.1137631") == "10.1145/1137627.1137631"
    assert [bench.pages_key(pages) for pages in ("4044-52", "4044–4052", "377--86", "12-3", "e1234")] == [
        "4044-4052", "4044-4052", "377-386", "12-13", "e1234"]
    assert bench.canonical_from_csl({"issued": {"date-parts": [[4, 3]]}})["year"] == "0004"
    assert bench.url_key("https://a.example/x  http://dx.doi.org/10.1/y") == "https://a.example/x http://dx.doi.org/10.1/y"
