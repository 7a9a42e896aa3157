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

A key is worked out only when a comparison needs it (`LazyKeys`): a record
whose leading key differs from every other record's needs no other, and a
single item (one record, or a citation of one cite) needs none.

Tests: tests/test_engine_sorting.py.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cmp_to_key

from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.richtext import strip_marks

# Brackets, quotation marks and inverted marks are dropped, apostrophes become spaces: one table, not two
# patterns compiled at import, which a cite of one record never sorts by.
_SORT_MARKS = str.maketrans("'’", "  ", '[]"“”‘«»()¿¡')


def collation_key(value: object) -> str | int | float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    text = strip_marks(str(value))
    text = text.translate(_SORT_MARKS).strip()
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


class LazyKeys:
    """Rule mixin for `cs:sort` (citeproc-py's `Sort`)."""

    @cached_property
    def keys_and_directions(self) -> list[tuple[object, bool]]:
        """The sort's `cs:key`s, each with whether it sorts descending: the style's alone."""
        keys = self.findall("cs:key", self.nsmap)  # type: ignore[attr-defined]
        return [(key, key.get("sort", "ascending").lower() == "descending") for key in keys]

    def sort(self, items, context):  # type: ignore[no-untyped-def]
        """Overrides `Sort.sort` (replaced, the same order): an item's key is worked out when a comparison
        first needs it, not every key of every item before sorting.

        citeproc-py renders each of the style's keys (ten in APA's bibliography, several of them macros)
        for every item, though comparisons go on to a record's second key only where its first ties with
        another's: a fifth of rendering a short bibliography went into keys never compared. The comparison
        is citeproc-py's, step for step, and the sort the same stable sort over the same items, so the
        order is the same even where citeproc-py's comparison (numbers as numbers, other text as text) is
        not transitive. Test: tests/test_engine_sorting.py."""
        keys = self.keys_and_directions
        known: list[dict[int, tuple[object, tuple[str, int | None] | None]]] = [{} for _ in keys]

        def value(position: int, index: int) -> tuple[object, tuple[str, int | None] | None]:
            values = known[position]
            if index not in values:
                key = keys[position][0].sort_keys([items[index]], context)[0]
                values[index] = (key, _comparable(key))
            return values[index]

        def compare(left: int, right: int) -> int:
            for position, (_, descending) in enumerate(keys):
                (left_key, left_form), (right_key, right_form) = value(position, left), value(position, right)
                if left_key is not None and right_key is not None:
                    if left_form is not None and right_form is not None:
                        result = _compared_forms(left_form, right_form)
                    else:
                        result = _compared(left_key, right_key)
                    if result:
                        return -result if descending else result
                elif left_key is not None:
                    return -1
                elif right_key is not None:
                    return 1
            return 0

        return [items[index] for index in sorted(range(len(items)), key=cmp_to_key(compare))]


def _comparable(key: object) -> tuple[str, int | None] | None:
    """A text key as `_compared` reads it, worked out once for every comparison it takes part in: lower-cased,
    and the number it reads as (None if none). None for a key of another type, which `_compared` compares."""
    if type(key) is not str:
        return None
    lowered = key.lower()
    # `int` reads a number only from a decimal digit after any blanks and a sign: most keys (names,
    # titles) start with a letter and are answered here, without raising and catching its ValueError
    opening = lowered.lstrip()[:2]
    if not (opening[:1].isdecimal() or (opening[:1] in ("+", "-") and opening[1:].isdecimal())):
        return lowered, None
    try:
        return lowered, int(lowered)
    except ValueError:
        return lowered, None


def _compared_forms(left: tuple[str, int | None], right: tuple[str, int | None]) -> int:
    """`_compared` of two text keys, from their `_comparable` forms: as numbers when both read as one."""
    if left[1] is not None and right[1] is not None:
        return (left[1] > right[1]) - (left[1] < right[1])
    return (left[0] > right[0]) - (left[0] < right[0])


def _compared(left, right) -> int:  # type: ignore[no-untyped-def]
    """citeproc-py 0.11.1's comparison of two present sort keys (in `Sort.sort`): lower-cased text, as
    numbers when both read as one."""
    try:  # one at a time, as citeproc-py does: text beside a number is lower-cased, the number left
        left = str(left.lower())
        right = str(right.lower())
    except AttributeError:
        pass
    try:
        left, right = int(str(left)), int(str(right))
    except ValueError:
        pass
    return (left > right) - (left < right)
