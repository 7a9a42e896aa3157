"""lutnick's citations against citeproc-js's, the reference CSL engine (compare/).

The comparison itself needs node and citeproc-js (`npm ci --prefix compare`)
and skips, saying so, without them. It is a ratchet: no style may match
citeproc-js on fewer outputs than compare/baseline.json records.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lutnick_cli.csl import record_to_csl
from lutnick_cli.load import iter_records

REPO = Path(__file__).resolve().parent.parent
COMPARE = REPO / "compare"


def _require_citeproc_js() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the comparison with citeproc-js runs it")
    if not (COMPARE / "node_modules" / "citeproc").is_dir():
        pytest.skip("citeproc-js is not installed: run `npm ci --prefix compare`")
    return node


def test_corpus_records_are_valid_and_distinct():
    records = [sourced.record for sourced in iter_records([str(COMPARE / "corpus")])]
    ids = [record_to_csl(record)["id"] for record in records]
    assert len(records) >= 60
    assert len(set(ids)) == len(ids)


def test_render_script_renders_one_item_alone():
    node = _require_citeproc_js()
    from lutnick_cli.cite import find_style, locales_directory

    item = {
        "id": "doe2020",
        "type": "book",
        "title": "A Book",
        "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[2020]]},
        "publisher": "Example Press",
    }
    request = {"style_path": find_style("apa").independent_path, "locale_dir": locales_directory(), "items": [item]}
    completed = subprocess.run(
        [node, str(COMPARE / "render.mjs")], input=json.dumps(request), capture_output=True, text=True, check=True
    )
    [result] = json.loads(completed.stdout)["results"]
    assert result["errors"] == {}
    assert result["entry"] == {
        "text": "Doe, J. (2020). A Book. Example Press.",
        "html": '<div class="csl-entry">Doe, J. (2020). <i>A Book</i>. Example Press.</div>',
    }
    assert result["in_text"] == {"text": "(Doe, 2020)", "html": "(Doe, 2020)"}


def test_agreement_with_citeproc_js_does_not_fall_below_the_baseline():
    _require_citeproc_js()
    completed = subprocess.run(
        [sys.executable, str(COMPARE / "compare.py"), "--check", str(COMPARE / "baseline.json")],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
