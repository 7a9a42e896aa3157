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
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from batch import LUTNICK, measure  # noqa: E402
from corpus import bib_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000, help="entries in the file (default: 100,000)")
    parser.add_argument("--runs", type=int, default=1, help="runs per tool (default: 1)")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--skip", action="append", choices=("pandoc", "citation-js"), default=[],
                        help="leave this tool out (may be given twice)")
    arguments = parser.parse_args()
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


if __name__ == "__main__":
    main()
