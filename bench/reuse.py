"""Optional reuse of the PEERS' measured runs (``--reuse-peers``), so that tuning credmigrate doesn't
mean waiting again for a 15-minute detect-secrets scan. Runs are keyed by script mode, tool, its
executable's size+mtime and the repository's HEAD; a reused row is labelled with its date.
credmigrate itself is never reused. Stored in bench/.cache/peer-runs.json (no secret values).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import peers
import repos

STORE = repos.CACHE / "peer-runs.json"


def _key(mode: str, tool: str, root: Path) -> str:
    # an export (<name>-head, no .git) has the HEAD of the clone it was made from
    repo = root if (root / ".git").exists() else root.with_name(root.name.removesuffix("-head"))
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    exe = peers.PEERS[tool].exe()
    stamp = f"{exe.stat().st_size}:{int(exe.stat().st_mtime)}" if exe.exists() else "missing"
    return f"{mode}|{tool}|{stamp}|{root.name}|{head}"


def _load() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(STORE.read_text())
    except (OSError, ValueError):
        return {}
    return data


def get(mode: str, tool: str, root: Path) -> tuple[list[peers.Result], str] | None:
    """Stored runs of ``tool`` (never credmigrate) and the date they were measured."""
    if tool == "credmigrate":
        return None
    entry = _load().get(_key(mode, tool, root))
    if not entry:
        return None
    found = tuple(peers.Finding(p, n, None, r) for p, n, r in entry["findings"])
    error = str(entry.get("error", ""))
    cpus = entry.get("cpus") or [0.0] * len(entry["walls"])  # absent in older stores
    runs = [
        peers.Result(tool, found, w, k, error, c)
        for w, k, c in zip(entry["walls"], entry["peaks"], cpus, strict=True)
    ]
    return runs, str(entry["date"])


def put(mode: str, tool: str, root: Path, runs: list[peers.Result]) -> None:
    # a timeout is kept too (so a rerun doesn't wait for it again); other failures are not
    failed = [r for r in runs if not r.ok]
    if tool == "credmigrate" or not runs or any("timed out" not in r.error for r in failed):
        return
    data = _load()
    data[_key(mode, tool, root)] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "walls": [r.wall for r in runs],
        "peaks": [r.peak_kib for r in runs],
        "cpus": [r.cpu for r in runs],
        "findings": [[f.path, f.line, f.rule] for f in runs[-1].findings],
        "error": failed[0].error if failed else "",
    }
    STORE.parent.mkdir(parents=True, exist_ok=True)
    tmp = STORE.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(STORE)
