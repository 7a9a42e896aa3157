"""The `lutnick` command line: parse options, call the library, print, map errors to exit statuses.

Heavy modules (the citation engine, rich) are imported inside the commands
that use them, so each command pays only for what it needs.
"""

from __future__ import annotations

import gc

# The collector is off while the command line's modules import, and what they made is then frozen
# (kept where no collection looks; see the end of the imports below): modules live until the process
# ends, and the collection the imports set off in every start found nothing to free.
_COLLECTING = gc.isenabled()
gc.disable()

# The signal module's C core: `signal` itself, which wraps these functions to turn numbers into enums,
# makes an IntEnum of every signal, handler and mask as it is imported, 4.6M instructions of a cold
# `lutnick cite` (1.4%), for nothing the command line needs. It is imported only to name a signal.
import _signal  # type: ignore[import-not-found]
import errno
import importlib
import io
import os
import sys

import click

from lutnick_cli import __version__
from lutnick_cli.errors import ExitStatus, InvalidRecord, LutnickError, write_failure_status

gc.freeze()
if _COLLECTING:
    gc.enable()
# From here on the collector looks at the youngest objects every 20,000 allocations, not every 700: a
# command's own modules (the engine's for `cite`) and a style's plans live until the command ends, and
# every collection walked them again, to free nothing. A cold `lutnick cite` makes some 13,000 such
# objects after the freeze above, so with this and the freeze none of its 6.6M instructions (2%) go to
# collections; a batch still collects its garbage, in larger rounds.
gc.set_threshold(20_000, 10, 10)

EXIT_STATUSES = """\b
Exit statuses:
  0  success
  1  invalid data: a record, style or input problem, or an output file that
     exists (each reported on stderr)
  2  usage error: an unknown option, command, style or locale
 70  internal error: a bug in lutnick (rerun with --debug for the traceback)
 73  an output file or folder cannot be made (read-only, forbidden, missing)
 74  writing failed: a full disk, a closed standard output
129  hung up (SIGHUP); 130 interrupted (Ctrl-C); 143 terminated (SIGTERM):
     no temporary file is left behind
141  the reader of standard output went away (`| head -1`): nothing is printed"""


# Command name → module in lutnick_cli.commands and function; a module is
# imported only when its command runs, which keeps start-up short.
COMMANDS = {
    "check": ("check", "check"),
    "cite": ("cite", "cite"),
    "export": ("export", "export"),
    "get": ("get", "get"),
    "import": ("import_", "import_"),
    "schema": ("styles", "schema"),
    "show": ("show", "show"),
    "styles": ("styles", "styles"),
    "validate": ("validate", "validate"),
}


def _print_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class Command(click.Command):
    """A command whose -h/--help option is lutnick's own.

    click makes each command's help option when the command first parses, and
    looks its text up through gettext then: a cold `lutnick cite` made two,
    and lutnick's only lookups of click's texts left were these (see
    `_print_version` and `commands.common.Path`). The first lookup
    imports the locale module to search for translation files in every
    language of the locale, and each searches again: 5M instructions of a
    cold `lutnick cite` (1.6%), for texts lutnick never translates.
    """

    _own_help_option: click.Option | None = None

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._own_help_option is None:
            self._own_help_option = click.Option(
                names,
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_print_help,
                help="Show this message and exit.",
            )
        return self._own_help_option


class _Group(Command, click.Group):
    """Loads commands on demand; turns library errors into messages on stderr and documented exit statuses."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, function = COMMANDS[name]
        return getattr(importlib.import_module(f"lutnick_cli.commands.{module}"), function)

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            try:
                return super().invoke(ctx)
            finally:
                # What is still buffered is written here, where a failure can be reported.
                sys.stdout.flush()
        except InvalidRecord as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            ctx.exit(error.exit_status)
        except LutnickError as error:
            click.echo(f"lutnick: {error}", err=True)
            ctx.exit(error.exit_status)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            ctx.exit(ExitStatus.INTERRUPTED)
        except Stopped as stop:
            ctx.exit(128 + stop.signal_number)
        except BrokenPipeError:
            # The reader went away (`lutnick cite | head -1`): silent, as other Unix tools are.
            _discard_standard_output()
            ctx.exit(ExitStatus.BROKEN_PIPE)
        except OSError as error:
            # Standard output refused a write (a full disk, a closed descriptor): the user's
            # environment. Files are written through output.py, which reports its own failures,
            # so any other system error reaching here is a bug of ours.
            if error.filename is not None or write_failure_status(error) != ExitStatus.IO_ERROR:
                _internal_error(ctx, error)
            if ctx.params.get("debug"):
                raise
            _discard_standard_output()
            click.echo(f"lutnick: cannot write to standard output: {error.strerror or error}", err=True)
            ctx.exit(ExitStatus.IO_ERROR)
        except Exception as error:
            _internal_error(ctx, error)


def _internal_error(ctx: click.Context, error: Exception) -> None:
    if ctx.params.get("debug"):
        raise error
    click.echo(
        f"lutnick: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)", err=True
    )
    ctx.exit(ExitStatus.INTERNAL)


def _discard_standard_output() -> None:
    """After standard output failed, what is still buffered for it goes to /dev/null.

    Python flushes standard output once more at exit, and would report the
    same failure again, as "Exception ignored".
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass  # not a descriptor (the stand-in for a closed standard output), which drops what follows itself


class _ClosedOutput(io.RawIOBase):
    """Standard output when it was closed before lutnick started (`lutnick cite >&-`).

    Python leaves sys.stdout None then, and output would vanish in silence:
    instead, the first write fails as it would on a closed descriptor, and
    what follows the reported failure goes nowhere.
    """

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.failed:
            return len(data)
        self.failed = True
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


class Stopped(BaseException):
    """SIGTERM or SIGHUP, raised wherever lutnick is, as Ctrl-C raises KeyboardInterrupt.

    Unwinding runs every cleanup on the way out (a temporary output file is
    removed, workers are ended); the exit status is then 128 + the signal.
    """

    def __init__(self, signal_number: int):
        import signal

        super().__init__(signal.Signals(signal_number).name)
        self.signal_number = signal_number


def _stop(signal_number: int, frame: object) -> None:
    # A second signal would interrupt the cleanup the first one started.
    for number in (_signal.SIGTERM, _signal.SIGHUP, _signal.SIGINT):
        _signal.signal(number, _signal.SIG_IGN)
    raise Stopped(signal_number)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # lutnick's own --version rather than click.version_option, which looks its two texts up through
    # gettext as it is declared, in every start (see Command).
    if value and not ctx.resilient_parsing:
        click.echo(f"lutnick, version {__version__}", color=ctx.color)
        ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_STATUSES)
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def cli(debug: bool) -> None:
    """Cite and export scholarly records.

    With no RECORD, every command uses the embedded record: Lutnick (2019),
    Anti-Trafficking Review 12. A RECORD is a YAML record, a CSL-JSON file, a
    folder of them, or - for standard input.

    \b
    Examples:
      lutnick cite                      APA reference entry
      lutnick cite --in-text            (Lutnick, 2019)
      lutnick cite --style ieee refs.json
      lutnick export --to bibtex -o article.bib
      lutnick get doi records/
      lutnick import refs.json --to-dir records/
    """


def main() -> None:
    """The `lutnick` program: runs one command, then ends the process (always through SystemExit)."""
    for number in (_signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(number, _stop)
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
    try:
        cli.main(prog_name="lutnick")
    except Stopped as stop:  # before or after a command runs
        sys.exit(128 + stop.signal_number)
    finally:
        # The process ends here. Python's exit still runs every cleanup (atexit functions, flushing
        # standard output and reporting a failure to, joining threads), but the garbage collections
        # it makes while tearing the modules down walk every object the imports made: a tenth of a
        # cold `lutnick cite`'s CPU time, to free memory the ending process gives back anyway.
        # lutnick leaves nothing to those collections: files are closed and workers ended where
        # they are used.
        gc.freeze()
