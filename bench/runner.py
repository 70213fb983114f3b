"""Run several tools N times on one input, interleaved round by round, and summarise the runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import measure
import peers
import reuse


@dataclass(frozen=True)
class Summary:
    tool: str
    runs: tuple[peers.Result, ...]
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    @property
    def error(self) -> str:
        return next((r.error for r in self.runs if not r.ok), "not run")

    @property
    def wall(self) -> float:
        return measure.median([r.wall for r in self.runs]) if self.ok else float("nan")

    @property
    def cpu(self) -> float:
        """Median user + sys seconds (nan for runs reused from before CPU time was recorded)."""
        cpus = [r.cpu for r in self.runs]
        return measure.median(cpus) if self.ok and all(cpus) else float("nan")

    @property
    def peak_kib(self) -> int:
        return max((r.peak_kib for r in self.runs), default=0) if self.ok else 0

    @property
    def findings(self) -> int:
        return len(self.runs[-1].findings) if self.ok else 0


def collect(
    root: Path,
    tools: Sequence[str],
    mode: str,
    *,
    runs: int,
    timeout: float,
    slow: float = float("inf"),
    reuse_peers: Sequence[str] = (),
    files: Sequence[str] = (),
) -> dict[str, Summary]:
    """Each tool ``runs`` times (once if its first run took longer than ``slow`` seconds)."""
    done: dict[str, list[peers.Result]] = {t: [] for t in tools}
    notes: dict[str, str] = {}
    if reuse_peers:
        for tool in tools:
            if "all" not in reuse_peers and tool not in reuse_peers:
                continue
            stored = reuse.get(mode, tool, root)
            if stored:
                done[tool], notes[tool] = stored[0], f"reused run from {stored[1]}"
    fresh = [t for t in tools if t not in notes]
    for _ in range(runs):
        for tool in fresh:
            rs = done[tool]
            if rs and (not rs[-1].ok or rs[0].wall > slow):
                continue  # failures are reported, not retried; one run of a slow scan will do
            rs.append(peers.scan(tool, mode, root, files=files, timeout=timeout))
    for tool in fresh:
        reuse.put(mode, tool, root, done[tool])
        if done[tool] and done[tool][0].ok and len(done[tool]) < runs:
            notes[tool] = f"{len(done[tool])} run(s): first took > {slow:g} s"
    return {t: Summary(t, tuple(done[t]), notes.get(t, "")) for t in tools}
