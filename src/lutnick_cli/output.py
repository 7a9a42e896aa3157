"""Writing output files atomically: all of it, or nothing and the old file untouched."""

from __future__ import annotations

import os
import stat
import tempfile
from typing import Iterable

from lutnick_cli.errors import OutputError


def write_atomically(path: str, chunks: Iterable[str], force: bool = False) -> None:
    """Write text to `path` through a temporary file in the same folder, renamed into place.

    An existing file is replaced only with `force`. If anything fails, an
    exception or Ctrl-C while the output is produced included, the temporary
    file is removed and `path` is as it was. A path that is not a regular file
    (a device such as /dev/stdout) is written directly, since it cannot be
    renamed over.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputError(f"{path}: {error.strerror or error}") from None
    if mode is not None and not stat.S_ISREG(mode):
        _write_device(path, chunks)
        return
    if mode is not None and not force:
        raise OutputError(f"{path} exists; use --force to overwrite it")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write in {folder}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"{path}: {error.strerror or error}; nothing was written") from None
        raise


def _write_device(path: str, chunks: Iterable[str]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as error:
        raise OutputError(f"{path}: {error.strerror or error}") from None
