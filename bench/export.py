"""The exports' own speed: `lutnick export --to FORMAT` of the records of `corpus.py`, each run a fresh process.

It writes the corpus as CSL-JSON (10,000 records by default, the size of
the BibTeX export target of bench/targets.py) and times, for each format,
the whole command as a user runs it: interpreter start, imports, reading
and validating every record, writing the export into a file. It prints the
median wall time, records per second (the target's measure: at least
20,000 for BibTeX) and the median CPU time of the process (which other work
on the same cores changes far less), and a digest of the output.

The lutnick measured is the `src` beside this folder. With `--against SRC`
(another checkout's src folder, say a worktree of an older commit), the two
take turns, the order changing every round, and the line of each format
gives both medians, their ratio and whether the outputs are the same bytes;
any difference fails the run. Each side's bytecode is compiled on a first,
untimed run into a cache of its own in a temporary folder, as installing
the package compiles it, so no timed run compiles a module (and SRC may be
read-only).

With `--instructions`, each format is counted instead of timed, once per
side, by valgrind's callgrind (PYTHONHASHSEED=0), over every process: a
large file is exported by the exporting process and one it forks (see
parallel_export.py). The counts are cut where the fork returns and where
the exporting process reaps the forked one, which gives what it did before
the fork, after it, and after the other ended (its tail); the longest path
is the first, the larger of the second and the forked process's count, and
the tail. (With more than two cores, more processes are forked, and the
last one's count stands for them.)
"""

from __future__ import annotations

import argparse
import hashlib
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
from timing import LUTNICK, run  # noqa: E402

HERE_SRC = BENCH.parent / "src"
FORMATS = ("bibtex", "biblatex", "csl-json", "ris")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000, help="records of the corpus (10,000)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"export formats, comma-separated ({','.join(FORMATS)})")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each format, per side (5)")
    parser.add_argument("--against", type=Path, metavar="SRC", help="another checkout's src folder, timed in turns")
    parser.add_argument("--json", type=Path, help="also write every time here as JSON")
    parser.add_argument("--instructions", action="store_true",
                        help="instead of timing, count instructions with valgrind's callgrind (see above)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("valgrind: not installed; --instructions counts with valgrind's callgrind")

    sides = {"this": HERE_SRC}
    if args.against is not None:
        sides["against"] = args.against.resolve()
    results: dict[str, dict[str, dict]] = {}
    different = []
    with tempfile.TemporaryDirectory(prefix="lutnick-export-bench-") as folder:
        work = Path(folder)
        source = work / "corpus.json"
        source.write_text(json.dumps(csl_items(args.records), ensure_ascii=False), encoding="utf-8")
        environments = {name: _environment(src, work / f"bytecode-{name}") for name, src in sides.items()}
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
              f"{args.records:,} records")
        for target in args.formats.split(","):
            command = [*LUTNICK, "export", "--to", target, str(source)]
            times = {name: {"wall": [], "cpu": []} for name in sides}
            digests = {}
            for name in sides:  # untimed: compiles the bytecode, and fills the file system's cache
                output = work / f"{target}-{name}.out"
                run(command, stdout=output, env=environments[name], sample_memory=False)
                digests[name] = hashlib.sha256(output.read_bytes()).hexdigest()[:12]
            if args.instructions:
                counts = {name: _instructions(command, environments[name], work / f"callgrind-{target}-{name}")
                          for name in sides}
                results[target] = counts
                _print_instructions(target, counts, digests)
                if len(set(digests.values())) > 1:
                    different.append(target)
                continue
            for round_ in range(args.runs):
                # Take turns, and change who goes first each round, so that a change in the load hits both alike.
                for name in list(sides) if round_ % 2 == 0 else list(reversed(sides)):
                    wall, _, cpu = run(command, stdout=work / "timed.out", env=environments[name], sample_memory=False)
                    times[name]["wall"].append(wall)
                    times[name]["cpu"].append(cpu)
            results[target] = times
            medians = {name: {kind: statistics.median(values) for kind, values in measured.items()}
                       for name, measured in times.items()}
            line = "  ".join(
                f"{name} {medians[name]['wall']:.3f} s, {args.records / medians[name]['wall']:,.0f} rec/s, "
                f"CPU {medians[name]['cpu']:.3f} s ({digests[name]})"
                for name in sides
            )
            if "against" in sides:
                ratio = medians["this"]["cpu"] / medians["against"]["cpu"]
                wall_ratio = medians["this"]["wall"] / medians["against"]["wall"]
                same = digests["this"] == digests["against"]
                if not same:
                    different.append(target)
                verdict = "same output" if same else "OUTPUT DIFFERS"
                line += f"  this/against CPU {ratio:.3f}, wall {wall_ratio:.3f}; {verdict}"
            print(f"{target:9} {line}  (medians of {args.runs})", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"records": args.records, "sides": {k: str(v) for k, v in sides.items()},
                                         "times": results}, indent=2) + "\n", encoding="utf-8")
    if different:
        raise SystemExit(f"the output differs from SRC's for {', '.join(different)}")


def _instructions(command: list[str], environment: dict[str, str], folder: Path) -> dict[str, int]:
    """Instructions of one run of `command` under callgrind, by process and part (see the docstring)."""
    folder.mkdir()
    subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes", "--dump-after=os_fork",
                    "--dump-before=os_waitpid", f"--callgrind-out-file={folder}/out.%p", *command],
                   env={**environment, "PYTHONHASHSEED": "0"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    parts: dict[int, list[int]] = {}
    for path in folder.iterdir():  # out.PID is a process's last part; out.PID.N its N-th dump
        _, pid, *number = path.name.split(".")
        with path.open(encoding="utf-8") as handle:
            total = next(int(line.split()[1]) for line in handle if line.startswith("totals:"))
        parts.setdefault(int(pid), []).append((int(number[0]) if number else 1 << 30, total))
    ordered = {pid: [total for _, total in sorted(counted)] for pid, counted in sorted(parts.items())}
    exporting, *others = ordered.values()
    # A forked process's first part is what it inherited, counted before the fork: not its own.
    forked = [sum(counts[1:]) for counts in others]
    if not forked:
        return {"one process": sum(exporting), "all processes": sum(exporting), "longest path": sum(exporting)}
    before, after, tail = exporting[0], sum(exporting[1:-1]), exporting[-1]
    return {
        "before the fork": before,
        "exporting process after it": after,
        "forked process": forked[-1],
        "the tail": tail,
        "longest path": before + max(after, forked[-1]) + tail,
        "all processes": sum(exporting) + sum(forked),
    }


def _print_instructions(target: str, counts: dict[str, dict[str, int]], digests: dict[str, str]) -> None:
    sides = list(counts)
    print(f"{target}: instructions (millions), " + " against ".join(f"{side} ({digests[side]})" for side in sides))
    for part in counts[sides[0]]:
        values = [counts[side].get(part, 0) for side in sides]
        ratio = f"  {values[0] / values[1]:.3f}" if len(values) > 1 and values[1] else ""
        print(f"  {part:28}" + "".join(f" {value / 1e6:9.1f}" for value in values) + ratio, flush=True)


def _environment(src: Path, bytecode: Path) -> dict[str, str]:
    """One side's environment: its src first on the path, its bytecode cached apart, the citation cache off."""
    environment = {**os.environ, "PYTHONPATH": str(src), "PYTHONPYCACHEPREFIX": str(bytecode), "LUTNICK_CACHE_DIR": ""}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


if __name__ == "__main__":
    main()
