"""Command behaviour: streams, exit statuses, help, files, colour."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from lutnick_cli import __version__
from lutnick_cli.cli import COMMANDS
from tests.conftest import imported_modules

APA = (
    "Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
    "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154. https://doi.org/10.14197/atr.201219129\n"
)


def test_cite_with_no_arguments_prints_the_apa_entry_of_the_embedded_record(run):
    result = run("cite")
    assert (result.exit_code, result.stdout, result.stderr) == (0, APA, "")


def test_in_text_citation(run):
    result = run("cite", "--in-text")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "(Lutnick, 2019)\n", "")


def test_version(run):
    result = run("--version")
    assert result.stdout == f"lutnick, version {__version__}\n"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"lutnick {command}" in result.stdout


@pytest.mark.parametrize("command", ["", *sorted(COMMANDS)])
def test_dash_h_is_the_help_option(run, command):
    arguments = [command] if command else []
    result = run(*arguments, "-h")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == run(*arguments, "--help").stdout
    assert "  -h, --help " in result.stdout


def test_an_unreadable_record_is_a_usage_error(run, tmp_path, monkeypatch):
    record = tmp_path / "refs.json"
    record.write_text("[]")
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    result = run("cite", str(record))
    assert result.exit_code == 2
    assert f"Invalid value for '[RECORDS]...': Path {str(record)!r} is not readable." in result.stderr


def test_an_output_of_the_wrong_kind_is_a_usage_error(run, tmp_path):
    records = tmp_path / "refs.json"
    records.write_text("[]")
    result = run("export", "--to", "bibtex", "-o", str(tmp_path), str(records))
    assert result.exit_code == 2
    assert f"Invalid value for '--output' / '-o': File {str(tmp_path)!r} is a directory." in result.stderr
    result = run("export", "--to", "bibtex", "--split", str(records), str(records))
    assert result.exit_code == 2
    assert f"Invalid value for '--split': Directory {str(records)!r} is a file." in result.stderr


def test_top_level_help_documents_exit_statuses(run):
    result = run("--help")
    for line in ("0  success", "1  invalid data", "2  usage error"):
        assert line in result.stdout


def test_unknown_option_is_a_usage_error(run):
    result = run("cite", "--colour")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: No such option '--colour'." in result.stderr
    assert result.stderr.startswith("Usage: lutnick cite ")


def test_unknown_style_is_a_usage_error_with_a_hint(run):
    result = run("cite", "--style", "apa7")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "lutnick: unknown style 'apa7' (did you mean 'apa'?); `lutnick styles WORDS` searches them\n"


@pytest.mark.parametrize(
    "word, message",
    [
        (
            "chicago",
            "lutnick: unknown style 'chicago': 92 styles match it (chicago-notes, chicago-author-date, "
            "chicago-in-text-full, chicago-notes-no-url, chicago-notes-classic, …); `lutnick styles chicago` lists them\n",
        ),
        (
            "harvard",
            "lutnick: unknown style 'harvard': 134 styles match it (harvard-limerick, harvard-cite-them-right, "
            "harvard-deakin-university, harvard-educational-review, harvard-university-of-bath, …); "
            "`lutnick styles harvard` lists them\n",
        ),
        (
            "nature-physic",
            "lutnick: unknown style 'nature-physic': 1 style matches it (nature-physics); "
            "`lutnick styles nature-physic` lists them\n",
        ),
    ],
)
def test_a_family_name_as_style_says_how_many_match_and_the_closest(run, word, message):
    result = run("cite", "--style", word)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    listed = run("styles", word)
    assert len(listed.stdout.splitlines()) == int(message.split(": ")[2].split(" ")[0])


def test_unknown_locale_is_a_usage_error(run):
    result = run("cite", "--locale", "xx-YY")
    assert result.exit_code == 2
    assert result.stderr.startswith("lutnick: unknown locale 'xx-YY'; available: af-ZA, ar, ")


def test_a_file_that_is_not_a_style_is_refused(run, tmp_path):
    result = run("cite", "--style", "../../etc/passwd")
    assert result.exit_code == 2
    assert result.stderr.startswith("lutnick: ")
    assert "Traceback" not in result.stderr


def test_a_style_with_a_doctype_is_refused(run, tmp_path):
    style = tmp_path / "evil.csl"
    style.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>&xxe;</title></info></style>\n'
    )
    result = run("cite", "--style", str(style))
    assert result.exit_code == 2
    assert result.stderr == f"lutnick: {style}: a CSL style may not declare a DOCTYPE or entities\n"


def test_a_style_by_path_and_a_dependent_style_by_id(run):
    from lutnick_cli.citation.styles import find_style

    by_path = run("cite", "--style", find_style("apa").path)
    assert by_path.stdout == APA
    dependent = run("cite", "--style", "nature-communications", "--in-text")
    assert dependent.exit_code == 0, dependent.stderr
    assert dependent.stdout == "1\n"


def test_locale_changes_terms(run):
    result = run("cite", "--style", "chicago-author-date", "--locale", "de")
    assert result.exit_code == 0, result.stderr
    assert "April" in result.stdout and "Nr. 12" in result.stdout


def test_invalid_record_exits_1_with_the_problem_on_stderr_only(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("type: article-journal\ntitle: T\nissued: [2019, 2, 30]\n")
    result = run("cite", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"{path}:3:9: issued: expected an EDTF date such as 2019-04-29, got a list\n"
        "lutnick: 1 error; 0 records processed\n"
    )


def test_missing_file(run, tmp_path):
    result = run("cite", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tmp_path / 'absent.yaml'}: cannot read: No such file or directory\nlutnick: 1 error; 0 records processed\n"
    )


def test_stdin_records(run):
    from lutnick_cli.load import embedded_record_text

    result = run("cite", "-", input=embedded_record_text())
    assert (result.exit_code, result.stdout) == (0, APA)


def test_csl_json_records_can_be_cited_in_any_style(run, tmp_path):
    exported = run("export", "--to", "csl-json").stdout
    path = tmp_path / "refs.json"
    path.write_text(exported)
    result = run("cite", "--style", "apa", str(path))
    assert result.stdout == APA
    piped = run("cite", "--from", "csl-json", "-", input=exported)
    assert piped.stdout == APA


def test_export_to_a_file_is_atomic_and_refuses_to_overwrite(run, tmp_path):
    target = tmp_path / "article.bib"
    first = run("export", "--to", "bibtex", "-o", str(target))
    assert first.exit_code == 0
    assert first.stdout == ""
    assert first.stderr == (
        "embedded record:5: warning: [lutnick2019] bibtex has no field for person honorific, person affiliation, "
        "person biography; left out of the export\n"
        f"wrote 1 record to {target}\n"
        "lutnick: 1 warning; 1 record processed\n"
    )
    assert target.read_text().startswith("@article{lutnick2019,")
    target.write_text("precious")
    second = run("export", "--to", "bibtex", "-o", str(target))
    assert second.exit_code == 1
    assert second.stderr == f"lutnick: {target} exists; use --force to overwrite it\n"
    assert target.read_text() == "precious"
    forced = run("export", "--to", "bibtex", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert target.read_text().startswith("@article{lutnick2019,")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["article.bib"]


def test_a_failed_export_leaves_no_file(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\n")
    target = tmp_path / "out.bib"
    result = run("export", "--to", "bibtex", "-o", str(target), str(bad))
    assert result.exit_code == 1
    assert result.stderr == f"{bad}:1:1: type: is required\nlutnick: 1 error; 0 records processed; nothing was written to {target}\n"
    assert list(tmp_path.iterdir()) == [bad]


def test_write_error_on_a_full_device(run):
    if not os.path.exists("/dev/full"):
        pytest.skip("this system has no /dev/full")
    result = run("export", "--to", "csl-json", "-o", "/dev/full")
    assert result.exit_code == 74  # the environment's failure, not the data's
    assert result.stderr == "lutnick: /dev/full: No space left on device\n"


def test_interrupted_write_removes_the_temporary_file(tmp_path):
    from lutnick_cli.output import write_atomically

    def chunks():
        yield "partial"
        raise KeyboardInterrupt

    target = tmp_path / "out.txt"
    with pytest.raises(KeyboardInterrupt):
        write_atomically(str(target), chunks())
    assert list(tmp_path.iterdir()) == []


def test_show_into_a_pipe_is_plain_text(run):
    result = run("show")
    assert "\x1b[" not in result.stdout
    assert result.stdout.startswith("The ‘Prioritizing Safety for Sex Workers Policy’")


def test_show_json_is_the_record_data(run):
    data = json.loads(run("show", "--format", "json").stdout)
    assert data["doi"] == "10.14197/atr.201219129"
    assert data["authors"][0] == {
        "family": "Lutnick",
        "given": "Alexandra",
        "honorific": "Dr",
        "affiliation": "University of California, Berkeley",
        "biography": data["authors"][0]["biography"],
    }
    assert "volume" not in data and data["issue"] == "12"


def _run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lutnick_cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["cite"], ["citeproc", "lxml"]),
        (["export", "--to", "bibtex"], []),
        (["export", "--to", "csl-json"], []),
        (["validate"], []),
        (["show"], []),
        (["schema"], []),
        (["get", "doi"], []),
        (["cite", "--each", "--format", "jsonl"], ["citeproc", "lxml"]),
    ],
)
def test_each_command_imports_only_what_it_uses(arguments, expected):
    heavy = ("rich", "citeproc", "lxml", "bibtexparser", "jsonschema", "yaml")
    _, imported = imported_modules(arguments)
    assert sorted({name.split(".")[0] for name in imported if name.split(".")[0] in heavy}) == expected


# What no cold citation uses: the citation cache's hashing and paths, the process pool's machinery,
# PyYAML and rich, and the signal module's enums (the command line sets its handlers through _signal).
# locale: imported by gettext's first lookup of a text, and lutnick looks none of click's up (see cli.Command).
_NEVER_IN_A_CITATION = ["hashlib", "locale", "multiprocessing", "pathlib", "pickle", "rich", "signal", "yaml"]


@pytest.mark.parametrize(
    "arguments, absent",
    [
        # The embedded record is cited from its shipped CSL-JSON item: no record model, no loader, and
        # nothing that needs dataclasses.
        (
            ["cite"],
            [*_NEVER_IN_A_CITATION, "copy", "dataclasses", "lutnick_cli.citation.csl", "lutnick_cli.load",
             "lutnick_cli.record"],
        ),
        (["cite", "--in-text"], [*_NEVER_IN_A_CITATION, "dataclasses", "lutnick_cli.load", "lutnick_cli.record"]),
        (["cite", "{records}"], _NEVER_IN_A_CITATION),
    ],
)
def test_a_cold_citation_imports_nothing_it_does_not_use(arguments, absent, tmp_path):
    records = tmp_path / "refs.json"
    records.write_text(json.dumps([{"id": f"r{n}", "type": "book", "title": f"Book {n}"} for n in range(10)]))
    arguments = [argument.format(records=records) for argument in arguments]
    result, imported = imported_modules(arguments, LUTNICK_CACHE_DIR="")
    assert result.stdout, result.stderr
    assert "lutnick_cli.citation.engine.elements" in imported  # the probe saw a citation rendered
    assert sorted(imported.intersection(absent)) == []


def test_python_dash_m_works():
    assert _run_module("cite", "--in-text").stdout == "(Lutnick, 2019)\n"


def test_internal_errors_show_no_traceback_without_debug(monkeypatch, run):
    from lutnick_cli.citation import render as cite

    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(cite.Renderer, "bibliography_of_items", broken)
    result = run("cite")
    assert result.exit_code == 70
    assert result.stderr == "lutnick: internal error: RuntimeError: engine exploded (rerun with --debug for the traceback)\n"
    with pytest.raises(RuntimeError):
        run("--debug", "cite")


def test_styles_lists_and_searches(run):
    result = run("styles", "apa", "7th", "edition")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "apa\tAPA Style 7th edition"
    assert run("styles", "no-such-style-anywhere").exit_code == 1


def _completions(run, words: str) -> list[str]:
    """What bash completion offers for the last of `words`, as click's bash_complete answers the shell."""
    env = {"_LUTNICK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = run(env=env)
    assert result.exit_code == 0
    return result.stdout.splitlines()


def test_style_ids_complete(run):
    assert _completions(run, "lutnick cite --style chicago-author-date-1") == [
        "plain,chicago-author-date-16th-edition",
        "plain,chicago-author-date-17th-edition",
    ]
    # Dependent styles are offered too.
    assert _completions(run, "lutnick cite -s nature-phy") == ["plain,nature-physics"]


def test_paths_complete_as_files_or_folders(run):
    assert _completions(run, "lutnick cite refs/my") == ["file,refs/my"]
    assert _completions(run, "lutnick export -o refs/my") == ["file,refs/my"]
    assert _completions(run, "lutnick export --split refs/my") == ["dir,refs/my"]
    assert _completions(run, "lutnick import --to-dir refs/my") == ["dir,refs/my"]


def test_a_style_path_completes_as_a_file(run):
    assert _completions(run, "lutnick cite --style ./my") == ["file,./my"]


def test_locales_complete_in_any_case(run):
    assert _completions(run, "lutnick cite --locale en-") == ["plain,en-GB", "plain,en-US"]
    assert _completions(run, "lutnick cite -l PT") == ["plain,pt", "plain,pt-BR", "plain,pt-PT"]
