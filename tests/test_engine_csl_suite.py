"""The whole CSL processor test suite, against the checked-in list of known failures.

A fixture that fails and is not listed in tests/csl_suite_known_failures.txt
fails this test (a regression, or a new failure to analyse); a listed fixture
that now passes fails it too, so the list only ever shrinks and stays true.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_RUNNER = Path(__file__).with_name("csl_suite.py")


def _load_runner():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("lutnick_csl_suite", _RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


suite = _load_runner()


@pytest.mark.skipif(
    not suite.suite_directory().is_dir(),
    reason="the CSL test suite is not checked out next to the repository (../shared/csl-test-suite)",
)
def test_csl_suite_has_no_unexpected_failures() -> None:
    outcomes = suite.run(suite.fixture_paths())
    known = suite.load_known_failures()
    failing = {outcome.name for outcome in outcomes if not outcome.passed}
    unexpected = sorted(failing - set(known))
    now_passing = sorted(name for name in known if name not in failing and any(o.name == name for o in outcomes))
    details = [f"{o.name}: {o.error or 'expected ' + repr(o.expected) + ' got ' + repr(o.got)}"
               for o in outcomes if o.name in unexpected]
    assert not unexpected, "fixtures failing that are not known failures:\n" + "\n".join(details)
    assert not now_passing, (
        "known failures that pass now; remove them from tests/csl_suite_known_failures.txt:\n"
        + "\n".join(now_passing)
    )
