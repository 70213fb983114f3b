"""Progress bars for long runs: history scans, org scans, and migrate's upload/verify/rewrite.

Shown only when asked for, on a terminal (stderr is a TTY) and not under ``CI``; otherwise every
call is a no-op and the bar library is never imported (the pre-commit hook never pays for it).
Usage::

    with progress_bars(enabled) as bars:
        task = bars.task("history", unit="blobs")   # total unknown yet
        task.grow(10)                               # 10 more to do
        task.advance()                              # one done

The drawing lives in :mod:`credmigrate.sources.progress_rich`, the only module importing rich.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO


class Task(Protocol):
    def advance(self, n: int = 1) -> None:
        """Mark ``n`` more items done."""

    def grow(self, n: int = 1) -> None:
        """Add ``n`` items to the total (for work discovered as it goes)."""

    def note(self, text: str) -> None:
        """Show a short status next to the bar (e.g. "1,204 commits")."""


class Bars(Protocol):
    def task(self, label: str, *, total: int | None = None, unit: str = "items") -> Task:
        """A new bar; ``total`` None until :meth:`Task.grow` gives it one."""


class _NullTask:
    def advance(self, n: int = 1) -> None:
        pass

    def grow(self, n: int = 1) -> None:
        pass

    def note(self, text: str) -> None:
        pass


class _NullBars:
    def task(self, label: str, *, total: int | None = None, unit: str = "items") -> Task:
        return NO_TASK


NO_TASK: Task = _NullTask()
NO_BARS: Bars = _NullBars()


def wanted(enabled: bool = True, stream: TextIO | None = None) -> bool:
    """Whether bars would be drawn: asked for, stderr a terminal, and not under CI."""
    out = sys.stderr if stream is None else stream
    if not enabled or os.environ.get("CI"):
        return False
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # closed or replaced by something without isatty
        return False


@contextmanager
def progress_bars(enabled: bool = True, stream: TextIO | None = None) -> Iterator[Bars]:
    """Bars on ``stream`` (default stderr) while the block runs, or :data:`NO_BARS`."""
    if not wanted(enabled, stream):
        yield NO_BARS
        return
    from credmigrate.sources.progress_rich import RichBars

    bars = RichBars(sys.stderr if stream is None else stream)
    try:
        yield bars
    finally:
        bars.stop()
