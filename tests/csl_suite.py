"""Runs the official CSL processor test suite through lutnick's rendering layer.

The fixtures are not part of this repository (their licence is unsettled); they
are read from ``../shared/csl-test-suite`` next to the repository, or from the
directory named by the ``CSL_TEST_SUITE`` environment variable.

Each fixture is rendered by citeproc-py with lutnick's engine layer installed,
through the same marking formatter the CLI uses, and turned into HTML by
``markup.finish(..., "html")``, which follows citeproc-js's HTML conventions
(the fixtures' expected output is citeproc-js's HTML).

Usage::

    PYTHONPATH=src python -m tests.csl_suite            # pass counts per category
    PYTHONPATH=src python -m tests.csl_suite -v         # and every failing fixture
    PYTHONPATH=src python -m tests.csl_suite name_      # only fixtures whose name contains 'name_'
    PYTHONPATH=src python -m tests.csl_suite --show date_YearSuffix   # expected and actual output of one fixture
    PYTHONPATH=src python -m tests.csl_suite --write-known-failures  # pin every failure to its output

Output is compared byte for byte with the fixture's expected output.

What the runner does not model, so that no fixture fails for the runner's
sake rather than the engine's, is listed in docs/engine-notes.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import sys
from collections import Counter
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KNOWN_FAILURES = Path(__file__).resolve().parent / "csl_suite_known_failures.txt"
TIMEOUT_SECONDS = 10

_SECTION = re.compile(r">>=+\s*([A-Z-]+)\s*=+>>\n(.*?)\n?<<=+\s*\1\s*=+<<", re.DOTALL)


def suite_directory() -> Path:
    configured = os.environ.get("CSL_TEST_SUITE")
    base = Path(configured) if configured else REPO.parent / "shared" / "csl-test-suite"
    return base / "processor-tests" / "humans"


def fixture_paths(directory: Path | None = None) -> list[Path]:
    """The standard fixtures: the top-level *.txt files (not off-spec/ or experiments/)."""
    directory = directory or suite_directory()
    return sorted(directory.glob("*.txt"))


@dataclass
class Fixture:
    name: str
    mode: str
    result: str
    csl: str
    input: list[dict]
    citation_items: list | None = None
    citations: list | None = None
    bibentries: list | None = None
    bibsection: dict | None = None

    @property
    def category(self) -> str:
        return self.name.split("_", 1)[0]


def parse_fixture(path: Path) -> Fixture:
    sections = {name: body for name, body in _SECTION.findall(path.read_text(encoding="utf-8"))}

    def optional_json(name: str):  # type: ignore[no-untyped-def]
        return json.loads(sections[name]) if name in sections else None

    return Fixture(
        name=path.stem,
        mode=sections["MODE"].strip(),
        result=sections["RESULT"],
        csl=sections["CSL"].strip(),
        input=json.loads(sections["INPUT"]),
        citation_items=optional_json("CITATION-ITEMS"),
        citations=optional_json("CITATIONS"),
        bibentries=optional_json("BIBENTRIES"),
        bibsection=optional_json("BIBSECTION"),
    )


# Rendering


def _citation(cites: list[dict], note: int | None = None):  # type: ignore[no-untyped-def]
    from lutnick_cli.citation.render import CitationInput

    return CitationInput(tuple(cites), note)  # the note a word processor puts the citation in


def _document_orders(fixture: Fixture) -> tuple[list[dict], list[dict], str]:
    """CITATIONS as a word processor would hold them: the citations before and after the last
    processCitationCluster call, in document order, and the id of the citation that call added."""
    order: list[str] = []
    previous: list[str] = []
    by_id: dict[str, dict] = {}
    last = ""
    for step in fixture.citations or []:
        data, before, after = step[0], step[1], step[2]
        by_id[data["citationID"]] = data
        previous = order
        order = [cid for cid, _ in before] + [data["citationID"]] + [cid for cid, _ in after]
        last = data["citationID"]
    return [by_id[cid] for cid in previous], [by_id[cid] for cid in order], last


def _note_of(data: dict) -> int | None:
    note = data.get("properties", {}).get("noteIndex")
    return int(note) if note else None


def _items(fixture: Fixture) -> list[dict]:
    # citeproc-js numbers items without an id, and treats an item without a type as a plain article.
    return [
        {"type": "article", **item, "id": str(item.get("id", f"ITEM-{index}"))}
        for index, item in enumerate(fixture.input, start=1)
    ]


def style_of(fixture: Fixture):  # type: ignore[no-untyped-def]
    """The fixture's style, loaded as lutnick loads every style."""
    from lutnick_cli.citation.styles import engine_style

    locale = re.search(r'default-locale="([^"]+)"', fixture.csl.split(">", 1)[0] + ">")
    return engine_style(fixture.csl.encode("utf-8"), locale.group(1) if locale else None, fixture.name)


def render_fixture(fixture: Fixture, output_format: str = "html"):  # type: ignore[no-untyped-def]
    """A fixture rendered through lutnick's one entry point (`cite.render`), as the test suite expects:
    citeproc-js's HTML (or one of lutnick's other formats). The text, and the engine's warnings."""
    from lutnick_cli.citation.render import render as render_citations

    style = style_of(fixture)
    items = _items(fixture)
    warnings = []

    def cite_all(citation_lists: list[list[dict]], notes=None):  # type: ignore[no-untyped-def]
        citations = [_citation(cites, note) for cites, note in zip(citation_lists, notes or [None] * len(citation_lists))]
        result = render_citations(style, items, citations, output_format, bibliography=False)
        warnings.extend(result.warnings)
        return result

    if fixture.citations is not None:
        before, after, last = _document_orders(fixture)
        lists = [data["citationItems"] for data in after]
        if fixture.mode == "citation":
            # As processCitationCluster reports: ">>" marks every citation the last call added or changed.
            old = dict(zip((data["citationID"] for data in before),
                           cite_all([d["citationItems"] for d in before], [_note_of(d) for d in before]).citations))
            new = cite_all(lists, [_note_of(data) for data in after]).citations
            text = "\n".join(
                f"{'>>' if data['citationID'] == last or old.get(data['citationID']) != text else '..'}[{index}] {text}"
                for index, (data, text) in enumerate(zip(after, new))
            )
            return text, tuple(dict.fromkeys(warnings))
    elif fixture.citation_items is not None:
        lists = fixture.citation_items
    else:
        ids = list(dict.fromkeys(str(item["id"]) for item in items))  # a repeated id is one item
        if fixture.bibentries:
            ids = [str(key) for key in fixture.bibentries[-1]]
        if fixture.mode == "citation":
            # citeproc-js's harness cites all items together in its registry's (the bibliography's) order
            order = [entry.id for entry in render_citations(style, items, (), output_format, uncited=ids).entries]
            ids = order or ids
        lists = [[{"id": key} for key in ids]]

    if fixture.mode == "citation":
        return "\n".join(cite_all(lists).citations), tuple(dict.fromkeys(warnings))
    if fixture.mode.startswith("bibliography"):
        # The citations are rendered first: positions and numbering depend on citing in order.
        result = render_citations(style, items, [_citation(cites) for cites in lists], output_format)
        entries = [entry.text for entry in result.entries if entry.text is not None]
        if output_format != "html":
            return "\n".join(entries), result.warnings
        lines = ['<div class="csl-bib-body">', *("  " + entry for entry in entries), "</div>"]
        return "\n".join(lines), result.warnings
    raise ValueError(f"unknown MODE {fixture.mode!r}")


def render(fixture: Fixture, output_format: str = "html") -> str:
    """A fixture's text, as `render_fixture` renders it."""
    return render_fixture(fixture, output_format)[0]


def render_inline(
    body: str,
    items: list[dict],
    mode: str = "citation",
    citation_items: list | None = None,
    style_attributes: str = "",
    locale: str | None = None,
    output_format: str = "html",
    style_class: str = "in-text",
) -> str:
    """Render a small inline style (its `body` is what goes inside <style>) the way the suite does.

    The engine tests use this: a few lines of CSL and a record or two, exact output.
    """
    lang = f' default-locale="{locale}"' if locale else ""
    csl = (
        f'<style xmlns="http://purl.org/net/xbiblio/csl" class="{style_class}" version="1.0"{lang} {style_attributes}>'
        "<info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>"
        f"{body}</style>"
    )
    return render(Fixture("inline", mode, "", csl, items, citation_items=citation_items), output_format)


# Running


@dataclass
class Outcome:
    name: str
    passed: bool
    expected: str = ""
    got: str = ""
    error: str = ""


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise _Timeout()


def run_one(path: str) -> Outcome:
    name = Path(path).stem
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(TIMEOUT_SECONDS)
    expected = ""
    try:
        fixture = parse_fixture(Path(path))
        expected = fixture.result
        got = render(fixture)
        return Outcome(name, got == expected, expected, got)
    except _Timeout:
        return Outcome(name, False, expected, error=f"timeout after {TIMEOUT_SECONDS} s")
    except RecursionError:
        return Outcome(name, False, expected, error="RecursionError")
    except Exception as error:  # noqa: BLE001 -- every failure is a reported failure, never a crash of the run
        return Outcome(name, False, expected, error=f"{type(error).__name__}: {error}")
    finally:
        signal.alarm(0)


def run(paths: list[Path], processes: int | None = None) -> list[Outcome]:
    processes = processes or min(2, os.cpu_count() or 1)
    if processes <= 1:
        return [run_one(str(path)) for path in paths]
    with get_context("fork").Pool(processes) as pool:
        return pool.map(run_one, [str(path) for path in paths], chunksize=8)


@dataclass
class KnownFailure:
    """A fixture lutnick does not pass, pinned: why, what lutnick prints (or the error it raises), and a
    digest of the fixture's expected output (which is not copied into the repository)."""

    reason: str
    output: str = ""
    error: str = ""
    expected_sha256: str = ""

    def differences(self, outcome: Outcome) -> list[str]:
        """How an outcome departs from this pin: empty if it fails exactly as pinned."""
        found = []
        if (outcome.got, outcome.error) != (self.output, self.error):
            pinned = f"error: {self.error}" if self.error else self.output
            now = f"error: {outcome.error}" if outcome.error else outcome.got
            found.append(f"output changed:\n--- pinned\n{pinned}\n--- now\n{now}")
        if digest(outcome.expected) != self.expected_sha256:
            found.append("the fixture's expected output changed: examine it again")
        return found


_PINNED_LINE, _PINNED_ERROR, _PINNED_DIGEST = "    | ", "    ! ", "    expected sha256 "


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_known_failures(path: Path = KNOWN_FAILURES) -> dict[str, KnownFailure]:
    """Fixture name → its pin, from the known-failures file (its header says how it is written)."""
    known: dict[str, KnownFailure] = {}
    lines: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.startswith(_PINNED_LINE.rstrip()):
            lines[current].append(line[len(_PINNED_LINE) :])
        elif line.startswith(_PINNED_ERROR):
            known[current].error = line[len(_PINNED_ERROR) :]
        elif line.startswith(_PINNED_DIGEST):
            known[current].expected_sha256 = line[len(_PINNED_DIGEST) :]
        elif line.strip() and not line.startswith("#"):
            name, _, reason = line.partition("#")
            current = name.strip()
            known[current] = KnownFailure(reason.strip())
            lines[current] = []
    for name, failure in known.items():
        failure.output = "\n".join(lines[name])
    return known


def write_known_failures(outcomes: list[Outcome], path: Path = KNOWN_FAILURES) -> None:
    """Pin every failing outcome, keeping the reasons already written."""
    known = load_known_failures(path)
    lines = [
        "# CSL test-suite fixtures lutnick does not pass yet, each pinned to what it prints now.",
        "# `name  # category: why`, then lutnick's output, each line after `    | ` (or the error it raises,",
        "# after `    ! `), then the SHA-256 of the fixture's expected output, which is not copied here",
        "# (`python -m tests.csl_suite --show NAME` prints both). tests/test_engine_csl_suite.py fails on a",
        "# failing fixture not listed here, on a listed one that passes, and on a listed one that fails",
        "# otherwise than pinned. See docs/engine-notes.md for what each category means.",
    ]
    for outcome in sorted(outcomes, key=lambda o: o.name):
        if outcome.passed:
            continue
        pinned = known.get(outcome.name)
        reason = pinned.reason if pinned else outcome.name.split("_", 1)[0] + ": not yet analysed"
        lines.append(f"{outcome.name}  # {reason}")
        if outcome.error:
            lines.append(_PINNED_ERROR + outcome.error)
        else:
            lines += [_PINNED_LINE + line if line else _PINNED_LINE.rstrip() for line in outcome.got.split("\n")]
        lines.append(_PINNED_DIGEST + digest(outcome.expected))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filter", nargs="?", default="", help="only fixtures whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true", help="list failing fixtures")
    parser.add_argument("--show", metavar="NAME", help="print expected and actual output of one fixture")
    parser.add_argument("--write-known-failures", action="store_true", help="rewrite the known-failures file")
    parser.add_argument("-j", "--processes", type=int, default=None)
    args = parser.parse_args(argv)

    directory = suite_directory()
    if not directory.is_dir():
        print(f"CSL test suite not found at {directory}", file=sys.stderr)
        return 2
    if args.show:
        outcome = run_one(str(directory / f"{args.show}.txt"))
        print("PASS" if outcome.passed else "FAIL", outcome.error)
        print("--- expected\n" + outcome.expected + "\n--- got\n" + outcome.got)
        return 0 if outcome.passed else 1

    if args.write_known_failures and args.filter:
        print("--write-known-failures pins the whole suite: give no filter", file=sys.stderr)
        return 2
    paths = [path for path in fixture_paths(directory) if args.filter in path.stem]
    outcomes = run(paths, args.processes)
    total, passed = Counter(), Counter()
    for outcome in outcomes:
        category = outcome.name.split("_", 1)[0]
        total[category] += 1
        passed[category] += outcome.passed
    for category in sorted(total, key=lambda c: (-(total[c] - passed[c]), c)):
        print(f"{category:16} {passed[category]:4}/{total[category]:<4}")
    print(f"{'TOTAL':16} {sum(passed.values()):4}/{sum(total.values())}")
    if args.verbose:
        for outcome in outcomes:
            if not outcome.passed:
                print(f"FAIL {outcome.name} {outcome.error}")
    if args.write_known_failures:
        write_known_failures(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
