"""Regular expressions compiled when first used, not when their module is imported.

Python's `re` compiles a pattern with Python code: from a tenth of a
millisecond to nearly one each (a character class reaching past Latin-1
costs the most). A module-level `re.compile` is paid by every command that
imports the module, whether or not the command ever matches with it: a cold
`lutnick cite` of ten records imported the record model's check for control
characters, which CSL-JSON input never runs, at 4 million instructions.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    """A pattern's methods, the pattern compiled when one is first asked for.

    Each method asked for is the compiled pattern's own bound method, kept on
    this object (`__getattr__` is called only for an attribute it lacks), so
    later matches cost what they would on the compiled pattern.
    """

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        value = getattr(re.compile(*self._source), name)
        setattr(self, name, value)
        return value


def compiled_when_used(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled when its first method is called.

    Use its methods (`search`, `fullmatch`, `split`, `sub`, ...) and its
    attributes; it is no `re.Pattern` for `isinstance`, nor for the `re`
    module's functions, which take a pattern's text instead.
    """
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
