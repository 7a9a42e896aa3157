"""CSL-JSON: an array of items, valid against the official CSL data schema."""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from lutnick_cli.csl import record_to_csl
from lutnick_cli.record import Record

EXTENSION = ".json"


def export(records: Iterable[Record]) -> Iterator[str]:
    opening = "["
    for record in records:
        item = json.dumps(record_to_csl(record), ensure_ascii=False, indent=2)
        yield opening + "\n  " + item.replace("\n", "\n  ")
        opening = ","
    yield "[]\n" if opening == "[" else "\n]\n"
