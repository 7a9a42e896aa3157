"""Time a cold `lutnick cite` (a fresh process, as a user runs it) beside pandoc and citation-js.

Every tool renders the same record (the embedded article, as CSL-JSON) in
APA, in the same run, several times each, the tools taking turns run by
run so that a change in the machine's load falls on all of them alike; the
script prints the median of each and its ratio to pandoc's, then where
lutnick's own time goes. lutnick is timed three ways: with the citation
cache off (LUTNICK_CACHE_DIR empty: the figure issue 12's target is set
on), with an empty cache for every run (a first citation, which also
stores its entry), and repeated, when the cache answers. Beside each
median of wall time it prints the median CPU time (user and system, of the
process and its children), which other work on the same cores changes far
less; the breakdown of lutnick's time is in CPU time.

With `--against SRC` (another checkout's src folder, such as a worktree of
an older commit, with its bytecode compiled), the cold and the cached
lutnick cite and the breakdown are also measured with that lutnick, the two
taking turns run by run, so that a change is measured in one run.

With `--instructions` it times nothing: it counts, with valgrind's
callgrind, the instructions each step of the breakdown executes (each
measured as the growth over a script stopping one step earlier) and those
of two whole commands, `lutnick cite` and `lutnick cite` of 10 records of
bench/corpus.py as CSL-JSON, once each (the counts are the same on a busy
machine as on an idle one); with --against, for that lutnick too, with
the ratio.

Run: `make bench`, or
`.venv/bin/python bench/cold_cite.py [--runs N] [--pandoc PATH] [--against SRC] [--instructions] [--json FILE]`.
pandoc is PyPI's pypandoc-binary's (a test dependency) unless --pandoc
names another; citation-js comes from
`npm install --no-save --no-package-lock --prefix bench @citation-js/cli@0.7.21`.
A tool that is missing is reported and left out. --json writes the
medians (seconds of wall and of CPU time), the ratios and the breakdown
(milliseconds of CPU time; with --against, that lutnick's beside) for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import csl_items  # noqa: E402
from timing import (  # noqa: E402
    CITATION_JS,
    CITATION_JS_INSTALL,
    LUTNICK,
    PANDOC_DOCUMENT,
    compile_lutnick,
    pandoc_binary,
    run,
)

BARE_CITEPROC_PY = """
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
import json, sys
items = json.load(open(sys.argv[1]))
style = CitationStylesStyle(sys.argv[2], validate=False)
bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
bibliography.register(Citation([CitationItem(items[0]["id"])]))
print(str(bibliography.bibliography()[0]))
"""


# The steps of a cold `lutnick cite` of the embedded record, in the order the command takes them,
# timed inside one fresh interpreter, in CPU time (its own start and exit are measured apart). The
# embedded record goes to the engine as the CSL-JSON item shipped beside it; a lutnick from before
# that item (--against an older src) reads and validates the record, with the record model.
STEPS = [
    ("import click", "import click"),
    ("import the command line and `cite`", "import lutnick_cli.cli, lutnick_cli.commands.cite"),
    (
        "import batches and the embedded record's reader",
        (
            "import lutnick_cli.batch, lutnick_cli.citation.batch, lutnick_cli.render_cache, lutnick_cli.style_files\n"
            "try:\n"
            "    from lutnick_cli.embedded import shipped_item\n"
            "except ImportError:\n"
            "    shipped_item = None\n"
            "    from lutnick_cli.load import load_embedded"
        ),
    ),
    (
        "read the embedded record",
        "if shipped_item is not None:\n    item = shipped_item().item\nelse:\n    record = load_embedded().record",
    ),
    ("import lxml and citeproc-py", "import lxml.etree, citeproc"),
    ("import the render layer", "from lutnick_cli.citation.render import Renderer"),
    ("import the engine's rules", "import lutnick_cli.citation.engine.elements"),
    ("parse the APA style and en-US locale", 'renderer = Renderer("apa")'),
    (
        "render the entry (the style's facts worked out)",
        (
            "render = (lambda: renderer.bibliography_of_items([item])) if shipped_item is not None "
            "else (lambda: renderer.entries([record]))\nrender()"
        ),
    ),
    ("(the same entry rendered again)", "render()"),
]
START = 'import os, time\nos.environ["LUTNICK_CACHE_DIR"] = ""\nmarks = [("start", time.process_time())]\n'
PHASES = (
    START
    + "".join(f"{code}\nmarks.append(({name!r}, time.process_time()))\n" for name, code in STEPS)
    + "for (_, before), (name, after) in zip(marks, marks[1:]):\n"
    + '    print(f"{(after - before) * 1000:.3f}\\t{name}")\n'
)


def phase_medians(runs: int, sources: dict[str, str | None]) -> dict[str, dict[str, float]]:
    """For each lutnick (None: the one this interpreter imports; else a src folder), each step of PHASES
    in milliseconds of CPU time: the median over `runs` fresh interpreters, the sides taking turns."""
    samples: dict[str, dict[str, list[float]]] = {side: {} for side in sources}
    for _ in range(runs):
        for side, src in sources.items():
            env = dict(os.environ, PYTHONPATH=src) if src else None
            output = subprocess.run(
                [sys.executable, "-c", PHASES], capture_output=True, text=True, check=True, env=env
            ).stdout
            for line in output.splitlines():
                milliseconds, name = line.split("\t", 1)
                samples[side].setdefault(name, []).append(float(milliseconds))
    return {
        side: {name: statistics.median(values) for name, values in steps.items()} for side, steps in samples.items()
    }


def callgrind_instructions(command: list[str], env: dict[str, str]) -> int:
    """The instructions one fresh process of `command` executes, as valgrind's callgrind counts them."""
    with tempfile.TemporaryDirectory(prefix="lutnick-callgrind-") as folder:
        output = os.path.join(folder, "callgrind.out")
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={output}", *command],
            env=env, check=True, capture_output=True,
        )
        with open(output, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("summary:"):
                    return int(line.split()[1])
    raise RuntimeError(f"callgrind gave no count for {command}")


def instruction_counts(src: str | None, records: Path) -> dict[str, int]:
    """Instructions of each step of STEPS and of whole commands, for one lutnick (None: this interpreter's;
    else a src folder). A step's count is the growth over a script that stops one step earlier; the
    scripts end with os._exit, so no step pays for an interpreter's exit, which the whole commands do."""
    env = dict(os.environ, PYTHONHASHSEED="0", LUTNICK_CACHE_DIR="")
    if src:
        env["PYTHONPATH"] = src
    script = "import os\n"
    previous = callgrind_instructions([sys.executable, "-c", script + "os._exit(0)"], env)
    counts = {"start an interpreter": previous}
    for name, code in STEPS:
        script += code + "\n"
        total = callgrind_instructions([sys.executable, "-c", script + "os._exit(0)"], env)
        counts[name] = total - previous
        previous = total
    counts["lutnick cite: the whole command"] = callgrind_instructions(LUTNICK + ["cite"], env)
    counts[f"lutnick cite of {RECORDS} records of bench/corpus.py"] = callgrind_instructions(
        LUTNICK + ["cite", str(records)], env
    )
    return counts


def print_instructions(sides: dict[str, str | None], json_path: Path | None) -> None:
    """The instruction counts of `instruction_counts` for each side, beside each other, and their ratio."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind: not installed; --instructions counts with valgrind's callgrind")
    with tempfile.TemporaryDirectory(prefix="lutnick-bench-") as folder:
        records = Path(folder) / f"corpus-{RECORDS}.json"
        records.write_text(json.dumps(csl_items(RECORDS), ensure_ascii=False), encoding="utf-8")
        counts = {side: instruction_counts(src, records) for side, src in sides.items()}
    print("instructions (valgrind's callgrind), one fresh process each, citation cache off, PYTHONHASHSEED=0:")
    print("  " + " ".join(f"{side:>10s}" for side in sides) + ("      ratio" if len(sides) > 1 else ""))
    for name in counts["lutnick"]:
        values = [counts[side][name] for side in sides]
        ratio = f"  {values[0] / values[1]:9.3f}" if len(values) > 1 and values[1] else ""
        print("  " + " ".join(f"{value / 1e6:8.1f} M" for value in values) + f"{ratio}  {name}")
    if json_path:
        json_path.write_text(json.dumps({"instructions": counts}, indent=2) + "\n", encoding="utf-8")


# The records of the second whole command --instructions counts: a small bibliography.
RECORDS = 10


def run_once(
    command: list[str],
    stdin: str | None = None,
    fresh_cache: bool = False,
    cache_off: bool = False,
    src: str | None = None,
) -> tuple[float, float]:
    """Wall and CPU time of one fresh process; `fresh_cache` gives it an empty citation cache, `cache_off`
    none; `src` is the lutnick it imports (default: this interpreter's)."""
    env = dict(os.environ)
    if fresh_cache:
        env["LUTNICK_CACHE_DIR"] = tempfile.mkdtemp(prefix="lutnick-bench-cache-")
    if cache_off:
        env["LUTNICK_CACHE_DIR"] = ""
    if src:
        env["PYTHONPATH"] = src
    elapsed, _, cpu = run(command, env=env, stdin=stdin, sample_memory=False)
    if fresh_cache:
        shutil.rmtree(env["LUTNICK_CACHE_DIR"])
    return elapsed, cpu


def interleaved_medians(contenders: dict[str, tuple], runs: int) -> dict[str, float]:
    """Median seconds of each contender (`run_once`'s arguments), the contenders taking turns run by run."""
    return {name: wall for name, (wall, _) in interleaved_times(contenders, runs).items()}


def interleaved_times(contenders: dict[str, tuple], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each contender (`run_once`'s arguments), the contenders taking turns."""
    for arguments in contenders.values():  # warm the file system's cache; each run is still a fresh process
        run_once(*arguments)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, arguments in contenders.items():
            times[name].append(run_once(*arguments))
    return {
        name: (statistics.median(wall for wall, _ in values), statistics.median(cpu for _, cpu in values))
        for name, values in times.items()
    }


# How the lutnick of --against is named in the results.
AGAINST = "against"


def lutnick_command() -> list[str]:
    installed = shutil.which("lutnick", path=os.path.dirname(sys.executable))
    return [installed] if installed else [sys.executable, "-m", "lutnick_cli"]


def embedded_items(lutnick: list[str], workdir: Path) -> Path:
    """The embedded record as CSL-JSON in `workdir`: what the other tools are given to cite."""
    items = workdir / "article.json"
    items.write_text(subprocess.run(lutnick + ["export", "--to", "csl-json"], capture_output=True, text=True, check=True).stdout)
    return items


def pandoc_citation(pandoc: str, items: Path, style: str) -> tuple[list[str], str]:
    """pandoc's citeproc citing every item of `items` in `style`: the command and its standard input."""
    return [pandoc, "--citeproc", "--csl", style, "--bibliography", str(items), "-t", "plain"], PANDOC_DOCUMENT


def citation_js_citation(items: Path) -> list[str]:
    return [str(CITATION_JS), "-i", str(items), "-f", "string", "-s", "citation-apa"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per tool (default 21)")
    parser.add_argument("--pandoc", help="the pandoc to compare with (default: pypandoc-binary's, else PATH's)")
    parser.add_argument("--against", type=Path, metavar="SRC", help="another lutnick's src folder, timed in turns")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument(
        "--instructions", action="store_true",
        help="instead of timing, count the instructions of each step and of whole commands (valgrind's callgrind)",
    )
    options = parser.parse_args()

    from lutnick_cli.citation.styles import find_style

    compile_lutnick()
    against = str(options.against.resolve()) if options.against else None
    if against and not os.path.isdir(os.path.join(against, "lutnick_cli", "__pycache__")):
        print(f"{against}: its modules have no bytecode, so every run would compile them; compile them first")
    if options.instructions:
        print_instructions({"lutnick": None, AGAINST: against} if against else {"lutnick": None}, options.json)
        return

    workdir = Path(tempfile.mkdtemp(prefix="lutnick-bench-"))
    lutnick = lutnick_command()
    items = embedded_items(lutnick, workdir)
    apa = find_style("apa").path
    script = workdir / "bare_citeproc_py.py"
    script.write_text(BARE_CITEPROC_PY)

    os.environ["LUTNICK_CACHE_DIR"] = str(workdir / "cache")
    contenders: dict[str, tuple] = {
        "python -c pass (interpreter start)": ([sys.executable, "-c", "pass"],),
        "lutnick cite (citation cache off)": (lutnick + ["cite"], None, False, True),
        "lutnick cite (empty citation cache)": (lutnick + ["cite"], None, True),
        "lutnick cite (repeated: cached)": (lutnick + ["cite"],),
    }
    if against:
        contenders[f"{AGAINST} cite (citation cache off)"] = (lutnick + ["cite"], None, False, True, against)
        contenders[f"{AGAINST} cite (repeated: cached)"] = (lutnick + ["cite"], None, False, False, against)
    contenders["bare citeproc-py script"] = ([sys.executable, str(script), str(items), apa],)
    pandoc = options.pandoc or pandoc_binary()
    if pandoc:
        contenders["pandoc --citeproc"] = pandoc_citation(pandoc, items, apa)
    else:
        print("pandoc: not installed (pip install pypandoc-binary, or --pandoc PATH); left out")
    if CITATION_JS.exists():
        contenders["citation-js"] = (citation_js_citation(items),)
    else:
        print(f"citation-js: not installed (`{CITATION_JS_INSTALL}`); left out")

    print(f"cold start, APA entry of the embedded record, median of {options.runs} runs, "
          f"load average {os.getloadavg()[0]:.2f}" + (f"; pandoc: {pandoc}" if pandoc else "")
          + (f"; {AGAINST}: {against}" if against else "") + "\n")
    results = interleaved_times(contenders, options.runs)
    reference = results["pandoc --citeproc"][0] if "pandoc --citeproc" in results else None
    print(f"  {'':46s} {'wall':>9s}  {'':12s}  {'CPU':>9s}")
    for name, (seconds, cpu) in results.items():
        ratio = f"{seconds / reference:5.2f}× pandoc" if reference else " " * 12
        print(f"  {name:46s} {seconds * 1000:6.1f} ms  {ratio}  {cpu * 1000:6.1f} ms")

    sides = {"lutnick": None, AGAINST: against} if against else {"lutnick": None}
    print(f"\nwhere a cold lutnick cite (cache off) spends its CPU time, median of {options.runs} fresh interpreters"
          + (f", beside {AGAINST}:" if against else ":"))
    phases = phase_medians(options.runs, sides)
    start = results["python -c pass (interpreter start)"][1] * 1000
    rows: list[tuple[str, list[float]]] = [("start and end an interpreter (python -c pass)", [start] * len(sides))]
    for name in phases["lutnick"]:
        rows.append((name, [phases[side].get(name, float("nan")) for side in sides]))
    rests, wholes = [], []
    for side in sides:
        steps = sum(milliseconds for name, milliseconds in phases[side].items() if not name.startswith("("))
        whole = results[f"{side} cite (citation cache off)"][1] * 1000
        rests.append(whole - start - steps)
        wholes.append(whole)
    rows.append(("the rest: parsing the command line, sorting, printing, exiting", rests))
    rows.append(("the whole command (cache off), as timed above", wholes))
    if against:
        print(f"  {'lutnick':>10s} {AGAINST:>10s}")
    for name, values in rows:
        print("  " + " ".join(f"{value:7.1f} ms" for value in values) + f"  {name}")
    if options.json:
        options.json.write_text(json.dumps({
            "seconds": {name: wall for name, (wall, _) in results.items()},
            "cpu_seconds": {name: cpu for name, (_, cpu) in results.items()},
            "ratio_to_pandoc": {name: wall / reference for name, (wall, _) in results.items()} if reference else None,
            "phases_ms": phases["lutnick"],
            **({"phases_against_ms": phases[AGAINST]} if against else {}),
            "load_average": os.getloadavg()[0],
        }, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
