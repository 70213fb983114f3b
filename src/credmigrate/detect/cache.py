"""A small on-disk cache for derived data (parsed rules, compiled hyperscan databases).

Start-up dominates the pre-commit hook and small scans; both artefacts are pure functions of
their inputs, so they are kept under ``$XDG_CACHE_HOME/credmigrate``, named by a checksum of those
inputs, and each entry stores the inputs themselves: :func:`load` returns an entry only when they
are equal, so a checksum collision can't hand back another rule set's data (and no hashlib, whose
OpenSSL start-up the hook would pay, is needed). Every failure (read-only home, corrupt file)
just means "not cached". The newest few entries of each kind are kept, so two rule sets in use
(a project's extra rules, another installation) don't evict each other on every run.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

KEEP = 8  # entries kept per kind (name prefix)


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
    """Store ``name``; beyond the :data:`KEEP` newest entries of its kind, older ones go."""
    d = cache_dir()
    if d is None:
        return
    import tempfile  # only when writing: its import is a tenth of a hook run's start-up

    try:
        d.mkdir(parents=True, exist_ok=True)
        prefix = name.split("-", 1)[0] + "-"
        others = [p for p in d.glob(prefix + "*") if p.name != name]
        if len(others) >= KEEP:
            others.sort(key=lambda p: p.stat().st_mtime_ns)
            for old in others[: len(others) - KEEP + 1]:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, d / name)
    except OSError:
        pass


def entry_name(kind: str, key: bytes, ext: str) -> str:
    """The file name of the entry for ``key`` (the entry's inputs, serialised)."""
    return f"{kind}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}{len(key):x}.{ext}"


def load(kind: str, key: bytes, ext: str) -> bytes | None:
    """The payload stored for exactly ``key``, or None."""
    blob = read(entry_name(kind, key, ext))
    if blob is None or len(blob) < 8:
        return None
    n = int.from_bytes(blob[:8], "little")
    if blob[8 : 8 + n] != key:
        return None
    return blob[8 + n :]


def store(kind: str, key: bytes, ext: str, payload: bytes) -> None:
    write(entry_name(kind, key, ext), len(key).to_bytes(8, "little") + key + payload)
