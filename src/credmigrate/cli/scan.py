"""``credmigrate scan``: the scanner's command line (also the pre-commit hook's path).

Keep imports light: this module must never pull in boto3 or libcst.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from credmigrate.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from credmigrate.config import Config
    from credmigrate.findings.model import ScanResult
    from credmigrate.sources.trusted import GateInputs

FORMATS = ("text", "json", "sarif", "junit", "html")


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
    from credmigrate.config import load_config

    roots = list(paths) or [Path(".")]
    root_dir = roots[0] if roots[0].is_dir() else Path(".")
    gate = None
    org = repos_file is not None or bool(scheduler) or workers is not None or state_dir is not None
    if since and not staged and not org:  # the CI gate: its inputs come from the base (trusted.py)
        gate = _gate_inputs(paths, since, config_path, baseline, rule_files)
    if gate is not None and not allow_config_changes:
        config, baseline, rule_files = gate.config, gate.baseline, ()
    else:
        config = load_config(root_dir, config_path)
    changes: dict[str, object] = {}
    if rule_files:
        changes["extra_rules"] = config.extra_rules + tuple(str(p) for p in rule_files)
    if exclude:
        changes["exclude"] = config.exclude + exclude
    if max_file_size is not None:
        if max_file_size <= 0:
            raise UsageError("--max-file-size must be positive")
        changes["max_file_size"] = max_file_size
    if min_confidence:
        changes["min_confidence"] = min_confidence
    if changes:
        config = config.with_(**changes)
    if org:
        from functools import partial

        from credmigrate.cli.org import scan_repos

        report = partial(
            finish,
            config=config,
            root_dir=root_dir,
            fmt=fmt,
            output=output,
            baseline=baseline,
            update_baseline=update_baseline,
            show_secrets=show_secrets,
            color=color,
            source=f"repositories listed in {repos_file}",
        )
        return scan_repos(
            repos_file, paths, config, report,
            history=history, branches=branches, since=since, staged=staged, jobs=jobs,
            scheduler=scheduler, workers=workers, state_dir=state_dir,
            progress=not no_progress, need_values=show_secrets or update_baseline is not None,
        )  # fmt: skip

    from credmigrate.sources.modes import run_git_mode

    result = run_git_mode(
        paths,
        config,
        history=history,
        branches=branches,
        since=since,
        staged=staged,
        jobs=jobs,
        progress=not no_progress,
    )
    if result is None:
        from credmigrate.sources.worktree import scan_worktree

        result = scan_worktree(roots, config, jobs=jobs)
    if gate is not None:
        result = _with_gate(result, gate, allow_config_changes)
    code = finish(
        result,
        config,
        root_dir,
        fmt=fmt,
        output=output,
        baseline=baseline,
        update_baseline=update_baseline,
        show_secrets=show_secrets,
        color=color,
        source=_describe(roots, history=history or bool(branches), since=since, staged=staged),
    )
    if staged and code == ExitCode.FINDINGS:
        from credmigrate.sources.staged import HOOK_HINT

        click.echo(HOOK_HINT, err=True)
    return code


def _gate_inputs(
    paths: tuple[Path, ...],
    since: str,
    config_path: Path | None,
    baseline: Path | None,
    rule_files: tuple[Path, ...],
) -> GateInputs:
    import tempfile

    from credmigrate.sources.trusted import trusted_inputs

    repo = paths[0] if paths else Path(".")
    copies = click.get_current_context().with_resource(
        tempfile.TemporaryDirectory(prefix="credmigrate-gate-")
    )
    return trusted_inputs(
        repo,
        since,
        config_path=config_path,
        baseline=baseline,
        rule_files=rule_files,
        copies=Path(copies),
    )


def _with_gate(result: ScanResult, gate: GateInputs, allowed: bool) -> ScanResult:
    """The gate's notices join the findings (exit 1) unless the change was allowed."""
    from dataclasses import replace

    if allowed:
        notes = [f"--allow-config-changes: used the reviewed commits' {p}" for p in gate.changed]
        return replace(result, notes=(*result.notes, *notes))
    return replace(
        result,
        findings=(*result.findings, *gate.notices),
        notes=(*result.notes, *gate.notes),
    )


def finish(
    result: ScanResult,
    config: Config,
    root_dir: Path,
    *,
    fmt: str,
    output: Path | None,
    baseline: Path | None,
    update_baseline: Path | None,
    show_secrets: bool,
    color: bool | None,
    source: str = "",
) -> int:
    """Apply the baseline, render the report, choose the exit code (shared by every scan mode)."""
    from dataclasses import replace

    from credmigrate.detect.rules import assemble
    from credmigrate.findings.baseline import Baseline, write_baseline
    from credmigrate.report import render

    if update_baseline is not None:
        write_baseline(update_baseline, result.findings)
        click.echo(
            f"credmigrate: wrote {len(result.findings)} findings to {update_baseline}", err=True
        )
        return int(ExitCode.CLEAN)
    baseline_path = baseline
    if baseline_path is None and config.baseline:
        candidate = root_dir / config.baseline
        baseline_path = candidate if candidate.is_file() else None
    if baseline_path is not None:
        kept, suppressed = Baseline.load(baseline_path).filter(result.findings)
        result = replace(result, findings=tuple(kept), suppressed=result.suppressed + suppressed)
    use_color = (
        color
        if color is not None
        else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    )
    text = render(
        result,
        fmt,
        show_secrets=show_secrets,
        color=use_color,
        rules=assemble(Path(p) for p in config.extra_rules),
        source=source,
    )
    if output is not None:
        _write_output(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    for note in result.notes:
        click.echo(f"credmigrate: note: {note}", err=True)
    for err in result.errors:
        click.echo(f"credmigrate: error: {err}", err=True)
    if result.errors:
        return int(ExitCode.BAD_INPUT)
    return int(ExitCode.FINDINGS if result.findings else ExitCode.CLEAN)


def _describe(roots: list[Path], *, history: bool, since: str | None, staged: bool) -> str:
    """What a scan covered, in words, for the HTML report's heading."""
    where = ", ".join(p.resolve().name or str(p) for p in roots)
    if staged:
        return "staged changes"
    if history:
        return f"git history of {where}" + (f" since {since}" if since else "")
    if since:
        return f"commits since {since} in {where}"
    return f"working tree of {where}"


def _write_output(path: Path, text: str) -> None:
    from credmigrate import atomic

    atomic.write_output(path, text, what="report")
