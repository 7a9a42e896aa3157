"""The engine's own speed: CPU time of rendering the records of `corpus.py` in one process.

It loads the style and reads the records first, renders them once to warm
up (the style's facts are worked out on a first render), then times only
the render, `--runs` times, with the process's CPU time (which other work
on the same cores changes far less than wall time), and prints the median.
A render is `Renderer.bibliography(records, with_in_text=True)`: each
record cited once, in a citation of its own, then the bibliography.

The lutnick measured is the one Python imports: run it from another
checkout with `PYTHONPATH=<checkout>/src`. With `--against SRC`, it times
itself in fresh processes, taking turns between the `src` folder beside it
and SRC (say, a worktree of an older commit), and prints both medians and
their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import csl_items  # noqa: E402

HERE_SRC = Path(__file__).resolve().parent.parent / "src"


def render_times(records: int, style: str, runs: int) -> tuple[list[float], str]:
    """The CPU seconds of each of `runs` renders, and a digest of the output (equal on equal output)."""
    import hashlib

    from lutnick_cli.citation.render import Renderer
    from lutnick_cli.load import load_bytes

    data = json.dumps(csl_items(records)).encode()
    loaded = [sourced.record for sourced in load_bytes(data, "corpus.json", "csl-json")]
    renderer = Renderer(style)
    output = renderer.bibliography(loaded, with_in_text=True)
    times = []
    for _ in range(runs):
        start = time.process_time()
        renderer.bibliography(loaded, with_in_text=True)
        times.append(time.process_time() - start)
    digest = hashlib.sha256(json.dumps(output).encode()).hexdigest()[:12]
    return times, digest


def _child(src: Path, args: argparse.Namespace, runs: int) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(src), "LUTNICK_CACHE_DIR": ""}
    command = [sys.executable, __file__, "--records", str(args.records), "--style", args.style,
               "--runs", str(runs), "--json"]
    return json.loads(subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1000, help="records of the corpus (1000)")
    parser.add_argument("--style", default="apa", help="a style name or file (apa)")
    parser.add_argument("--runs", type=int, default=5, help="timed renders per process (5)")
    parser.add_argument("--against", type=Path, metavar="SRC", help="another checkout's src folder, timed in turns")
    parser.add_argument("--rounds", type=int, default=4, help="with --against: processes per side (4)")
    parser.add_argument("--json", action="store_true", help="print the times as JSON")
    args = parser.parse_args()
    if args.against is None:
        times, digest = render_times(args.records, args.style, args.runs)
        if args.json:
            print(json.dumps({"times": times, "digest": digest}))
        else:
            print(f"{args.style}, {args.records} records: median {statistics.median(times) * 1000:.0f} ms CPU "
                  f"of {len(times)} renders (output {digest})")
        return
    sides = {"this": HERE_SRC, "against": args.against.resolve()}
    times: dict[str, list[float]] = {name: [] for name in sides}
    digests: dict[str, set[str]] = {name: set() for name in sides}
    for round_ in range(args.rounds):
        # Take turns, and change who goes first each round, so that a change in the load hits both alike.
        for name in (list(sides) if round_ % 2 == 0 else list(reversed(sides))):
            result = _child(sides[name], args, args.runs)
            times[name] += result["times"]
            digests[name].add(result["digest"])
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, src in sides.items():
        print(f"{name:8} {src}: median {medians[name] * 1000:.0f} ms CPU of {len(times[name])} renders "
              f"(min {min(times[name]) * 1000:.0f} ms; output {', '.join(sorted(digests[name]))})")
    print(f"{args.style}, {args.records} records: this / against = {medians['this'] / medians['against']:.3f}")


if __name__ == "__main__":
    main()
