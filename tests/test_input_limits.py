"""Input that holds no records is an error; input that is no file (/dev/zero) or larger than
--max-input-size is refused clearly, naming it, before it fills memory; pipes are read up to the limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from conftest import REPO, RECORDS

SRC = str(REPO / "src")
ARTICLE = REPO / "data" / "article.yaml"  # 2,722 bytes
EXTENSIONS = ".yaml, .yml, .json, .jsonl, .ndjson, .bib, .ris"


# --- no records ------------------------------------------------------------------------------------


def test_a_folder_without_records_is_an_error(run, tmp_path):
    (tmp_path / "notes.txt").write_text("not a record\n", encoding="utf-8")
    result = run("export", "--to", "bibtex", str(tmp_path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"{tmp_path}: no records in the folder: no file in it ends in {EXTENSIONS}\n"
                             "lutnick: 1 error; 0 records processed\n")


@pytest.mark.parametrize(
    "name, text, why",
    [
        ("empty.yaml", "# only a comment\n", "it is empty or only comments"),
        ("empty.json", "[]", "the array is empty"),
        ("empty.jsonl", "", "it is empty"),
        ("empty.bib", "% nothing\n", "it has no @entry"),
        ("empty.ris", "\n", "no line starts with ‘TY  - ’"),
    ],
)
def test_a_file_without_records_is_an_error(run, tmp_path, name, text, why):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr) == (1, f"{path}:1: no records in the file: {why}\nlutnick: 1 error; 0 records processed\n")


@pytest.mark.parametrize("empty", ["folder", "file"])
def test_export_o_never_turns_an_existing_file_into_nothing(run, tmp_path, empty):
    source = tmp_path / "source"
    if empty == "folder":
        source.mkdir()
    else:
        source.write_text("", encoding="utf-8")
    target = tmp_path / "library.bib"
    target.write_text("@book{kept, title = {Kept}}\n", encoding="utf-8")
    result = run("export", "--to", "bibtex", "--from", "bibtex", "-o", str(target), "--force", str(source))
    assert result.exit_code == 1
    assert result.stderr.endswith(f"lutnick: 1 error; 0 records processed; nothing was written to {target}\n")
    assert target.read_text(encoding="utf-8") == "@book{kept, title = {Kept}}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["library.bib", "source"]


# --- size and kind of input ----------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused_by_name_not_read_for_ever(run):
    result = run("validate", "/dev/zero")
    assert (result.exit_code, result.stderr) == (
        1, "/dev/zero: not a regular file but a character device: records are read from files, folders and pipes\n"
           "lutnick: 1 error; 0 records processed\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_as_standard_input_is_refused_too():
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run([sys.executable, "-m", "lutnick_cli", "validate", "-"], stdin=zero, capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    assert (result.returncode, result.stderr) == (
        1, "<stdin>: not a regular file but a character device: records are read from files, folders and pipes\n"
           "lutnick: 1 error; 0 records processed\n"
    )


@pytest.mark.parametrize("size", ["1K", "1k", "1KiB", "1kb", "1024", " 1 K "])
@pytest.mark.parametrize(
    "command", [["cite"], ["export", "--to", "ris"], ["get", "doi"], ["show"], ["validate"], ["import", "--to-dir", "{tmp}"]]
)
def test_every_command_refuses_a_file_past_max_input_size(run, tmp_path, command, size):
    arguments = [argument.format(tmp=tmp_path / "out") for argument in command]
    result = run(*arguments, "--max-input-size", size, str(ARTICLE))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{ARTICLE}: larger than the input size limit of 1 KiB; --max-input-size raises it\n")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_file_within_max_input_size_is_read(run):
    # The limit is inclusive: a file of exactly that many bytes is read.
    size = str(ARTICLE.stat().st_size)
    assert run("get", "doi", "--max-input-size", size, str(ARTICLE)).stdout == "10.14197/atr.201219129\n"


def test_standard_input_is_read_up_to_the_limit(run):
    text = ARTICLE.read_bytes()
    assert run("get", "doi", "--max-input-size", str(len(text)), "-", input=text).stdout == "10.14197/atr.201219129\n"
    refused = run("get", "doi", "--max-input-size", str(len(text) - 1), "-", input=text)
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"<stdin>: larger than the input size limit of {len(text) - 1} bytes; --max-input-size raises it\n"
        "lutnick: 1 error; 0 records processed\n",
    )


def test_the_default_limit_is_the_one_the_help_gives(run):
    from lutnick_cli.sizes import MAX_INPUT_SIZE, parse_size

    # The default is given as the number, and the help writes it as a size.
    help_text = " ".join(run("cite", "--help").stdout.split())
    assert "filling memory. [default: 1G]" in help_text
    assert parse_size("1G") == MAX_INPUT_SIZE


@pytest.mark.parametrize("size", ["", "1X", "K", "-1", "1.5G"])
def test_a_size_that_is_no_size_is_a_usage_error(run, size):
    result = run("validate", "--max-input-size", size)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: Invalid value for '--max-input-size': {size!r} is not a size such as 1048576, 512K, 10M or 1G\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_read_as_input_up_to_the_limit(run, tmp_path):
    """What `lutnick validate <(zcat refs.yaml.gz)` reads: a pipe, fed as the command reads it."""
    fifo = tmp_path / "records"

    def feed(data: bytes) -> threading.Thread:
        os.mkfifo(fifo)

        def write() -> None:
            try:
                with open(fifo, "wb") as pipe:
                    pipe.write(data)
            except BrokenPipeError:
                pass  # the reader stopped at its limit

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        return thread

    writer = feed((RECORDS / "knuth1984.yaml").read_bytes())
    result = run("get", "title", "--from", "yaml", str(fifo))
    writer.join(timeout=60)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "The TeXbook\n", "")
    fifo.unlink()
    writer = feed(b"title: x\n" * 300_000)  # 2.7 MB, and the limit 1 MiB
    result = run("validate", "--max-input-size", "1M", str(fifo))
    writer.join(timeout=60)
    assert (result.exit_code, result.stderr) == (
        1, f"{fifo}: larger than the input size limit of 1 MiB; --max-input-size raises it\nlutnick: 1 error; 0 records processed\n"
    )
