"""``credmigrate scan --repos FILE``: the option checks and the glue; the work is in
:mod:`credmigrate.sources.org_run`."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from credmigrate.config import Config
from credmigrate.errors import ExitCode, UsageError
from credmigrate.findings.model import ScanResult


def scan_repos(
    repos_file: Path | None,
    paths: Sequence[Path],
    config: Config,
    report: Callable[[ScanResult], int],
    *,
    history: bool,
    branches: Sequence[str],
    since: str | None,
    staged: bool,
    jobs: int | None,
    scheduler: str | None,
    workers: int | None,
    state_dir: Path | None,
    progress: bool,
    need_values: bool,
) -> int:
    """Scan every repository of ``repos_file``, render one report, return the exit code."""
    if repos_file is None:
        raise UsageError("--scheduler, --workers and --state go with --repos FILE")
    if paths:
        raise UsageError("--repos takes its repositories from the file, not PATHS")
    if staged:
        raise UsageError("--staged can't be combined with --repos")
    if workers is not None and workers < 0:
        raise UsageError("--workers must be 0 or more")
    if scheduler and workers is not None:
        raise UsageError("--workers sizes a local cluster: it can't go with --scheduler")
    if jobs is not None and jobs <= 0:
        raise UsageError("--jobs must be positive")
    if workers is None and not scheduler:
        scheduler = os.environ.get("DASK_SCHEDULER_ADDRESS") or None

    from credmigrate.sources.org import LineProgress, OrgOptions, read_repo_list
    from credmigrate.sources.org_run import run_org

    specs, notes = read_repo_list(repos_file)
    # Rule files are read by the workers: give them absolute paths.
    rules = tuple(str(Path(p).resolve()) for p in config.extra_rules)
    options = OrgOptions(
        config.with_(extra_rules=rules),
        history=history or bool(branches),
        branches=tuple(branches),
        since=since,
        jobs=jobs if jobs is not None else 0,
        track_revisions=state_dir is not None,
    )
    run = run_org(
        specs,
        options,
        LineProgress(progress),
        lambda text: click.echo(f"credmigrate: {text}", err=True),
        scheduler=scheduler,
        workers=workers,
        state_dir=state_dir,
        resume=not need_values,
        sequential=workers == 0,
    )
    run.notes[:0] = notes
    code = report(run.result())
    if run.interrupted:
        click.echo("credmigrate: interrupted: the report holds the repositories that finished",
                   err=True)  # fmt: skip
        return int(ExitCode.INTERRUPTED)
    return code
