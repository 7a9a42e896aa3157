"""Citation keys: deterministic, readable, unique within a batch, and safe in BibTeX and file names.

A record's key is the `id` it pins, kept exactly as it is; otherwise author +
year + first significant title word (‘lutnick2019prioritizing’). Within one
batch a derived key that is already taken gets a suffix: the second record
with the same key gets ‘a’, the third ‘b’, and so on (‘z’ is followed by
‘aa’). Records are met in input order, so the same input always gives the
same keys. Keys are compared without regard to case, as BibTeX and the
citation engine compare them. A pinned id that is already taken is a problem
of that record: it is never renamed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lutnick_cli.errors import Problem

if TYPE_CHECKING:
    from lutnick_cli.record import Record

_STOPWORDS = frozenset("a an the of on in and for to with from at by la le les el der die das".split())


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(record: Record) -> str:
    """author + year + first significant title word, e.g. ‘lutnick2019prioritizing’.

    A key the record pins in its `id` is kept as it is.
    """
    if record.id:
        return record.id
    # here, not at the top: the engine imports this module for `letters`, and needs no record model
    from lutnick_cli.record import date_year

    creators = record.authors or record.editors
    name = ""
    if creators:
        first = creators[0]
        name = _ascii_word(first.family or first.literal or "")
    year = date_year(record.issued) if record.issued else None
    word = next(
        (w for w in (_ascii_word(token) for token in (record.title or "").split()) if w and w not in _STOPWORDS),
        "",
    )
    return f"{name or 'anon'}{year if year is not None else 'nd'}{word}"


def letters(index: int) -> str:
    """a, b, … z, aa, ab, … for index 0, 1, …: the suffix of a clashing key, and a year suffix."""
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = chr(ord("a") + remainder) + text
    return text


class KeyRegister:
    """Hands out the keys of one batch, in input order."""

    def __init__(self) -> None:
        self.taken: dict[str, str] = {}  # key → where the record holding it was read
        self.next_suffix: dict[str, int] = {}

    def claim(self, record: Record, where: str = "") -> str | Problem:
        """The record's key in this batch, or the problem that its pinned id is taken."""
        return self.claim_as(record.id, "" if record.id else citation_key(record), where)

    def claim_as(self, pinned: str | None, base: str, where: str = "") -> str | Problem:
        """`claim` for a record known by the id it pins, or else by its `citation_key`, `base`."""
        if pinned:
            folded = pinned.casefold()
            if folded in self.taken:
                first = self.taken[folded]
                return Problem(where, "id", f"{pinned!r} is already the key of the record at {first}", record=pinned)
            self.taken[folded] = where
            return pinned
        key = base
        while key.casefold() in self.taken:
            index = self.next_suffix.get(base, 0)
            self.next_suffix[base] = index + 1
            key = base + letters(index)
        self.taken[key.casefold()] = where
        return key

    def claim_each(self, keys: list[str], places: Iterable[str]) -> bool:
        """Claim every key of `keys` as it is, each read at its place of `places`, where none is taken
        and no two are the same; False, with none claimed, where one is. As `claim_as` of each would
        in turn, but for all at once: an export claims ten thousand."""
        folded = list(map(str.casefold, keys))
        taken = self.taken
        if not taken.keys().isdisjoint(folded) or len(set(folded)) != len(folded):
            return False
        taken.update(zip(folded, places))
        return True
