"""Working-tree scanning: list files, read them, run the detector, in parallel when it pays."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Finding, ScanResult, Skipped
from credmigrate.sources.walker import FileEntry, list_files

# A worker pool costs ~0.1 s (fork, warm-up, result pickling); one process scans ~40 MB/s.
_PARALLEL_MIN_BYTES = 24 * 1024 * 1024
_PARALLEL_MIN_FILES = 3000

_worker_detector: Detector | None = None


def _read_and_scan(
    detector: Detector, entry: FileEntry
) -> tuple[list[Finding], Skipped | None, int]:
    try:
        with open(entry.abspath, "rb") as fh:  # one open, one fstat: the size of what is read
            if os.fstat(fh.fileno()).st_size > detector.config.max_file_size:
                return [], Skipped(entry.relpath, "too large"), 0
            data = fh.read()
    except PermissionError:
        return [], Skipped(entry.relpath, "unreadable: permission denied"), 0
    except OSError as exc:
        return [], Skipped(entry.relpath, f"unreadable: {exc.strerror or exc}"), 0
    result = detector.scan_bytes(entry.relpath, data)
    if isinstance(result, Skipped):
        return [], result, 0
    return result, None, len(data)


def _scan_chunk(entries: list[FileEntry]) -> tuple[list[Finding], list[Skipped], int, int]:
    assert _worker_detector is not None
    return _scan_entries(_worker_detector, entries)


def _scan_entries(
    detector: Detector, entries: Sequence[FileEntry]
) -> tuple[list[Finding], list[Skipped], int, int]:
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    nbytes = files = 0
    for e in entries:
        fs, sk, n = _read_and_scan(detector, e)
        findings.extend(fs)
        if sk is not None:
            skipped.append(sk)
        else:
            files += 1
            nbytes += n
    return findings, skipped, files, nbytes


def _worth_a_pool(entries: Sequence[FileEntry]) -> bool:
    """Many files, or many bytes (stat'ed only when the count alone doesn't decide)."""
    if len(entries) >= _PARALLEL_MIN_FILES:
        return True
    total = 0
    for e in entries:
        with contextlib.suppress(OSError):
            total += os.stat(e.abspath).st_size
        if total >= _PARALLEL_MIN_BYTES:
            return True
    return False


def _jobs(config: Config, jobs: int | None) -> int:
    n = jobs if jobs is not None else config.jobs
    return n if n > 0 else (os.cpu_count() or 1)


def scan_worktree(
    roots: Sequence[Path],
    config: Config,
    detector: Detector | None = None,
    *,
    jobs: int | None = None,
) -> ScanResult:
    """Scan files on disk. Paths in findings are relative to each directory root."""
    global _worker_detector
    detector = detector or Detector.default(config)
    entries, skipped = list_files(roots, config.exclude)
    n_jobs = _jobs(config, jobs)
    findings: list[Finding] = []
    files = nbytes = 0
    if n_jobs > 1 and _worth_a_pool(entries):
        detector.warm()
        _worker_detector = detector  # inherited by forked workers: no re-compilation
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        chunks = [entries[i :: n_jobs * 4] for i in range(n_jobs * 4)]
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as pool:
            for fs, sk, nf, nb in pool.map(_scan_chunk, chunks):
                findings.extend(fs)
                skipped.extend(sk)
                files += nf
                nbytes += nb
        _worker_detector = None
    else:
        fs, sk, files, nbytes = _scan_entries(detector, entries)
        findings.extend(fs)
        skipped.extend(sk)
    findings.sort(key=Finding.sort_key)
    skipped.sort(key=lambda s: s.path)
    return ScanResult(tuple(findings), tuple(skipped), files, nbytes)
