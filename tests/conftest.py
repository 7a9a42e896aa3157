from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lutnick_cli.cli import cli

TESTS = Path(__file__).parent
REPO = TESTS.parent
RECORDS = TESTS / "records"
GOLDEN = TESTS / "golden"
# The read-only reference material (schemas, CSL test suite) lies beside the repository.
SHARED = REPO.parent / "shared"
UPDATE_GOLDEN = os.environ.get("LUTNICK_UPDATE_GOLDEN") == "1"

RECORD_FILES = {path.stem: path for path in sorted(RECORDS.glob("*.yaml"))}
EMBEDDED = "lutnick2019"


def record_arguments(name: str) -> list[str]:
    """The command-line arguments naming a test record; the embedded one needs none."""
    return [] if name == EMBEDDED else [str(RECORD_FILES[name])]


ALL_RECORDS = [EMBEDDED, *RECORD_FILES]

# Runs lutnick with the arguments given and prints, on its last line of standard error, the modules imported.
_MODULES_PROBE = """
import runpy, sys
sys.argv = ["lutnick", *sys.argv[1:]]
try:
    runpy.run_module("lutnick_cli", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def imported_modules(arguments, **environment):
    """lutnick run in a fresh interpreter with `arguments`: its result, and the names of the modules it imported."""
    result = subprocess.run(
        [sys.executable, "-c", _MODULES_PROBE, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **environment},
    )
    return result, set(result.stderr.splitlines()[-1].split())


@pytest.fixture(autouse=True)
def no_citation_cache(monkeypatch):
    """Tests see fresh renders; tests of the cache itself point it at a folder of their own."""
    monkeypatch.setenv("LUTNICK_CACHE_DIR", "")


@pytest.fixture
def run():
    """Run `lutnick ARGS` in-process; returns click's Result with stdout and stderr apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
        return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False, prog_name="lutnick")

    return invoke


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; LUTNICK_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.relative_to(REPO)}; run with LUTNICK_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8")


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{Path('..', 'shared', *parts)} is not beside this checkout (CI always has it)")
    return path


def require_programs(*programs: str) -> None:
    """Skip, saying why, unless every program is on PATH; CI's .ci/run installs them all."""
    for program in programs:
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (.ci/run installs it)")


def csl_suite_runner():  # type: ignore[no-untyped-def]
    """tests/csl_suite.py, the CSL test suite's runner (a script, not a module of a package), loaded once
    and shared by every test that renders the suite's fixtures."""
    import importlib.util
    import sys

    if "lutnick_csl_suite" not in sys.modules:
        spec = importlib.util.spec_from_file_location("lutnick_csl_suite", Path(__file__).with_name("csl_suite.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["lutnick_csl_suite"]


def with_ctrl_c() -> None:
    """For `subprocess.Popen(preexec_fn=...)`: the command starts with Ctrl-C's default action, as a shell
    at a terminal starts it. A command started in the background by a script inherits SIGINT ignored,
    which Python, and so lutnick, keeps: a test that sends Ctrl-C would then test nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
