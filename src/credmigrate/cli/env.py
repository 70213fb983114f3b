"""``credmigrate env``: print the migrated values as shell ``export`` lines."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False, exists=True), default=".")
@click.option("--region", help="AWS region (default: the standard AWS configuration).")
@click.option("--profile", help="AWS profile.")
@click.option(
    "--endpoint-url",
    help="Secrets Manager endpoint (default: AWS_ENDPOINT_URL_SECRETS_MANAGER or AWS).",
)
@click.option("--secret", "only", multiple=True, help="Only this secret name. Repeatable.")
def env(
    path: Path,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
    only: tuple[str, ...],
) -> None:
    """Print `export VAR=value` for each value migrated from PATH (for compose, .env, shell).

    Use as `eval "$(credmigrate env)"` before `docker compose up` or a script that reads the
    environment. Values are printed: never redirect this into a file in git.
    """
    from credmigrate.migrate.env import export_lines
    from credmigrate.store.secrets_manager import SecretStore, StoreSettings

    store = SecretStore(StoreSettings(region=region, profile=profile, endpoint_url=endpoint_url))
    for line in export_lines(path.resolve(), store, only):
        click.echo(line)
