"""Scan git blobs by id: in this process, or in a pool of workers that each read their own blobs.

Workers receive only (blob id, path) lists and read contents through their own long-lived
``git cat-file --batch``, so contents never cross a process boundary; only findings come back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from credmigrate.config import Config
from credmigrate.detect.detector import Detector, LineRanges
from credmigrate.findings.model import Finding, ScanResult, Skipped, Span
from credmigrate.sources.git.repo import GitRepo

if TYPE_CHECKING:  # imported where used: the hook (one process, no line gate) needs neither
    from credmigrate.sources.git.catfile import BlobReader
    from credmigrate.sources.linegate import LineGate, Part
    from credmigrate.sources.shards import ShardPool

    Worker = tuple[Detector, BlobReader, LineGate | None]

DetectorFactory = Callable[[Config], Detector]
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
BATCH = 128


class BlobJob(NamedTuple):
    """One blob to scan (a tuple: tens of thousands of them cross to the workers in a history)."""

    sha: str
    path: str  # the path the detector sees (rules and Python-awareness depend on it)
    full: bool = True  # False: may be skipped when its candidate lines were seen (LineGate)
    only: LineRanges | None = None  # findings outside these lines are not wanted (staged)


class BatchResult:
    """What one batch found; only blobs with something to say are listed.

    A plain class, not a dataclass: see :class:`credmigrate.sources.git.parse.CommitHeader`.
    """

    __slots__ = ("blobs", "errors", "findings", "gated", "nbytes", "skipped")

    def __init__(self) -> None:
        self.findings: list[tuple[BlobJob, list[Finding]]] = []
        self.skipped: list[tuple[BlobJob, str]] = []  # binary, too large, LFS
        self.errors: list[tuple[BlobJob, str]] = []  # missing, corrupt
        self.gated: list[BlobJob] = []  # skipped or blanked: lines seen (LineGate)
        self.blobs = 0
        self.nbytes = 0

    def to_scan_result(
        self,
        findings: Sequence[Finding],
        skipped: Sequence[Skipped],
        notes: Sequence[str],
        errors: Sequence[str],
    ) -> ScanResult:
        """The :class:`ScanResult` of a git scan built on these batches."""
        return ScanResult(
            findings=tuple(findings),
            skipped=tuple(skipped),
            files_scanned=self.blobs - len(self.skipped) - len(self.errors),
            bytes_scanned=self.nbytes,
            notes=tuple(notes),
            errors=tuple(errors),
        )

    def merge(self, other: BatchResult) -> None:
        self.findings.extend(other.findings)
        self.skipped.extend(other.skipped)
        self.errors.extend(other.errors)
        self.gated.extend(other.gated)
        self.blobs += other.blobs
        self.nbytes += other.nbytes


def scan_batch(
    detector: Detector,
    reader: BlobReader,
    jobs: Sequence[BlobJob],
    gate: LineGate | None = None,
) -> BatchResult:
    result = BatchResult()
    for job, blob in zip(jobs, reader.read([j.sha for j in jobs]), strict=True):
        result.blobs += 1
        if blob.data is None:
            if blob.error == "too large":
                result.skipped.append((job, "too large"))
            else:
                result.errors.append((job, blob.error))
            continue
        if blob.data.startswith(LFS_POINTER) and len(blob.data) < 1024:
            result.skipped.append((job, "git-lfs pointer"))
            continue
        part: Part | None = None
        if gate is not None and b"\0" not in blob.data[:8192]:
            part = gate.filter(job.path, blob.data)  # for full jobs too: it records their lines
            if job.full:
                part = None
            elif part is None or part.lines is not None:  # skipped or extracted: partial
                result.gated.append(job)
                if part is None:
                    result.nbytes += len(blob.data)
                    continue
        if part is None:
            found = detector.scan_bytes(job.path, blob.data, job.only)
        else:  # an extract: its line numbers are not the file's
            found = detector.scan_bytes(job.path, part.data)
        if part is not None and part.whole is not None:  # a Python probe
            if not found:
                result.nbytes += len(blob.data)
                continue
            part = None
            found = detector.scan_bytes(job.path, blob.data, job.only)
        if isinstance(found, Skipped):
            result.skipped.append((job, found.reason))
            continue
        if part is not None and part.lines is not None:
            found = [_relocate(f, part) for f in found]
        result.nbytes += len(blob.data)
        if found:
            result.findings.append((job, found))
    return result


def _relocate(f: Finding, part: Part) -> Finding:
    sp = f.span
    span = Span(part.line(sp.line), sp.column, part.line(sp.end_line), sp.end_column)
    return f._replace(span=span)


def _make_worker(repo: GitRepo, config: Config, factory: DetectorFactory, gate: bool) -> Worker:
    detector = factory(config)
    reader = repo.blob_reader(config.max_file_size)
    if not gate:
        return (detector, reader, None)
    from credmigrate.sources.linegate import LineGate

    return (detector, reader, LineGate(detector))


def _run_batch(worker: Worker, jobs: list[BlobJob]) -> BatchResult:
    return scan_batch(worker[0], worker[1], jobs, worker[2])


def _end_worker(worker: Worker) -> None:
    """A worker process's last step: stop its cat-file, keep the regexes it compiled."""
    from credmigrate.detect import regex_cache

    worker[1].close()
    regex_cache.save()


def excluder(patterns: Sequence[str]) -> Callable[[str], bool]:
    """A predicate for config ``exclude`` globs (gitignore syntax), as the tree scan applies them."""
    if not patterns:
        return lambda _path: False
    import pathspec  # only when there are patterns: its import is a tenth of the hook's start-up

    try:  # pathspec >= 1.0 would compile a hyperscan database: ~50 ms for a few globs
        spec = pathspec.PathSpec.from_lines("gitwildmatch", patterns, backend="simple")
    except TypeError:  # pathspec < 1.0: one backend
        spec = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
    return lambda path: bool(spec.match_file(path))


def job_count(requested: int, config: Config) -> int:
    n = requested or config.jobs
    return n if n > 0 else (os.cpu_count() or 1)


class BlobScanner:
    """Queue blobs as they are discovered; collect every batch's result at the end.

    With more than one job, blobs go to worker processes by path (see :mod:`credmigrate.sources.shards`).
    """

    def __init__(
        self,
        repo: GitRepo,
        config: Config,
        jobs: int,
        factory: DetectorFactory,
        on_progress: Callable[[int], None] | None = None,
        *,
        gate: bool = False,
    ) -> None:
        n = job_count(jobs, config)
        self._pending: list[list[BlobJob]] = [[] for _ in range(n)]
        self._done = BatchResult()
        self._progress = on_progress
        self._pool: ShardPool | None = None
        self._local: Worker | None = None
        self._added = 0
        self._shards: dict[str, int] = {}
        if n > 1:
            from credmigrate.sources.shards import ShardPool

            self._pool = ShardPool(
                n, partial(_make_worker, repo, config, factory, gate), _run_batch, _end_worker
            )
        else:
            self._local = _make_worker(repo, config, factory, gate)

    def add(self, job: BlobJob) -> None:
        shard = 0
        if self._pool is not None:
            shard = self._shards.get(job.path, -1)
            if shard < 0:
                from credmigrate.sources.shards import shard_of

                shard = self._shards[job.path] = shard_of(job.path, len(self._pending))
        pending = self._pending[shard]
        pending.append(job)
        if len(pending) >= BATCH:
            self._flush(shard)
        self._added += 1
        if self._pool is not None and self._added % 64 == 0:
            self._collect(self._pool.ready())

    def _flush(self, shard: int) -> None:
        batch, self._pending[shard] = self._pending[shard], []
        if not batch:
            return
        if self._pool is not None:
            self._pool.submit(shard, batch)
        else:
            assert self._local is not None
            self._collect([_run_batch(self._local, batch)])

    def _collect(self, results: list[BatchResult]) -> None:
        for res in results:
            self._done.merge(res)
            if self._progress:
                self._progress(res.blobs)

    def finish(self, *, keep_open: bool = False) -> BatchResult:
        """Wait for every queued blob and return everything found since the last finish.

        ``keep_open``: the workers stay up (warm: rules compiled, blob readers running) for
        another round of :meth:`add` and :meth:`finish`; :meth:`close` ends them.
        """
        for shard in range(len(self._pending)):
            self._flush(shard)
        if self._pool is not None:
            self._collect(self._pool.wait())
        done, self._done = self._done, BatchResult()
        if not keep_open:
            self.close()
        return done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._local is not None:
            self._local[1].close()
            self._local = None


def scan_blobs(
    repo: GitRepo, config: Config, jobs_list: Sequence[BlobJob], factory: DetectorFactory
) -> BatchResult:
    """Scan a known list of blobs in this process (staged and diff scans: small sets)."""
    scanner = BlobScanner(repo, config, 1, factory)
    try:
        for job in jobs_list:
            scanner.add(job)
        return scanner.finish()
    finally:
        scanner.close()


def iter_unique(jobs: Sequence[BlobJob]) -> Iterator[BlobJob]:
    seen: set[tuple[str, str]] = set()
    for j in jobs:
        if (j.sha, j.path) not in seen:
            seen.add((j.sha, j.path))
            yield j
