"""The rich adapter behind :mod:`credmigrate.sources.progress` (imported only on a terminal)."""

from __future__ import annotations

import threading
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
)
from rich.progress import Task as RichTaskState
from rich.text import Text

PUSH_EVERY = 0.05  # seconds: a history scan counts thousands of commits; redraws need far fewer


def _average_rate(task: RichTaskState) -> float | None:
    """Items per second since the task started. Rich's own windowed estimate swings wildly
    when work arrives in batches (a batch of cached blobs "takes" microseconds)."""
    elapsed = task.elapsed
    if not task.completed or not elapsed:
        return None
    return task.completed / elapsed


class _Rate(ProgressColumn):
    """The average rate in the task's own unit: "1,204 blobs/s"."""

    def render(self, task: RichTaskState) -> Text:
        rate = _average_rate(task)
        unit = task.fields.get("unit", "")
        text = f"{rate:,.0f} {unit}/s" if rate is not None else f"- {unit}/s"
        return Text(text, style="progress.data.speed")


class _Eta(ProgressColumn):
    """Time left at the average rate, for the work known so far."""

    def render(self, task: RichTaskState) -> Text:
        rate = _average_rate(task)
        if task.finished:
            return Text("done", style="progress.remaining")
        if rate is None or task.total is None:
            return Text("eta -:--", style="progress.remaining")
        left = int(max(0.0, task.total - task.completed) / rate)
        minutes, seconds = divmod(left, 60)
        hours, minutes = divmod(minutes, 60)
        clock = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
        return Text(f"eta {clock}", style="progress.remaining")


class RichTask:
    """Counts locally (cheap, thread-safe) and pushes to rich at most every PUSH_EVERY s."""

    def __init__(self, progress: Progress, task_id: TaskID, total: int | None) -> None:
        self._progress, self._id = progress, task_id
        self._total = total
        self._done = 0
        self._note = ""
        self._last = 0.0
        self._lock = threading.Lock()  # upload/verify workers advance from many threads

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._done += n
            self._maybe_push()

    def grow(self, n: int = 1) -> None:
        with self._lock:
            self._total = (self._total or 0) + n
            self._maybe_push()

    def note(self, text: str) -> None:
        with self._lock:
            self._note = text
            self._maybe_push()

    def _maybe_push(self) -> None:
        now = time.monotonic()
        if now - self._last >= PUSH_EVERY:
            self._last = now
            self.push()

    def push(self) -> None:
        self._progress.update(self._id, total=self._total, completed=self._done, note=self._note)


class RichBars:
    def __init__(self, stream: TextIO) -> None:
        console = Console(file=stream, force_terminal=True)
        self._tasks: list[RichTask] = []
        self._progress = Progress(
            TextColumn("credmigrate: {task.description}", style="bold"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            _Rate(),
            _Eta(),
            TextColumn("{task.fields[note]}", style="dim"),
            console=console,
            transient=False,
            refresh_per_second=8,
        )
        self._progress.start()

    def task(self, label: str, *, total: int | None = None, unit: str = "items") -> RichTask:
        task_id = self._progress.add_task(label, total=total, unit=unit, note="")
        task = RichTask(self._progress, task_id, total)
        self._tasks.append(task)
        return task

    def stop(self) -> None:
        for task in self._tasks:  # the final counts, however recent the last push
            task.push()
        self._progress.stop()
