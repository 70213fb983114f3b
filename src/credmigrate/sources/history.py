"""``scan --history``: every blob of every commit reachable from the refs, each scanned once.

One streamed ``git log --raw`` (parents first, merges against their first parent) lists where
each blob appears; each new blob is queued for scanning as soon as it is seen, so the walk and the
scanning overlap. Findings are then mapped back to every (commit, path) that carried them:
grouped by fingerprint (rule, path, value: the same key as the working-tree scan), reported at the
earliest commit, with the other places as ``other_locations``, ``live`` when the value is still in
HEAD's tree and ``history-only`` otherwise. The stash and unreachable objects are not scanned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.findings.fingerprint import fingerprint
from credmigrate.findings.model import Commit, Finding, Location, ScanResult, Skipped, Status
from credmigrate.sources.blobscan import (
    BatchResult,
    BlobJob,
    BlobScanner,
    DetectorFactory,
    excluder,
)
from credmigrate.sources.git.parse import COMMIT, GITLINK_MODE, SUBMODULE
from credmigrate.sources.git.repo import GitRepo, open_repo
from credmigrate.sources.linegate import ClassKey, PathClasses
from credmigrate.sources.progress import Task, progress_bars


@dataclass
class _Walk:
    commits: list[tuple[str, str, str]]  # sha, author, date (ISO)
    paths: list[str]
    events: dict[str, list[int]]  # blob -> flat [commit index, path id, ...]
    submodules: set[str]


def _walk(
    repo: GitRepo,
    revs: Sequence[str],
    config: Config,
    classes: PathClasses,
    scanner: BlobScanner,
    progress: Task,
    errors: list[str],
    head_blobs: set[str],
) -> _Walk:
    walk = _Walk([], [], {}, set())
    path_ids: dict[str, int] = {}
    path_keys: list[ClassKey] = []  # class key of each path id
    excluded: dict[str, bool] = {}
    is_excluded = excluder(config.exclude)
    scanned: dict[str, set[ClassKey]] = {}
    cidx = -1
    commits, events, add = walk.commits, walk.events, scanner.add
    for item in repo.iter_log_blobs(revs, errors):
        kind = item[0]
        if kind == COMMIT:
            commits.append(item[1:])  # type: ignore[arg-type]  # (sha, author, date)
            cidx += 1
            progress.note(f"{cidx + 1:,} commits")
            continue
        path, blob = item[1], item[2]
        if kind == SUBMODULE:
            walk.submodules.add(path)
            continue
        if cidx < 0:
            continue
        pid = path_ids.get(path)
        if pid is None:
            skip = excluded[path] = is_excluded(path)
            if skip:
                continue
            pid = path_ids[path] = len(walk.paths)
            walk.paths.append(path)
            path_keys.append(classes.key(path))
        elif excluded.get(path):
            continue
        ev = events.get(blob)
        key = path_keys[pid]
        if ev is None:
            events[blob] = [cidx, pid]
            scanned[blob] = {key}
        else:
            ev += (cidx, pid)
            keys = scanned[blob]
            if key in keys:
                continue
            keys.add(key)
        add(BlobJob(blob, path, blob in head_blobs))
        progress.grow()
    return walk


def _revisions(repo: GitRepo, refs: Sequence[str], since: str | None) -> list[str]:
    revs = [repo.resolve(r) and r for r in refs] if refs else ["--exclude=refs/stash", "--all"]
    if since:
        revs.append("^" + repo.resolve(since))
    return revs


def scan_history(
    repo_path: Path,
    config: Config,
    *,
    refs: Sequence[str] = (),
    since: str | None = None,
    jobs: int = 0,
    progress: bool = False,
    detector_factory: DetectorFactory = Detector.default,
) -> ScanResult:
    """Scan every commit reachable from ``refs`` (default: all refs but the stash)."""
    repo = open_repo(repo_path)
    notes: list[str] = []
    errors: list[str] = []
    info = repo.info
    if info.head is None and not repo.has_refs():
        return ScanResult((), notes=("empty repository: no commits to scan",))
    revs = _revisions(repo, refs, since)
    if info.shallow:
        notes.append("history truncated: shallow clone; run `git fetch --unshallow` to scan it all")
    if info.detached and info.head:
        notes.append(f"HEAD is detached at {info.head[:12]}; scanned with the refs")
    if repo.has_stash():
        notes.append("the stash (refs/stash) is not scanned; unreachable objects never are")
    detector = detector_factory(config)
    classes = PathClasses(detector)
    head_tree = _head_tree(repo)
    with progress_bars(progress) as bars:
        bar = bars.task("history", unit="blobs")
        scanner = BlobScanner(
            repo, config, jobs, detector_factory, on_progress=bar.advance, gate=True
        )
        try:
            walk = _walk(repo, revs, config, classes, scanner, bar, errors, set(head_tree))
            result = scanner.finish(keep_open=True)
            _rescan_shared(scanner, bar, walk, classes, result)
        finally:
            scanner.close()
    live = _live_secrets(repo, config, walk, result, detector_factory, head_tree)
    findings = _map_back(repo, walk, result, classes, live)
    skipped, lfs = _skips(result)
    if lfs:
        notes.append(f"{lfs} Git LFS pointer(s) skipped: their content lives on the LFS server")
    if walk.submodules:
        names = ", ".join(sorted(walk.submodules)[:10])
        notes.append(f"submodules skipped (scan each separately): {names}")
    for job, err in result.errors:
        errors.append(f"object {job.sha[:12]} ({job.path}): {err}")
    notes.append(
        f"history: {len(walk.commits)} commits, {len(walk.events)} unique blobs, "
        f"{result.nbytes // 1024} KiB scanned"
    )
    return result.to_scan_result(findings, skipped, notes, errors)


def _skips(result: BatchResult) -> tuple[list[Skipped], int]:
    seen: set[tuple[str, str]] = set()
    lfs = 0
    for job, reason in result.skipped:
        if reason == "git-lfs pointer":
            lfs += 1
        seen.add((job.path, reason))
    return [Skipped(p, r) for p, r in sorted(seen)], lfs


def _rescan_shared(
    scanner: BlobScanner,
    progress: Task,
    walk: _Walk,
    classes: PathClasses,
    result: BatchResult,
) -> None:
    """Scan in full the skipped blobs whose findings other paths need.

    A blob skipped by the line gate at one path stands for every path of its class, and those
    other paths have fingerprints of their own. The walk's workers do it: they are warm.
    """
    redo: list[BlobJob] = []
    for job in result.gated:
        ev = walk.events.get(job.sha, [])
        if len(ev) <= 2:  # one appearance: no other path to stand for
            continue
        key = classes.key(job.path)
        others = {walk.paths[ev[i]] for i in range(1, len(ev), 2)} - {job.path}
        if any(classes.key(p) == key for p in others):
            redo.append(BlobJob(job.sha, job.path))
    if not redo:
        return
    progress.grow(len(redo))
    for job in redo:
        scanner.add(job)
    extra = scanner.finish(keep_open=True)
    result.findings.extend(extra.findings)
    result.errors.extend(extra.errors)


def _head_tree(repo: GitRepo) -> dict[str, str]:
    """blob -> path for every file in HEAD's tree (these are always scanned in full)."""
    head = repo.info.head
    if head is None:
        return {}
    return {sha: path for mode, sha, path in repo.ls_tree(head) if mode != GITLINK_MODE}


def _live_secrets(
    repo: GitRepo,
    config: Config,
    walk: _Walk,
    result: BatchResult,
    factory: DetectorFactory,
    head_blobs: dict[str, str],
) -> set[str]:
    """Secret values present in HEAD's tree (scanning HEAD blobs the walk did not cover)."""
    live: set[str] = set()
    for job, found in result.findings:
        if job.sha in head_blobs:
            live.update(f.secret for f in found)
    missing = [BlobJob(sha, path) for sha, path in head_blobs.items() if sha not in walk.events]
    if missing:
        extra = BlobScanner(repo, config, 1, factory)
        try:
            for job in missing:
                extra.add(job)
            for _job, found in extra.finish().findings:
                live.update(f.secret for f in found)
        finally:
            extra.close()
    return live


def _map_back(
    repo: GitRepo,
    walk: _Walk,
    result: BatchResult,
    classes: PathClasses,
    live: set[str],
) -> list[Finding]:
    by_blob: dict[str, dict[ClassKey, list[Finding]]] = defaultdict(dict)
    for job, found in result.findings:
        by_blob[job.sha][classes.key(job.path)] = found
    # fingerprint -> [(commit index, path, finding as scanned)]
    groups: dict[str, list[tuple[int, str, Finding]]] = defaultdict(list)
    by_value: dict[tuple[str, str], set[tuple[int, str, int]]] = defaultdict(set)
    for sha, per_key in by_blob.items():
        ev = walk.events.get(sha, [])
        for i in range(0, len(ev), 2):
            cidx, path = ev[i], walk.paths[ev[i + 1]]
            for f in per_key.get(classes.key(path), ()):
                fp = f.fingerprint if path == f.path else fingerprint(f.secret, f.rule_id, path)
                groups[fp].append((cidx, path, f))
                by_value[(f.rule_id, f.secret)].add((cidx, path, f.line))
    firsts = {min(occ, key=lambda o: (o[0], o[1]))[0] for occ in groups.values()}
    names = repo.name_revs([walk.commits[c][0] for c in sorted(firsts)])
    findings: list[Finding] = []
    for fp, occ in groups.items():
        cidx, path, f = min(occ, key=lambda o: (o[0], o[1], o[2].line))
        sha, author, date = walk.commits[cidx]
        others = sorted(by_value[(f.rule_id, f.secret)] - {(cidx, path, f.line)})
        group = f.group
        if group and f.path != path and group.endswith(":" + f.path):
            group = group[: -len(f.path)] + path
        findings.append(
            f._replace(
                path=path,
                fingerprint=fp,
                group=group,
                commit=Commit(sha, author, date, (names[sha],) if sha in names else ()),
                status=Status.LIVE if f.secret in live else Status.HISTORY_ONLY,
                other_locations=tuple(
                    Location(p, walk.commits[c][0], line) for c, p, line in others
                ),
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings
