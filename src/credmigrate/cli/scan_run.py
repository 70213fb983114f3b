"""``credmigrate scan`` without its option parsing: config, scan mode, baseline, report, exit code.

Both the click command (:mod:`credmigrate.cli.scan`) and the pre-commit hook's fast path
(:mod:`credmigrate.cli.fast`, no click) call :func:`run_scan`. It imports nothing at module level
but the standard library's lightest parts: every stage is imported when the scan needs it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credmigrate.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from credmigrate.config import Config
    from credmigrate.detect.rules import Rule
    from credmigrate.findings.model import ScanResult
    from credmigrate.sources.trusted import GateInputs

FORMATS = ("text", "json", "sarif", "junit", "html")

Echo = Callable[..., Any]  # click.echo's signature: (message, *, nl=True, err=False)


def plain_echo(message: str, nl: bool = True, err: bool = False) -> None:
    """``click.echo`` for the fast path (no ANSI stripping needed: colour is only on for a TTY)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(message + "\n" if nl else message)
    stream.flush()


def run_scan(
    paths: Sequence[Path],
    *,
    fmt: str = "text",
    output: Path | None = None,
    baseline: Path | None = None,
    update_baseline: Path | None = None,
    show_secrets: bool = False,
    config_path: Path | None = None,
    rule_files: Sequence[Path] = (),
    exclude: tuple[str, ...] = (),
    max_file_size: int | None = None,
    min_confidence: str | None = None,
    jobs: int | None = None,
    color: bool | None = None,
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
    echo: Echo = plain_echo,
) -> int:
    """Run one scan as ``credmigrate scan`` does and return its exit code."""
    paths = tuple(paths)
    rule_files = tuple(rule_files)
    with contextlib.ExitStack() as cleanup:
        from credmigrate.config import load_config

        roots = list(paths) or [Path(".")]
        root_dir = roots[0] if roots[0].is_dir() else Path(".")
        gate = None
        org = (
            repos_file is not None
            or bool(scheduler)
            or workers is not None
            or state_dir is not None
        )
        if (
            since and not staged and not org
        ):  # the CI gate: its inputs come from the base (trusted.py)
            gate = _gate_inputs(paths, since, config_path, baseline, rule_files, cleanup)
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
            echo=echo,
        )
        if org:
            from credmigrate.cli.org import scan_repos

            listed = partial(report, source=f"repositories listed in {repos_file}")
            return scan_repos(
                repos_file, paths, config, listed,
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
        code = report(
            result,
            source=_describe(roots, history=history or bool(branches), since=since, staged=staged),
        )
        if staged and code == ExitCode.FINDINGS:
            from credmigrate.sources.staged import HOOK_HINT

            echo(HOOK_HINT, err=True)
        return code


def _gate_inputs(
    paths: tuple[Path, ...],
    since: str,
    config_path: Path | None,
    baseline: Path | None,
    rule_files: tuple[Path, ...],
    cleanup: contextlib.ExitStack,
) -> GateInputs:
    import tempfile

    from credmigrate.sources.trusted import trusted_inputs

    repo = paths[0] if paths else Path(".")
    copies = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="credmigrate-gate-"))
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

    if allowed:
        notes = [f"--allow-config-changes: used the reviewed commits' {p}" for p in gate.changed]
        return result._replace(notes=(*result.notes, *notes))
    return result._replace(
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
    echo: Echo = plain_echo,
) -> int:
    """Apply the baseline, render the report, choose the exit code (shared by every scan mode)."""
    from credmigrate.report import render

    if update_baseline is not None:
        from credmigrate.findings.baseline import write_baseline

        write_baseline(update_baseline, result.findings)
        echo(f"credmigrate: wrote {len(result.findings)} findings to {update_baseline}", err=True)
        return int(ExitCode.CLEAN)
    baseline_path = baseline
    if baseline_path is None and config.baseline:
        candidate = root_dir / config.baseline
        baseline_path = candidate if candidate.is_file() else None
    if baseline_path is not None:
        from credmigrate.findings.baseline import Baseline

        kept, suppressed = Baseline.load(baseline_path).filter(result.findings)
        result = result._replace(findings=tuple(kept), suppressed=result.suppressed + suppressed)
    use_color = (
        color
        if color is not None
        else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    )
    rules: tuple[Rule, ...] = ()
    if fmt in ("sarif", "html"):  # they describe the rules; the others need not load them again
        from credmigrate.detect.rules import assemble

        rules = assemble(Path(p) for p in config.extra_rules)
    text = render(
        result, fmt, show_secrets=show_secrets, color=use_color, rules=rules, source=source
    )
    if output is not None:
        _write_output(output, text)
    else:
        echo(text, nl=not text.endswith("\n"))
    for note in result.notes:
        echo(f"credmigrate: note: {note}", err=True)
    for err in result.errors:
        echo(f"credmigrate: error: {err}", err=True)
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
