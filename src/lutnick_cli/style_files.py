"""Style files a user names on the command line: told apart from style ids, and read safely.

An argument is a file's path only when it holds a path separator or ends in
`.csl` or `.xml`; anything else is a style id, even where a file or folder of
that name exists (`mkdir apa`, or `lutnick cite --style ieee > ieee`, whose
shell makes the file `ieee` first). A style file must be a regular file of at
most `MAX_STYLE_BYTES`: it is opened without blocking and checked on the open
descriptor, so a FIFO, a device such as /dev/zero, or a file swapped for one
after a check, is refused rather than waited on or read for ever.

A module of its own, light to import: `lutnick cite` checks the style here
before it looks in its cache, which must stay quick to reach.
"""

from __future__ import annotations

import os
import stat

from lutnick_cli.errors import StyleError

# The largest style in the official repository is under 200 kB.
MAX_STYLE_BYTES = 4 * 1024 * 1024
_SEPARATORS = tuple(separator for separator in ("/", os.sep, os.altsep) if separator)


def is_style_path(spec: str) -> bool:
    """Whether a --style argument names a file (else it is a style id)."""
    return any(separator in spec for separator in _SEPARATORS) or spec.lower().endswith((".csl", ".xml"))


def read_style_file(path: str) -> bytes:
    """The bytes of a style file, which must be a regular file of at most MAX_STYLE_BYTES."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise StyleError(f"style file {path!r} does not exist") from None
    except OSError as error:
        raise StyleError(f"cannot read style {path!r}: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise StyleError(f"{path}: not a style file but {_kind(status.st_mode)}")
        if status.st_size > MAX_STYLE_BYTES:
            raise StyleError(f"{path}: too large to be a CSL style")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_STYLE_BYTES + 1)
    except OSError as error:
        raise StyleError(f"cannot read style {path!r}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_STYLE_BYTES:  # it grew after fstat
        raise StyleError(f"{path}: too large to be a CSL style")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a regular file"
