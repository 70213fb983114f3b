"""The rich adapter behind :mod:`credmigrate.sources.progress` (imported only on a terminal)."""

from __future__ import annotations

import threading
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _Rate(ProgressColumn):
    """Items per second in the task's own unit: "1,204 blobs/s"."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        if speed is None and task.completed and task.elapsed:  # too few samples yet
            speed = task.completed / task.elapsed
        unit = task.fields.get("unit", "")
        text = f"{speed:,.0f} {unit}/s" if speed is not None else f"? {unit}/s"
        return Text(text, style="progress.data.speed")


class RichTask:
    def __init__(self, progress: Progress, task_id: TaskID, total: int | None) -> None:
        self._progress, self._id = progress, task_id
        self._total = total or 0
        self._lock = threading.Lock()  # upload/verify workers advance from many threads

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._id, n)

    def grow(self, n: int = 1) -> None:
        with self._lock:
            self._total += n
            self._progress.update(self._id, total=self._total)

    def note(self, text: str) -> None:
        self._progress.update(self._id, note=text)


class RichBars:
    def __init__(self, stream: TextIO) -> None:
        console = Console(file=stream, force_terminal=True)
        self._progress = Progress(
            TextColumn("credmigrate: {task.description}", style="bold"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            _Rate(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[note]}", style="dim"),
            console=console,
            transient=False,
            refresh_per_second=8,
        )
        self._progress.start()

    def task(self, label: str, *, total: int | None = None, unit: str = "items") -> RichTask:
        task_id = self._progress.add_task(label, total=total, unit=unit, note="")
        return RichTask(self._progress, task_id, total)

    def stop(self) -> None:
        self._progress.stop()
