"""What every benchmark here shares: running a command in a fresh process and timing it, and finding the other tools.

`run` times one fresh process (wall time, CPU time of its whole process
tree, and, if asked, the peak memory of that tree); `measure` repeats it and
prints one line of medians; `measure_in_turns` does so for several
commands, taking turns run by run. `pandoc_binary` and `CITATION_JS` find
the tools lutnick is compared with.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# What the installed `lutnick` script runs, from whatever lutnick_cli this interpreter imports
# (PYTHONPATH=src for a checkout); `python -m` would add runpy's start-up to every figure.
LUTNICK = [sys.executable, "-c", "import sys; from lutnick_cli.cli import main; sys.exit(main())"]

CITATION_JS = BENCH / "node_modules" / ".bin" / "citation-js"
CITATION_JS_INSTALL = "npm install --no-save --no-package-lock --prefix bench @citation-js/cli@0.7.21"

# pandoc cites every entry of its --bibliography for a document that asks for them all.
PANDOC_DOCUMENT = "---\nnocite: '@*'\n---\n"


def pandoc_binary() -> str | None:
    """pandoc from PyPI's pypandoc-binary (a test dependency), else the one on PATH, else None."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def compile_lutnick() -> None:
    """Compile lutnick's modules to bytecode, as installing the package does.

    A checkout installed in development mode has none, and with
    PYTHONDONTWRITEBYTECODE set none is ever written: every run would compile
    every module it imports, which is no cost a user's installation pays.
    The bytecode is written beside the modules, in __pycache__.
    """
    import compileall

    import lutnick_cli

    compileall.compile_dir(os.path.dirname(lutnick_cli.__file__), quiet=1)


def tool_version(command: list[str]) -> str:
    """The first line a tool prints for --version, or what went wrong."""
    try:
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    except OSError as error:
        return str(error)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "no version"


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


def run(
    command: list[str],
    stdout: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    sample_memory: bool = True,
) -> tuple[float, int, float]:
    """Seconds, peak memory (bytes, the whole process tree) and CPU seconds (user + system, every
    process of the tree) of one run; fails loudly if the command does.

    Memory is sampled every 20 ms by walking /proc, which costs CPU of its own: without
    `sample_memory` (for runs of a few milliseconds, where that cost would show) the peak is 0.
    """
    sink = open(stdout, "wb") if stdout else subprocess.DEVNULL
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=sink,
            stderr=subprocess.PIPE, env=env,
        )
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
        if sample_memory:
            sampler.start()
        _, error = process.communicate(stdin.encode() if stdin is not None else None)
        elapsed = time.perf_counter() - started
        done.set()
        if sample_memory:
            sampler.join()
    finally:
        if stdout:
            sink.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error.decode(errors='replace')[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, peak, cpu


def measure(name: str, command: list[str], runs: int, records: int, results: list[dict], warm: int = 0, **options) -> dict:
    """Median time, CPU time and the peak memory of `runs` fresh processes, printed as one line and
    appended to `results`; `warm` runs before them are not counted (they fill the file system's cache)."""
    return measure_in_turns({name: (command, options)}, runs, records, results, warm)[name]


def measure_in_turns(
    contenders: dict[str, tuple[list[str], dict]], runs: int, records: int, results: list[dict], warm: int = 0
) -> dict[str, dict]:
    """`measure` of several commands (name -> command and `run`'s options), taking turns run by run.

    Timed one after the other, a burst of other work on the machine falls on
    one tool alone and skews the ratio of two tools' medians (one tool's
    median moved by half between two blocks of seven runs here); in turns,
    it falls on them alike.
    """
    for _ in range(warm):
        for command, options in contenders.values():
            run(command, **options)
    samples: dict[str, list[tuple[float, int, float]]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, (command, options) in contenders.items():
            samples[name].append(run(command, **options))
    rows = {}
    for name, values in samples.items():
        row = {
            "tool": name, "records": records, "median_s": statistics.median(elapsed for elapsed, _, _ in values),
            "runs": runs, "peak_mb": max(peak for _, peak, _ in values) / 2**20,
            "cpu_s": statistics.median(cpu for _, _, cpu in values),
        }
        results.append(row)
        rate = f"{records / row['median_s']:9.0f} rec/s" if records else f"{row['median_s'] * 1000:6.1f} ms   "
        memory = f"{row['peak_mb']:7.1f} MB" if row["peak_mb"] else " " * 10
        print(
            f"  {name:<28} {row['median_s']:8.3f} s  {rate}  {memory}"
            f"  cpu {row['cpu_s']:7.2f} s  (median of {runs})",
            flush=True,
        )
        rows[name] = row
    return rows
