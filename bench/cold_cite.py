"""Time a cold `lutnick cite` (a fresh process, as a user runs it) beside pandoc and citation-js.

Every tool renders the same record (the embedded article, as CSL-JSON) in
APA, in the same run, several times each; the script prints the median of
each and its ratio to pandoc's, then where lutnick's own time goes. lutnick
is timed twice: with an empty citation cache for every run (a first
citation), and repeated, when the cache answers.

Run: `make bench`, or `.venv/bin/python bench/cold_cite.py [--runs N]`.
pandoc comes from PyPI's pypandoc-binary (a test dependency); citation-js
from `npm install --no-save --no-package-lock --prefix bench @citation-js/cli@0.7.21`.
A tool that is missing is reported and left out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from timing import CITATION_JS, CITATION_JS_INSTALL, PANDOC_DOCUMENT, compile_lutnick, pandoc_binary, run  # noqa: E402

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


# The steps of `lutnick cite`, timed in order inside one fresh interpreter.
PHASES = """
import time
marks = [("start", time.perf_counter())]
import click
marks.append(("import click", time.perf_counter()))
import lutnick_cli.cli
marks.append(("import the command line", time.perf_counter()))
from lutnick_cli.load import load_embedded
marks.append(("import the record model and YAML", time.perf_counter()))
record = load_embedded().record
marks.append(("read and validate the embedded record", time.perf_counter()))
from lutnick_cli.cite import Renderer
import citeproc, citeproc.source.json
marks.append(("import citeproc-py and lxml", time.perf_counter()))
renderer = Renderer("apa")
marks.append(("parse the APA style and en-US locale", time.perf_counter()))
renderer.entries([record])
marks.append(("render the entry", time.perf_counter()))
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"  {(after - before) * 1000:7.1f} ms  {name}")
"""


def median_seconds(command: list[str], runs: int, stdin: str | None = None, fresh_cache: bool = False) -> float:
    """Median wall time of `runs` fresh processes; with `fresh_cache`, each gets an empty citation cache."""

    def once() -> float:
        env = dict(os.environ)
        if fresh_cache:
            env["LUTNICK_CACHE_DIR"] = tempfile.mkdtemp(prefix="lutnick-bench-cache-")
        elapsed, _, _ = run(command, env=env, stdin=stdin, sample_memory=False)
        if fresh_cache:
            shutil.rmtree(env["LUTNICK_CACHE_DIR"])
        return elapsed

    for _ in range(2):  # warm the file system's cache; each run is still a fresh process
        once()
    return statistics.median(once() for _ in range(runs))


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
    options = parser.parse_args()

    from lutnick_cli.cite import find_style
    compile_lutnick()

    workdir = Path(tempfile.mkdtemp(prefix="lutnick-bench-"))
    lutnick = lutnick_command()
    items = embedded_items(lutnick, workdir)
    apa = find_style("apa").path
    script = workdir / "bare_citeproc_py.py"
    script.write_text(BARE_CITEPROC_PY)

    os.environ["LUTNICK_CACHE_DIR"] = str(workdir / "cache")
    contenders: dict[str, tuple[list[str], str | None, bool]] = {
        "python -c pass (interpreter start)": ([sys.executable, "-c", "pass"], None, False),
        "lutnick cite (empty citation cache)": (lutnick + ["cite"], None, True),
        "lutnick cite (repeated: cached)": (lutnick + ["cite"], None, False),
        "bare citeproc-py script": ([sys.executable, str(script), str(items), apa], None, False),
    }
    pandoc = pandoc_binary()
    if pandoc:
        contenders["pandoc --citeproc"] = (*pandoc_citation(pandoc, items, apa), False)
    else:
        print("pandoc: not installed (pip install pypandoc-binary); left out")
    if CITATION_JS.exists():
        contenders["citation-js"] = (citation_js_citation(items), None, False)
    else:
        print(f"citation-js: not installed (`{CITATION_JS_INSTALL}`); left out")

    print(f"cold start, APA entry of the embedded record, median of {options.runs} runs\n")
    results = {
        name: median_seconds(command, options.runs, stdin, fresh_cache)
        for name, (command, stdin, fresh_cache) in contenders.items()
    }
    reference = results.get("pandoc --citeproc")
    for name, seconds in results.items():
        ratio = f"{seconds / reference:5.2f}× pandoc" if reference else ""
        print(f"  {name:38s} {seconds * 1000:7.1f} ms  {ratio}")

    print("\nwhere a cold lutnick cite spends its time (one fresh interpreter, after its own start):")
    phases = subprocess.run([sys.executable, "-c", PHASES], capture_output=True, text=True, check=True).stdout
    print(phases, end="")
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
