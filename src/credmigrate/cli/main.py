"""The command line: a thin click layer over the core.

``main(argv) -> int`` lets tests call the CLI without a subprocess. The command modules
(``cli/scan.py``, ``cli/migrate.py``, ...) import heavy libraries lazily, inside the command, so that
``credmigrate scan`` (the pre-commit hook path) never imports boto3 or libcst.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from credmigrate import __version__
from credmigrate.cli import demo, env, migrate, rules, scan
from credmigrate.cli.boundary import exit_code_for
from credmigrate.errors import ExitCode


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
    except click.exceptions.Abort:
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
    except (Exception, KeyboardInterrupt) as exc:  # ours, OS errors, the last line of defence
        return exit_code_for(exc)
    if isinstance(result, int):
        return result
    return int(ExitCode.CLEAN)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
