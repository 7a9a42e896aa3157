"""`lutnick cite` reads a citation back from its cache only when nothing that decides it has changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import RECORD_FILES, REPO


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LUTNICK_CACHE_DIR", str(folder))
    return folder


def _entries(cache):
    return sorted((cache / "cite").glob("*.txt")) if (cache / "cite").exists() else []


def _tamper(cache, text: str) -> None:
    # Overwrite every entry with a well-formed one, so a run that prints `text` was served from the cache.
    from lutnick_cli.render_cache import CitationCache

    for entry in _entries(cache):
        entry.write_bytes(CitationCache(str(entry)).entry(text))


def test_a_repeated_citation_is_read_from_the_cache_and_equals_a_fresh_render(run, cache, monkeypatch):
    first = run("cite", "--style", "ieee")
    assert first.exit_code == 0
    assert len(_entries(cache)) == 1
    assert _entries(cache)[0].read_text(encoding="utf-8").partition("\n")[2] == first.stdout
    assert run("cite", "--style", "ieee").stdout == first.stdout
    monkeypatch.setenv("LUTNICK_CACHE_DIR", "")
    assert run("cite", "--style", "ieee").stdout == first.stdout
    monkeypatch.setenv("LUTNICK_CACHE_DIR", str(cache))
    _tamper(cache, "from the cache\n")
    assert run("cite", "--style", "ieee").stdout == "from the cache\n"


_MODULES_PROBE = """
import sys
from lutnick_cli.cli import main
sys.argv = ["lutnick", "cite"]
try:
    main()
except SystemExit:
    pass
print(sorted(name for name in sys.modules if name.startswith(("lutnick_cli.", "yaml", "json", "citeproc", "lxml"))))
"""


def test_a_citation_read_from_the_cache_imports_neither_the_loader_nor_the_engine(run, cache):
    assert run("cite").exit_code == 0
    result = subprocess.run([sys.executable, "-c", _MODULES_PROBE], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[0] == run("cite").stdout.rstrip("\n")
    assert result.stdout.splitlines()[-1] == str(
        [
            "lutnick_cli.cli",
            "lutnick_cli.commands",
            "lutnick_cli.commands.cite",
            "lutnick_cli.commands.common",
            "lutnick_cli.errors",
            "lutnick_cli.formats",
            "lutnick_cli.render_cache",
            "lutnick_cli.sizes",
            "lutnick_cli.style_files",
        ]
    )


@pytest.mark.parametrize(
    "second",
    [
        ["cite", "--in-text"],
        ["cite", "--format", "html"],
        ["cite", "--style", "ieee"],
        ["cite", "--locale", "en-GB"],
        ["cite", "--each"],
        ["cite", "--format", "jsonl"],
    ],
)
def test_every_option_is_part_of_the_key(run, cache, second):
    run("cite")
    _tamper(cache, "stale\n")
    result = run(*second)
    assert result.exit_code == 0
    assert result.stdout != "stale\n"


def test_a_changed_record_file_is_rendered_again(run, cache, tmp_path):
    record = tmp_path / "record.yaml"
    shutil.copy(RECORD_FILES["lecun2015"], record)
    first = run("cite", str(record))
    _tamper(cache, "stale\n")
    record.write_text(record.read_text(encoding="utf-8").replace("title: Deep learning", "title: Deeper learning"))
    second = run("cite", str(record))
    assert "Deeper learning" in second.stdout and second.stdout != first.stdout


def test_a_changed_shipped_form_of_the_embedded_record_is_rendered_again(run, cache, tmp_path, monkeypatch):
    from lutnick_cli import EMBEDDED_JSON_PATH, embedded, render_cache

    form = tmp_path / "article.json"
    shutil.copy(EMBEDDED_JSON_PATH, form)
    monkeypatch.setattr(embedded, "EMBEDDED_JSON_PATH", str(form))
    monkeypatch.setattr(render_cache, "EMBEDDED_JSON_PATH", str(form))
    first = run("cite")
    _tamper(cache, "stale\n")
    form.write_text(form.read_text(encoding="utf-8").replace('"page": "140-154"', '"page": "141-154"'))
    second = run("cite")
    assert "141–154" in second.stdout and second.stdout != first.stdout


def test_a_changed_style_file_is_rendered_again(run, cache, tmp_path):
    from lutnick_cli.citation.styles import find_style

    style = tmp_path / "mine.csl"
    shutil.copy(find_style("apa").path, style)
    run("cite", "--style", str(style))
    _tamper(cache, "stale\n")
    style.write_text(style.read_text(encoding="utf-8").replace("<title>", "<title>Edited "), encoding="utf-8")
    assert run("cite", "--style", str(style)).stdout != "stale\n"


def test_failures_standard_input_and_folders_are_never_stored(run, cache, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: A book of no type\n", encoding="utf-8")
    assert run("cite", str(bad)).exit_code == 1
    assert run("cite", "-", input=(REPO / "data" / "article.yaml").read_bytes()).exit_code == 0
    assert run("cite", str(REPO / "tests" / "records")).exit_code == 0
    assert _entries(cache) == []


def test_a_record_past_the_input_size_limit_is_refused_before_the_cache_reads_it(run, cache, monkeypatch):
    from lutnick_cli import render_cache

    def must_not_hash(digest, path):
        raise AssertionError(f"the cache read {path}")

    record = RECORD_FILES["knuth1984"]
    limit = str(record.stat().st_size - 1)
    monkeypatch.setattr(render_cache, "_hash_file", must_not_hash)
    result = run("cite", "--max-input-size", limit, str(record))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{record}: larger than the input size limit of {limit} bytes")
    assert _entries(cache) == []


def test_a_cache_that_cannot_be_written_is_passed_over(run, tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("LUTNICK_CACHE_DIR", str(blocked / "cache"))
    result = run("cite")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Lutnick, A. (2019).")


def test_the_default_folder_follows_xdg(monkeypatch, tmp_path):
    from lutnick_cli.render_cache import cache_directory

    monkeypatch.delenv("LUTNICK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_directory() == tmp_path / "lutnick"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_directory() == type(tmp_path)(os.path.expanduser("~")) / ".cache" / "lutnick"
