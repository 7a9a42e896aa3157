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

from lutnick_cli.citation.csl import record_to_csl
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
    from lutnick_cli.citation.styles import find_style, locales_directory

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


def _compare_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("lutnick_compare", COMPARE / "compare.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_check_fails_only_when_a_style_falls_below_its_baseline(tmp_path, capsys):
    compare = _compare_module()
    engine = {"package": "2.4.63", "processor": "1.4.61"}
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"engine": engine, "matching": {"apa": 10, "ieee": 5}}))
    summary = {"apa": {"matching": 10}, "ieee": {"matching": 7}}
    assert compare.check(str(baseline), summary, engine) == 0
    assert "raise the baseline" in capsys.readouterr().out
    summary["apa"]["matching"] = 9
    assert compare.check(str(baseline), summary, engine) == 1
    summary["apa"]["matching"] = 10
    assert compare.check(str(baseline), summary, {"package": "2.4.62", "processor": "1.4.61"}) == 1
