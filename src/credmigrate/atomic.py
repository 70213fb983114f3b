"""Atomic file writes: a temp file in the same directory, fsync, then ``os.replace``.

A reader (or a crash) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_text(
    path: Path, text: str, mode: int | None = None, *, make_parents: bool = True
) -> None:
    """Replace ``path`` with ``text``. ``mode``: the new file's permissions; by default those of
    the file it replaces, or 0o644 for a new one. OSError propagates; no temp file is left."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if make_parents:
        directory.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
