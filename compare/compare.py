"""Compare lutnick's citations with citeproc-js's, byte for byte, style by style.

citeproc-js is the engine inside Zotero, so its output is what people expect a
citation to look like. For every record of the corpus (and the embedded
record), every style in STYLES, both output formats (text, html) and both
kinds of output (bibliography entry, in-text citation), this renders the
record alone with lutnick's Renderer and with citeproc-js (render.mjs, run by
node), from the same style file and the same locale files, and counts the
outputs that are identical.

    python compare/compare.py                 # agreement table
    python compare/compare.py --diff          # ... and every differing pair
    python compare/compare.py --json out.json # ... and machine-readable results
    python compare/compare.py --check compare/baseline.json
    python compare/compare.py --write-baseline compare/baseline.json

The report mode exits 0 whatever the agreement. --check exits 1 when any
style matches fewer outputs than the baseline records for it: the baseline is
a ratchet, raised (with --write-baseline) whenever the engine layer improves.
Setting up (node, citeproc-js, styles) failing exits 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Compare the code of this checkout, not whatever lutnick happens to be installed.
sys.path.insert(0, str(ROOT / "src"))

from lutnick_cli.citation.csl import record_to_csl  # noqa: E402
from lutnick_cli.citation.render import Renderer  # noqa: E402
from lutnick_cli.citation.styles import PROVEN_STYLES, find_style, locales_directory, resolve_locale  # noqa: E402
from lutnick_cli.load import SourcedRecord, iter_records, load_embedded  # noqa: E402

STYLES = PROVEN_STYLES
KINDS = ("entry", "in_text")
FORMATS = ("text", "html")
OUTPUTS = tuple((kind, output_format) for kind in KINDS for output_format in FORMATS)
CORPUS = HERE / "corpus"
RENDER_SCRIPT = HERE / "render.mjs"


class SetupError(Exception):
    """The comparison cannot run at all: no node, no citeproc-js, no style."""


@dataclass(frozen=True, slots=True)
class Output:
    """One rendering of one record, by both engines."""

    style: str
    record: str
    source: str
    line: int | None
    kind: str
    format: str
    expected: str | None  # citeproc-js; None when it failed
    actual: str | None  # lutnick; None when it failed
    expected_error: str | None = None
    actual_error: str | None = None

    @property
    def match(self) -> bool:
        return self.expected is not None and self.expected == self.actual


def load_corpus(paths: Iterable[str], embedded: bool = True) -> list[SourcedRecord]:
    records = [load_embedded()] if embedded else []
    records.extend(
        SourcedRecord(sourced.record, _relative(sourced.source), sourced.line)
        for sourced in iter_records([str(path) for path in paths])
    )
    seen: dict[str, str] = {}
    for sourced in records:
        key = engine_item(sourced)["id"]
        if key in seen:
            raise SetupError(f"record id {key!r} is used twice ({seen[key]} and {sourced.source})")
        seen[key] = sourced.source
    return records


def _relative(source: str) -> str:
    """A record file's path from the repository root, when it is inside it, so reports read the same anywhere."""
    try:
        return Path(source).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return source


def engine_item(sourced: SourcedRecord) -> dict[str, Any]:
    """The CSL-JSON item both engines are given: lutnick's own, less its private `custom` facts."""
    item = record_to_csl(sourced.record)
    item.pop("custom", None)
    return item


def node_command() -> list[str]:
    node = os.environ.get("NODE") or shutil.which("node")
    if not node:
        raise SetupError("node is not installed (or set NODE to its path)")
    if not (HERE / "node_modules" / "citeproc").is_dir():
        raise SetupError("citeproc-js is not installed: run `npm ci --prefix compare`")
    return [node, str(RENDER_SCRIPT)]


def pinned_engine_version() -> str:
    with open(HERE / "package.json", encoding="utf-8") as handle:
        return json.load(handle)["devDependencies"]["citeproc"]


def render_reference(style: str, records: list[SourcedRecord]) -> tuple[dict[str, Any], dict[str, str]]:
    """citeproc-js's results for each record, keyed by id, and the engine's versions."""
    source = find_style(style)
    request = {
        "style_path": source.independent_path,
        "locale_dir": locales_directory(),
        "items": [engine_item(sourced) for sourced in records],
        "requests": [{"kind": kind, "format": output_format} for kind, output_format in OUTPUTS],
    }
    if source.default_locale:
        # A dependent style's locale overrides its parent's, as lutnick applies it.
        request["locale"] = resolve_locale(source.default_locale)
    completed = subprocess.run(
        node_command(), input=json.dumps(request), capture_output=True, text=True, encoding="utf-8", check=False
    )
    if completed.returncode != 0:
        raise SetupError(f"render.mjs failed for {style}:\n{completed.stderr.strip()}")
    answer = json.loads(completed.stdout)
    return {result["id"]: result for result in answer["results"]}, answer["engine"]


def render_ours(style: str, records: list[SourcedRecord]) -> dict[tuple[str, str, str], tuple[str | None, str | None]]:
    """lutnick's output for each (record id, kind, format): the text, or None and the error."""
    results: dict[tuple[str, str, str], tuple[str | None, str | None]] = {}
    for output_format in FORMATS:
        renderer = Renderer(style, output_format=output_format)
        for sourced in records:
            key = engine_item(sourced)["id"]
            for kind in KINDS:
                try:
                    if kind == "entry":
                        entries = renderer.entries([sourced.record])
                        if len(entries) > 1:
                            raise RuntimeError(f"expected one entry, got {len(entries)}")
                        # A style may leave some types out of its bibliography.
                        text = entries[0] if entries else ""
                    else:
                        text = renderer.in_text([sourced.record])
                    results[(key, kind, output_format)] = (text, None)
                except Exception as error:  # noqa: BLE001 - a crash is a difference to report, not a stop
                    results[(key, kind, output_format)] = (None, f"{type(error).__name__}: {error}")
    return results


def compare_style(style: str, records: list[SourcedRecord]) -> tuple[list[Output], dict[str, str]]:
    reference, engine = render_reference(style, records)
    ours = render_ours(style, records)
    outputs = []
    for sourced in records:
        key = engine_item(sourced)["id"]
        theirs = reference[key]
        for kind, output_format in OUTPUTS:
            expected = theirs[kind].get(output_format)
            expected_error = theirs["errors"].get(kind, {}).get(output_format)
            actual, actual_error = ours[(key, kind, output_format)]
            outputs.append(
                Output(style, key, sourced.source, sourced.line, kind, output_format, expected, actual, expected_error, actual_error)
            )
    return outputs, engine


# --- Reporting --------------------------------------------------------------


def _percent(matching: int, total: int) -> str:
    return f"{100 * matching / total:5.1f}%" if total else "  n/a"


def summarise(outputs: list[Output]) -> dict[str, dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for output in outputs:
        style = summary.setdefault(
            output.style, {"matching": 0, "total": 0, "by_output": {f"{k}/{f}": [0, 0] for k, f in OUTPUTS}}
        )
        cell = style["by_output"][f"{output.kind}/{output.format}"]
        style["total"] += 1
        cell[1] += 1
        if output.match:
            style["matching"] += 1
            cell[0] += 1
    return summary


def print_table(summary: dict[str, dict[str, Any]], records: int, engine: dict[str, str]) -> None:
    print(
        f"lutnick vs citeproc-js {engine.get('processor', '?')} (npm citeproc {engine.get('package', '?')}), "
        f"{records} records, outputs identical byte for byte\n"
    )
    columns = [f"{kind}/{output_format}" for kind, output_format in OUTPUTS]
    width = max(len(style) for style in summary) if summary else 5
    header = f"{'style':<{width}}  " + "  ".join(f"{column:>13}" for column in columns) + f"  {'all':>16}"
    print(header)
    print("-" * len(header))
    total_matching = total = 0
    for style, numbers in summary.items():
        cells = "  ".join(f"{f'{m}/{c}':>13}" for m, c in numbers["by_output"].values())
        print(
            f"{style:<{width}}  {cells}  {numbers['matching']:>4}/{numbers['total']:<4} {_percent(numbers['matching'], numbers['total'])}"
        )
        total_matching += numbers["matching"]
        total += numbers["total"]
    print("-" * len(header))
    print(f"{'all styles':<{width}}  {'':>{13 * len(columns) + 2 * (len(columns) - 1)}}  "
          f"{total_matching:>4}/{total:<4} {_percent(total_matching, total)}")


def _first_difference(expected: str, actual: str) -> int:
    for index, (left, right) in enumerate(zip(expected, actual)):
        if left != right:
            return index
    return min(len(expected), len(actual))


def print_diffs(outputs: list[Output]) -> None:
    for output in outputs:
        if output.match:
            continue
        where = f"{output.source}:{output.line}" if output.line else output.source
        print(f"\n{output.style}  {output.kind}/{output.format}  {output.record}  ({where})")
        expected = output.expected if output.expected is not None else f"<error> {output.expected_error}"
        actual = output.actual if output.actual is not None else f"<error> {output.actual_error}"
        print(f"  citeproc-js: {expected}")
        print(f"  lutnick:     {actual}")
        if output.expected is not None and output.actual is not None:
            index = _first_difference(output.expected, output.actual)
            print(
                f"  first difference at character {index}: "
                f"{output.expected[index:index + 12]!r} vs {output.actual[index:index + 12]!r}"
            )


def write_json(path: str, outputs: list[Output], summary: dict[str, Any], engine: dict[str, str], records: int) -> None:
    data = {
        "engine": engine,
        "records": records,
        "styles": summary,
        "outputs": [
            {
                "style": output.style,
                "record": output.record,
                "source": output.source,
                "line": output.line,
                "kind": output.kind,
                "format": output.format,
                "match": output.match,
                "expected": output.expected,
                "actual": output.actual,
                **({"expected_error": output.expected_error} if output.expected_error else {}),
                **({"actual_error": output.actual_error} if output.actual_error else {}),
            }
            for output in outputs
        ],
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


# --- The ratchet ------------------------------------------------------------


def write_baseline(path: str, summary: dict[str, Any], engine: dict[str, str], records: int) -> None:
    data = {
        "about": (
            "Per style, how many of its outputs (records x entry/in-text x text/html) lutnick renders "
            "exactly as citeproc-js does. compare.py --check fails when a style falls below its number; "
            "raise the numbers with --write-baseline when the engine layer improves."
        ),
        "engine": engine,
        "records": records,
        "matching": {style: numbers["matching"] for style, numbers in summary.items()},
        "total": {style: numbers["total"] for style, numbers in summary.items()},
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")


def check(baseline_path: str, summary: dict[str, Any], engine: dict[str, str]) -> int:
    with open(baseline_path, encoding="utf-8") as handle:
        baseline = json.load(handle)
    failures = []
    if baseline.get("engine") and baseline["engine"] != engine:
        failures.append(f"the baseline was recorded with citeproc-js {baseline['engine']}, this run used {engine}")
    for style, expected in baseline["matching"].items():
        if style not in summary:
            failures.append(f"{style}: in the baseline but not compared")
            continue
        matching = summary[style]["matching"]
        if matching < expected:
            failures.append(f"{style}: {matching} outputs match citeproc-js, fewer than the baseline's {expected}")
        elif matching > expected:
            print(f"{style}: {matching} outputs match, up from {expected}: raise the baseline (--write-baseline)")
    if failures:
        print("\nAgreement with citeproc-js regressed:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("\nNo style matches citeproc-js less often than the baseline records.")
    return 0


# --- Command line -------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", default=[str(CORPUS)], help="record files or folders (default: compare/corpus)")
    parser.add_argument("--style", action="append", dest="styles", metavar="ID", help=f"a style to compare (default: all {len(STYLES)})")
    parser.add_argument("--no-embedded", action="store_true", help="leave out the embedded record")
    parser.add_argument("--diff", action="store_true", help="print each differing pair, citeproc-js first")
    parser.add_argument("--json", metavar="FILE", help="write every output and the summary as JSON")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", metavar="BASELINE", help="exit 1 if any style matches fewer outputs than BASELINE")
    mode.add_argument("--write-baseline", metavar="BASELINE", help="record this run's numbers as the baseline")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    styles = arguments.styles or list(STYLES)
    try:
        records = load_corpus(arguments.corpus, embedded=not arguments.no_embedded)
        outputs: list[Output] = []
        engine: dict[str, str] = {}
        for style in styles:
            style_outputs, engine = compare_style(style, records)
            outputs.extend(style_outputs)
    except SetupError as error:
        print(f"compare.py: {error}", file=sys.stderr)
        return 2
    pinned = pinned_engine_version()
    if engine.get("package") != pinned:
        print(f"compare.py: citeproc {engine.get('package')} is installed, package.json pins {pinned}: "
              "run `npm ci --prefix compare`", file=sys.stderr)
        return 2
    summary = summarise(outputs)
    print_table(summary, len(records), engine)
    if arguments.diff:
        print_diffs(outputs)
    if arguments.json:
        write_json(arguments.json, outputs, summary, engine, len(records))
    if arguments.write_baseline:
        write_baseline(arguments.write_baseline, summary, engine, len(records))
    if arguments.check:
        return check(arguments.check, summary, engine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
