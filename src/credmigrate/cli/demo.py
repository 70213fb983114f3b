"""``credmigrate demo``: the whole story on the built-in example, with no AWS account."""

from __future__ import annotations

from pathlib import Path

import click

from credmigrate.errors import ExitCode


@click.command()
@click.option(
    "--keep",
    type=click.Path(path_type=Path, file_okay=False),
    help="Build the example repository here and keep it afterwards.",
)
def demo(keep: Path | None) -> int:
    """Scan the example app (tree and history), migrate it into a local Secrets Manager
    stand-in on 127.0.0.1, run the migrated app, and print the report."""
    from credmigrate.cli.example import run_demo

    # main() passes itself as the root context's object, so the demo runs each step through the
    # same error boundary as a user's command line without importing it (no import circle).
    run_cli = click.get_current_context().find_root().obj
    result = run_demo(run_cli, click.echo, keep)
    if result.migrate_exit != 0:
        return result.migrate_exit
    click.echo("credmigrate demo: done: scanned, migrated, rewritten and verified.")
    return int(ExitCode.CLEAN)
