"""What the commands share: the RECORD arguments, loading them, and whether to use colour."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click
from click.utils import format_filename

from lutnick_cli.formats import INPUT_FORMATS
from lutnick_cli.sizes import MAX_INPUT_SIZE

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from lutnick_cli.errors import Problem

F = TypeVar("F", bound=Callable[..., object])


class ByteSize(click.ParamType):
    """A size in bytes, written 1048576, 512K, 10M or 1G (binary units: 1K is 1024 bytes)."""

    name = "size"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, int):
            return value
        from lutnick_cli.sizes import parse_size

        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class Path(click.ParamType):
    """A path, checked as `click.Path(file_okay=files, dir_okay=folders, allow_dash=dash)` checks it.

    One that exists must be readable and of a kind allowed, with click's
    messages; "-" (standard input or output) passes where dash allows it;
    the shell completes it as a file, or as a folder where files are not
    allowed. click.Path itself looks its name up through gettext as it is
    made, in every start (see `cli.Command`).
    """

    def __init__(self, *, files: bool = True, folders: bool = True, dash: bool = False) -> None:
        self.files = files
        self.folders = folders
        self.dash = dash
        self.name = "path" if files and folders else "file" if files else "directory"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if self.dash and self.files and value == "-":
            return value
        try:
            mode = os.stat(value).st_mode
        except OSError:
            return value
        if not self.files and stat.S_ISREG(mode):
            self._refuse(value, "is a file", param, ctx)
        if not self.folders and stat.S_ISDIR(mode):
            self._refuse(value, "is a directory", param, ctx)
        if not os.access(value, os.R_OK):
            self._refuse(value, "is not readable", param, ctx)
        return value

    def _refuse(self, value: str, why: str, param: click.Parameter | None, ctx: click.Context | None) -> NoReturn:
        self.fail(f"{self.name.title()} {format_filename(value)!r} {why}.", param, ctx)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="file" if self.files else "dir")]


def _keep_max_input_size(ctx: click.Context, param: click.Parameter, value: int) -> None:
    ctx.meta["max_input_size"] = value


def records_argument(function: F) -> F:
    """RECORD… arguments (files, folders, - for stdin), --from, --fail-fast, --strict and --max-input-size."""
    function = click.option(
        "--max-input-size",
        type=ByteSize(),
        # The default as a number, not as the text "1G", which every command would parse as it starts;
        # the help says it as click says a default.
        default=MAX_INPUT_SIZE,
        expose_value=False,
        callback=_keep_max_input_size,
        help="Refuse any input file, or standard input, larger than SIZE (such as 10M or 2G): "
        "a mistaken argument fails at once instead of filling memory.  [default: 1G]",
    )(function)
    function = click.option(
        "--fail-fast",
        is_flag=True,
        help="Stop at the first record with an error (by default each is reported and the rest processed).",
    )(function)
    function = click.option(
        "--strict",
        is_flag=True,
        help="Treat warnings (data that was read but looks wrong) as errors: "
        "such a record is refused, and the exit status is 1.",
    )(function)
    function = click.option(
        "--encoding",
        metavar="NAME",
        expose_value=False,
        callback=_remember_encoding,
        help="Encoding of the input files (utf-8, cp1252, latin-1, …), when the guess is wrong. By default UTF-8 "
        "and UTF-16 are recognised, and other text is read as Windows-1252 with a warning.",
    )(function)
    function = click.option(
        "--from",
        "input_format",
        type=click.Choice(INPUT_FORMATS),
        help="Input format, when the file extension does not tell (.yaml/.yml, .json/.jsonl, .bib, .ris).",
    )(function)
    return click.argument("records", nargs=-1, type=Path(dash=True))(function)


def _remember_encoding(context: click.Context, _parameter: click.Parameter, value: str | None) -> None:
    # Every command that reads records takes --encoding; it is kept for `open_batch` rather than
    # passed through each command's own arguments.
    if value is not None:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            raise click.BadParameter(f"{value!r} is not an encoding Python knows") from None
    context.meta["lutnick.encoding"] = value


def encoding() -> str | None:
    """The --encoding given to the command being run, if any."""
    context = click.get_current_context(silent=True)
    return context.meta.get("lutnick.encoding") if context is not None else None


def jobs_option(function: F) -> F:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        help="Processes to use (default: every core for a large batch, one for a small one). "
        "The output is the same whatever the number.",
    )(function)


def open_batch(  # type: ignore[no-untyped-def]
    records: Sequence[str],
    input_format: str | None,
    fail_fast: bool,
    strict: bool,
    keys: bool = False,
    collect: list[Problem] | None = None,
):
    """The records of the arguments as a Batch: bad ones reported on stderr (or into `collect`), the rest processed."""
    from lutnick_cli.batch import Batch

    return Batch(
        records,
        input_format,
        fail_fast=fail_fast,
        strict=strict,
        keys=keys,
        stdin=sys.stdin.buffer,
        err=sys.stderr,
        collect=collect,
        max_input_size=click.get_current_context().meta["max_input_size"],
        encoding=encoding(),
    )


def make_folder(folder: str) -> None:
    """Make an output folder if it is missing; a refusal is the user's environment, with its own exit status."""
    from lutnick_cli.errors import CannotWrite

    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise CannotWrite(f"{folder}: cannot make the folder: {error.strerror or error}", error) from None
