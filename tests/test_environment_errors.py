"""The user's environment failing is not a bug of ours: a full disk, a closed standard output or a
read-only folder gets one clear line and its own exit status; a reader that goes away (`| head -1`)
is met in silence, as other Unix tools meet it. Real processes, real descriptors.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, RECORDS

SRC = str(REPO / "src")
ENV = {**os.environ, "PYTHONPATH": SRC, "LUTNICK_CACHE_DIR": ""}


def _lutnick(*arguments: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lutnick_cli", *arguments], env=ENV, stderr=subprocess.PIPE, text=True,
                          timeout=300, **options)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full is a Linux device")
@pytest.mark.parametrize("arguments", [["cite"], ["export", "--to", "bibtex", str(RECORDS)]])
def test_a_full_disk_under_standard_output_is_one_line_and_status_74(arguments):
    with open("/dev/full", "w") as full:
        result = _lutnick(*arguments, stdout=full)
    # What the export warns of, Habermas's affiliation, which BibTeX has no field for, comes before.
    warned = [line for line in result.stderr.splitlines(keepends=True) if " has no field for " in line]
    assert warned == ([] if arguments == ["cite"] else [
        f"{RECORDS / 'habermas1992.yaml'}:2: warning: [habermas1992] bibtex has no field for person affiliation; "
        "left out of the export\n"
    ])
    assert (result.returncode, result.stderr.removeprefix("".join(warned))) == (
        74, "lutnick: cannot write to standard output: No space left on device\n"
    )


def test_a_closed_standard_output_is_one_line_and_status_74():
    result = _lutnick("cite", preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (74, "lutnick: cannot write to standard output: Bad file descriptor\n")


def test_a_closed_standard_output_does_not_matter_when_nothing_is_written_to_it(tmp_path):
    result = _lutnick("export", "--to", "ris", "-o", str(tmp_path / "out.ris"), preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (0, (
        "embedded record:5: warning: [lutnick2019] ris has no field for person honorific, person affiliation, person biography; left out of the export\n"
        f"wrote 1 record to {tmp_path / 'out.ris'}\n"
        "lutnick: 1 warning; 1 record processed\n"
    ))


def _reader_gone() -> tuple[int, int]:
    """A pipe whose reading end is closed before lutnick writes: every write meets a reader that went away."""
    reading, writing = os.pipe()
    os.close(reading)
    return reading, writing


@pytest.mark.parametrize("arguments", [["cite"], ["export", "--to", "mods", str(RECORDS)], ["show"]])
def test_a_reader_that_went_away_is_met_in_silence_with_status_141(arguments):
    _, writing = _reader_gone()
    try:
        result = _lutnick(*arguments, stdout=writing)
    finally:
        os.close(writing)
    # Nothing at all on stderr: no message, no traceback, no "Exception ignored" at exit.
    assert (result.returncode, result.stderr) == (141, "")


def test_head_closing_the_pipe_part_way_through_a_large_export_is_silent(tmp_path):
    """`lutnick export … | head -1` in a real shell pipeline, the export far larger than a pipe holds."""
    records = tmp_path / "many.json"
    records.write_text(json.dumps([{"id": f"k{index}", "type": "book", "title": f"Title {index}"} for index in range(20_000)]),
                       encoding="utf-8")
    command = f'"{sys.executable}" -m lutnick_cli export --to mods "{records}" | head -1; echo "status ${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", command], env=ENV, capture_output=True, text=True, timeout=300)
    assert result.stdout == '<?xml version="1.0" encoding="UTF-8"?>\n'
    assert result.stderr == "status 141\n"


def _without_root_privilege() -> None:
    """Run as root, a process writes anywhere: dropped from the bounding set, the privilege is gone after exec."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


@pytest.fixture
def read_only_folder(tmp_path):
    if os.geteuid() == 0 and not sys.platform.startswith("linux"):
        pytest.skip("as root, only Linux lets a test give up the right to write anywhere")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["import", "{source}", "--to-dir", "{folder}"],
         "lutnick: {folder}/DBLP_journals_corr_abs-1106-5271.yaml: cannot write in {folder}: Permission denied\n"),
        (["export", "--to", "bibtex", "--split", "{folder}/bib", "{source}"],
         "lutnick: {folder}/bib: cannot make the folder: Permission denied\n"),
        (["export", "--to", "bibtex", "-o", "{folder}/refs.bib", "{source}"],
         "lutnick: {folder}/refs.bib: cannot write in {folder}: Permission denied\n"),
    ],
)
def test_a_read_only_folder_is_one_line_and_status_73(tmp_path, read_only_folder, arguments, message):
    source = tmp_path / "refs.json"
    source.write_text('[{"id": "DBLP:journals/corr/abs-1106-5271", "type": "book", "title": "T"}]', encoding="utf-8")
    values = {"source": str(source), "folder": str(read_only_folder)}
    preexec = _without_root_privilege if os.geteuid() == 0 else None
    result = _lutnick(*(argument.format(**values) for argument in arguments), stdout=subprocess.DEVNULL, preexec_fn=preexec)
    assert (result.returncode, result.stderr) == (73, message.format(**values))
    assert list(read_only_folder.iterdir()) == []


def test_a_reader_that_went_away_from_o_dev_stdout_is_silent_too():
    _, writing = _reader_gone()
    try:
        result = _lutnick("export", "--to", "mods", "-o", "/dev/stdout", str(RECORDS), stdout=writing)
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (141, "")
