"""File names from citation keys: the one way a key becomes the name of a file lutnick writes.

A key is data from the input and may hold anything: `/`, `..`, NUL, a
right-to-left mark, `CON`, a thousand characters. `file_name` turns it into a
name that stays in the folder asked for and is valid on Linux, macOS and
Windows alike; `FolderNames` gives every record of one run its own name, so
that two keys that come out the same (`a/b` and `a:b`, or names that differ
only in case, which macOS and Windows see as one file) never share a file.
The record itself keeps its real key: only the file name changes.
"""

from __future__ import annotations

import os
import unicodedata

# Longest file name, in bytes of UTF-8, on the common file systems (ext4, APFS, NTFS counts
# 255 UTF-16 units, which 255 bytes of UTF-8 never exceed).
NAME_LIMIT = 255
# Room kept for the suffix that tells colliding names apart (`~` and a number).
SUFFIX_ROOM = 8

# Reserved by Windows as device names, whatever the extension (`con.tar.gz` too).
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"]
)
# Separators on any system, and what Windows refuses in a name.
_FORBIDDEN = frozenset('/\\<>:"|?*')
# Controls (NUL included), format marks (bidirectional overrides, zero-width
# characters), line and paragraph separators, surrogates: each is replaced,
# so that a name reads on screen as what it is.
_INVISIBLE_CATEGORIES = frozenset(["Cc", "Cf", "Zl", "Zp", "Cs"])
REPLACEMENT = "_"


def file_name(key: str, extension: str) -> str:
    """A safe file name for `key`, ending in `extension` (such as `.yaml`).

    Unicode is normalised to NFC; separators, characters Windows refuses,
    controls and invisible marks become `_`, as do leading dots and trailing
    dots and spaces; a Windows device name gets `_` after it; a name too long
    for the file system is shortened, keeping room for a collision suffix.
    """
    stem = "".join(
        REPLACEMENT
        if character in _FORBIDDEN or unicodedata.category(character) in _INVISIBLE_CATEGORIES
        else character
        for character in unicodedata.normalize("NFC", key)
    )
    # A leading dot hides the file (and `.`/`..` name folders); Windows drops trailing dots and spaces.
    bare = stem.lstrip(".")
    stem = REPLACEMENT * (len(stem) - len(bare)) + bare
    bare = stem.rstrip(". ")
    stem = bare + REPLACEMENT * (len(stem) - len(bare))
    if not stem:
        stem = REPLACEMENT
    device, dot, rest = stem.partition(".")
    if device.rstrip(" ").upper() in _WINDOWS_DEVICES:
        stem = device + REPLACEMENT + dot + rest
    stem = unicodedata.normalize("NFC", stem)
    return _shortened(stem, NAME_LIMIT - SUFFIX_ROOM - len(extension.encode("utf-8"))) + extension


def _shortened(stem: str, limit: int) -> str:
    """`stem` cut, at a character, to at most `limit` bytes of UTF-8, still NFC and still safe at its end."""
    while len(stem.encode("utf-8")) > limit:
        stem = unicodedata.normalize("NFC", stem[:-1])
        # The cut may leave a trailing dot or space, which Windows would drop.
        stem = stem.rstrip(". ") or REPLACEMENT
    return stem


def fold(name: str) -> str:
    """What a case-insensitive file system compares: `Smith.yaml` and `SMITH.yaml` are one file there."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


class FolderNames:
    """The file names of one run's records in one folder, each distinct even without regard to case.

    Names are handed out in input order, so the same input always gives the
    same names: the first key to come out as `a_b.yaml` gets it, the next one
    `a_b~2.yaml`, and so on (`~` can be in no citation key).
    """

    def __init__(self, folder: str, extension: str):
        self.folder = folder
        self.extension = extension
        self.taken: set[str] = set()

    def name(self, key: str) -> str:
        """The file name, in the folder, for the record whose key is `key`."""
        name = file_name(key, self.extension)
        if fold(name) in self.taken:
            stem = name[: len(name) - len(self.extension)]
            number = 2
            while fold(name := f"{stem}~{number}{self.extension}") in self.taken:
                number += 1
        self.taken.add(fold(name))
        return name

    def path(self, key: str) -> str:
        """`folder/name` for `key`: its parent is the folder itself (see `inside`)."""
        return os.path.join(self.folder, self.name(key))


def inside(path: str, folder: str) -> bool:
    """Whether `path` names an entry directly in `folder`, once every symbolic link above it is resolved.

    The entry itself is not resolved: a link there is replaced, never written through.
    """
    parent, name = os.path.split(path)
    return (
        name not in ("", ".", "..")
        and os.sep not in name
        and (os.altsep is None or os.altsep not in name)
        and os.path.realpath(parent or ".") == os.path.realpath(folder)
    )
