"""``scan --since REV``: the CI gate. Only secrets that the commits in ``REV..HEAD`` add.

Every commit of the range is read (one streamed ``git log --raw``), so a secret added in one
commit of a pull request and deleted in the next is still caught: it would be in the history
once merged. A finding is new when its value (under the same rule) was in neither the file's
previous version at that commit nor the file at the merge base: a moved line, an edit around an
old secret, or main merged into the branch does not trip the gate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.errors import GitError
from credmigrate.findings.model import Commit, Finding, Location, ScanResult, Skipped, Status
from credmigrate.sources.blobscan import (
    BatchResult,
    BlobJob,
    BlobScanner,
    DetectorFactory,
    excluder,
)
from credmigrate.sources.git.parse import GITLINK_MODE, NULL_SHA, CommitHeader, RawChange
from credmigrate.sources.git.repo import GitRepo, open_repo

Key = tuple[str, str]  # (rule id, secret value)


def _changes(
    repo: GitRepo, head: str, base: str, config: Config, errors: list[str]
) -> tuple[list[tuple[str, str, str]], list[tuple[int, RawChange]], set[str]]:
    commits: list[tuple[str, str, str]] = []
    changes: list[tuple[int, RawChange]] = []
    submodules: set[str] = set()
    excluded = excluder(config.exclude)
    for item in repo.iter_log([head, "^" + base], errors, renames=True):
        if isinstance(item, CommitHeader):
            commits.append((item.sha, item.author, item.date))
        elif item.new_mode == GITLINK_MODE:
            submodules.add(item.path)
        elif item.adds_content and commits and not excluded(item.path):
            changes.append((len(commits) - 1, item))
    return commits, changes, submodules


def _scan(
    repo: GitRepo, config: Config, jobs: Sequence[BlobJob], n_jobs: int, factory: DetectorFactory
) -> tuple[dict[tuple[str, str], list[Finding]], BatchResult]:
    scanner = BlobScanner(repo, config, n_jobs if len(jobs) > 2000 else 1, factory)
    try:
        seen: set[tuple[str, str]] = set()
        for job in jobs:
            if (job.sha, job.path) not in seen:
                seen.add((job.sha, job.path))
                scanner.add(job)
        result = scanner.finish()
    finally:
        scanner.close()
    return {(j.sha, j.path): fs for j, fs in result.findings}, result


def scan_since(
    repo_path: Path,
    config: Config,
    base: str,
    *,
    jobs: int = 0,
    detector_factory: DetectorFactory = Detector.default,
) -> ScanResult:
    """Findings whose secrets are added by the commits in ``base..HEAD``."""
    repo = open_repo(repo_path)
    head = repo.info.head
    if head is None:
        raise GitError("HEAD has no commits: nothing to compare with --since")
    try:
        base_sha = repo.resolve(base)
    except GitError:
        hint = " (in CI, fetch it: `git fetch origin main` or a checkout with fetch-depth: 0)"
        raise GitError(f"unknown revision for --since: {base}{hint}") from None
    notes: list[str] = []
    errors: list[str] = []
    commits, changes, submodules = _changes(repo, head, base_sha, config, errors)
    merge_base = repo.merge_base(base_sha, head)
    if merge_base is None:
        notes.append(f"{base} and HEAD share no history: every commit of HEAD was scanned")
    if repo.info.shallow:
        notes.append("history truncated: shallow clone; commits before the cut were not compared")
    touched = {c.path for _, c in changes}
    base_tree = _tree(repo, merge_base, touched)
    head_tree = _tree(repo, head, touched)
    wanted = [BlobJob(c.new_blob, c.path) for _, c in changes]
    wanted += [BlobJob(c.old_blob, c.path) for _, c in changes if c.old_blob != NULL_SHA]
    wanted += [BlobJob(sha, p) for p, sha in base_tree.items()]
    wanted += [BlobJob(sha, p) for p, sha in head_tree.items()]
    found, result = _scan(repo, config, wanted, jobs, detector_factory)

    def keys(sha: str | None, path: str) -> set[Key]:
        return {(f.rule_id, f.secret) for f in found.get((sha or "", path), ())}

    live = {k for p, sha in head_tree.items() for k in keys(sha, p)}
    groups: dict[str, list[tuple[int, Finding]]] = defaultdict(list)
    for cidx, c in changes:
        before = keys(c.old_blob, c.path) | keys(base_tree.get(c.path), c.path)
        for f in found.get((c.new_blob, c.path), ()):
            if (f.rule_id, f.secret) not in before:
                groups[f.fingerprint].append((cidx, f))
    findings = []
    for occ in groups.values():
        occ.sort(key=lambda o: (o[0], o[1].line))
        cidx, f = occ[0]
        sha, author, date = commits[cidx]
        others = tuple(Location(g.path, commits[c][0], g.line) for c, g in occ[1:])
        status = Status.LIVE if (f.rule_id, f.secret) in live else Status.HISTORY_ONLY
        commit = Commit(sha, author, date)
        findings.append(f._replace(commit=commit, status=status, other_locations=others))
    findings.sort(key=Finding.sort_key)
    if submodules:
        notes.append(f"submodules skipped: {', '.join(sorted(submodules))}")
    notes.append(f"since {base}: {len(commits)} commits, {len(touched)} files changed")
    errors += [f"object {j.sha[:12]} ({j.path}): {e}" for j, e in result.errors]
    skipped = sorted({Skipped(j.path, r) for j, r in result.skipped}, key=lambda s: s.path)
    return result.to_scan_result(findings, skipped, notes, errors)


def _tree(repo: GitRepo, rev: str | None, paths: set[str]) -> dict[str, str]:
    if rev is None or not paths:
        return {}
    return {p: sha for mode, sha, p in repo.ls_tree(rev) if p in paths and mode != GITLINK_MODE}
