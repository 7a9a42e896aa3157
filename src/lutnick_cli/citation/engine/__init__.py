"""lutnick's layer of fixes over citeproc-py (pinned to 0.11.1).

citeproc-py renders most of CSL 1.0.2, but diverges from the specification
and from citeproc-js, the reference engine, in known places. Each module here
fixes one concern of the specification; `install()` applies them all, once.
docs/engine-notes.md lists every fix, the test that proves it, and what still
differs.
"""

from __future__ import annotations

_installed = False


def install() -> None:
    """Apply the fixes not yet composed as rules (engine/elements.py) to citeproc-py. Safe to call more than once."""
    global _installed
    if _installed:
        return
    _installed = True
    from lutnick_cli.citation.engine import dates, names, numbers, performance

    # Order matters where fixes wrap the same method. The rules composed as
    # mixins (engine/elements.py) sit above all of these, as richtext, which
    # resolves the finished output, always did.
    performance.install()
    names.install()
    dates.install()
    numbers.install()


def cite_affix(text: str):  # type: ignore[no-untyped-def]
    """A cite's prefix or suffix as the engine's rich text (markup, quotes and apostrophes, as in fields)."""
    from lutnick_cli.citation.engine.richtext import parse_field

    return parse_field(text, inert_quotes=True)
