"""patterns.compiled_when_used: a pattern that matches as re.compile's does, compiled at its first use."""

from __future__ import annotations

import re

import pytest

from lutnick_cli.patterns import compiled_when_used


def test_it_matches_as_the_compiled_pattern_does():
    text = "Pages 101--118; doi:10.1000/ABC, 10.1000/xyz"
    lazy = compiled_when_used(r"(10\.\d{4,9})/(\S+?)(?=,|$)", re.IGNORECASE)
    eager = re.compile(r"(10\.\d{4,9})/(\S+?)(?=,|$)", re.IGNORECASE)
    assert [m.groups() for m in lazy.finditer(text)] == [m.groups() for m in eager.finditer(text)]
    assert lazy.search(text).span() == eager.search(text).span()
    assert lazy.sub(r"<\2>", text) == eager.sub(r"<\2>", text)
    assert lazy.split(text) == eager.split(text)
    assert lazy.fullmatch("10.1000/x") is not None and lazy.fullmatch("10/x") is None
    assert (lazy.pattern, lazy.groups) == (eager.pattern, eager.groups)


def test_the_pattern_is_compiled_when_first_used_not_when_made():
    broken = compiled_when_used("[unclosed")  # re.compile would refuse it here
    with pytest.raises(re.error, match="unterminated character set"):
        broken.search("text")
