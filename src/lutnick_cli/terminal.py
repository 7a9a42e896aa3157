"""Whether output goes to a person at a terminal, and whether it may be coloured."""

from __future__ import annotations

import os


def is_terminal(stream: object) -> bool:
    """True for a terminal; never for a pipe or a file."""
    return bool(getattr(stream, "isatty", lambda: False)())


def colour_wanted() -> bool:
    """False when NO_COLOR is set (https://no-color.org)."""
    return "NO_COLOR" not in os.environ


def for_a_person(stream: object) -> bool:
    """True for a terminal, unless NO_COLOR is set: the test for rich layout in `lutnick show`."""
    return colour_wanted() and is_terminal(stream)
