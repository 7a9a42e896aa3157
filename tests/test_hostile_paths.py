"""Keys as file names: whatever a record's id holds, `import --to-dir` and `export --split` write
only inside the folder asked for, under a valid NFC name of their own, and the record keeps its key.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from lutnick_cli.filenames import NAME_LIMIT, FolderNames, file_name, fold, inside

HOSTILE_IDS = [
    "../pwned",
    "/tmp/absolute",
    "..",
    ".hidden",
    "DBLP:journals/corr/abs-1106-5271",
    "CON",
    "con.txt",
    "LPT1.tar.gz",
    "a\u202eb",  # right-to-left override
    "zero\u200bwidth",
    "e\u0301",  # NFD
    "trailing.",
    "x" * 300,
    "é" * 200,
]


def _csl_json(tmp_path: Path, ids: list[str]) -> Path:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": key, "type": "book", "title": f"T {index}"} for index, key in enumerate(ids)]),
                    encoding="utf-8")
    return path


def _everything_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_hostile_ids_are_written_inside_the_folder_under_safe_names_and_keep_their_keys(run, tmp_path):
    source = _csl_json(tmp_path, HOSTILE_IDS)
    folder = tmp_path / "deep" / "records"
    result = run("import", str(source), "--to-dir", str(folder))
    assert (result.exit_code, result.stderr) == (0, f"wrote {len(HOSTILE_IDS)} records and record.schema.json to {folder}\n")
    assert _everything_under(tmp_path) == sorted(
        ["deep", "deep/records", "refs.json"]
        + [f"deep/records/{name}" for name in [
            "___pwned.yaml", "_tmp_absolute.yaml", "__.yaml", "_hidden.yaml",
            "DBLP_journals_corr_abs-1106-5271.yaml", "CON_.yaml", "con_.txt.yaml", "LPT1_.tar.gz.yaml", "a_b.yaml",
            "zero_width.yaml", "\u00e9.yaml", "trailing_.yaml", "x" * 242 + ".yaml", "é" * 121 + ".yaml",
            "record.schema.json",
        ]]
    )
    # Each file holds the record under its real key, exactly as given: only the file name is NFC.
    ids = {yaml.safe_load(path.read_text(encoding="utf-8"))["id"] for path in folder.glob("*.yaml")}
    assert ids == set(HOSTILE_IDS)
    reread = run("get", "id", str(folder))
    assert reread.exit_code == 0, reread.stderr
    assert sorted(reread.stdout.splitlines()) == sorted(HOSTILE_IDS)


def test_a_dblp_key_imports_and_exports_by_its_own_key(run, tmp_path):
    key = "DBLP:journals/corr/abs-1106-5271"
    folder = tmp_path / "records"
    assert run("import", str(_csl_json(tmp_path, [key])), "--to-dir", str(folder)).exit_code == 0
    written = folder / "DBLP_journals_corr_abs-1106-5271.yaml"
    assert written.read_text(encoding="utf-8").splitlines()[1] == f"id: {key}"
    bib = run("export", "--to", "bibtex", str(written))
    assert bib.stdout.splitlines()[0] == f"@book{{{key},"
    split = tmp_path / "bib"
    result = run("export", "--to", "bibtex", "--split", str(split), str(written))
    assert (result.exit_code, result.stderr) == (0, f"wrote 1 file to {split}\n")
    assert _everything_under(split) == ["DBLP_journals_corr_abs-1106-5271.bib"]


def test_names_that_clash_after_sanitising_or_in_case_get_numbered_suffixes_in_input_order(run, tmp_path):
    ids = ["a/b", "a:b", "a_b", "A?B", "Smith", "a|b"]
    split = tmp_path / "out"
    result = run("export", "--to", "ris", "--split", str(split), str(_csl_json(tmp_path, ids)))
    assert (result.exit_code, result.stderr) == (0, f"wrote 6 files to {split}\n")
    assert _everything_under(split) == ["A_B~4.ris", "Smith.ris", "a_b.ris", "a_b~2.ris", "a_b~3.ris", "a_b~5.ris"]
    # The same input gives the same names: a second run meets its own files, one for one.
    again = run("export", "--to", "ris", "--split", str(split), str(_csl_json(tmp_path, ids)))
    assert again.exit_code == 1
    assert again.stderr.splitlines()[0] == f"{tmp_path / 'refs.json'}:1: [a/b] {split / 'a_b.ris'} exists; use --force to overwrite it"


def test_a_symbolic_link_in_the_folder_is_replaced_never_written_through(run, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "victim.yaml").symlink_to(outside)
    (folder / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    source = _csl_json(tmp_path, ["victim", "dangling"])
    refused = run("import", str(source), "--to-dir", str(folder))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"{source}:1: [victim] {folder / 'victim.yaml'} exists; use --force to overwrite it\n"
        f"{source}:1: [dangling] {folder / 'dangling.yaml'} exists; use --force to overwrite it\n"
        f"wrote 0 records to {folder}\nlutnick: 2 errors; 0 records processed\n"
    )
    forced = run("import", str(source), "--to-dir", str(folder), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "nowhere").exists()
    assert not (folder / "victim.yaml").is_symlink()
    assert yaml.safe_load((folder / "victim.yaml").read_text(encoding="utf-8"))["id"] == "victim"


def test_a_path_out_of_the_folder_is_refused_by_the_writer_itself(tmp_path):
    from lutnick_cli.errors import OutputError
    from lutnick_cli.output import write_atomically

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    for path in (folder / ".." / "x.yaml", folder / "link" / "x.yaml", tmp_path / "x.yaml"):
        with pytest.raises(OutputError, match="not a file in"):
            write_atomically(str(path), ["data"], folder=str(folder))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in"]


def test_a_name_at_the_length_limit_still_has_a_temporary_twin(run, tmp_path):
    key = "k" * 400
    split = tmp_path / "out"
    result = run("export", "--to", "csl-json", "--split", str(split), str(_csl_json(tmp_path, [key])))
    assert (result.exit_code, result.stderr) == (0, f"wrote 1 file to {split}\n")
    (written,) = split.iterdir()
    assert len(written.name.encode("utf-8")) == NAME_LIMIT - 8
    assert json.loads(written.read_text(encoding="utf-8"))[0]["id"] == key


# --- the rule itself, for any key -----------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("names"))


_any_key = st.text(min_size=1, max_size=300)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_key, st.sampled_from([".yaml", ".bib", ".json", ".enw"]))
def test_any_key_gives_a_valid_nfc_name_that_a_real_folder_holds(folder, key, extension):
    name = file_name(key, extension)
    assert unicodedata.is_normalized("NFC", name)
    assert name.endswith(extension) and len(name) > len(extension)
    assert len(name.encode("utf-8")) <= NAME_LIMIT - 8
    assert not name.startswith(".")
    assert not any(character in '/\\<>:"|?*' or unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")
                   for character in name)
    stem = name[: -len(extension)]
    assert not stem.endswith((".", " "))
    assert stem.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT1")
    path = os.path.join(folder, name)
    assert inside(path, folder)
    # The file system agrees: the name makes one file, directly in the folder.
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(key)
    try:
        assert os.listdir(folder) == [name]
    finally:
        os.unlink(path)


@settings(max_examples=300, deadline=None)
@given(st.lists(_any_key, min_size=1, max_size=12, unique=True), st.booleans())
def test_distinct_keys_never_share_a_name_even_without_regard_to_case(folder, keys, with_case_twins):
    if with_case_twins:
        keys = list(dict.fromkeys(keys + [key.swapcase() for key in keys]))
    names = FolderNames(folder, ".bib")
    given_names = [names.name(key) for key in keys]
    assert len({fold(name) for name in given_names}) == len(keys)
    assert all(len(name.encode("utf-8")) <= NAME_LIMIT for name in given_names)
    # Deterministic: the same keys in the same order give the same names.
    again = FolderNames(folder, ".bib")
    assert [again.name(key) for key in keys] == given_names


def test_a_dangling_link_named_by_o_is_an_existing_file(run, tmp_path):
    link = tmp_path / "refs.bib"
    link.symlink_to(tmp_path / "nowhere.bib")
    refused = run("export", "--to", "bibtex", "-o", str(link))
    assert (refused.exit_code, refused.stderr) == (1, f"lutnick: {link} exists; use --force to overwrite it\n")
    forced = run("export", "--to", "bibtex", "-o", str(link), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("@article{lutnick2019,")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["refs.bib"]
