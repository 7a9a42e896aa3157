"""Citation keys: deterministic, readable, and safe in BibTeX and file names."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

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
    creators = record.authors or record.editors
    name = ""
    if creators:
        first = creators[0]
        name = _ascii_word(first.family or first.literal or "")
    year = str(record.issued.start.year) if record.issued else "nd"
    word = next(
        (w for w in (_ascii_word(token) for token in record.title.split()) if w and w not in _STOPWORDS),
        "",
    )
    return f"{name or 'anon'}{year}{word}"
