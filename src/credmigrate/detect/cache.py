"""A small on-disk cache for derived data (parsed rules, compiled hyperscan databases).

Start-up dominates the pre-commit hook and small scans; both artefacts are pure functions of
their inputs, so they are kept under ``$XDG_CACHE_HOME/credmigrate`` keyed by a hash of those
inputs. Every failure (read-only home, corrupt file) just means "not cached".
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base or base.startswith("~"):
        return None
    return Path(base) / "credmigrate"


def read(name: str) -> bytes | None:
    d = cache_dir()
    if d is None:
        return None
    try:
        return (d / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Store ``name``; other entries sharing its prefix (before the first '-') are stale."""
    d = cache_dir()
    if d is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        prefix = name.split("-", 1)[0] + "-"
        for old in d.glob(prefix + "*"):
            if old.name != name:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, d / name)
    except OSError:
        pass
