"""``credmigrate scan``: the scanner's command line (also the pre-commit hook's path).

Only the options live here; :mod:`credmigrate.cli.scan_run` runs the scan (the hook's fast path,
:mod:`credmigrate.cli.fast`, calls it without click). Never pull in boto3 or libcst.
"""

from __future__ import annotations

from pathlib import Path

import click

from credmigrate.cli.scan_run import FORMATS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the report to FILE (replaced atomically; a device or pipe is written to; - is stdout).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Suppress findings accepted in this baseline (ours or detect-secrets').",
)
@click.option(
    "--update-baseline",
    type=click.Path(path_type=Path),
    help="Write every current finding to this baseline file and exit 0.",
)
@click.option("--show-secrets", is_flag=True, help="Print secret values (off by default).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Config file (default: .credmigrate.toml or pyproject's [tool.credmigrate]).",
)
@click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra rule file: ours, or a gitleaks/betterleaks TOML config. Repeatable.",
)
@click.option("--exclude", multiple=True, help="Gitignore-style pattern to skip. Repeatable.")
@click.option("--max-file-size", type=int, help="Skip files larger than this many bytes.")
@click.option(
    "--min-confidence",
    type=click.Choice(["low", "medium", "high"]),
    help="Report findings at or above this confidence (default: medium).",
)
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: cores).")
@click.option(
    "--color/--no-color", default=None, help="Colour the text report (default: on a TTY)."
)
@click.option("--history", is_flag=True, help="Scan every commit reachable from every ref.")
@click.option("--branch", "branches", multiple=True, help="With --history: only REF. Repeatable.")
@click.option("--since", metavar="REV", help="Only secrets added by the commits in REV..HEAD.")
@click.option(
    "--allow-config-changes",
    is_flag=True,
    help="With --since: use the reviewed commits' own config, baseline and rules (default: the "
    "base's; a change to them is reported and exits 1).",
)
@click.option("--staged", is_flag=True, help="Scan staged content; only added lines count.")
@click.option(
    "--no-progress", is_flag=True, help="No progress bar (shown only on a TTY, not in CI)."
)
@click.option(
    "--repos",
    "repos_file",
    type=click.Path(path_type=Path),
    help="Scan every repository listed in FILE (a path or git URL a line) into one report.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --repos: run on this dask cluster (default: $DASK_SCHEDULER_ADDRESS, else a "
    "local one).",
)
@click.option(
    "--workers",
    type=int,
    help="With --repos: local dask workers (default: cores); 0 scans in this process.",
)
@click.option(
    "--state",
    "state_dir",
    type=click.Path(path_type=Path),
    help="With --repos: record finished repositories in DIR; a rerun skips unchanged ones.",
)
def scan(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    baseline: Path | None,
    update_baseline: Path | None,
    show_secrets: bool,
    config_path: Path | None,
    rule_files: tuple[Path, ...],
    exclude: tuple[str, ...],
    max_file_size: int | None,
    min_confidence: str | None,
    jobs: int | None,
    color: bool | None,
    history: bool = False,
    branches: tuple[str, ...] = (),
    since: str | None = None,
    staged: bool = False,
    no_progress: bool = False,
    allow_config_changes: bool = False,
    repos_file: Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    state_dir: Path | None = None,
) -> int:
    """Scan files for hardcoded secrets (default: the current directory).

    Exit 0 when clean, 1 when there are findings (not in the baseline), 3 on bad input.
    """
    from credmigrate.cli.scan_run import run_scan

    return run_scan(
        paths,
        fmt=fmt,
        output=output,
        baseline=baseline,
        update_baseline=update_baseline,
        show_secrets=show_secrets,
        config_path=config_path,
        rule_files=rule_files,
        exclude=exclude,
        max_file_size=max_file_size,
        min_confidence=min_confidence,
        jobs=jobs,
        color=color,
        history=history,
        branches=branches,
        since=since,
        staged=staged,
        no_progress=no_progress,
        allow_config_changes=allow_config_changes,
        repos_file=repos_file,
        scheduler=scheduler,
        workers=workers,
        state_dir=state_dir,
        echo=click.echo,
    )
