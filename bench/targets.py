"""Every speed target of lutnick, timed in one run beside pandoc and citation-js, printed as one table.

The targets (all with the citation cache off, each a ratio to an anchor
timed in the same run, or an absolute rate):

* one APA citation of the embedded record, cold: at most 1.5× pandoc;
* APA bibliographies of 10 and 100 records, each in a fresh process as a
  user makes one (`lutnick cite refs.json`): at most 1.0× pandoc;
* an APA bibliography of 10,000 records: at least 3× as fast as
  citation-js, and 2,000 records/s;
* growth from 1,000 to 10,000 records: linear (at most 10× the time);
* reading a 100,000-entry .bib file into CSL-JSON (bench/read_bib.py):
  at most 10 s and 1 GB, at least 2× as fast as citation-js and 10× as
  fast as pandoc;
* a BibTeX export of 10,000 records: at least 20,000 records/s.

Every figure is the median of fresh processes on the corpus of
bench/corpus.py, the same records on every machine; for the cold citation
and the small bibliographies, the tools take turns run by run, so that a
burst of other work on the machine falls on all of them alike. lutnick's
bytecode is compiled first, as installing it does, so that no run
compiles it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from batch import apa_style, citation_js_bibliography, pandoc_bibliography, write_corpus  # noqa: E402
from cold_cite import citation_js_citation, embedded_items, pandoc_citation  # noqa: E402
from timing import (  # noqa: E402
    CITATION_JS, CITATION_JS_INSTALL, LUTNICK, compile_lutnick, measure, measure_in_turns, pandoc_binary,
    tool_version,
)

# A quick run: every target, at smaller sizes and with fewer runs (a couple of minutes on two cores).
QUICK = {"cold_runs": 7, "runs": 5, "large": 2000, "growth_from": 200, "large_runs": 1,
         "bib_entries": 10_000, "export_runs": 3}


class Table:
    """The rows of the final table: the work, each tool's figure, the ratio, the target and whether it is met."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, work: str, ratio: str, target: str, met: bool | None, lutnick: str = "", pandoc: str = "",
            citation_js: str = "") -> None:
        self.rows.append({"work": work, "lutnick": lutnick, "pandoc": pandoc, "citation-js": citation_js,
                          "ratio": ratio, "target": target, "met": met})

    def print(self) -> None:
        columns = ["work", "lutnick", "pandoc", "citation-js", "ratio", "target", "met"]
        cells = [[_cell(row[column]) for column in columns] for row in self.rows]
        widths = [max(len(column), *(len(row[index]) for row in cells)) for index, column in enumerate(columns)]
        print("| " + " | ".join(column.ljust(width) for column, width in zip(columns, widths)) + " |")
        print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
        for row in cells:
            print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |")
        met = [row["met"] for row in self.rows if row["met"] is not None]
        print(f"\n{sum(met)} of {len(met)} targets met")


def _cell(value: object) -> str:
    if value is None:
        return "not judged"
    if value is True:
        return "yes"
    if value is False:
        return "NO"
    return str(value)


def _time(row: dict | None, records: int = 0, memory: bool = False) -> str:
    """A tool's figure: its median time, and records per second or its peak memory where they matter."""
    if row is None:
        return ""
    text = _seconds(row["median_s"])
    seconds = row["median_s"]
    if records:
        text += f", {records / seconds:,.0f} rec/s"
    if memory:
        text += f", {row['peak_mb']:,.0f} MB"
    # The CPU time of the process tree: other work on the same cores lengthens the wall time, hardly this.
    return text + f" (CPU {_seconds(row['cpu_s'])})"


def _seconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(mine: dict, other: dict | None, name: str) -> tuple[str, float | None]:
    if other is None:
        return f"no {name}", None
    ratio = mine["median_s"] / other["median_s"]
    return f"{ratio:.2f}× {name} (CPU {mine['cpu_s'] / other['cpu_s']:.2f}×)", ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes and fewer runs: " + ", ".join(f"--{key.replace('_', '-')} {value}" for key, value in QUICK.items()))
    parser.add_argument("--cold-runs", type=int, default=21, help="runs of each cold citation (default: 21)")
    parser.add_argument("--runs", type=int, default=11, help="runs of each small bibliography and of the growth's smaller size (default: 11)")
    parser.add_argument("--large", type=int, default=10_000, help="records of the large bibliography and the export (default: 10,000)")
    parser.add_argument("--large-runs", type=int, default=3, help="runs of each large bibliography (default: 3)")
    parser.add_argument("--growth-from", type=int, default=1000, help="the smaller size growth is measured from (default: 1,000)")
    parser.add_argument("--pandoc-limit", type=int, default=1000, help="largest bibliography pandoc is given: it grows quadratically beyond (default: 1,000)")
    parser.add_argument("--bib-entries", type=int, default=100_000, help="entries of the .bib file read (default: 100,000); 0 leaves it out")
    parser.add_argument("--bib-runs", type=int, default=1, help="runs of each tool reading the .bib file (default: 1)")
    parser.add_argument("--export-runs", type=int, default=5, help="runs of each BibTeX export (default: 5)")
    parser.add_argument("--pandoc", help="the pandoc to compare with (default: pypandoc-binary's, else the one on PATH)")
    parser.add_argument("--json", type=Path, help="also write every measurement and the table here as JSON")
    arguments = parser.parse_args()
    if arguments.quick:  # its sizes and runs, unless given
        parser.set_defaults(**QUICK)
        arguments = parser.parse_args()

    # The citation cache off for every run: what is measured is the work, not a cache's answer.
    os.environ["LUTNICK_CACHE_DIR"] = ""
    compile_lutnick()
    pandoc = arguments.pandoc or pandoc_binary()
    citation_js = CITATION_JS.exists()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"pandoc: {f'{pandoc} ({tool_version([pandoc])})' if pandoc else 'not found; left out'}")
    print(f"citation-js: {tool_version([str(CITATION_JS)]) if citation_js else f'not installed (`{CITATION_JS_INSTALL}`); left out'}")
    results: list[dict] = []
    table = Table()
    apa = apa_style()

    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        work = Path(folder)

        # The tools take turns run by run (`measure_in_turns`), as in bench/cold_cite.py: timed one after
        # the other, a burst of other work falls on one tool alone and skews the ratio.
        print(f"\none APA citation of the embedded record, cold (median of {arguments.cold_runs}, the tools in turns)")
        items = embedded_items(LUTNICK, work)
        contenders: dict[str, tuple[list[str], dict]] = {"lutnick cite": ([*LUTNICK, "cite"], {"sample_memory": False})}
        if pandoc:
            command, stdin = pandoc_citation(pandoc, items, apa)
            contenders["pandoc --citeproc"] = (command, {"stdin": stdin, "sample_memory": False})
        if citation_js:
            contenders["citation-js"] = (citation_js_citation(items), {"sample_memory": False})
        rows = measure_in_turns(contenders, arguments.cold_runs, 0, results, warm=2)
        mine, theirs, js = rows["lutnick cite"], rows.get("pandoc --citeproc"), rows.get("citation-js")
        text, ratio = _ratio(mine, theirs, "pandoc")
        table.add("one APA citation, cold", text, "≤ 1.5× pandoc", None if ratio is None else ratio <= 1.5,
                  _time(mine), _time(theirs), _time(js))

        for size in (10, 100):
            print(f"\nAPA bibliography of {size} records (median of {arguments.runs}, the tools in turns)")
            source, _ = write_corpus(work, size)
            contenders = {"lutnick cite": ([*LUTNICK, "cite", str(source)], {"sample_memory": False})}
            if pandoc:
                contenders["pandoc --citeproc"] = (pandoc_bibliography(pandoc, source, apa, work), {"sample_memory": False})
            if citation_js:
                contenders["citation-js"] = (citation_js_bibliography(source), {"sample_memory": False})
            rows = measure_in_turns(contenders, arguments.runs, size, results, warm=1)
            mine, theirs, js = rows["lutnick cite"], rows.get("pandoc --citeproc"), rows.get("citation-js")
            text, ratio = _ratio(mine, theirs, "pandoc")
            table.add(f"APA bibliography, {size} records", text, "≤ 1.0× pandoc", None if ratio is None else ratio <= 1.0,
                      _time(mine), _time(theirs), _time(js))

        large, small = arguments.large, arguments.growth_from
        print(f"\nAPA bibliography of {small} records (median of {arguments.runs}), then of {large} (median of {arguments.large_runs})")
        source, _ = write_corpus(work, small)
        smaller = measure("lutnick cite", [*LUTNICK, "cite", str(source)], arguments.runs, small, results)
        source, _ = write_corpus(work, large)
        mine = measure("lutnick cite", [*LUTNICK, "cite", str(source)], arguments.large_runs, large, results)
        theirs = measure("pandoc --citeproc", pandoc_bibliography(pandoc, source, apa, work), arguments.large_runs, large,
                         results) if pandoc and large <= arguments.pandoc_limit else None
        js = measure("citation-js", citation_js_bibliography(source), arguments.large_runs, large, results) if citation_js else None
        text, ratio = _ratio(mine, js, "citation-js")
        table.add(f"APA bibliography, {large:,} records", text, "≤ 0.33× citation-js (3× as fast)",
                  None if ratio is None else ratio <= 1 / 3, _time(mine, large, memory=True),
                  _time(theirs, large, memory=True) if theirs else f"not run (over {arguments.pandoc_limit:,})",
                  _time(js, large, memory=True))
        rate = large / mine["median_s"]
        table.add("  … records per second", f"{rate:,.0f} rec/s", "≥ 2,000 rec/s on 2 cores", rate >= 2000)
        growth = mine["median_s"] / smaller["median_s"]
        table.add(f"growth, {small:,} → {large:,} records", f"{growth:.1f}× the time for {large / small:.0f}× the records",
                  f"≤ {large / small:.0f}× (linear)", growth <= large / small, f"{_time(smaller)} → {_time(mine)}")

        if arguments.bib_entries:
            _read_bib(arguments.bib_entries, arguments.bib_runs, work, results, table)

        # In turns, and without sampling memory, which the row does not show: the sampler walks /proc every
        # 20 ms, CPU taken from a run of half a second that keeps both cores busy (17% of its wall time here).
        print(f"\nBibTeX export of {large} records (median of {arguments.export_runs}, the tools in turns)")
        contenders = {"lutnick export --to bibtex": ([*LUTNICK, "export", "--to", "bibtex", str(source)], {"sample_memory": False})}
        if pandoc:
            contenders["pandoc -t bibtex"] = ([pandoc, "-f", "csljson", "-t", "bibtex", str(source)], {"sample_memory": False})
        if citation_js:
            contenders["citation-js -s bibtex"] = (
                [str(CITATION_JS), "-i", str(source), "-f", "string", "-s", "bibtex"], {"sample_memory": False})
        rows = measure_in_turns(contenders, arguments.export_runs, large, results, warm=1)
        mine, theirs, js = rows["lutnick export --to bibtex"], rows.get("pandoc -t bibtex"), rows.get("citation-js -s bibtex")
        rate = large / mine["median_s"]
        table.add(f"BibTeX export, {large:,} records", f"{rate:,.0f} rec/s", "≥ 20,000 rec/s", rate >= 20_000,
                  _time(mine, large), _time(theirs, large), _time(js, large))

    print(f"\nload average at the end {os.getloadavg()[0]:.2f}; the citation cache off throughout\n")
    table.print()
    if arguments.json:
        arguments.json.write_text(json.dumps({"measurements": results, "table": table.rows}, indent=2) + "\n", encoding="utf-8")


def _read_bib(entries: int, runs: int, work: Path, results: list[dict], table: Table) -> None:
    """Reading a large .bib file, timed by bench/read_bib.py (its own script), judged here."""
    print()
    report = work / "read_bib.json"
    subprocess.run([sys.executable, str(BENCH / "read_bib.py"), "--entries", str(entries), "--runs", str(runs),
                    "--json", str(report)], check=True)
    rows = {row["tool"].split()[0]: row for row in json.loads(report.read_text(encoding="utf-8"))}
    results.extend(rows.values())
    mine, theirs, js = rows["lutnick"], rows.get("pandoc"), rows.get("citation-js")
    work_name = f"reading a {entries:,}-entry .bib"
    text, ratio = _ratio(mine, js, "citation-js")
    table.add(work_name, text, "≤ 0.5× citation-js (2× as fast)", None if ratio is None else ratio <= 0.5,
              _time(mine, memory=True), _time(theirs, memory=True), _time(js, memory=True))
    text, ratio = _ratio(mine, theirs, "pandoc")
    table.add("  … beside pandoc", text, "≤ 0.1× pandoc (10× as fast)", None if ratio is None else ratio <= 0.1)
    scale = entries / 100_000  # the absolute targets are for 100,000 entries
    seconds = mine["median_s"]
    table.add("  … time", f"{seconds:.1f} s", f"≤ {10 * scale:g} s", seconds <= 10 * scale)
    table.add("  … peak memory", f"{mine['peak_mb']:,.0f} MB", "≤ 1 GB",
              mine["peak_mb"] <= 1024)


if __name__ == "__main__":
    main()
