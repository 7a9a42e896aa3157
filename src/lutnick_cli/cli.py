"""The `lutnick` command line: parse options, call the library, print, map errors to exit statuses.

Heavy modules (the citation engine, rich) are imported inside the commands
that use them, so each command pays only for what it needs.
"""

from __future__ import annotations

import importlib
import sys

import click

from lutnick_cli import __version__
from lutnick_cli.errors import ExitStatus, InvalidRecord, LutnickError

EXIT_STATUSES = """\b
Exit statuses:
  0  success
  1  invalid data: a record, style or output file problem (each reported on stderr)
  2  usage error: an unknown option, command, style or locale
 70  internal error: a bug in lutnick (rerun with --debug for the traceback)"""


# Command name → module in lutnick_cli.commands and function; a module is
# imported only when its command runs, which keeps start-up short.
COMMANDS = {
    "cite": ("cite", "cite"),
    "export": ("export", "export"),
    "get": ("get", "get"),
    "import": ("import_", "import_"),
    "schema": ("styles", "schema"),
    "show": ("show", "show"),
    "styles": ("styles", "styles"),
    "validate": ("validate", "validate"),
}


class _Group(click.Group):
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
            return super().invoke(ctx)
        except InvalidRecord as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            ctx.exit(error.exit_status)
        except LutnickError as error:
            click.echo(f"lutnick: {error}", err=True)
            ctx.exit(error.exit_status)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`lutnick cite | head -1`): not an error of ours.
            sys.stderr.close()
            ctx.exit(ExitStatus.OK)
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"lutnick: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)", err=True)
            ctx.exit(ExitStatus.INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_STATUSES)
@click.version_option(__version__, "--version", "-V", prog_name="lutnick")
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
    cli.main(prog_name="lutnick")

