"""Signals and concurrent writers, with real processes: a stopped export leaves no temporary file and
exits 128 + the signal; workers never outlive their parent; of two exports racing to one file, one wins.
"""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, with_ctrl_c

SRC = str(REPO / "src")
# A bound on every wait, so that a regression fails instead of hanging; no test asserts on a timing.
GIVE_UP = 120

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _record(index: int) -> str:
    body = "\n".join(line for line in (REPO / "data" / "article.yaml").read_text(encoding="utf-8").splitlines()
                     if not line.startswith("#"))
    return "---\n" + body.replace("id: lutnick2019", f"id: lutnick2019-{index}") + "\n"


def _lutnick(*arguments: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lutnick_cli", *arguments], env={**os.environ, "PYTHONPATH": SRC},
                            text=True, preexec_fn=with_ctrl_c, **options)


def _wait_for(condition, what: str) -> None:
    give_up = time.monotonic() + GIVE_UP
    while not condition():
        assert time.monotonic() < give_up, f"{what} never happened"
        time.sleep(0.005)


def _temporary_files(folder: Path) -> list[str]:
    return glob.glob(str(folder / ".*.tmp"))


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_an_export_removes_the_temporary_file_and_exits_128_plus_the_signal(tmp_path, signal_number):
    """A large generated input, fed through a pipe this test holds open: the export has its temporary
    file open and waits for the rest of the input when the signal comes, with no race against it."""
    output = tmp_path / "out" / "export.bib"
    output.parent.mkdir()
    process = _lutnick("export", "--to", "bibtex", "--from", "yaml", "-", "-o", str(output),
                       stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write("".join(_record(index) for index in range(2000)))
    process.stdin.flush()
    _wait_for(lambda: _temporary_files(output.parent) or process.poll() is not None, "the temporary file")
    assert process.poll() is None, process.stderr.read()
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=GIVE_UP)
    assert (process.returncode, stderr) == (128 + signal_number, "")
    assert list(output.parent.iterdir()) == []


def _children(pid: int) -> list[int]:
    found = []
    for stat_file in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat_file).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat_file.split("/")[2]))
    return found


def _alive(pid: int) -> bool:
    """Running: neither gone nor a zombie waiting for whoever inherited it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes from /proc")
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_their_parent_however_it_ends(tmp_path, signal_number):
    """SIGTERM: the parent ends its workers on the way out. SIGKILL: it cannot, and the kernel does."""
    path = tmp_path / "many.yaml"
    path.write_text("".join(_record(index) for index in range(1000)), encoding="utf-8")
    process = _lutnick("cite", "--each", "--jobs", "2", str(path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: list[int] = []

    def working() -> bool:
        workers[:] = _children(process.pid)
        return len(workers) == 2 or process.poll() is not None

    _wait_for(working, "two workers")
    assert process.poll() is None, "the batch ended before its workers were seen"
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=GIVE_UP)
    assert process.returncode == (143 if signal_number == signal.SIGTERM else -signal.SIGKILL)
    assert stderr == ""
    _wait_for(lambda: not any(_alive(worker) for worker in workers), "the end of every worker")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes from /proc")
def test_the_forked_process_of_a_large_export_ends_with_its_parent_killed(tmp_path):
    """A large CSL-JSON file is exported by this process and one forked for half of it (with two cores
    or more): SIGKILL leaves the parent no way to end its child, which ends by itself."""
    from test_export_parallel import _corpus

    path = tmp_path / "refs.json"
    path.write_text(json.dumps(_corpus(20_000)), encoding="utf-8")
    process = _lutnick("export", "--to", "bibtex", str(path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []

    def forked() -> bool:
        children[:] = _children(process.pid)
        return bool(children) or process.poll() is not None

    _wait_for(forked, "the forked process")
    assert process.poll() is None, "the export ended before its child was seen"
    process.kill()
    process.wait(timeout=GIVE_UP)
    _wait_for(lambda: not any(_alive(child) for child in children), "the end of the forked process")


def test_of_two_exports_racing_to_one_file_one_wins_and_the_other_says_so(tmp_path):
    """Both have their temporary file open before either finishes: the second finds the name taken."""
    output = tmp_path / "refs.ris"
    racers = [_lutnick("export", "--to", "ris", "--from", "yaml", "-", "-o", str(output),
                       stdin=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for racer in racers:
        racer.stdin.write(_record(0))
        racer.stdin.flush()
    _wait_for(lambda: len(_temporary_files(tmp_path)) == 2 or any(racer.poll() is not None for racer in racers),
              "two temporary files")
    first, second = racers
    _, first_stderr = first.communicate(timeout=GIVE_UP)
    assert (first.returncode, first_stderr) == (0, (
        "<stdin>:2: warning: [lutnick2019-0] ris has no field for person honorific, person affiliation, person biography; left out of the export\n"
        f"wrote 1 record to {output}\n"
        "lutnick: 1 warning; 1 record processed\n"
    ))
    winner = output.stat()
    _, second_stderr = second.communicate(timeout=GIVE_UP)
    assert second.returncode == 1
    assert second_stderr == (
        "<stdin>:2: warning: [lutnick2019-0] ris has no field for person honorific, person affiliation, person biography; "
        "left out of the export\n"
        f"lutnick: {output} appeared while the output was made (another program wrote it); it was kept and this "
        "output was not written; use --force to overwrite it\n"
    )
    assert (output.stat().st_ino, output.stat().st_mtime_ns) == (winner.st_ino, winner.st_mtime_ns)
    assert output.read_text(encoding="utf-8").startswith("TY  - JOUR\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["refs.ris"]


def test_an_export_to_a_file_holds_the_signals_without_the_signal_module(tmp_path):
    """The signal module makes enums of every signal as it is imported; holding them needs its C core only."""
    from conftest import imported_modules

    records = tmp_path / "refs.json"
    records.write_text(json.dumps([{"id": "r1", "type": "book", "title": "Book"}]))
    target = tmp_path / "refs.bib"
    result, imported = imported_modules(["export", "--to", "bibtex", "-o", str(target), str(records)])
    assert target.read_text(encoding="utf-8").startswith("@book{r1,"), result.stderr
    assert "lutnick_cli.signals" in imported
    assert "signal" not in imported
