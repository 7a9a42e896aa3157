"""--style with hostile or careless arguments: files that are no style files, names that are style ids,
styles that would break the engine mid-render, and the citation cache in front of them all.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO

NS = 'xmlns="http://purl.org/net/xbiblio/csl" version="1.0"'
INFO = "<info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>"
APA_START = "Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’"
IEEE_START = "[1] A. Lutnick, “The ‘Prioritizing Safety for Sex Workers Policy’"


def _style(body: str) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<style {NS}>\n{INFO}\n{body}\n</style>\n'


def _lutnick(*args: str, cwd, cache=None) -> subprocess.CompletedProcess:
    """A separate process, with a timeout: what is tested here could otherwise hang the test run."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "LUTNICK_CACHE_DIR": str(cache) if cache else ""}
    return subprocess.run([sys.executable, "-m", "lutnick_cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


# --- what a style file must be, checked before the cache -----------------------------------------


def test_a_fifo_is_refused_at_once_even_with_a_cache(tmp_path):
    os.mkfifo(tmp_path / "style.csl")
    result = _lutnick("cite", "--style", "style.csl", cwd=tmp_path, cache=tmp_path / "cache")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "lutnick: style.csl: not a style file but a FIFO\n")


@pytest.mark.parametrize(
    "style, message",
    [
        ("/dev/zero", "lutnick: /dev/zero: not a style file but a device\n"),
        ("/dev/null", "lutnick: /dev/null: not a style file but a device\n"),
        ("folder/", "lutnick: folder/: not a style file but a folder\n"),
        ("big.csl", "lutnick: big.csl: too large to be a CSL style\n"),
        ("./missing", "lutnick: style file './missing' does not exist\n"),
    ],
)
def test_a_style_path_that_is_no_style_file_is_refused(tmp_path, style, message):
    (tmp_path / "folder").mkdir()
    with open(tmp_path / "big.csl", "wb") as handle:
        handle.truncate(4 * 1024 * 1024 + 1)
    result = _lutnick("cite", "--style", style, cwd=tmp_path, cache=tmp_path / "cache")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_a_style_file_is_in_the_cache_key_whatever_its_name(tmp_path):
    cache = tmp_path / "cache"
    style = tmp_path / "journal.xml"
    outputs = []
    for variable in ("title", "DOI", "title"):
        style.write_text(_style(f'<citation><layout><text variable="{variable}"/></layout></citation>'), encoding="utf-8")
        outputs.append(_lutnick("cite", "--style", "journal.xml", cwd=tmp_path, cache=cache).stdout)
    assert outputs == [
        "The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and anti-trafficking initiative\n",
        "10.14197/atr.201219129\n",
        "The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and anti-trafficking initiative\n",
    ]
    assert len(os.listdir(cache / "cite")) == 2


# --- ids and paths -------------------------------------------------------------------------------


def test_a_folder_named_like_a_style_id_leaves_the_id_a_style_id(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "apa").mkdir()
    result = run("cite", "--style", "apa")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(APA_START)


def test_output_redirected_to_a_file_named_like_the_style_still_gives_the_style(tmp_path):
    # The shell creates `ieee` (empty) before lutnick starts.
    with open(tmp_path / "ieee", "w", encoding="utf-8") as output:
        result = subprocess.run([sys.executable, "-m", "lutnick_cli", "cite", "--style", "ieee"], cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(REPO / "src"), "LUTNICK_CACHE_DIR": ""},
                                stdout=output, stderr=subprocess.PIPE, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "ieee").read_text(encoding="utf-8").startswith(IEEE_START)


def test_a_file_without_a_style_extension_is_named_as_a_path(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").write_text(_style('<citation><layout><text variable="DOI"/></layout></citation>'),
                                    encoding="utf-8")
    as_id = run("cite", "--style", "house")
    assert (as_id.exit_code, as_id.stderr) == (2, "lutnick: unknown style 'house'; to use the file of that name, give it as ./house\n")
    as_path = run("cite", "--style", "./house")
    assert (as_path.exit_code, as_path.stdout) == (0, "10.14197/atr.201219129\n")


# --- styles that would break the engine ----------------------------------------------------------


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("empty.csl", None, "not a usable CSL style: it has no <citation> with a <layout>"),
        ("nolayout.csl", "<citation/>", "not a usable CSL style: it has no <citation> with a <layout>"),
        ("bibliography.csl", '<citation><layout><text variable="title"/></layout></citation><bibliography/>',
         "its <bibliography> has no <layout>"),
        ("undefined.csl", '<citation><layout><text macro="author"/></layout></citation>',
         "macro 'author' is used on line 4 but not defined"),
        ("sortkey.csl", '<citation><sort><key macro="missing"/></sort><layout><text variable="title"/></layout></citation>',
         "macro 'missing' is used on line 4 but not defined"),
        ("self.csl", '<macro name="a"><group><text macro="a"/></group></macro>\n'
                     '<citation><layout><text macro="a"/></layout></citation>',
         "macro 'a' calls itself (a → a), which would never end"),
        ("cycle.csl", '<macro name="a"><text macro="b"/></macro>\n<macro name="b"><text macro="c"/></macro>\n'
                      '<macro name="c"><text macro="a"/></macro>\n<citation><layout><text macro="a"/></layout></citation>\n'
                      '<bibliography><layout><text variable="title"/></layout></bibliography>',
         "macro 'a' calls itself (a → b → c → a), which would never end"),
        ("twice.csl", '<macro name="a"><text variable="title"/></macro>\n<macro name="a"><text variable="DOI"/></macro>\n'
                      '<citation><layout><text macro="a"/></layout></citation>',
         "macro 'a' is defined twice (line 5)"),
        ("etal.csl", '<citation et-al-min="many"><layout><names variable="author"/></layout></citation>',
         "et-al-min='many' on line 4 is not a whole number"),
        ("longnumber.csl", f'<citation et-al-min="{"9" * 5000}"><layout><names variable="author"/></layout></citation>',
         f"et-al-min={'9' * 40!r} on line 4 is not a whole number"),
        ("element.csl", '<citation><layout><txet variable="title"/></layout></citation>',
         "<txet> on line 4 is no CSL element the engine can render"),
        ("namespace.csl", '<citation><layout><x:text xmlns:x="urn:x" variable="title"/></layout></citation>',
         "<text> on line 4 is no CSL element the engine can render (another namespace)"),
        ("emptytext.csl", '<citation><layout><text/></layout></citation>',
         "<text> on line 4 has none of variable, macro, term or value"),
    ],
)
def test_a_broken_style_is_an_error_naming_the_file_and_the_macro(run, tmp_path, name, body, message):
    path = tmp_path / name
    path.write_text(f"<style {NS}/>\n" if body is None else _style(body), encoding="utf-8")
    for arguments in (("cite",), ("cite", "--in-text"), ("cite", "--each")):
        result = run(*arguments, "--style", str(path))
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"lutnick: {path}: {message}\n")


def test_a_sound_macro_used_twice_is_no_cycle(run, tmp_path):
    path = tmp_path / "diamond.csl"
    path.write_text(_style(
        '<macro name="leaf"><text variable="title"/></macro>\n'
        '<macro name="left"><text macro="leaf"/></macro>\n<macro name="right"><text macro="leaf"/></macro>\n'
        '<citation><layout><group delimiter=" | "><text macro="left"/><text macro="right"/></group></layout></citation>'
    ), encoding="utf-8")
    result = run("cite", "--style", str(path))
    title = "The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and anti-trafficking initiative"
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{title} | {title}\n", "")


def test_the_checks_refuse_no_style_of_the_official_repository():
    from lutnick_cli.citation import styles as cite

    folder = cite.styles_directory()
    names = sorted(name for name in os.listdir(folder) if name.endswith(".csl"))
    assert len(names) > 2000
    for name in names:
        path = os.path.join(folder, name)
        cite._check_style(cite._parse_style(path), path)


def test_a_style_id_is_spelt_as_the_pattern_said() -> None:
    # `is_style_id` replaced the pattern below; every spelling here gets the pattern's answer.
    import re
    import string

    from lutnick_cli.citation.styles import is_style_id

    alphabet = string.ascii_letters + string.digits + ".-_/ é\n\x00"
    spellings = ["", *alphabet, *(a + b for a in alphabet for b in alphabet)]
    spellings += ["apa", "chicago-author-date", "iso690-author-date-cs", "APA", "apa\n", "-apa", ".apa", "ap a"]
    for spelling in spellings:
        assert is_style_id(spelling) == bool(re.fullmatch(r"[a-z0-9][a-z0-9.-]*", spelling)), repr(spelling)


@pytest.mark.parametrize("declaration", ["<!DOCTYPE style>", "<!doctype style>", "<!DocType style>", "<!ENTITY x 'y'>",
                                         "<!entity x 'y'>"])
def test_a_declaration_in_any_letter_case_is_refused(tmp_path, declaration: str) -> None:
    from lutnick_cli.citation.styles import _read_style_bytes
    from lutnick_cli.errors import StyleError

    path = tmp_path / "declared.csl"
    path.write_text(f'<?xml version="1.0"?>\n{declaration}\n<style {NS}/>\n', encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        _read_style_bytes(str(path))
    assert str(raised.value) == f"{path}: a CSL style may not declare a DOCTYPE or entities"
    path.write_text(f'<?xml version="1.0"?>\n<!-- {declaration[2:]} -->\n<style {NS}/>\n', encoding="utf-8")
    assert _read_style_bytes(str(path)).startswith(b"<?xml")
