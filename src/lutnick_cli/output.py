"""Writing output files atomically: all of it, or nothing and the old file untouched."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable

from lutnick_cli import signals
from lutnick_cli.errors import CannotWrite, OutputError
from lutnick_cli.filenames import inside

# The temporary file is `.NAME.XXXXXXXX.tmp`: NAME is cut to this many bytes, so
# that a name already at the file system's limit still has a temporary twin.
_TEMPORARY_NAME_BYTES = 200
# A file system that cannot make hard links (FAT, some network shares) says so with one of these.
_NO_HARD_LINKS = frozenset([errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK])


def write_atomically(path: str, chunks: Iterable[str], force: bool = False, folder: str | None = None) -> None:
    """Write text to `path` through a temporary file in the same folder, put into place when whole.

    Without `force`, the finished file is hard-linked into place, which fails
    if the name exists: a file that appeared while the output was made (a
    second export to the same name) is kept, and this one reports it. With
    `force`, the file is renamed over whatever is there. If anything fails, an
    exception or a signal while the output is produced included, the temporary
    file is removed and `path` is as it was.

    A `path` that is not a regular file (a device such as /dev/stdout) is
    written directly, since it cannot be renamed over. With `folder`, `path`
    was made from a record's key (see filenames.py): it must name an entry of
    `folder` itself, once symbolic links above it are resolved, and whatever
    is at `path` (a link above all) is never written through: it is an
    existing file, replaced only with `force`.
    """
    if folder is not None and not inside(path, folder):
        raise OutputError(f"{path}: not a file in {folder}; nothing was written")
    try:
        mode = (os.stat if folder is None else os.lstat)(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _refused(path, error) from None
    if mode is not None and folder is None and not stat.S_ISREG(mode):
        _write_device(path, chunks)
        return
    # A symbolic link that leads nowhere is there all the same.
    if (mode is not None or os.path.lexists(path)) and not force:
        raise OutputError(f"{path} exists; use --force to overwrite it")
    directory = os.path.dirname(os.path.abspath(path))
    temporary = None
    try:
        # Signals wait while the temporary file is made and its name noted: one arriving in
        # between would leave a file that nothing removes. Held back, it is raised as the
        # `with` ends, inside this `try`, whose cleanup then knows the name.
        with signals.held():
            try:
                descriptor, temporary = tempfile.mkstemp(
                    prefix=f".{_cut(os.path.basename(path))}.", suffix=".tmp", dir=directory
                )
            except OSError as error:
                raise _refused(path, error, f"cannot write in {directory}: ") from None
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None and stat.S_ISREG(mode):
            os.chmod(temporary, stat.S_IMODE(mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        if force:
            os.replace(temporary, path)
        else:
            _link_into_place(temporary, path)
    except BaseException as error:
        if temporary is None:  # the temporary file was never made
            raise
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise _refused(path, error, consequence="; nothing was written") from None
        raise


def _link_into_place(temporary: str, path: str) -> None:
    """Give the finished temporary file its name, only if no file has taken the name meanwhile."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise _appeared(path) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: the name is checked once more and the file renamed, which
        # leaves only the moment between the two for another writer.
        if os.path.lexists(path):
            raise _appeared(path) from None
        os.rename(temporary, path)
        return
    os.unlink(temporary)


def _appeared(path: str) -> OutputError:
    return OutputError(
        f"{path} appeared while the output was made (another program wrote it); it was kept and this output "
        "was not written; use --force to overwrite it"
    )


def _cut(name: str) -> str:
    return name.encode("utf-8")[:_TEMPORARY_NAME_BYTES].decode("utf-8", "ignore")


def _refused(path: str, error: OSError, context: str = "", consequence: str = "") -> CannotWrite:
    """The system's refusal to write `path`, with the exit status its kind documents."""
    return CannotWrite(f"{path}: {context}{error.strerror or error}{consequence}", error)


def _write_device(path: str, chunks: Iterable[str]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except BrokenPipeError:
        raise  # `-o /dev/stdout | head -1`: the reader went away, which is no failure to report
    except OSError as error:
        raise _refused(path, error) from None
