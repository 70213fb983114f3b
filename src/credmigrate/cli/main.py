"""The command line: a thin click layer over the core.

``main(argv) -> int`` lets tests call the CLI without a subprocess. The command modules
(``cli/scan.py``, ``cli/migrate.py``, ...) import heavy libraries lazily, inside the command, so that
``credmigrate scan`` (the pre-commit hook path) never imports boto3 or libcst.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from credmigrate import __version__
from credmigrate.cli import demo, env, migrate, rules, scan
from credmigrate.errors import CredmigrateError, ExitCode


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="credmigrate")
def cli() -> None:
    """Find hardcoded secrets, move them to AWS Secrets Manager, rewrite code to fetch them.

    Exit codes: 0 clean, 1 findings, 2 usage, 3 bad input or environment, 4 secret-store failure,
    5 verification failed after a migration, 130 interrupted.
    """


cli.add_command(scan.scan)
cli.add_command(rules.rules)
cli.add_command(migrate.migrate)
cli.add_command(demo.demo)
cli.add_command(env.env)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; the one error boundary of the program."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # The demo drives the CLI through this same boundary: it gets main as the context object.
        result = cli.main(args=args, prog_name="credmigrate", standalone_mode=False, obj=main)
    except CredmigrateError as exc:
        click.echo(f"credmigrate: error: {exc.message}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("credmigrate: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("credmigrate: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except click.UsageError as exc:
        # click >= 8.2 raises NoArgsIsHelpError for a bare group: its message is the help text.
        bare = type(exc).__name__ == "NoArgsIsHelpError"
        click.echo(
            exc.format_message() if bare else f"credmigrate: error: {exc.format_message()}",
            err=True,
        )
        return int(ExitCode.USAGE)
    except click.ClickException as exc:
        click.echo(f"credmigrate: error: {exc.format_message()}", err=True)
        return int(ExitCode.USAGE)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except BrokenPipeError:
        return int(ExitCode.CLEAN)
    except MemoryError:
        click.echo("credmigrate: error: out of memory", err=True)
        return int(ExitCode.BAD_INPUT)
    except OSError as exc:
        click.echo(
            f"credmigrate: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            err=True,
        )
        return int(ExitCode.BAD_INPUT)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("CREDMIGRATE_DEBUG"):
            raise
        # The exception's text is withheld: an unexpected error may quote the data it failed on,
        # and that data can be a secret. Where it happened is enough to report it.
        click.echo(
            f"credmigrate: internal error: {type(exc).__name__} at {_where(exc)} "
            "(set CREDMIGRATE_DEBUG=1 for the details, and please report it)",
            err=True,
        )
        return int(ExitCode.BAD_INPUT)
    if isinstance(result, int):
        return result
    return int(ExitCode.CLEAN)


def _where(exc: BaseException) -> str:
    """``module.py:line`` of the innermost frame of the traceback."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown location"
    return f"{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
