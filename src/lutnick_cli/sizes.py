"""Sizes in bytes: the input size limit, as --max-input-size reads it and messages print it.

Apart from the loader because every command that reads records parses its
--max-input-size default before it runs: a cached `lutnick cite` then
needs neither the loader nor the record model.
"""

from __future__ import annotations

import re

# No input is read past this size unless --max-input-size allows it: a mistaken
# argument (/dev/zero, a disk image) is refused rather than filling memory.
MAX_INPUT_SIZE = 1 << 30

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes from a size such as 1048576, 512K, 10M, 1G or 1GiB (binary units, any case); ValueError if none."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:([KMGT])(?:I?B)?|B)?\s*", text.upper())
    if match is None:
        raise ValueError(f"{text!r} is not a size such as 1048576, 512K, 10M or 1G")
    return int(match[1]) * _UNITS[match[2] or ""]


def format_size(size: int) -> str:
    """`size` bytes as the largest binary unit that divides it: 1 GiB, 10 MiB, 1000 bytes."""
    for unit in "TGMK":
        if size and size % _UNITS[unit] == 0:
            return f"{size // _UNITS[unit]} {unit}iB"
    return f"{size} bytes"
