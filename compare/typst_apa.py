"""Compare Typst's APA rendering of lutnick's Hayagriva export with lutnick's own and with citeproc-js's.

For every record of the corpus (and the embedded record), the Hayagriva
export of that record alone is compiled by Typst (the pinned `typst` wheel)
with `#bibliography(style: "apa")` and one citation of it; the reference list
entry and the citation Typst prints (read from its HTML export) are compared,
as text, with lutnick's and citeproc-js's renderings of the same record (see
compare.py for how those are made). Typst must compile every record with no
warning: a warning is reported as an error of the record.

    python compare/typst_apa.py            # agreement table
    python compare/typst_apa.py --diff     # ... and every record where Typst differs from citeproc-js
    python compare/typst_apa.py --json out.json

docs/typst.md explains the differences, and which engine is wrong by the APA manual.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
from pathlib import Path

from compare import CORPUS, SetupError, engine_item, load_corpus, render_ours, render_reference

from lutnick_cli.formats import hayagriva

HTML_EXPORT_NOTICE = "html export is under active development and incomplete"
STYLE = "apa"


def render_typst(records, folder: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Typst's (entry, citation, error) for each record id, each record compiled alone."""
    import typst

    results = {}
    for sourced in records:
        key = engine_item(sourced)["id"]
        (folder / "refs.yml").write_text("".join(hayagriva.export([sourced.record])), encoding="utf-8")
        source = folder / "main.typ"
        source.write_text(f'@{sourced.record.id}\n\n#bibliography("refs.yml", style: "{STYLE}")\n', encoding="utf-8")
        try:
            _, warnings = typst.compile_with_warnings(str(source), root=str(folder), format="pdf")
            if warnings:
                raise typst.TypstError("; ".join(warning.message for warning in warnings))
            page, _ = typst.compile_with_warnings(str(source), root=str(folder), format="html")
        except typst.TypstError as error:
            results[key] = (None, None, str(error))
            continue
        text = page.decode("utf-8")
        entry = re.search(r"<li[^>]*>(.*?)</li>", text, re.S)
        citation = re.search(r"<p>(.*?)</p>", text, re.S)
        results[key] = (_text(entry[1]) if entry else "", _text(citation[1]) if citation else "", None)
    return results


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def compare(records) -> list[dict[str, object]]:
    reference, _ = render_reference(STYLE, records)
    ours = render_ours(STYLE, records)
    with tempfile.TemporaryDirectory() as folder:
        typst = render_typst(records, Path(folder))
    rows = []
    for sourced in records:
        key = engine_item(sourced)["id"]
        for kind, index in (("entry", 0), ("in_text", 1)):
            rows.append({
                "record": key,
                "source": sourced.source,
                "kind": kind,
                "citeproc_js": reference[key][kind].get("text"),
                "lutnick": ours[(key, kind, "text")][0],
                "typst": typst[key][index],
                "typst_error": typst[key][2],
            })
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    for kind in ("entry", "in_text"):
        chosen = [row for row in rows if row["kind"] == kind]
        pairs = (("typst", "citeproc_js"), ("typst", "lutnick"), ("lutnick", "citeproc_js"))
        cells = [f"{left} = {right}: {sum(row[left] == row[right] for row in chosen)}/{len(chosen)}" for left, right in pairs]
        print(f"{kind:8} " + "   ".join(cells))
    errors = [row for row in rows if row["typst_error"] and row["kind"] == "entry"]
    print(f"Typst errors or warnings: {len(errors)}")
    for row in errors:
        print(f"  {row['record']}: {row['typst_error']}")


def print_diffs(rows: list[dict[str, object]]) -> None:
    for row in rows:
        if row["typst"] != row["citeproc_js"]:
            print(f"\n{row['record']} ({row['kind']}, {row['source']})")
            print(f"  citeproc-js: {row['citeproc_js']}")
            print(f"  lutnick:     {row['lutnick']}")
            print(f"  Typst:       {row['typst']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="print every output where Typst differs from citeproc-js")
    parser.add_argument("--json", metavar="FILE", help="write every output to FILE")
    arguments = parser.parse_args(argv)
    try:
        rows = compare(load_corpus([CORPUS]))
    except SetupError as error:
        print(f"typst_apa.py: {error}", file=sys.stderr)
        return 2
    print_table(rows)
    if arguments.diff:
        print_diffs(rows)
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
