"""Time `lutnick check` on a large bibliography with planted faults, and say how many it found.

It takes the corpus of bench/corpus.py as CSL-JSON (10,000 records by
default), plants one fault in every 25th record, cycling through the kinds
below, and times `lutnick check --format json` in a fresh process. It then
prints, for each kind, how many were planted and how many findings of its
rule name a planted record, and how many findings name a record left clean
(the corpus's own: its random titles and names can make near-duplicates).
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import os
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from timing import LUTNICK, measure  # noqa: E402
from corpus import csl_items  # noqa: E402

TODAY = "2026-12-07"
EVERY = 25


def _isbn(item: dict, items: list[dict]) -> None:
    item["ISBN"] = "0-306-40615-3"  # 0-306-40615-2 is right


def _future(item: dict, items: list[dict]) -> None:
    item["issued"] = {"date-parts": [[2031]]}


def _backwards(item: dict, items: list[dict]) -> None:
    item["page"] = "154-140"


def _no_journal(item: dict, items: list[dict]) -> None:
    item["type"] = "article-journal"
    item.pop("container-title", None)


def _honorific(item: dict, items: list[dict]) -> None:
    item["author"][0]["given"] = "Dr " + item["author"][0]["given"]


def _capitals(item: dict, items: list[dict]) -> None:
    item["title"] = item["title"].upper()


def _doi_in_url(item: dict, items: list[dict]) -> None:
    item["URL"] = "https://doi.org/" + item.pop("DOI", "10.1000/planted")


def _duplicate(item: dict, items: list[dict]) -> None:
    twin = copy.deepcopy(item)
    twin["id"] = item["id"] + "-twin"
    items.append(twin)


# kind → (what it plants, the rule that finds it)
FAULTS = {
    "isbn check digit": (_isbn, "L102"),
    "future year": (_future, "L201"),
    "pages backwards": (_backwards, "L301"),
    "article without journal": (_no_journal, "L401"),
    "honorific in given name": (_honorific, "L701"),
    "title in capitals": (_capitals, "L702"),
    "DOI in URL": (_doi_in_url, "L110"),
    "duplicate": (_duplicate, "L502"),
}


def planted_corpus(count: int) -> tuple[list[dict], dict[str, str]]:
    """The corpus with its faults, and the rule expected on each faulty record's id (a duplicate's twin's)."""
    items = csl_items(count)
    expected = {}
    kinds = list(FAULTS.values())
    for number, index in enumerate(range(0, count, EVERY)):
        plant, rule = kinds[number % len(kinds)]
        item = items[index]
        plant(item, items)
        expected[item["id"] + ("-twin" if plant is _duplicate else "")] = rule
    return items, expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000, help="records before planting (default: 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs (default: 3)")
    arguments = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    items, expected = planted_corpus(arguments.records)
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        source = Path(folder) / "planted.json"
        source.write_text(json.dumps(items), encoding="utf-8")
        report_path = Path(folder) / "report.json"
        print(f"\n{len(items)} records, {len(expected)} planted faults")
        measure("lutnick check", [*LUTNICK, "check", "--format", "json", "--fail-on", "never", "--today", TODAY, str(source)],
                arguments.runs, len(items), [], stdout=report_path)
        report = json.loads(report_path.read_text(encoding="utf-8"))
    found = {(finding["record"], finding["rule"]) for finding in report["findings"]}
    print(f"\n  {'kind':<26} {'planted':>8} {'found':>6}")
    for kind, (_, rule) in FAULTS.items():
        planted = [key for key, wanted in expected.items() if wanted == rule]
        hits = sum(1 for key in planted if (key, rule) in found)
        print(f"  {kind:<26} {len(planted):8d} {hits:6d}")
    others = collections.Counter(
        finding["rule"] for finding in report["findings"] if finding["record"] not in expected
        and (finding["record"] or "").removesuffix("-twin") + "-twin" not in expected)
    print(f"  findings on records left clean: {sum(others.values())} {dict(sorted(others.items()))}")


if __name__ == "__main__":
    main()
