"""Sorting (CSL 1.0.2, "Sorting"; citeproc-js's collation).

citeproc-py's `model.Key.sort_keys` compares rendered keys as they are: the
markup marks, quotation marks, brackets and apostrophes in them decide the
order (`“Simple title B”` sorted after `Simple title C`, `’t Horvath` after
everything), and case and accents are compared by code point. Keys are
normalised here the way a collating sort would see them: no markup, no
quotation marks, brackets or other punctuation, apostrophes as word breaks,
case folded and accents set aside (the original text only breaks ties).

Names rendered for sorting are joined without "and" or "et al." (in
engine/names.py), so `Okafor, Nwosu, and Uche` sorts before `Okafor and
Uche`, as in citeproc-js. A name variable used directly as a sort key
(`Key._format_name`, replaced by `CollatedKey`, a rule mixin in engine/elements.py) has its particles parsed first, so
`van Gogh` sorts under G.

Tests: tests/test_engine_sorting.py.
"""

from __future__ import annotations

import re
import unicodedata

from lutnick_cli.citation.engine.richtext import strip_marks

_DROPPED = re.compile(r"[\[\]\"“”‘«»()¿¡]")
_APOSTROPHES = re.compile(r"['’]")


def collation_key(value: object) -> str | int | float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    text = strip_marks(str(value))
    text = _DROPPED.sub("", text)
    text = _APOSTROPHES.sub(" ", text).strip()
    folded = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(char for char in folded if not unicodedata.combining(char))
    base = " ".join(re.sub(r"[^\w\s]", "", base).split())  # punctuation is ignorable, as in a collation
    return f"{base}\u0000{text}"


class CollatedKey:
    """Rule mixin for `cs:key` (citeproc-py's `Key`)."""

    def sort_keys(self, items, context):  # type: ignore[no-untyped-def]
        """Overrides `Key.sort_keys`: keys normalised by `collation_key()` (numbers and dates stay as they are)."""
        from citeproc import DATES, NUMBERS

        keys = super().sort_keys(items, context)
        variable = self.get("variable", "").replace("-", "_")
        if variable in DATES or variable in NUMBERS or variable == "citation_number":
            return keys
        return [collation_key(key) for key in keys]

    def _format_name(self, item, variable):  # type: ignore[no-untyped-def]
        """Overrides `Key._format_name` (replaced): names sort by family name with particles parsed out of
        it (`van Gogh` sorts under G, as in citeproc-js), demoted as `demote-non-dropping-particle` says."""
        from lutnick_cli.citation.engine.names import _name_parts

        names = item.reference.get(variable)
        if names is None:
            return None
        demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort").lower()
        output = []
        for name in names:
            parts = _name_parts(name)
            if "literal" in parts:
                output.append(str(parts["literal"]))
                continue
            family, given = parts["family"], parts["given"]
            dp, ndp, suffix = parts["dropping-particle"], parts["non-dropping-particle"], parts["suffix"]
            if demote in ("sort-only", "display-and-sort"):
                given = " ".join(part for part in (given, dp, ndp) if part)
            else:
                family = " ".join(part for part in (ndp, family) if part)
                given = " ".join(part for part in (given, dp) if part)
            output.append(", ".join(part for part in (family, given, suffix) if part))
        return ";".join(output)
