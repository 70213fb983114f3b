"""The git scan modes of ``credmigrate scan``: ``--history``, ``--since``, ``--staged``.

Kept out of :mod:`credmigrate.cli.scan` so that command stays a thin switch; each mode returns
the same :class:`~credmigrate.findings.model.ScanResult` the rest of ``scan`` (baseline, reports, exit
code) already handles.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from credmigrate.config import Config
from credmigrate.errors import UsageError
from credmigrate.findings.model import ScanResult


def run_git_mode(
    paths: Sequence[Path],
    config: Config,
    *,
    history: bool,
    branches: Sequence[str],
    since: str | None,
    staged: bool,
    jobs: int | None,
    progress: bool,
) -> ScanResult | None:
    """Run the selected git mode, or return None when none was asked for (a tree scan)."""
    history = history or bool(branches)
    if staged and (history or since):
        raise UsageError("--staged can't be combined with --history, --branch or --since")
    if staged:
        from credmigrate.sources.staged import scan_staged

        files = [str(p) for p in paths]
        return scan_staged(Path("."), config, files or None)
    if not history and not since:
        return None
    if len(paths) > 1:
        raise UsageError("--history and --since take one repository path")
    repo = paths[0] if paths else Path(".")
    if history:
        from credmigrate.sources.history import scan_history

        return scan_history(
            repo, config, refs=branches, since=since, jobs=jobs or 0, progress=progress
        )
    from credmigrate.sources.diff import scan_since

    assert since is not None
    return scan_since(repo, config, since, jobs=jobs or 0)
