"""``scan --staged`` and the pre-commit hook: what is about to be committed.

Reads the index, not the working tree, so an unstaged edit can neither hide nor add a finding.
Each staged file is scanned whole (so Python bindings and multi-line keys are seen in context),
and a finding counts only when it sits on a line the commit adds. Files named explicitly that
have no staged change (``pre-commit run --all-files``) are scanned whole from the index.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from credmigrate.config import Config
from credmigrate.detect.detector import Detector, in_ranges
from credmigrate.errors import GitError
from credmigrate.findings.model import Finding, ScanResult, Skipped
from credmigrate.sources.blobscan import BlobJob, DetectorFactory, excluder, scan_blobs
from credmigrate.sources.git.parse import GITLINK_MODE
from credmigrate.sources.git.repo import open_repo

WHOLE_FILE = [(1, 1 << 62)]

HOOK_HINT = """\
credmigrate: the commit was blocked: it adds the secrets listed above.
  - move them out of the code: `credmigrate migrate` (uploads to AWS Secrets Manager and rewrites
    the code to fetch them), then stage the result;
  - a false positive? add `credmigrate:allow` in a comment on that line, or accept it in the
    baseline: `credmigrate scan --update-baseline .credmigrate-baseline.json` and commit that file."""


def _relative(paths: Sequence[str], top: Path) -> tuple[list[str], list[str]]:
    inside: list[str] = []
    outside: list[str] = []
    for p in paths:
        absolute = os.path.abspath(p)
        rel = os.path.relpath(absolute, top)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            outside.append(p)
        else:
            inside.append(Path(rel).as_posix())
    return inside, outside


def scan_staged(
    repo_path: Path,
    config: Config,
    paths: Sequence[str] | None = None,
    *,
    detector_factory: DetectorFactory = Detector.default,
) -> ScanResult:
    """Scan the staged content of ``paths`` (default: every staged file); added lines only."""
    repo = open_repo(repo_path, thorough=False, prefetch_staged=True)
    top = repo.work_tree
    if top is None:
        raise GitError(f"--staged needs a work tree; {repo_path} is a bare repository")
    notes: list[str] = []
    wanted: list[str] | None = None
    if paths:
        wanted, outside = _relative(paths, top)
        if outside:
            notes.append(f"not in the repository, not scanned: {', '.join(outside[:5])}")
        if not wanted:
            return ScanResult((), notes=tuple(notes))
    excluded = excluder(config.exclude)
    added: dict[str, list[tuple[int, int]]] = {}
    jobs: list[BlobJob] = []
    submodules: list[str] = []
    changed: set[str] = set()
    wanted_set = set(wanted) if wanted is not None else None
    # the whole index diff, filtered here: a pathspec would hide a rename's source, and the
    # renamed file would then look entirely new
    for change, ranges in repo.staged_changes(None):
        if wanted_set is not None and change.path not in wanted_set:
            continue
        changed.add(change.path)
        if change.new_mode == GITLINK_MODE:
            submodules.append(change.path)
            continue
        if not change.adds_content or not ranges:
            continue
        if excluded(change.path):
            continue
        added[change.path] = ranges
        jobs.append(BlobJob(change.new_blob, change.path, only=ranges))
    if wanted:
        rest = [p for p in wanted if p not in changed]
        for path, sha in repo.index_blobs(rest).items():
            if excluded(path):
                continue
            added[path] = WHOLE_FILE
            jobs.append(BlobJob(sha, path))
    if submodules:
        notes.append(f"submodules skipped: {', '.join(submodules)}")
    result = scan_blobs(repo, config, jobs, detector_factory)
    findings: list[Finding] = []
    for job, found in result.findings:
        ranges = added.get(job.path, WHOLE_FILE)
        findings.extend(f for f in found if in_ranges(f.span.line, f.span.end_line, ranges))
    findings.sort(key=Finding.sort_key)
    skipped = [Skipped(job.path, reason) for job, reason in result.skipped]
    errors = [f"{job.path}: staged object {job.sha[:12]} {err}" for job, err in result.errors]
    return ScanResult(
        findings=tuple(findings),
        skipped=tuple(skipped),
        files_scanned=result.blobs - len(skipped) - len(errors),
        bytes_scanned=result.nbytes,
        notes=tuple(notes),
        errors=tuple(errors),
    )
