"""The whole CSL processor test suite, against the checked-in, pinned list of known failures.

A fixture that fails and is not listed in tests/csl_suite_known_failures.txt
fails this test (a regression, or a new failure to analyse); a listed fixture
that now passes fails it too, so the list only ever shrinks and stays true;
and so does a listed fixture whose output is no longer the pinned one, so a
regression inside a known failure shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csl_suite_runner

suite = csl_suite_runner()


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
    changed = [
        f"{o.name}: {difference}" for o in outcomes if o.name in known for difference in known[o.name].differences(o)
    ]
    assert not changed, (
        "known failures that no longer fail as pinned in tests/csl_suite_known_failures.txt:\n" + "\n".join(changed)
    )


def test_a_known_failure_pins_its_output_and_its_expected_output(tmp_path: Path) -> None:
    pins = tmp_path / "known.txt"
    failing = suite.Outcome("demo_Fixture", False, expected="a\nb", got="  a\n\nb ")
    crashing = suite.Outcome("demo_Crash", False, expected="c", error="TypeError: boom")
    suite.write_known_failures([failing, crashing, suite.Outcome("demo_Passing", True)], pins)
    known = suite.load_known_failures(pins)
    assert sorted(known) == ["demo_Crash", "demo_Fixture"]
    assert (known["demo_Fixture"].reason, known["demo_Fixture"].output) == ("demo: not yet analysed", "  a\n\nb ")
    assert known["demo_Fixture"].differences(failing) == []
    assert known["demo_Crash"].differences(crashing) == []
    assert known["demo_Fixture"].differences(suite.Outcome("demo_Fixture", False, expected="a\nb", got="a\nb!")) == [
        "output changed:\n--- pinned\n  a\n\nb \n--- now\na\nb!"
    ]
    fixture_changed = suite.Outcome("demo_Fixture", False, expected="a\nc", got="  a\n\nb ")
    assert known["demo_Fixture"].differences(fixture_changed) == [
        "the fixture's expected output changed: examine it again"
    ]
    assert known["demo_Crash"].differences(suite.Outcome("demo_Crash", False, expected="c", got="x")) == [
        "output changed:\n--- pinned\nerror: TypeError: boom\n--- now\nx"
    ]
