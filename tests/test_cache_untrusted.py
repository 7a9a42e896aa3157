"""The citation cache is not trusted: an entry is used only if it is a regular file of an entry's size
whose text checks out against the digest stored with it; anything else is rendered afresh.

The cache folder may be writable by others, or shared; a planted entry must
never be printed as a citation, and no entry may hang or flood the reader.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO

APA = ("Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
       "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154. https://doi.org/10.14197/atr.201219129\n")


def _cite(cache, cwd=None) -> subprocess.CompletedProcess:
    """A separate process with a timeout: a FIFO or /dev/zero planted in the cache must not hang the run."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "LUTNICK_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "lutnick_cli", "cite"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def entry(tmp_path):
    """The path of the embedded record's APA entry, found by a first run and then removed."""
    cache = tmp_path / "cache"
    assert _cite(cache).stdout == APA
    (path,) = (cache / "cite").iterdir()
    path.unlink()
    return path


def _planted(entry, kind: str) -> None:
    from lutnick_cli.render_cache import CitationCache

    if kind == "plain text":
        entry.write_text("planted\n", encoding="utf-8")
    elif kind == "a wrong digest":
        entry.write_bytes(CitationCache(str(entry)).entry("planted\n").replace(b"planted", b"PLANTED"))
    elif kind == "another key's entry":
        entry.write_bytes(CitationCache(str(entry.with_name("0" * 64 + ".txt"))).entry("planted\n"))
    elif kind == "a link to a good entry":
        target = entry.with_name("elsewhere")
        target.write_bytes(CitationCache(str(entry)).entry("planted\n"))
        entry.symlink_to(target)
    elif kind == "a link to /dev/zero":
        entry.symlink_to("/dev/zero")
    elif kind == "a FIFO":
        os.mkfifo(entry)
    elif kind == "a folder":
        entry.mkdir()
    elif kind == "too large":
        entry.write_bytes(CitationCache(str(entry)).entry("x" * (1 << 20) + "\n"))
    elif kind == "not UTF-8":
        from lutnick_cli.render_cache import _HEADER
        import hashlib

        body = b"\xff planted\n"
        entry.write_bytes(_HEADER + hashlib.sha256(entry.name.encode() + b"\0" + body).hexdigest().encode() + b"\n" + body)


@pytest.mark.parametrize(
    "kind",
    ["plain text", "a wrong digest", "another key's entry", "a link to a good entry", "a link to /dev/zero", "a FIFO",
     "a folder", "too large", "not UTF-8"],
)
def test_an_entry_that_does_not_check_out_is_rendered_afresh(entry, kind):
    _planted(entry, kind)
    result = _cite(entry.parent.parent)
    assert (result.returncode, result.stdout, result.stderr) == (0, APA, "")
    if kind not in ("a folder", "a FIFO"):
        # Replaced by the fresh render, which the next run reads back.
        assert entry.is_file() and not entry.is_symlink()
        assert _cite(entry.parent.parent).stdout == APA


def test_a_good_entry_is_served(entry):
    from lutnick_cli.render_cache import CitationCache

    entry.write_bytes(CitationCache(str(entry)).entry("served from the cache\n"))
    assert _cite(entry.parent.parent).stdout == "served from the cache\n"


def test_a_relative_cache_folder_is_made_absolute_once(tmp_path, monkeypatch):
    from lutnick_cli.render_cache import CitationCache

    (tmp_path / "start").mkdir()
    (tmp_path / "later").mkdir()
    monkeypatch.chdir(tmp_path / "start")
    monkeypatch.setenv("LUTNICK_CACHE_DIR", "relative/cache")
    cache = CitationCache.open([], "apa", None, ["options"])
    assert os.path.isabs(cache.path)
    monkeypatch.chdir(tmp_path / "later")
    cache.write("text\n")
    cache.store()
    (stored,) = (tmp_path / "start" / "relative" / "cache" / "cite").iterdir()
    assert CitationCache(str(stored)).read() == "text\n"
    assert not (tmp_path / "later" / "relative").exists()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    from lutnick_cli.render_cache import cache_directory

    monkeypatch.delenv("LUTNICK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    assert cache_directory() == type(tmp_path)(os.path.expanduser("~")) / ".cache" / "lutnick"
