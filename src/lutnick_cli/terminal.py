"""Whether output goes to a person at a terminal: the one test for colour, rich layout and progress bars."""

from __future__ import annotations

import os


def for_a_person(stream: object) -> bool:
    """True for a terminal, unless NO_COLOR is set; never for a pipe or a file."""
    return "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())
