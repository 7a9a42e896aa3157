"""Per-style memory: what depends only on the style is computed once per style.

citeproc-py's element classes are lxml proxies; the style's root element is
kept alive by the `CitationStylesStyle` that owns it (citeproc-py itself
stores the locale list and the formatter on it), so a dictionary stored on
the root lives exactly as long as the style.
"""

from __future__ import annotations

from typing import Any


def style_cache(element) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The cache dictionary of the style (or locale) `element` belongs to."""
    root = element.getroottree().getroot()
    cache = root.__dict__.get("_lutnick_cache")
    if cache is None:
        cache = root.__dict__["_lutnick_cache"] = {}
    return cache
