"""lutnick's layer of fixes over citeproc-py (pinned to 0.11.1).

citeproc-py renders most of CSL 1.0.2, but diverges from the specification
and from citeproc-js, the reference engine, in known places. Each module here
fixes one concern of the specification, as rule mixins that `elements.py`
composes over citeproc-py's classes into the engine's own; citeproc-py
itself is left as it is. docs/engine-notes.md lists every fix, the class and
method it overrides, the test that proves it, and what still differs.
"""

from __future__ import annotations


def rich_text(text: str):  # type: ignore[no-untyped-def]
    """A cite's locator as the engine's rich text (markup, quotes and apostrophes, as in fields)."""
    from lutnick_cli.citation.engine.richtext import parse_field

    return parse_field(text)


def cite_affix(text: str):  # type: ignore[no-untyped-def]
    """A cite's prefix or suffix as the engine's rich text (markup, quotes and apostrophes, as in fields)."""
    from lutnick_cli.citation.engine.richtext import parse_field

    return parse_field(text, inert_quotes=True)
