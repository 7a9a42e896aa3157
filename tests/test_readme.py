"""Every command shown in the README's console blocks prints what the README says."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import REPO

_CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in _CONSOLE_BLOCK.findall(text):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


EXAMPLES = _examples()


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[command for command, _ in EXAMPLES])
def test_readme_example(run, monkeypatch, command, expected):
    monkeypatch.chdir(REPO)
    words = shlex.split(command)
    assert words[0] == "lutnick", "console blocks hold lutnick commands only"
    result = run(*words[1:])
    assert result.stdout + result.stderr == expected
