"""Time reading a large .bib file: lutnick beside pandoc and citation-js, in the same run, on the same file.

It writes the corpus of bench/corpus.py as BibTeX (`bib_text`: journals as
@string macros, month macros, accents as TeX, some words brace-protected, a
line break inside long titles, most values plain) and times, each in a fresh
process, turning the whole file into CSL-JSON:

* `lutnick export --to csl-json`;
* `pandoc -f biblatex -t csljson`;
* citation-js (`citation-js -i FILE -f json -s csl`), when installed in bench/.

It prints the median time of each, entries per second, the peak memory of
the process tree and its CPU time, and each tool's ratio to lutnick's time and
CPU time, with the same columns as bench/batch.py. It also checks that every tool gave
one item per entry, and prints the digest of lutnick's output, to compare with a run of
another tree (`PYTHONPATH=OTHER/src`). `--skip pandoc` leaves out pandoc, which takes
minutes on 100,000 entries.

With `--against SRC` it times lutnick alone instead, in fresh processes, taking turns
between the `src` folder beside it and SRC (another checkout's), who goes first changing
each round, `--runs` rounds. For each side it prints the medians of the wall time, of the
CPU time of the process tree, and of the main process's own CPU time and its workers'
apart (on an idle machine the main process, which validates and writes every record,
bounds the wall time), the peak memory, and the digest of the output, which must be the
same on both sides.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from batch import LUTNICK, measure  # noqa: E402
from corpus import bib_text  # noqa: E402
from timing import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000, help="entries in the file (default: 100,000)")
    parser.add_argument("--runs", type=int, default=1, help="runs per tool (default: 1)")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--skip", action="append", choices=("pandoc", "citation-js"), default=[],
                        help="leave this tool out (may be given twice)")
    parser.add_argument("--against", type=Path, metavar="SRC",
                        help="another checkout's src folder: time lutnick alone, taking turns with it")
    arguments = parser.parse_args()
    if arguments.against is not None:
        against(arguments.against, arguments.entries, arguments.runs)
        return
    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = shutil.which("pandoc")
    if "pandoc" in arguments.skip:
        pandoc = None
    citation_js = BENCH / "node_modules" / ".bin" / "citation-js"
    if "citation-js" in arguments.skip:
        citation_js = BENCH / "skipped"
    elif not citation_js.exists():
        print("citation-js: not installed; `npm install --no-save --no-package-lock --prefix bench @citation-js/cli@0.7.21`")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        work = Path(folder)
        source = work / "corpus.bib"
        source.write_text(bib_text(arguments.entries), encoding="utf-8")
        print(f"\n{arguments.entries} entries, {source.stat().st_size / 2**20:.1f} MB, to CSL-JSON")
        outputs = {"lutnick": work / "lutnick.json"}
        mine = measure("lutnick export --to csl-json", [*LUTNICK, "export", "--to", "csl-json", str(source)],
                       arguments.runs, arguments.entries, results, stdout=outputs["lutnick"])
        others = []
        if pandoc:
            outputs["pandoc"] = work / "pandoc.json"
            others.append(measure("pandoc -f biblatex", [pandoc, "-f", "biblatex", "-t", "csljson", str(source)],
                                  arguments.runs, arguments.entries, results, stdout=outputs["pandoc"]))
        if citation_js.exists():
            outputs["citation-js"] = work / "citation-js.json"
            others.append(measure("citation-js", [str(citation_js), "-i", str(source), "-f", "json", "-s", "csl"],
                                  arguments.runs, arguments.entries, results, stdout=outputs["citation-js"]))
        # On a machine shared with other work the wall times say little: the CPU times are given beside them.
        for row in others:
            print(f"  {row['tool']}: {row['median_s'] / mine['median_s']:.2f}× lutnick's time, "
                  f"{row['cpu_s'] / mine['cpu_s']:.2f}× its CPU time")
        digest = hashlib.sha256(outputs["lutnick"].read_bytes()).hexdigest()[:16]
        print(f"  lutnick's output: sha256 {digest}")
        for tool, path in outputs.items():
            count = len(json.loads(path.read_text(encoding="utf-8") or "[]"))
            print(f"  {tool}: {count} items{'' if count == arguments.entries else ' (NOT one per entry)'}")
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


# lutnick, writing the CPU time of its main process and that of its workers (ended and waited for
# by then) to the file named by LUTNICK_BENCH_CPU as it exits.
SPLIT_CPU = [
    sys.executable,
    "-c",
    (
        "import atexit, os, resource, sys\n"
        "def report():\n"
        "    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "    with open(os.environ['LUTNICK_BENCH_CPU'], 'w') as handle:\n"
        "        handle.write(f'{own.ru_utime + own.ru_stime} {workers.ru_utime + workers.ru_stime}')\n"
        "atexit.register(report)\n"
        "from lutnick_cli.cli import main\n"
        "sys.exit(main())"
    ),
]


def against(other: Path, entries: int, rounds: int) -> None:
    """lutnick of this checkout and of `other` on the same file, in turns, and the ratio of their medians."""
    sides = {"this": BENCH.parent / "src", "against": other.resolve()}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    columns = ("wall", "cpu", "main", "workers", "peak")
    measured: dict[str, dict[str, list[float]]] = {name: {column: [] for column in columns} for name in sides}
    digests: dict[str, set[str]] = {name: set() for name in sides}
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        work = Path(folder)
        source = work / "corpus.bib"
        source.write_text(bib_text(entries), encoding="utf-8")
        print(f"\n{entries} entries, {source.stat().st_size / 2**20:.1f} MB, to CSL-JSON, {rounds} rounds")
        output, split = work / "out.json", work / "cpu"
        for round_ in range(rounds):
            # Who goes first changes each round, so that a change in the load hits both sides alike.
            for name in list(sides) if round_ % 2 == 0 else list(reversed(sides)):
                environment = {**os.environ, "PYTHONPATH": str(sides[name]), "LUTNICK_BENCH_CPU": str(split)}
                elapsed, peak, cpu = run([*SPLIT_CPU, "export", "--to", "csl-json", str(source)], output, environment)
                main_cpu, workers_cpu = (float(value) for value in split.read_text().split())
                for column, value in zip(columns, (elapsed, cpu, main_cpu, workers_cpu, peak / 2**20)):
                    measured[name][column].append(value)
                digests[name].add(hashlib.sha256(output.read_bytes()).hexdigest()[:16])
    medians = {
        name: {column: statistics.median(values) for column, values in row.items()} for name, row in measured.items()
    }
    for name, src in sides.items():
        row = medians[name]
        print(f"  {name:8} wall {row['wall']:6.2f} s  cpu {row['cpu']:6.2f} s (main {row['main']:6.2f} s, "
              f"workers {row['workers']:6.2f} s)  peak {max(measured[name]['peak']):6.1f} MB  "
              f"output {', '.join(sorted(digests[name]))}  {src}")
    ratios = ", ".join(f"{column} {medians['this'][column] / medians['against'][column]:.3f}" for column in columns[:4])
    print(f"  this / against: {ratios}")
    if len(digests["this"] | digests["against"]) != 1:
        raise SystemExit("the two sides' outputs differ")


if __name__ == "__main__":
    main()
