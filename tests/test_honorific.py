"""The honorific ‘Dr’ is never cited, and never becomes an initial, in any style.

The journal's own page prints ‘Lutnick, D. A.’: its citation tool took the
honorific for a given name. Every independent style in the bundled repository
renders the embedded record here (dependent styles reuse one of them).
"""

from __future__ import annotations

import os
import re
import warnings

from lutnick_cli.citation.render import Renderer
from lutnick_cli.citation.styles import styles_directory
from lutnick_cli.load import load_embedded

# ‘Dr’ anywhere, or a D initial beside the name: ‘D. A.’, ‘D.A.’, ‘DA Lutnick’, ‘Lutnick D’, ‘Lutnick, D.’
HONORIFIC_LEAK = re.compile(r"\bDr\b|\bD\.\s?A\b|\bDA\b|\bD\.?\s+Lutnick|Lutnick,?\s+D\b")


def test_the_leak_pattern_catches_the_journal_s_mistake():
    assert HONORIFIC_LEAK.search("Lutnick, D. A. (2019).")
    assert HONORIFIC_LEAK.search("Dr Alexandra Lutnick")
    assert not HONORIFIC_LEAK.search("Lutnick, A. (2019).")


def test_no_style_prints_the_honorific_or_a_d_initial():
    record = load_embedded().record
    leaks, crashes = [], []
    styles = sorted(name[:-4] for name in os.listdir(styles_directory()) if name.endswith(".csl"))
    assert len(styles) > 2000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for style in styles:
            try:
                renderer = Renderer(style)
                output = renderer.entries([record])[0] + "\n" + renderer.in_text([record])
            except Exception as error:  # noqa: BLE001 - every style must render; collect them all
                crashes.append(f"{style}: {type(error).__name__}: {error}")
                continue
            if HONORIFIC_LEAK.search(output):
                leaks.append(f"{style}: {output}")
    assert leaks == []
    assert crashes == []
