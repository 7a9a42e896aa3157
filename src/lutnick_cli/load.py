"""Reading records: YAML records and CSL-JSON, from files, folders, stdin or the embedded record.

Every problem is reported with the file, line and column it comes from, and
the id of the record it belongs to. A bad record does not stop the file: each
document of a YAML stream and each item of a CSL-JSON array stands alone, so
`iter_loaded` yields a `BadRecord` in its place and reads on. Only a problem
that leaves the rest of a file unreadable (a YAML or JSON syntax error, a file
that is not text) ends that file, and the next file is read. YAML is built
into plain data by `yaml_nodes`, which keeps the position of every value.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TypeVar

from lutnick_cli.embedded import EMBEDDED, embedded_record_text, shipped_form
from lutnick_cli.errors import InvalidRecord, Problem, slotted_value
from lutnick_cli.formats import importer
from lutnick_cli.record import RECORD_FIELDS, Record, parse_record
from lutnick_cli.sizes import MAX_INPUT_SIZE, format_size

_EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "csl-json",
    ".jsonl": "csl-json",
    ".ndjson": "csl-json",
    ".bib": "bibtex",
    ".ris": "ris",
}

# A pipe is read this much at a time, so that the limit is checked as the input comes.
_READ_CHUNK = 1 << 24


# Frozen values made without dataclasses (errors.slotted_value): every command that reads records
# defines them as it starts.
@slotted_value
class SourcedRecord:
    """A record, the place it was read from, and what looked wrong in it (kept as given)."""

    __slots__ = ("record", "source", "line", "warnings")

    record: Record
    source: str
    line: int | None
    warnings: tuple[Problem, ...]

    def __init__(
        self, record: Record, source: str, line: int | None = None, warnings: tuple[Problem, ...] = ()
    ) -> None:
        object.__setattr__(self, "record", record)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "warnings", warnings)

    def replace(self, **changes: Any) -> SourcedRecord:
        """This one with the fields named changed."""
        return SourcedRecord(**{name: getattr(self, name) for name in SourcedRecord.__slots__} | changes)


@slotted_value
class BadRecord:
    """A record that could not be read, in place of the record; `fatal` when the rest of its file is lost too."""

    __slots__ = ("problems", "source", "line", "record_id", "fatal")

    problems: list[Problem]
    source: str
    line: int | None
    record_id: str | None
    fatal: bool

    def __init__(
        self,
        problems: list[Problem],
        source: str,
        line: int | None = None,
        record_id: str | None = None,
        fatal: bool = False,
    ) -> None:
        object.__setattr__(self, "problems", problems)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "record_id", record_id)
        object.__setattr__(self, "fatal", fatal)


Loaded = SourcedRecord | BadRecord


def _suffix(path: str) -> str:
    """`pathlib.Path(path).suffix`, without importing pathlib (with urllib.parse, a few ms of a cold start)."""
    name = os.path.basename(path.rstrip(os.sep))
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def load_embedded() -> SourcedRecord:
    text = embedded_record_text()
    return _prebuilt_embedded(text) or next(iter(load_bytes(text, EMBEDDED, "yaml")))


def embedded_record_json(text: bytes) -> str:
    """The JSON form of the embedded record whose YAML is `text`: what `data/article.json` must hold.

    The plain data the YAML builds into, its line, the CSL-JSON item the
    engine renders for the record, and the YAML itself, so that the form is
    used only while it was made from the very YAML shipped beside it (see
    `embedded.py`). Reading the data spares a cold command the import of
    PyYAML (a quarter of a cold `lutnick cite` before this form existed); it
    is validated as the YAML's would be. The item spares a cold `lutnick cite`
    of the embedded record the record model, the loader and the validation.
    tests/test_embedded_record.py proves the file is the one this makes and
    reads as the YAML does; LUTNICK_UPDATE_GOLDEN=1 rewrites it. A record
    that warns is refused: its warnings point at YAML lines, which only the
    YAML path knows.
    """
    import json

    from lutnick_cli import yaml_nodes
    from lutnick_cli.citation.render import engine_item

    (loaded,) = load_bytes(text, EMBEDDED, "yaml")
    if loaded.warnings:
        raise ValueError(f"the embedded record has warnings: {', '.join(map(str, loaded.warnings))}")
    loader = yaml_nodes.RecordLoader(decode(text, EMBEDDED)[0])
    try:
        data = yaml_nodes.NodeBuilder(loader, EMBEDDED, yaml_nodes.Positions()).build(loader.get_single_node(), ())
    finally:
        loader.dispose()
    item = engine_item(loaded.record)
    if json.loads(json.dumps([data, item])) != [data, item]:
        raise ValueError("the embedded record holds data JSON cannot carry")
    form = {"yaml": text.decode("utf-8"), "line": loaded.line, "record": data, "csl": item}
    return json.dumps(form, ensure_ascii=False, indent=1) + "\n"


def _prebuilt_embedded(text: bytes) -> SourcedRecord | None:
    """The embedded record from its JSON form, if that was made from `text`; else None, and YAML is read."""
    form = shipped_form(text)
    if form is None:
        return None
    try:
        warnings: list[Problem] = []
        # The form is made only from a record without a problem; were one found here, the YAML
        # is read instead, and reports it at its line.
        record = parse_record(form["record"], lambda path, at_key: (None, None), EMBEDDED, warnings)
    except (KeyError, TypeError, InvalidRecord):
        return None
    return SourcedRecord(record, EMBEDDED, form["line"]) if not warnings else None


def iter_records(
    arguments: Iterable[str],
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
    max_input_size: int = MAX_INPUT_SIZE,
    encoding: str | None = None,
) -> Iterator[SourcedRecord]:
    """Every record named by the arguments (files, folders, `-`), or the embedded one if none.

    Raises InvalidRecord at the first record that cannot be read; `iter_loaded`
    reports it and goes on instead.
    """
    for loaded in iter_loaded(arguments, input_format, stdin, max_input_size, encoding):
        if isinstance(loaded, BadRecord):
            raise InvalidRecord(loaded.problems)
        yield loaded


def iter_loaded(
    arguments: Iterable[str],
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
    max_input_size: int = MAX_INPUT_SIZE,
    encoding: str | None = None,
) -> Iterator[Loaded]:
    """Every record named by the arguments, in order, lazily: a SourcedRecord or a BadRecord for each.

    No file, and not standard input, is read past `max_input_size` bytes. The files share what a
    reader carries from one to the next (BibTeX's @string macros and crossref targets), in the
    order given; `encoding` overrides the guess of each file's encoding.
    """
    arguments = list(arguments)
    if not arguments:
        yield load_embedded()
        return
    reading = _Reading(max_input_size, encoding)
    for argument in arguments:
        if argument == "-":
            yield from _guarded(lambda: _load_stdin(stdin, input_format, reading), "<stdin>")
        elif os.path.isdir(argument):
            found = False
            for path in _walk(argument):
                found = True
                yield from _guarded(lambda path=path: _load_file(path, input_format, reading), path)
            if not found:
                extensions = ", ".join(_EXTENSIONS)
                problem = Problem(argument, "", f"no records in the folder: no file in it ends in {extensions}")
                yield BadRecord([problem], argument, fatal=True)
        else:
            yield from _guarded(lambda argument=argument: _load_file(argument, input_format, reading), argument)


class _Reading:
    """What the files of one run share: the size limit and the encoding asked for,
    and each reader's state across files."""

    def __init__(self, max_input_size: int = MAX_INPUT_SIZE, encoding: str | None = None):
        self.max_input_size = max_input_size
        self.encoding = encoding
        self.states: dict[str, Any] = {}

    def read(self, input_format: str, text: str, source: str) -> Iterator[tuple[Any, ...]]:
        reader = importer(input_format)
        start = getattr(reader, "shared_state", None)
        if start is None:
            return reader.read(text, source)
        if reader.__name__ not in self.states:
            self.states[reader.__name__] = start()
        return reader.read(text, source, self.states[reader.__name__])


def _guarded(load: Any, source: str) -> Iterator[Loaded]:
    """The records of one source; a problem that ends the source becomes its last, fatal, BadRecord."""
    try:
        yield from load()
    except InvalidRecord as error:
        first = error.problems[0] if error.problems else None
        yield BadRecord(error.problems, source, first.line if first else None, fatal=True)


def load_path(
    path: str, input_format: str | None = None, max_input_size: int = MAX_INPUT_SIZE
) -> Iterator[SourcedRecord]:
    """The records of one file; raises InvalidRecord at the first problem."""
    for loaded in _guarded(lambda: _load_file(path, input_format, _Reading(max_input_size)), path):
        if isinstance(loaded, BadRecord):
            raise InvalidRecord(loaded.problems)
        yield loaded


def load_bytes(data: bytes, source: str, input_format: str) -> Iterator[SourcedRecord]:
    """The records in `data`; raises InvalidRecord at the first problem."""
    for loaded in _guarded(lambda: _load_data(data, source, input_format), source):
        if isinstance(loaded, BadRecord):
            raise InvalidRecord(loaded.problems)
        yield loaded


def _walk(folder: str) -> Iterator[str]:
    for root, directories, files in os.walk(folder):
        directories.sort()
        for name in sorted(files):
            # A JSON Schema beside the records (`lutnick import` writes one) is not a record.
            if _suffix(name).lower() in _EXTENSIONS and not name.lower().endswith(".schema.json"):
                yield os.path.join(root, name)


def _load_file(path: str, input_format: str | None, reading: _Reading) -> Iterator[Loaded]:
    try:
        # A FIFO (`<(zcat refs.bib.gz)`) is a real input: opening one waits for its writer.
        with open(path, "rb") as handle:
            data = _read(handle, path, reading.max_input_size)
    except OSError as error:
        raise InvalidRecord([Problem(path, "", f"cannot read: {error.strerror or error}")]) from None
    return _load_data(data, path, input_format or _EXTENSIONS.get(_suffix(path).lower()) or sniff_format(data), reading)


def file_text(
    path: str, input_format: str | None, max_input_size: int = MAX_INPUT_SIZE, encoding: str | None = None
) -> tuple[str, str] | None:
    """The text of one regular file and its format, as reading its records finds them, for a command
    that reads the records itself (the parallel export, through `from_reader`); None where reading the
    file has something to say of it as a whole (it cannot be read, its encoding was guessed), which
    reading its records the usual way reports."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            data = _read(handle, path, max_input_size)
        text, guessed = decode(data, path, encoding)
    except (OSError, InvalidRecord):
        return None
    if guessed is not None:
        return None
    return text, input_format or _EXTENSIONS.get(_suffix(path).lower()) or sniff_format(data)


def _load_stdin(stdin: BinaryIO | None, input_format: str | None, reading: _Reading) -> Iterator[Loaded]:
    data = _read(stdin, "<stdin>", reading.max_input_size) if stdin is not None else b""
    return _load_data(data, "<stdin>", input_format or sniff_format(data), reading)


def _read(handle: BinaryIO, source: str, limit: int) -> bytes:
    """All of an input, which must be a regular file, a pipe or a socket, and no larger than `limit` bytes.

    A device is refused (/dev/zero would never end), a terminal excepted:
    records may be typed, or pasted, at standard input. A pipe is read up to
    the limit and one byte more, which tells whether it goes past.
    """
    try:
        status = os.fstat(handle.fileno())
    except (OSError, ValueError):
        status = None  # not a file descriptor: an in-memory stream
    # A regular file is read in one go, which is quickest; its size is known before.
    first = _READ_CHUNK
    if status is not None and stat.S_ISREG(status.st_mode):
        if status.st_size > limit:
            raise _too_large(source, limit)
        first = status.st_size + 1
    elif status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode)) and not handle.isatty():
        kind = "a character device" if stat.S_ISCHR(status.st_mode) else "a block device"
        raise InvalidRecord(
            [Problem(source, "", f"not a regular file but {kind}: records are read from files, folders and pipes")]
        )
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= limit:
            chunk = handle.read(min(first if not chunks else _READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _too_large(source, limit)
        return b"".join(chunks)
    except MemoryError:
        raise InvalidRecord(
            [
                Problem(
                    source,
                    "",
                    f"too large to read into memory (more than {size:,} bytes); --max-input-size sets a lower limit",
                )
            ]
        ) from None


def _too_large(source: str, limit: int) -> InvalidRecord:
    return InvalidRecord(
        [Problem(source, "", f"larger than the input size limit of {format_size(limit)}; --max-input-size raises it")]
    )


# How much of unnamed input is looked at to tell its format.
_SNIFF_BYTES = 64 * 1024
# The patterns below are used once per file at most, so they are compiled where first used (re
# keeps them), not at import: a command that reads one named file, or none, compiles none of them.
# A BibTeX entry, @comment, @preamble or @string at the start of a line: YAML can never have
# one there (`@` may not begin a plain scalar), and bibtex skips any text before it.
_BIBTEX_ENTRY = r"(?m)^@[ \t]*[A-Za-z]+[ \t]*[{(]"
# RIS's record-opening line; some exports put a header (‘Provider: …’) before it.
_RIS_START = r"(?m)^TY  ?-"


def sniff_format(data: bytes) -> str:
    """The format of unnamed input (stdin, a file without a known extension) from its content.

    CSL-JSON opens with `[` or `{`, BibTeX has an entry at the start of a
    line (after `%` comments, blank lines or other text), RIS a `TY  - `
    line; anything else is read as YAML. Byte-order marks and UTF-16 are
    seen through, as `decode` sees through them.
    """
    head = data[:_SNIFF_BYTES]
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    text = head.decode(encoding, errors="replace")
    if text.lstrip()[:1] in ("[", "{"):
        return "csl-json"
    if re.search(_BIBTEX_ENTRY, text):
        return "bibtex"
    if re.search(_RIS_START, text):
        return "ris"
    return "yaml"


# A document that is a list at its top (lutnick's records are mappings), or
# that has a `references` key holding a list (lutnick's `references` field is text).
# Told here, by a pattern, so that reading lutnick's own records imports no CSL code.
_CSL_YAML = (
    r"(?m)\A(?:(?:[ \t]*(?:#.*)?|---[ \t]*|%.*)\n)*(?:-(?:[ \t]|$)"
    r"|(?:.*\n)*?references:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*[ \t]*-(?:[ \t]|$)|(?:.*\n)*?references:[ \t]*\[)"
)


def is_csl_yaml(text: str) -> bool:
    """Whether YAML text holds CSL items (CSL YAML) rather than lutnick records."""
    return re.match(_CSL_YAML, text) is not None


# A document whose first key is no record field and holds a mapping, in block or flow style:
# Hayagriva's citation key over its entry (`harry:` then `    type: Book`). A lutnick record's
# first key is one of its fields, and CSL YAML is told before this.
_HAYAGRIVA = (
    r"\A(?:(?:[ \t]*(?:#.*)?|---[ \t]*|%.*)\n)*"
    r"(?P<key>[^\s#\-?:'\"{\[][^\n]*?|'[^'\n]*'|\"[^\"\n]*\"):"
    r"(?:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*[ \t]+[^\s#\-]|[ \t]+\{)"
)


def is_hayagriva(text: str) -> bool:
    """Whether YAML text is a Hayagriva file (Typst's bibliography) rather than lutnick records."""
    match = re.match(_HAYAGRIVA, text)
    return match is not None and match["key"].strip("'\"") not in RECORD_FIELDS


def _load_data(data: bytes, source: str, input_format: str, reading: _Reading | None = None) -> Iterator[Loaded]:
    reading = reading or _Reading()
    text, guessed = decode(data, source, reading.encoding)
    if input_format == "yaml" and is_csl_yaml(text):  # all three are .yaml: the content tells them apart
        input_format = "csl-yaml"
    elif input_format == "yaml" and is_hayagriva(text):
        input_format = "hayagriva"
    if input_format == "yaml":
        loaded = _load_yaml(text, source)
    else:
        loaded = from_reader(_in_blocks(reading.read(input_format, text, source)), source)
    return _in_blocks(_with_file_warning(loaded, guessed) if guessed else loaded)


def _with_file_warning(loaded: Iterator[Loaded], warning: Problem | None) -> Iterator[Loaded]:
    """The records of a file, the first one read carrying a warning about the whole file (its encoding)."""
    for item in loaded:
        if warning is not None and isinstance(item, SourcedRecord):
            item = item.replace(warnings=(warning, *item.warnings))
            warning = None
        yield item


# Records are read, validated and written a block at a time, each step handing
# the next a block's worth one by one. Doing every step for one record before
# starting the next record makes the steps evict each other's code and data
# from the processor's caches: in blocks, a BibTeX export of 10,000 CSL-JSON
# records takes about a tenth less time. A block is small enough that memory
# still holds only a few records, never the whole batch.
_BLOCK = 64

_T = TypeVar("_T")


def _in_blocks(items: Iterator[_T]) -> Iterator[_T]:
    """The same items in the same order, read ahead by up to a block.

    An error met while reading a block is raised once the items read before
    it have been handed on: just where reading one by one would raise it.
    """
    while True:
        block = []
        failure: Exception | None = None
        try:
            for item in items:
                block.append(item)
                if len(block) == _BLOCK:
                    break
        except Exception as error:
            failure = error
        yield from block
        if failure is not None:
            raise failure
        if len(block) < _BLOCK:
            return


def from_reader(items: Iterator[tuple[Any, ...]], source: str) -> Iterator[Loaded]:
    """Records from another format's reader, which yields YAML-shaped data and the line of each record.

    A reader raises InvalidRecord only for what ends the file (its syntax); a
    record whose data is wrong is reported here and the reader goes on. A
    problem the reader itself finds in one record, and that leaves the rest
    of the file readable, it yields as `(InvalidRecord(...), line)` in that
    record's place, rather than raising it. What a reader understood but
    found wrong (an undefined @string, a field it kept as given) it yields as
    a third element, `(data, line, warnings)`: a list of warning Problems. A
    reader that knows where each field was written yields a fourth, the
    `locate` function that `parse_record` points problems with. A reader
    may also yield a `Record` it built itself, the one `parse_record` would
    make of its data, which held nothing to report or warn of.
    """
    for item in items:
        data, line = item[0], item[1]
        if data.__class__ is Record:
            yield SourcedRecord(data, source, line)
            continue
        if isinstance(data, InvalidRecord):
            yield BadRecord(data.problems, source, line)
            continue
        # Most formats keep no positions below a record: every problem points at its first line.
        locate = item[3] if len(item) > 3 else lambda path, at_key=False, line=line: (line, None)
        yield _parsed(data, locate, source, line, item[2] if len(item) > 2 else ())


def _parsed(data: Any, locate: Any, source: str, line: int, found: Iterable[Problem] = ()) -> Loaded:
    warnings = list(found)
    try:
        record = parse_record(data, locate, source, warnings)
    except InvalidRecord as error:
        return _bad(error, data, source, line)
    if not warnings:
        return SourcedRecord(record, source, line)
    record_id = _given_id(data)
    if record_id:
        warnings = [problem if problem.record else problem.replace(record=record_id) for problem in warnings]
    return SourcedRecord(record, source, line, tuple(warnings))


def _bad(error: InvalidRecord, data: Any, source: str, line: int | None) -> BadRecord:
    record_id = _given_id(data)
    problems = [problem.replace(record=record_id) for problem in error.problems] if record_id else error.problems
    return BadRecord(problems, source, line, record_id)


def _given_id(data: Any) -> str | None:
    """The id a record's data gives itself, if it is plain text; a broken record may have none."""
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        return text if text and text.isprintable() else None
    return None


def decode(data: bytes, source: str, encoding: str | None = None) -> tuple[str, Problem | None]:
    """The text of a file, and a warning when its encoding had to be guessed.

    UTF-8 (BOM optional) and UTF-16 (by its BOM, or by the NUL bytes of ASCII text without one)
    are read as they are; anything else is read as Windows-1252, the usual encoding of old .bib
    files, with a warning naming the first byte UTF-8 could not read. `encoding`, if given, is used.
    """
    guessed = None
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InvalidRecord([Problem(source, "", f"unknown encoding {encoding!r}")]) from None
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise InvalidRecord(
                [
                    Problem(
                        source,
                        "",
                        f"not {encoding} text (byte 0x{data[error.start]:02x} at offset {error.start})",
                        line,
                    )
                ]
            ) from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decoded(data, "utf-16", source)
    elif _utf16_without_bom(data):
        text = _decoded(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", source)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            text = data.decode("cp1252", errors="replace")
            if re.search(_BINARY, text):
                raise InvalidRecord(
                    [
                        Problem(
                            source, "", f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})", line
                        )
                    ]
                ) from None
            guessed = Problem(
                source,
                "",
                f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}): read as "
                "Windows-1252; give --encoding if it is another",
                line,
                warning=True,
            )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InvalidRecord([Problem(source, "", "contains a NUL character: binary data, not a record", line)])
    return text.replace("\r\n", "\n"), guessed


# Control characters no text file holds (NUL apart, which is reported on its own); compiled
# where first used, as the patterns above.
_BINARY = "[\x01-\x08\x0e-\x1a\x1c-\x1f\ufffd]"


def _utf16_without_bom(data: bytes) -> bool:
    """Text in UTF-16 without a BOM, told by its start: in mostly Latin text, one byte of each pair is NUL."""
    start = data[:400]
    if len(start) < 4 or len(start) % 2:
        return False
    first, second = start[0::2], start[1::2]
    return (
        second.count(0) >= 0.7 * len(second)
        and first.count(0) == 0
        or first.count(0) >= 0.7 * len(first)
        and second.count(0) == 0
    )


def _decoded(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        raise InvalidRecord(
            [Problem(source, "", f"not {encoding.upper()} text (at offset {error.start})", line)]
        ) from None


# --- YAML -------------------------------------------------------------------


def _load_yaml(text: str, source: str) -> Iterator[Loaded]:
    # PyYAML only for YAML input: a CSL-JSON export starts some 10 ms sooner without it.
    import yaml

    from lutnick_cli import yaml_nodes

    loader = yaml_nodes.RecordLoader(text)
    found = False
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            found = True
            line = node.start_mark.line + 1
            positions = yaml_nodes.Positions()
            builder = yaml_nodes.NodeBuilder(loader, source, positions)
            try:
                data = builder.build(node, ())
            except InvalidRecord as error:
                # The document is composed whole before it is built, so the stream reads on.
                yield _bad(error, yaml_nodes.top_level_id(loader, node), source, line)
                continue
            yield _parsed(data, positions.locate, source, line)
    except yaml.YAMLError as error:
        raise yaml_nodes.syntax_problem(error, source) from None
    finally:
        loader.dispose()
    if not found:
        raise InvalidRecord([Problem(source, "", "no records in the file: it is empty or only comments", 1)])
