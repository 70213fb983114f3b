"""Scan git blobs by id: in this process, or in a pool of workers that each read their own blobs.

Workers receive only (blob id, path) lists and read contents through their own long-lived
``git cat-file --batch``, so contents never cross a process boundary; only findings come back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from credmigrate.catfile import BlobReader
from credmigrate.config import Config
from credmigrate.detect import Detector
from credmigrate.gitrepo import GitRepo
from credmigrate.linegate import LineGate, Part
from credmigrate.model import Finding, Skipped, Span

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

DetectorFactory = Callable[[Config], Detector]
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
BATCH = 128


@dataclass(frozen=True)
class BlobJob:
    sha: str
    path: str  # the path the detector sees (rules and Python-awareness depend on it)
    full: bool = True  # False: may be skipped when its candidate lines were seen (LineGate)


@dataclass
class BatchResult:
    """What one batch found; only blobs with something to say are listed."""

    findings: list[tuple[BlobJob, list[Finding]]] = field(default_factory=list)
    skipped: list[tuple[BlobJob, str]] = field(default_factory=list)  # binary, too large, LFS
    errors: list[tuple[BlobJob, str]] = field(default_factory=list)  # missing, corrupt
    gated: list[BlobJob] = field(default_factory=list)  # skipped or blanked: lines seen (LineGate)
    blobs: int = 0
    nbytes: int = 0

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
        found = detector.scan_bytes(job.path, blob.data if part is None else part.data)
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
    return replace(f, span=span)


_worker: tuple[Detector, BlobReader, LineGate | None] | None = None


def _init_worker(repo: GitRepo, config: Config, factory: DetectorFactory, gate: bool) -> None:
    global _worker
    detector = factory(config)
    reader = repo.blob_reader(config.max_file_size)
    _worker = (detector, reader, LineGate(detector) if gate else None)


def _run_batch(jobs: list[BlobJob]) -> BatchResult:
    assert _worker is not None
    return scan_batch(*_worker[:2], jobs, _worker[2])


def excluder(patterns: Sequence[str]) -> Callable[[str], bool]:
    """A predicate for config ``exclude`` globs (gitignore syntax), as the tree scan applies them."""
    if not patterns:
        return lambda _path: False
    import pathspec  # only when there are patterns: its import is a tenth of the hook's start-up

    spec = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
    return lambda path: bool(spec.match_file(path))


def job_count(requested: int, config: Config) -> int:
    n = requested or config.jobs
    return n if n > 0 else (os.cpu_count() or 1)


class BlobScanner:
    """Queue blobs as they are discovered; collect every batch's result at the end."""

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
        self._jobs = job_count(jobs, config)
        self._pending: list[BlobJob] = []
        self._futures: list[Future[BatchResult]] = []
        self._done = BatchResult()
        self._progress = on_progress
        self._pool: ProcessPoolExecutor | None = None
        self._local: tuple[Detector, BlobReader, LineGate | None] | None = None
        if self._jobs > 1:
            import multiprocessing  # not on the hook path, which scans in-process
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(
                max_workers=self._jobs,
                mp_context=ctx,
                initializer=_init_worker,
                initargs=(repo, config, factory, gate),
            )
        else:
            detector = factory(config)
            reader = repo.blob_reader(config.max_file_size)
            self._local = (detector, reader, LineGate(detector) if gate else None)

    def add(self, job: BlobJob) -> None:
        self._pending.append(job)
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        if self._pool is not None:
            fut = self._pool.submit(_run_batch, batch)
            fut.add_done_callback(self._tick)
            self._futures.append(fut)
        else:
            assert self._local is not None
            res = scan_batch(*self._local[:2], batch, self._local[2])
            self._done.merge(res)
            if self._progress:
                self._progress(res.blobs)

    def _tick(self, fut: Future[BatchResult]) -> None:
        if self._progress and not fut.cancelled() and fut.exception() is None:
            self._progress(fut.result().blobs)

    def finish(self) -> BatchResult:
        """Wait for every queued blob and return everything found."""
        self._flush()
        for fut in self._futures:
            self._done.merge(fut.result())
        self._futures.clear()
        self.close()
        return self._done

    def close(self) -> None:
        if self._pool is not None:
            for fut in self._futures:
                fut.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
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
