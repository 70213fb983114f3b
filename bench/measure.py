"""Run one command and measure it as a user would feel it: whole-process wall time and peak memory.

CPU time (user + sys) covers the whole process tree too: ``os.wait4`` returns the rusage of the
reaped child (``timeout``), which includes every descendant it and they waited for. On a shared
machine it moves far less with other jobs' load than wall time does.

Peak memory is the larger of two figures, both covering the whole process tree:
- ``ru_maxrss`` from ``os.wait4`` (the kernel's high-water mark of the biggest single process in
  the tree, exact even for processes that live a few milliseconds), and
- the largest *sum* of proportional set size (PSS) over all live processes in the tree, sampled
  from /proc/<pid>/smaps_rollup every 10 ms: what a pool of worker processes costs together,
  with pages shared between forked workers counted once.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_EXIT = 124  # what coreutils `timeout` returns when it had to stop the command


@dataclass(frozen=True)
class Run:
    """One finished process: exit code, captured output, wall seconds and peak memory (KiB)."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    wall: float
    peak_kib: int
    cpu: float = 0.0  # user + sys seconds of the whole process tree (rusage of the reaped child)

    @property
    def timed_out(self) -> bool:
        return self.returncode == TIMEOUT_EXIT


def _tree(pid: int) -> list[int]:
    """The pid and all its live descendants (via /proc/<pid>/task/<tid>/children)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages split among the processes sharing them, so the sum
    over a forked worker pool doesn't count the parent's pages once per worker."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            total = sum(_pss_kib(p) for p in _tree(self.pid))
            self.peak = max(self.peak, total)
            self.stop.wait(0.01)


def run(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float = 600.0,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> Run:
    """Run ``argv`` under coreutils ``timeout`` and measure the whole process tree."""
    full = ["timeout", "-k", "5", f"{timeout:g}", *argv]
    with (
        tempfile.TemporaryFile("w+b") as out,
        tempfile.TemporaryFile("w+b") as err,
        tempfile.TemporaryFile("w+b") as inp,
    ):
        if stdin is not None:
            inp.write(stdin.encode())
            inp.seek(0)
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=err, stdin=inp, env=env)
        sampler = _Sampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            # `timeout` runs in its own process group: stop it (it passes SIGTERM on), then leave
            proc.terminate()
            os.wait4(proc.pid, 0)
            sampler.stop.set()
            raise
        wall = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it is reaped
        out.seek(0)
        err.seek(0)
        return Run(
            argv=tuple(argv),
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            wall=wall,
            peak_kib=max(int(usage.ru_maxrss), sampler.peak),
            cpu=usage.ru_utime + usage.ru_stime,
        )


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


# so that `kill <bench pid>` also stops the tool being measured (see run())
if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _exit_on_term)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
