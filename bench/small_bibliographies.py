"""Time APA bibliographies of a few records (10 and 100 by default): lutnick beside pandoc, in the same run.

Most users cite tens or hundreds of records, where a tool's fixed costs
(starting, loading the style) weigh as much as rendering. For each size the
script writes the records of bench/corpus.py (the same for the same size on
every machine) as CSL-JSON and times, each in a fresh process, with
lutnick's citation cache off, the tools taking turns run by run so that a
change in the machine's load falls on both alike:

* `lutnick cite FILE`: the APA reference list of all the records;
* `pandoc --citeproc` with `nocite: '@*'`, the same list.

It prints the median of each, lutnick's ratio to pandoc's, and checks that
lutnick printed one entry per record. With `--against SRC` (another
checkout's src folder), that lutnick takes its turns too: the script checks
that it prints the same bytes, and prints its medians, wall and CPU, and the
ratio of this lutnick's CPU time to its own.

Run: `.venv/bin/python bench/small_bibliographies.py [--sizes 10,100] [--runs N] [--pandoc PATH] [--against SRC]
[--json FILE]`.
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

from cold_cite import AGAINST, interleaved_times, lutnick_command  # noqa: E402
from corpus import csl_items  # noqa: E402
from timing import PANDOC_DOCUMENT, compile_lutnick, pandoc_binary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="record counts, comma-separated (default: 10,100)")
    parser.add_argument("--runs", type=int, default=11, help="timed runs per tool and size (default 11)")
    parser.add_argument("--pandoc", help="the pandoc to compare with (default: pypandoc-binary's, else PATH's)")
    parser.add_argument("--against", type=Path, metavar="SRC", help="another lutnick's src folder, timed in turns")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    options = parser.parse_args()
    against = str(options.against.resolve()) if options.against else None
    pandoc = options.pandoc or pandoc_binary()
    if not pandoc:
        raise SystemExit("pandoc: not installed (pip install pypandoc-binary, or --pandoc PATH)")

    from lutnick_cli.citation.styles import find_style

    compile_lutnick()

    apa = find_style("apa").path
    lutnick = lutnick_command()
    os.environ["LUTNICK_CACHE_DIR"] = ""
    print(f"APA bibliographies, median of {options.runs} runs, citation cache off, "
          f"load average {os.getloadavg()[0]:.2f}; pandoc: {pandoc}"
          + (f"; {AGAINST}: {against}" if against else "") + "\n")
    results = []
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        for size in (int(size) for size in options.sizes.split(",")):
            source = Path(folder) / f"corpus-{size}.json"
            source.write_text(json.dumps(csl_items(size), ensure_ascii=False), encoding="utf-8")
            printed = subprocess.run(lutnick + ["cite", str(source)], capture_output=True, text=True, check=True).stdout
            if len(printed.splitlines()) != size:
                raise SystemExit(f"lutnick printed {len(printed.splitlines())} entries for {size} records")
            contenders = {"lutnick cite": (lutnick + ["cite", str(source)], None, False, True)}
            if against:
                theirs = subprocess.run(lutnick + ["cite", str(source)], capture_output=True, text=True, check=True,
                                        env={**os.environ, "PYTHONPATH": against}).stdout
                if theirs != printed:
                    raise SystemExit(f"{AGAINST} printed other entries for {size} records")
                contenders[f"{AGAINST} cite"] = (lutnick + ["cite", str(source)], None, False, True, against)
            contenders["pandoc --citeproc"] = (
                [pandoc, "--citeproc", "--csl", apa, "--bibliography", str(source), "-t", "plain"], PANDOC_DOCUMENT
            )
            times = interleaved_times(contenders, options.runs)
            medians = {name: wall for name, (wall, _) in times.items()}
            ratio = medians["lutnick cite"] / medians["pandoc --citeproc"]
            cpus = {name: cpu for name, (_, cpu) in times.items()}
            result = {"records": size, "seconds": medians, "cpu_seconds": cpus, "ratio_to_pandoc": ratio}
            print(f"  {size:5d} records  lutnick {medians['lutnick cite'] * 1000:7.1f} ms  "
                  f"pandoc {medians['pandoc --citeproc'] * 1000:7.1f} ms  {ratio:5.2f}× pandoc", flush=True)
            if against:
                cpu, (their_wall, their_cpu) = cpus["lutnick cite"], times[f"{AGAINST} cite"]
                result["cpu_ratio_to_against"] = cpu / their_cpu
                print(f"                 CPU: lutnick {cpu * 1000:7.1f} ms  {AGAINST} {their_cpu * 1000:7.1f} ms "
                      f"(wall {their_wall * 1000:.1f} ms)  lutnick / {AGAINST} {cpu / their_cpu:5.3f}", flush=True)
            results.append(result)
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
